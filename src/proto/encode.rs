//! Encoders for the operations a client sends. They write into a caller's buffer and assume
//! their arguments were validated (subjects by `subject`, header blocks by `headers`):
//! validation lives in one place, the connection, before any byte is written.

use crate::prelude::*;

/// `PING\r\n`
pub const PING: &[u8] = b"PING\r\n";
/// `PONG\r\n`
pub const PONG: &[u8] = b"PONG\r\n";

/// Appends the decimal form of `n` without going through `fmt`.
pub fn write_u64(out: &mut Vec<u8>, mut n: u64) {
    // Filled from the back; iterators, not indexes, so no bounds check links a panic path.
    let mut digits = [0u8; 20];
    let mut used = 0;
    for d in digits.iter_mut().rev() {
        *d = b'0' + (n % 10) as u8;
        n /= 10;
        used += 1;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(digits.get(20 - used..).unwrap_or_default());
}

/// `PUB <subject> [reply] <len>\r\n<payload>\r\n`, or `HPUB` when there is a header block.
pub fn write_pub(
    out: &mut Vec<u8>,
    subject: &str,
    reply: Option<&str>,
    headers: Option<&[u8]>,
    payload: &[u8],
) {
    write_pub_head(out, subject, reply, headers, payload.len());
    out.extend_from_slice(payload);
    out.extend_from_slice(b"\r\n");
}

/// The part of a `PUB`/`HPUB` before the payload: the control line and the header block.
pub fn write_pub_head(
    out: &mut Vec<u8>,
    subject: &str,
    reply: Option<&str>,
    headers: Option<&[u8]>,
    payload_len: usize,
) {
    out.extend_from_slice(if headers.is_some() { b"HPUB " } else { b"PUB " });
    out.extend_from_slice(subject.as_bytes());
    out.push(b' ');
    if let Some(reply) = reply {
        out.extend_from_slice(reply.as_bytes());
        out.push(b' ');
    }
    let header_len = headers.map_or(0, <[u8]>::len);
    if headers.is_some() {
        write_u64(out, header_len as u64);
        out.push(b' ');
    }
    write_u64(out, (header_len + payload_len) as u64);
    out.extend_from_slice(b"\r\n");
    if let Some(h) = headers {
        out.extend_from_slice(h);
    }
}

/// `SUB <subject> [queue] <sid>\r\n`
pub fn write_sub(out: &mut Vec<u8>, subject: &str, queue: Option<&str>, sid: u64) {
    out.extend_from_slice(b"SUB ");
    out.extend_from_slice(subject.as_bytes());
    out.push(b' ');
    if let Some(q) = queue {
        out.extend_from_slice(q.as_bytes());
        out.push(b' ');
    }
    write_u64(out, sid);
    out.extend_from_slice(b"\r\n");
}

/// `UNSUB <sid> [max]\r\n`
pub fn write_unsub(out: &mut Vec<u8>, sid: u64, max: Option<u64>) {
    out.extend_from_slice(b"UNSUB ");
    write_u64(out, sid);
    if let Some(max) = max {
        out.push(b' ');
        write_u64(out, max);
    }
    out.extend_from_slice(b"\r\n");
}

/// Credentials for one handshake; any combination the server accepts.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Credentials {
    /// `user` (user/password auth).
    pub user: Option<String>,
    /// `pass`.
    pub pass: Option<String>,
    /// `auth_token`.
    pub auth_token: Option<String>,
    /// User JWT.
    pub jwt: Option<String>,
    /// Public NKEY.
    pub nkey: Option<String>,
    /// Signature of the server nonce (base64url).
    pub sig: Option<String>,
}

impl core::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        // Secrets never reach logs: only which fields are set.
        f.debug_struct("Credentials")
            .field("user", &self.user.is_some())
            .field("pass", &self.pass.is_some())
            .field("auth_token", &self.auth_token.is_some())
            .field("jwt", &self.jwt.is_some())
            .field("nkey", &self.nkey)
            .finish()
    }
}

/// The fields of `CONNECT` that the client decides.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConnectFields {
    /// Client name shown by the server's monitoring.
    pub name: Option<String>,
    /// Ask the server for `+OK` after every operation.
    pub verbose: bool,
    /// Ask the server for strict checking.
    pub pedantic: bool,
    /// Deliver our own publishes to our own subscriptions.
    pub echo: bool,
    /// Ask for headers support (only when INFO says `headers`).
    pub headers: bool,
    /// Ask for 503 no-responders status messages (needs `headers`).
    pub no_responders: bool,
    /// Credentials (user/pass, token, JWT, NKEY and nonce signature).
    pub auth: Credentials,
    /// Client library version (a constant: no allocation or clone per handshake).
    pub version: &'static str,
    /// Client library language tag.
    pub lang: &'static str,
}

/// `CONNECT {json}\r\n`. `verbose` and `pedantic` are always sent: the server defaults them to
/// true when absent.
pub fn write_connect(out: &mut Vec<u8>, f: &ConnectFields) {
    out.extend_from_slice(b"CONNECT {\"protocol\":1");
    let key = |out: &mut Vec<u8>, key: &str| {
        out.extend_from_slice(b",\"");
        out.extend_from_slice(key.as_bytes());
        out.extend_from_slice(b"\":");
    };
    let flags = [
        ("verbose", f.verbose),
        ("pedantic", f.pedantic),
        ("echo", f.echo),
        ("headers", f.headers),
        ("no_responders", f.no_responders),
    ];
    for (k, v) in flags {
        key(out, k);
        out.extend_from_slice(if v { b"true" } else { b"false" });
    }
    let strings = [
        ("lang", Some(f.lang)),
        ("version", Some(f.version)),
        ("name", f.name.as_deref()),
        ("user", f.auth.user.as_deref()),
        ("pass", f.auth.pass.as_deref()),
        ("auth_token", f.auth.auth_token.as_deref()),
        ("jwt", f.auth.jwt.as_deref()),
        ("nkey", f.auth.nkey.as_deref()),
        ("sig", f.auth.sig.as_deref()),
    ];
    for (k, value) in strings {
        if let Some(v) = value {
            key(out, k);
            write_string(out, v);
        }
    }
    out.extend_from_slice(b"}\r\n");
}

/// Appends `s` as a JSON string literal (with quotes) to `out`.
fn write_string(out: &mut Vec<u8>, s: &str) {
    super::text::push_quoted(out, s, b"\\u00");
}

#[cfg(test)]
mod tests {
    // Test code only (this module is compiled under cfg(test)): an unwrap or expect here is
    // an assertion; none runs in the shipped wasm or can be reached from network or user input.
    // On wasm32 the same tests run under wasm-bindgen-test (node), where the core ships.
    use super::*;
    use crate::proto::json;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn w(f: impl FnOnce(&mut Vec<u8>)) -> String {
        let mut out = Vec::new();
        f(&mut out);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn client_ops() {
        assert_eq!(
            w(|o| write_pub(o, "a.b", None, None, b"hi")),
            "PUB a.b 2\r\nhi\r\n"
        );
        assert_eq!(
            w(|o| write_pub(o, "a", Some("r"), None, b"")),
            "PUB a r 0\r\n\r\n"
        );
        assert_eq!(
            w(|o| write_pub(o, "a", None, Some(b"NATS/1.0\r\n\r\n"), b"xy")),
            "HPUB a 12 14\r\nNATS/1.0\r\n\r\nxy\r\n"
        );
        assert_eq!(
            w(|o| write_pub(o, "a", Some("_INBOX.1"), Some(b"NATS/1.0\r\n\r\n"), b"")),
            "HPUB a _INBOX.1 12 12\r\nNATS/1.0\r\n\r\n\r\n"
        );
        assert_eq!(w(|o| write_sub(o, "a.*", None, 1)), "SUB a.* 1\r\n");
        assert_eq!(
            w(|o| write_sub(o, "a.>", Some("q"), 42)),
            "SUB a.> q 42\r\n"
        );
        assert_eq!(w(|o| write_unsub(o, 7, None)), "UNSUB 7\r\n");
        assert_eq!(w(|o| write_unsub(o, 7, Some(10))), "UNSUB 7 10\r\n");
        assert_eq!(w(|o| write_u64(o, 0)), "0");
        assert_eq!(w(|o| write_u64(o, u64::MAX)), u64::MAX.to_string());
    }

    #[test]
    fn connect_is_json_with_explicit_verbose_and_pedantic() {
        let f = ConnectFields {
            name: Some("my \"app\"".into()),
            echo: true,
            headers: true,
            no_responders: true,
            auth: Credentials {
                user: Some("u".into()),
                pass: Some("p".into()),
                ..Credentials::default()
            },
            version: "0.1.0",
            lang: "nats-wasm",
            ..ConnectFields::default()
        };
        let line = w(|o| write_connect(o, &f));
        let json_text = line
            .strip_prefix("CONNECT ")
            .and_then(|s| s.strip_suffix("\r\n"))
            .unwrap();
        let v = json::parse(json_text).unwrap();
        assert_eq!(v.get("protocol").and_then(json::Value::as_f64), Some(1.0));
        assert_eq!(v.get("verbose").and_then(json::Value::as_bool), Some(false));
        assert_eq!(
            v.get("pedantic").and_then(json::Value::as_bool),
            Some(false)
        );
        assert_eq!(v.get("echo").and_then(json::Value::as_bool), Some(true));
        assert_eq!(
            v.get("no_responders").and_then(json::Value::as_bool),
            Some(true)
        );
        assert_eq!(
            v.get("name").and_then(json::Value::as_str),
            Some("my \"app\"")
        );
        assert_eq!(v.get("user").and_then(json::Value::as_str), Some("u"));
        assert!(v.get("auth_token").is_none());
    }

    #[test]
    fn string_writer_escapes_what_json_requires() {
        let mut out = Vec::new();
        write_string(&mut out, "a\"b\\c\nd\u{1}é");
        let out = String::from_utf8(out).unwrap();
        assert_eq!(out, r#""a\"b\\c\nd\u0001é""#);
        assert_eq!(
            json::parse(&out).unwrap(),
            json::Value::String("a\"b\\c\nd\u{1}é".into())
        );
    }
}
