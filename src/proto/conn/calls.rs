//! The application's calls: publish, subscribe, unsubscribe, flush, request, drain, close.
//! Each checks what it is given (nothing malformed reaches the wire) and writes its
//! protocol lines, to the transport when up, else to the reconnect buffer.

use core::num::NonZeroU64;

use super::requests::Many;
use super::timers::TimerKey;
use super::{fill, Connection, PongWaiter, RequestOptions, State};
use crate::prelude::*;
use crate::proto::encode;
use crate::proto::error::{decimal, Error, ErrorCode};
use crate::proto::headers;
use crate::proto::subject::{validate_queue, validate_subject, SubjectKind};
use crate::proto::text;

impl Connection {
    /// True while a transport carries our traffic (publishes go straight out).
    pub(super) fn is_up(&self) -> bool {
        matches!(self.state, State::Connected | State::Draining)
    }

    pub(super) fn check_open(&self, allow_draining: bool) -> Result<(), Error> {
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
            if !self.server_headers() {
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
        let up = self.is_up();
        if up && self.backlog + self.outbox.waiting() + line + size > self.opts.outbound_limit {
            return Err(Error::new(
                ErrorCode::OutboundBufferFull,
                text::concat(&[
                    "the outbound buffer (",
                    &decimal(self.opts.outbound_limit as u64),
                    " bytes) is full: the server is slower than the publishes",
                ]),
            ));
        }
        let out = self.outbox.sink(up, line + size)?;
        self.stats.out_msgs += 1;
        self.stats.out_bytes += size as u64;
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
        let sid = self.subs.add(subject, queue, max);
        // While disconnected the SUB is sent with all the others after the next handshake.
        if self.is_up() {
            let out = self.outbox.wire();
            encode::write_sub(out, subject, queue, sid);
            if let Some(max) = max.filter(|m| *m > 0) {
                encode::write_unsub(out, sid, Some(max));
            }
        }
        if let Some(t) = timeout {
            self.timers.push(now.saturating_add(t), TimerKey::Sub(sid));
        }
        Ok(sid)
    }

    /// Unsubscribes now, or after `max` messages in total have been received.
    /// Returns true when the subscription is gone now.
    pub fn unsubscribe(&mut self, sid: u64, max: Option<u64>) -> bool {
        if self.state == State::Closed || !self.subs.contains(sid) {
            return true;
        }
        let limited = match max.and_then(NonZeroU64::new) {
            Some(max) => self.subs.set_max(sid, max).then_some(max.get()),
            None => {
                self.subs.remove(sid);
                None
            }
        };
        if self.is_up() {
            encode::write_unsub(self.outbox.wire(), sid, limited);
        }
        limited.is_none()
    }

    /// Drains one subscription: `UNSUB` now, then closes it once the server confirms (the
    /// returned flush id completes) that every message sent before the `UNSUB` was delivered.
    pub fn drain_subscription(&mut self, sid: u64) -> Result<u32, Error> {
        self.check_open(true)?;
        if !self.subs.contains(sid) {
            return Err(Error::new(
                ErrorCode::SubClosed,
                "the subscription is closed",
            ));
        }
        let id = self.next_flush_id();
        if !self.is_up() {
            // Nothing can be in flight: the subscription simply ends.
            self.sub_drained(sid, id);
            return Ok(id);
        }
        encode::write_unsub(self.outbox.wire(), sid, None);
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
        self.outbox
            .sink(self.is_up(), encode::PING.len())?
            .extend_from_slice(encode::PING);
        self.pongs.push_back(waiter);
        Ok(())
    }

    /// Sends a request; returns the request id that its replies' delivery rows carry. It
    /// ends as `opts` says (see [`RequestOptions`]) with `Event::RequestFailed`, or, for
    /// many replies, `Event::RequestDone`; a request for one reply ends with its reply.
    pub fn request(
        &mut self,
        subject: &str,
        headers: Option<&[u8]>,
        payload: &[u8],
        opts: RequestOptions,
        now: u64,
    ) -> Result<u32, Error> {
        self.check_open(false)?;
        self.check_publish(subject, None, headers, payload.len())?;
        if let Some(inbox) = opts.inbox.as_deref() {
            validate_subject(inbox, SubjectKind::Publish)?;
        }
        let id = self.subs.requests.next_id();
        let (reply, sid) = match opts.inbox.as_deref() {
            Some(inbox) => {
                // The server ends a subscription with a known count by itself.
                let max = match opts.many {
                    None => Some(1),
                    Some(Many::Count(n)) => Some(n.get()),
                    Some(_) => None,
                };
                let sid = self.subscribe(inbox, None, max, None, now)?;
                (inbox.to_string(), sid)
            }
            None => {
                if self.subs.requests.mux_reply(id).is_none() {
                    let inbox = self.opts.mux_inbox.clone();
                    let sid =
                        self.subscribe(&text::concat(&[&inbox, ".*"]), None, None, None, now)?;
                    self.subs.requests.set_mux(sid, &inbox);
                }
                (self.subs.requests.mux_reply(id).unwrap_or_default(), 0)
            }
        };
        let written = self.reserve_publish(subject, Some(&reply), headers, payload.len());
        match written {
            Ok(slot) => fill(slot, payload),
            Err(e) => {
                if sid != 0 {
                    self.unsubscribe(sid, None);
                }
                return Err(e);
            }
        }
        self.subs
            .requests
            .insert(id, subject, &opts, sid, now, &mut self.timers);
        Ok(id)
    }

    /// Ends a request early (requestMany strategies, or the caller gave up); nothing is
    /// reported for it.
    pub fn cancel_request(&mut self, id: u32) {
        if let Some(sid) = self.subs.requests.end(id, None).and_then(|e| e.own_sid) {
            self.unsubscribe(sid, None);
        }
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
        for sid in self.subs.sids() {
            encode::write_unsub(self.outbox.wire(), sid, None);
        }
        self.send_ping(PongWaiter::Drain)
    }

    /// Closes at once. Bytes already queued can still be sent by the edge.
    pub fn close(&mut self) {
        self.finish(None);
    }
}
