//! The core's source of randomness: server-list shuffling and reconnect jitter.
//!
//! The core never reads an entropy source itself: the edge passes a seed (from
//! `Math.random` and the clock), which also makes host tests deterministic. Ids users see
//! (inboxes, NUIDs) are made by the glue, which owns them (`lib/nuid.js`).

/// xorshift64*: small and fast, plenty for shuffling and jitter (never for secrets).
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator seeded with `seed` (any value; zero is remapped).
    pub fn new(seed: u64) -> Self {
        Rng(seed | 1)
    }

    /// The next random number.
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..=max`.
    pub fn up_to(&mut self, max: u64) -> u64 {
        // checked_rem: the divisor is never 0, but `%` would still link a panic for it.
        self.next_u64()
            .checked_rem(max.saturating_add(1))
            .unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    // On wasm32 the same tests run under wasm-bindgen-test (node), where the core ships.
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn seeded_sequences_repeat_and_stay_in_range() {
        let (mut a, mut b) = (Rng::new(7), Rng::new(7));
        let xs: Vec<u64> = (0..100).map(|_| a.up_to(10)).collect();
        let ys: Vec<u64> = (0..100).map(|_| b.up_to(10)).collect();
        assert_eq!(xs, ys);
        assert!(xs.iter().all(|x| *x <= 10));
        assert!((0..=10).all(|v| xs.contains(&v)), "every value comes up");
        assert!(Rng::new(0).up_to(u64::MAX) > 0, "a zero seed still moves");
    }
}
