//! What goes out: the bytes for the current transport (handed to it as fast as it takes
//! them, see `Connection::poll_transmit`), and the publishes kept while there is none (the
//! reconnect buffer, bounded by `reconnectBufSize`).

use crate::prelude::*;
use crate::proto::error::{decimal, Error, ErrorCode};
use crate::proto::text;

/// The two outgoing buffers.
#[derive(Debug)]
pub(super) struct Outbox {
    /// Bytes for the transport: `output[sent..]` wait for the edge to send them.
    output: Vec<u8>,
    sent: usize,
    /// The output capacity the edge asked for (see [`Outbox::reserve`]).
    reserve: usize,
    /// Publishes and flushes made while disconnected, sent after the next handshake.
    pending: Vec<u8>,
    /// The most `pending` may hold.
    pending_limit: usize,
}

impl Outbox {
    /// Empty buffers; `pending_limit` bounds what is kept while disconnected.
    pub fn new(pending_limit: usize) -> Self {
        Outbox {
            output: Vec::new(),
            sent: 0,
            reserve: 64 << 10,
            pending: Vec::new(),
            pending_limit,
        }
    }

    /// The buffer for the transport: protocol lines that only make sense on the current one
    /// (handshake, PONG, SUB/UNSUB of a live connection) go here directly.
    pub fn wire(&mut self) -> &mut Vec<u8> {
        &mut self.output
    }

    /// Where a publish or flush of `extra` bytes goes: the wire when `up`, else the
    /// reconnect buffer, if it has room.
    pub fn sink(&mut self, up: bool, extra: usize) -> Result<&mut Vec<u8>, Error> {
        self.check(up, extra)?;
        Ok(if up {
            &mut self.output
        } else {
            &mut self.pending
        })
    }

    /// Fails when `extra` more bytes would overflow the reconnect buffer (while connected,
    /// the connection bounds what it holds itself: see `Options::outbound_limit`).
    pub fn check(&self, up: bool, extra: usize) -> Result<(), Error> {
        if !up && self.pending.len() + extra > self.pending_limit {
            return Err(Error::new(
                ErrorCode::Disconnect,
                text::concat(&[
                    "disconnected, and the reconnect buffer (",
                    &decimal(self.pending_limit as u64),
                    " bytes) is full",
                ]),
            ));
        }
        Ok(())
    }

    /// Bytes waiting to be sent.
    pub fn waiting(&self) -> usize {
        self.output.len().saturating_sub(self.sent)
    }

    /// After a reconnect's handshake: what was kept goes out.
    pub fn release_pending(&mut self) {
        self.output.append(&mut self.pending);
    }

    /// A transport ended: what was not sent on it is dropped.
    pub fn drop_output(&mut self) {
        self.output.clear();
        self.sent = 0;
    }

    /// The connection closed: nothing kept is sent any more.
    pub fn drop_pending(&mut self) {
        self.pending = Vec::new();
    }

    /// The next bytes to send, at most `most`.
    pub fn transmit(&self, most: usize) -> &[u8] {
        let rest = self.output.get(self.sent..).unwrap_or_default();
        rest.get(..most).unwrap_or(rest)
    }

    /// `n` bytes from [`Outbox::transmit`] were sent. Once all are, the buffer starts over
    /// (and gives back what a burst grew it to).
    pub fn sent(&mut self, n: usize) {
        self.sent += n;
        if self.sent < self.output.len() {
            return;
        }
        self.output.clear();
        self.sent = 0;
        if self.output.capacity() > (1 << 20).max(2 * self.reserve) {
            self.output.shrink_to(self.reserve);
        }
    }

    /// Sizes the output buffer once for `bytes` (see `Connection::reserve_output`).
    pub fn reserve(&mut self, bytes: usize) {
        self.reserve = bytes;
        self.output
            .reserve_exact(bytes.saturating_sub(self.output.len()));
    }
}

#[cfg(test)]
mod tests {
    // On wasm32 the same tests run under wasm-bindgen-test (node), where the core ships.
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn output_is_sized_once_and_shrinks_back_after_a_big_burst() {
        let mut o = Outbox::new(8 << 20);
        o.reserve(64 << 10);
        assert!(o.output.capacity() >= 64 << 10);
        // A 3 MB burst grows it; sending it returns it to the reserved size.
        for _ in 0..3000 {
            o.sink(true, 1000).unwrap().extend_from_slice(&[0u8; 1000]);
        }
        assert!(o.output.capacity() >= 3_000_000);
        o.sent(o.transmit(usize::MAX).len());
        assert_eq!(o.transmit(usize::MAX).len(), 0);
        assert!(o.output.capacity() >= 64 << 10 && o.output.capacity() < 1 << 20);
    }

    #[test]
    fn the_reconnect_buffer_is_bounded_and_released_after_the_handshake() {
        let mut o = Outbox::new(10);
        o.sink(false, 6).unwrap().extend_from_slice(b"PING\r\n");
        let err = o.sink(false, 6).unwrap_err();
        assert_eq!(err.code, ErrorCode::Disconnect);
        assert!(
            o.transmit(usize::MAX).is_empty(),
            "nothing goes out while disconnected"
        );
        o.release_pending();
        assert_eq!(o.transmit(usize::MAX), b"PING\r\n");
        assert!(o.sink(false, 10).is_ok(), "the room is back");
    }

    #[test]
    fn output_goes_out_in_pieces() {
        let mut o = Outbox::new(10);
        o.sink(true, 8).unwrap().extend_from_slice(b"abcdefgh");
        assert_eq!(o.transmit(3), b"abc");
        o.sent(3);
        assert_eq!(o.waiting(), 5);
        assert_eq!(o.transmit(100), b"defgh");
        o.sent(5);
        assert_eq!(
            (o.waiting(), o.output.len()),
            (0, 0),
            "all sent: the buffer starts over"
        );
    }
}
