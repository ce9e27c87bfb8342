//! A JetStream message's reply subject: its ack subject, which carries where the message
//! comes from and where it stands (nats.ws `JsMsg.info`).
//!
//! `$JS.ACK.<stream>.<consumer>.<delivered>.<stream seq>.<consumer seq>.<timestamp ns>.<pending>`,
//! or, from servers with domains, `$JS.ACK.<domain>.<account hash>.<stream>...<pending>`
//! followed by any further tokens (a domain of `_` means none).

use core::ops::Range;

/// What an ack subject says. Names are ranges into the subject it was parsed from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AckInfo {
    /// The JetStream domain (empty when the subject has none, or says `_`).
    pub domain: Range<usize>,
    /// The account hash (empty in the short form).
    pub account: Range<usize>,
    /// The stream the message is stored in.
    pub stream: Range<usize>,
    /// The consumer that delivered it.
    pub consumer: Range<usize>,
    /// How many times it was delivered, this time included (above 1: redelivered).
    pub delivered: u64,
    /// Its sequence in the stream.
    pub stream_seq: u64,
    /// Its sequence among the consumer's deliveries.
    pub consumer_seq: u64,
    /// When it was stored, in nanoseconds since the epoch.
    pub timestamp: u64,
    /// Messages the consumer still has for this client after it.
    pub pending: u64,
}

/// Tokens of the short form; the long form has at least [`LONG`].
const SHORT: usize = 9;
const LONG: usize = 11;

/// Parses an ack subject; `None` when `reply` is not one (a plain message has none).
pub fn parse(reply: &[u8]) -> Option<AckInfo> {
    let dot = |b: &u8| *b == b'.';
    let mut tokens: [&[u8]; LONG] = [&[]; LONG];
    for (slot, token) in tokens.iter_mut().zip(reply.split(dot)) {
        *slot = token;
    }
    let count = reply.split(dot).count();
    let long = count >= LONG;
    if tokens[0] != b"$JS" || tokens[1] != b"ACK" || (count != SHORT && !long) {
        return None;
    }
    // Where a token lies in `reply` (each is a subslice of it).
    let at = |t: &[u8]| {
        let start = t.as_ptr() as usize - reply.as_ptr() as usize;
        start..start + t.len()
    };
    // The long form has the domain and the account hash before the stream.
    let first = if long { 4 } else { 2 };
    let mut numbers = [0u64; 5];
    for (n, t) in numbers.iter_mut().zip(tokens.iter().skip(first + 2)) {
        *n = crate::proto::text::parse_u64(t)?;
    }
    let [delivered, stream_seq, consumer_seq, timestamp, pending] = numbers;
    let none = 0..0;
    Some(AckInfo {
        domain: if long && tokens[2] != b"_" {
            at(tokens[2])
        } else {
            none.clone()
        },
        account: if long { at(tokens[3]) } else { none },
        stream: at(tokens[first]),
        consumer: at(tokens[first + 1]),
        delivered,
        stream_seq,
        consumer_seq,
        timestamp,
        pending,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn name<'a>(s: &'a str, r: &Range<usize>) -> &'a str {
        &s[r.clone()]
    }

    #[test]
    fn short_form() {
        let s = "$JS.ACK.ORDERS.worker.2.1042.17.1733232000123456789.5";
        let i = parse(s.as_bytes()).unwrap();
        assert_eq!(name(s, &i.stream), "ORDERS");
        assert_eq!(name(s, &i.consumer), "worker");
        assert_eq!(name(s, &i.domain), "");
        assert_eq!(name(s, &i.account), "");
        assert_eq!(
            (i.delivered, i.stream_seq, i.consumer_seq, i.pending),
            (2, 1042, 17, 5)
        );
        assert_eq!(i.timestamp, 1_733_232_000_123_456_789);
    }

    #[test]
    fn long_form_with_and_without_a_domain() {
        let s = "$JS.ACK.hub.ACCHASH.S.C.1.9.3.100.0.rand0m";
        let i = parse(s.as_bytes()).unwrap();
        assert_eq!(name(s, &i.domain), "hub");
        assert_eq!(name(s, &i.account), "ACCHASH");
        assert_eq!(name(s, &i.stream), "S");
        assert_eq!(name(s, &i.consumer), "C");
        assert_eq!((i.delivered, i.stream_seq, i.consumer_seq), (1, 9, 3));
        let s = "$JS.ACK._.ACCHASH.S.C.1.9.3.100.0";
        let i = parse(s.as_bytes()).unwrap();
        assert_eq!(name(s, &i.domain), "");
        assert_eq!(i.timestamp, 100);
    }

    #[test]
    fn anything_else_is_not_an_ack_subject() {
        for s in [
            "",
            "_INBOX.abc",
            "$JS.ACK",
            "$JS.ACK.S.C.1.2.3.4",                      // 8 tokens
            "$JS.ACK.S.C.1.2.3.4.5.6",                  // 10 tokens
            "$JS.ACK.S.C.1.2.x.4.5",                    // not a number
            "$JS.ACK.S.C.1.2.-3.4.5",                   // a sign
            "$JS.ACK.S.C.1..3.4.5",                     // empty
            "$JS.ACK.S.C.1.2.3.4.99999999999999999999", // past u64
            "$JS.NAK.S.C.1.2.3.4.5",
            "$js.ACK.S.C.1.2.3.4.5",
        ] {
            assert_eq!(parse(s.as_bytes()), None, "{s}");
        }
    }

    #[test]
    fn bytes_that_are_not_text_do_not_panic() {
        let mut s = b"$JS.ACK.\xff\xfe.C.1.2.3.4.5".to_vec();
        assert!(parse(&s).is_some());
        s.extend_from_slice(&[b'.'; 40]);
        assert_eq!(parse(&s), None);
    }
}
