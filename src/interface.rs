//! The numbers the wasm edge and the JS glue must agree on, written once.
//!
//! Every position, kind and layout that crosses between `src/wasm` and `pkg-template/lib` is
//! a constant here. The glue never spells one out: it imports them from
//! `pkg-template/lib/interface.js`, which is generated from these tables ([`render_js`], by
//! `cargo run --bin interface-js`; the package build writes it afresh) and checked by a host
//! test that fails when the committed copy is stale.
//!
//! Plain constants with no wasm-bindgen in them, so that the host can render and test them.

use crate::proto::conn::{field, ACK_STRIDE, DELIVERY_STRIDE};

/// Declares a module of `u32` constants and `ENTRIES`, the same constants by name (what the
/// generated JS module is written from; the wasm never reads it, so it costs nothing there).
macro_rules! numbered {
    ($(#[doc = $doc:literal])* pub mod $module:ident {
        $($(#[doc = $item_doc:literal])* $name:ident = $value:expr;)*
    }) => {
        $(#[doc = $doc])*
        pub mod $module {
            $($(#[doc = $item_doc])* pub const $name: u32 = $value;)*
            /// Every constant of this module with its name, in declaration order.
            pub const ENTRIES: &[(&str, u32)] = &[$((stringify!($name), $name)),*];
        }
    };
}

numbered! {
    /// What each glue function passed as a hook tells `WasmConnection.wake(which, data, len)`.
    /// The socket's listeners, the timer and the end-of-task flush are plain JS functions,
    /// so the wasm owns no closures (and carries none of wasm-bindgen's closure machinery).
    pub mod hook {
        /// A WebSocket frame: `data` is its bytes, a `Uint8Array` of `len` bytes (the glue
        /// encodes a text frame).
        FRAME = 0;
        /// The WebSocket closed, for any reason.
        CLOSED = 1;
        /// A WebSocket `error` event: always followed by `close`, which carries the outcome.
        ERROR = 2;
        /// The connection's timer fired.
        TIMER = 3;
        /// The end of the task in which output was queued: send it.
        FLUSH = 4;
        /// Not a hook function: the glue's answer to `authenticate(nonce)`, whenever it is
        /// ready (an authenticator may sign asynchronously); `data` is laid out as
        /// `credential` says.
        CREDENTIALS = 5;
        /// Not a hook function: the glue's answer to `info(text)`, at once: `data` is laid
        /// out as `info` says, or undefined when the text is not a JSON object.
        INFO = 6;
    }
}

/// How many hook functions the glue passes: one per [`hook`] constant up to `FLUSH`.
pub const HOOKS: usize = hook::FLUSH as usize + 1;

numbered! {
    /// Operations of `WasmConnection.control(op, a, b)`, with what `a` and `b` are and what
    /// each returns (-1 for a failure, whose error `takeError()` then returns).
    pub mod op {
        /// `a` sid, `b` total messages after which it ends (0: now): 1 when gone now, else 0.
        UNSUBSCRIBE = 0;
        /// `a` sid: the flush id whose completion ends the subscription.
        DRAIN_SUBSCRIPTION = 1;
        /// `a` request id: stop waiting for its replies.
        CANCEL_REQUEST = 2;
        /// A PING: the id that the `FLUSHED` event will carry.
        FLUSH = 3;
        /// Starts draining the connection.
        DRAIN = 4;
        /// Drops the transport and reconnects (nats.ws `reconnect()`).
        RECONNECT = 5;
        /// `a` 1 when the page went online, 0 offline.
        SET_ONLINE = 6;
        /// The page became visible: check that the socket is still alive.
        CHECK_LIVENESS = 7;
        /// Closes now.
        CLOSE = 8;
        /// `a` counter: one of `[inMsgs, outMsgs, inBytes, outBytes]`.
        STATS = 9;
        /// `a` a consumer's sid: the glue found it after `CONSUMER_CHECK`; pull anew.
        CONSUMER_RESET = 10;
        /// `a` a consumer's sid: end it now (its iterator stopped, or the glue gave up).
        CONSUMER_STOP = 11;
        /// The glue holds new credentials: reconnect with them (`reauthenticate()`).
        REAUTHENTICATE = 12;
    }
}

numbered! {
    /// The counters `control(op::STATS, a)` reads, by `a` (their JS names, in camelCase, are
    /// the fields of nats.ws `stats()`).
    pub mod stat {
        /// Messages received.
        IN_MSGS = 0;
        /// Messages published.
        OUT_MSGS = 1;
        /// Bytes received in messages (headers and payload).
        IN_BYTES = 2;
        /// Bytes published in messages (headers and payload).
        OUT_BYTES = 3;
    }
}

numbered! {
    /// Kinds of the glue's `onEvent(kind, a, b)` calls, with what `a` and `b` carry.
    pub mod event {
        /// Handshake done; `a` is the server (as given or gossiped).
        CONNECTED = 1;
        /// Flush or subscription drain `a` completed.
        FLUSHED = 3;
        /// Subscription `a` closed; `b` is an error or undefined.
        SUB_CLOSED = 4;
        /// Request `a` failed with error `b`.
        REQUEST_FAILED = 5;
        /// Asynchronous server error `a` (permissions); the connection stays up.
        SERVER_ERROR = 6;
        /// The connection closed; `a` is the error or undefined.
        CLOSED = 7;
        /// The connection to server `a` was lost; reconnecting.
        DISCONNECTED = 8;
        /// Dialing server `a` again.
        RECONNECTING = 9;
        /// Reconnected to server `a`.
        RECONNECTED = 10;
        /// The cluster changed: `a` added servers, `b` deleted ones (each a string of
        /// servers separated by spaces, which `host:port` and URLs never contain).
        SERVERS_CHANGED = 11;
        /// Server `a` entered lame duck mode.
        LAME_DUCK = 12;
        /// Pings went unanswered.
        STALE_CONNECTION = 13;
        /// A client ping was sent; `a` are outstanding.
        PING_TIMER = 14;
        /// `reconnect()` was called.
        CLIENT_INITIATED_RECONNECT = 15;
        /// Flush `a` failed with error `b` (the connection dropped).
        FLUSH_FAILED = 16;
        /// Request `a`, for many replies, ended normally (its count, sentinel, pause or
        /// `maxWait`).
        REQUEST_DONE = 17;
        /// After `CLOSED`: what was queued has left the socket, which is now closed (or the
        /// wait for it reached the connection's `timeout`). `closed()` resolves now.
        RELEASED = 18;
        /// Consumer `a` missed heartbeats: `b` intervals in a row.
        CONSUMER_MISSED = 19;
        /// A pull of consumer `a` ended with `b` unused: `"<messages> <bytes>"`.
        CONSUMER_DISCARD = 20;
        /// Consumer `a` got status `b`, `"<code> <description>"` (description in lower case).
        CONSUMER_STATUS = 21;
        /// Consumer `a` asks the glue to check that the server still has it (missed
        /// heartbeats, a reconnect), then to answer with `op::CONSUMER_RESET`.
        CONSUMER_CHECK = 22;
        /// Ordered consumer `a` missed a message and ended: a new one must start after the
        /// last message it delivered.
        CONSUMER_GAP = 23;
        /// Consumer `a` ended (its subscription is gone); `b` is the status that ended it,
        /// `"<code> <description>"`, or undefined for a normal end.
        CONSUMER_END = 24;
        /// Consumer `a` sent a pull request, `b` its JSON body (nats.ws's `next` notice).
        CONSUMER_NEXT = 25;
        /// The credentials of `reauthenticate()` were taken (by the server just reconnected to).
        REAUTHENTICATED = 26;
        /// The credentials of `reauthenticate()` were refused with error `a`; the previous
        /// ones are used again.
        REAUTHENTICATION_FAILED = 27;
    }
}

numbered! {
    /// Positions in the constructor's `config` array: the numbers (NaN when unset; booleans
    /// are 0 or 1), then the texts (undefined when unset), then the servers to the end. The
    /// JS names are these names in camelCase: the glue fills each from the option of that
    /// name (`muxInbox` it makes itself). One array of JS values for all of it: each array
    /// type crossing the boundary costs wasm-bindgen its own conversion code.
    pub mod config {
        /// nats.ws `verbose`.
        VERBOSE = 0;
        /// nats.ws `pedantic`.
        PEDANTIC = 1;
        /// nats.ws `noEcho`.
        NO_ECHO = 2;
        /// nats.ws `pingInterval` (ms).
        PING_INTERVAL = 3;
        /// nats.ws `maxPingOut`.
        MAX_PING_OUT = 4;
        /// nats.ws `timeout` (ms): the handshake's deadline.
        TIMEOUT = 5;
        /// nats.ws `reconnect`.
        RECONNECT = 6;
        /// nats.ws `noRandomize`.
        NO_RANDOMIZE = 7;
        /// nats.ws `ignoreClusterUpdates`.
        IGNORE_CLUSTER_UPDATES = 8;
        /// nats.ws `waitOnFirstConnect`.
        WAIT_ON_FIRST_CONNECT = 9;
        /// nats.ws `reconnectTimeWait` (ms).
        RECONNECT_TIME_WAIT = 10;
        /// nats.ws `reconnectJitter` (ms; the glue puts `reconnectJitterTLS` here for TLS).
        RECONNECT_JITTER = 11;
        /// Bytes of publishes kept while disconnected.
        RECONNECT_BUF_SIZE = 12;
        /// nats.ws `maxReconnectAttempts` (-1: forever).
        MAX_RECONNECT_ATTEMPTS = 13;
        /// The first text: nats.ws `name`. (`user`, `pass` and `token` reach the core with
        /// the other credentials, from the glue's authenticator at each handshake.)
        NAME = 14;
        /// The inbox of the shared reply subscription (made with nats.ws `inboxPrefix`).
        MUX_INBOX = 15;
        /// The servers as the user gave them, from here to the end.
        SERVERS = 16;
    }
}

/// The first text in [`config`]: every position before it holds a number.
pub const CONFIG_TEXTS: u32 = config::NAME;

numbered! {
    /// Positions in the glue's answer to `authenticate(nonce)` (`wake(hook::CREDENTIALS,
    /// answer)`): an array of strings or undefined. The nonce it answers, the failure when
    /// the authenticator threw, then the fields of the nats.ws authenticator result (their
    /// JS names are these names in snake_case, as nats.ws spells them).
    pub mod credential {
        /// The nonce these credentials are for.
        NONCE = 0;
        /// `"<code> <message>"` when the authenticator failed (the rest is then unset).
        FAILURE = 1;
        /// `user`.
        USER = 2;
        /// `pass`.
        PASS = 3;
        /// `auth_token`.
        AUTH_TOKEN = 4;
        /// `jwt`.
        JWT = 5;
        /// `nkey`.
        NKEY = 6;
        /// `sig`, the signed nonce.
        SIG = 7;
    }
}

numbered! {
    /// Positions in the glue's answer to `info(text)`: the fields of the server's `INFO`
    /// that the core acts on, as `JSON.parse` gave them (their JS names are these names in
    /// snake_case, as the server spells them); an array is joined with spaces.
    pub mod info {
        /// `max_payload`, a number.
        MAX_PAYLOAD = 0;
        /// `headers`, a boolean.
        HEADERS = 1;
        /// `connect_urls`, an array of `host:port` (joined with spaces).
        CONNECT_URLS = 2;
        /// `ldm` (lame duck mode), a boolean.
        LDM = 3;
        /// `tls_required`, a boolean.
        TLS_REQUIRED = 4;
        /// `nonce`, a string.
        NONCE = 5;
        /// `proto`, a number.
        PROTO = 6;
    }
}

numbered! {
    /// How a request ends, the `many` argument of `WasmConnection.request` (nats.ws
    /// `requestMany` strategies), with what its `limit` argument is.
    pub mod many {
        /// One reply (`request`).
        ONE = 0;
        /// Many, until `maxWait` (`RequestStrategy.Timer`).
        TIMER = 1;
        /// Many, until `limit` replies (`Count`).
        COUNT = 2;
        /// Many, until `limit` ms pass without one (`JitterTimer`).
        JITTER = 3;
        /// Many, until an empty one (`SentinelMsg`).
        SENTINEL = 4;
    }
}

numbered! {
    /// A batch of delivered messages in wasm memory, as `onMsgs(frame, at)` finds it at byte
    /// `at`: `u32` words, [`batch::ROWS`] header words, then the rows ([`row::STRIDE`] words
    /// each), then, when the head flag is set, the address and length of the head.
    pub mod batch {
        /// How many row words follow the header.
        WORDS = 0;
        /// 1 when a head follows the rows: the bytes of a message begun in an earlier frame
        /// (its address and length in wasm memory), which the glue copies out first.
        HEAD = 1;
        /// The byte address of the batch's ack records (`f64`s, [`ack`] layout), numbered
        /// from 1 by the rows' `ACK` word; 0 when none.
        ACKS = 2;
        /// Where the first row starts.
        ROWS = 3;
    }
}

numbered! {
    /// One delivered message: offsets and lengths into the frame (or the head). The core's
    /// delivery row ([`field`]), then the edge's [`row::SOURCE`] word.
    pub mod row {
        /// Subscription id.
        SID = super::field::SID as u32;
        /// Request id for a reply to a request, else 0.
        REQUEST = super::field::REQUEST as u32;
        /// Header status code (503, 408...), else 0.
        STATUS = super::field::STATUS as u32;
        /// Subject offset; its length follows.
        SUBJECT = super::field::SUBJECT as u32;
        /// Reply subject offset; its length follows (0: none).
        REPLY = super::field::REPLY as u32;
        /// Header block offset; its length follows (0: none).
        HEADERS = super::field::HEADERS as u32;
        /// Payload offset; its length follows.
        PAYLOAD = super::field::PAYLOAD as u32;
        /// A consumer's message: the number of its ack record (from 1), else 0.
        ACK = super::field::ACK as u32;
        /// 0 when the offsets point into the frame, 1 when into the head.
        SOURCE = super::DELIVERY_STRIDE as u32;
        /// Words per row.
        STRIDE = super::DELIVERY_STRIDE as u32 + 1;
    }
}

numbered! {
    /// One ack record (`f64`s): what a consumer's message's ack subject says (nats.ws
    /// `JsMsg.info`), parsed by the core. Names are byte offsets into the reply subject,
    /// each followed by its length.
    pub mod ack {
        /// The JetStream domain (length 0: none).
        DOMAIN = 0;
        /// The account hash (length 0: none).
        ACCOUNT = 2;
        /// The stream.
        STREAM = 4;
        /// The consumer.
        CONSUMER = 6;
        /// Times delivered, this one included.
        DELIVERED = 8;
        /// Stream sequence.
        STREAM_SEQ = 9;
        /// Consumer (delivery) sequence.
        CONSUMER_SEQ = 10;
        /// When it was stored, in nanoseconds (as a double: as precise as nats.ws's
        /// `parseInt`).
        TIMESTAMP = 11;
        /// Messages pending after it.
        PENDING = 12;
        /// Numbers per record.
        STRIDE = super::ACK_STRIDE as u32;
    }
}

/// What a `WasmConnection` method returns when it failed; the error waits in `takeError()`.
/// Methods return numbers only, so wasm-bindgen passes no result through memory.
pub const FAILED: f64 = -1.0;

/// How a table is written into the generated JS module.
#[cfg(feature = "std")]
enum Style {
    /// `export const <PREFIX><NAME> = <value>;` per constant (terser inlines each).
    Constants(&'static str),
    /// `export const <NAME> = [...]`: the names in camelCase, by position.
    CamelNames(&'static str),
    /// `export const <NAME> = [...]`: the names in snake_case, by position.
    SnakeNames(&'static str),
}

/// The JS module the glue imports these numbers from (`pkg-template/lib/interface.js`).
#[cfg(feature = "std")]
pub fn render_js() -> String {
    let numbers: Vec<(&str, u32)> = config::ENTRIES
        .iter()
        .copied()
        .filter(|(_, v)| *v < CONFIG_TEXTS)
        .collect();
    let texts: Vec<(&str, u32)> = config::ENTRIES
        .iter()
        .copied()
        .filter(|(_, v)| (CONFIG_TEXTS..config::SERVERS).contains(v))
        .collect();
    let tables: [(&[(&str, u32)], Style); 12] = [
        (hook::ENTRIES, Style::Constants("HOOK_")),
        (op::ENTRIES, Style::Constants("OP_")),
        (many::ENTRIES, Style::Constants("MANY_")),
        (stat::ENTRIES, Style::CamelNames("STAT_NAMES")),
        (event::ENTRIES, Style::Constants("EV_")),
        (&numbers, Style::CamelNames("CONFIG_NUMBERS")),
        (&texts, Style::CamelNames("CONFIG_TEXTS")),
        (credential::ENTRIES, Style::SnakeNames("CREDENTIAL_FIELDS")),
        (info::ENTRIES, Style::SnakeNames("INFO_FIELDS")),
        (batch::ENTRIES, Style::Constants("BATCH_")),
        (row::ENTRIES, Style::Constants("ROW_")),
        (ack::ENTRIES, Style::Constants("ACK_")),
    ];
    let mut out = String::from(
        "// Generated from src/interface.rs by `cargo run --bin interface-js`: do not edit.\n\
         // The numbers the wasm edge (src/wasm) and this glue agree on; a host test fails\n\
         // when this file is stale.\n",
    );
    for (entries, style) in tables {
        match style {
            Style::Constants(prefix) => {
                for (name, value) in entries {
                    out.push_str(&format!("export const {prefix}{name} = {value};\n"));
                }
            }
            Style::CamelNames(list) | Style::SnakeNames(list) => {
                let camel = matches!(style, Style::CamelNames(_));
                let names: Vec<String> = entries
                    .iter()
                    .map(|(name, _)| format!("\"{}\"", js_name(name, camel)))
                    .collect();
                out.push_str(&format!("export const {list} = [{}];\n", names.join(", ")));
            }
        }
    }
    out.push_str(&format!("export const FAILED = {FAILED};\n"));
    out
}

/// `PING_INTERVAL` as `pingInterval` (camel) or `ping_interval`.
#[cfg(feature = "std")]
fn js_name(name: &str, camel: bool) -> String {
    let mut out = String::new();
    for (i, word) in name.split('_').enumerate() {
        let word = word.to_ascii_lowercase();
        if camel && i > 0 {
            let mut chars = word.chars();
            out.extend(chars.next().map(|c| c.to_ascii_uppercase()));
            out.push_str(chars.as_str());
        } else {
            if i > 0 {
                out.push('_');
            }
            out.push_str(&word);
        }
    }
    out
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    const GENERATED: &str = "pkg-template/lib/interface.js";

    #[test]
    fn generated_js_module_is_current() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(GENERATED);
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == render_js(),
            "{GENERATED} is stale: run `cargo run --bin interface-js > {GENERATED}`"
        );
    }

    #[test]
    fn positions_are_dense_and_distinct() {
        // Arrays are filled by position: a gap or a repeat would shift every later entry.
        for entries in [
            hook::ENTRIES,
            op::ENTRIES,
            stat::ENTRIES,
            many::ENTRIES,
            config::ENTRIES,
            credential::ENTRIES,
            info::ENTRIES,
        ] {
            for (i, (name, value)) in entries.iter().enumerate() {
                assert_eq!(*value as usize, i, "{name}");
            }
        }
        let mut kinds: Vec<u32> = event::ENTRIES.iter().map(|(_, v)| *v).collect();
        kinds.dedup();
        assert_eq!(kinds.len(), event::ENTRIES.len());
        assert!(kinds.iter().all(|k| *k != 0), "0 is no event");
    }

    #[test]
    fn names_become_js_names() {
        assert_eq!(
            js_name("IGNORE_CLUSTER_UPDATES", true),
            "ignoreClusterUpdates"
        );
        assert_eq!(js_name("VERBOSE", true), "verbose");
        assert_eq!(js_name("AUTH_TOKEN", false), "auth_token");
    }
}
