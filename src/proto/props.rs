//! Property tests (host only): encode → parse round trips, and "any split of a valid stream
//! parses to the same operations".
//!
//! Test code only (compiled under cfg(test)): an unwrap or expect here is an assertion; none
//! runs in the shipped wasm or can be reached from network or user input.

use proptest::prelude::*;

use super::headers;
use super::parser::{parse, Limits, ServerOp, Status};

/// A server operation, owned, to generate and compare.
#[derive(Debug, Clone, PartialEq)]
enum Op {
    Msg {
        subject: String,
        sid: u64,
        reply: Option<String>,
        headers: Option<Vec<u8>>,
        payload: Vec<u8>,
    },
    Ping,
    Pong,
    Ok,
    Err(String),
    Info(String),
}

fn token() -> impl Strategy<Value = String> {
    "[A-Za-z0-9_-]{1,8}"
}

fn subject() -> impl Strategy<Value = String> {
    prop::collection::vec(token(), 1..4).prop_map(|t| t.join("."))
}

fn header_block() -> impl Strategy<Value = Vec<u8>> {
    (
        prop::option::of(prop_oneof![Just(503u16), Just(408), Just(100), Just(409)]),
        prop::collection::vec(("[A-Za-z][A-Za-z0-9-]{0,10}", "[ -~]{0,12}"), 0..4),
    )
        .prop_map(|(code, entries)| {
            // Written as the glue's MsgHdrsImpl writes it.
            let mut block = String::from("NATS/1.0");
            if let Some(code) = code {
                block.push_str(&format!(" {code} Status"));
            }
            for (k, v) in entries {
                block.push_str(&format!("\r\n{k}: {}", v.trim()));
            }
            block.push_str("\r\n\r\n");
            block.into_bytes()
        })
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (
            subject(),
            1u64..100_000,
            prop::option::of(subject()),
            prop::option::of(header_block()),
            prop::collection::vec(any::<u8>(), 0..64),
        )
            .prop_map(|(subject, sid, reply, headers, payload)| Op::Msg {
                subject,
                sid,
                reply,
                headers,
                payload
            }),
        Just(Op::Ping),
        Just(Op::Pong),
        Just(Op::Ok),
        "[A-Za-z ]{1,30}".prop_map(|t| Op::Err(format!("'{}'", t.trim()))),
        "[a-z]{1,10}".prop_map(|k| Op::Info(format!("{{\"{k}\":1}}"))),
    ]
}

fn encode(op: &Op, out: &mut Vec<u8>) {
    match op {
        Op::Msg {
            subject,
            sid,
            reply,
            headers,
            payload,
        } => {
            let r = reply.as_ref().map(|r| format!(" {r}")).unwrap_or_default();
            match headers {
                Some(h) => out.extend_from_slice(
                    format!(
                        "HMSG {subject} {sid}{r} {} {}\r\n",
                        h.len(),
                        h.len() + payload.len()
                    )
                    .as_bytes(),
                ),
                None => out.extend_from_slice(
                    format!("MSG {subject} {sid}{r} {}\r\n", payload.len()).as_bytes(),
                ),
            }
            if let Some(h) = headers {
                out.extend_from_slice(h);
            }
            out.extend_from_slice(payload);
            out.extend_from_slice(b"\r\n");
        }
        Op::Ping => out.extend_from_slice(b"PING\r\n"),
        Op::Pong => out.extend_from_slice(b"PONG\r\n"),
        Op::Ok => out.extend_from_slice(b"+OK\r\n"),
        // The parser keeps the quotes (nats.ws reports them in `err.message`).
        Op::Err(t) => out.extend_from_slice(format!("-ERR {t}\r\n").as_bytes()),
        Op::Info(j) => out.extend_from_slice(format!("INFO {j}\r\n").as_bytes()),
    }
}

fn own(buf: &[u8], op: ServerOp) -> Op {
    let s = |r: std::ops::Range<usize>| String::from_utf8(buf[r].to_vec()).expect("utf8");
    match op {
        ServerOp::Msg(m) => Op::Msg {
            subject: s(m.subject),
            sid: m.sid,
            reply: m.reply.map(s),
            headers: m.headers.map(|r| buf[r].to_vec()),
            payload: buf[m.payload].to_vec(),
        },
        ServerOp::Ping => Op::Ping,
        ServerOp::Pong => Op::Pong,
        ServerOp::Ok => Op::Ok,
        ServerOp::Err(r) => Op::Err(s(r)),
        ServerOp::Info(r) => Op::Info(s(r)),
    }
}

proptest! {
    #[test]
    fn any_split_of_a_valid_stream_parses_to_the_same_ops(
        ops in prop::collection::vec(op(), 1..12),
        cuts in prop::collection::vec(1usize..40, 1..50),
    ) {
        let mut stream = Vec::new();
        for op in &ops {
            encode(op, &mut stream);
        }
        let mut buf = Vec::new();
        let mut got = Vec::new();
        let mut at = 0;
        let mut cut = cuts.iter().cycle();
        while at < stream.len() {
            let n = (*cut.next().unwrap_or(&1)).min(stream.len() - at);
            buf.extend_from_slice(&stream[at..at + n]);
            at += n;
            while let Status::Complete(op, used) = parse(&buf, &Limits::default()).expect("valid stream") {
                got.push(own(&buf, op));
                buf.drain(..used);
            }
        }
        prop_assert!(buf.is_empty());
        prop_assert_eq!(got, ops);
    }

    #[test]
    fn well_formed_header_blocks_validate(block in header_block()) {
        prop_assert!(headers::validate(&block).is_ok());
    }
}

proptest! {
    /// The core's integer map behaves like `std`'s `HashMap` under any mix of inserts and
    /// removes, including keys that collide in the table.
    #[test]
    fn intmap_matches_hashmap(ops in prop::collection::vec((any::<bool>(), 0u64..300, any::<u8>()), 0..2000)) {
        let mut ours = super::intmap::IntMap::new();
        let mut std = std::collections::HashMap::new();
        for (insert, key, value) in ops {
            // Multiples of 1024 hash alike in small tables: exercise long probe runs too.
            let key = if key % 3 == 0 { key * 1024 } else { key };
            if insert {
                prop_assert_eq!(ours.insert(key, value), std.insert(key, value));
            } else {
                prop_assert_eq!(ours.remove(&key), std.remove(&key));
            }
            prop_assert_eq!(ours.len(), std.len());
        }
        for (k, v) in &std {
            prop_assert_eq!(ours.get(k), Some(v));
        }
        let mut keys: Vec<u64> = ours.keys().collect();
        keys.sort_unstable();
        let mut want: Vec<u64> = std.keys().copied().collect();
        want.sort_unstable();
        prop_assert_eq!(keys, want);
    }
}
