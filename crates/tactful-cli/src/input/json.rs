//! JSON: one transcript object or an array of them, read whole; each array
//! element that is not a transcript becomes its own error record.

use super::common::{error, line_of, strip_bom, Origin, Unit};
use super::record::{json_message, parse_record_at};
use serde::de::{self, Deserializer, Visitor};
use serde_json::value::RawValue;
use std::fmt;
use std::io::{BufRead, Read};

pub(super) fn read_json(
    r: &mut impl BufRead,
    origin: &Origin,
    max: usize,
    emit: &mut dyn FnMut(Unit) -> bool,
) {
    let mut all = Vec::new();
    let limit = (max as u64).saturating_mul(16);
    if let Err(e) = r.take(limit.saturating_add(1)).read_to_end(&mut all) {
        emit(error(origin, 0, None, format!("read error: {e}")));
        return;
    }
    if all.len() as u64 > limit {
        // read whole, a .json file is limited; cutting it would misreport
        // it as truncated
        emit(error(
            origin,
            0,
            None,
            format!("a .json file is read whole and this one is longer than the limit of {limit} bytes (16 × --max-record-bytes); convert it to JSONL to stream it"),
        ));
        return;
    }
    strip_bom(&mut all);
    let Ok(text) = std::str::from_utf8(&all) else {
        let at = std::str::from_utf8(&all)
            .err()
            .map_or(0, |e| e.valid_up_to());
        let line = line_of(&all, at);
        emit(error(origin, line, None, "invalid UTF-8"));
        return;
    };
    if text.trim().is_empty() {
        emit(error(origin, 0, None, "empty input: no transcripts"));
        return;
    }
    let trimmed = text.trim_start();
    if trimmed.starts_with('[') {
        // elements are collected one by one, so that those before a syntax
        // error (a truncated file) are kept; the error ends the file
        let mut elements: Vec<&RawValue> = Vec::new();
        let mut de = serde_json::Deserializer::from_str(text);
        let failure = de
            .deserialize_seq(Elements(&mut elements))
            .and_then(|()| de.end())
            .err();
        if elements.is_empty() && failure.is_none() {
            emit(error(origin, 0, None, "empty array: no transcripts"));
        }
        // lines are counted on from the previous element (elements come in
        // order), not from the start of the file for each
        let (mut counted, mut line) = (0usize, 1usize);
        for el in elements {
            let offset = (el.get().as_ptr() as usize).saturating_sub(text.as_ptr() as usize);
            line += line_of(&all[counted..], offset.saturating_sub(counted)) - 1;
            counted = counted.max(offset);
            let unit = match parse_record_at(el.get().as_bytes(), line) {
                Ok(item) => Unit::Item {
                    origin: Origin {
                        file: origin.file.clone(),
                        line,
                    },
                    item: Box::new(item.into_owned()),
                    turns_at: Vec::new(),
                },
                Err(e) => error(origin, line, e.id, e.message),
            };
            if !emit(unit) {
                return;
            }
        }
        if let Some(e) = failure {
            emit(error(
                origin,
                e.line(),
                None,
                format!("{}; the rest of the file cannot be read", json_message(&e)),
            ));
        }
    } else {
        let line = line_of(&all, text.len() - trimmed.len());
        let unit = match parse_record_at(text.as_bytes(), line) {
            Ok(item) => Unit::Item {
                origin: Origin {
                    file: origin.file.clone(),
                    line,
                },
                item: Box::new(item.into_owned()),
                turns_at: Vec::new(),
            },
            Err(e) => error(origin, line, e.id, e.message),
        };
        emit(unit);
    }
}

/// Collects the elements of a JSON array one by one, so that the elements
/// before a syntax error are kept.
struct Elements<'a, 'v>(&'v mut Vec<&'a RawValue>);

impl<'de> Visitor<'de> for Elements<'de, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of transcripts")
    }
    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(el) = seq.next_element::<&'de RawValue>()? {
            self.0.push(el);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::input::test_support::{ids, units};
    use crate::input::InputFormat;

    #[test]
    fn json_array_elements_fail_alone() {
        let data =
            b"[\n{\"id\":\"a\",\"turns\":[]},\n{\"id\":\"b\"},\n{\"id\":\"c\",\"turns\":[]}\n]";
        let got = ids(&units(InputFormat::Json, data));
        assert_eq!(got[0], "a");
        assert!(got[1].starts_with("error@3:not a transcript"), "{got:?}");
        assert_eq!(got[2], "c");
    }
}
