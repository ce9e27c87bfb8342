//! The transport's life: when to dial (the server pool decides which server), what a lost
//! transport ends, reconnecting, the browser going offline, and pings that prove the
//! connection is alive.

use super::{Connection, Event, PongWaiter, State, LIVENESS_DEADLINE};
use crate::prelude::*;
use crate::proto::encode;
use crate::proto::error::{Error, ErrorCode};
use crate::proto::parser::Limits;
use crate::proto::text;

/// The error of a transport that was up and went away.
fn lost() -> Error {
    Error::new(
        ErrorCode::Disconnect,
        "the connection to the server was lost",
    )
}

impl Connection {
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
        self.deliveries.clear();
        self.delivered = 0;
        self.outbox.drop_output();
        self.backlog = 0;
        self.pings_out = 0;
        self.next_ping = None;
        self.limits = Limits::default();
        self.info = None;
        self.info_wanted = false;
        self.close_transport = false;
        self.garbage = false;
    }

    /// Ends the current transport with `err` (kept as the reason if no server is left).
    pub(super) fn fail_transport(&mut self, err: Error) {
        if self.state == State::Closed {
            return;
        }
        self.last_error = Some(err);
        self.close_transport = true;
    }

    /// The transport closed (or could not be opened): reconnect, or end the connection.
    pub fn handle_transport_closed(&mut self, now: u64) {
        let was = self.state;
        if was == State::Closed && self.flushing {
            // Gone before what was queued could leave: nothing more to wait for.
            self.flushing = false;
            self.events.push_back(Event::Released);
        }
        if matches!(was, State::Closed | State::Disconnected) {
            return;
        }
        self.close_transport = false;
        // Nothing more can leave on it.
        self.outbox.drop_output();
        self.backlog = 0;
        let err = self.last_error.take().unwrap_or_else(|| {
            if matches!(was, State::AwaitingInfo | State::Handshaking) {
                let server = self.current_server().unwrap_or_default();
                Error::new(
                    ErrorCode::ConnectionRefused,
                    text::concat(&["could not connect to ", server]),
                )
            } else {
                lost()
            }
        });
        let server = self.current_server().unwrap_or_default().to_string();
        match was {
            State::AwaitingInfo | State::Handshaking => {
                self.pool.failed(self.connected_once);
                // The handshake's PONG will not come: flushes buffered behind it wait for the
                // next handshake's instead.
                if let Some(waiter) = self.pongs.pop_front() {
                    if !matches!(waiter, PongWaiter::Handshake) {
                        self.pongs.push_front(waiter);
                    }
                }
            }
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
                self.consumers_paused();
            }
        }
        self.reset_transport_state();
        self.state = State::Disconnected;
        let jitter = self.rng.up_to(self.opts.reconnect_jitter);
        let wait = self.opts.reconnect_time_wait.saturating_add(jitter);
        let soon = core::mem::take(&mut self.redial_now);
        match self.pool.next(now, if soon { 0 } else { wait }) {
            Some((server, at)) => self.dial = Some((server.url, at)),
            None => self.finish(Some(err)),
        }
    }

    /// Fails what cannot survive a lost transport: requests (their replies are gone),
    /// flushes, and subscription drains (which complete, since the subscription is gone too).
    fn fail_inflight(&mut self) {
        while let Some(id) = self.subs.requests.any() {
            self.end_request(id, lost(), false);
        }
        while let Some(waiter) = self.pongs.pop_front() {
            match waiter {
                PongWaiter::Flush(id) => self
                    .events
                    .push_back(Event::FlushFailed { id, error: lost() }),
                PongWaiter::SubDrain { sid, id } => self.sub_drained(sid, id),
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

    /// `reauthenticate()`: the glue holds new credentials; move to them now, with a
    /// reconnect that keeps subscriptions and what is buffered. Until a handshake with them
    /// is done, a refusal is not the end: `ReauthenticationFailed`, then the glue's previous
    /// credentials are tried at once. `Reauthenticated` follows a handshake with the new ones.
    pub fn reauthenticate(&mut self, now: u64) -> Result<(), Error> {
        self.check_open(false)?;
        self.reauth = true;
        if matches!(
            self.state,
            State::Connected | State::AwaitingInfo | State::Handshaking
        ) {
            // Taken when this transport's end is handled.
            self.redial_now = true;
            self.fail_transport(Error::new(
                ErrorCode::Disconnect,
                "reconnecting with new credentials",
            ));
        } else if let Some((_, at)) = self.dial.as_mut() {
            // Disconnected: the next dial, with them, is now.
            *at = now;
        }
        Ok(())
    }

    /// Replaces `reconnect_time_wait` and its jitter with a computed delay (nats.ws
    /// `reconnectDelayHandler`), for the next reconnect.
    pub fn set_reconnect_delay(&mut self, wait: u64) {
        self.opts.reconnect_time_wait = wait;
        self.opts.reconnect_jitter = 0;
    }

    /// Client pings: one every `ping_interval`; `max_ping_out` unanswered ones make the
    /// connection stale. Measured against `now`, so a throttled background timer that fires
    /// late still sees how much time really passed.
    pub(super) fn tick_ping(&mut self, now: u64) {
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
        self.outbox.wire().extend_from_slice(encode::PING);
        self.pongs.push_back(PongWaiter::KeepAlive);
        self.next_ping = Some(now.saturating_add(self.opts.ping_interval));
    }

    /// Checks liveness now (the page came back online or became visible): one ping that
    /// must be answered within `deadline` ms, else the connection is stale.
    pub fn check_liveness(&mut self, now: u64, deadline: u64) {
        if self.state != State::Connected || self.close_transport {
            return;
        }
        self.pings_out = self.opts.max_ping_out.max(1);
        self.outbox.wire().extend_from_slice(encode::PING);
        self.pongs.push_back(PongWaiter::KeepAlive);
        self.next_ping = Some(now.saturating_add(deadline));
    }
}
