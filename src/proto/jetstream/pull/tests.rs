//! The pull consumer's counts, ends, heartbeats and ordered checks, step by step.

use super::*;
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

fn consume(max_messages: u64, threshold: u64) -> PullOptions {
    PullOptions {
        max_messages,
        max_bytes: 0,
        expires: 30_000,
        idle_heartbeat: 15_000,
        threshold_messages: threshold,
        threshold_bytes: 1,
        refill: true,
        ordered: None,
        push: false,
        no_wait: false,
    }
}

fn fetch(max_messages: u64) -> PullOptions {
    PullOptions {
        refill: false,
        ..consume(max_messages, 0)
    }
}

fn steps(p: &mut Pull) -> Vec<Step> {
    p.poll_steps()
}

fn stored(seq: u64) -> Message<'static> {
    Message::Stored {
        size: 100,
        consumer_seq: Some(seq),
    }
}

fn status(code: u16, description: &str) -> Message<'_> {
    Message::Status {
        code,
        description: description.as_bytes(),
        pending_messages: 0,
        pending_bytes: 0,
        reply: b"",
        stalled: b"",
        last_consumer: None,
    }
}

#[test]
fn the_first_pull_asks_for_the_batch_in_nanoseconds() {
    let mut p = Pull::new(consume(100, 75), 0);
    assert_eq!(
        steps(&mut p),
        [Step::Pull(
            r#"{"batch":100,"max_bytes":0,"idle_heartbeat":15000000000,"expires":30000000000}"#
                .into()
        )]
    );
}

#[test]
fn consume_pulls_again_at_the_threshold_for_what_was_used() {
    let mut p = Pull::new(consume(100, 75), 0);
    steps(&mut p);
    for seq in 1..=24 {
        assert!(p.handle_message(1, stored(seq)));
    }
    assert_eq!(steps(&mut p), []);
    assert!(p.handle_message(1, stored(25)));
    let pulled = steps(&mut p);
    assert_eq!(pulled.len(), 1);
    assert!(
        matches!(&pulled[0], Step::Pull(b) if b.starts_with(r#"{"batch":25,"#)),
        "{pulled:?}"
    );
}

#[test]
fn a_discarding_status_gives_back_what_the_pull_left_unused() {
    let mut p = Pull::new(consume(10, 2), 0);
    steps(&mut p);
    for seq in 1..=3 {
        p.handle_message(1, stored(seq));
    }
    assert_eq!(steps(&mut p), []);
    // 408: 7 were not used; what is asked for falls to 0, under the threshold: pull 10.
    let timeout = Message::Status {
        code: 408,
        description: b"Request Timeout",
        pending_messages: 7,
        pending_bytes: 0,
        reply: b"",
        stalled: b"",
        last_consumer: None,
    };
    assert!(!p.handle_message(2, timeout));
    let s = steps(&mut p);
    assert_eq!(
        s[0],
        Step::Discard {
            messages: 7,
            bytes: 0
        }
    );
    assert!(
        matches!(&s[1], Step::Pull(b) if b.starts_with(r#"{"batch":10,"#)),
        "{s:?}"
    );
}

#[test]
fn fetch_ends_when_everything_asked_for_arrived() {
    let mut p = Pull::new(fetch(3), 0);
    steps(&mut p);
    assert!(p.handle_message(1, stored(1)));
    assert!(p.handle_message(1, stored(2)));
    assert_eq!(steps(&mut p), []);
    assert!(p.handle_message(1, stored(3)));
    assert_eq!(steps(&mut p), [Step::End(None)]);
    assert!(p.is_ended());
    assert!(
        !p.handle_message(1, stored(4)),
        "nothing is delivered after the end"
    );
    assert_eq!(p.poll_timeout(), None);
}

#[test]
fn fetch_ends_on_the_server_saying_the_pull_expired() {
    let mut p = Pull::new(fetch(5), 0);
    steps(&mut p);
    p.handle_message(1, stored(1));
    let expired = Message::Status {
        code: 408,
        description: b"Request Timeout",
        pending_messages: 4,
        pending_bytes: 0,
        reply: b"",
        stalled: b"",
        last_consumer: None,
    };
    p.handle_message(2, expired);
    assert_eq!(
        steps(&mut p),
        [
            Step::Discard {
                messages: 4,
                bytes: 0
            },
            Step::End(None)
        ]
    );
}

#[test]
fn fetch_ends_at_its_deadline_even_if_the_server_says_nothing() {
    let mut p = Pull::new(fetch(5), 1000);
    steps(&mut p);
    // 30 s × 1.05, and the heartbeat watch (2 × 15 s) comes first.
    assert_eq!(p.poll_timeout(), Some(1000 + 30_000));
    p.handle_message(29_000, stored(1));
    assert_eq!(p.poll_timeout(), Some(1000 + 31_500));
    p.handle_timeout(1000 + 31_499);
    assert_eq!(steps(&mut p), []);
    p.handle_timeout(1000 + 31_500);
    assert_eq!(steps(&mut p), [Step::End(None)]);
}

#[test]
fn heartbeats_are_not_delivered_and_keep_the_watch_quiet() {
    let mut p = Pull::new(consume(10, 2), 0);
    steps(&mut p);
    assert!(!p.handle_message(20_000, status(100, "Idle Heartbeat")));
    assert_eq!(steps(&mut p), []);
    assert_eq!(p.poll_timeout(), Some(50_000));
}

#[test]
fn missed_heartbeats_are_reported_from_the_second_interval_then_each_further_one() {
    let mut p = Pull::new(consume(10, 2), 0);
    steps(&mut p);
    assert_eq!(p.poll_timeout(), Some(30_000));
    p.handle_timeout(29_999);
    assert_eq!(steps(&mut p), []);
    p.handle_timeout(30_000);
    assert_eq!(steps(&mut p), [Step::HeartbeatsMissed(2), Step::Check]);
    assert_eq!(p.poll_timeout(), Some(45_000));
    p.handle_timeout(45_000);
    assert_eq!(steps(&mut p), [Step::HeartbeatsMissed(3), Step::Check]);
    // The consumer was found: the watch restarts and it pulls anew.
    p.reset(46_000);
    let s = steps(&mut p);
    assert!(
        matches!(&s[..], [Step::Pull(b)] if b.starts_with(r#"{"batch":10,"#)),
        "{s:?}"
    );
    assert_eq!(p.poll_timeout(), Some(76_000));
}

#[test]
fn a_lost_transport_pauses_the_watch_and_its_return_asks_for_a_check() {
    let mut p = Pull::new(consume(10, 2), 0);
    steps(&mut p);
    p.pause();
    assert_eq!(p.poll_timeout(), None);
    p.handle_timeout(100_000);
    assert_eq!(steps(&mut p), []);
    p.resume();
    assert_eq!(steps(&mut p), [Step::Check]);
    p.reset(100_000);
    assert_eq!(p.poll_timeout(), Some(130_000));
}

#[test]
fn statuses_end_a_fetch_or_are_only_reported_to_a_consume() {
    // (code, description, ends a fetch, ends a consume)
    for (code, description, fetch_ends, consume_ends) in [
        (409, "Consumer Deleted", true, false),
        (503, "", true, false),
        (400, "Bad Request", true, true),
        (409, "Exceeded MaxWaiting", false, false),
        (409, "Leadership Change", false, false),
    ] {
        for refill in [false, true] {
            let mut p = Pull::new(
                PullOptions {
                    refill,
                    ..consume(10, 2)
                },
                0,
            );
            steps(&mut p);
            p.handle_message(1, status(code, description));
            let s = steps(&mut p);
            let ends = if refill { consume_ends } else { fetch_ends };
            assert_eq!(
                p.is_ended(),
                ends,
                "{code} {description} refill={refill}: {s:?}"
            );
            if code != 400 {
                assert_eq!(s[0], Step::Status(code, description.into()));
            }
            if ends {
                assert_eq!(s.last(), Some(&Step::End(Some((code, description.into())))));
            }
        }
    }
}

#[test]
fn max_bytes_counts_bytes_and_pulls_again_below_the_byte_threshold() {
    let mut p = Pull::new(
        PullOptions {
            max_bytes: 1000,
            threshold_bytes: 750,
            threshold_messages: 0,
            ..consume(100, 0)
        },
        0,
    );
    let s = steps(&mut p);
    assert!(
        matches!(&s[..], [Step::Pull(b)] if b.starts_with(r#"{"batch":100,"max_bytes":1000,"#))
    );
    p.handle_message(1, stored(1));
    p.handle_message(1, stored(2));
    assert_eq!(steps(&mut p), []);
    p.handle_message(1, stored(3));
    let s = steps(&mut p);
    assert!(
        matches!(&s[..], [Step::Pull(b)] if b.starts_with(r#"{"batch":3,"max_bytes":300,"#)),
        "{s:?}"
    );
}

#[test]
fn an_ordered_consumer_stops_at_a_gap_without_delivering_it() {
    let mut p = Pull::new(
        PullOptions {
            ordered: Some(0),
            ..consume(10, 2)
        },
        0,
    );
    steps(&mut p);
    assert!(p.handle_message(1, stored(1)));
    assert!(p.handle_message(1, stored(2)));
    assert!(!p.handle_message(1, stored(4)));
    assert_eq!(steps(&mut p), [Step::Gap]);
    assert!(p.is_ended());
    let mut q = Pull::new(
        PullOptions {
            ordered: Some(0),
            ..consume(10, 2)
        },
        0,
    );
    steps(&mut q);
    let no_ack = Message::Stored {
        size: 1,
        consumer_seq: None,
    };
    assert!(
        !q.handle_message(1, no_ack),
        "a message with no ack subject is a gap"
    );
    assert_eq!(steps(&mut q), [Step::Gap]);
}

#[test]
fn stop_ends_quietly() {
    let mut p = Pull::new(consume(10, 2), 0);
    p.stop();
    assert_eq!(steps(&mut p), []);
    assert!(p.is_ended());
    p.resume();
    p.reset(5);
    p.handle_timeout(1_000_000);
    assert_eq!(steps(&mut p), []);
}

fn push(ordered: Option<u64>) -> PullOptions {
    PullOptions {
        push: true,
        ordered,
        idle_heartbeat: 5000,
        ..consume(0, 0)
    }
}

fn heartbeat<'a>(stalled: &'a [u8], last_consumer: Option<u64>) -> Message<'a> {
    Message::Status {
        code: 100,
        description: b"Idle Heartbeat",
        pending_messages: 0,
        pending_bytes: 0,
        reply: b"",
        stalled,
        last_consumer,
    }
}

#[test]
fn a_push_consumer_is_never_pulled_and_answers_flow_control_and_stalls() {
    let mut p = Pull::new(push(None), 0);
    assert_eq!(steps(&mut p), [], "no pull");
    for seq in 1..=3 {
        assert!(p.handle_message(1, stored(seq)));
    }
    let fc = Message::Status {
        code: 100,
        description: b"FlowControl Request",
        pending_messages: 0,
        pending_bytes: 0,
        reply: b"$JS.FC.S.C.1",
        stalled: b"",
        last_consumer: None,
    };
    assert!(!p.handle_message(2, fc));
    assert!(!p.handle_message(3, heartbeat(b"$JS.FC.S.C.2", Some(3))));
    assert!(!p.handle_message(4, heartbeat(b"", Some(3))));
    assert_eq!(
        steps(&mut p),
        [
            Step::Respond("$JS.FC.S.C.1".into()),
            Step::Respond("$JS.FC.S.C.2".into())
        ]
    );
    // No fetch deadline; only the heartbeat watch.
    assert_eq!(p.poll_timeout(), Some(4 + 10_000));
    p.handle_timeout(10_004);
    assert_eq!(steps(&mut p), [Step::HeartbeatsMissed(2), Step::Check]);
}

#[test]
fn an_ordered_push_consumer_finds_a_gap_in_a_heartbeat() {
    let mut p = Pull::new(push(Some(0)), 0);
    assert!(p.handle_message(1, stored(1)));
    assert!(!p.handle_message(2, heartbeat(b"", Some(1))));
    assert_eq!(steps(&mut p), []);
    // The server says it sent 2; this consumer saw 1.
    assert!(!p.handle_message(3, heartbeat(b"", Some(2))));
    assert_eq!(steps(&mut p), [Step::Gap]);
}

#[test]
fn a_no_wait_fetch_asks_so_and_ends_when_the_server_has_nothing() {
    let mut p = Pull::new(
        PullOptions {
            no_wait: true,
            ..fetch(10)
        },
        0,
    );
    let s = steps(&mut p);
    assert!(
        matches!(&s[..], [Step::Pull(b)] if b.ends_with(r#","no_wait":true}"#)),
        "{s:?}"
    );
    assert!(p.handle_message(1, stored(1)));
    assert!(!p.handle_message(2, status(404, "No Messages")));
    assert_eq!(
        steps(&mut p),
        [Step::Status(404, "No Messages".into()), Step::End(None)]
    );
}
