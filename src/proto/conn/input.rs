//! The received bytes: filled by the edge in place, parsed from the front, compacted before
//! the next frame (deliveries point into the parsed part until then).

use crate::prelude::*;
use crate::proto::text::part;

/// The input buffer: `bytes[..consumed]` parsed, `bytes[consumed..filled]` waiting for the
/// rest of an operation, and the rest room already initialised (so a frame is copied in
/// without zeroing its slot first).
#[derive(Debug, Default)]
pub(super) struct Input {
    bytes: Vec<u8>,
    filled: usize,
    consumed: usize,
}

impl Input {
    /// Room for `n` more bytes, after dropping what was parsed.
    pub fn slot(&mut self, n: usize) -> &mut [u8] {
        self.compact();
        let start = self.filled;
        self.filled += n;
        if self.bytes.len() < self.filled {
            self.bytes.resize(self.filled, 0);
        }
        self.bytes.get_mut(start..self.filled).unwrap_or_default()
    }

    /// Bytes received and not yet dropped.
    pub fn len(&self) -> usize {
        self.filled
    }

    /// The whole buffer: operations' ranges are offsets into it.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// Where parsing goes on.
    pub fn consumed(&self) -> usize {
        self.consumed
    }

    /// The bytes not yet parsed.
    pub fn unparsed(&self) -> &[u8] {
        part(&self.bytes, self.consumed..self.filled)
    }

    /// The bytes parsed so far (what deliveries point into).
    pub fn parsed(&self) -> &[u8] {
        part(&self.bytes, 0..self.consumed)
    }

    /// `n` more bytes were parsed.
    pub fn consume(&mut self, n: usize) {
        self.consumed += n;
    }

    /// Drops bytes already parsed, moving the rest to the front.
    fn compact(&mut self) {
        if self.consumed > 0 {
            // Always true; stated so that `copy_within` links no panic path.
            if self.consumed <= self.filled && self.filled <= self.bytes.len() {
                self.bytes.copy_within(self.consumed..self.filled, 0);
                self.filled -= self.consumed;
            } else {
                self.filled = 0;
            }
            self.consumed = 0;
        }
    }

    /// Forgets everything (a new transport starts from nothing).
    pub fn clear(&mut self) {
        self.bytes.clear();
        self.filled = 0;
        self.consumed = 0;
    }
}
