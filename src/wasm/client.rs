//! `WasmConnection`: the protocol core driven by a WebSocket and a timer, exported to JS.
//!
//! The npm package's glue (pkg-template/index.js) wraps this class in the nats.ws API. Two
//! callbacks carry everything back to JS, once per batch rather than once per message:
//! `onMsgs(frame, at)` with a batch of delivery rows (see [`Inner::stage_deliveries`]),
//! and `onEvent(kind, a, b)` for everything else (see [`event`]).
//!
//! Re-entrancy rule: JS is only ever called while no `RefCell` borrow is held, because JS
//! callbacks call back into this object (a message handler publishing a reply, say).

use alloc::rc::Rc;
use core::cell::{RefCell, RefMut};

use js_sys::{Array, Function, Uint8Array};
use wasm_bindgen::prelude::*;

use super::timer::Timer;
use super::transport::Transport;
use crate::interface::{batch, config, event, hook, op, row, stat, FAILED, HOOKS};
use crate::prelude::*;
use crate::proto::conn::{field, DELIVERY_STRIDE};
use crate::proto::{text, Connection, Credentials, Error, ErrorCode, Event, Options};

/// Output larger than this is sent at once instead of waiting for the microtask flush: big
/// sends keep the per-send cost off large payloads (256 KiB against 64 KiB: 0.97x against
/// 0.81x the raw ceiling publishing 16 KiB in bench/). The output buffer is sized for it once
/// (`reserve_output`), so it does not double its way up through wasm memory.
const SEND_NOW_BYTES: usize = 256 * 1024;

#[wasm_bindgen]
extern "C" {
    /// `queueMicrotask`, present in windows and workers alike.
    #[wasm_bindgen(js_name = queueMicrotask)]
    fn queue_microtask(f: &Function);

    /// `Uint8Array.prototype.set.call(dst, src)`: copies `src` into wasm memory at `dst`,
    /// which must be exactly as long. js-sys's `copy_to` is this after an `assert_eq!` of the
    /// lengths, whose panic formatting cost the wasm 0.2 KB gzip; both callers size `dst`
    /// from `src`.
    #[wasm_bindgen(js_namespace = Uint8Array, js_name = "prototype.set.call")]
    fn copy_into(dst: &mut [u8], src: &Uint8Array);
}

/// Milliseconds since the epoch: wall clock, so throttled timers in background tabs still
/// measure real elapsed time.
fn now() -> u64 {
    js_sys::Date::now() as u64
}

/// A core error as JS sees it: `"<code> <message>"`, the nats.ws code first (the glue's
/// `fromCore` makes the `NatsError`). A string, not an `Error` object: building that here
/// cost the wasm more than the glue's one line.
pub(crate) fn to_js_error(err: &Error) -> JsValue {
    JsValue::from_str(&text::concat(&[err.code.as_str(), " ", &err.message]))
}

struct Inner {
    core: Connection,
    transport: Option<Transport>,
    /// `ws:` or `wss:`: the scheme for servers the cluster advertises as bare `host:port`.
    gossip_scheme: &'static str,
    /// Give `send` a copy of the bytes (see [`Transport::open`]).
    copy_on_send: bool,
    /// The glue's `wsUrl(server)`: the WebSocket URL for a server string.
    ws_url: Function,
    /// nats.ws `reconnectDelayHandler`, asked before each reconnect.
    delay_handler: Option<Function>,
    /// `authenticate(nonce)` from the glue: credentials for each handshake.
    auth_fn: Option<Function>,
    /// `wsFactory(url)`: makes the WebSocket, instead of the global constructor.
    ws_factory: Option<Function>,
    sinks: Rc<Sinks>,
    timer: Timer,
    flush_scheduled: bool,
    /// The glue's functions that call [`WasmConnection::wake`] (see [`hook`]).
    hooks: Hooks,
    /// The subject of the last plain `publish` (no reply, no headers), for `publishAgain`.
    last_subject: String,
    /// The wall clock read once per `drive` (every step of one input sees the same time).
    now: u64,
    /// The frame chunk just committed to the core and where it starts in the core's input,
    /// so messages wholly inside it are handed to JS as views of it (no copy out of wasm).
    frame: Option<(Uint8Array, usize)>,
    /// Delivery rows for JS, [`row::STRIDE`] `u32`s each, read by JS straight from wasm memory.
    rows: Vec<u32>,
}

/// The glue's `onMsgs` and `onEvent`, behind an `Rc`: [`settle`] takes them out of the borrow
/// after every input, and cloning a JS value is a call out of wasm (and dropping it another).
struct Sinks {
    on_msgs: Function,
    on_event: Function,
}

/// The hook functions, by [`hook`] position.
#[derive(Debug)]
struct Hooks([Function; HOOKS]);

impl Hooks {
    /// `which` is one of the [`hook`] constants (all below 5); JS's `wake(which)` is matched
    /// against them first. `get` rather than indexing, which linked a panic path.
    fn get(&self, which: u32) -> &Function {
        let [first, ..] = &self.0;
        self.0.get(which as usize).unwrap_or(first)
    }
}

/// An argument of an `onEvent` call, before it becomes a JS value: the event match builds
/// these, and one conversion ([`Part::into_js`]) serves every event.
enum Part {
    Nothing,
    Id(f64),
    Text(String),
    /// An error, as [`to_js_error`] gives it to JS.
    Fault(Error),
}

impl From<Option<Error>> for Part {
    fn from(error: Option<Error>) -> Part {
        error.map_or(Part::Nothing, Part::Fault)
    }
}

impl Part {
    fn into_js(self) -> JsValue {
        match self {
            Part::Nothing => JsValue::UNDEFINED,
            Part::Id(n) => n.into(),
            Part::Text(s) => s.into(),
            Part::Fault(e) => to_js_error(&e),
        }
    }
}

/// What to hand to JS after a borrow is released.
enum Outgoing {
    /// A batch in `rows` from index `first`, and the frame its rows point into. The batch
    /// is: the number of row words, 1 when a head follows the rows (else 0), the rows, and
    /// with a head, its address and length: the bytes of a message begun in an earlier frame,
    /// in the core's input buffer. They stay valid until the next frame is fed; `onMsgs` is
    /// the first JS call after they are staged (at most one `Msgs` per [`settle`], and it
    /// comes first), and copies them before anything else. Read from memory, not passed as
    /// arguments: each number passed to JS is a call out of wasm of its own.
    Msgs {
        first: usize,
        frame: JsValue,
    },
    Event(u32, JsValue, JsValue),
}

impl Inner {
    /// Sends what the core queued, if the socket is open.
    fn transmit(&mut self) {
        let bytes = self.core.poll_transmit();
        if bytes.is_empty() {
            return;
        }
        if let Some(t) = self.transport.as_ref().filter(|t| t.is_open()) {
            if t.send(bytes).is_ok() {
                self.core.clear_transmit();
            }
        }
    }

    /// Sends at once when a lot is queued, else once at the end of this task.
    #[inline(never)]
    fn schedule_transmit(&mut self) {
        if self.core.poll_transmit().len() >= SEND_NOW_BYTES {
            self.transmit();
            return;
        }
        self.schedule_flush_task();
    }

    /// Sends what is queued at the end of this task (never now).
    fn schedule_flush_task(&mut self) {
        if self.flush_scheduled || self.core.poll_transmit().is_empty() {
            return;
        }
        self.flush_scheduled = true;
        queue_microtask(self.hooks.get(hook::FLUSH));
    }

    /// Turns the core's new deliveries into rows for JS. A message that lies wholly inside
    /// the frame just fed gets offsets into that frame (a JS array already: nothing is copied
    /// out of wasm and no buffer is allocated); one that began in an earlier frame (at most
    /// the first) gets offsets into `head`: the bytes up to its end, which the glue copies
    /// out of wasm memory.
    fn stage_deliveries(&mut self) -> Option<Outgoing> {
        let (table, bytes) = self.core.poll_deliveries();
        if table.is_empty() {
            return None;
        }
        let frame = self.frame.take();
        let start = frame.as_ref().map_or(usize::MAX, |(_, start)| *start);
        // The batch starts with two words, filled in below: the row count and the head flag.
        let first = self.rows.len();
        self.rows.extend_from_slice(&[0; batch::ROWS as usize]);
        let mut head_end = 0;
        for row in table.chunks_exact(DELIVERY_STRIDE) {
            // Built in an array: its constant indexes need no bounds checks (a slice of
            // `rows` linked a panic path per index).
            let mut out = [0u32; row::STRIDE as usize];
            for (o, v) in out.iter_mut().zip(row) {
                *o = *v;
            }
            if row[field::SUBJECT] as usize >= start {
                for f in [field::SUBJECT, field::REPLY, field::HEADERS, field::PAYLOAD] {
                    if let Some(offset) = out.get_mut(f) {
                        *offset = offset.saturating_sub(start as u32);
                    }
                }
            } else {
                out[row::SOURCE as usize] = 1;
                head_end = head_end.max((row[field::PAYLOAD] + row[field::PAYLOAD + 1]) as usize);
            }
            self.rows.extend_from_slice(&out);
        }
        let count = self.rows.len() - first - batch::ROWS as usize;
        // The head stays in the core's input buffer; its address and length follow the rows
        // and the glue copies it out first thing, before any handler can run (see `Msgs`).
        let head = head_end > 0 && head_end <= bytes.len();
        if head {
            self.rows
                .extend_from_slice(&[bytes.as_ptr() as usize as u32, head_end as u32]);
        }
        if let Some(words) = self.rows.get_mut(first..first + batch::ROWS as usize) {
            words.copy_from_slice(&[count as u32, u32::from(head)]);
        }
        Some(Outgoing::Msgs {
            first,
            frame: frame.map_or(JsValue::UNDEFINED, |(f, _)| f.into()),
        })
    }

    /// Collects the core's output after an input: deliveries first, then events.
    #[inline(never)]
    fn collect(&mut self, out: &mut Vec<Outgoing>) {
        if let Some(msgs) = self.stage_deliveries() {
            out.push(msgs);
        }
        let mut closed = false;
        while let Some(ev) = self.core.poll_event() {
            use Part::{Id, Nothing, Text};
            let (kind, a, b) = match ev {
                Event::Connected => (
                    event::CONNECTED,
                    Text(self.core.info_json().into()),
                    Text(self.core.current_server().unwrap_or_default().into()),
                ),
                Event::InfoUpdated => (
                    event::INFO_UPDATED,
                    Text(self.core.info_json().into()),
                    Nothing,
                ),
                Event::Flushed(id) => (event::FLUSHED, Id(id as f64), Nothing),
                Event::SubClosed { sid, error } => {
                    (event::SUB_CLOSED, Id(sid as f64), Part::from(error))
                }
                Event::RequestFailed { id, error } => {
                    (event::REQUEST_FAILED, Id(id as f64), Part::Fault(error))
                }
                Event::ServerError(error) => (event::SERVER_ERROR, Part::Fault(error), Nothing),
                Event::Disconnected { server } => (event::DISCONNECTED, Text(server), Nothing),
                Event::Reconnecting { server } => (event::RECONNECTING, Text(server), Nothing),
                Event::Reconnected { server } => (event::RECONNECTED, Text(server), Nothing),
                Event::ServersChanged(changed) => (
                    event::SERVERS_CHANGED,
                    Text(text::join(&changed.added, " ")),
                    Text(text::join(&changed.deleted, " ")),
                ),
                Event::LameDuck { server } => (event::LAME_DUCK, Text(server), Nothing),
                Event::StaleConnection => (event::STALE_CONNECTION, Nothing, Nothing),
                Event::PingTimer { outstanding } => {
                    (event::PING_TIMER, Id(outstanding as f64), Nothing)
                }
                Event::ClientInitiatedReconnect => {
                    (event::CLIENT_INITIATED_RECONNECT, Nothing, Nothing)
                }
                Event::FlushFailed { id, error } => {
                    (event::FLUSH_FAILED, Id(id as f64), Part::Fault(error))
                }
                Event::Closed(error) => {
                    closed = true;
                    (event::CLOSED, Part::from(error), Nothing)
                }
            };
            out.push(Outgoing::Event(kind, a.into_js(), b.into_js()));
        }
        self.transmit();
        if closed {
            self.shut_down();
        } else {
            self.arm_timer();
        }
    }

    /// Closes the transport when the core asks, and opens one when it is time to dial.
    /// Returns true when that produced new core output to collect.
    #[inline(never)]
    fn manage_transport(&mut self) -> bool {
        let mut changed = false;
        for _ in 0..8 {
            if self.core.wants_transport_closed() {
                self.transmit();
                if let Some(t) = self.transport.take() {
                    t.close();
                }
                self.ask_delay_handler();
                self.core.handle_transport_closed(self.now);
                changed = true;
                continue;
            }
            let Some(server) = self.core.poll_dial(self.now) else {
                break;
            };
            changed = true;
            let gossiped = self.core.current_server_gossiped() && !text::contains(&server, "://");
            let target = if gossiped {
                text::concat(&[self.gossip_scheme, "//", &server])
            } else {
                server
            };
            let opened = self
                .ws_url
                .call1(&JsValue::UNDEFINED, &JsValue::from_str(&target))
                .and_then(|url| {
                    let url = url.as_string().unwrap_or_default();
                    Ok((self.open(&url)?, url.starts_with("wss:")))
                });
            match opened {
                Ok((t, secure)) => {
                    self.core.set_transport_secure(secure);
                    self.transport = Some(t);
                }
                Err(_) => {
                    self.ask_delay_handler();
                    self.core.handle_transport_closed(self.now);
                }
            }
        }
        changed
    }

    fn ask_delay_handler(&mut self) {
        let Some(handler) = &self.delay_handler else {
            return;
        };
        // call1, not call0: one call shape fewer for wasm-bindgen to import (the handler
        // takes no arguments and ignores the extra `undefined`). The glue's wrapper returns a
        // number (NaN for anything but a number), so reading it cannot throw.
        if let Ok(ms) = handler
            .call1(&JsValue::UNDEFINED, &JsValue::UNDEFINED)
            .map(|v| v.unchecked_into_f64())
        {
            if ms.is_finite() && ms >= 0.0 {
                self.core.set_reconnect_delay(ms.min(1e12) as u64);
            }
        }
    }

    /// Opens a socket whose frames and close drive this connection (through the hooks).
    fn open(&self, url: &str) -> Result<Transport, JsValue> {
        Transport::open(
            url,
            self.ws_factory.as_ref(),
            self.copy_on_send,
            [hook::FRAME, hook::CLOSED, hook::ERROR].map(|h| self.hooks.get(h)),
        )
    }

    /// After the core closed: close the socket (queued frames still go out first) and drop
    /// the timer. Listeners are detached when the transport is dropped.
    fn shut_down(&mut self) {
        self.timer.cancel();
        if let Some(t) = self.transport.take() {
            t.close();
        }
    }

    /// Keeps one browser timer armed for the core's next deadline.
    fn arm_timer(&mut self) {
        let Some(deadline) = self.core.poll_timeout() else {
            self.timer.cancel();
            return;
        };
        if self.timer.deadline() == Some(deadline) {
            return;
        }
        // setTimeout takes a signed 32-bit delay.
        let delay = deadline.saturating_sub(now()).min(i32::MAX as u64) as u32;
        self.timer.arm(deadline, delay);
    }
}

/// Runs `f` on the core under a borrow, then hands the results to JS without it
/// ([`settle`]). Generic and inlined: per call site it is a borrow and a call.
#[inline(always)]
fn drive(inner: &Rc<RefCell<Inner>>, f: impl FnOnce(&mut Inner)) {
    let Ok(mut i) = inner.try_borrow_mut() else {
        return;
    };
    i.now = now();
    f(&mut i);
    settle(inner, i);
}

/// The second half of [`drive`]: collects what the core produced, releases the borrow, then
/// calls JS with it (and asks for credentials when the handshake waits for them).
#[inline(never)]
fn settle(inner: &Rc<RefCell<Inner>>, mut i: RefMut<'_, Inner>) {
    let mut out = Vec::new();
    let (sinks, auth, rows_at) = {
        i.collect(&mut out);
        if i.manage_transport() {
            i.collect(&mut out);
        }
        // A frame without messages (a PONG, say) is not kept alive until the next one.
        i.frame = None;
        let auth = i
            .core
            .poll_auth_request()
            .map(|nonce| (nonce, i.auth_fn.clone()));
        // Rows are read by JS from wasm memory: where they are now (nothing below moves them:
        // only feeding a frame adds rows, and frames never arrive inside a JS callback).
        let rows_at = i.rows.as_ptr() as usize;
        let parts = (i.sinks.clone(), auth, rows_at);
        drop(i);
        parts
    };
    for item in out {
        // A throwing JS handler must not stop the others from running.
        let _ = match item {
            // call3 for both, with a trailing `undefined` here: one call shape to import.
            Outgoing::Msgs { first, frame } => sinks.on_msgs.call3(
                &JsValue::UNDEFINED,
                &frame,
                &((rows_at + first * 4) as u32).into(),
                &JsValue::UNDEFINED,
            ),
            Outgoing::Event(kind, a, b) => {
                sinks
                    .on_event
                    .call3(&JsValue::UNDEFINED, &kind.into(), &a, &b)
            }
        };
    }
    // The handshake waits for credentials: ask JS without holding the borrow, then resume.
    if let Some((nonce, auth_fn)) = auth {
        let credentials = match auth_fn {
            Some(f) => credentials_from_js(
                f.call1(&JsValue::UNDEFINED, &nonce.into())
                    .unwrap_or_else(|_| "BAD_AUTHENTICATION the authenticator failed".into()),
            ),
            None => Ok(Credentials::default()),
        };
        drive(inner, |i| match &credentials {
            Ok(c) => i.core.provide_auth(c.clone()),
            Err(e) => i.core.auth_failed(e.clone()),
        });
    }
}

/// Bytes of a frame copied into wasm memory at a time. Servers send browsers frames of at
/// most 4 KiB, so this splits only unusual frames, and a hostile 10 MiB one is refused after
/// its first chunk instead of growing wasm memory (which never shrinks) by its size.
const INPUT_CHUNK: u32 = 64 * 1024;

/// Hands one WebSocket frame to the core in chunks, delivering what each chunk completed
/// before copying the next (the core reuses its buffer), and stops once the core refuses
/// input or another transport has replaced the one this frame came from.
/// `len` is `bytes.length`, from the glue: each call out of wasm costs, and this runs per frame.
fn feed_frame(inner: &Rc<RefCell<Inner>>, bytes: Uint8Array, len: u32) {
    let mut generation = None;
    match len {
        0 => {}
        // Nearly every frame is one chunk: fed as it is, with no `subarray` (nor a clone of
        // the JS value, which is a call out of wasm too).
        1..=INPUT_CHUNK => {
            feed_chunk(inner, bytes, len, &mut generation);
        }
        _ => {
            let mut offset = 0;
            while offset < len {
                let end = len.min(offset + INPUT_CHUNK);
                let chunk = bytes.subarray(offset, end);
                if !feed_chunk(inner, chunk, end - offset, &mut generation) {
                    break;
                }
                offset = end;
            }
        }
    }
}

/// Copies one chunk of `n` bytes into the core and delivers what it completed. False once
/// the core refuses input, or when the transport is no longer the one that was current at
/// the frame's first chunk (`generation`, set then).
fn feed_chunk(
    inner: &Rc<RefCell<Inner>>,
    chunk: Uint8Array,
    n: u32,
    generation: &mut Option<u64>,
) -> bool {
    let mut go_on = false;
    drive(inner, |i| {
        let current = i.core.transport_generation();
        if *generation.get_or_insert(current) != current || !i.core.accepts_input() {
            return;
        }
        let n = n as usize;
        copy_into(i.core.input_slot(n), &chunk);
        let start = i.core.input_len() - n;
        i.rows.clear();
        i.frame = Some((chunk, start));
        i.core.commit_input(i.now);
        go_on = i.core.accepts_input();
    });
    go_on
}

/// Reads what the glue's `authenticate(nonce)` returns: an array of
/// `[user, pass, auth_token, jwt, nkey, sig]` (strings or undefined), or, when the user's
/// authenticator threw, a string `"<code> <message>"`. The glue shapes it so that the wasm
/// reads no JS objects (reading their fields by name cost it more than the glue's few lines).
fn credentials_from_js(value: JsValue) -> Result<Credentials, Error> {
    if let Some(failure) = value.as_string() {
        let (code, message) = text::split_once(&failure, " ").unwrap_or(("", &failure));
        let code = match code {
            "BAD_CREDS" => ErrorCode::BadCreds,
            _ => ErrorCode::BadAuthentication,
        };
        return Err(Error::new(code, message));
    }
    let fields: Array = value.unchecked_into();
    let field = |i: u32| fields.get(i).as_string();
    Ok(Credentials {
        user: field(0),
        pass: field(1),
        auth_token: field(2),
        jwt: field(3),
        nkey: field(4),
        sig: field(5),
    })
}

/// The error of a call into the connection made while it was already running one (a JS
/// callback calling back in where that is not supported).
#[inline(never)]
fn reentered() -> Error {
    Error::new(ErrorCode::Unknown, "re-entrant call into the connection")
}

/// One connection to one server. Created by the JS glue's `connect()`.
#[wasm_bindgen]
pub struct WasmConnection {
    inner: Rc<RefCell<Inner>>,
    /// The error of the last method that returned [`FAILED`].
    failure: core::cell::Cell<Option<Error>>,
}

impl core::fmt::Debug for WasmConnection {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("WasmConnection").finish_non_exhaustive()
    }
}

/// Number `i` of `config` ([`setting`]), `None` when unset (NaN). The glue puts numbers only
/// in that part, so reading one with unary `+` cannot throw.
fn config_number(config: &Array, i: u32) -> Option<f64> {
    Some(config.get(i).unchecked_into_f64()).filter(|v| !v.is_nan())
}

/// Maps the glue's checked option values onto core options.
fn core_options(config: &Array) -> Options {
    let number = |i: u32| config_number(config, i);
    let flag = |i: u32, default: bool| number(i).map_or(default, |v| v != 0.0);
    let ms = |i: u32| number(i).map(|v| v.clamp(0.0, 1e15) as u64);
    let string = |i: u32| config.get(i).as_string();
    let mut o = Options::default();
    o.connect.name = string(config::NAME);
    o.connect.verbose = flag(config::VERBOSE, false);
    o.connect.pedantic = flag(config::PEDANTIC, false);
    o.connect.echo = !flag(config::NO_ECHO, false);
    o.connect.auth.user = string(config::USER);
    o.connect.auth.pass = string(config::PASS);
    o.connect.auth.auth_token = string(config::TOKEN);
    if let Some(v) = ms(config::PING_INTERVAL) {
        o.ping_interval = v.max(1);
    }
    if let Some(v) = ms(config::MAX_PING_OUT) {
        o.max_ping_out = v.min(u32::MAX as u64) as u32;
    }
    if let Some(v) = ms(config::TIMEOUT) {
        o.timeout = v;
    }
    if let Some(p) = string(config::INBOX_PREFIX) {
        o.inbox_prefix = p;
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
    o.seed = random_seed();
    o
}

fn random_seed() -> u64 {
    let hi = (js_sys::Math::random() * 4_294_967_296.0) as u64;
    let lo = (js_sys::Math::random() * 4_294_967_296.0) as u64;
    (hi << 32) ^ lo ^ now()
}

fn opt_count(v: f64) -> Option<u64> {
    (v.is_finite() && v >= 1.0).then_some(v as u64)
}

#[wasm_bindgen]
impl WasmConnection {
    /// Starts connecting to the servers at the end of `config` (server strings as the user
    /// gave them, already checked by the glue; `ws_url` turns each into the URL to dial).
    ///
    /// Options arrive checked and flattened by the glue (`config`: see [`setting`] and
    /// [`texts`]): parsing a JS object here cost the wasm more than the glue's few lines.
    /// `ws_url` normalises a server string the cluster gossips; `on_msgs` and `on_event` take
    /// what the connection delivers; `hooks` call [`WasmConnection::wake`] (see [`hook`]).
    #[wasm_bindgen(constructor)]
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        config: Array,
        on_msgs: Function,
        on_event: Function,
        ws_url: Function,
        delay_handler: Option<Function>,
        auth_fn: Option<Function>,
        ws_factory: Option<Function>,
        hooks: Array,
    ) -> WasmConnection {
        let mut options = core_options(&config);
        let flag = |i: u32| config_number(&config, i) == Some(1.0);
        let gossip_scheme = if flag(config::PLAIN_GOSSIP) {
            "ws:"
        } else {
            "wss:"
        };
        options.servers = (config::SERVERS..config.length())
            .filter_map(|i| config.get(i).as_string())
            .collect();
        options.auth_callback = auth_fn.is_some();
        let mut core = Connection::new(options, now());
        // Room for what accumulates before a send, plus the publish that crosses the line.
        core.reserve_output(SEND_NOW_BYTES + 16 * 1024);
        let hooks = Hooks(core::array::from_fn(|i| {
            hooks.get(i as u32).unchecked_into()
        }));
        let inner = Rc::new(RefCell::new(Inner {
            core,
            transport: None,
            gossip_scheme,
            copy_on_send: flag(config::COPY_ON_SEND),
            ws_url,
            delay_handler,
            auth_fn,
            ws_factory,
            sinks: Rc::new(Sinks { on_msgs, on_event }),
            timer: Timer::new(hooks.get(hook::TIMER).clone()),
            flush_scheduled: false,
            hooks,
            last_subject: String::new(),
            now: 0,
            frame: None,
            rows: Vec::new(),
        }));
        // The first dial happens on the timer, at once, after this constructor returns.
        if let Ok(mut i) = inner.try_borrow_mut() {
            i.arm_timer();
        }
        WasmConnection {
            inner,
            failure: core::cell::Cell::new(None),
        }
    }

    /// What the hook functions call (see [`hook`]): a socket frame or close, the timer, the
    /// end-of-task flush. For a frame, `data` is its bytes as a `Uint8Array` and `len` their
    /// length (the glue reads it: asking JS for it from here would be one more call out).
    pub fn wake(&self, which: u32, data: JsValue, len: u32) {
        match which {
            hook::FRAME => feed_frame(&self.inner, data.unchecked_into(), len),
            hook::CLOSED => drive(&self.inner, |i| {
                i.transport = None;
                i.ask_delay_handler();
                i.core.handle_transport_closed(i.now);
            }),
            hook::TIMER => drive(&self.inner, |i| {
                i.timer.fired();
                i.core.handle_timeout(i.now);
            }),
            hook::FLUSH => {
                if let Ok(mut i) = self.inner.try_borrow_mut() {
                    i.flush_scheduled = false;
                    i.transmit();
                }
            }
            _ => {}
        }
    }

    /// The error of the last method that returned [`FAILED`] (-1), as `"<code> <message>"`.
    #[wasm_bindgen(js_name = takeError)]
    pub fn take_error(&self) -> JsValue {
        self.failure
            .take()
            .as_ref()
            .map_or(JsValue::UNDEFINED, to_js_error)
    }

    /// A method's result for JS: the value, or [`FAILED`] with the error kept for
    /// `takeError()`.
    #[inline(never)]
    fn outcome(&self, result: Result<u32, Error>) -> f64 {
        match result {
            Ok(value) => value.into(),
            Err(e) => {
                self.failure.set(Some(e));
                FAILED
            }
        }
    }

    /// Runs `f` under a borrow, then schedules sending what it queued; see [`Self::outcome`].
    /// Generic and inlined: what is left of it per method is a borrow and two calls.
    #[inline(always)]
    fn with(&self, f: impl FnOnce(&mut Inner) -> Result<u32, Error>) -> f64 {
        let result = match self.inner.try_borrow_mut() {
            Ok(mut i) => {
                let out = f(&mut i);
                i.schedule_transmit();
                out
            }
            Err(_) => Err(reentered()),
        };
        self.outcome(result)
    }

    /// Publishes; fails with `BAD_SUBJECT`, `BAD_HEADER`, `MAX_PAYLOAD_EXCEEDED` or
    /// `CONNECTION_CLOSED` before anything is written. As every method that can fail, it
    /// returns [`FAILED`] then and keeps the error for `takeError()`. `payload` is taken by
    /// value: a borrowed JS argument costs wasm-bindgen's glue a stack of its own.
    pub fn publish(
        &self,
        subject: &str,
        reply: Option<String>,
        headers: Option<Vec<u8>>,
        payload: Uint8Array,
    ) -> f64 {
        self.with(|i| {
            // One copy: from the JS array straight into the output buffer.
            let len = payload.length() as usize;
            let slot = i
                .core
                .publish_slot(subject, reply.as_deref(), headers.as_deref(), len)?;
            copy_into(slot, &payload);
            if reply.is_none() && headers.is_none() && i.last_subject != subject {
                i.last_subject.clear();
                i.last_subject.push_str(subject);
            }
            Ok(0)
        })
    }

    /// The fast path of the common case, many messages to one subject: publishes `len` bytes
    /// to the subject of the last plain `publish` and returns the offset in wasm memory where
    /// JS must write the payload at once, before any other call. 0 means the fast path does
    /// not apply (no subject yet, closed, too big, buffer full): JS then calls `publish`,
    /// which reports the coded error. Saves passing and checking the subject string.
    #[wasm_bindgen(js_name = publishAgain)]
    pub fn publish_again(&self, len: u32) -> u32 {
        let Ok(mut guard) = self.inner.try_borrow_mut() else {
            return 0;
        };
        let i = &mut *guard;
        // Nothing may be sent between handing out the slot and JS filling it, so send what
        // is due first, and afterwards only schedule.
        if i.core.poll_transmit().len() >= SEND_NOW_BYTES {
            i.transmit();
        }
        if i.last_subject.is_empty() {
            return 0;
        }
        let at = match i
            .core
            .publish_slot(&i.last_subject, None, None, len as usize)
        {
            Ok(slot) => slot.as_mut_ptr() as u32,
            Err(_) => return 0,
        };
        i.schedule_flush_task();
        at
    }

    /// Subscribes; returns the sid. `max` and `timeout` of 0 mean none.
    pub fn subscribe(&self, subject: &str, queue: Option<String>, max: f64, timeout: f64) -> f64 {
        let t = now();
        self.with(|i| {
            let sid = i.core.subscribe(
                subject,
                queue.as_deref(),
                opt_count(max),
                opt_count(timeout),
                t,
            )?;
            i.arm_timer();
            Ok(sid as u32)
        })
    }

    /// Sends a request on the shared reply subscription; returns its id.
    pub fn request(
        &self,
        subject: &str,
        headers: Option<Vec<u8>>,
        payload: &[u8],
        timeout: f64,
        many: bool,
    ) -> f64 {
        let t = now();
        if !(timeout.is_finite() && timeout >= 0.0) {
            return self.outcome(Err(Error::new(
                ErrorCode::InvalidOption,
                "timeout must be a non-negative number of milliseconds",
            )));
        }
        let timeout = timeout.min(1e15) as u64;
        self.with(|i| {
            let id = i
                .core
                .request(subject, headers.as_deref(), payload, timeout, many, t)?;
            i.arm_timer();
            Ok(id)
        })
    }

    /// The connection's operations that take at most two numbers, by [`op`] position (`a`
    /// and `b` as each lists; NaN when not given). One export for them all: each export cost
    /// a shim in the wasm and a method in wasm-bindgen's glue. Returns what the operation
    /// does, or [`FAILED`] (see `takeError()`); 0 when it returns nothing.
    pub fn control(&self, which: u32, a: f64, b: f64) -> f64 {
        // Ids and sids are u32s the glue got from this object; anything else matches none.
        let id = a as u32;
        match which {
            op::UNSUBSCRIBE => self.unsubscribe(id, b),
            op::DRAIN_SUBSCRIPTION => self.drain_subscription(id),
            op::CANCEL_REQUEST => self.cancel_request(id),
            op::FLUSH => self.flush(),
            op::DRAIN => self.drain(),
            op::RECONNECT => self.reconnect(),
            op::SET_ONLINE => {
                self.set_online(a == 1.0);
                0.0
            }
            op::CHECK_LIVENESS => {
                self.check_liveness();
                0.0
            }
            op::CLOSE => {
                self.close();
                0.0
            }
            op::STATS => self.stats(id),
            _ => 0.0,
        }
    }
}

/// What [`WasmConnection::control`] runs; also called directly by Rust tests.
impl WasmConnection {
    /// Drops the current transport and reconnects (nats.ws `reconnect()`).
    pub fn reconnect(&self) -> f64 {
        let mut result = Ok(());
        drive(&self.inner, |i| result = i.core.force_reconnect());
        self.outcome(result.map(|()| 0))
    }

    /// Unsubscribes now or after `max` messages in all (0: now). 1 when gone now, else 0.
    pub fn unsubscribe(&self, sid: u32, max: f64) -> f64 {
        self.with(|i| {
            Ok(u32::from(
                i.core.unsubscribe(u64::from(sid), opt_count(max)),
            ))
        })
    }

    /// Drains a subscription; returns the flush id whose completion ends it.
    pub fn drain_subscription(&self, sid: u32) -> f64 {
        self.with(|i| i.core.drain_subscription(u64::from(sid)))
    }

    /// Stops waiting for replies to request `id`.
    pub fn cancel_request(&self, id: u32) -> f64 {
        self.with(|i| {
            i.core.cancel_request(id);
            Ok(0)
        })
    }

    /// Sends a PING; returns the id that `Flushed` will carry.
    pub fn flush(&self) -> f64 {
        self.with(|i| i.core.flush())
    }

    /// Starts draining the connection.
    pub fn drain(&self) -> f64 {
        self.with(|i| i.core.drain().map(|()| 0))
    }

    /// The page went online or offline (the glue forwards the `online` and `offline` events):
    /// offline stops dialing and drops the socket; online dials at once.
    pub fn set_online(&self, online: bool) {
        drive(&self.inner, |i| i.core.set_online(online, i.now));
    }

    /// The page became visible (the glue forwards `visibilitychange`): a socket that died
    /// while the tab slept is noticed now, not at the next ping.
    pub fn check_liveness(&self) {
        drive(&self.inner, |i| {
            i.core
                .check_liveness(i.now, crate::proto::conn::LIVENESS_DEADLINE)
        });
    }

    /// Closes now; `onEvent(Closed)` follows synchronously.
    pub fn close(&self) {
        drive(&self.inner, |i| {
            i.transmit();
            i.core.close();
        });
    }

    /// Counter `which` of `[inMsgs, outMsgs, inBytes, outBytes]` (a number per call: an
    /// array would cross through memory).
    pub fn stats(&self, which: u32) -> f64 {
        self.inner.try_borrow().map_or(0.0, |i| {
            let s = i.core.stats();
            let n = match which {
                stat::IN_MSGS => s.in_msgs,
                stat::OUT_MSGS => s.out_msgs,
                stat::IN_BYTES => s.in_bytes,
                _ => s.out_bytes,
            };
            n as f64
        })
    }
}
