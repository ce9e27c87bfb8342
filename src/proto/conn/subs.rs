//! Subscriptions and the requests answered through them: where a received message goes.
//!
//! [`Subs::route`] is the one call a received `MSG` makes: it counts the message against its
//! subscription's `max`, finds the request it answers (through the mux, or a request's own
//! inbox), and says what ended with it.

use core::num::NonZeroU64;

use super::requests::{Ended, Owner, Requests};
use super::timers::Timers;
use crate::prelude::*;
use crate::proto::encode;
use crate::proto::intmap::IntMap;

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

/// Where a received message goes.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Routed {
    /// The request it answers, else 0.
    pub request: u32,
    /// Handed to the application (a no-responders status is not: it fails the request).
    pub deliver: bool,
    /// A subscription of the application that ended with this message (its `max`).
    pub sub_ended: Option<u64>,
    /// A request that ended with this message.
    pub request_ended: Option<Ended>,
}

/// The open subscriptions, by sid, and the requests waiting on them.
#[derive(Debug)]
pub(super) struct Subs {
    table: IntMap<u64, Sub>,
    next_sid: u64,
    /// The requests; the mux and `noMux` inboxes are subscriptions of this table.
    pub requests: Requests,
}

impl Subs {
    pub fn new() -> Self {
        Subs {
            table: IntMap::new(),
            next_sid: 1,
            requests: Requests::new(),
        }
    }

    /// Adds a subscription; returns its sid (sids only grow: their order is creation order).
    pub fn add(&mut self, subject: &str, queue: Option<&str>, max: Option<u64>) -> u64 {
        let sid = self.next_sid;
        self.next_sid += 1;
        self.table.insert(
            sid,
            Sub {
                subject: subject.into(),
                queue: queue.map(Into::into),
                max: max.and_then(NonZeroU64::new),
                received: 0,
            },
        );
        sid
    }

    /// True while `sid` is open.
    pub fn contains(&self, sid: u64) -> bool {
        self.table.contains_key(&sid)
    }

    /// Removes `sid`; false if it was not open.
    pub fn remove(&mut self, sid: u64) -> bool {
        self.table.remove(&sid).is_some()
    }

    /// Messages received so far on `sid`, if it is open.
    pub fn received(&self, sid: u64) -> Option<u64> {
        self.table.get(&sid).map(|s| s.received)
    }

    /// Number of open subscriptions (the mux and request inboxes included).
    pub fn len(&self) -> usize {
        self.table.len()
    }

    /// The open sids in creation order (the order nats.ws ends them in, when draining).
    pub fn sids(&self) -> Vec<u64> {
        self.table.sorted_keys()
    }

    /// Ends `sid` after `max` messages in all: false when that is already reached, and then
    /// `sid` is removed.
    pub fn set_max(&mut self, sid: u64, max: NonZeroU64) -> bool {
        match self.table.get_mut(&sid) {
            Some(sub) if max.get() > sub.received => {
                sub.max = Some(max);
                true
            }
            _ => {
                self.table.remove(&sid);
                false
            }
        }
    }

    /// Writes every subscription (`SUB`, and `UNSUB` with what a `max` one still has to
    /// receive), in creation order: after a reconnect, the new server learns them all.
    pub fn write_all(&self, out: &mut Vec<u8>) {
        for sid in self.sids() {
            let Some(sub) = self.table.get(&sid) else {
                continue;
            };
            encode::write_sub(out, &sub.subject, sub.queue.as_deref(), sid);
            if let Some(max) = sub.max {
                let left = max.get().saturating_sub(sub.received).max(1);
                encode::write_unsub(out, sid, Some(left));
            }
        }
    }

    /// The first open subscription (in creation order) to `subject` with `queue`: the one
    /// a server's subscription permissions violation names.
    pub fn first_matching(&self, subject: &str, queue: Option<&str>) -> Option<u64> {
        self.table
            .iter()
            .filter(|(_, s)| &*s.subject == subject && s.queue.as_deref() == queue)
            .map(|(sid, _)| sid)
            .min()
    }

    /// A message arrived on `sid` with `subject`, a header `status` (0: none) and a payload
    /// of `payload` bytes. `None` when it goes nowhere (a late message for a subscription
    /// already gone or past its `max`, or a reply to a request that has ended).
    pub fn route(
        &mut self,
        sid: u64,
        subject: &[u8],
        status: u16,
        payload: usize,
        now: u64,
        timers: &mut Timers,
    ) -> Option<Routed> {
        let sub = self.table.get_mut(&sid)?;
        if sub.max.is_some_and(|max| sub.received >= max.get()) {
            return None;
        }
        sub.received += 1;
        let done = sub.max.is_some_and(|max| sub.received >= max.get());
        if done {
            self.table.remove(&sid);
        }
        match self.requests.owner(sid, subject) {
            Owner::User => Some(Routed {
                request: 0,
                deliver: true,
                sub_ended: done.then_some(sid),
                request_ended: None,
            }),
            Owner::Gone => None,
            Owner::Request(id) => {
                let (deliver, request_ended) =
                    self.requests.on_reply(id, status, payload, now, timers);
                Some(Routed {
                    request: id,
                    deliver,
                    sub_ended: None,
                    request_ended,
                })
            }
        }
    }

    /// Forgets every subscription and request (the connection closed).
    pub fn clear(&mut self) {
        self.table.clear();
        self.requests.clear();
    }
}
