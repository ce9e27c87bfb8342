//! Requests: which replies answer which request, and when each request ends.
//!
//! A request is answered through the mux (one shared subscription to `<inbox>.*`, replies on
//! `<inbox>.<id>`), or, with nats.ws `noMux`, on an inbox subscription of its own. Either way
//! the core decides when it ends: at its first reply, at its deadline, at a no-responders
//! status, or for many replies ([`Many`]) at their count, sentinel or pause.

use core::num::NonZeroU64;

use super::timers::{TimerKey, Timers};
use crate::prelude::*;
use crate::proto::error::{Error, ErrorCode};
use crate::proto::headers::status::NO_RESPONDERS;
use crate::proto::intmap::IntMap;
use crate::proto::text;

/// How a request for many replies (nats.ws `requestMany`) decides it is done; it also ends at
/// its timeout (`maxWait`), which for it is a normal end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Many {
    /// Only the timeout ends it (nats.ws `RequestStrategy.Timer`).
    Timer,
    /// After this many replies (`Count`, `maxMessages`).
    Count(NonZeroU64),
    /// When no reply came for this many milliseconds after the last (`JitterTimer`, `jitter`).
    Jitter(u64),
    /// At the first reply with an empty payload, which is delivered (`SentinelMsg`).
    Sentinel,
}

/// How a request is sent and when it ends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestOptions {
    /// Milliseconds: for one reply, the deadline (`TIMEOUT`); for many, `maxWait`.
    pub timeout: u64,
    /// `Some` for many replies.
    pub many: Option<Many>,
    /// nats.ws `noMux`: the reply subject, subscribed for this request alone.
    pub inbox: Option<String>,
}

/// What ended a request, for the connection to report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Ended {
    /// The request.
    pub id: u32,
    /// `None` for a normal end of a request for many replies.
    pub error: Option<Error>,
    /// Its own subscription (`noMux`): the connection drops it, and unsubscribes it at the
    /// server unless it is already gone (ended by its `max`, or refused).
    pub own_sid: Option<u64>,
}

#[derive(Debug)]
struct Request {
    /// When the request ends if nothing else ends it first (moves with `Many::Jitter`).
    deadline: u64,
    /// `maxWait` for many replies: a moving deadline never passes it.
    limit: u64,
    many: Option<Many>,
    /// Replies so far.
    replies: u64,
    /// Its subject, to match a server's publish permissions violation.
    subject: Box<str>,
    /// Its own subscription (`noMux`), else 0.
    sid: u64,
}

#[derive(Debug)]
struct Mux {
    sid: u64,
    /// `<inbox>.` : a reply subject is this plus the request id.
    prefix: String,
}

/// The requests waiting for replies.
#[derive(Debug)]
pub(super) struct Requests {
    table: IntMap<u32, Request>,
    next_id: u32,
    mux: Option<Mux>,
    /// `noMux` requests, `(sid of their own subscription, id)`: few at a time, and a list
    /// links no second map into the wasm.
    own: Vec<(u64, u32)>,
}

/// Who a subscription's messages are for.
pub(super) enum Owner {
    /// The application (an ordinary subscription).
    User,
    /// Request `id`.
    Request(u32),
    /// A request that has ended: the message is dropped.
    Gone,
}

impl Requests {
    pub fn new() -> Self {
        Requests {
            table: IntMap::new(),
            next_id: 1,
            mux: None,
            own: Vec::new(),
        }
    }

    /// The id the next request will get.
    pub fn next_id(&mut self) -> u32 {
        let id = self.next_id;
        self.next_id = self.next_id.wrapping_add(1).max(1);
        id
    }

    /// The mux's reply subject for request `id`, if the mux is subscribed.
    pub fn mux_reply(&self, id: u32) -> Option<String> {
        let mux = self.mux.as_ref()?;
        Some(text::concat(&[
            &mux.prefix,
            &crate::proto::error::decimal(id.into()),
        ]))
    }

    /// The mux is subscribed as `sid` to `<inbox>.*`.
    pub fn set_mux(&mut self, sid: u64, inbox: &str) {
        self.mux = Some(Mux {
            sid,
            prefix: text::concat(&[inbox, "."]),
        });
    }

    /// Starts waiting for replies to request `id`, sent to `subject`; `sid` is its own
    /// subscription (0 for the mux).
    pub fn insert(
        &mut self,
        id: u32,
        subject: &str,
        opts: &RequestOptions,
        sid: u64,
        now: u64,
        timers: &mut Timers,
    ) {
        let deadline = now.saturating_add(opts.timeout);
        if sid != 0 {
            self.own.push((sid, id));
        }
        self.table.insert(
            id,
            Request {
                deadline,
                limit: deadline,
                many: opts.many,
                replies: 0,
                subject: subject.into(),
                sid,
            },
        );
        timers.push(deadline, TimerKey::Request(id));
    }

    /// Whose message arrived on `sid` with `subject`.
    pub fn owner(&self, sid: u64, subject: &[u8]) -> Owner {
        if let Some(mux) = self.mux.as_ref().filter(|m| m.sid == sid) {
            let id = subject
                .strip_prefix(mux.prefix.as_bytes())
                .and_then(|t| text::parse_digits(t, 10));
            return match id.filter(|id| self.table.contains_key(id)) {
                Some(id) => Owner::Request(id),
                None => Owner::Gone,
            };
        }
        match self.own.iter().find(|(s, _)| *s == sid) {
            Some((_, id)) => Owner::Request(*id),
            None => Owner::User,
        }
    }

    /// A reply to request `id` arrived (`status` from its headers, `payload` bytes long).
    /// Returns whether it is delivered, and what it ended.
    pub fn on_reply(
        &mut self,
        id: u32,
        status: u16,
        payload: usize,
        now: u64,
        timers: &mut Timers,
    ) -> (bool, Option<Ended>) {
        let Some(r) = self.table.get_mut(&id) else {
            return (false, None);
        };
        if status == NO_RESPONDERS && payload == 0 {
            // The message is nats.ws's (its code), which applications print.
            let error = Error::new(ErrorCode::NoResponders, "503");
            return (false, self.end(id, Some(error)));
        }
        r.replies += 1;
        let done = match r.many {
            None => true,
            Some(Many::Timer) => false,
            Some(Many::Count(n)) => r.replies >= n.get(),
            Some(Many::Sentinel) => payload == 0,
            Some(Many::Jitter(ms)) => {
                r.deadline = now.saturating_add(ms).min(r.limit);
                timers.push(r.deadline, TimerKey::Request(id));
                false
            }
        };
        if !done {
            return (true, None);
        }
        // One reply ends a request for one with its delivery: the glue resolves it with the
        // message, so nothing more is reported.
        let single = r.many.is_none();
        let ended = self.end(id, None).filter(|_| !single);
        (true, ended)
    }

    /// Request `id`'s deadline at `at` came: it ends, unless it ended or moved since.
    pub fn expire(&mut self, id: u32, at: u64) -> Option<Ended> {
        let r = self.table.get(&id).filter(|r| r.deadline == at)?;
        let error = r
            .many
            .is_none()
            .then(|| Error::new(ErrorCode::Timeout, "TIMEOUT"));
        self.end(id, error)
    }

    /// Ends request `id` (the glue gave up on it, or it failed).
    pub fn end(&mut self, id: u32, error: Option<Error>) -> Option<Ended> {
        let r = self.table.remove(&id)?;
        let own_sid = Some(r.sid).filter(|sid| *sid != 0);
        if let Some(at) = self.own.iter().position(|(s, _)| Some(*s) == own_sid) {
            self.own.swap_remove(at);
        }
        Some(Ended { id, error, own_sid })
    }

    /// The oldest request to `subject`, whose publish the server refused.
    pub fn oldest_to(&self, subject: &str) -> Option<u32> {
        self.table
            .iter()
            .filter(|(_, r)| &*r.subject == subject)
            .map(|(id, _)| id)
            .min()
    }

    /// A request that subscription `sid` answers: any request of the mux, or the one
    /// that owns it. The server refused `sid`: the connection ends each such request, one
    /// by one, until there is none (forgetting the mux first).
    pub fn answered_by(&self, sid: u64) -> Option<u32> {
        if self.mux.as_ref().is_some_and(|m| m.sid == sid) {
            return self
                .table
                .iter()
                .find(|(_, r)| r.sid == 0)
                .map(|(id, _)| id);
        }
        self.own.iter().find(|(s, _)| *s == sid).map(|(_, id)| *id)
    }

    /// The mux's subscription is gone: the next request subscribes a new one.
    pub fn forget_mux(&mut self, sid: u64) {
        if self.mux.as_ref().is_some_and(|m| m.sid == sid) {
            self.mux = None;
        }
    }

    /// Any request still waiting (the connection ends them all when it loses its server).
    pub fn any(&self) -> Option<u32> {
        self.table.keys().next()
    }

    /// Forgets every request and the mux (the connection closed).
    pub fn clear(&mut self) {
        self.table.clear();
        self.own.clear();
        self.mux = None;
    }

    /// Number of requests waiting.
    pub fn len(&self) -> usize {
        self.table.len()
    }
}
