//! Typed errors carrying the exact `ErrorCode` strings of nats.ws, so JS callers can switch on
//! `err.code` as they do today.

use core::fmt;

use super::text::contains;
use crate::prelude::*;

/// The nats.ws `ErrorCode` a failure maps to. Only the codes the core can produce are listed;
/// the JS glue owns the full enum.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorCode {
    /// A subject, reply subject or queue name that is not valid on the wire.
    BadSubject,
    /// A header key or value that would corrupt the header block.
    BadHeader,
    /// A payload the client cannot send (wrong type, unusable).
    BadPayload,
    /// Malformed JSON (INFO from the server, or a user codec).
    BadJson,
    /// The operation needs an open connection and this one is closed.
    ConnectionClosed,
    /// The connection is draining and accepts no new work.
    ConnectionDraining,
    /// The handshake did not finish within the `timeout` option.
    ConnectionTimeout,
    /// Could not reach any server.
    ConnectionRefused,
    /// The connection dropped while the operation was in flight.
    Disconnect,
    /// An option had a wrong type or value.
    InvalidOption,
    /// Payload (plus headers) larger than the server's `max_payload`.
    MaxPayloadExceeded,
    /// A request found no subscriber on the subject (status 503).
    NoResponders,
    /// The subscription is closed.
    SubClosed,
    /// The operation timed out.
    Timeout,
    /// The server refused our credentials.
    AuthorizationViolation,
    /// The server says our user credentials expired.
    AuthenticationExpired,
    /// The server timed out waiting for our CONNECT.
    AuthenticationTimeout,
    /// The server says our account expired.
    AccountExpired,
    /// The server refused a publish or subscription for lack of permission.
    PermissionsViolation,
    /// The server sent bytes we cannot parse, or reported a protocol error.
    ProtocolError,
    /// The server lacks a feature the call needs (headers, no echo).
    ServerOptionNotAvailable,
    /// Credentials that cannot be used (a malformed NKEY seed, say).
    BadAuthentication,
    /// A `.creds` file that cannot be parsed.
    BadCreds,
    /// The server requires TLS and the connection is a plain `ws://` one.
    WssRequired,
    /// The bytes the client holds for a connected server have reached their bound
    /// (`reconnectBufSize`): the server takes them slower than the page publishes.
    OutboundBufferFull,
    /// Anything else.
    Unknown,
}

impl ErrorCode {
    /// The string nats.ws uses for this code (`err.code` in JS).
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::BadSubject => "BAD_SUBJECT",
            ErrorCode::BadHeader => "BAD_HEADER",
            ErrorCode::BadPayload => "BAD_PAYLOAD",
            ErrorCode::BadJson => "BAD_JSON",
            ErrorCode::ConnectionClosed => "CONNECTION_CLOSED",
            ErrorCode::ConnectionDraining => "CONNECTION_DRAINING",
            ErrorCode::ConnectionTimeout => "CONNECTION_TIMEOUT",
            ErrorCode::ConnectionRefused => "CONNECTION_REFUSED",
            ErrorCode::Disconnect => "DISCONNECT",
            ErrorCode::InvalidOption => "INVALID_OPTION",
            ErrorCode::MaxPayloadExceeded => "MAX_PAYLOAD_EXCEEDED",
            ErrorCode::NoResponders => "503",
            ErrorCode::SubClosed => "SUB_CLOSED",
            ErrorCode::Timeout => "TIMEOUT",
            ErrorCode::AuthorizationViolation => "AUTHORIZATION_VIOLATION",
            ErrorCode::AuthenticationExpired => "AUTHENTICATION_EXPIRED",
            ErrorCode::AuthenticationTimeout => "AUTHENTICATION_TIMEOUT",
            ErrorCode::AccountExpired => "ACCOUNT_EXPIRED",
            ErrorCode::PermissionsViolation => "PERMISSIONS_VIOLATION",
            ErrorCode::ProtocolError => "NATS_PROTOCOL_ERR",
            ErrorCode::ServerOptionNotAvailable => "SERVER_OPT_NA",
            ErrorCode::BadAuthentication => "BAD_AUTHENTICATION",
            ErrorCode::BadCreds => "BAD_CREDS",
            ErrorCode::WssRequired => "WSS_REQUIRED",
            ErrorCode::OutboundBufferFull => "OUTBOUND_BUFFER_FULL",
            ErrorCode::Unknown => "UNKNOWN_ERROR",
        }
    }
}

/// An error with a nats.ws code and a message a person can act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// What kind of failure, as nats.ws names it.
    pub code: ErrorCode,
    /// Human-readable detail (never contains credentials).
    pub message: String,
}

impl Error {
    /// Builds an error from a code and a message.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Error {
            code,
            message: message.into(),
        }
    }

    /// Maps the text of a server `-ERR` to the error nats.ws reports for it.
    pub fn from_server(text: &str) -> Self {
        let lower = text.to_ascii_lowercase();
        let code = if contains(&lower, "permissions violation") {
            ErrorCode::PermissionsViolation
        } else if contains(&lower, "authorization violation") {
            ErrorCode::AuthorizationViolation
        } else if contains(&lower, "user authentication expired") {
            ErrorCode::AuthenticationExpired
        } else if contains(&lower, "account authentication expired") {
            ErrorCode::AccountExpired
        } else if contains(&lower, "authentication timeout") {
            ErrorCode::AuthenticationTimeout
        } else {
            ErrorCode::ProtocolError
        };
        Error::new(code, text)
    }
}

/// `n` in decimal, for error messages: `format!` would link `core::fmt` into the wasm.
pub fn decimal(n: u64) -> String {
    let mut out = Vec::new();
    super::encode::write_u64(&mut out, n);
    // Always ASCII digits; from_utf8 is linked anyway, a char-by-char collect was not.
    String::from_utf8(out).unwrap_or_default()
}

/// `s` in double quotes with control characters, quotes and backslashes escaped, for error
/// messages. Hand-written because `{:?}` pulls Unicode tables into the wasm.
pub fn quoted(s: &str) -> String {
    let mut out = Vec::with_capacity(s.len() + 2);
    super::text::push_quoted(&mut out, s, b"\\x");
    // Valid UTF-8: `s` with ASCII escapes put in.
    String::from_utf8(out).unwrap_or_default()
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

#[cfg(feature = "std")]
impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    // On wasm32 the same tests run under wasm-bindgen-test (node), where the core ships.
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn server_errors_map_to_nats_ws_codes() {
        let cases = [
            ("Authorization Violation", "AUTHORIZATION_VIOLATION"),
            (
                "Permissions Violation for Publish to \"x\"",
                "PERMISSIONS_VIOLATION",
            ),
            ("User Authentication Expired", "AUTHENTICATION_EXPIRED"),
            ("Account Authentication Expired", "ACCOUNT_EXPIRED"),
            ("Authentication Timeout", "AUTHENTICATION_TIMEOUT"),
            ("Maximum Payload Violation", "NATS_PROTOCOL_ERR"),
        ];
        for (text, code) in cases {
            let err = Error::from_server(text);
            assert_eq!(err.code.as_str(), code, "{text}");
            assert_eq!(err.message, text);
        }
    }

    #[test]
    fn quoting_escapes_what_would_break_a_message() {
        assert_eq!(quoted("a b"), "\"a b\"");
        assert_eq!(quoted("a\r\nb\t\"\\\x00\x7f"), r#""a\r\nb\t\"\\\x00\x7f""#);
        assert_eq!(quoted("ü"), "\"ü\"");
    }

    #[test]
    fn no_responders_uses_the_status_code_string() {
        assert_eq!(ErrorCode::NoResponders.as_str(), "503");
    }
}
