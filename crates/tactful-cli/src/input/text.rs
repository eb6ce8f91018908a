//! Plain text: `Customer: ...` / `Agent: ...` lines, transcripts separated
//! by `---` or two blank lines, an optional `# id:` line; other `#` lines
//! are comments before a transcript's first turn and text after it.

use super::common::{
    error, read_line_limited, strip_bom, trim_line, Item, Line, Origin, TurnAt, Unit,
};
use std::borrow::Cow;
use std::io::BufRead;
use tactful::{Role, Transcript, Turn};

/// Splits a speaker prefix: `Customer: hi` → (Customer, None, "hi");
/// `Agent (Maria): hi` and `Agent Maria: hi` keep the name.
fn speaker_prefix(line: &str) -> Option<(Role, Option<String>, &str)> {
    let colon = line.find(':')?;
    if colon > 48 {
        return None;
    }
    let label = line[..colon].trim();
    let (word, rest) = match label.find([' ', '(', '\t']) {
        Some(i) => (&label[..i], label[i..].trim()),
        None => (label, ""),
    };
    let role = Role::parse(word)?;
    let name = rest.trim_start_matches('(').trim_end_matches(')').trim();
    let name = (!name.is_empty()).then(|| name.to_string());
    let text = line[colon + 1..]
        .strip_prefix(' ')
        .unwrap_or(&line[colon + 1..]);
    Some((role, name, text))
}

pub(super) fn read_text(
    r: &mut impl BufRead,
    origin: &Origin,
    max: usize,
    emit: &mut dyn FnMut(Unit) -> bool,
) {
    struct Block {
        line: usize,
        id: Option<String>,
        turns: Vec<Turn<'static>>,
        turns_at: Vec<TurnAt>,
        error: Option<(usize, String)>,
        bytes: usize,
    }
    let finish = |b: Block, emit: &mut dyn FnMut(Unit) -> bool| -> bool {
        if b.turns.is_empty() && b.error.is_none() && b.id.is_none() {
            return true;
        }
        let id = b.id.unwrap_or_else(|| b.line.to_string());
        if let Some((line, message)) = b.error {
            return emit(error(origin, line, Some(id), message));
        }
        let mut t = Transcript::new(id);
        t.turns = b.turns;
        emit(Unit::Item {
            origin: Origin {
                file: origin.file.clone(),
                line: b.line,
            },
            item: Box::new(Item {
                transcript: t,
                metadata: None,
            }),
            turns_at: b.turns_at,
        })
    };
    let new_block = |line: usize| Block {
        line,
        id: None,
        turns: Vec::new(),
        turns_at: Vec::new(),
        error: None,
        bytes: 0,
    };
    // a file of only blank lines, separators and comments holds no
    // transcript: it is reported as empty rather than giving no record
    let emitted = std::cell::Cell::new(0usize);
    let emit = &mut |u: Unit| {
        emitted.set(emitted.get() + 1);
        emit(u)
    };
    let mut block = new_block(1);
    let mut blank_run = 0usize;
    let mut line_no = 0usize;
    let mut buf = Vec::new();
    loop {
        line_no += 1;
        let res = read_line_limited(r, &mut buf, max);
        let raw: &[u8] = match res {
            Ok(Line::Eof) => break,
            Ok(Line::TooLong(n)) => {
                if block.error.is_none() {
                    block.error = Some((line_no, format!("line is {n} bytes, longer than the limit of {max} bytes (--max-record-bytes)")));
                }
                continue;
            }
            Ok(Line::Read) => {
                if line_no == 1 {
                    strip_bom(&mut buf);
                }
                trim_line(&buf)
            }
            Err(e) => {
                emit(error(origin, line_no, None, format!("read error: {e}")));
                return;
            }
        };
        let line = match std::str::from_utf8(raw) {
            Ok(s) => s,
            Err(e) => {
                if block.error.is_none() {
                    block.error = Some((
                        line_no,
                        format!("invalid UTF-8 at byte {} of the line", e.valid_up_to() + 1),
                    ));
                }
                if block.turns.is_empty() {
                    block.line = block.line.min(line_no);
                }
                continue;
            }
        };
        let trimmed = line.trim();
        if trimmed == "---" || (trimmed.is_empty() && blank_run >= 1) {
            blank_run = 0;
            let done = std::mem::replace(&mut block, new_block(line_no + 1));
            if !finish(done, emit) {
                return;
            }
            continue;
        }
        if trimmed.is_empty() {
            blank_run += 1;
            continue;
        }
        let pending_blank = std::mem::take(&mut blank_run);
        if block.turns.is_empty() && block.id.is_none() && block.error.is_none() {
            block.line = line_no;
        }
        // `# id:` names the transcript; another `#` line is a comment before
        // the block's first turn, and turn text after it
        if let Some(rest) = trimmed.strip_prefix('#') {
            if let Some(id) = rest.trim().strip_prefix("id:") {
                block.id = Some(id.trim().to_string());
                continue;
            }
            if block.turns.is_empty() {
                continue;
            }
        }
        block.bytes += line.len();
        if block.bytes > max && block.error.is_none() {
            block.error = Some((
                line_no,
                format!("transcript is longer than the limit of {max} bytes (--max-record-bytes)"),
            ));
        }
        if block.error.is_some() {
            // only the error is written: the text is not kept, so a
            // transcript that never ends holds no more than the limit
            block.turns = Vec::new();
            block.turns_at = Vec::new();
            continue;
        }
        if let Some((role, name, text)) = speaker_prefix(line) {
            let mut turn = Turn::new(role, text.to_string());
            turn.name = name.map(Cow::Owned);
            block.turns.push(turn);
            block.turns_at.push(TurnAt {
                line: line_no,
                column: line[..line.len() - text.len()].chars().count(),
            });
        } else if let Some(last) = block.turns.last_mut() {
            let t = last.text.to_mut();
            t.push_str(if pending_blank > 0 { "\n\n" } else { "\n" });
            t.push_str(line);
        } else if block.error.is_none() {
            block.error = Some((
                line_no,
                "text before any speaker prefix (expected \"Customer:\" or \"Agent:\")".to_string(),
            ));
        }
    }
    if !finish(block, emit) {
        return;
    }
    if emitted.get() == 0 {
        emit(error(origin, 0, None, "empty input: no transcripts"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::test_support::{ids, units};
    use crate::input::InputFormat;

    #[test]
    fn speaker_prefixes() {
        let (r, n, t) = speaker_prefix("AGENT (Maria): hello: there").unwrap();
        assert_eq!(
            (r, n.as_deref(), t),
            (Role::Agent, Some("Maria"), "hello: there")
        );
        assert_eq!(speaker_prefix("customer:hi").unwrap().2, "hi");
        assert!(speaker_prefix("Note: call back").is_none());
    }

    #[test]
    fn text_blocks_split_on_dashes_and_double_blank_lines() {
        let data =
            b"Customer: hi\r\nthere\nAgent: hello\n---\n# id: X-9\nCustomer: a\n\n\nAgent: b\n";
        let u = units(InputFormat::Text, data);
        assert_eq!(ids(&u), ["1", "X-9", "9"]);
        let Unit::Item { item, .. } = &u[0] else {
            panic!()
        };
        assert_eq!(item.transcript.turns[0].text, "hi\nthere");
    }

    #[test]
    fn text_before_a_prefix_is_an_error_for_that_transcript_only() {
        let u = units(InputFormat::Text, b"hello\nAgent: x\n---\nCustomer: y\n");
        let got = ids(&u);
        assert!(got[0].starts_with("error@1:text before"), "{got:?}");
        // "Customer: y" is line 4: the second transcript starts there.
        assert_eq!(got[1], "4");
    }
}
