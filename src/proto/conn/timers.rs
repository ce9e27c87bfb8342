//! The deadlines of requests and subscriptions, in one heap ordered by time.
//!
//! An entry is never removed early: when what it guards ends or moves its deadline, the entry
//! stays and is ignored when it comes due (its owner checks that the deadline still holds).
//! The connection's own deadlines (handshake, pings, dialing) are single values it keeps
//! itself; [`Timers::next`] is merged with them in `Connection::poll_timeout`.

use alloc::collections::BinaryHeap;
use core::cmp::Reverse;

/// What a deadline belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum TimerKey {
    /// A request: its reply (or, for many replies, the end of waiting) is due.
    Request(u32),
    /// A subscription with a `timeout`: its first message is due.
    Sub(u64),
    /// A pull consumer (by its sid): a fetch's end or a heartbeat check is due.
    Consumer(u64),
}

/// A min-heap of `(deadline, key)`.
#[derive(Debug, Default)]
pub(super) struct Timers(BinaryHeap<Reverse<(u64, TimerKey)>>);

impl Timers {
    /// Adds a deadline.
    pub fn push(&mut self, at: u64, key: TimerKey) {
        self.0.push(Reverse((at, key)));
    }

    /// The earliest deadline, if any.
    pub fn next(&self) -> Option<u64> {
        self.0.peek().map(|Reverse((at, _))| *at)
    }

    /// Removes and returns the earliest entry if it is due at `now`.
    pub fn pop_due(&mut self, now: u64) -> Option<(u64, TimerKey)> {
        let Reverse((at, key)) = *self.0.peek()?;
        if at > now {
            return None;
        }
        self.0.pop();
        Some((at, key))
    }

    /// Forgets every deadline (the connection closed).
    pub fn clear(&mut self) {
        self.0.clear();
    }
}

#[cfg(test)]
mod tests {
    // On wasm32 the same tests run under wasm-bindgen-test (node), where the core ships.
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn entries_come_due_in_time_order() {
        let mut t = Timers::default();
        t.push(30, TimerKey::Sub(1));
        t.push(10, TimerKey::Request(2));
        t.push(20, TimerKey::Request(3));
        assert_eq!(t.next(), Some(10));
        assert_eq!(t.pop_due(5), None);
        assert_eq!(t.pop_due(25), Some((10, TimerKey::Request(2))));
        assert_eq!(t.pop_due(25), Some((20, TimerKey::Request(3))));
        assert_eq!(t.pop_due(25), None);
        assert_eq!(t.next(), Some(30));
        t.clear();
        assert_eq!(t.next(), None);
    }
}
