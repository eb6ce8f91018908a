//! UTF-16 input: a file that starts with a UTF-16 byte-order mark (as
//! spreadsheet "Unicode text" exports do) is decoded to UTF-8 as it is read,
//! so every reader sees UTF-8 with the same line breaks, hence the same
//! line numbers. What is not valid UTF-16 (an unpaired surrogate, an odd
//! last byte) becomes bytes that are not valid UTF-8, so the record holding
//! it is an error record, as invalid UTF-8 is in a UTF-8 file.

use std::io::{self, Read};

/// The byte order of a UTF-16 stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ByteOrder {
    /// `FF FE`: little-endian.
    Little,
    /// `FE FF`: big-endian.
    Big,
}

/// Reads the first bytes of `r`: whether it starts with a UTF-16 byte-order
/// mark, and a reader of the whole stream (decoded to UTF-8, without the
/// mark, when it does; unchanged otherwise).
pub(super) fn sniff(mut r: Box<dyn Read + Send>) -> (Box<dyn Read + Send>, Option<ByteOrder>) {
    let mut head = [0u8; 2];
    let mut n = 0;
    while n < 2 {
        match r.read(&mut head[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            // (left for the reader to meet again)
            Err(_) => break,
        }
    }
    let order = match head[..n] {
        [0xFF, 0xFE] => ByteOrder::Little,
        [0xFE, 0xFF] => ByteOrder::Big,
        _ => {
            let head = io::Cursor::new(head[..n].to_vec());
            return (Box::new(head.chain(r)), None);
        }
    };
    (Box::new(Utf16Reader::new(r, order)), Some(order))
}

/// Decodes `bytes` (after their byte-order mark) to UTF-8, as
/// [`Utf16Reader`] does.
pub(super) fn decode(bytes: &[u8], order: ByteOrder) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() * 3 / 2);
    let mut r = Utf16Reader::new(bytes, order);
    // (reading a slice cannot fail)
    let _ = r.read_to_end(&mut out);
    out
}

/// A reader that decodes a UTF-16 stream (its byte-order mark already read)
/// to UTF-8.
struct Utf16Reader<R> {
    inner: R,
    order: ByteOrder,
    /// Raw bytes read and not yet decoded (an odd byte waits for its pair).
    raw: Vec<u8>,
    raw_len: usize,
    /// Decoded bytes not yet returned.
    out: Vec<u8>,
    out_pos: usize,
    /// A high surrogate waiting for its low half.
    high: Option<u16>,
    eof: bool,
}

impl<R: Read> Utf16Reader<R> {
    fn new(inner: R, order: ByteOrder) -> Utf16Reader<R> {
        Utf16Reader {
            inner,
            order,
            raw: vec![0; 64 * 1024],
            raw_len: 0,
            out: Vec::with_capacity(96 * 1024),
            out_pos: 0,
            high: None,
            eof: false,
        }
    }

    /// An unpaired surrogate, as the three bytes UTF-8 would give it (which
    /// no UTF-8 decoder accepts).
    fn push_unpaired(out: &mut Vec<u8>, unit: u16) {
        out.extend_from_slice(&[
            0xED,
            0x80 | ((unit >> 6) & 0x3F) as u8,
            0x80 | (unit & 0x3F) as u8,
        ]);
    }

    fn push_char(out: &mut Vec<u8>, c: u32) {
        let c = char::from_u32(c).unwrap_or(char::REPLACEMENT_CHARACTER);
        let mut b = [0u8; 4];
        out.extend_from_slice(c.encode_utf8(&mut b).as_bytes());
    }

    /// Decodes the whole code units in `raw` into `out`.
    fn decode_units(&mut self) {
        let whole = self.raw_len / 2 * 2;
        for pair in self.raw[..whole].chunks_exact(2) {
            let unit = match self.order {
                ByteOrder::Little => u16::from_le_bytes([pair[0], pair[1]]),
                ByteOrder::Big => u16::from_be_bytes([pair[0], pair[1]]),
            };
            if let Some(high) = self.high.take() {
                if (0xDC00..0xE000).contains(&unit) {
                    let c =
                        0x10000 + ((u32::from(high) - 0xD800) << 10) + (u32::from(unit) - 0xDC00);
                    Self::push_char(&mut self.out, c);
                    continue;
                }
                Self::push_unpaired(&mut self.out, high);
            }
            match unit {
                0xD800..=0xDBFF => self.high = Some(unit),
                0xDC00..=0xDFFF => Self::push_unpaired(&mut self.out, unit),
                _ => Self::push_char(&mut self.out, u32::from(unit)),
            }
        }
        self.raw.copy_within(whole..self.raw_len, 0);
        self.raw_len -= whole;
    }
}

impl<R: Read> Read for Utf16Reader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            if self.out_pos < self.out.len() {
                let n = buf.len().min(self.out.len() - self.out_pos);
                buf[..n].copy_from_slice(&self.out[self.out_pos..self.out_pos + n]);
                self.out_pos += n;
                return Ok(n);
            }
            if self.eof {
                return Ok(0);
            }
            self.out.clear();
            self.out_pos = 0;
            let n = match self.inner.read(&mut self.raw[self.raw_len..]) {
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if n == 0 {
                self.eof = true;
                if let Some(high) = self.high.take() {
                    Self::push_unpaired(&mut self.out, high);
                }
                if self.raw_len > 0 {
                    // an odd last byte
                    self.out.push(0xFF);
                    self.raw_len = 0;
                }
                continue;
            }
            self.raw_len += n;
            self.decode_units();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16(s: &str, order: ByteOrder) -> Vec<u8> {
        let mut out = match order {
            ByteOrder::Little => vec![0xFF, 0xFE],
            ByteOrder::Big => vec![0xFE, 0xFF],
        };
        for u in s.encode_utf16() {
            out.extend_from_slice(&match order {
                ByteOrder::Little => u.to_le_bytes(),
                ByteOrder::Big => u.to_be_bytes(),
            });
        }
        out
    }

    /// What `sniff` gives for `bytes`, read one byte at a time.
    fn read_slowly(bytes: &[u8]) -> (Vec<u8>, Option<ByteOrder>) {
        struct Slow(Vec<u8>, usize);
        impl Read for Slow {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                if self.1 >= self.0.len() || buf.is_empty() {
                    return Ok(0);
                }
                buf[0] = self.0[self.1];
                self.1 += 1;
                Ok(1)
            }
        }
        let (mut r, order) = sniff(Box::new(Slow(bytes.to_vec(), 0)));
        let mut out = Vec::new();
        r.read_to_end(&mut out).unwrap();
        (out, order)
    }

    #[test]
    fn both_byte_orders_decode_to_the_same_utf8() {
        let text = "id,role,text\r\nA,agent,\"sorry 😡 שלום é\"\n";
        for order in [ByteOrder::Little, ByteOrder::Big] {
            let bytes = utf16(text, order);
            assert_eq!(read_slowly(&bytes), (text.as_bytes().to_vec(), Some(order)));
            assert_eq!(decode(&bytes[2..], order), text.as_bytes());
        }
        // no byte-order mark: unchanged
        assert_eq!(read_slowly(b"ab\xff"), (b"ab\xff".to_vec(), None));
        assert_eq!(read_slowly(b"a"), (b"a".to_vec(), None));
        assert_eq!(read_slowly(b""), (Vec::new(), None));
    }

    #[test]
    fn what_is_not_utf16_becomes_invalid_utf8() {
        // an unpaired high surrogate, an unpaired low one, an odd last byte
        let mut bytes = vec![
            0xFF, 0xFE, b'a', 0, 0x00, 0xD8, b'b', 0, 0x00, 0xDC, b'c', 0,
        ];
        let (out, _) = read_slowly(&bytes);
        assert!(std::str::from_utf8(&out).is_err());
        let lossy = String::from_utf8_lossy(&out);
        assert!(lossy.starts_with('a') && lossy.contains('b') && lossy.ends_with('c'));
        bytes.push(b'd');
        let (out, _) = read_slowly(&bytes);
        assert_eq!(out.last(), Some(&0xFF));
    }
}
