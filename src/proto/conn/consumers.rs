//! JetStream pull consumers on the connection: each `consume()`, `fetch()` or `next()` is a
//! subscription to its own inbox plus a [`Pull`] that decides what to ask the server, what
//! reaches the application, and when it ends (see `proto::jetstream::pull`).
//!
//! The glue makes the inbox and names the consumer's `MSG.NEXT` subject (the API prefix and
//! domain are its data model); everything on the wire from then on is decided here.

use super::timers::TimerKey;
use super::{Connection, Event};
use crate::prelude::*;
use crate::proto::error::Error;
use crate::proto::headers;
use crate::proto::jetstream::{ack, Message, Pull, PullOptions, Step};
use crate::proto::parser::MsgOp;
use crate::proto::subject::{validate_subject, SubjectKind};
use crate::proto::text;

/// Words per ack record (see [`Connection::poll_acks`]): the offsets and lengths of domain,
/// account, stream and consumer in the reply subject, then delivered count, stream and
/// consumer sequences, timestamp and pending.
pub const ACK_STRIDE: usize = 13;

/// One consumer: its pull state and where it pulls from.
#[derive(Debug)]
struct Consumer {
    /// Its inbox subscription.
    sid: u64,
    pull: Pull,
    inbox: Box<str>,
    /// `$JS.API.CONSUMER.MSG.NEXT.<stream>.<consumer>` (with the glue's prefix).
    next: Box<str>,
    /// The earliest deadline in the timer heap for it, if any.
    armed: Option<u64>,
}

/// The open consumers. A page runs a few at most: a list searched by sid costs the wasm
/// less than another map type.
#[derive(Debug, Default)]
pub(super) struct Consumers(Vec<Consumer>);

impl Consumers {
    pub fn clear(&mut self) {
        self.0.clear();
    }

    pub fn contains(&self, sid: u64) -> bool {
        self.0.iter().any(|c| c.sid == sid)
    }

    fn get_mut(&mut self, sid: u64) -> Option<&mut Consumer> {
        self.0.iter_mut().find(|c| c.sid == sid)
    }

    fn remove(&mut self, sid: u64) -> Option<Consumer> {
        let at = self.0.iter().position(|c| c.sid == sid)?;
        Some(self.0.swap_remove(at))
    }

    /// The sids, for walking the list while it may change.
    fn sids(&self) -> Vec<u64> {
        self.0.iter().map(|c| c.sid).collect()
    }
}

impl Connection {
    /// Starts a pull consumer: subscribes to `inbox` and pulls from `next` (its `MSG.NEXT`
    /// subject); or a push consumer (`opts.push`), whose messages come to `inbox` unasked,
    /// subscribed in queue group `next` unless it is empty. Returns the sid its messages are
    /// delivered with; what happens to it is reported as [`Event::Consumer`].
    pub fn consume(
        &mut self,
        inbox: &str,
        next: &str,
        opts: PullOptions,
        now: u64,
    ) -> Result<u64, Error> {
        self.check_open(false)?;
        let queue = if opts.push {
            Some(next).filter(|q| !q.is_empty())
        } else {
            validate_subject(next, SubjectKind::Publish)?;
            None
        };
        let sid = self.subscribe(inbox, queue, None, None, now)?;
        let consumer = Consumer {
            sid,
            pull: Pull::new(opts, now),
            inbox: inbox.into(),
            next: next.into(),
            armed: None,
        };
        self.consumers.0.push(consumer);
        self.run_consumer(sid);
        Ok(sid)
    }

    /// The glue found the consumer after [`Step::Check`]: pull anew.
    pub fn consumer_reset(&mut self, sid: u64, now: u64) {
        if let Some(c) = self.consumers.get_mut(sid) {
            c.pull.reset(now);
            self.run_consumer(sid);
        }
    }

    /// Ends consumer `sid` now (its iterator was stopped, or the glue gave up on it).
    pub fn consumer_stop(&mut self, sid: u64) {
        if let Some(mut c) = self.consumers.remove(sid) {
            c.pull.stop();
            self.unsubscribe(sid, None);
        }
    }

    /// A message on a consumer's inbox (`m.sid` is one), `base` its offset in the input:
    /// whether it goes to the application (then with an ack record, see
    /// [`Connection::poll_acks`]).
    #[inline(never)]
    pub(super) fn consumer_message(&mut self, m: &MsgOp, base: usize, now: u64) -> bool {
        let sid = m.sid;
        let Some(c) = self.consumers.get_mut(sid) else {
            return true;
        };
        let bytes = self.input.bytes();
        let at = |r: Option<&core::ops::Range<usize>>| {
            r.map_or(&[][..], |r| text::part(bytes, base + r.start..base + r.end))
        };
        let (subject, reply, block) = (
            at(Some(&m.subject)),
            at(m.reply.as_ref()),
            at(m.headers.as_ref()),
        );
        let info = ack::parse(reply);
        let message = if subject == c.inbox.as_bytes() {
            // Status blocks are ASCII; anything else reads as having no headers.
            let lines = core::str::from_utf8(block).unwrap_or_default();
            let count = |key| {
                headers::value(lines, key)
                    .and_then(text::parse_u64)
                    .unwrap_or(0)
            };
            Message::Status {
                code: headers::status_code(block),
                description: headers::status_description(block),
                reply,
                stalled: headers::value(lines, "\nNats-Consumer-Stalled:").unwrap_or_default(),
                last_consumer: headers::value(lines, "\nNats-Last-Consumer:")
                    .and_then(text::parse_u64),
                pending_messages: count("\nNats-Pending-Messages:"),
                pending_bytes: count("\nNats-Pending-Bytes:"),
            }
        } else {
            Message::Stored {
                size: subject.len() + reply.len() + block.len() + m.payload.len(),
                consumer_seq: info.as_ref().map(|i| i.consumer_seq),
            }
        };
        let deliver = c.pull.handle_message(now, message);
        if let Some(i) = info.filter(|_| deliver) {
            push_ack(&mut self.acks, i);
        }
        self.run_consumer(sid);
        deliver
    }

    /// The ack record number (from 1, among those the next [`Connection::poll_acks`] returns)
    /// of the message just routed, or 0 when it got none (`before`: the words before it).
    pub(super) fn last_ack(&self, before: usize) -> u32 {
        if self.acks.len() > before {
            ((self.acks.len() - self.acked) / ACK_STRIDE) as u32
        } else {
            0
        }
    }

    /// The ack records of the messages [`Connection::poll_deliveries`] returned last (polled
    /// right after it): [`ACK_STRIDE`] numbers each, numbered from 1 by the rows' `ACK`
    /// field. Offsets are into each message's reply subject.
    #[must_use]
    pub fn poll_acks(&mut self) -> &[u64] {
        let new = self.acks.get(self.acked..).unwrap_or_default();
        self.acked = self.acks.len();
        new
    }

    /// A consumer's deadline came due.
    pub(super) fn consumer_timeout(&mut self, sid: u64, at: u64, now: u64) {
        let Some(c) = self.consumers.get_mut(sid) else {
            return;
        };
        if c.armed != Some(at) {
            return;
        }
        c.armed = None;
        c.pull.handle_timeout(now);
        self.run_consumer(sid);
    }

    /// The transport was lost: heartbeats cannot arrive.
    pub(super) fn consumers_paused(&mut self) {
        for sid in self.consumers.sids() {
            if let Some(c) = self.consumers.get_mut(sid) {
                c.pull.pause();
            }
        }
    }

    /// Reconnected: each consumer asks the glue to check it is still there.
    pub(super) fn consumers_resumed(&mut self) {
        for sid in self.consumers.sids() {
            if let Some(c) = self.consumers.get_mut(sid) {
                c.pull.resume();
            }
            self.run_consumer(sid);
        }
    }

    /// Carries out what consumer `sid` wants: pulls go on the wire, the rest is reported; an
    /// end unsubscribes it. Then its deadline is armed.
    fn run_consumer(&mut self, sid: u64) {
        // Out of the list while it runs: the connection's calls need `self`.
        let Some(mut c) = self.consumers.remove(sid) else {
            return;
        };
        for step in c.pull.poll_steps() {
            // A pull goes to the consumer's MSG.NEXT subject (and is reported too: nats.ws
            // tells `status()` readers of each); an answer is an empty message. Either, if
            // refused here (the outbound buffer is full), is like one the server dropped: the
            // heartbeat watch notices, and the check pulls again.
            let sent = match &step {
                Step::Pull(body) => Some((&*c.next, Some(&*c.inbox), body.as_bytes())),
                Step::Respond(subject) => Some((subject.as_str(), None, &b""[..])),
                _ => None,
            };
            if let Some((subject, reply, payload)) = sent {
                let _ = self.publish(subject, reply, None, payload);
            }
            match step {
                Step::Respond(_) => {}
                step @ (Step::End(_) | Step::Gap) => {
                    self.unsubscribe(sid, None);
                    self.events.push_back(Event::Consumer { sid, step });
                    return;
                }
                step => self.events.push_back(Event::Consumer { sid, step }),
            }
        }
        let due = c.pull.poll_timeout();
        if let Some(at) = due.filter(|at| c.armed.map_or(true, |armed| *at < armed)) {
            c.armed = Some(at);
            self.timers.push(at, TimerKey::Consumer(sid));
        }
        self.consumers.0.push(c);
    }
}

/// Adds the ack record of a message being delivered (see [`ACK_STRIDE`]).
fn push_ack(acks: &mut Vec<u64>, i: ack::AckInfo) {
    for r in [i.domain, i.account, i.stream, i.consumer] {
        acks.extend_from_slice(&[r.start as u64, (r.end - r.start) as u64]);
    }
    acks.extend_from_slice(&[
        i.delivered,
        i.stream_seq,
        i.consumer_seq,
        i.timestamp,
        i.pending,
    ]);
}
