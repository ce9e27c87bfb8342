//! Pull consumers on a connection: pulls on the wire, statuses kept from the application,
//! ack records beside the rows, heartbeat deadlines, ends, and a reconnect's check.
//!
//! Test code only (compiled under cfg(test)): an unwrap or expect here is an assertion.

use super::*;
use crate::proto::jetstream::{PullOptions, Step};
// On wasm32 the same tests run under wasm-bindgen-test (node), where the core ships.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

const NEXT: &str = "$JS.API.CONSUMER.MSG.NEXT.S.C";

fn opts(max_messages: u64, refill: bool) -> PullOptions {
    PullOptions {
        max_messages,
        max_bytes: 0,
        expires: 30_000,
        idle_heartbeat: 15_000,
        threshold_messages: max_messages * 3 / 4,
        threshold_bytes: 1,
        refill,
        ordered: None,
        push: false,
        no_wait: false,
    }
}

/// A stored message from the consumer, with its ack subject.
fn stored(sid: u64, stream_seq: u64, consumer_seq: u64, payload: &str) -> String {
    let reply = format!("$JS.ACK.S.C.1.{stream_seq}.{consumer_seq}.1733232000000000001.0");
    format!(
        "MSG orders.new {sid} {reply} {}\r\n{payload}\r\n",
        payload.len()
    )
}

/// A status message for the inbox.
fn status(sid: u64, line: &str, extra: &str) -> String {
    let block = format!("NATS/1.0 {line}\r\n{extra}\r\n");
    format!(
        "HMSG _INBOX.c {sid} {} {}\r\n{block}\r\n",
        block.len(),
        block.len()
    )
}

/// The consumer events so far but the pull reports (see `pulls_are_reported`).
fn consumer_events(c: &mut Connection) -> Vec<(u64, Step)> {
    events(c)
        .into_iter()
        .filter_map(|e| match e {
            Event::Consumer { sid, step } if !matches!(step, Step::Pull(_)) => Some((sid, step)),
            _ => None,
        })
        .collect()
}

#[test]
fn pulls_are_reported_after_they_went_on_the_wire() {
    let mut c = connected();
    let sid = c.consume("_INBOX.c", NEXT, opts(4, true), 0).unwrap();
    let body = r#"{"batch":4,"max_bytes":0,"idle_heartbeat":15000000000,"expires":30000000000}"#;
    assert!(out(&mut c).ends_with(&format!("{body}\r\n")));
    assert_eq!(
        events(&mut c),
        [Event::Consumer {
            sid,
            step: Step::Pull(body.into())
        }]
    );
}

#[test]
fn consume_subscribes_then_pulls_and_delivers_with_ack_records() {
    let mut c = connected();
    let sid = c.consume("_INBOX.c", NEXT, opts(4, true), 10).unwrap();
    assert_eq!(
        out(&mut c),
        format!(
            "SUB _INBOX.c {sid}\r\nPUB {NEXT} _INBOX.c 76\r\n{}\r\n",
            r#"{"batch":4,"max_bytes":0,"idle_heartbeat":15000000000,"expires":30000000000}"#
        )
    );
    input(&mut c, stored(sid, 7, 1, "one").as_bytes(), 11);
    let (rows, bytes) = c.poll_deliveries();
    assert_eq!(rows.len(), DELIVERY_STRIDE);
    assert_eq!(rows[field::ACK], 1);
    let reply_at = rows[field::REPLY] as usize;
    let reply = bytes[reply_at..reply_at + rows[field::REPLY + 1] as usize].to_vec();
    let acks = c.poll_acks().to_vec();
    assert_eq!(acks.len(), ACK_STRIDE);
    let name = |i: usize| {
        std::str::from_utf8(&reply[acks[i] as usize..][..acks[i + 1] as usize])
            .unwrap()
            .to_string()
    };
    assert_eq!((name(4), name(6)), ("S".to_string(), "C".to_string()));
    assert_eq!(acks[8..], [1, 7, 1, 1733232000000000001, 0]);
    assert!(c.poll_acks().is_empty(), "each record is handed out once");
}

#[test]
fn statuses_never_reach_the_application_and_heartbeats_keep_it_alive() {
    let mut c = connected();
    let sid = c.consume("_INBOX.c", NEXT, opts(4, true), 0).unwrap();
    out(&mut c);
    assert_eq!(c.poll_timeout(), Some(30_000).min(c.poll_timeout()));
    input(
        &mut c,
        status(sid, "100 Idle Heartbeat", "").as_bytes(),
        20_000,
    );
    input(
        &mut c,
        status(sid, "409 Leadership Change", "").as_bytes(),
        20_001,
    );
    assert!(msgs(&mut c).is_empty());
    assert_eq!(
        consumer_events(&mut c),
        [(sid, Step::Status(409, "Leadership Change".into()))]
    );
    // Two intervals after the last sign of life: missed, and a check is asked for.
    c.handle_timeout(50_000);
    assert_eq!(consumer_events(&mut c), []);
    c.handle_timeout(50_001);
    assert_eq!(
        consumer_events(&mut c),
        [(sid, Step::HeartbeatsMissed(2)), (sid, Step::Check)]
    );
    // The glue found it: pull anew.
    c.consumer_reset(sid, 50_100);
    assert!(out(&mut c).starts_with(&format!("PUB {NEXT} _INBOX.c ")));
}

#[test]
fn a_fetch_ends_on_the_pull_expiring_and_unsubscribes() {
    let mut c = connected();
    let sid = c.consume("_INBOX.c", NEXT, opts(5, false), 0).unwrap();
    out(&mut c);
    input(&mut c, stored(sid, 1, 1, "a").as_bytes(), 1);
    assert_eq!(msgs(&mut c).len(), 1);
    let expired = status(
        sid,
        "408 Request Timeout",
        "Nats-Pending-Messages: 4\r\nNats-Pending-Bytes: 0\r\n",
    );
    input(&mut c, expired.as_bytes(), 2);
    assert!(msgs(&mut c).is_empty(), "a status is not delivered");
    assert_eq!(
        consumer_events(&mut c),
        [
            (
                sid,
                Step::Discard {
                    messages: 4,
                    bytes: 0
                }
            ),
            (sid, Step::End(None))
        ]
    );
    assert_eq!(out(&mut c), format!("UNSUB {sid}\r\n"));
    // Late messages on the inbox are not delivered.
    input(&mut c, stored(sid, 2, 2, "b").as_bytes(), 3);
    assert!(msgs(&mut c).is_empty());
}

#[test]
fn a_fetch_ends_at_its_deadline() {
    let mut c = connected();
    let mut o = opts(5, false);
    o.idle_heartbeat = 0;
    let sid = c.consume("_INBOX.c", NEXT, o, 0).unwrap();
    out(&mut c);
    assert_eq!(c.poll_timeout().map(|t| t.min(31_500)), Some(31_500));
    c.handle_timeout(31_500);
    assert_eq!(consumer_events(&mut c), [(sid, Step::End(None))]);
}

#[test]
fn an_ordered_gap_ends_the_consumer_without_delivering_it() {
    let mut c = connected();
    let mut o = opts(10, true);
    o.ordered = Some(0);
    let sid = c.consume("_INBOX.c", NEXT, o, 0).unwrap();
    out(&mut c);
    let frame = [
        stored(sid, 1, 1, "a"),
        stored(sid, 2, 2, "b"),
        stored(sid, 4, 4, "d"),
    ]
    .concat();
    input(&mut c, frame.as_bytes(), 1);
    let got: Vec<String> = msgs(&mut c).into_iter().map(|m| m.6).collect();
    assert_eq!(got, ["a", "b"]);
    assert_eq!(consumer_events(&mut c), [(sid, Step::Gap)]);
    assert_eq!(out(&mut c), format!("UNSUB {sid}\r\n"));
}

#[test]
fn a_reconnect_resubscribes_and_asks_for_a_check() {
    let mut c = connected_with(reconnecting_opts(&["ws://a:1"]));
    let sid = c.consume("_INBOX.c", NEXT, opts(4, true), 0).unwrap();
    out(&mut c);
    c.handle_transport_closed(100);
    events(&mut c);
    // No heartbeat deadline while down (the only deadline left is the dial).
    assert_eq!(c.poll_timeout(), Some(2000));
    assert!(c.poll_dial(2000).is_some());
    input(&mut c, INFO, 2001);
    out(&mut c);
    input(&mut c, b"PONG\r\n", 2002);
    assert!(out(&mut c).contains(&format!("SUB _INBOX.c {sid}\r\n")));
    assert_eq!(consumer_events(&mut c), [(sid, Step::Check)]);
}

#[test]
fn stop_unsubscribes_and_bad_subjects_are_refused_before_the_wire() {
    let mut c = connected();
    let sid = c.consume("_INBOX.c", NEXT, opts(4, true), 0).unwrap();
    out(&mut c);
    c.consumer_stop(sid);
    assert_eq!(out(&mut c), format!("UNSUB {sid}\r\n"));
    c.handle_timeout(1_000_000);
    assert!(consumer_events(&mut c).is_empty());
    out(&mut c);
    for (inbox, next) in [
        ("", NEXT),
        ("_INBOX.c", ""),
        ("_INBOX c", NEXT),
        ("_INBOX.c", "a b"),
    ] {
        assert_eq!(
            c.consume(inbox, next, opts(1, false), 0).unwrap_err().code,
            ErrorCode::BadSubject
        );
    }
    assert_eq!(out(&mut c), "");
}
