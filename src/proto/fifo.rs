//! A first-in, first-out queue for the core's few small queues (events, PONG waiters).
//!
//! `VecDeque` would do, but its ring-buffer code (growing, wrapping, slicing) is the largest
//! collection code left in the wasm. These queues fill during one input and are drained
//! right after, so a `Vec` read from a cursor, reset whenever it empties, is all they need:
//! every operation stays O(1) (amortised), and a burst of thousands of events is no worse.

use crate::prelude::*;

/// A queue of `T`: push at the back, pop from the front.
#[derive(Debug, Clone)]
pub struct Fifo<T> {
    /// Taken items are `None`; `items[next..]` are all `Some`.
    items: Vec<Option<T>>,
    next: usize,
}

impl<T> Default for Fifo<T> {
    fn default() -> Self {
        Fifo {
            items: Vec::new(),
            next: 0,
        }
    }
}

impl<T> Fifo<T> {
    /// An empty queue; it allocates on the first push.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `item` at the back.
    pub fn push_back(&mut self, item: T) {
        self.items.push(Some(item));
    }

    /// Adds `item` at the front (it is popped next).
    pub fn push_front(&mut self, item: T) {
        match self.next.checked_sub(1) {
            Some(before) => {
                self.next = before;
                // Always in range (`before` < `next` <= len); `get_mut` links no panic path.
                if let Some(slot) = self.items.get_mut(before) {
                    *slot = Some(item);
                }
            }
            None => self.items.insert(0, Some(item)),
        }
    }

    /// Removes and returns the front item.
    pub fn pop_front(&mut self) -> Option<T> {
        let item = self.items.get_mut(self.next)?.take();
        self.next += 1;
        if self.next == self.items.len() {
            self.clear();
        }
        item
    }

    /// Removes every item (the room stays for the next burst).
    pub fn clear(&mut self) {
        self.items.clear();
        self.next = 0;
    }

    /// How many items are queued.
    pub fn len(&self) -> usize {
        self.items.len() - self.next
    }

    /// Whether nothing is queued.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    // On wasm32 the same tests run under wasm-bindgen-test (node), where the core ships.
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn items_come_out_in_the_order_they_went_in() {
        let mut q = Fifo::new();
        for i in 0..5 {
            q.push_back(i);
        }
        assert_eq!(q.pop_front(), Some(0));
        assert_eq!(q.pop_front(), Some(1));
        q.push_back(5);
        let rest: Vec<_> = core::iter::from_fn(|| q.pop_front()).collect();
        assert_eq!(rest, [2, 3, 4, 5]);
        assert!(q.is_empty());
        assert_eq!(q.pop_front(), None);
    }

    #[test]
    fn push_front_goes_before_everything_queued() {
        let mut q = Fifo::new();
        q.push_front(1); // empty: inserted
        q.push_back(2);
        q.push_front(0);
        assert_eq!(q.pop_front(), Some(0));
        q.push_front(9); // reuses the slot just taken
        assert_eq!(q.len(), 3);
        let all: Vec<_> = core::iter::from_fn(|| q.pop_front()).collect();
        assert_eq!(all, [9, 1, 2]);
    }

    #[test]
    fn an_emptied_queue_starts_over_and_clear_drops_everything() {
        let mut q = Fifo::new();
        q.push_back("a");
        assert_eq!(q.pop_front(), Some("a"));
        assert_eq!((q.items.len(), q.next), (0, 0), "reset once empty");
        q.push_back("b");
        q.push_back("c");
        q.clear();
        assert_eq!(q.pop_front(), None);
        assert_eq!(q.len(), 0);
    }

    #[test]
    fn matches_vecdeque_under_random_use() {
        let mut q = Fifo::new();
        let mut model = alloc::collections::VecDeque::new();
        let mut seed = 0x9E37_79B9_u32;
        for i in 0..5_000 {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            match seed % 5 {
                0 | 1 => {
                    q.push_back(i);
                    model.push_back(i);
                }
                2 => {
                    q.push_front(i);
                    model.push_front(i);
                }
                _ => assert_eq!(q.pop_front(), model.pop_front()),
            }
            assert_eq!(q.len(), model.len());
        }
    }
}
