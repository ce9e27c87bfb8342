//! Parser for the operations a NATS server sends.
//!
//! Stateless and zero-copy, in the style of httparse: [`parse`] looks at the front of a buffer
//! and returns either one complete operation and how many bytes it used, [`Status::Partial`]
//! when more bytes are needed, or an error for input no server would send. Because a WebSocket
//! frame can end anywhere, the caller keeps unconsumed bytes and calls again when more arrive.
//! Limits are enforced from the control line alone, before any payload is buffered.

use core::ops::Range;

use super::error::decimal;
use super::text::{self, part};
use crate::prelude::*;

/// Result of parsing the front of a buffer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status<T> {
    /// A complete operation and the number of bytes it took.
    Complete(T, usize),
    /// The buffer holds the start of an operation; call again with more bytes.
    Partial,
}

/// One operation from the server. Ranges index into the buffer given to [`parse`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ServerOp {
    /// `INFO {json}`: the range covers the JSON text.
    Info(Range<usize>),
    /// `MSG` or `HMSG`.
    Msg(MsgOp),
    /// `PING`: the server checks we are alive.
    Ping,
    /// `PONG`: the answer to one of our `PING`s.
    Pong,
    /// `+OK`: only sent in verbose mode.
    Ok,
    /// `-ERR 'text'`: the range covers the text as the server sent it, quotes included
    /// (nats.ws reports it so in `err.message`).
    Err(Range<usize>),
}

/// The parts of a `MSG`/`HMSG`, as ranges into the parsed buffer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MsgOp {
    /// Subscription id the server routes this message by.
    pub sid: u64,
    /// The subject it was published to.
    pub subject: Range<usize>,
    /// The reply subject, if the publisher set one.
    pub reply: Option<Range<usize>>,
    /// The header block (`NATS/1.0...\r\n\r\n`), for `HMSG` only.
    pub headers: Option<Range<usize>>,
    /// The payload bytes.
    pub payload: Range<usize>,
}

/// Why the server's bytes cannot be parsed. Any of these ends the connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParseError {
    /// No line end within the control-line limit.
    ControlLineTooLong(usize),
    /// The operation name is not one a server sends.
    UnknownOp,
    /// Wrong number of arguments, or an argument that is not a number where one must be.
    BadArguments(&'static str),
    /// A declared payload larger than `max_payload`.
    PayloadTooLarge {
        /// Bytes the server declared.
        declared: u64,
        /// The limit in force.
        max: usize,
    },
    /// The payload was not followed by CRLF.
    MissingPayloadTerminator,
}

impl ParseError {
    /// What went wrong, for the error users see (built without `fmt`, which the wasm omits).
    pub fn message(&self) -> String {
        match self {
            ParseError::ControlLineTooLong(max) => text::concat(&[
                "protocol error: control line longer than ",
                &decimal(*max as u64),
                " bytes",
            ]),
            ParseError::UnknownOp => "protocol error: unknown operation from server".into(),
            ParseError::BadArguments(what) => {
                text::concat(&["protocol error: bad arguments in ", what])
            }
            ParseError::PayloadTooLarge { declared, max } => text::concat(&[
                "protocol error: server declared a ",
                &decimal(*declared),
                " byte message, over the ",
                &decimal(*max as u64),
                " byte max_payload",
            ]),
            ParseError::MissingPayloadTerminator => {
                "protocol error: message payload not followed by CRLF".into()
            }
        }
    }
}

impl core::fmt::Display for ParseError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&self.message())
    }
}

/// Bounds applied while parsing; both protect memory from a broken or hostile server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Longest control line (op name and arguments) accepted, `INFO` excepted.
    pub max_control_line: usize,
    /// Longest `INFO` line accepted: a big cluster's `connect_urls` can exceed the control limit
    /// (256 KiB by default: dozens of times what a large cluster sends).
    pub max_info_line: usize,
    /// Largest header + payload size accepted in one message.
    pub max_payload: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_control_line: 4096,
            max_info_line: 256 << 10,
            max_payload: 1 << 20,
        }
    }
}

/// Parses one operation from the front of `buf`.
pub fn parse(buf: &[u8], limits: &Limits) -> Result<Status<ServerOp>, ParseError> {
    let Some(line_end) = find_line_end(buf, limits)? else {
        return Ok(Status::Partial);
    };
    // `line_end` indexes the '\n'; a preceding '\r' is not part of the line.
    let line_stop = if line_end > 0 && buf[line_end - 1] == b'\r' {
        line_end - 1
    } else {
        line_end
    };
    let after_line = line_end + 1;
    let line = part(buf, 0..line_stop);
    let name_end = line.iter().position(|&b| is_space(b)).unwrap_or(line.len());
    let name = &line[..name_end];
    let args = Args::new(line, name_end);

    let op = if name.eq_ignore_ascii_case(b"MSG") {
        return parse_msg(buf, args, after_line, false, limits);
    } else if name.eq_ignore_ascii_case(b"HMSG") {
        return parse_msg(buf, args, after_line, true, limits);
    } else if name.eq_ignore_ascii_case(b"PING") {
        ServerOp::Ping
    } else if name.eq_ignore_ascii_case(b"PONG") {
        ServerOp::Pong
    } else if name.eq_ignore_ascii_case(b"+OK") {
        ServerOp::Ok
    } else if name.eq_ignore_ascii_case(b"INFO") {
        ServerOp::Info(args.rest())
    } else if name.eq_ignore_ascii_case(b"-ERR") {
        ServerOp::Err(args.rest())
    } else {
        return Err(ParseError::UnknownOp);
    };
    Ok(Status::Complete(op, after_line))
}

/// Finds the '\n' that ends the control line, enforcing the line limits.
fn find_line_end(buf: &[u8], limits: &Limits) -> Result<Option<usize>, ParseError> {
    let is_info = buf.len() >= 4 && buf[..4].eq_ignore_ascii_case(b"INFO");
    let max = if is_info {
        limits.max_info_line
    } else {
        limits.max_control_line
    };
    // The limit counts the line without its CRLF.
    let window = &buf[..buf.len().min(max + 2)];
    match window.iter().position(|&b| b == b'\n') {
        Some(i) if i <= max + usize::from(i > 0 && window[i - 1] == b'\r') => Ok(Some(i)),
        Some(_) => Err(ParseError::ControlLineTooLong(max)),
        None if buf.len() > max + 1 => Err(ParseError::ControlLineTooLong(max)),
        None => Ok(None),
    }
}

fn is_space(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

/// Splits a control line's arguments on runs of spaces and tabs, yielding ranges.
struct Args<'a> {
    line: &'a [u8],
    pos: usize,
}

impl<'a> Args<'a> {
    fn new(line: &'a [u8], pos: usize) -> Self {
        Args { line, pos }
    }

    /// Everything after the op name with surrounding whitespace trimmed.
    fn rest(&self) -> Range<usize> {
        let mut start = self.pos;
        let mut end = self.line.len();
        while start < end && is_space(self.line[start]) {
            start += 1;
        }
        while end > start && self.line.get(end - 1).is_some_and(|&b| is_space(b)) {
            end -= 1;
        }
        start..end
    }
}

impl Iterator for Args<'_> {
    type Item = Range<usize>;

    fn next(&mut self) -> Option<Range<usize>> {
        while self.pos < self.line.len() && is_space(self.line[self.pos]) {
            self.pos += 1;
        }
        if self.pos == self.line.len() {
            return None;
        }
        let start = self.pos;
        while self.pos < self.line.len() && !is_space(self.line[self.pos]) {
            self.pos += 1;
        }
        Some(start..self.pos)
    }
}

/// Parses an unsigned decimal with no sign, no spaces and no overflow.
fn parse_u64(digits: &[u8]) -> Option<u64> {
    if digits.is_empty() || digits.len() > 19 {
        return None;
    }
    digits.iter().try_fold(0u64, |acc, &b| {
        b.is_ascii_digit().then(|| acc * 10 + u64::from(b - b'0'))
    })
}

fn parse_msg(
    buf: &[u8],
    args: Args<'_>,
    after_line: usize,
    with_headers: bool,
    limits: &Limits,
) -> Result<Status<ServerOp>, ParseError> {
    let what = if with_headers { "HMSG" } else { "MSG" };
    let line = args.line;
    let mut parts: [Range<usize>; 5] = Default::default();
    let mut n = 0;
    for part in args {
        if n == parts.len() {
            return Err(ParseError::BadArguments(what));
        }
        parts[n] = part;
        n += 1;
    }
    let (reply, counts) = match (with_headers, n) {
        (false, 3) => (None, &parts[2..3]),
        (false, 4) => (Some(parts[2].clone()), &parts[3..4]),
        (true, 4) => (None, &parts[2..4]),
        (true, 5) => (Some(parts[2].clone()), &parts[3..5]),
        _ => return Err(ParseError::BadArguments(what)),
    };
    let number =
        |r: &Range<usize>| parse_u64(part(line, r.clone())).ok_or(ParseError::BadArguments(what));
    let sid = number(&parts[1])?;
    let total = number(&counts[counts.len() - 1])?;
    let header_len = if with_headers { number(&counts[0])? } else { 0 };
    if header_len > total {
        return Err(ParseError::BadArguments(what));
    }
    if total > limits.max_payload as u64 {
        return Err(ParseError::PayloadTooLarge {
            declared: total,
            max: limits.max_payload,
        });
    }
    // Both fit in usize: total <= max_payload.
    let total = total as usize;
    let header_len = header_len as usize;
    let end = after_line + total;
    if buf.len() < end + 2 {
        return Ok(Status::Partial);
    }
    if buf.get(end..end + 2) != Some(b"\r\n".as_slice()) {
        return Err(ParseError::MissingPayloadTerminator);
    }
    let headers = with_headers.then(|| after_line..after_line + header_len);
    let op = MsgOp {
        sid,
        subject: parts[0].clone(),
        reply,
        headers,
        payload: after_line + header_len..end,
    };
    Ok(Status::Complete(ServerOp::Msg(op), end + 2))
}

#[cfg(test)]
mod tests {
    // Test code only (this module is compiled under cfg(test)): an unwrap or expect here is
    // an assertion; none runs in the shipped wasm or can be reached from network or user input.
    // On wasm32 the same tests run under wasm-bindgen-test (node), where the core ships.
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn one(input: &[u8]) -> (ServerOp, usize) {
        match parse(input, &Limits::default()) {
            Ok(Status::Complete(op, n)) => (op, n),
            other => panic!("expected a complete op from {input:?}, got {other:?}"),
        }
    }

    /// Parses a whole stream into owned, comparable ops.
    fn parse_all(input: &[u8]) -> Vec<String> {
        let mut out = Vec::new();
        let mut at = 0;
        loop {
            match parse(&input[at..], &Limits::default()).expect("valid stream") {
                Status::Complete(op, n) => {
                    out.push(describe(&input[at..], &op));
                    at += n;
                }
                Status::Partial => return out,
            }
        }
    }

    fn describe(buf: &[u8], op: &ServerOp) -> String {
        let s = |r: &Range<usize>| String::from_utf8_lossy(&buf[r.clone()]).into_owned();
        match op {
            ServerOp::Info(r) => format!("INFO {}", s(r)),
            ServerOp::Err(r) => format!("ERR {}", s(r)),
            ServerOp::Ping => "PING".into(),
            ServerOp::Pong => "PONG".into(),
            ServerOp::Ok => "OK".into(),
            ServerOp::Msg(m) => format!(
                "MSG {} {} {:?} {:?} {}",
                s(&m.subject),
                m.sid,
                m.reply.as_ref().map(s),
                m.headers.as_ref().map(s),
                s(&m.payload)
            ),
        }
    }

    #[test]
    fn table_of_every_op() {
        let cases: &[(&[u8], &str)] = &[
            (b"PING\r\n", "PING"),
            (b"ping\r\n", "PING"),
            (b"PONG\r\n", "PONG"),
            (b"PoNg\r\n", "PONG"),
            (b"+OK\r\n", "OK"),
            (b"+ok\r\n", "OK"),
            (b"INFO {\"a\":1}\r\n", "INFO {\"a\":1}"),
            (b"info\t {}  \r\n", "INFO {}"),
            (
                b"-ERR 'Authorization Violation'\r\n",
                "ERR 'Authorization Violation'",
            ),
            (b"-err 'x y'\r\n", "ERR 'x y'"),
            (b"-ERR unquoted\r\n", "ERR unquoted"),
            (b"MSG foo 1 5\r\nhello\r\n", "MSG foo 1 None None hello"),
            (b"msg foo 1 0\r\n\r\n", "MSG foo 1 None None "),
            (
                b"MSG foo 12 bar 2\r\nhi\r\n",
                "MSG foo 12 Some(\"bar\") None hi",
            ),
            (b"MSG\tfoo\t\t1  3\r\nabc\r\n", "MSG foo 1 None None abc"),
            (b"HMSG foo 2 12 14\r\nNATS/1.0\r\n\r\nhi\r\n", "HMSG"),
            (
                b"HMSG foo 2 r 12 12\r\nNATS/1.0\r\n\r\n\r\n",
                "MSG foo 2 Some(\"r\") Some(\"NATS/1.0\\r\\n\\r\\n\") ",
            ),
            (b"PING\n", "PING"),
        ];
        for (input, want) in cases {
            let (op, n) = one(input);
            assert_eq!(n, input.len(), "{input:?}");
            let got = describe(input, &op);
            if *want == "HMSG" {
                assert_eq!(got, "MSG foo 2 None Some(\"NATS/1.0\\r\\n\\r\\n\") hi");
            } else {
                assert_eq!(got, *want, "{input:?}");
            }
        }
    }

    #[test]
    fn payload_may_contain_crlf_and_binary() {
        let input = b"MSG a 1 6\r\n\r\n\x00\xff\r\n\r\n";
        let (op, n) = one(input);
        assert_eq!(n, input.len());
        let ServerOp::Msg(m) = op else { panic!() };
        assert_eq!(&input[m.payload], b"\r\n\x00\xff\r\n");
    }

    #[test]
    fn errors_for_input_no_server_sends() {
        let limits = Limits::default();
        let cases: &[(&[u8], ParseError)] = &[
            (b"FOO\r\n", ParseError::UnknownOp),
            (b"MSG a 1\r\n", ParseError::BadArguments("MSG")),
            (b"MSG a 1 b c 5\r\n", ParseError::BadArguments("MSG")),
            (b"MSG a x 5\r\n", ParseError::BadArguments("MSG")),
            (b"MSG a 1 -5\r\n", ParseError::BadArguments("MSG")),
            (b"MSG a 1 5x\r\n", ParseError::BadArguments("MSG")),
            (
                b"MSG a 1 99999999999999999999999\r\n",
                ParseError::BadArguments("MSG"),
            ),
            (b"HMSG a 1 10 5\r\n", ParseError::BadArguments("HMSG")),
            (b"HMSG a 1 5\r\n", ParseError::BadArguments("HMSG")),
            (b"MSG a 1 2\r\nhiXX", ParseError::MissingPayloadTerminator),
            (
                b"MSG a 1 1099511627776\r\n",
                ParseError::PayloadTooLarge {
                    declared: 1 << 40,
                    max: 1 << 20,
                },
            ),
        ];
        for (input, want) in cases {
            assert_eq!(parse(input, &limits).unwrap_err(), *want, "{input:?}");
        }
    }

    #[test]
    fn control_line_limit() {
        let limits = Limits {
            max_control_line: 16,
            max_info_line: 32,
            max_payload: 100,
        };
        // Exactly at the limit is fine, one more byte is not.
        let ok = format!("-ERR '{}'\r\n", "x".repeat(9));
        assert_eq!(ok.len() - 2, 16);
        assert!(matches!(
            parse(ok.as_bytes(), &limits),
            Ok(Status::Complete(..))
        ));
        let long = format!("-ERR '{}'\r\n", "x".repeat(10));
        assert_eq!(
            parse(long.as_bytes(), &limits),
            Err(ParseError::ControlLineTooLong(16))
        );
        // Without any line end, the error comes as soon as the limit is passed.
        assert_eq!(parse(&[b'x'; 17], &limits), Ok(Status::Partial));
        assert_eq!(
            parse(&[b'x'; 18], &limits),
            Err(ParseError::ControlLineTooLong(16))
        );
        // INFO has its own, larger limit.
        let info = format!("INFO {}\r\n", "y".repeat(20));
        assert!(matches!(
            parse(info.as_bytes(), &limits),
            Ok(Status::Complete(..))
        ));
        let info = format!("INFO {}", "y".repeat(40));
        assert_eq!(
            parse(info.as_bytes(), &limits),
            Err(ParseError::ControlLineTooLong(32))
        );
    }

    #[test]
    fn payload_limit_is_checked_before_buffering() {
        let limits = Limits {
            max_payload: 10,
            ..Limits::default()
        };
        // Only the control line is here: the error comes without waiting for the payload.
        assert_eq!(
            parse(b"MSG a 1 11\r\n", &limits),
            Err(ParseError::PayloadTooLarge {
                declared: 11,
                max: 10
            })
        );
        assert_eq!(parse(b"MSG a 1 10\r\n", &limits), Ok(Status::Partial));
    }

    const STREAM: &[u8] = b"INFO {\"server_id\":\"x\",\"max_payload\":1048576}\r\n\
        PING\r\n\
        MSG foo.bar 1 5\r\nhello\r\n\
        HMSG _INBOX.a.b 2 reply.x 22 24\r\nNATS/1.0 503\r\nA: b\r\n\r\nok\r\n\
        +OK\r\n\
        MSG x 3 0\r\n\r\n\
        -ERR 'Permissions Violation for Publish to \"x\"'\r\n\
        PONG\r\n";

    #[test]
    fn every_split_of_a_mixed_stream_parses_the_same() {
        let whole = parse_all(STREAM);
        assert_eq!(whole.len(), 8);
        // Feed the stream in chunks of every size, the way frames would arrive.
        for chunk in 1..=STREAM.len() {
            let mut buf = Vec::new();
            let mut got = Vec::new();
            for piece in STREAM.chunks(chunk) {
                buf.extend_from_slice(piece);
                while let Status::Complete(op, n) = parse(&buf, &Limits::default()).expect("valid")
                {
                    got.push(describe(&buf, &op));
                    buf.drain(..n);
                }
            }
            assert!(buf.is_empty(), "chunk {chunk}");
            assert_eq!(got, whole, "chunk {chunk}");
        }
    }

    #[test]
    fn every_prefix_of_every_op_is_partial() {
        for end in 0..STREAM.len() {
            let prefix = &STREAM[..end];
            // A prefix parses to some complete ops and then Partial, never an error.
            let mut at = 0;
            loop {
                match parse(&prefix[at..], &Limits::default()) {
                    Ok(Status::Complete(_, n)) => at += n,
                    Ok(Status::Partial) => break,
                    Err(e) => panic!("prefix {end}: {e}"),
                }
            }
        }
    }
}
