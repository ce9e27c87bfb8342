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
    let mut tokens: [Range<usize>; LONG] = core::array::from_fn(|_| 0..0);
    let mut count = 0;
    let mut start = 0;
    for (i, b) in reply.iter().chain(core::iter::once(&b'.')).enumerate() {
        if *b != b'.' {
            continue;
        }
        if count < LONG {
            *tokens.get_mut(count)? = start..i;
        }
        count += 1;
        start = i + 1;
    }
    let token = |i: usize| tokens.get(i).cloned().unwrap_or(0..0);
    let text = |i: usize| reply.get(token(i)).unwrap_or_default();
    if text(0) != b"$JS" || text(1) != b"ACK" {
        return None;
    }
    // Where the stream's token is: the long form has the domain and account first.
    let (first, domain, account) = match count {
        SHORT => (2, 0..0, 0..0),
        n if n >= LONG => {
            let domain = if text(2) == b"_" { 0..0 } else { token(2) };
            (4, domain, token(3))
        }
        _ => return None,
    };
    let number = |i: usize| number(text(first + i));
    Some(AckInfo {
        domain,
        account,
        stream: token(first),
        consumer: token(first + 1),
        delivered: number(2)?,
        stream_seq: number(3)?,
        consumer_seq: number(4)?,
        timestamp: number(5)?,
        pending: number(6)?,
    })
}

/// A decimal `u64`; `None` for anything else (empty, a sign, overflow).
fn number(digits: &[u8]) -> Option<u64> {
    if digits.is_empty() {
        return None;
    }
    digits.iter().try_fold(0u64, |n, d| {
        let d = d.wrapping_sub(b'0');
        if d > 9 {
            return None;
        }
        n.checked_mul(10)?.checked_add(u64::from(d))
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
