//! The connection state machine driven by arbitrary server bytes, application calls (JetStream
//! pull consumers included) and clock advances. Properties: no panic; every delivery row
//! points inside the bytes handed out with it, and its ack record inside its reply; and every
//! byte the core asks to send is a well-formed client operation: whatever the application
//! passed, nothing malformed reaches the wire.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use nats_wasm::proto::conn::{field, ACK_STRIDE, DELIVERY_STRIDE};
use nats_wasm::proto::jetstream::PullOptions;
use nats_wasm::proto::subject::{validate_subject, SubjectKind};
use nats_wasm::proto::{
    headers, json, Connection, Credentials, Many, Options, RequestOptions, ServerInfo,
};

#[derive(Arbitrary, Debug)]
enum Op {
    Input(Vec<u8>),
    /// Bytes of a plausible server stream, to get past the handshake more often.
    Canned(u8),
    Tick(u16),
    Publish {
        subject: String,
        reply: Option<String>,
        headers: Option<Vec<u8>>,
        len: u16,
    },
    Subscribe {
        subject: String,
        queue: Option<String>,
        max: Option<u8>,
        timeout: Option<u16>,
    },
    Unsubscribe {
        sid: u8,
        max: Option<u8>,
    },
    Request {
        subject: String,
        timeout: u16,
        /// 0: one reply; 1..=4: many, by timer, count, jitter or sentinel.
        many: u8,
        limit: u8,
        inbox: Option<String>,
    },
    Cancel(u8),
    Flush,
    Drain,
    DrainSub(u8),
    Close,
    TransportClosed,
    Online(bool),
    Liveness,
    Reconnect,
    /// `reauthenticate()`: new credentials, tried at once.
    Reauthenticate,
    Consume {
        inbox: String,
        next: String,
        max_messages: u8,
        max_bytes: u16,
        expires: u16,
        idle_heartbeat: u16,
        threshold: u8,
        refill: bool,
        push: bool,
        no_wait: bool,
        ordered: Option<u8>,
    },
    ConsumerReset(u8),
    ConsumerStop(u8),
}

const CANNED: &[&[u8]] = &[
    b"INFO {\"server_id\":\"S\",\"proto\":1,\"headers\":true,\"max_payload\":2048,\"nonce\":\"n\",\"connect_urls\":[\"b:2\"]}\r\n",
    b"PONG\r\n",
    b"PING\r\n",
    b"MSG a 1 3\r\nabc\r\n",
    b"HMSG _INBOX.x.1 2 16 16\r\nNATS/1.0 503\r\n\r\n\r\n",
    b"-ERR 'Permissions Violation for Subscription to \"a\"'\r\n",
    b"INFO {\"ldm\":true}\r\n",
    b"-ERR 'Stale Connection'\r\n",
    // A consumer's message and statuses on its inbox (sid 1 when it is the first subscription).
    b"MSG s.x 1 $JS.ACK.S.C.1.7.1.1733232000000000001.3 2\r\nhi\r\n",
    b"MSG s.x 1 $JS.ACK.hub.ACC.S.C.2.8.3.1.0.r 0\r\n\r\n",
    b"HMSG in 1 30 30\r\nNATS/1.0 100 Idle Heartbeat\r\n\r\n\r\n",
    b"HMSG in 1 85 85\r\nNATS/1.0 408 Request Timeout\r\nNats-Pending-Messages: 5\r\nNats-Pending-Bytes: 0\r\n\r\n\r\n",
    b"HMSG in 1 34 34\r\nNATS/1.0 409 Consumer Deleted\r\n\r\n\r\n",
];

/// Checks that `out` is a sequence of complete, well-formed client operations.
fn check_wire(mut out: &[u8]) {
    while !out.is_empty() {
        let nl = out
            .windows(2)
            .position(|w| w == b"\r\n")
            .expect("every op ends with CRLF");
        let line = std::str::from_utf8(&out[..nl]).expect("control lines are UTF-8");
        out = &out[nl + 2..];
        let (op, rest) = line.split_once(' ').unwrap_or((line, ""));
        let args: Vec<&str> = rest.split(' ').filter(|a| !a.is_empty()).collect();
        let num = |s: &str| s.parse::<usize>().expect("a number");
        match op {
            "CONNECT" => assert!(json::parse(rest).is_ok(), "CONNECT carries JSON"),
            "PING" | "PONG" => assert!(args.is_empty()),
            "SUB" => {
                assert!(args.len() == 2 || args.len() == 3, "{line}");
                assert!(
                    validate_subject(args[0], SubjectKind::Subscribe).is_ok(),
                    "{line}"
                );
                num(args[args.len() - 1]);
            }
            "UNSUB" => {
                assert!(args.len() == 1 || args.len() == 2, "{line}");
                args.iter().for_each(|a| {
                    num(a);
                });
            }
            "PUB" | "HPUB" => {
                let counts = if op == "PUB" { 1 } else { 2 };
                assert!(
                    args.len() == 1 + counts || args.len() == 2 + counts,
                    "{line}"
                );
                assert!(
                    validate_subject(args[0], SubjectKind::Publish).is_ok(),
                    "{line}"
                );
                if args.len() == 2 + counts {
                    assert!(
                        validate_subject(args[1], SubjectKind::Publish).is_ok(),
                        "{line}"
                    );
                }
                let total = num(args[args.len() - 1]);
                assert!(out.len() >= total + 2, "payload present");
                if op == "HPUB" {
                    let hlen = num(args[args.len() - 2]);
                    assert!(hlen <= total);
                    assert!(
                        headers::validate(&out[..hlen]).is_ok(),
                        "header block is valid"
                    );
                }
                assert_eq!(&out[total..total + 2], b"\r\n");
                out = &out[total + 2..];
            }
            _ => panic!("unexpected client op {line:?}"),
        }
    }
}

fn drain_outputs(c: &mut Connection, now: u64) {
    let (rows, bytes) = c.poll_deliveries();
    let mut acked = Vec::new();
    for row in rows.chunks(DELIVERY_STRIDE) {
        for f in [field::SUBJECT, field::REPLY, field::HEADERS, field::PAYLOAD] {
            let (o, l) = (row[f] as usize, row[f + 1] as usize);
            assert!(o + l <= bytes.len(), "delivery row inside its bytes");
        }
        if row[field::ACK] != 0 {
            acked.push((row[field::ACK], row[field::REPLY + 1] as u64));
        }
    }
    let acks = c.poll_acks();
    assert_eq!(acks.len(), acked.len() * ACK_STRIDE, "one ack record per consumer row");
    for (n, reply_len) in acked {
        let record = &acks[(n as usize - 1) * ACK_STRIDE..][..ACK_STRIDE];
        for name in (0..8).step_by(2) {
            assert!(record[name] + record[name + 1] <= reply_len, "names inside the reply");
        }
    }
    while c.poll_event().is_some() {}
    check_wire(c.poll_transmit());
    c.clear_transmit();
    if c.wants_transport_closed() {
        c.handle_transport_closed(now);
    }
    if let Some(text) = c.poll_info().map(str::to_string) {
        c.provide_info(ServerInfo::from_json(&text));
    }
    if let Some(nonce) = c.poll_auth_request() {
        c.provide_auth(&nonce, Credentials::default());
    }
    let _ = c.poll_dial(now);
    let _ = c.poll_timeout();
    while c.poll_event().is_some() {}
    check_wire(c.poll_transmit());
    c.clear_transmit();
}

fuzz_target!(|ops: Vec<Op>| {
    let opts = Options {
        servers: vec!["a:1".into(), "b:2".into()],
        auth_callback: true,
        reconnect_buf_size: 4096,
        ..Options::default()
    };
    let mut now = 0u64;
    let mut c = Connection::new(opts, now);
    let _ = c.poll_dial(now);
    for op in ops.into_iter().take(200) {
        match op {
            Op::Input(bytes) => c.handle_input(&bytes, now),
            Op::Canned(i) => c.handle_input(CANNED[usize::from(i) % CANNED.len()], now),
            Op::Tick(ms) => {
                now += u64::from(ms) * 16;
                c.handle_timeout(now);
            }
            Op::Publish {
                subject,
                reply,
                headers,
                len,
            } => {
                let payload = vec![b'x'; usize::from(len) % 4096];
                let _ = c.publish(&subject, reply.as_deref(), headers.as_deref(), &payload);
            }
            Op::Subscribe {
                subject,
                queue,
                max,
                timeout,
            } => {
                let _ = c.subscribe(
                    &subject,
                    queue.as_deref(),
                    max.map(u64::from),
                    timeout.map(u64::from),
                    now,
                );
            }
            Op::Unsubscribe { sid, max } => {
                c.unsubscribe(u64::from(sid), max.map(u64::from));
            }
            Op::Request {
                subject,
                timeout,
                many,
                limit,
                inbox,
            } => {
                let limit = u64::from(limit);
                let many = match many % 5 {
                    0 => None,
                    1 => Some(Many::Timer),
                    2 => core::num::NonZeroU64::new(limit).map(Many::Count),
                    3 => Some(Many::Jitter(limit)),
                    _ => Some(Many::Sentinel),
                };
                let opts = RequestOptions {
                    timeout: u64::from(timeout),
                    many,
                    inbox,
                };
                let _ = c.request(&subject, None, b"?", opts, now);
            }
            Op::Cancel(id) => c.cancel_request(u32::from(id)),
            Op::Flush => {
                let _ = c.flush();
            }
            Op::Drain => {
                let _ = c.drain();
            }
            Op::DrainSub(sid) => {
                let _ = c.drain_subscription(u64::from(sid));
            }
            Op::Close => c.close(),
            Op::TransportClosed => c.handle_transport_closed(now),
            Op::Online(on) => c.set_online(on, now),
            Op::Liveness => c.check_liveness(now, 3000),
            Op::Reconnect => {
                let _ = c.force_reconnect();
            }
            Op::Reauthenticate => {
                let _ = c.reauthenticate(now);
            }
            Op::Consume {
                inbox,
                next,
                max_messages,
                max_bytes,
                expires,
                idle_heartbeat,
                threshold,
                refill,
                push,
                no_wait,
                ordered,
            } => {
                let opts = PullOptions {
                    max_messages: u64::from(max_messages),
                    max_bytes: u64::from(max_bytes),
                    expires: u64::from(expires),
                    idle_heartbeat: u64::from(idle_heartbeat),
                    threshold_messages: u64::from(threshold),
                    threshold_bytes: u64::from(threshold),
                    refill,
                    ordered: ordered.map(u64::from),
                    push,
                    no_wait,
                };
                let _ = c.consume(&inbox, &next, opts, now);
            }
            Op::ConsumerReset(sid) => c.consumer_reset(u64::from(sid), now),
            Op::ConsumerStop(sid) => c.consumer_stop(u64::from(sid)),
        }
        drain_outputs(&mut c, now);
    }
});
