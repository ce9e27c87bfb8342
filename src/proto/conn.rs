//! The connection state machine: everything a NATS client decides, with no I/O.
//!
//! # Contract (after quinn-proto)
//! - Transport: the core owns the server pool and decides when to dial. The edge opens a
//!   socket to the server [`Connection::poll_dial`] returns, closes it when
//!   [`Connection::wants_transport_closed`] says so, and reports every close with
//!   [`Connection::handle_transport_closed`]. Reconnecting is the same loop.
//! - Input: [`Connection::handle_input`] (or [`Connection::input_slot`] and
//!   [`Connection::commit_input`]) with bytes from the transport,
//!   [`Connection::handle_timeout`] when the deadline from [`Connection::poll_timeout`]
//!   passes, the application calls (`publish`, `subscribe`, `request`, `flush`, `drain`,
//!   `close`...), and the answers the core asks for (`provide_info`, `provide_auth`). Every input
//!   that depends on time takes `now` in milliseconds; the core never reads a clock.
//! - Output, polled after every input, in this order: [`Connection::poll_deliveries`]
//!   (messages, as a table of offsets into the parsed bytes), then [`Connection::poll_event`]
//!   until `None`, then [`Connection::poll_transmit`] for bytes to send, then
//!   [`Connection::poll_dial`] (and [`Connection::wants_transport_closed`]) for the
//!   transport, then [`Connection::poll_info`] for an `INFO` to read (answered with
//!   [`Connection::provide_info`]), then [`Connection::poll_auth_request`] for a nonce to
//!   sign (answered with [`Connection::provide_auth`]), then
//!   [`Connection::poll_timeout`] for the next deadline. Messages of one input come before
//!   its events, so a flush resolves only after the messages that preceded its `PONG`.
//! - Each delivery is handed out once; the bytes it points into stay valid until the next
//!   input is placed.
//!
//! The parts, each a module of its own: `subs` routes messages to subscriptions and
//! requests (`requests`), `timers` keeps their deadlines, `handshake` reads `INFO` and
//! writes `CONNECT`, `lifecycle` dials, reconnects and pings, `calls` takes the
//! application's calls, `outbox` and `input` hold the bytes. This type ties them
//! together: its state, the input loop, and the output polls.

mod calls;
mod consumers;
mod event;
mod handshake;
mod input;
mod lifecycle;
mod options;
mod outbox;
mod requests;
mod subs;
mod timers;

use super::encode;
use super::error::{Error, ErrorCode};
use super::fifo::Fifo;
use super::headers;
use super::parser::{self, Limits, MsgOp, ServerOp, Status};
use super::rng::Rng;
use super::servers::ServerPool;
use super::text::{self, part};
use crate::prelude::*;

pub use consumers::ACK_STRIDE;
pub use event::{Event, State, Stats};
pub use handshake::ServerInfo;
pub use options::Options;
pub use requests::{Many, RequestOptions};

use consumers::Consumers;
use input::Input;
use outbox::Outbox;
use requests::Ended;
use subs::Subs;
use timers::{TimerKey, Timers};

/// Milliseconds a liveness check (after coming online or visible) waits for its PONG.
pub const LIVENESS_DEADLINE: u64 = 3000;

/// Milliseconds between looks at the transport's backlog while it holds bytes: browsers say
/// nothing when their send buffer drains.
pub const BACKLOG_POLL: u64 = 20;

/// Number of `u32` fields per message in the delivery table.
pub const DELIVERY_STRIDE: usize = 12;

/// Field offsets inside one delivery-table row.
pub mod field {
    /// Subscription id.
    pub const SID: usize = 0;
    /// Request id for a reply to a request, else 0.
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
    /// A consumer's message: its ack record's number among the polled ones (from 1; see
    /// `Connection::poll_acks`), else 0.
    pub const ACK: usize = 11;
}

/// What a `PONG` answers, in the order the `PING`s went out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PongWaiter {
    Handshake,
    KeepAlive,
    Flush(u32),
    SubDrain { sid: u64, id: u32 },
    Drain,
}

/// The NATS client connection, without I/O.
#[derive(Debug)]
pub struct Connection {
    opts: Options,
    state: State,
    limits: Limits,
    rng: Rng,
    /// What the current server's `INFO` said (none before the first of a transport).
    info: Option<ServerInfo>,
    /// The latest `INFO`'s JSON text, and whether it waits for the edge ([`Connection::poll_info`]).
    info_text: String,
    info_wanted: bool,

    input: Input,
    deliveries: Vec<u32>,
    /// Length of `deliveries` already handed out by `poll_deliveries`.
    delivered: usize,
    /// Ack records of consumers' deliveries ([`ACK_STRIDE`] words each), and how many words
    /// of them `poll_acks` handed out.
    acks: Vec<u64>,
    acked: usize,
    events: Fifo<Event>,
    outbox: Outbox,

    subs: Subs,
    consumers: Consumers,
    timers: Timers,
    next_flush: u32,
    pongs: Fifo<PongWaiter>,
    pings_out: u32,
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
    /// The server nonce, while the application is being asked for credentials.
    auth_request: Option<String>,
    /// New credentials are being tried (`reauthenticate`): until a handshake with them is
    /// done, the server refusing them does not end the connection (the glue goes back to
    /// the previous ones).
    reauth: bool,
    /// The next dial is at once, whatever `reconnect_time_wait` says (a credential swap).
    redial_now: bool,
    /// The current transport is encrypted (`wss://`): a server whose INFO says
    /// `tls_required` is refused over anything else.
    transport_secure: bool,
    /// Counts dials, so the edge can tell which transport bytes came from.
    dials: u64,
    /// Bytes the transport holds unsent, as last reported, and when.
    backlog: usize,
    backlog_at: u64,
    /// Closed, with bytes still leaving the transport: `Released` follows when they have
    /// (or at this deadline, once known).
    flushing: bool,
    flush_deadline: Option<u64>,
}

impl Connection {
    /// A connection that will dial its first server at once (see [`Connection::poll_dial`]).
    pub fn new(opts: Options, now: u64) -> Self {
        let mut rng = Rng::new(opts.seed);
        let mut pool = ServerPool::new(&opts.servers, !opts.no_randomize, || rng.next_u64());
        pool.max_attempts = opts.max_reconnect_attempts;
        pool.wait_on_first_connect = opts.wait_on_first_connect;
        let dial = pool.next(now, 0).map(|(s, at)| (s.url, at));
        let mut c = Connection {
            rng,
            connect_deadline: now.saturating_add(opts.timeout),
            outbox: Outbox::new(opts.reconnect_buf_size),
            opts,
            state: State::Disconnected,
            limits: Limits::default(),
            info: None,
            info_text: String::new(),
            info_wanted: false,
            input: Input::default(),
            deliveries: Vec::new(),
            delivered: 0,
            acks: Vec::new(),
            acked: 0,
            events: Fifo::new(),
            subs: Subs::new(),
            consumers: Consumers::default(),
            timers: Timers::default(),
            next_flush: 1,
            pongs: Fifo::new(),
            pings_out: 0,
            next_ping: None,
            stats: Stats::default(),
            pool,
            dial,
            connected_once: false,
            offline: false,
            close_transport: false,
            garbage: false,
            last_error: None,
            auth_request: None,
            reauth: false,
            redial_now: false,
            transport_secure: false,
            dials: 0,
            backlog: 0,
            backlog_at: now,
            flushing: false,
            flush_deadline: None,
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
        self.subs.received(sid)
    }

    /// Number of open subscriptions (the request mux included).
    pub fn subscription_count(&self) -> usize {
        self.subs.len()
    }

    /// Number of requests waiting for a reply.
    pub fn pending_requests(&self) -> usize {
        self.subs.requests.len()
    }

    // ----- input ---------------------------------------------------------------------------

    /// Space for `n` more input bytes, to be filled and then passed to
    /// [`Connection::commit_input`]; lets the edge copy a frame straight into place. The
    /// deliveries of the last input point into bytes this drops.
    pub fn input_slot(&mut self, n: usize) -> &mut [u8] {
        self.deliveries.clear();
        self.delivered = 0;
        self.acks.clear();
        self.acked = 0;
        self.input.slot(n)
    }

    /// Bytes in the input buffer; the last slot from [`Connection::input_slot`] ends here, so
    /// the edge can tell which delivery offsets fall inside the frame it just copied in.
    pub fn input_len(&self) -> usize {
        self.input.len()
    }

    /// Processes the bytes placed with [`Connection::input_slot`].
    pub fn commit_input(&mut self, now: u64) {
        if !self.accepts_input() {
            return;
        }
        loop {
            let buf = self.input.unparsed();
            if buf.is_empty() {
                break;
            }
            match parser::parse(buf, &self.limits) {
                Ok(Status::Complete(op, n)) => {
                    let base = self.input.consumed();
                    self.input.consume(n);
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

    fn handle_op(&mut self, op: ServerOp, base: usize, now: u64) {
        let at = |r: core::ops::Range<usize>| base + r.start..base + r.end;
        match op {
            ServerOp::Ping => self.outbox.wire().extend_from_slice(encode::PONG),
            ServerOp::Pong => self.handle_pong(now),
            ServerOp::Ok => {}
            ServerOp::Info(r) => self.handle_info(at(r)),
            ServerOp::Err(r) => {
                let text = text::lossy(part(self.input.bytes(), at(r)));
                self.handle_server_error(text);
            }
            ServerOp::Msg(m) => self.handle_msg(m, base, now),
        }
    }

    /// A message: one routing call decides where it goes and what ends with it; then its
    /// row is added to the delivery table (offsets into the input).
    fn handle_msg(&mut self, m: MsgOp, base: usize, now: u64) {
        let total = m.payload.end - m.headers.as_ref().map_or(m.payload.start, |h| h.start);
        self.stats.in_msgs += 1;
        self.stats.in_bytes += total as u64;
        let bytes = self.input.bytes();
        let range = |r: &core::ops::Range<usize>| base + r.start..base + r.end;
        let status = m
            .headers
            .as_ref()
            .map_or(0, |h| headers::status_code(part(bytes, range(h))));
        let subject = part(bytes, range(&m.subject));
        let payload = m.payload.end - m.payload.start;
        let Some(routed) = self
            .subs
            .route(m.sid, subject, status, payload, now, &mut self.timers)
        else {
            return;
        };
        let acks = self.acks.len();
        let deliver = routed.deliver
            && (!self.consumers.contains(m.sid) || self.consumer_message(&m, base, now));
        if deliver {
            let span =
                |r: &core::ops::Range<usize>| [(base + r.start) as u32, (r.end - r.start) as u32];
            let [subject, reply, hdrs, payload] = [
                Some(&m.subject),
                m.reply.as_ref(),
                m.headers.as_ref(),
                Some(&m.payload),
            ]
            .map(|r| r.map_or([0, 0], span));
            self.deliveries.extend_from_slice(&[
                m.sid as u32,
                routed.request,
                u32::from(status),
                subject[0],
                subject[1],
                reply[0],
                reply[1],
                hdrs[0],
                hdrs[1],
                payload[0],
                payload[1],
                self.last_ack(acks),
            ]);
        }
        if let Some(sid) = routed.sub_ended {
            self.events.push_back(Event::SubClosed { sid, error: None });
        }
        if let Some(ended) = routed.request_ended {
            self.request_ended(ended, true);
        }
    }

    fn handle_pong(&mut self, now: u64) {
        self.pings_out = 0;
        match self.pongs.pop_front() {
            Some(PongWaiter::Handshake) => self.handshake_done(now),
            Some(PongWaiter::KeepAlive) | None => {}
            Some(PongWaiter::Flush(id)) => self.events.push_back(Event::Flushed(id)),
            Some(PongWaiter::SubDrain { sid, id }) => self.sub_drained(sid, id),
            Some(PongWaiter::Drain) => {
                // In creation order, as nats.ws ends them.
                for sid in self.subs.sids() {
                    self.subs.remove(sid);
                    self.events.push_back(Event::SubClosed { sid, error: None });
                }
                self.finish(None);
            }
        }
    }

    /// A subscription drain completed: the subscription ends, then its flush.
    fn sub_drained(&mut self, sid: u64, id: u32) {
        if self.subs.remove(sid) {
            self.events.push_back(Event::SubClosed { sid, error: None });
        }
        self.events.push_back(Event::Flushed(id));
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
                // The server refuses our credentials: retrying would loop forever (unless
                // they were new ones).
                return self.credentials_refused(err);
            }
            if self.state == State::Connected {
                self.events.push_back(Event::ServerError(err.clone()));
            }
            // The server closes the connection after any other error.
            return self.fail_transport(err);
        }
        // `Permissions Violation for Subscription to "x"[ using queue "q"]` closes the first
        // such subscription (and the requests answered through it); `... for Publish to "x"`
        // fails the oldest request sent to "x", if any. Either is then reported.
        if let Some(target) = permission_subject(&text, "subscription to \"") {
            let queue = permission_subject(&text, "using queue \"");
            if let Some(sid) = self.subs.first_matching(target, queue) {
                self.subs.remove(sid);
                let mut owned = false;
                while let Some(id) = self.subs.requests.answered_by(sid) {
                    self.end_request(id, err.clone(), false);
                    owned = true;
                }
                self.subs.requests.forget_mux(sid);
                if !owned {
                    self.events.push_back(Event::SubClosed {
                        sid,
                        error: Some(err.clone()),
                    });
                }
            }
        } else if let Some(target) = permission_subject(&text, "publish to \"") {
            if let Some(id) = self.subs.requests.oldest_to(target) {
                self.end_request(id, err.clone(), true);
            }
        }
        self.events.push_back(Event::ServerError(err));
    }

    /// Ends request `id` with `err` (see [`Connection::request_ended`]).
    fn end_request(&mut self, id: u32, err: Error, unsub: bool) {
        if let Some(ended) = self.subs.requests.end(id, Some(err)) {
            self.request_ended(ended, unsub);
        }
    }

    /// Reports a request that ended, and drops its own subscription (unsubscribing it at
    /// the server when `unsub` and the server still has it).
    fn request_ended(&mut self, ended: Ended, unsub: bool) {
        if let Some(sid) = ended.own_sid {
            if unsub {
                self.unsubscribe(sid, None);
            } else {
                self.subs.remove(sid);
            }
        }
        self.events.push_back(match ended.error {
            Some(error) => Event::RequestFailed {
                id: ended.id,
                error,
            },
            None => Event::RequestDone(ended.id),
        });
    }

    /// Handles the passing of time: connect timeout, client pings, request and
    /// subscription timeouts.
    pub fn handle_timeout(&mut self, now: u64) {
        match self.state {
            State::Closed => return self.check_flushed(now),
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
        while let Some((at, key)) = self.timers.pop_due(now) {
            match key {
                TimerKey::Request(id) => {
                    if let Some(ended) = self.subs.requests.expire(id, at) {
                        self.request_ended(ended, true);
                    }
                }
                TimerKey::Consumer(sid) => self.consumer_timeout(sid, at, now),
                TimerKey::Sub(sid) => {
                    if self.subs.received(sid) == Some(0) {
                        self.unsubscribe(sid, None);
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

    fn finish(&mut self, err: Option<Error>) {
        if self.state == State::Closed {
            return;
        }
        // What was queued for a live transport still goes out before it is closed.
        self.flushing = self.is_up() && (self.outbox.waiting() > 0 || self.backlog > 0);
        self.state = State::Closed;
        self.subs.clear();
        self.consumers.clear();
        self.timers.clear();
        self.pongs.clear();
        self.next_ping = None;
        self.dial = None;
        self.outbox.drop_pending();
        self.close_transport = false;
        self.events.push_back(Event::Closed(err));
        if !self.flushing {
            self.events.push_back(Event::Released);
        }
    }

    /// The transport holds `bytes` unsent (the browser's `bufferedAmount`), at `now`. The
    /// edge reports it after every send and whenever [`Connection::poll_timeout`] asks.
    pub fn handle_backlog(&mut self, bytes: usize, now: u64) {
        self.backlog = bytes;
        self.backlog_at = now;
        if self.state == State::Closed {
            self.check_flushed(now);
        }
    }

    /// Closed: the queued bytes have left, or the connection's `timeout` for them passed.
    fn check_flushed(&mut self, now: u64) {
        if !self.flushing {
            return;
        }
        let deadline = *self
            .flush_deadline
            .get_or_insert(now.saturating_add(self.opts.timeout));
        if (self.backlog == 0 && self.outbox.waiting() == 0) || now >= deadline {
            self.flushing = false;
            self.events.push_back(Event::Released);
        }
    }

    // ----- output --------------------------------------------------------------------------

    /// Messages not yet handed out, and the bytes they point into: [`DELIVERY_STRIDE`] `u32`s
    /// per message (see [`field`]), offsets into the returned bytes. Each message is returned
    /// once; the table is empty when there is nothing new.
    #[must_use]
    pub fn poll_deliveries(&mut self) -> (&[u32], &[u8]) {
        let new = self.deliveries.get(self.delivered..).unwrap_or_default();
        self.delivered = self.deliveries.len();
        (new, self.input.parsed())
    }

    /// The next event, in order.
    #[must_use]
    pub fn poll_event(&mut self) -> Option<Event> {
        self.events.pop_front()
    }

    /// Bytes to send now; call [`Connection::clear_transmit`] once they are. Never more than
    /// the transport has room for under `outbound_limit` (what it holds is its last
    /// [`Connection::handle_backlog`]): the rest waits here.
    #[must_use]
    pub fn poll_transmit(&self) -> &[u8] {
        let room = self.opts.outbound_limit.saturating_sub(self.backlog);
        if room == 0 || (self.state == State::Closed && !self.flushing) {
            return &[];
        }
        self.outbox.transmit(room)
    }

    /// True while the transport's last reported backlog is not zero: the edge reports it
    /// again after each look (a backlog of zero stays zero until something is sent).
    pub fn backlog_watched(&self) -> bool {
        self.backlog > 0
    }

    /// True when bytes wait but the transport's backlog keeps them here: the edge then only
    /// looks again at [`Connection::poll_timeout`].
    pub fn transmit_blocked(&self) -> bool {
        self.outbox.waiting() > 0 && self.poll_transmit().is_empty()
    }

    /// Marks the bytes from [`Connection::poll_transmit`] as sent.
    pub fn clear_transmit(&mut self) {
        let n = self.poll_transmit().len();
        self.outbox.sent(n);
    }

    /// Sizes the output buffer once for `bytes`, the most the edge lets accumulate before it
    /// sends (a few hundred KiB per connection). Growing by doubling instead would pass
    /// through every power of two, each copy beside the last, and wasm memory keeps the
    /// high-water mark for good (measured: 184 against 144 bytes per subscription when the
    /// buffer is sized at the first burst instead of at connect, the rest fragmenting).
    pub fn reserve_output(&mut self, bytes: usize) {
        self.outbox.reserve(bytes);
    }

    /// When [`Connection::handle_timeout`] should be called next, if ever.
    #[must_use]
    pub fn poll_timeout(&self) -> Option<u64> {
        // While the transport holds bytes and more wait here, or while closing, look again.
        let look = self.backlog_at.saturating_add(BACKLOG_POLL);
        let state = match self.state {
            State::Closed if self.flushing => {
                return Some(look.min(self.flush_deadline.unwrap_or(u64::MAX)))
            }
            State::Closed => return None,
            State::AwaitingInfo | State::Handshaking => Some(self.connect_deadline),
            State::Disconnected => self.dial.as_ref().map(|d| d.1),
            State::Connected | State::Draining => self.next_ping,
        };
        let backlog = (self.backlog > 0 && self.outbox.waiting() > 0).then_some(look);
        earliest(earliest(state, self.timers.next()), backlog)
    }
}

/// The earlier of two deadlines, either of which may be absent.
fn earliest(a: Option<u64>, b: Option<u64>) -> Option<u64> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
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
