//! The output records as Python objects: what `json.loads` makes of the
//! command line's `jsonl` records, made directly by a small JSON reader.
//!
//! Building the dicts is most of what a batch costs in Python (the analysis
//! runs without the GIL, this cannot), so the reader does less than
//! `json.loads` where the records let it: a field name is made once per call
//! and then shared (as `json.loads` does too), and so are the values that
//! repeat from a small set (rule ids, categories, kinds, severities, roles,
//! messages and suggestions, which are the rules' own texts), instead of a
//! new string each time. Everything else (ids, phrases, `metadata`, which is
//! any JSON copied from the input) is read as `json.loads` reads it. A
//! record the reader does not take (a lone surrogate in an escape, a
//! literal it does not know) goes to `json.loads` itself, so the result is
//! always `json.loads`'s.

use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyFloat, PyList, PyString};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// A fast hash of short byte strings (FxHash's step, eight bytes at a time):
/// the tables hold field names and the rules' texts, not untrusted keys.
#[derive(Default)]
struct Fx(u64);

impl Hasher for Fx {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(c);
            self.add(u64::from_le_bytes(word));
        }
        for &b in chunks.remainder() {
            self.add(u64::from(b));
        }
    }

    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

impl Fx {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

type FastMap<V> = HashMap<Box<[u8]>, V, BuildHasherDefault<Fx>>;

/// Fields whose string values come from a small set, shared when they repeat.
const SHARED_VALUES: &[&[u8]] = &[
    b"rule",
    b"category",
    b"kind",
    b"severity",
    b"role",
    b"message",
    b"suggestion",
    b"file",
];

/// At most this many shared values are kept (the rules' texts are far
/// fewer; this bounds what an unexpected input could make it hold).
const MAX_SHARED: usize = 4096;

/// Deepest nesting the reader follows (deeper records go to `json.loads`).
const MAX_DEPTH: usize = 128;

/// Why a value could not be read: hand the record to `json.loads`, or a
/// Python error.
enum Stop {
    Fallback,
    Python(PyErr),
}

impl From<std::convert::Infallible> for Stop {
    fn from(e: std::convert::Infallible) -> Stop {
        match e {}
    }
}

impl From<PyErr> for Stop {
    fn from(e: PyErr) -> Stop {
        Stop::Python(e)
    }
}

/// Reads JSONL records into Python objects; keeps its shared strings across
/// calls.
pub struct Loader<'py> {
    py: Python<'py>,
    /// Field names, and whether the field's string values are shared.
    keys: FastMap<(Bound<'py, PyString>, bool)>,
    values: FastMap<Bound<'py, PyString>>,
    json_loads: Option<Bound<'py, PyAny>>,
}

impl<'py> Loader<'py> {
    /// A loader with nothing shared yet.
    pub fn new(py: Python<'py>) -> Loader<'py> {
        Loader {
            py,
            keys: FastMap::default(),
            values: FastMap::default(),
            json_loads: None,
        }
    }

    /// The records of `lines` (JSON values, each ending in a newline), in
    /// order, appended to `out`.
    ///
    /// Python's cyclic garbage collector is paused meanwhile: the new
    /// objects are trees (no cycles to find), and a pass over the growing
    /// result every few hundred objects costs as much as making them. It is
    /// resumed as it was before returning, even on an error, and nothing
    /// else runs in between (the GIL is held throughout).
    pub fn lines_into(&mut self, lines: &[u8], out: &Bound<'py, PyList>) -> PyResult<()> {
        let _paused = GcPause::new(self.py)?;
        for line in lines.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
            out.append(self.record(line)?)?;
        }
        Ok(())
    }

    /// The records of `lines` as a new list.
    pub fn lines(&mut self, lines: &[u8]) -> PyResult<Bound<'py, PyList>> {
        let out = PyList::empty(self.py);
        self.lines_into(lines, &out)?;
        Ok(out)
    }

    /// One JSON value (a record, or an array of findings).
    pub fn record(&mut self, json: &[u8]) -> PyResult<Bound<'py, PyAny>> {
        let mut reader = Reader { json, at: 0 };
        match self.value(&mut reader, false, 0) {
            Ok(v) if reader.rest_is_blank() => Ok(v),
            Ok(_) | Err(Stop::Fallback) => self.fallback(json),
            Err(Stop::Python(e)) => Err(e),
        }
    }

    fn fallback(&mut self, json: &[u8]) -> PyResult<Bound<'py, PyAny>> {
        let loads = match &self.json_loads {
            Some(f) => f.clone(),
            None => {
                let f = self.py.import("json")?.getattr("loads")?;
                self.json_loads = Some(f.clone());
                f
            }
        };
        loads.call1((PyBytes::new(self.py, json),))
    }

    fn value(
        &mut self,
        r: &mut Reader<'_>,
        shared: bool,
        depth: usize,
    ) -> Result<Bound<'py, PyAny>, Stop> {
        if depth > MAX_DEPTH {
            return Err(Stop::Fallback);
        }
        r.skip_blank();
        let py = self.py;
        match r.peek() {
            Some(b'{') => {
                r.at += 1;
                let dict = PyDict::new(py);
                r.skip_blank();
                if r.eat(b'}') {
                    return Ok(dict.into_any());
                }
                loop {
                    r.skip_blank();
                    let (key, shared) = self.key(r.string_raw()?)?;
                    r.skip_blank();
                    if !r.eat(b':') {
                        return Err(Stop::Fallback);
                    }
                    let value = self.value(r, shared, depth + 1)?;
                    dict.set_item(key, value)?;
                    r.skip_blank();
                    if r.eat(b',') {
                        continue;
                    }
                    if r.eat(b'}') {
                        return Ok(dict.into_any());
                    }
                    return Err(Stop::Fallback);
                }
            }
            Some(b'[') => {
                r.at += 1;
                let list = PyList::empty(py);
                r.skip_blank();
                if r.eat(b']') {
                    return Ok(list.into_any());
                }
                loop {
                    list.append(self.value(r, false, depth + 1)?)?;
                    r.skip_blank();
                    if r.eat(b',') {
                        continue;
                    }
                    if r.eat(b']') {
                        return Ok(list.into_any());
                    }
                    return Err(Stop::Fallback);
                }
            }
            Some(b'"') => {
                let raw = r.string_raw()?;
                if shared {
                    if let Some(s) = self.values.get(raw) {
                        return Ok(s.clone().into_any());
                    }
                }
                let s = string(py, raw)?;
                if shared && self.values.len() < MAX_SHARED {
                    self.values.insert(raw.into(), s.clone());
                }
                Ok(s.into_any())
            }
            Some(b't') if r.eat_word(b"true") => Ok(true.into_pyobject(py)?.to_owned().into_any()),
            Some(b'f') if r.eat_word(b"false") => {
                Ok(false.into_pyobject(py)?.to_owned().into_any())
            }
            Some(b'n') if r.eat_word(b"null") => Ok(py.None().into_bound(py)),
            Some(b'-' | b'0'..=b'9') => self.number(r),
            _ => Err(Stop::Fallback),
        }
    }

    fn number(&mut self, r: &mut Reader<'_>) -> Result<Bound<'py, PyAny>, Stop> {
        // JSON's grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
        let start = r.at;
        r.eat(b'-');
        match r.peek() {
            Some(b'0') => r.at += 1,
            Some(b'1'..=b'9') => {
                r.digits();
            }
            _ => return Err(Stop::Fallback),
        }
        let mut float = false;
        if r.eat(b'.') {
            float = true;
            if !r.digits() {
                return Err(Stop::Fallback);
            }
        }
        if r.eat(b'e') || r.eat(b'E') {
            float = true;
            if !r.eat(b'+') {
                r.eat(b'-');
            }
            if !r.digits() {
                return Err(Stop::Fallback);
            }
        }
        let text = std::str::from_utf8(&r.json[start..r.at]).map_err(|_| Stop::Fallback)?;
        if float {
            let v: f64 = text.parse().map_err(|_| Stop::Fallback)?;
            return Ok(PyFloat::new(self.py, v).into_any());
        }
        match text.parse::<i64>() {
            Ok(v) => Ok(v.into_pyobject(self.py)?.into_any()),
            // beyond 64 bits: Python's own int, as json.loads makes it
            Err(_) => Ok(self.py.get_type::<pyo3::types::PyInt>().call1((text,))?),
        }
    }

    fn key(&mut self, raw: &[u8]) -> Result<(Bound<'py, PyString>, bool), Stop> {
        if let Some((k, shared)) = self.keys.get(raw) {
            return Ok((k.clone(), *shared));
        }
        let k = string(self.py, raw)?;
        let shared = SHARED_VALUES.contains(&raw);
        if self.keys.len() < MAX_SHARED {
            self.keys.insert(raw.into(), (k.clone(), shared));
        }
        Ok((k, shared))
    }
}

/// Python's garbage collector paused while it lives (when it was enabled).
struct GcPause<'py> {
    gc: Option<Bound<'py, PyModule>>,
}

impl<'py> GcPause<'py> {
    fn new(py: Python<'py>) -> PyResult<GcPause<'py>> {
        let gc = py.import("gc")?;
        if gc.call_method0("isenabled")?.is_truthy()? {
            gc.call_method0("disable")?;
            return Ok(GcPause { gc: Some(gc) });
        }
        Ok(GcPause { gc: None })
    }
}

impl Drop for GcPause<'_> {
    fn drop(&mut self) {
        if let Some(gc) = &self.gc {
            // (gc.enable cannot fail; a Drop has nowhere to report it)
            let _ = gc.call_method0("enable");
        }
    }
}

/// A Python string from a JSON string's contents (between the quotes).
fn string<'py>(py: Python<'py>, raw: &[u8]) -> Result<Bound<'py, PyString>, Stop> {
    if !raw.contains(&b'\\') {
        let s = std::str::from_utf8(raw).map_err(|_| Stop::Fallback)?;
        return Ok(PyString::new(py, s));
    }
    // escapes: serde_json reads them as json.loads does, except a lone
    // surrogate, which it refuses (and json.loads then takes the record)
    let mut quoted = Vec::with_capacity(raw.len() + 2);
    quoted.push(b'"');
    quoted.extend_from_slice(raw);
    quoted.push(b'"');
    let s: String = serde_json::from_slice(&quoted).map_err(|_| Stop::Fallback)?;
    Ok(PyString::new(py, &s))
}

/// A cursor over one JSON text.
struct Reader<'a> {
    json: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn peek(&self) -> Option<u8> {
        self.json.get(self.at).copied()
    }

    fn eat(&mut self, b: u8) -> bool {
        if self.peek() == Some(b) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    fn eat_word(&mut self, word: &[u8]) -> bool {
        if self.json[self.at..].starts_with(word) {
            self.at += word.len();
            true
        } else {
            false
        }
    }

    /// Skips ASCII digits; whether there was one.
    fn digits(&mut self) -> bool {
        let start = self.at;
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.at += 1;
        }
        self.at > start
    }

    fn skip_blank(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    fn rest_is_blank(&mut self) -> bool {
        self.skip_blank();
        self.at == self.json.len()
    }

    /// A string's raw contents (escapes not read), after its opening quote.
    fn string_raw(&mut self) -> Result<&'a [u8], Stop> {
        if !self.eat(b'"') {
            return Err(Stop::Fallback);
        }
        let start = self.at;
        loop {
            let rest = &self.json[self.at..];
            // (a raw control character is not JSON: json.loads refuses it)
            let Some(i) = rest
                .iter()
                .position(|&b| b == b'"' || b == b'\\' || b < 0x20)
            else {
                return Err(Stop::Fallback);
            };
            if rest[i] < 0x20 {
                return Err(Stop::Fallback);
            }
            if rest[i] == b'"' {
                self.at += i + 1;
                return Ok(&self.json[start..self.at - 1]);
            }
            // a backslash: skip it and the character it escapes
            self.at += i + 2;
            if self.at > self.json.len() {
                return Err(Stop::Fallback);
            }
        }
    }
}
