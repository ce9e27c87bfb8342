//! `WasmConnection`: the protocol core driven by a WebSocket and a timer, exported to JS.
//!
//! The npm package's glue (pkg-template/index.js) wraps this class in the nats.ws API. Two
//! callbacks carry everything back to JS, once per batch rather than once per message:
//! `onMsgs(table: Uint32Array, bytes: Uint8Array)` with the core's delivery table (see
//! `proto::conn::field`), and `onEvent(kind, a, b)` for everything else (see [`EventKind`]).
//!
//! Re-entrancy rule: JS is only ever called while no `RefCell` borrow is held, because JS
//! callbacks call back into this object (a message handler publishing a reply, say).

use std::cell::RefCell;
use std::rc::{Rc, Weak};

use gloo_timers::callback::Timeout;
use js_sys::{Function, Reflect, Uint32Array, Uint8Array};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::prelude::*;

use super::transport::Transport;
use crate::proto::{Connection, Error, ErrorCode, Event, Options};

/// Output larger than this is sent at once instead of waiting for the microtask flush.
const SEND_NOW_BYTES: usize = 64 * 1024;

#[wasm_bindgen]
extern "C" {
    /// `queueMicrotask`, present in windows and workers alike.
    #[wasm_bindgen(js_name = queueMicrotask)]
    fn queue_microtask(f: &Function);
}

/// Event kinds passed as the first argument of `onEvent`.
#[wasm_bindgen]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    /// Handshake done; `a` is the INFO JSON text.
    Connected = 1,
    /// New INFO; `a` is its JSON text.
    InfoUpdated = 2,
    /// Flush or subscription drain `a` completed.
    Flushed = 3,
    /// Subscription `a` closed; `b` is an error or undefined.
    SubClosed = 4,
    /// Request `a` failed with error `b`.
    RequestFailed = 5,
    /// Asynchronous server error `a` (permissions); the connection stays up.
    ServerError = 6,
    /// The connection closed; `a` is the error or undefined.
    Closed = 7,
}

/// Milliseconds since the epoch: wall clock, so throttled timers in background tabs still
/// measure real elapsed time.
fn now() -> u64 {
    js_sys::Date::now() as u64
}

/// Turns a core error into a JS `Error` with a nats.ws `code`.
pub(crate) fn to_js_error(err: &Error) -> JsValue {
    let e = js_sys::Error::new(&err.message);
    let _ = Reflect::set(&e, &"code".into(), &err.code.as_str().into());
    e.into()
}

fn invalid_option(message: String) -> JsValue {
    to_js_error(&Error::new(ErrorCode::InvalidOption, message))
}

struct Inner {
    core: Connection,
    transport: Option<Transport>,
    on_msgs: Function,
    on_event: Function,
    timer: Option<(u64, Timeout)>,
    flush_scheduled: bool,
    flush_task: Option<Closure<dyn FnMut()>>,
    this: Weak<RefCell<Inner>>,
}

/// What to hand to JS after a borrow is released.
enum Outgoing {
    Msgs(Uint32Array, Uint8Array),
    Event(EventKind, JsValue, JsValue),
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
    fn schedule_transmit(&mut self) {
        if self.core.poll_transmit().len() >= SEND_NOW_BYTES {
            self.transmit();
            return;
        }
        if self.flush_scheduled || self.core.poll_transmit().is_empty() {
            return;
        }
        if self.flush_task.is_none() {
            let weak = self.this.clone();
            self.flush_task = Some(Closure::<dyn FnMut()>::new(move || {
                if let Some(inner) = weak.upgrade() {
                    if let Ok(mut i) = inner.try_borrow_mut() {
                        i.flush_scheduled = false;
                        i.transmit();
                    }
                }
            }));
        }
        if let Some(task) = &self.flush_task {
            self.flush_scheduled = true;
            queue_microtask(task.as_ref().unchecked_ref());
        }
    }

    /// Collects the core's output after an input: deliveries first, then events.
    fn collect(&mut self, out: &mut Vec<Outgoing>) {
        let (table, bytes) = self.core.poll_deliveries();
        if !table.is_empty() {
            out.push(Outgoing::Msgs(
                Uint32Array::from(table),
                Uint8Array::from(bytes),
            ));
        }
        let mut closed = false;
        while let Some(ev) = self.core.poll_event() {
            let item = match ev {
                Event::Connected => Outgoing::Event(
                    EventKind::Connected,
                    self.core.info_json().into(),
                    JsValue::UNDEFINED,
                ),
                Event::InfoUpdated => Outgoing::Event(
                    EventKind::InfoUpdated,
                    self.core.info_json().into(),
                    JsValue::UNDEFINED,
                ),
                Event::Flushed(id) => {
                    Outgoing::Event(EventKind::Flushed, id.into(), JsValue::UNDEFINED)
                }
                Event::SubClosed { sid, error } => Outgoing::Event(
                    EventKind::SubClosed,
                    (sid as f64).into(),
                    error.as_ref().map_or(JsValue::UNDEFINED, to_js_error),
                ),
                Event::RequestFailed { id, error } => {
                    Outgoing::Event(EventKind::RequestFailed, id.into(), to_js_error(&error))
                }
                Event::ServerError(error) => Outgoing::Event(
                    EventKind::ServerError,
                    to_js_error(&error),
                    JsValue::UNDEFINED,
                ),
                Event::Closed(error) => {
                    closed = true;
                    Outgoing::Event(
                        EventKind::Closed,
                        error.as_ref().map_or(JsValue::UNDEFINED, to_js_error),
                        JsValue::UNDEFINED,
                    )
                }
            };
            out.push(item);
        }
        self.transmit();
        if closed {
            self.shut_down();
        } else {
            self.arm_timer();
        }
    }

    /// After the core closed: close the socket (queued frames still go out first) and drop
    /// the timer. Listeners are detached when the transport is dropped.
    fn shut_down(&mut self) {
        self.timer = None;
        if let Some(t) = self.transport.take() {
            t.close();
        }
    }

    /// Keeps one browser timer armed for the core's next deadline.
    fn arm_timer(&mut self) {
        let Some(deadline) = self.core.poll_timeout() else {
            self.timer = None;
            return;
        };
        if self.timer.as_ref().is_some_and(|(at, _)| *at == deadline) {
            return;
        }
        // setTimeout takes a signed 32-bit delay.
        let delay = deadline.saturating_sub(now()).min(i32::MAX as u64) as u32;
        let weak = self.this.clone();
        let timeout = Timeout::new(delay, move || {
            if let Some(inner) = weak.upgrade() {
                drive(&inner, |i| {
                    i.timer = None;
                    i.core.handle_timeout(now());
                });
            }
        });
        self.timer = Some((deadline, timeout));
    }
}

/// Runs `f` on the core under a borrow, then hands the results to JS without it.
fn drive(inner: &Rc<RefCell<Inner>>, f: impl FnOnce(&mut Inner)) {
    let mut out = Vec::new();
    let (on_msgs, on_event) = {
        let Ok(mut i) = inner.try_borrow_mut() else {
            return;
        };
        f(&mut i);
        i.collect(&mut out);
        (i.on_msgs.clone(), i.on_event.clone())
    };
    for item in out {
        // A throwing JS handler must not stop the others from running.
        let _ = match item {
            Outgoing::Msgs(table, bytes) => on_msgs.call2(&JsValue::UNDEFINED, &table, &bytes),
            Outgoing::Event(kind, a, b) => {
                on_event.call3(&JsValue::UNDEFINED, &(kind as u32).into(), &a, &b)
            }
        };
    }
}

/// One connection to one server. Created by the JS glue's `connect()`.
#[wasm_bindgen]
pub struct WasmConnection {
    inner: Rc<RefCell<Inner>>,
}

impl std::fmt::Debug for WasmConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WasmConnection").finish_non_exhaustive()
    }
}

fn opt_string(opts: &JsValue, key: &str) -> Result<Option<String>, JsValue> {
    let v = Reflect::get(opts, &key.into())?;
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    v.as_string()
        .map(Some)
        .ok_or_else(|| invalid_option(format!("option '{key}' must be a string")))
}

fn opt_bool(opts: &JsValue, key: &str) -> Result<Option<bool>, JsValue> {
    let v = Reflect::get(opts, &key.into())?;
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    v.as_bool()
        .map(Some)
        .ok_or_else(|| invalid_option(format!("option '{key}' must be a boolean")))
}

fn opt_ms(opts: &JsValue, key: &str) -> Result<Option<u64>, JsValue> {
    let v = Reflect::get(opts, &key.into())?;
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    match v.as_f64() {
        Some(n) if (0.0..=1e15).contains(&n) => Ok(Some(n as u64)),
        _ => Err(invalid_option(format!(
            "option '{key}' must be a non-negative number of milliseconds"
        ))),
    }
}

/// Maps the (already normalised) JS options object onto core options.
fn core_options(opts: &JsValue) -> Result<Options, JsValue> {
    let mut o = Options::default();
    o.connect.name = opt_string(opts, "name")?;
    o.connect.verbose = opt_bool(opts, "verbose")?.unwrap_or(false);
    o.connect.pedantic = opt_bool(opts, "pedantic")?.unwrap_or(false);
    o.connect.echo = !opt_bool(opts, "noEcho")?.unwrap_or(false);
    o.connect.user = opt_string(opts, "user")?;
    o.connect.pass = opt_string(opts, "pass")?;
    o.connect.auth_token = opt_string(opts, "token")?;
    if let Some(v) = opt_ms(opts, "pingInterval")? {
        o.ping_interval = v.max(1);
    }
    if let Some(v) = opt_ms(opts, "maxPingOut")? {
        o.max_ping_out = v.min(u32::MAX as u64) as u32;
    }
    if let Some(v) = opt_ms(opts, "timeout")? {
        o.timeout = v;
    }
    if let Some(p) = opt_string(opts, "inboxPrefix")? {
        o.inbox_prefix = p;
    }
    o.seed = random_seed();
    Ok(o)
}

fn random_seed() -> u64 {
    let hi = (js_sys::Math::random() * 4_294_967_296.0) as u64;
    let lo = (js_sys::Math::random() * 4_294_967_296.0) as u64;
    (hi << 32) ^ lo ^ now()
}

fn js_err(err: Error) -> JsValue {
    to_js_error(&err)
}

fn opt_count(v: f64) -> Option<u64> {
    (v.is_finite() && v >= 1.0).then_some(v as u64)
}

#[wasm_bindgen]
impl WasmConnection {
    /// Dials `server` (any nats.ws server string) and starts the handshake.
    #[wasm_bindgen(constructor)]
    pub fn new(
        server: &str,
        opts: JsValue,
        on_msgs: Function,
        on_event: Function,
    ) -> Result<WasmConnection, JsValue> {
        console_error_panic_hook::set_once();
        let core = Connection::new(core_options(&opts)?, now());
        let url = super::url::websocket_url(server).map_err(|_| {
            invalid_option(format!(
                "invalid server URL {}",
                crate::proto::error::quoted(server)
            ))
        })?;
        let inner = Rc::new_cyclic(|this| {
            RefCell::new(Inner {
                core,
                transport: None,
                on_msgs,
                on_event,
                timer: None,
                flush_scheduled: false,
                flush_task: None,
                this: this.clone(),
            })
        });
        let on_frame = {
            let weak = Rc::downgrade(&inner);
            move |data: JsValue| {
                let Some(inner) = weak.upgrade() else { return };
                drive(&inner, |i| {
                    if let Some(text) = data.as_string() {
                        i.core.handle_input(text.as_bytes(), now());
                    } else {
                        let bytes = Uint8Array::new(&data);
                        let n = bytes.length() as usize;
                        bytes.copy_to(i.core.input_slot(n));
                        i.core.commit_input(now());
                    }
                });
            }
        };
        let on_close = {
            let weak = Rc::downgrade(&inner);
            move || {
                let Some(inner) = weak.upgrade() else { return };
                drive(&inner, |i| i.core.handle_transport_closed());
            }
        };
        let transport = Transport::open(&url, on_frame, on_close).map_err(|e| {
            let msg = e
                .as_string()
                .or_else(|| Reflect::get(&e, &"message".into()).ok()?.as_string())
                .unwrap_or_default();
            to_js_error(&Error::new(
                ErrorCode::ConnectionRefused,
                format!("cannot open a WebSocket to {url}: {msg}"),
            ))
        })?;
        {
            let mut i = inner.borrow_mut();
            i.transport = Some(transport);
            i.arm_timer();
        }
        Ok(WasmConnection { inner })
    }

    fn with<T>(&self, f: impl FnOnce(&mut Inner) -> T) -> Result<T, JsValue> {
        let mut i = self.inner.try_borrow_mut().map_err(|_| {
            to_js_error(&Error::new(
                ErrorCode::Unknown,
                "re-entrant call into the connection",
            ))
        })?;
        let out = f(&mut i);
        i.schedule_transmit();
        Ok(out)
    }

    /// Publishes; throws `BAD_SUBJECT`, `BAD_HEADER`, `MAX_PAYLOAD_EXCEEDED`,
    /// `CONNECTION_CLOSED` before anything is written.
    pub fn publish(
        &self,
        subject: &str,
        reply: Option<String>,
        headers: Option<Vec<u8>>,
        payload: &[u8],
    ) -> Result<(), JsValue> {
        self.with(|i| {
            i.core
                .publish(subject, reply.as_deref(), headers.as_deref(), payload)
        })?
        .map_err(js_err)
    }

    /// Subscribes; returns the sid. `max` and `timeout` of 0 mean none.
    pub fn subscribe(
        &self,
        subject: &str,
        queue: Option<String>,
        max: f64,
        timeout: f64,
    ) -> Result<u32, JsValue> {
        let t = now();
        let res = self.with(|i| {
            let sid = i.core.subscribe(
                subject,
                queue.as_deref(),
                opt_count(max),
                opt_count(timeout),
                t,
            );
            i.arm_timer();
            sid
        })?;
        res.map(|sid| sid as u32).map_err(js_err)
    }

    /// Unsubscribes now or after `max` messages in all (0: now). True when gone now.
    pub fn unsubscribe(&self, sid: u32, max: f64) -> Result<bool, JsValue> {
        self.with(|i| i.core.unsubscribe(u64::from(sid), opt_count(max)))
    }

    /// Drains a subscription; returns the flush id whose completion ends it.
    #[wasm_bindgen(js_name = drainSubscription)]
    pub fn drain_subscription(&self, sid: u32) -> Result<u32, JsValue> {
        self.with(|i| i.core.drain_subscription(u64::from(sid)))?
            .map_err(js_err)
    }

    /// Sends a request on the shared reply subscription; returns its id.
    pub fn request(
        &self,
        subject: &str,
        headers: Option<Vec<u8>>,
        payload: &[u8],
        timeout: f64,
        many: bool,
    ) -> Result<u32, JsValue> {
        let t = now();
        let timeout = if timeout.is_finite() && timeout >= 0.0 {
            timeout.min(1e15) as u64
        } else {
            return Err(invalid_option(
                "timeout must be a non-negative number of milliseconds".into(),
            ));
        };
        self.with(|i| {
            let id = i
                .core
                .request(subject, headers.as_deref(), payload, timeout, many, t);
            i.arm_timer();
            id
        })?
        .map_err(js_err)
    }

    /// Stops waiting for replies to request `id`.
    #[wasm_bindgen(js_name = cancelRequest)]
    pub fn cancel_request(&self, id: u32) -> Result<(), JsValue> {
        self.with(|i| i.core.cancel_request(id))
    }

    /// Sends a PING; returns the id that `Flushed` will carry.
    pub fn flush(&self) -> Result<u32, JsValue> {
        self.with(|i| i.core.flush())?.map_err(js_err)
    }

    /// Starts draining the connection.
    pub fn drain(&self) -> Result<(), JsValue> {
        self.with(|i| i.core.drain())?.map_err(js_err)
    }

    /// Closes now; `onEvent(Closed)` follows synchronously.
    pub fn close(&self) {
        drive(&self.inner, |i| {
            i.transmit();
            i.core.close();
        });
    }

    /// The server's latest INFO as JSON text.
    #[wasm_bindgen(js_name = infoJson)]
    pub fn info_json(&self) -> String {
        self.inner
            .try_borrow()
            .map(|i| i.core.info_json().to_string())
            .unwrap_or_default()
    }

    /// `[inMsgs, outMsgs, inBytes, outBytes]`.
    pub fn stats(&self) -> Vec<f64> {
        self.inner
            .try_borrow()
            .map(|i| {
                let s = i.core.stats();
                vec![
                    s.in_msgs as f64,
                    s.out_msgs as f64,
                    s.in_bytes as f64,
                    s.out_bytes as f64,
                ]
            })
            .unwrap_or_default()
    }

    /// Messages received by subscription `sid` (-1 when it is closed).
    pub fn received(&self, sid: u32) -> f64 {
        self.inner
            .try_borrow()
            .ok()
            .and_then(|i| i.core.received(u64::from(sid)))
            .map_or(-1.0, |n| n as f64)
    }

    /// The server's `max_payload`.
    #[wasm_bindgen(js_name = maxPayload)]
    pub fn max_payload(&self) -> f64 {
        self.inner
            .try_borrow()
            .map_or(0.0, |i| i.core.max_payload() as f64)
    }

    /// A fresh NUID from this connection's generator.
    pub fn nuid(&self) -> String {
        self.inner
            .try_borrow_mut()
            .map(|mut i| i.core.next_nuid())
            .unwrap_or_default()
    }
}

thread_local! {
    static NUID: RefCell<crate::proto::nuid::Nuid> =
        RefCell::new(crate::proto::nuid::Nuid::new(random_seed()));
}

/// A fresh NUID (22 characters) for `createInbox()` and friends.
#[wasm_bindgen(js_name = nextNuid)]
pub fn next_nuid() -> String {
    NUID.with(|n| n.borrow_mut().next_id())
}

/// Checks a subject as `publish` would (`sub` false) or `subscribe` would (`sub` true).
#[wasm_bindgen(js_name = checkSubject)]
pub fn check_subject(subject: &str, sub: bool) -> Result<(), JsValue> {
    use crate::proto::subject::{validate_subject, SubjectKind};
    let kind = if sub {
        SubjectKind::Subscribe
    } else {
        SubjectKind::Publish
    };
    validate_subject(subject, kind).map_err(js_err)
}
