//! The build script's copy of the crate's feature hashes and weight reader
//! (`topics::word_hash`, `topics::pair_hash`, `topics::milli`), to write the
//! built-in models' blobs. (Copied, not shared: a module of its own moved
//! the crate's code between codegen units, and the worker's inlining with
//! it.) The tests hold each blob's model equal to what the crate's reader
//! makes of the text, so a copy that drifts fails them.

/// A number written with three decimals (`-1.250`), as the fitting script
/// writes every weight, read without the general float parser (the same
/// value: an integer below 2^24 divided by 1000, rounded once).
pub fn milli(v: &str) -> Option<f32> {
    let (neg, b) = match v.as_bytes() {
        [b'-', rest @ ..] => (true, rest),
        b => (false, b),
    };
    let dot = b.iter().position(|&c| c == b'.')?;
    let (int, frac) = (&b[..dot], &b[dot + 1..]);
    if int.is_empty() || int.len() > 4 || frac.len() != 3 {
        return None;
    }
    let mut n: u32 = 0;
    for &c in int.iter().chain(frac) {
        if !c.is_ascii_digit() {
            return None;
        }
        n = n * 10 + u32::from(c - b'0');
    }
    let x = n as f32 / 1000.0;
    Some(if neg { -x } else { x })
}

/// The hash of a word: its stem and ending read as one string of bytes.
/// A word of up to eight bytes (nearly all) is its bytes packed into a
/// `u64`, little-endian and zero-padded (as the tokenizer packs a token),
/// put through a bijective mix, so no two such words collide; a longer one
/// mixes its bytes eight at a time with its length. Odd, so never 0.
pub fn word_hash(stem: &str, end: &str) -> u64 {
    let (s, e) = (stem.as_bytes(), end.as_bytes());
    let n = s.len() + e.len();
    if n <= 8 {
        // (little-endian: the last byte shifted in first; a copy into an
        // array of eight was a call to `memcpy`)
        let packed = s
            .iter()
            .chain(e)
            .rev()
            .fold(0u64, |p, &b| p << 8 | u64::from(b));
        return packed_hash(packed);
    }
    let mut h = 0x243f_6a88_85a3_08d3 ^ n as u64;
    if e.is_empty() {
        // (the usual case, read a whole chunk at a time: the same chunks as
        // the byte loop below makes)
        let mut chunks = s.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            h = mix(h ^ u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            h = mix(h ^ rest.iter().rev().fold(0u64, |p, &b| p << 8 | u64::from(b)));
        }
        return h | 1;
    }
    let (mut chunk, mut k) = (0u64, 0);
    for &b in s.iter().chain(e) {
        chunk |= u64::from(b) << (8 * k);
        k += 1;
        if k == 8 {
            h = mix(h ^ chunk);
            (chunk, k) = (0, 0);
        }
    }
    if k > 0 {
        h = mix(h ^ chunk);
    }
    h | 1
}

/// [`word_hash`] of a word of up to eight bytes, packed.
#[inline]
pub fn packed_hash(packed: u64) -> u64 {
    mix(packed ^ 0x9e37_79b9_7f4a_7c15) | 1
}

/// A bijective mix of 64 bits (MurmurHash3's finalizer).
#[inline]
fn mix(mut k: u64) -> u64 {
    k ^= k >> 33;
    k = k.wrapping_mul(0xff51_afd7_ed55_8ccd);
    k ^= k >> 33;
    k = k.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    k ^ (k >> 33)
}

/// The hash of a word pair from its words' hashes.
pub fn pair_hash(a: u64, b: u64) -> u64 {
    (a.rotate_left(23) ^ b).wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1
}
