//! The connection state machine: everything a NATS client decides, with no I/O.
//!
//! # Contract (after quinn-proto)
//! - Transport: the core owns the server pool and decides when to dial. The edge opens a
//!   socket to the server [`Connection::poll_dial`] returns, closes it when
//!   [`Connection::wants_transport_closed`] says so, and reports every close with
//!   [`Connection::handle_transport_closed`]. Reconnecting is the same loop.
//! - Input: [`Connection::handle_input`] with bytes from the transport,
//!   [`Connection::handle_timeout`] when the deadline from [`Connection::poll_timeout`] passes,
//!   and the application
//!   calls (`publish`, `subscribe`, `request`, `flush`, `drain`, `close`...). Every input that
//!   depends on time takes `now` in milliseconds; the core never reads a clock.
//! - Output, polled after every input, in this order: [`Connection::poll_deliveries`]
//!   (messages, as a table of offsets into the parsed bytes), then [`Connection::poll_event`] until
//!   `None`, then [`Connection::poll_transmit`] for bytes to send, then
//!   [`Connection::poll_timeout`] for the next deadline. Messages of one input come before its
//!   events, so a flush resolves only after the messages that preceded its `PONG`.
//! - Each delivery is handed out once; the bytes it points into stay valid until the next
//!   `handle_input`.

use alloc::collections::BinaryHeap;

use super::fifo::Fifo;
use core::cmp::Reverse;
use core::num::NonZeroU64;

use super::encode::{self, ConnectFields, Credentials};
use super::error::{decimal, Error, ErrorCode};
use super::headers;
use super::intmap::IntMap;
use super::json::{self, Value};
use super::nuid::Nuid;
use super::parser::{self, Limits, MsgOp, ServerOp, Status};
use super::servers::{ServerPool, ServersChanged};
use super::subject::{validate_queue, validate_subject, SubjectKind};
use super::text::{self, part};
use crate::prelude::*;

/// Milliseconds a liveness check (after coming online or visible) waits for its PONG.
pub const LIVENESS_DEADLINE: u64 = 3000;

/// Number of `u32` fields per message in the delivery table.
pub const DELIVERY_STRIDE: usize = 11;

/// Field offsets inside one delivery-table row.
pub mod field {
    /// Subscription id.
    pub const SID: usize = 0;
    /// Request id for a reply to a muxed request, else 0.
    pub const REQUEST: usize = 1;
    /// Header status code (503, 408...), else 0.
    pub const STATUS: usize = 2;
    /// Subject offset and length.
    pub const SUBJECT: usize = 3;
    /// Reply subject offset and length (length 0: none).
    pub const REPLY: usize = 5;
    /// Header block offset and length (length 0: none).
    pub const HEADERS: usize = 7;
    /// Payload offset and length.
    pub const PAYLOAD: usize = 9;
}

/// Client settings the core needs; the edge maps JS options onto these.
#[derive(Debug, Clone)]
pub struct Options {
    /// CONNECT fields chosen by the user (name, verbose, pedantic, echo, credentials).
    pub connect: ConnectFields,
    /// Milliseconds between client PINGs.
    pub ping_interval: u64,
    /// Unanswered PINGs tolerated before the connection is stale.
    pub max_ping_out: u32,
    /// Milliseconds for the handshake to finish.
    pub timeout: u64,
    /// Prefix for inboxes (`_INBOX`).
    pub inbox_prefix: String,
    /// Seed for NUIDs and jitter (from a real entropy source at the edge).
    pub seed: u64,
    /// Servers to dial, as given by the user.
    pub servers: Vec<String>,
    /// Reconnect after losing a connection that was up.
    pub reconnect: bool,
    /// Failed attempts per server before it leaves the pool; negative: never.
    pub max_reconnect_attempts: i64,
    /// Milliseconds between attempts on the same server.
    pub reconnect_time_wait: u64,
    /// Up to this many extra random milliseconds per wait.
    pub reconnect_jitter: u64,
    /// Dial servers in the order given.
    pub no_randomize: bool,
    /// Ignore the cluster's `connect_urls`.
    pub ignore_cluster_updates: bool,
    /// Keep retrying servers that fail before the first successful connect.
    pub wait_on_first_connect: bool,
    /// Bytes of publishes kept while disconnected.
    pub reconnect_buf_size: usize,
    /// Ask the application for credentials at every handshake (it sees the server nonce)
    /// through [`Connection::poll_auth_request`] / [`Connection::provide_auth`].
    pub auth_callback: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            connect: ConnectFields {
                echo: true,
                lang: "nats-wasm",
                version: env!("CARGO_PKG_VERSION"),
                ..ConnectFields::default()
            },
            ping_interval: 120_000,
            max_ping_out: 2,
            timeout: 20_000,
            inbox_prefix: "_INBOX".into(),
            seed: 0x9E37_79B9_7F4A_7C15,
            servers: vec!["127.0.0.1:4222".into()],
            reconnect: true,
            max_reconnect_attempts: 10,
            reconnect_time_wait: 2000,
            reconnect_jitter: 100,
            no_randomize: false,
            ignore_cluster_updates: false,
            wait_on_first_connect: false,
            reconnect_buf_size: 8 << 20,
            auth_callback: false,
        }
    }
}

/// Where the connection is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// No transport: waiting to dial (first connect or reconnect).
    Disconnected,
    /// Transport open, waiting for the server's first `INFO`.
    AwaitingInfo,
    /// `CONNECT` and `PING` sent, waiting for the `PONG` that confirms them.
    Handshaking,
    /// Ready for traffic.
    Connected,
    /// `drain()` called: subscriptions are being drained, then the connection closes.
    Draining,
    /// Finished; every call fails with `CONNECTION_CLOSED`.
    Closed,
}

/// Something the application should learn about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// The handshake completed: `connect()` can resolve.
    Connected,
    /// The server sent a new `INFO` after the handshake.
    InfoUpdated,
    /// The flush (or subscription drain) with this id completed.
    Flushed(u32),
    /// A subscription ended: by `max`, by drain, by its `timeout`, or by a permissions error.
    SubClosed {
        /// Its id.
        sid: u64,
        /// Why, when it was not a normal end.
        error: Option<Error>,
    },
    /// A request ended without a reply (timeout).
    RequestFailed {
        /// Its id.
        id: u32,
        /// Why.
        error: Error,
    },
    /// An error reported by the server (`-ERR`); permissions errors keep the connection.
    ServerError(Error),
    /// A flush could not complete because the connection dropped.
    FlushFailed {
        /// Its id.
        id: u32,
        /// Why.
        error: Error,
    },
    /// The connection to `server` was lost; reconnecting follows.
    Disconnected {
        /// The server that was lost.
        server: String,
    },
    /// Dialing `server` again (a debug event).
    Reconnecting {
        /// The server being dialed.
        server: String,
    },
    /// Connected again, to `server`; subscriptions were restored.
    Reconnected {
        /// The server now in use.
        server: String,
    },
    /// The cluster advertised a different set of servers.
    ServersChanged(ServersChanged),
    /// The server is entering lame duck mode and will close soon.
    LameDuck {
        /// That server.
        server: String,
    },
    /// Pings went unanswered: the connection is considered dead.
    StaleConnection,
    /// A client ping was sent; `outstanding` are unanswered (a debug event).
    PingTimer {
        /// Pings sent and not yet answered.
        outstanding: u32,
    },
    /// `reconnect()` was called (a debug event).
    ClientInitiatedReconnect,
    /// The connection is closed; `None` after `close()` or a completed `drain()`.
    Closed(Option<Error>),
}

/// Counters reported by `stats()`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    /// Messages received.
    pub in_msgs: u64,
    /// Messages published.
    pub out_msgs: u64,
    /// Bytes received in messages (headers and payload).
    pub in_bytes: u64,
    /// Bytes published in messages (headers and payload).
    pub out_bytes: u64,
}

/// What the core keeps per subscription, kept small (32 bytes on wasm32): pages hold
/// thousands. A first-message timeout lives only in the timer queue: it fires if `received`
/// is still 0 by then.
#[derive(Debug)]
struct Sub {
    subject: Box<str>,
    queue: Option<Box<str>>,
    /// Auto-unsubscribe once this many messages arrived in all.
    max: Option<NonZeroU64>,
    received: u64,
}

#[derive(Debug)]
struct Request {
    deadline: u64,
    /// `requestMany`: stays open for several replies until cancelled or timed out.
    many: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PongWaiter {
    Handshake,
    KeepAlive,
    Flush(u32),
    SubDrain { sid: u64, id: u32 },
    Drain,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum TimerKey {
    Request(u32),
    Sub(u64),
}

#[derive(Debug)]
struct Mux {
    sid: u64,
    /// `<inbox>.` : a reply subject is this plus the request id.
    prefix: String,
}

/// The NATS client connection, without I/O.
#[derive(Debug)]
pub struct Connection {
    opts: Options,
    state: State,
    limits: Limits,
    nuid: Nuid,
    info: Option<Value>,
    info_json: String,
    server_headers: bool,

    /// Received bytes in `input[..filled]`; the rest of `input` is room already initialised,
    /// so a frame is copied in without zeroing its slot first.
    input: Vec<u8>,
    filled: usize,
    consumed: usize,
    deliveries: Vec<u32>,
    /// Length of `deliveries` already handed out by `poll_deliveries`.
    delivered: usize,
    events: Fifo<Event>,
    output: Vec<u8>,
    /// The output capacity the edge asked for (see [`Connection::reserve_output`]).
    output_reserve: usize,

    subs: IntMap<u64, Sub>,
    next_sid: u64,
    mux: Option<Mux>,
    requests: IntMap<u32, Request>,
    next_request: u32,
    next_flush: u32,
    pongs: Fifo<PongWaiter>,
    pings_out: u32,
    timers: BinaryHeap<Reverse<(u64, TimerKey)>>,
    connect_deadline: u64,
    next_ping: Option<u64>,
    stats: Stats,

    pool: ServerPool,
    /// The server chosen for the next dial, and when it may be dialed.
    dial: Option<(String, u64)>,
    connected_once: bool,
    /// The browser says there is no network: do not dial until it says otherwise.
    offline: bool,
    close_transport: bool,
    /// The current transport carried bytes no server sends (a parse error, a bad INFO).
    garbage: bool,
    last_error: Option<Error>,
    /// Publishes and flushes made while disconnected, sent after the next handshake.
    pending: Vec<u8>,
    /// The server nonce, while the application is being asked for credentials.
    auth_request: Option<String>,
    /// The current transport is encrypted (`wss://`): a server whose INFO says
    /// `tls_required` is refused over anything else.
    transport_secure: bool,
    /// Counts dials, so the edge can tell which transport bytes came from.
    dials: u64,
}

impl Connection {
    /// A connection that will dial its first server at once (see [`Connection::poll_dial`]).
    pub fn new(opts: Options, now: u64) -> Self {
        let mut nuid = Nuid::new(opts.seed);
        let mut pool = ServerPool::new(&opts.servers, !opts.no_randomize, || nuid.random());
        pool.max_attempts = opts.max_reconnect_attempts;
        pool.wait_on_first_connect = opts.wait_on_first_connect;
        let dial = pool.next(now, 0).map(|(s, at)| (s.url, at));
        let mut c = Connection {
            nuid,
            connect_deadline: now.saturating_add(opts.timeout),
            opts,
            state: State::Disconnected,
            limits: Limits::default(),
            info: None,
            info_json: String::new(),
            server_headers: false,
            input: Vec::new(),
            filled: 0,
            consumed: 0,
            deliveries: Vec::new(),
            delivered: 0,
            events: Fifo::new(),
            output: Vec::new(),
            output_reserve: 64 << 10,
            subs: IntMap::new(),
            next_sid: 1,
            mux: None,
            requests: IntMap::new(),
            next_request: 1,
            next_flush: 1,
            pongs: Fifo::new(),
            pings_out: 0,
            timers: BinaryHeap::new(),
            next_ping: None,
            stats: Stats::default(),
            pool,
            dial,
            connected_once: false,
            offline: false,
            close_transport: false,
            garbage: false,
            last_error: None,
            pending: Vec::new(),
            auth_request: None,
            transport_secure: false,
            dials: 0,
        };
        if c.dial.is_none() {
            c.finish(Some(Error::new(
                ErrorCode::InvalidOption,
                "no servers to connect to",
            )));
        }
        c
    }

    // ----- getters -------------------------------------------------------------------------

    /// Where the connection is in its life.
    pub fn state(&self) -> State {
        self.state
    }

    /// True once closed.
    pub fn is_closed(&self) -> bool {
        self.state == State::Closed
    }

    /// The server in use (or being dialed), as given or as advertised.
    pub fn current_server(&self) -> Option<&str> {
        self.pool.current().map(|s| s.url.as_str())
    }

    /// Whether the current server was learned from the cluster (`host:port`, no scheme).
    pub fn current_server_gossiped(&self) -> bool {
        self.pool.current().is_some_and(|s| s.gossiped)
    }

    // ----- transport -----------------------------------------------------------------------

    /// The server to open a transport to now, if it is time. Each returned server must be
    /// answered by exactly one [`Connection::handle_transport_closed`] when that transport
    /// ends (including when it could not be opened at all).
    #[must_use]
    pub fn poll_dial(&mut self, now: u64) -> Option<String> {
        if self.state != State::Disconnected || self.offline {
            return None;
        }
        let (url, at) = self.dial.as_ref()?;
        if now < *at {
            return None;
        }
        let url = url.clone();
        self.dial = None;
        self.dials += 1;
        self.pool.dialing(now);
        self.state = State::AwaitingInfo;
        self.connect_deadline = now.saturating_add(self.opts.timeout);
        self.reset_transport_state();
        if self.connected_once {
            self.events.push_back(Event::Reconnecting {
                server: url.clone(),
            });
        }
        Some(url)
    }

    /// Which dial the current transport belongs to: input from an older one is stale.
    pub fn transport_generation(&self) -> u64 {
        self.dials
    }

    /// True while input would be processed: a transport is up and the core has not asked
    /// to close it. The edge stops feeding a large frame once this turns false.
    pub fn accepts_input(&self) -> bool {
        !matches!(self.state, State::Closed | State::Disconnected) && !self.close_transport
    }

    /// The edge says whether the transport it opened for the last dial is encrypted.
    pub fn set_transport_secure(&mut self, secure: bool) {
        self.transport_secure = secure;
    }

    /// True when the core wants the current transport closed (stale, protocol error, lame
    /// duck, `reconnect()`); the edge closes it and reports it with `handle_transport_closed`.
    pub fn wants_transport_closed(&self) -> bool {
        self.close_transport && self.state != State::Closed
    }

    fn reset_transport_state(&mut self) {
        self.input.clear();
        self.filled = 0;
        self.consumed = 0;
        self.deliveries.clear();
        self.delivered = 0;
        self.output.clear();
        self.pings_out = 0;
        self.next_ping = None;
        self.limits = Limits::default();
        self.info = None;
        self.close_transport = false;
        self.garbage = false;
    }

    /// Ends the current transport with `err` (kept as the reason if no server is left).
    fn fail_transport(&mut self, err: Error) {
        if self.state == State::Closed {
            return;
        }
        self.last_error = Some(err);
        self.close_transport = true;
    }

    /// The transport closed (or could not be opened): reconnect, or end the connection.
    pub fn handle_transport_closed(&mut self, now: u64) {
        let was = self.state;
        if matches!(was, State::Closed | State::Disconnected) {
            return;
        }
        self.close_transport = false;
        let err = self.last_error.take().unwrap_or_else(|| {
            if matches!(was, State::AwaitingInfo | State::Handshaking) {
                let server = self.current_server().unwrap_or_default().to_string();
                Error::new(
                    ErrorCode::ConnectionRefused,
                    text::concat(&["could not connect to ", &server]),
                )
            } else {
                Error::new(
                    ErrorCode::Disconnect,
                    "the connection to the server was lost",
                )
            }
        });
        let server = self.current_server().unwrap_or_default().to_string();
        match was {
            State::AwaitingInfo | State::Handshaking => self.pool.failed(self.connected_once),
            State::Draining => return self.finish(Some(err)),
            _ => {
                if self.garbage {
                    self.pool.protocol_error();
                }
                if !self.opts.reconnect {
                    return self.finish(Some(err));
                }
                self.events.push_back(Event::Disconnected { server });
                self.fail_inflight();
            }
        }
        self.reset_transport_state();
        self.state = State::Disconnected;
        let jitter = match self.opts.reconnect_jitter {
            0 => 0,
            // checked_rem: the divisor is never 0, but `%` would still link a panic for it.
            j => self
                .nuid
                .random()
                .checked_rem(j.saturating_add(1))
                .unwrap_or(0),
        };
        let wait = self.opts.reconnect_time_wait.saturating_add(jitter);
        match self.pool.next(now, wait) {
            Some((server, at)) => self.dial = Some((server.url, at)),
            None => self.finish(Some(err)),
        }
    }

    /// Fails what cannot survive a lost transport: requests (their replies are gone),
    /// flushes, and subscription drains (which complete, since the subscription is gone too).
    fn fail_inflight(&mut self) {
        let lost = || {
            Error::new(
                ErrorCode::Disconnect,
                "the connection to the server was lost",
            )
        };
        for (id, _) in self.requests.drain() {
            self.events
                .push_back(Event::RequestFailed { id, error: lost() });
        }
        while let Some(waiter) = self.pongs.pop_front() {
            match waiter {
                PongWaiter::Flush(id) => self
                    .events
                    .push_back(Event::FlushFailed { id, error: lost() }),
                PongWaiter::SubDrain { sid, id } => {
                    if self.subs.remove(&sid).is_some() {
                        self.events.push_back(Event::SubClosed { sid, error: None });
                    }
                    self.events.push_back(Event::Flushed(id));
                }
                PongWaiter::Handshake | PongWaiter::KeepAlive | PongWaiter::Drain => {}
            }
        }
    }

    /// The browser went offline (`false`) or online (`true`). Offline drops the transport at
    /// once and stops dialing, so no reconnect attempt is burnt without a network; online
    /// dials at once if disconnected, or checks that the current connection still works.
    pub fn set_online(&mut self, online: bool, now: u64) {
        self.offline = !online;
        match (online, self.state) {
            (false, State::Connected | State::AwaitingInfo | State::Handshaking) => {
                self.fail_transport(Error::new(
                    ErrorCode::Disconnect,
                    "the browser went offline",
                ));
            }
            (true, State::Disconnected) => {
                if let Some((_, at)) = self.dial.as_mut() {
                    *at = now;
                }
            }
            (true, State::Connected) => self.check_liveness(now, LIVENESS_DEADLINE),
            _ => {}
        }
    }

    /// `reconnect()`: drop the current transport and dial again.
    pub fn force_reconnect(&mut self) -> Result<(), Error> {
        self.check_open(false)?;
        if self.state == State::Connected {
            self.events.push_back(Event::ClientInitiatedReconnect);
            self.fail_transport(Error::new(
                ErrorCode::Disconnect,
                "reconnect requested by the client",
            ));
        }
        Ok(())
    }

    /// The server's latest `INFO` as JSON text (empty before the first).
    pub fn info_json(&self) -> &str {
        &self.info_json
    }

    /// The server's `max_payload` (1 MiB until `INFO` says otherwise).
    pub fn max_payload(&self) -> usize {
        self.limits.max_payload
    }

    /// Traffic counters.
    pub fn stats(&self) -> Stats {
        self.stats
    }

    /// Messages received so far on subscription `sid`, if it is open.
    pub fn received(&self, sid: u64) -> Option<u64> {
        self.subs.get(&sid).map(|s| s.received)
    }

    /// Number of open subscriptions (the request mux included).
    pub fn subscription_count(&self) -> usize {
        self.subs.len()
    }

    // ----- input ---------------------------------------------------------------------------

    /// Space for `n` more input bytes, to be filled and then passed to
    /// [`Connection::commit_input`]; lets the edge copy a frame straight into place.
    pub fn input_slot(&mut self, n: usize) -> &mut [u8] {
        self.compact_input();
        let start = self.filled;
        self.filled += n;
        if self.input.len() < self.filled {
            self.input.resize(self.filled, 0);
        }
        self.input.get_mut(start..self.filled).unwrap_or_default()
    }

    /// Bytes in the input buffer; the last slot from [`Connection::input_slot`] ends here, so
    /// the edge can tell which delivery offsets fall inside the frame it just copied in.
    pub fn input_len(&self) -> usize {
        self.filled
    }

    /// Processes the bytes placed with [`Connection::input_slot`].
    pub fn commit_input(&mut self, now: u64) {
        if !self.accepts_input() {
            return;
        }
        loop {
            let buf = part(&self.input, self.consumed..self.filled);
            if buf.is_empty() {
                break;
            }
            match parser::parse(buf, &self.limits) {
                Ok(Status::Complete(op, n)) => {
                    let base = self.consumed;
                    self.consumed += n;
                    self.handle_op(op, base, now);
                    if self.state == State::Closed || self.close_transport {
                        break;
                    }
                }
                Ok(Status::Partial) => break,
                Err(e) => {
                    self.garbage = true;
                    self.fail_transport(Error::new(ErrorCode::ProtocolError, e.message()));
                    break;
                }
            }
        }
    }

    /// Processes bytes received from the transport (copying them in).
    pub fn handle_input(&mut self, data: &[u8], now: u64) {
        fill(self.input_slot(data.len()), data);
        self.commit_input(now);
    }

    /// Drops bytes already parsed and the delivery rows pointing at them.
    fn compact_input(&mut self) {
        self.deliveries.clear();
        self.delivered = 0;
        if self.consumed > 0 {
            // Always true; stated so that `copy_within` links no panic path.
            if self.consumed <= self.filled && self.filled <= self.input.len() {
                self.input.copy_within(self.consumed..self.filled, 0);
                self.filled -= self.consumed;
            } else {
                self.filled = 0;
            }
            self.consumed = 0;
        }
    }

    fn handle_op(&mut self, op: ServerOp, base: usize, now: u64) {
        match op {
            ServerOp::Ping => self.output.extend_from_slice(encode::PONG),
            ServerOp::Pong => self.handle_pong(now),
            ServerOp::Ok => {}
            ServerOp::Info(r) => self.handle_info(base + r.start..base + r.end),
            ServerOp::Err(r) => {
                let text = text::lossy(part(&self.input, base + r.start..base + r.end));
                self.handle_server_error(text);
            }
            ServerOp::Msg(m) => self.handle_msg(m, base),
        }
    }

    fn handle_info(&mut self, range: core::ops::Range<usize>) {
        let text = match core::str::from_utf8(part(&self.input, range)) {
            Ok(t) => t.to_string(),
            Err(_) => {
                self.garbage = true;
                return self.fail_transport(Error::new(
                    ErrorCode::ProtocolError,
                    "server INFO is not valid UTF-8",
                ));
            }
        };
        let value = match json::parse(&text) {
            Ok(v @ Value::Object(_)) => v,
            Ok(_) | Err(_) => {
                self.garbage = true;
                return self.fail_transport(Error::new(
                    ErrorCode::BadJson,
                    "server INFO is not a JSON object",
                ));
            }
        };
        if let Some(max) = value.get("max_payload").and_then(Value::as_f64) {
            if max >= 1.0 && max <= (1u64 << 40) as f64 {
                self.limits.max_payload = max as usize;
            }
        }
        self.server_headers = value.get("headers").and_then(Value::as_bool) == Some(true);
        let first = self.info.is_none();
        let urls: Option<Vec<String>> = match value.get("connect_urls") {
            Some(Value::Array(items)) => Some(
                items
                    .iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect(),
            ),
            _ => None,
        };
        let lame_duck = value.get("ldm").and_then(Value::as_bool) == Some(true);
        let tls_required = value.get("tls_required").and_then(Value::as_bool) == Some(true);
        if first && tls_required && !self.transport_secure {
            // Sending CONNECT (credentials included) in clear text to a server that demands
            // TLS is what this refusal prevents.
            return self.fail_transport(Error::new(
                ErrorCode::WssRequired,
                "the server requires TLS: connect with a wss:// URL",
            ));
        }
        self.info = Some(value);
        self.info_json = text;
        if let Some(urls) = urls.filter(|_| !self.opts.ignore_cluster_updates) {
            let changed = self.pool.update(&urls);
            if !changed.added.is_empty() || !changed.deleted.is_empty() {
                self.events.push_back(Event::ServersChanged(changed));
            }
        }
        if first && self.state == State::AwaitingInfo {
            if self.opts.auth_callback {
                let nonce = self
                    .info
                    .as_ref()
                    .and_then(|i| i.get("nonce"))
                    .and_then(Value::as_str);
                self.auth_request = Some(nonce.unwrap_or_default().to_string());
            } else {
                self.send_connect();
            }
        } else if !first {
            self.events.push_back(Event::InfoUpdated);
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

    /// Credentials for this handshake (from `user`/`pass`/`token`/authenticators): sends
    /// CONNECT with them.
    pub fn provide_auth(&mut self, auth: Credentials) {
        if self.state != State::AwaitingInfo || self.info.is_none() {
            return;
        }
        self.opts.connect.auth = auth;
        self.send_connect();
    }

    /// The application could not produce credentials (a bad seed, a throwing
    /// authenticator): retrying cannot help, so the connection ends with `err`.
    pub fn auth_failed(&mut self, err: Error) {
        self.finish(Some(err));
    }

    fn send_connect(&mut self) {
        let mut fields = self.opts.connect.clone();
        fields.headers = self.server_headers;
        fields.no_responders = self.server_headers;
        if !fields.echo {
            let proto = self
                .info
                .as_ref()
                .and_then(|i| i.get("proto"))
                .and_then(Value::as_f64)
                .unwrap_or(0.0);
            if proto < 1.0 {
                return self.finish(Some(Error::new(
                    ErrorCode::ServerOptionNotAvailable,
                    "noEcho needs a server with protocol 1 or newer",
                )));
            }
        }
        encode::write_connect(&mut self.output, &fields);
        self.output.extend_from_slice(encode::PING);
        // Flushes queued while disconnected wait behind the handshake's PONG.
        self.pongs.push_front(PongWaiter::Handshake);
        self.state = State::Handshaking;
    }

    /// The handshake's PONG: we are in. After a reconnect, restore every subscription (a
    /// `max` one with the messages it still has to receive) and send what was buffered.
    fn handshake_done(&mut self, now: u64) {
        self.state = State::Connected;
        self.next_ping = Some(now.saturating_add(self.opts.ping_interval));
        self.pool.connected();
        let server = self.current_server().unwrap_or_default().to_string();
        if !self.connected_once {
            self.connected_once = true;
            self.events.push_back(Event::Connected);
            return;
        }
        for (sid, sub) in self.subs.iter() {
            encode::write_sub(&mut self.output, &sub.subject, sub.queue.as_deref(), sid);
            if let Some(max) = sub.max {
                let left = max.get().saturating_sub(sub.received).max(1);
                encode::write_unsub(&mut self.output, sid, Some(left));
            }
        }
        self.output.append(&mut self.pending);
        self.events.push_back(Event::Reconnected { server });
    }

    fn handle_pong(&mut self, now: u64) {
        self.pings_out = 0;
        match self.pongs.pop_front() {
            Some(PongWaiter::Handshake) => self.handshake_done(now),
            Some(PongWaiter::KeepAlive) | None => {}
            Some(PongWaiter::Flush(id)) => self.events.push_back(Event::Flushed(id)),
            Some(PongWaiter::SubDrain { sid, id }) => {
                if self.subs.remove(&sid).is_some() {
                    self.events.push_back(Event::SubClosed { sid, error: None });
                }
                self.events.push_back(Event::Flushed(id));
            }
            Some(PongWaiter::Drain) => {
                let sids: Vec<u64> = self.subs.keys().collect();
                for sid in sids {
                    self.subs.remove(&sid);
                    self.events.push_back(Event::SubClosed { sid, error: None });
                }
                self.finish(None);
            }
        }
    }

    fn handle_server_error(&mut self, text: String) {
        let err = Error::from_server(&text);
        if err.code != ErrorCode::PermissionsViolation {
            let auth = matches!(
                err.code,
                ErrorCode::AuthorizationViolation
                    | ErrorCode::AuthenticationExpired
                    | ErrorCode::AccountExpired
            );
            if matches!(self.state, State::AwaitingInfo | State::Handshaking) && auth {
                // The server refuses our credentials: retrying would loop forever.
                return self.finish(Some(err));
            }
            if self.state == State::Connected {
                self.events.push_back(Event::ServerError(err.clone()));
            }
            // The server closes the connection after any other error.
            return self.fail_transport(err);
        }
        // `Permissions Violation for Subscription to "x"[ using queue "q"]` closes that
        // subscription; a publish violation is only reported.
        if let Some(target) = permission_subject(&text, "subscription to \"") {
            let queue = permission_subject(&text, "using queue \"");
            let sids: Vec<u64> = self
                .subs
                .iter()
                .filter(|(_, s)| &*s.subject == target && s.queue.as_deref() == queue)
                .map(|(sid, _)| sid)
                .collect();
            for sid in sids {
                self.subs.remove(&sid);
                if self.mux.as_ref().is_some_and(|m| m.sid == sid) {
                    self.mux = None;
                }
                self.events.push_back(Event::SubClosed {
                    sid,
                    error: Some(err.clone()),
                });
            }
        }
        self.events.push_back(Event::ServerError(err));
    }

    fn handle_msg(&mut self, m: MsgOp, base: usize) {
        let total = m.payload.end - m.headers.as_ref().map_or(m.payload.start, |h| h.start);
        self.stats.in_msgs += 1;
        self.stats.in_bytes += total as u64;
        let Some(sub) = self.subs.get_mut(&m.sid) else {
            return; // a late message for a subscription already gone
        };
        if sub.max.is_some_and(|max| sub.received >= max.get()) {
            return;
        }
        sub.received += 1;
        let done = sub.max.is_some_and(|max| sub.received >= max.get());
        let mut request = 0;
        if let Some(mux) = self.mux.as_ref().filter(|mux| mux.sid == m.sid) {
            let subject = part(&self.input, base + m.subject.start..base + m.subject.end);
            let id = subject
                .strip_prefix(mux.prefix.as_bytes())
                .and_then(|t| text::parse_digits(t, 10));
            match id.and_then(|id| self.requests.get(&id).map(|r| (id, r.many))) {
                Some((id, many)) => {
                    if !many {
                        self.requests.remove(&id);
                    }
                    request = id;
                }
                None => return, // a reply after its request ended
            }
        }
        let span =
            |r: &core::ops::Range<usize>| [(base + r.start) as u32, (r.end - r.start) as u32];
        let status = m.headers.as_ref().map_or(0, |h| {
            headers::status_code(part(&self.input, base + h.start..base + h.end))
        });
        let subject = span(&m.subject);
        let reply = m.reply.as_ref().map_or([0, 0], span);
        let hdrs = m.headers.as_ref().map_or([0, 0], span);
        let payload = span(&m.payload);
        self.deliveries.extend_from_slice(&[
            m.sid as u32,
            request,
            u32::from(status),
            subject[0],
            subject[1],
            reply[0],
            reply[1],
            hdrs[0],
            hdrs[1],
            payload[0],
            payload[1],
        ]);
        if done {
            self.subs.remove(&m.sid);
            self.events.push_back(Event::SubClosed {
                sid: m.sid,
                error: None,
            });
        }
    }

    /// Handles the passing of time: connect timeout, client pings, request and
    /// subscription timeouts.
    pub fn handle_timeout(&mut self, now: u64) {
        match self.state {
            State::Closed => return,
            State::AwaitingInfo | State::Handshaking => {
                if now >= self.connect_deadline && !self.close_transport {
                    self.fail_transport(Error::new(
                        ErrorCode::Timeout,
                        "timed out waiting for the server handshake",
                    ));
                }
            }
            State::Connected | State::Draining => self.tick_ping(now),
            State::Disconnected => {}
        }
        self.expire_timers(now);
    }

    /// Client pings: one every `ping_interval`; `max_ping_out` unanswered ones make the
    /// connection stale. Measured against `now`, so a throttled background timer that fires
    /// late still sees how much time really passed.
    fn tick_ping(&mut self, now: u64) {
        let Some(at) = self.next_ping else { return };
        if now < at || self.close_transport {
            return;
        }
        if self.pings_out >= self.opts.max_ping_out {
            self.events.push_back(Event::StaleConnection);
            return self.fail_transport(Error::new(
                ErrorCode::Disconnect,
                "stale connection: the server did not answer our pings",
            ));
        }
        self.pings_out += 1;
        self.events.push_back(Event::PingTimer {
            outstanding: self.pings_out,
        });
        self.output.extend_from_slice(encode::PING);
        self.pongs.push_back(PongWaiter::KeepAlive);
        self.next_ping = Some(now.saturating_add(self.opts.ping_interval));
    }

    /// Replaces `reconnect_time_wait` and its jitter with a computed delay (nats.ws
    /// `reconnectDelayHandler`), for the next reconnect.
    pub fn set_reconnect_delay(&mut self, wait: u64) {
        self.opts.reconnect_time_wait = wait;
        self.opts.reconnect_jitter = 0;
    }

    /// Checks liveness now (the page came back online or became visible): one ping that
    /// must be answered within `deadline` ms, else the connection is stale.
    pub fn check_liveness(&mut self, now: u64, deadline: u64) {
        if self.state != State::Connected || self.close_transport {
            return;
        }
        self.pings_out = self.opts.max_ping_out.max(1);
        self.output.extend_from_slice(encode::PING);
        self.pongs.push_back(PongWaiter::KeepAlive);
        self.next_ping = Some(now.saturating_add(deadline));
    }

    fn expire_timers(&mut self, now: u64) {
        while let Some(Reverse((at, key))) = self.timers.peek().copied() {
            if at > now {
                break;
            }
            self.timers.pop();
            match key {
                TimerKey::Request(id) => {
                    if self.requests.get(&id).is_some_and(|r| r.deadline == at) {
                        self.requests.remove(&id);
                        self.events.push_back(Event::RequestFailed {
                            id,
                            error: Error::new(ErrorCode::Timeout, "request timed out"),
                        });
                    }
                }
                TimerKey::Sub(sid) => {
                    if self.subs.get(&sid).is_some_and(|s| s.received == 0) {
                        self.subs.remove(&sid);
                        if self.is_up() {
                            encode::write_unsub(&mut self.output, sid, None);
                        }
                        self.events.push_back(Event::SubClosed {
                            sid,
                            error: Some(Error::new(
                                ErrorCode::Timeout,
                                "subscription timed out before its first message",
                            )),
                        });
                    }
                }
            }
        }
    }

    // ----- application calls -----------------------------------------------------------

    /// True while a transport carries our traffic (publishes go straight out).
    fn is_up(&self) -> bool {
        matches!(self.state, State::Connected | State::Draining)
    }

    /// Where a publish or flush goes: the wire when connected, else the reconnect buffer,
    /// which is bounded by `reconnect_buf_size`.
    fn sink(&mut self, extra: usize) -> Result<&mut Vec<u8>, Error> {
        self.check_sink(extra)?;
        Ok(if self.is_up() {
            &mut self.output
        } else {
            &mut self.pending
        })
    }

    /// Fails when `extra` more bytes would overflow the reconnect buffer.
    fn check_sink(&self, extra: usize) -> Result<(), Error> {
        if !self.is_up() && self.pending.len() + extra > self.opts.reconnect_buf_size {
            return Err(Error::new(
                ErrorCode::Disconnect,
                text::concat(&[
                    "disconnected, and the reconnect buffer (",
                    &decimal(self.opts.reconnect_buf_size as u64),
                    " bytes) is full",
                ]),
            ));
        }
        Ok(())
    }

    fn check_open(&self, allow_draining: bool) -> Result<(), Error> {
        match self.state {
            State::Closed => Err(Error::new(
                ErrorCode::ConnectionClosed,
                "the connection is closed",
            )),
            State::Draining if !allow_draining => Err(Error::new(
                ErrorCode::ConnectionDraining,
                "the connection is draining",
            )),
            _ => Ok(()),
        }
    }

    /// Checks a publish without writing it: subjects, header block and size.
    fn check_publish(
        &self,
        subject: &str,
        reply: Option<&str>,
        headers: Option<&[u8]>,
        payload_len: usize,
    ) -> Result<(), Error> {
        self.check_open(true)?;
        validate_subject(subject, SubjectKind::Publish)?;
        if let Some(reply) = reply {
            validate_subject(reply, SubjectKind::Publish)?;
        }
        if let Some(block) = headers {
            if !self.server_headers {
                return Err(Error::new(
                    ErrorCode::ServerOptionNotAvailable,
                    "the server does not support headers",
                ));
            }
            headers::validate(block)?;
        }
        let size = headers.map_or(0, <[u8]>::len) + payload_len;
        if size > self.limits.max_payload {
            return Err(Error::new(
                ErrorCode::MaxPayloadExceeded,
                text::concat(&[
                    "message of ",
                    &decimal(size as u64),
                    " bytes (headers included) exceeds the server's max_payload of ",
                    &decimal(self.limits.max_payload as u64),
                    " bytes",
                ]),
            ));
        }
        Ok(())
    }

    /// Publishes a message. `headers` is a complete header block (`NATS/1.0\r\n...\r\n\r\n`).
    pub fn publish(
        &mut self,
        subject: &str,
        reply: Option<&str>,
        headers: Option<&[u8]>,
        payload: &[u8],
    ) -> Result<(), Error> {
        fill(
            self.publish_slot(subject, reply, headers, payload.len())?,
            payload,
        );
        Ok(())
    }

    /// Publishes a message whose payload the caller writes into the returned slot (exactly
    /// `len` bytes): the edge copies a JS `Uint8Array` straight into the output buffer.
    pub fn publish_slot(
        &mut self,
        subject: &str,
        reply: Option<&str>,
        headers: Option<&[u8]>,
        len: usize,
    ) -> Result<&mut [u8], Error> {
        self.check_publish(subject, reply, headers, len)?;
        self.reserve_publish(subject, reply, headers, len)
    }

    /// Writes a publish's control line, headers and trailing CRLF around a `len`-byte hole,
    /// which it returns.
    fn reserve_publish(
        &mut self,
        subject: &str,
        reply: Option<&str>,
        headers: Option<&[u8]>,
        len: usize,
    ) -> Result<&mut [u8], Error> {
        let size = headers.map_or(0, <[u8]>::len) + len;
        // The control line is at most this long: op, subject, reply, two numbers, CRLFs.
        let line = 32 + subject.len() + reply.map_or(0, str::len);
        self.check_sink(line + size)?;
        self.stats.out_msgs += 1;
        self.stats.out_bytes += size as u64;
        let out = self.sink(0)?;
        encode::write_pub_head(out, subject, reply, headers, len);
        let start = out.len();
        out.resize(start + len, 0);
        out.extend_from_slice(b"\r\n");
        Ok(out.get_mut(start..start + len).unwrap_or_default())
    }

    /// Subscribes; returns the new subscription id. `max` auto-unsubscribes after that many
    /// messages; `timeout` (ms) closes the subscription with `TIMEOUT` if no message arrives
    /// in time (and never once one has).
    pub fn subscribe(
        &mut self,
        subject: &str,
        queue: Option<&str>,
        max: Option<u64>,
        timeout: Option<u64>,
        now: u64,
    ) -> Result<u64, Error> {
        self.check_open(false)?;
        validate_subject(subject, SubjectKind::Subscribe)?;
        if let Some(q) = queue {
            validate_queue(q)?;
        }
        let sid = self.next_sid;
        self.next_sid += 1;
        // While disconnected the SUB is sent with all the others after the next handshake.
        if self.is_up() {
            encode::write_sub(&mut self.output, subject, queue, sid);
            if let Some(max) = max.filter(|m| *m > 0) {
                encode::write_unsub(&mut self.output, sid, Some(max));
            }
        }
        if let Some(t) = timeout {
            self.timers
                .push(Reverse((now.saturating_add(t), TimerKey::Sub(sid))));
        }
        self.subs.insert(
            sid,
            Sub {
                subject: subject.into(),
                queue: queue.map(Into::into),
                max: max.and_then(NonZeroU64::new),
                received: 0,
            },
        );
        Ok(sid)
    }

    /// Unsubscribes now, or after `max` messages in total have been received.
    /// Returns true when the subscription is gone now.
    pub fn unsubscribe(&mut self, sid: u64, max: Option<u64>) -> bool {
        if self.state == State::Closed {
            return true;
        }
        let Some(sub) = self.subs.get_mut(&sid) else {
            return true;
        };
        let up = matches!(self.state, State::Connected | State::Draining);
        match max.filter(|&m| m > sub.received).and_then(NonZeroU64::new) {
            Some(max) => {
                sub.max = Some(max);
                if up {
                    encode::write_unsub(&mut self.output, sid, Some(max.get()));
                }
                false
            }
            None => {
                self.subs.remove(&sid);
                if up {
                    encode::write_unsub(&mut self.output, sid, None);
                }
                true
            }
        }
    }

    /// Drains one subscription: `UNSUB` now, then closes it once the server confirms (the
    /// returned flush id completes) that every message sent before the `UNSUB` was delivered.
    pub fn drain_subscription(&mut self, sid: u64) -> Result<u32, Error> {
        self.check_open(true)?;
        if !self.is_up() {
            // Nothing can be in flight: the subscription simply ends.
            if self.subs.remove(&sid).is_none() {
                return Err(Error::new(
                    ErrorCode::SubClosed,
                    "the subscription is closed",
                ));
            }
            let id = self.next_flush_id();
            self.events.push_back(Event::SubClosed { sid, error: None });
            self.events.push_back(Event::Flushed(id));
            return Ok(id);
        }
        if !self.subs.contains_key(&sid) {
            return Err(Error::new(
                ErrorCode::SubClosed,
                "the subscription is closed",
            ));
        }
        encode::write_unsub(&mut self.output, sid, None);
        let id = self.next_flush_id();
        self.send_ping(PongWaiter::SubDrain { sid, id })?;
        Ok(id)
    }

    /// Sends a PING; the returned id completes (`Event::Flushed`) when its PONG arrives.
    /// While disconnected the PING waits in the reconnect buffer.
    pub fn flush(&mut self) -> Result<u32, Error> {
        self.check_open(true)?;
        let id = self.next_flush_id();
        self.send_ping(PongWaiter::Flush(id))?;
        Ok(id)
    }

    fn next_flush_id(&mut self) -> u32 {
        let id = self.next_flush;
        self.next_flush = self.next_flush.wrapping_add(1).max(1);
        id
    }

    fn send_ping(&mut self, waiter: PongWaiter) -> Result<(), Error> {
        self.sink(encode::PING.len())?
            .extend_from_slice(encode::PING);
        self.pongs.push_back(waiter);
        Ok(())
    }

    /// Sends a request through the shared reply subscription; returns the request id that
    /// delivery rows carry. With `many`, replies keep coming until
    /// [`Connection::cancel_request`] or the timeout.
    pub fn request(
        &mut self,
        subject: &str,
        headers: Option<&[u8]>,
        payload: &[u8],
        timeout: u64,
        many: bool,
        now: u64,
    ) -> Result<u32, Error> {
        self.check_open(false)?;
        self.check_publish(subject, None, headers, payload.len())?;
        let prefix = match &self.mux {
            Some(mux) => mux.prefix.clone(),
            None => {
                let inbox = self.nuid.inbox(&self.opts.inbox_prefix);
                let sid = self.subscribe(&text::concat(&[&inbox, ".*"]), None, None, None, now)?;
                let prefix = text::concat(&[&inbox, "."]);
                self.mux = Some(Mux {
                    sid,
                    prefix: prefix.clone(),
                });
                prefix
            }
        };
        let id = self.next_request;
        self.next_request = self.next_request.wrapping_add(1).max(1);
        let reply = text::concat(&[&prefix, &*decimal(id.into())]);
        fill(
            self.reserve_publish(subject, Some(&reply), headers, payload.len())?,
            payload,
        );
        let deadline = now.saturating_add(timeout);
        self.requests.insert(id, Request { deadline, many });
        self.timers.push(Reverse((deadline, TimerKey::Request(id))));
        Ok(id)
    }

    /// Ends a request early (requestMany strategies, or the caller gave up).
    pub fn cancel_request(&mut self, id: u32) {
        self.requests.remove(&id);
    }

    /// Number of requests waiting for a reply.
    pub fn pending_requests(&self) -> usize {
        self.requests.len()
    }

    /// Starts draining: every subscription is unsubscribed, messages already sent to them are
    /// still delivered, then the connection closes (`Event::Closed(None)`).
    pub fn drain(&mut self) -> Result<(), Error> {
        self.check_open(false)?;
        if !matches!(self.state, State::Connected) {
            return Err(Error::new(
                ErrorCode::ConnectionClosed,
                "the connection is not connected",
            ));
        }
        self.state = State::Draining;
        for sid in self.subs.keys() {
            encode::write_unsub(&mut self.output, sid, None);
        }
        self.send_ping(PongWaiter::Drain)
    }

    /// Closes at once. Bytes already queued can still be sent by the edge.
    pub fn close(&mut self) {
        self.finish(None);
    }

    fn finish(&mut self, err: Option<Error>) {
        if self.state == State::Closed {
            return;
        }
        self.state = State::Closed;
        self.subs.clear();
        self.requests.clear();
        self.timers.clear();
        self.pongs.clear();
        self.mux = None;
        self.next_ping = None;
        self.dial = None;
        self.pending = Vec::new();
        self.close_transport = false;
        self.events.push_back(Event::Closed(err));
    }

    // ----- output --------------------------------------------------------------------------

    /// Messages not yet handed out, and the bytes they point into: [`DELIVERY_STRIDE`] `u32`s
    /// per message (see [`field`]), offsets into the returned bytes. Each message is returned
    /// once; the table is empty when there is nothing new.
    #[must_use]
    pub fn poll_deliveries(&mut self) -> (&[u32], &[u8]) {
        let new = self.deliveries.get(self.delivered..).unwrap_or_default();
        self.delivered = self.deliveries.len();
        (new, part(&self.input, 0..self.consumed))
    }

    /// The next event, in order.
    #[must_use]
    pub fn poll_event(&mut self) -> Option<Event> {
        self.events.pop_front()
    }

    /// Bytes waiting to be sent; call [`Connection::clear_transmit`] once they are.
    #[must_use]
    pub fn poll_transmit(&self) -> &[u8] {
        &self.output
    }

    /// Marks the bytes from [`Connection::poll_transmit`] as sent.
    pub fn clear_transmit(&mut self) {
        self.output.clear();
        if self.output.capacity() > (1 << 20).max(2 * self.output_reserve) {
            self.output.shrink_to(self.output_reserve);
        }
    }

    /// Sizes the output buffer once for `bytes`, the most the edge lets accumulate before it
    /// sends (a few hundred KiB per connection). Growing by doubling instead would pass
    /// through every power of two, each copy beside the last, and wasm memory keeps the
    /// high-water mark for good (measured: 184 against 144 bytes per subscription when the
    /// buffer is sized at the first burst instead of at connect, the rest fragmenting).
    pub fn reserve_output(&mut self, bytes: usize) {
        self.output_reserve = bytes;
        self.output
            .reserve_exact(bytes.saturating_sub(self.output.len()));
    }

    /// When [`Connection::handle_timeout`] should be called next, if ever.
    #[must_use]
    pub fn poll_timeout(&self) -> Option<u64> {
        let state = match self.state {
            State::Closed => return None,
            State::AwaitingInfo | State::Handshaking => Some(self.connect_deadline),
            State::Disconnected => self.dial.as_ref().map(|d| d.1),
            State::Connected | State::Draining => self.next_ping,
        };
        let timer = self.timers.peek().map(|Reverse((at, _))| *at);
        match (state, timer) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }
}

/// Copies `bytes` into `slot`, which is exactly as long: `copy_from_slice` would link its
/// length-mismatch panic (and its formatting) into the wasm.
fn fill(slot: &mut [u8], bytes: &[u8]) {
    for (d, s) in slot.iter_mut().zip(bytes) {
        *d = *s;
    }
}

/// The quoted name after `marker` in a permissions error, e.g. `x` in
/// `Permissions Violation for Subscription to "x"`.
fn permission_subject<'a>(text: &'a str, marker: &str) -> Option<&'a str> {
    let lower = text.to_ascii_lowercase();
    let start = text::find(&lower, marker)? + marker.len();
    text::split_once(text.get(start..)?, "\"").map(|(subject, _)| subject)
}

#[cfg(test)]
mod tests;
