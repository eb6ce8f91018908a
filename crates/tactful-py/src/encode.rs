//! Input dicts as JSON text, written in Rust: what
//! `json.dumps(record, ensure_ascii=False, separators=(",", ":"))` writes,
//! for the values a transcript holds (dicts with `str` keys, lists, tuples,
//! `str`, `int`, `float`, `bool`, `None`). Anything else (another type, a
//! subclass, a non-finite float, a non-`str` key, a string that is not
//! valid Unicode, very deep nesting) is left to `json.dumps` itself, so
//! the result, or the error raised, is always `json.dumps`'s. The text is
//! then read by the CLI's own reader, like a JSONL line.

use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};

/// Deepest nesting written here (deeper goes to `json.dumps`).
const MAX_DEPTH: usize = 64;

/// Writes `value` as JSON to `out`; `false` when `json.dumps` must do it
/// (`out` is then left partly written: the caller discards it).
pub fn write(value: &Bound<'_, PyAny>, out: &mut Vec<u8>) -> PyResult<bool> {
    out.reserve(1024);
    write_value(value, out, 0)
}

fn write_value(value: &Bound<'_, PyAny>, out: &mut Vec<u8>, depth: usize) -> PyResult<bool> {
    if depth > MAX_DEPTH {
        return Ok(false);
    }
    if let Ok(s) = value.downcast_exact::<PyString>() {
        return Ok(write_str(s, out));
    }
    if value.is_none() {
        out.extend_from_slice(b"null");
        return Ok(true);
    }
    if let Ok(b) = value.downcast_exact::<PyBool>() {
        out.extend_from_slice(if b.is_true() { b"true" } else { b"false" });
        return Ok(true);
    }
    if let Ok(i) = value.downcast_exact::<PyInt>() {
        match i.extract::<i64>() {
            Ok(v) => out.extend_from_slice(v.to_string().as_bytes()),
            // beyond 64 bits: int's own decimal digits, as json.dumps writes
            Err(_) => out.extend_from_slice(i.repr()?.to_cow()?.as_bytes()),
        }
        return Ok(true);
    }
    if let Ok(f) = value.downcast_exact::<PyFloat>() {
        if !f.value().is_finite() {
            return Ok(false);
        }
        // float's repr, as json.dumps writes it (metadata is copied to the
        // output as written, so 1e+20 must stay 1e+20, not become an int)
        out.extend_from_slice(f.repr()?.to_cow()?.as_bytes());
        return Ok(true);
    }
    if let Ok(d) = value.downcast_exact::<PyDict>() {
        out.push(b'{');
        for (i, (k, v)) in d.iter().enumerate() {
            let Ok(k) = k.downcast_exact::<PyString>() else {
                return Ok(false);
            };
            if i > 0 {
                out.push(b',');
            }
            if !write_str(k, out) {
                return Ok(false);
            }
            out.push(b':');
            if !write_value(&v, out, depth + 1)? {
                return Ok(false);
            }
        }
        out.push(b'}');
        return Ok(true);
    }
    if let Ok(l) = value.downcast_exact::<PyList>() {
        return write_items(l.iter(), out, depth);
    }
    if let Ok(t) = value.downcast_exact::<PyTuple>() {
        return write_items(t.iter(), out, depth);
    }
    Ok(false)
}

fn write_items<'py>(
    items: impl Iterator<Item = Bound<'py, PyAny>>,
    out: &mut Vec<u8>,
    depth: usize,
) -> PyResult<bool> {
    out.push(b'[');
    for (i, v) in items.enumerate() {
        if i > 0 {
            out.push(b',');
        }
        if !write_value(&v, out, depth + 1)? {
            return Ok(false);
        }
    }
    out.push(b']');
    Ok(true)
}

/// A string, escaped as `json.dumps(ensure_ascii=False)` escapes it (the
/// same characters, and `serde_json` reads both the same); `false` for a
/// string that is not valid Unicode (a lone surrogate).
fn write_str(s: &Bound<'_, PyString>, out: &mut Vec<u8>) -> bool {
    // (UTF-8 bytes made by Python: one copy, where `to_cow` makes two under
    // the 3.9 stable ABI)
    let Ok(utf8) = s.encode_utf8() else {
        return false;
    };
    let bytes = utf8.as_bytes();
    let plain = !bytes.iter().any(|&b| b < 0x20 || b == b'"' || b == b'\\');
    if plain {
        out.push(b'"');
        out.extend_from_slice(bytes);
        out.push(b'"');
        true
    } else {
        match std::str::from_utf8(bytes) {
            Ok(text) => serde_json::to_writer(&mut *out, text).is_ok(),
            Err(_) => false,
        }
    }
}
