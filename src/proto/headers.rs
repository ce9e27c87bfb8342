//! NATS message headers: the `NATS/1.0[ code[ description]]` status line and `Key: Value` lines.
//!
//! The core needs headers for two jobs: reading the status code of incoming messages (503 no
//! responders now; 100/404/408/409 for JetStream later) and checking that an outgoing header
//! block is well formed before it is written, so a CR/LF in a key or value can never inject
//! protocol text.

use super::error::{quoted, Error, ErrorCode};
use super::text;
use crate::prelude::*;

/// The version line every header block starts with.
pub const VERSION_LINE: &str = "NATS/1.0";

/// Status codes with a meaning for the client.
pub mod status {
    /// Idle heartbeat or flow control (JetStream).
    pub const CONTROL: u16 = 100;
    /// JetStream: no messages.
    pub const NOT_FOUND: u16 = 404;
    /// JetStream: request timeout.
    pub const REQUEST_TIMEOUT: u16 = 408;
    /// JetStream: conflict (max ack pending, consumer deleted...).
    pub const CONFLICT: u16 = 409;
    /// No responders for a request.
    pub const NO_RESPONDERS: u16 = 503;
}

fn bad_header(why: String) -> Error {
    Error::new(ErrorCode::BadHeader, why)
}

/// A key is printable ASCII (33-126) without ':'.
pub fn validate_key(key: &str) -> Result<(), Error> {
    if key.is_empty() || !key.bytes().all(|b| (33..=126).contains(&b) && b != b':') {
        return Err(bad_header(text::concat(&[
            "invalid header key ",
            &quoted(key),
            ": use printable ASCII without ':' or spaces",
        ])));
    }
    Ok(())
}

/// A value may hold anything but CR and LF.
pub fn validate_value(value: &str) -> Result<(), Error> {
    if value.bytes().any(|b| b == b'\r' || b == b'\n') {
        return Err(bad_header(text::concat(&[
            "invalid header value ",
            &quoted(value),
            ": CR and LF are not allowed",
        ])));
    }
    Ok(())
}

/// Reads only the status code of a header block: the hot path for every `HMSG`.
pub fn status_code(block: &[u8]) -> u16 {
    let Some(rest) = block.strip_prefix(VERSION_LINE.as_bytes()) else {
        return 0;
    };
    let rest = match rest.first() {
        Some(b' ') | Some(b'\t') => rest.get(1..).unwrap_or_default(),
        _ => return 0,
    };
    let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
    if digits != 3 {
        return 0;
    }
    rest.get(..3)
        .unwrap_or_default()
        .iter()
        .fold(0u16, |acc, &b| acc * 10 + u16::from(b - b'0'))
}

/// The description after the status code of a received header block (`"Request
/// Timeout"` in `NATS/1.0 408 Request Timeout`), trimmed; empty when there is none.
pub fn status_description(block: &[u8]) -> &[u8] {
    let line = block.split(|b| *b == b'\r').next().unwrap_or_default();
    // "NATS/1.0 408" is 12 bytes; what follows is the description.
    line.get(VERSION_LINE.len() + 4..)
        .unwrap_or_default()
        .trim_ascii()
}

/// The value of the header that `line` starts in `block` (`"\nNats-Pending-Messages:"`: the
/// key spelled as servers spell it, between the line break before it and its colon),
/// trimmed: the status headers the core reads. `block` is the header block as text.
#[inline(never)]
pub fn value<'a>(block: &'a str, line: &str) -> Option<&'a [u8]> {
    let (_, rest) = text::split_once(block, line)?;
    let (value, _) = text::split_once(rest, "\r").unwrap_or((rest, ""));
    Some(value.trim_ascii().as_bytes())
}

/// Checks a header block about to be published: well formed, and no key or value can inject
/// protocol text. The glue builds the block (its `MsgHdrsImpl` is the nats.ws data model);
/// the core checks what reaches the wire whoever built it.
pub fn validate(block: &[u8]) -> Result<(), Error> {
    walk(block).map(|_| ())
}

/// Validates `block`; returns the status code (0 when none) and its description.
fn walk(block: &[u8]) -> Result<(u16, &str), Error> {
    let text = core::str::from_utf8(block)
        .map_err(|_| bad_header("header block is not valid UTF-8".into()))?;
    let body = text
        .strip_suffix("\r\n\r\n")
        .ok_or_else(|| bad_header("header block must end with an empty line".into()))?;
    let mut lines = text::split(body, "\r\n");
    let first = lines.next().unwrap_or_default();
    let status = first.strip_prefix(VERSION_LINE).ok_or_else(|| {
        bad_header(text::concat(&[
            "header block must start with ",
            VERSION_LINE,
        ]))
    })?;
    let mut status_line = (0, "");
    // Checked before trimming: `trim_ascii` would take a bare CR off its ends (found by
    // fuzzing).
    validate_value(status)?;
    let status = status.trim_ascii();
    if !status.is_empty() {
        let (code, description) = text::split_once(status, " ").unwrap_or((status, ""));
        let code = text::parse_digits(code.as_bytes(), 10)
            .filter(|c| (100..1000).contains(c))
            .ok_or_else(|| bad_header(text::concat(&["bad status code ", &quoted(code)])))?;
        let description = description.trim_ascii();
        validate_value(description)?;
        status_line = (code as u16, description);
    }
    for line in lines {
        let (key, value) = text::split_once(line, ":").ok_or_else(|| {
            bad_header(text::concat(&[
                "header line ",
                &quoted(line),
                " has no ':'",
            ]))
        })?;
        validate_key(key)?;
        validate_value(value)?;
    }
    Ok(status_line)
}

#[cfg(test)]
mod tests {
    // Test code only (this module is compiled under cfg(test)): an unwrap or expect here is
    // an assertion; none runs in the shipped wasm or can be reached from network or user input.
    // On wasm32 the same tests run under wasm-bindgen-test (node), where the core ships.
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn status_lines() {
        let cases: &[(&[u8], u16, &str)] = &[
            (b"NATS/1.0 503\r\n\r\n", 503, ""),
            (
                b"NATS/1.0 408 Request Timeout\r\n\r\n",
                408,
                "Request Timeout",
            ),
            (
                b"NATS/1.0 100 Idle Heartbeat\r\nNats-Last-Consumer: 1\r\n\r\n",
                100,
                "Idle Heartbeat",
            ),
            (b"NATS/1.0\r\nA: b\r\n\r\n", 0, ""),
        ];
        for (block, code, description) in cases {
            assert_eq!(status_code(block), *code);
            assert_eq!(walk(block).unwrap(), (*code, *description));
        }
        assert_eq!(status_code(b"NATS/1.0 5031\r\n\r\n"), 0);
        for (block, _, description) in cases {
            assert_eq!(status_description(block), description.as_bytes());
        }
        assert_eq!(status_description(b"NATS/1.0 408\r\nbroken\r\n\r\n"), b"");
        assert_eq!(status_description(b"NATS/1.0 4"), b"");
        assert_eq!(status_code(b"HTTP/1.0 503\r\n\r\n"), 0);
    }

    #[test]
    fn values_by_key() {
        let block = "NATS/1.0 408 Request Timeout\r\nNats-Pending-Messages: 7\r\nNats-Pending-Bytes:12 \r\n\r\n";
        assert_eq!(value(block, "\nNats-Pending-Messages:"), Some(&b"7"[..]));
        assert_eq!(value(block, "\nNats-Pending-Bytes:"), Some(&b"12"[..]));
        assert_eq!(value(block, "\nNATS/1.0 408 Request Timeout:"), None);
        assert_eq!(value(block, "\nMissing:"), None);
        assert_eq!(value("", "\na:"), None);
    }

    #[test]
    fn injection_is_refused() {
        for key in ["", "a b", "a:b", "a\r\nPUB x 1", "é"] {
            assert_eq!(validate_key(key).unwrap_err().code, ErrorCode::BadHeader);
        }
        for value in ["a\r\nPUB x 1\r\n", "a\n", "\r"] {
            assert_eq!(
                validate_value(value).unwrap_err().code,
                ErrorCode::BadHeader
            );
        }
        let block = b"NATS/1.0\r\nk: v\r\n\r\nPUB evil 0\r\n\r\n";
        assert_eq!(validate(block).unwrap_err().code, ErrorCode::BadHeader);
        assert!(validate(b"NATS/1.0\r\nMy-Key:   spaced value  \r\nk: \r\n\r\n").is_ok());
    }

    #[test]
    fn malformed_blocks_are_errors() {
        for block in [
            &b"NATS/1.0\r\n"[..],
            b"NATS/2.0\r\n\r\n",
            b"NATS/1.0\r\nnocolon\r\n\r\n",
            b"NATS/1.0 abc\r\n\r\n",
            b"NATS/1.0\r\nk: v\r\nPUB x 1\r\n\r\n",
            b"\xff\r\n\r\n",
            // A bare CR in the status line (found by fuzzing), inside it or at its edge.
            b"NATS/1.0 101 Idle : w\rumer0: 0\r\n\r\n",
            b"NATS/1.0 100 \t\r00 I\r\nK: w\r\n\r\n",
        ] {
            assert_eq!(
                validate(block).unwrap_err().code,
                ErrorCode::BadHeader,
                "{block:?}"
            );
        }
    }
}
