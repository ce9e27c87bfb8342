//! Plain byte scans for the core's few string searches and number parses.
//!
//! `str::find`, `split`, `contains` with a string pattern and `str::parse` link core's two-way
//! searcher, char-boundary panics and radix parsing into the wasm (about 5 KB). The core's
//! needles are short ASCII constants and its haystacks are protocol lines, so a naive scan is
//! as fast here and a fraction of the size.

use crate::prelude::*;

/// Byte offset of the first `needle` in `hay` (0 for an empty needle).
pub fn find(hay: &str, needle: &str) -> Option<usize> {
    if needle.is_empty() {
        return Some(0);
    }
    hay.as_bytes()
        .windows(needle.len())
        .position(|w| w == needle.as_bytes())
}

/// Whether `needle` occurs in `hay`.
pub fn contains(hay: &str, needle: &str) -> bool {
    find(hay, needle).is_some()
}

/// `hay` split around the first `needle`.
pub fn split_once<'a>(hay: &'a str, needle: &str) -> Option<(&'a str, &'a str)> {
    let at = find(hay, needle)?;
    Some((hay.get(..at)?, hay.get(at + needle.len()..)?))
}

/// The pieces of `hay` between occurrences of `needle` (like `str::split`; `needle` must not
/// be empty).
pub fn split<'a>(hay: &'a str, needle: &'a str) -> impl Iterator<Item = &'a str> {
    let mut rest = Some(hay);
    core::iter::from_fn(move || {
        let r = rest?;
        match split_once(r, needle) {
            Some((piece, after)) if !needle.is_empty() => {
                rest = Some(after);
                Some(piece)
            }
            _ => {
                rest = None;
                Some(r)
            }
        }
    })
}

/// `bytes` as text; invalid UTF-8 (never seen from a real server) becomes U+FFFD per byte.
pub fn lossy(bytes: &[u8]) -> String {
    match core::str::from_utf8(bytes) {
        Ok(s) => s.into(),
        Err(_) => bytes
            .iter()
            .map(|&b| if b < 0x80 { char::from(b) } else { '\u{FFFD}' })
            .collect(),
    }
}

/// A run of 1 to 9 ASCII digits in base `radix` (10, or 16 for hex) as a number; anything else
/// (signs, spaces, other bytes, too many digits) is `None`.
pub fn parse_digits(digits: &[u8], radix: u32) -> Option<u32> {
    if digits.is_empty() || digits.len() > 9 {
        return None;
    }
    digits.iter().try_fold(0u32, |n, &b| {
        // By hand: `char::to_digit` carries a panic for radixes over 36.
        let d = match b {
            b'0'..=b'9' => b - b'0',
            b'a'..=b'f' if radix == 16 => b - b'a' + 10,
            b'A'..=b'F' if radix == 16 => b - b'A' + 10,
            _ => return None,
        };
        // Checked: nine hex digits overflow a u32.
        n.checked_mul(radix)?.checked_add(u32::from(d))
    })
}

/// A decimal `u64` (digits only); `None` for anything else (empty, a sign, overflow).
pub fn parse_u64(digits: &[u8]) -> Option<u64> {
    if digits.is_empty() {
        return None;
    }
    let mut n = 0u64;
    for d in digits {
        let d = d.wrapping_sub(b'0');
        if d > 9 {
            return None;
        }
        n = n.checked_mul(10)?.checked_add(u64::from(d))?;
    }
    Some(n)
}

/// `bytes[range]`, for ranges that lie within `bytes` by construction (the parser's offsets,
/// the input cursors): `get`, not indexing, which linked a panic path per use into the wasm
/// (an impossible range reads as empty).
pub fn part(bytes: &[u8], range: core::ops::Range<usize>) -> &[u8] {
    bytes.get(range).unwrap_or_default()
}

/// The parts one after another: `[a, b].concat()` without std's generic join, whose
/// overflow check linked a panic path (and 0.35 KB) into the wasm.
pub fn concat(parts: &[&str]) -> String {
    let mut out = String::with_capacity(parts.iter().map(|p| p.len()).sum());
    for part in parts {
        out.push_str(part);
    }
    out
}

/// `items` separated by `separator` (`join`, without std's generic join).
pub fn join(items: &[String], separator: &str) -> String {
    let mut out = String::new();
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(separator);
        }
        out.push_str(item);
    }
    out
}

/// Appends `s` in double quotes with `"`, `\`, CR, LF and tab escaped, and the other ASCII
/// control characters (DEL too) as `hex` and two hex digits: `\u00` in JSON strings, `\x`
/// in error messages. Byte by byte: every escaped character is ASCII, and a `chars()` loop
/// linked UTF-8 decoding and encoding into the wasm for nothing.
pub fn push_quoted(out: &mut Vec<u8>, s: &str, hex: &[u8]) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push(b'"');
    for &b in s.as_bytes() {
        let short = match b {
            b'"' => b'"',
            b'\\' => b'\\',
            b'\n' => b'n',
            b'\r' => b'r',
            b'\t' => b't',
            _ => 0,
        };
        if short != 0 {
            out.extend_from_slice(&[b'\\', short]);
        } else if b < 0x20 || b == 0x7f {
            out.extend_from_slice(hex);
            out.extend_from_slice(&[HEX[usize::from(b >> 4)], HEX[usize::from(b & 15)]]);
        } else {
            out.push(b);
        }
    }
    out.push(b'"');
}

#[cfg(test)]
mod tests {
    // On wasm32 the same tests run under wasm-bindgen-test (node), where the core ships.
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn find_matches_str_find() {
        for (hay, needle) in [
            ("abc", "b"),
            ("abc", "abc"),
            ("abc", "abcd"),
            ("", "a"),
            ("abc", ""),
            ("a://b://c", "://"),
            ("xx\r\nyy", "\r\n"),
            ("héllo wörld", "wö"),
            ("aaab", "aab"),
        ] {
            assert_eq!(find(hay, needle), hay.find(needle), "{hay:?} / {needle:?}");
            assert_eq!(contains(hay, needle), hay.contains(needle));
            assert_eq!(split_once(hay, needle), hay.split_once(needle));
        }
    }

    #[test]
    fn split_matches_str_split() {
        for (hay, needle) in [
            ("a\r\nb\r\n\r\nc", "\r\n"),
            ("", "\r\n"),
            ("\r\n", "\r\n"),
            ("no separator", "\r\n"),
            ("a.b..c.", "."),
        ] {
            let ours: Vec<&str> = split(hay, needle).collect();
            let std: Vec<&str> = hay.split(needle).collect();
            assert_eq!(ours, std, "{hay:?}");
        }
    }

    #[test]
    fn digits_in_both_radixes() {
        assert_eq!(parse_digits(b"0", 10), Some(0));
        assert_eq!(parse_digits(b"503", 10), Some(503));
        assert_eq!(parse_digits(b"123456789", 10), Some(123_456_789));
        assert_eq!(parse_digits(b"00e9", 16), Some(0xe9));
        assert_eq!(parse_digits(b"DC00", 16), Some(0xdc00));
        assert_eq!(parse_digits(b"fffffffff", 16), None);
        assert_eq!(parse_digits(b"0ffffffff", 16), Some(u32::MAX));
        for bad in [&b""[..], b"+1", b"-1", b" 1", b"1 ", b"1a", b"1234567890"] {
            assert_eq!(parse_digits(bad, 10), None, "{bad:?}");
        }
        assert_eq!(parse_digits(b"+abc", 16), None);
        assert_eq!(parse_digits(b"g", 16), None);
    }
}
