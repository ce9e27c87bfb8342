//! NUIDs (22-character unique ids) and inbox subjects.
//!
//! Same shape as the NUIDs of the other NATS clients: a 12-character random prefix plus a
//! 10-character sequence that advances by a random step, all base62. The core never reads a
//! clock or an entropy source itself: the caller passes a seed (the wasm edge takes it from
//! `crypto.getRandomValues`), which also makes host tests deterministic.

use super::text;
use crate::prelude::*;

const DIGITS: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const PREFIX_LEN: usize = 12;
const SEQ_LEN: usize = 10;
/// Total length of a NUID.
pub const NUID_LEN: usize = PREFIX_LEN + SEQ_LEN;
const MAX_SEQ: u64 = 839_299_365_868_340_224; // 62^10
const MIN_INC: u64 = 33;
const MAX_INC: u64 = 333;

/// A NUID generator.
#[derive(Debug, Clone)]
pub struct Nuid {
    rng: u64,
    prefix: [u8; PREFIX_LEN],
    seq: u64,
    inc: u64,
}

impl Nuid {
    /// A generator seeded with `seed` (any value; zero is remapped).
    pub fn new(seed: u64) -> Self {
        let mut n = Nuid {
            rng: seed | 1,
            prefix: [b'0'; PREFIX_LEN],
            seq: 0,
            inc: 0,
        };
        n.reset();
        n
    }

    /// xorshift64*: fast, small, and plenty for ids (not for secrets).
    pub(crate) fn random(&mut self) -> u64 {
        let mut x = self.rng;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.rng = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn reset(&mut self) {
        for i in 0..PREFIX_LEN {
            self.prefix[i] = DIGITS[(self.random() % 62) as usize];
        }
        self.seq = self.random() % MAX_SEQ;
        self.inc = MIN_INC + self.random() % (MAX_INC - MIN_INC);
    }

    /// The next NUID.
    pub fn next_id(&mut self) -> String {
        self.seq += self.inc;
        if self.seq >= MAX_SEQ {
            self.reset();
        }
        let mut out = [0u8; NUID_LEN];
        out[..PREFIX_LEN].copy_from_slice(&self.prefix);
        let mut seq = self.seq;
        for slot in out[PREFIX_LEN..].iter_mut().rev() {
            *slot = DIGITS[(seq % 62) as usize];
            seq /= 62;
        }
        // Every byte comes from DIGITS, which is ASCII (from_utf8 rather than collecting chars,
        // which linked UTF-8 encoding).
        core::str::from_utf8(&out).unwrap_or_default().into()
    }

    /// A fresh inbox subject: `<prefix>.<nuid>`, `_INBOX` by default.
    pub fn inbox(&mut self, prefix: &str) -> String {
        text::concat(&[prefix, ".", &self.next_id()])
    }
}

#[cfg(test)]
mod tests {
    // On wasm32 the same tests run under wasm-bindgen-test (node), where the core ships.
    use super::*;
    use std::collections::HashSet;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn ids_are_22_base62_chars_and_unique() {
        let mut n = Nuid::new(42);
        let mut seen = HashSet::new();
        for _ in 0..100_000 {
            let id = n.next_id();
            assert_eq!(id.len(), NUID_LEN);
            assert!(id.bytes().all(|b| b.is_ascii_alphanumeric()));
            assert!(seen.insert(id));
        }
    }

    #[test]
    fn different_seeds_give_different_prefixes() {
        let a = Nuid::new(1).next_id();
        let b = Nuid::new(2).next_id();
        assert_ne!(a[..PREFIX_LEN], b[..PREFIX_LEN]);
    }

    #[test]
    fn sequence_rollover_picks_a_new_prefix() {
        let mut n = Nuid::new(7);
        n.seq = MAX_SEQ - 1;
        let before = n.prefix;
        let id = n.next_id();
        assert_ne!(before, n.prefix);
        assert_eq!(id.len(), NUID_LEN);
    }

    #[test]
    fn inbox_has_prefix() {
        let mut n = Nuid::new(3);
        let inbox = n.inbox("_INBOX");
        assert!(inbox.starts_with("_INBOX."));
        assert_eq!(inbox.len(), "_INBOX.".len() + NUID_LEN);
    }
}
