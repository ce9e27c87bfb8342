//! The handshake: the server's `INFO` (whose JSON the glue reads: it owns JSON, and the
//! browser's `JSON.parse` costs the wasm nothing), our `CONNECT` (with credentials asked of
//! the application, which may sign the nonce), and the `PONG` that confirms it.
//!
//! Order: an `INFO` line is handed out by [`Connection::poll_info`]; the edge answers with
//! [`Connection::provide_info`] before the next input, and only then does the core act on it.

use super::{Connection, Event, PongWaiter, State};
use crate::prelude::*;
use crate::proto::encode::{self, Credentials};
use crate::proto::error::{Error, ErrorCode};
use crate::proto::text::part;

/// What the core reads from a server's `INFO`: the fields it acts on, read from the JSON by
/// the glue (`lib/connection.js`, in the order of `interface::info`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ServerInfo {
    /// `max_payload`, when it is a sane number of bytes.
    pub max_payload: Option<usize>,
    /// The server takes headers (`HPUB`, no-responders statuses).
    pub headers: bool,
    /// `connect_urls`: the cluster's other servers.
    pub connect_urls: Option<Vec<String>>,
    /// `ldm`: the server is shutting down soon.
    pub lame_duck: bool,
    /// `tls_required`: CONNECT must not go out over a plain transport.
    pub tls_required: bool,
    /// `nonce`, for authenticators that sign it.
    pub nonce: String,
    /// `proto`, the protocol version (`noEcho` needs 1).
    pub proto: f64,
}

impl ServerInfo {
    /// A `max_payload` as the server sent it, if it is a sane number of bytes.
    pub fn payload_limit(max: f64) -> Option<usize> {
        (max >= 1.0 && max <= (1u64 << 40) as f64).then_some(max as usize)
    }

    /// Reads the fields from `INFO`'s JSON as the glue does (host tests and fuzzing answer
    /// the core with it); `None` when it is not a JSON object.
    #[cfg(feature = "std")]
    pub fn from_json(text: &str) -> Option<ServerInfo> {
        use crate::proto::json::{self, Value};
        let value = json::parse(text).ok()?;
        if !matches!(value, Value::Object(_)) {
            return None;
        }
        let flag = |key: &str| value.get(key).and_then(Value::as_bool) == Some(true);
        Some(ServerInfo {
            max_payload: value
                .get("max_payload")
                .and_then(Value::as_f64)
                .and_then(ServerInfo::payload_limit),
            headers: flag("headers"),
            connect_urls: match value.get("connect_urls") {
                Some(Value::Array(items)) => Some(
                    items
                        .iter()
                        .filter_map(Value::as_str)
                        .map(str::to_string)
                        .collect(),
                ),
                _ => None,
            },
            lame_duck: flag("ldm"),
            tls_required: flag("tls_required"),
            nonce: value
                .get("nonce")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string(),
            proto: value.get("proto").and_then(Value::as_f64).unwrap_or(0.0),
        })
    }
}

impl Connection {
    /// An `INFO` at `range` of the input: kept for [`Connection::poll_info`].
    pub(super) fn handle_info(&mut self, range: core::ops::Range<usize>) {
        let Ok(text) = core::str::from_utf8(part(self.input.bytes(), range)) else {
            self.garbage = true;
            return self.fail_transport(Error::new(
                ErrorCode::ProtocolError,
                "server INFO is not valid UTF-8",
            ));
        };
        self.info_text = text.to_string();
        self.info_wanted = true;
    }

    /// The JSON text of an `INFO` just received, for the edge to read and answer with
    /// [`Connection::provide_info`] (the glue also makes the `info` users see from it).
    #[must_use]
    pub fn poll_info(&mut self) -> Option<&str> {
        if !core::mem::take(&mut self.info_wanted) || self.state == State::Closed {
            return None;
        }
        Some(&self.info_text)
    }

    /// What the last `INFO` says (`None`: it was not a JSON object). The first of a
    /// transport starts the handshake; later ones update limits and the cluster, and may
    /// announce lame duck mode.
    pub fn provide_info(&mut self, info: Option<ServerInfo>) {
        if !self.accepts_input() {
            return;
        }
        let Some(info) = info else {
            self.garbage = true;
            return self.fail_transport(Error::new(
                ErrorCode::BadJson,
                "server INFO is not a JSON object",
            ));
        };
        let first = self.info.is_none();
        if first && info.tls_required && !self.transport_secure {
            // Sending CONNECT (credentials included) in clear text to a server that demands
            // TLS is what this refusal prevents.
            return self.fail_transport(Error::new(
                ErrorCode::WssRequired,
                "the server requires TLS: connect with a wss:// URL",
            ));
        }
        if let Some(max) = info.max_payload {
            self.limits.max_payload = max;
        }
        if let Some(urls) = info
            .connect_urls
            .as_ref()
            .filter(|_| !self.opts.ignore_cluster_updates)
        {
            let changed = self.pool.update(urls);
            if !changed.added.is_empty() || !changed.deleted.is_empty() {
                self.events.push_back(Event::ServersChanged(changed));
            }
        }
        let lame_duck = info.lame_duck;
        let nonce = info.nonce.clone();
        self.info = Some(info);
        if first && self.state == State::AwaitingInfo {
            if self.opts.auth_callback {
                self.auth_request = Some(nonce);
            } else {
                self.send_connect();
            }
        }
        if lame_duck && self.state == State::Connected {
            self.handle_lame_duck();
        }
    }

    /// The server will shut down soon: say so, and move to another server first if there is
    /// one (the bytes already queued still go out before the socket closes).
    fn handle_lame_duck(&mut self) {
        let server = self.current_server().unwrap_or_default().to_string();
        self.events.push_back(Event::LameDuck { server });
        if self.opts.reconnect && self.pool.servers().len() > 1 {
            self.pool.demote_current();
            self.fail_transport(Error::new(
                ErrorCode::Disconnect,
                "the server entered lame duck mode",
            ));
        }
    }

    /// The server nonce to sign, once per handshake when `auth_callback` is set. Answer with
    /// [`Connection::provide_auth`] (or [`Connection::auth_failed`]).
    #[must_use]
    pub fn poll_auth_request(&mut self) -> Option<String> {
        if self.state != State::AwaitingInfo {
            return None;
        }
        self.auth_request.take()
    }

    /// Credentials for the handshake that asked with `nonce` (from `user`/`pass`/`token`/
    /// authenticators): sends CONNECT with them. An answer for another handshake (the
    /// application answered late, after the transport changed) is ignored.
    pub fn provide_auth(&mut self, nonce: &str, auth: Credentials) {
        if self.answers_auth(nonce) {
            self.opts.connect.auth = auth;
            self.send_connect();
        }
    }

    /// The application could not produce credentials for `nonce` (a bad seed, a throwing
    /// authenticator): retrying cannot help, so the connection ends with `err` (unless they
    /// were new ones from `reauthenticate()`: then the previous ones are tried again).
    pub fn auth_failed(&mut self, nonce: &str, err: Error) {
        if self.answers_auth(nonce) {
            self.credentials_refused(err);
        }
    }

    /// The handshake's credentials were refused (or could not be made): the end, unless they
    /// were new ones from `reauthenticate()`: then `ReauthenticationFailed`, and the glue's
    /// previous ones are tried at once.
    pub(super) fn credentials_refused(&mut self, err: Error) {
        if !core::mem::take(&mut self.reauth) {
            return self.finish(Some(err));
        }
        self.redial_now = true;
        self.events
            .push_back(Event::ReauthenticationFailed(err.clone()));
        self.fail_transport(err);
    }

    /// True when credentials for `nonce` are what the handshake waits for.
    fn answers_auth(&self, nonce: &str) -> bool {
        self.state == State::AwaitingInfo && self.info.as_ref().is_some_and(|i| i.nonce == nonce)
    }

    fn send_connect(&mut self) {
        let (headers, proto) = self
            .info
            .as_ref()
            .map_or((false, 0.0), |i| (i.headers, i.proto));
        let mut fields = self.opts.connect.clone();
        fields.headers = headers;
        fields.no_responders = headers;
        if !fields.echo && proto < 1.0 {
            return self.finish(Some(Error::new(
                ErrorCode::ServerOptionNotAvailable,
                "noEcho needs a server with protocol 1 or newer",
            )));
        }
        let out = self.outbox.wire();
        encode::write_connect(out, &fields);
        out.extend_from_slice(encode::PING);
        // Flushes queued while disconnected wait behind the handshake's PONG.
        self.pongs.push_front(PongWaiter::Handshake);
        self.state = State::Handshaking;
    }

    /// The handshake's PONG: we are in. After a reconnect, restore every subscription (a
    /// `max` one with the messages it still has to receive) and send what was buffered.
    pub(super) fn handshake_done(&mut self, now: u64) {
        self.state = State::Connected;
        self.next_ping = Some(now.saturating_add(self.opts.ping_interval));
        self.pool.connected();
        let server = self.current_server().unwrap_or_default().to_string();
        if !self.connected_once {
            self.connected_once = true;
            self.events.push_back(Event::Connected);
            return;
        }
        self.subs.write_all(self.outbox.wire());
        self.outbox.release_pending();
        self.events.push_back(Event::Reconnected { server });
        if core::mem::take(&mut self.reauth) {
            self.events.push_back(Event::Reauthenticated);
        }
        self.consumers_resumed();
    }

    /// True once the server said it takes headers.
    pub(super) fn server_headers(&self) -> bool {
        self.info.as_ref().is_some_and(|i| i.headers)
    }
}

#[cfg(test)]
mod tests {
    // On wasm32 the same tests run under wasm-bindgen-test (node), where the core ships.
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn info_fields_the_core_acts_on() {
        let info = ServerInfo::from_json(
            r#"{"server_id":"S","proto":1,"headers":true,"max_payload":2048,"nonce":"n",
                "connect_urls":["a:1","b:2",3],"ldm":true,"tls_required":false}"#,
        )
        .unwrap();
        assert_eq!(info.max_payload, Some(2048));
        assert!(info.headers && info.lame_duck && !info.tls_required);
        assert_eq!(info.connect_urls, Some(vec!["a:1".into(), "b:2".into()]));
        assert_eq!((info.nonce.as_str(), info.proto), ("n", 1.0));
        let bare = ServerInfo::from_json(r#"{"max_payload":0}"#).unwrap();
        assert_eq!(bare, ServerInfo::default(), "absent or insane fields");
        for bad in ["[]", "{", "\"x\"", ""] {
            assert_eq!(ServerInfo::from_json(bad), None, "{bad}");
        }
    }
}
