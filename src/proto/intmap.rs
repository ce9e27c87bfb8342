//! A small hash map for the integer keys the core uses (subscription ids, request tokens).
//!
//! `std`'s `HashMap` is not in `alloc`, and with its SipHash and random keys it is the largest
//! collection in the wasm. Our keys are small sequential integers handed out by the core, so a
//! table with Fibonacci hashing and linear probing (backward-shift deletion, no tombstones)
//! spreads them evenly at a 3/4 load factor, like hashbrown's memory use, in a fraction of the
//! code.

use crate::prelude::*;

/// The multiplier of Fibonacci hashing: 2^64 divided by the golden ratio.
const FIBONACCI: u64 = 0x9E37_79B9_7F4A_7C15;
/// The smallest table, once anything is inserted.
const MIN_SLOTS: usize = 8;

/// A map from an integer key to `V`. Iteration order is unspecified, as with `HashMap`.
#[derive(Debug, Clone)]
pub struct IntMap<K, V> {
    /// A power-of-two number of slots (or none before the first insert).
    slots: Vec<Option<(K, V)>>,
    len: usize,
}

impl<K, V> Default for IntMap<K, V> {
    fn default() -> Self {
        IntMap {
            slots: Vec::new(),
            len: 0,
        }
    }
}

impl<K: Copy + Eq + Into<u64>, V> IntMap<K, V> {
    /// An empty map; it allocates on the first insert.
    pub fn new() -> Self {
        Self::default()
    }

    /// How many entries the map holds.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the map holds nothing.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    fn mask(&self) -> usize {
        self.slots.len().wrapping_sub(1)
    }

    /// The slot a key would sit in with no collisions.
    fn home(&self, key: K) -> usize {
        let bits = self.slots.len().trailing_zeros();
        (key.into().wrapping_mul(FIBONACCI) >> (64 - bits)) as usize
    }

    /// The slot holding `key`, if any.
    fn find(&self, key: K) -> Option<usize> {
        if self.len == 0 {
            return None;
        }
        let mask = self.mask();
        let mut i = self.home(key);
        loop {
            // `get`, not indexing, here and below: every index is masked into range, and
            // indexing linked a panic path per use into the wasm.
            match self.slots.get(i)? {
                None => return None,
                Some((k, _)) if *k == key => return Some(i),
                Some(_) => i = (i + 1) & mask,
            }
        }
    }

    /// The value for `key`.
    pub fn get(&self, key: &K) -> Option<&V> {
        let i = self.find(*key)?;
        self.slots.get(i)?.as_ref().map(|(_, v)| v)
    }

    /// The value for `key`, to change it in place.
    pub fn get_mut(&mut self, key: &K) -> Option<&mut V> {
        let i = self.find(*key)?;
        self.slots.get_mut(i)?.as_mut().map(|(_, v)| v)
    }

    /// Whether `key` is in the map.
    pub fn contains_key(&self, key: &K) -> bool {
        self.find(*key).is_some()
    }

    /// Sets `key` to `value`, returning the value it replaces.
    pub fn insert(&mut self, key: K, value: V) -> Option<V> {
        if let Some(i) = self.find(key) {
            let slot = self.slots.get_mut(i)?;
            return slot.replace((key, value)).map(|(_, v)| v);
        }
        if (self.len + 1) * 4 > self.slots.len() * 3 {
            self.grow();
        }
        self.place(key, value);
        self.len += 1;
        None
    }

    /// Puts an entry known to be absent into the first free slot of its probe sequence.
    fn place(&mut self, key: K, value: V) {
        let mask = self.mask();
        let mut i = self.home(key);
        while let Some(Some(_)) = self.slots.get(i) {
            i = (i + 1) & mask;
        }
        if let Some(slot) = self.slots.get_mut(i) {
            *slot = Some((key, value));
        }
    }

    /// Doubles the table and puts every entry back.
    fn grow(&mut self) {
        let size = (self.slots.len() * 2).max(MIN_SLOTS);
        let old = core::mem::take(&mut self.slots);
        self.slots.resize_with(size, || None);
        for (k, v) in old.into_iter().flatten() {
            self.place(k, v);
        }
    }

    /// Removes `key`, returning its value. Later entries of the same probe run shift back into
    /// the hole, so lookups never need tombstones.
    pub fn remove(&mut self, key: &K) -> Option<V> {
        let mut hole = self.find(*key)?;
        let (_, value) = self.slots.get_mut(hole)?.take()?;
        self.len -= 1;
        let mask = self.mask();
        let mut j = hole;
        loop {
            j = (j + 1) & mask;
            let Some(Some((k, _))) = self.slots.get(j) else {
                break;
            };
            let home = self.home(*k);
            // The entry at j may move back to the hole if the hole is no further from its home
            // than j is (distances taken around the table).
            if (j.wrapping_sub(home) & mask) >= (j.wrapping_sub(hole) & mask) {
                let moved = self.slots.get_mut(j).and_then(Option::take);
                if let Some(h) = self.slots.get_mut(hole) {
                    *h = moved;
                }
                hole = j;
            }
        }
        Some(value)
    }

    /// Every key, in no particular order.
    pub fn keys(&self) -> impl Iterator<Item = K> + '_ {
        self.iter().map(|(k, _)| k)
    }

    /// Every key in ascending order (for the core's keys: creation order).
    pub fn sorted_keys(&self) -> Vec<u64> {
        let mut keys: Vec<u64> = self.keys().map(Into::into).collect();
        shell_sort(&mut keys);
        keys
    }

    /// Every entry, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = (K, &V)> + '_ {
        self.slots.iter().flatten().map(|(k, v)| (*k, v))
    }

    /// Takes every entry out, leaving the map empty (and its memory freed).
    pub fn drain(&mut self) -> impl Iterator<Item = (K, V)> {
        self.len = 0;
        core::mem::take(&mut self.slots).into_iter().flatten()
    }

    /// Removes everything and frees the table.
    pub fn clear(&mut self) {
        self.slots = Vec::new();
        self.len = 0;
    }
}

/// Sorts `v` ascending. Shell sort, written here because `sort_unstable` linked 3.5 KB gzip
/// of wasm (measured on the package) for the few lists the core sorts (subscriptions on a
/// drain or reconnect, requests when a connection drops); `BinaryHeap::into_sorted_vec`
/// 0.8 KB raw. Halving gaps: fast enough for tens of thousands of keys.
fn shell_sort(v: &mut [u64]) {
    let mut gap = v.len() / 2;
    while gap > 0 {
        for i in gap..v.len() {
            let mut j = i;
            while j >= gap {
                let (Some(&a), Some(&b)) = (v.get(j - gap), v.get(j)) else {
                    break;
                };
                if a <= b {
                    break;
                }
                v.swap(j - gap, j);
                j -= gap;
            }
        }
        gap /= 2;
    }
}

#[cfg(test)]
mod tests {
    // Test code only (this module is compiled under cfg(test)): an unwrap or expect here is
    // an assertion; none runs in the shipped wasm or can be reached from network or user input.
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn keys_sort_ascending() {
        let mut m = IntMap::new();
        let mut rng = crate::proto::rng::Rng::new(3);
        let mut want: Vec<u64> = (0..2000).map(|_| rng.up_to(1 << 40)).collect();
        for k in &want {
            m.insert(*k, ());
        }
        want.sort_unstable();
        want.dedup();
        assert_eq!(m.sorted_keys(), want);
        let mut few = [3, 1, 2, 2];
        shell_sort(&mut few);
        assert_eq!(few, [1, 2, 2, 3]);
        shell_sort(&mut []);
    }

    #[test]
    fn insert_get_remove() {
        let mut m = IntMap::new();
        assert!(m.get(&1u64).is_none());
        assert_eq!(m.remove(&1), None);
        for k in 1..=1000u64 {
            assert_eq!(m.insert(k, k * 10), None);
        }
        assert_eq!(m.len(), 1000);
        assert_eq!(m.insert(7, 70_000), Some(70));
        assert_eq!(m.get(&7), Some(&70_000));
        for k in (1..=1000u64).step_by(2) {
            assert!(m.remove(&k).is_some());
        }
        assert_eq!(m.len(), 500);
        for k in 1..=1000u64 {
            assert_eq!(m.contains_key(&k), k % 2 == 0, "key {k}");
        }
        *m.get_mut(&2).unwrap() = 5;
        assert_eq!(m.get(&2), Some(&5));
        let mut keys: Vec<u64> = m.keys().collect();
        keys.sort_unstable();
        assert_eq!(keys, (2..=1000).step_by(2).collect::<Vec<_>>());
        assert_eq!(m.drain().count(), 500);
        assert!(m.is_empty() && m.get(&2).is_none());
        m.insert(3, 3);
        m.clear();
        assert!(m.is_empty() && m.get(&3).is_none());
    }

    /// Keys that collide on purpose (multiples of the table size hash alike) still resolve, and
    /// removing from the middle of a probe run keeps the rest findable.
    #[test]
    fn probe_runs_survive_removal() {
        let mut m = IntMap::new();
        let keys: Vec<u32> = (0..64).map(|i| i * 1024 + 5).collect();
        for &k in &keys {
            m.insert(k, k);
        }
        for &k in keys.iter().step_by(3) {
            assert_eq!(m.remove(&k), Some(k));
        }
        for (n, &k) in keys.iter().enumerate() {
            assert_eq!(m.get(&k).copied(), (n % 3 != 0).then_some(k), "key {k}");
        }
    }
}
