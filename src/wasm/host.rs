//! The glue's side of one connection: the JS object the edge calls, and what it hands over
//! (the checked options, credentials).
//!
//! One object with named methods rather than positional callbacks: wasm-bindgen imports each
//! method as a plain `host.onMsgs(...)` call, and the glue keeps what is JS's (URLs, socket
//! factories, the debug trace, authenticators) on its side.

use js_sys::Array;
use wasm_bindgen::prelude::*;
use web_sys::WebSocket;

use crate::interface::{config, credential, info};
use crate::prelude::*;
use crate::proto::{text, Credentials, Error, ErrorCode, Options, ServerInfo};

#[wasm_bindgen]
extern "C" {
    /// The glue's object for one connection (`lib/connection.js`, `host`).
    #[derive(Debug)]
    pub type Host;

    /// Delivers the batch at byte `at` of wasm memory (see `interface::batch`), whose rows
    /// point into `frame` (the WebSocket data) or the head.
    #[wasm_bindgen(method, catch, js_name = onMsgs)]
    pub fn on_msgs(this: &Host, frame: &JsValue, at: u32) -> Result<(), JsValue>;

    /// Reports an event (see `interface::event`).
    #[wasm_bindgen(method, catch, js_name = onEvent)]
    pub fn on_event(this: &Host, kind: u32, a: &JsValue, b: &JsValue) -> Result<(), JsValue>;

    /// A WebSocket to `server` (a server string as given or gossiped; `gossiped` when the
    /// cluster advertised it): the glue resolves the URL and makes the socket.
    #[wasm_bindgen(method, catch)]
    pub fn open(this: &Host, server: &str, gossiped: bool) -> Result<WebSocket, JsValue>;

    /// nats.ws `reconnectDelayHandler()`: milliseconds before the next reconnect, NaN for
    /// the default.
    #[wasm_bindgen(method, js_name = reconnectDelay)]
    pub fn reconnect_delay(this: &Host) -> f64;

    /// The JSON text of a server `INFO`: the glue makes `nc.info` from it and answers at once
    /// with `wake(hook::INFO, fields)` (see [`server_info_from_js`]).
    #[wasm_bindgen(method)]
    pub fn info(this: &Host, text: &str);

    /// Asks for credentials for the handshake whose nonce is `nonce`; the glue answers with
    /// `wake(hook::CREDENTIALS, answer)`, at once or later.
    #[wasm_bindgen(method)]
    pub fn authenticate(this: &Host, nonce: &str);

    /// The hook functions, by `interface::hook` position.
    #[wasm_bindgen(method, getter)]
    pub fn hooks(this: &Host) -> Array;
}

/// Number `i` of `config`, `None` when unset (NaN). The glue puts numbers only in that part,
/// so reading one with unary `+` cannot throw.
fn config_number(config: &Array, i: u32) -> Option<f64> {
    Some(config.get(i).unchecked_into_f64()).filter(|v| !v.is_nan())
}

/// Maps the glue's checked option values (`interface::config`) onto core options.
pub fn core_options(config: &Array, seed: u64) -> Options {
    let number = |i: u32| config_number(config, i);
    let flag = |i: u32, default: bool| number(i).map_or(default, |v| v != 0.0);
    let ms = |i: u32| number(i).map(|v| v.clamp(0.0, 1e15) as u64);
    let string = |i: u32| config.get(i).as_string();
    let mut o = Options::default();
    o.connect.name = string(config::NAME);
    o.connect.verbose = flag(config::VERBOSE, false);
    o.connect.pedantic = flag(config::PEDANTIC, false);
    o.connect.echo = !flag(config::NO_ECHO, false);
    if let Some(v) = ms(config::PING_INTERVAL) {
        o.ping_interval = v.max(1);
    }
    if let Some(v) = ms(config::MAX_PING_OUT) {
        o.max_ping_out = v.min(u32::MAX as u64) as u32;
    }
    if let Some(v) = ms(config::TIMEOUT) {
        o.timeout = v;
    }
    if let Some(inbox) = string(config::MUX_INBOX) {
        o.mux_inbox = inbox;
    }
    o.reconnect = flag(config::RECONNECT, true);
    o.no_randomize = flag(config::NO_RANDOMIZE, false);
    o.ignore_cluster_updates = flag(config::IGNORE_CLUSTER_UPDATES, false);
    o.wait_on_first_connect = flag(config::WAIT_ON_FIRST_CONNECT, false);
    if let Some(v) = ms(config::RECONNECT_TIME_WAIT) {
        o.reconnect_time_wait = v;
    }
    if let Some(v) = ms(config::RECONNECT_JITTER) {
        o.reconnect_jitter = v;
    }
    if let Some(v) = ms(config::RECONNECT_BUF_SIZE) {
        o.reconnect_buf_size = v.min(usize::MAX as u64) as usize;
    }
    if let Some(n) = number(config::MAX_RECONNECT_ATTEMPTS) {
        o.max_reconnect_attempts = n.max(-1.0) as i64;
    }
    o.servers = (config::SERVERS..config.length())
        .filter_map(|i| config.get(i).as_string())
        .collect();
    o.seed = seed;
    // Credentials come from the glue at every handshake, with the server's nonce.
    o.auth_callback = true;
    o
}

/// Reads the glue's answer to `authenticate(nonce)` (see `interface::credential`): the nonce
/// it is for, and the credentials or the authenticator's failure. The glue shapes it so that
/// the wasm reads no JS objects (reading their fields by name cost it more than the glue's
/// few lines).
pub fn credentials_from_js(answer: &JsValue) -> (String, Result<Credentials, Error>) {
    let fields: &Array = answer.unchecked_ref();
    let field = |i: u32| fields.get(i).as_string();
    let nonce = field(credential::NONCE).unwrap_or_default();
    if let Some(failure) = field(credential::FAILURE) {
        let (code, message) = text::split_once(&failure, " ").unwrap_or(("", &failure));
        let code = match code {
            "BAD_CREDS" => ErrorCode::BadCreds,
            _ => ErrorCode::BadAuthentication,
        };
        return (nonce, Err(Error::new(code, message)));
    }
    let credentials = Credentials {
        user: field(credential::USER),
        pass: field(credential::PASS),
        auth_token: field(credential::AUTH_TOKEN),
        jwt: field(credential::JWT),
        nkey: field(credential::NKEY),
        sig: field(credential::SIG),
    };
    (nonce, Ok(credentials))
}

/// Reads the glue's answer to `info(text)` (see `interface::info`): the fields of the `INFO`
/// the core acts on, `None` when the text was not a JSON object (undefined). Each is read
/// with a type check: a field of the wrong type counts as absent.
pub fn server_info_from_js(answer: &JsValue) -> Option<ServerInfo> {
    if answer.is_undefined() {
        return None;
    }
    let fields: &Array = answer.unchecked_ref();
    let field = |i: u32| fields.get(i);
    let flag = |i: u32| field(i).as_bool() == Some(true);
    Some(ServerInfo {
        max_payload: field(info::MAX_PAYLOAD)
            .as_f64()
            .and_then(ServerInfo::payload_limit),
        headers: flag(info::HEADERS),
        connect_urls: field(info::CONNECT_URLS).as_string().map(|urls| {
            text::split(&urls, " ")
                .filter(|u| !u.is_empty())
                .map(String::from)
                .collect()
        }),
        lame_duck: flag(info::LDM),
        tls_required: flag(info::TLS_REQUIRED),
        nonce: field(info::NONCE).as_string().unwrap_or_default(),
        proto: field(info::PROTO).as_f64().unwrap_or(0.0),
    })
}
