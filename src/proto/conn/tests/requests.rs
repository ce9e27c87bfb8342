//! Requests end where the core decides: strategies for many replies, `noMux` inboxes,
//! permissions violations, and a lost connection; and draining ends subscriptions in
//! creation order.
//!
//! Test code only (compiled under cfg(test)): an unwrap or expect here is an assertion.

use super::*;
// On wasm32 the same tests run under wasm-bindgen-test (node), where the core ships.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

/// The mux's inbox prefix (`<inbox>.`) and sid, from the `SUB` the first request sent.
fn mux(sent: &str) -> (String, String) {
    let line = sent.lines().find(|l| l.starts_with("SUB ")).unwrap();
    let mut parts = line.split(' ');
    let inbox = parts.nth(1).unwrap().trim_end_matches('*').to_string();
    (inbox, parts.next().unwrap().to_string())
}

/// A reply with `payload` to request `id` through the mux.
fn reply(c: &mut Connection, (inbox, sid): &(String, String), id: u32, payload: &str, now: u64) {
    let line = format!("MSG {inbox}{id} {sid} {}\r\n{payload}\r\n", payload.len());
    input(c, line.as_bytes(), now);
}

fn strategy(many: Many, timeout: u64) -> RequestOptions {
    RequestOptions {
        timeout,
        many: Some(many),
        inbox: None,
    }
}

#[test]
fn count_ends_after_its_replies() {
    let mut c = connected();
    let n = Many::Count(core::num::NonZeroU64::new(2).unwrap());
    let id = c.request("svc", None, b"", strategy(n, 1000), 0).unwrap();
    let mux = mux(&out(&mut c));
    reply(&mut c, &mux, id, "a", 1);
    assert!(events(&mut c).is_empty());
    reply(&mut c, &mux, id, "b", 2);
    assert_eq!(msgs(&mut c).len(), 1, "the last reply is delivered");
    assert_eq!(events(&mut c), vec![Event::RequestDone(id)]);
    reply(&mut c, &mux, id, "c", 3);
    assert!(msgs(&mut c).is_empty(), "nothing after the end");
}

#[test]
fn sentinel_ends_at_an_empty_reply_which_is_delivered() {
    let mut c = connected();
    let id = c
        .request("svc", None, b"", strategy(Many::Sentinel, 1000), 0)
        .unwrap();
    let mux = mux(&out(&mut c));
    reply(&mut c, &mux, id, "a", 1);
    reply(&mut c, &mux, id, "", 2);
    let m = msgs(&mut c);
    assert_eq!((m.len(), m[0].6.as_str()), (1, ""));
    assert_eq!(events(&mut c), vec![Event::RequestDone(id)]);
}

#[test]
fn jitter_ends_after_a_pause_but_never_after_max_wait() {
    let mut c = connected();
    let id = c
        .request("svc", None, b"", strategy(Many::Jitter(50), 1000), 0)
        .unwrap();
    let mux = mux(&out(&mut c));
    // No reply yet: only maxWait bounds the wait.
    assert_eq!(c.poll_timeout(), Some(1000));
    reply(&mut c, &mux, id, "a", 10);
    assert_eq!(c.poll_timeout(), Some(60));
    reply(&mut c, &mux, id, "b", 40);
    c.handle_timeout(60);
    assert!(events(&mut c).is_empty(), "moved to 90 by the second reply");
    c.handle_timeout(90);
    assert_eq!(events(&mut c), vec![Event::RequestDone(id)]);
    // Replies every 40 ms keep it alive, up to maxWait.
    let id = c
        .request("svc", None, b"", strategy(Many::Jitter(50), 200), 100)
        .unwrap();
    for t in (110..300).step_by(40) {
        reply(&mut c, &mux, id, "x", t);
        c.handle_timeout(t);
    }
    c.handle_timeout(299);
    assert!(events(&mut c).is_empty(), "270 + 50 is past maxWait");
    c.handle_timeout(300);
    assert_eq!(events(&mut c), vec![Event::RequestDone(id)]);
}

#[test]
fn max_wait_is_a_normal_end_for_many_and_a_timeout_for_one() {
    let mut c = connected();
    let many = c
        .request("svc", None, b"", strategy(Many::Timer, 100), 0)
        .unwrap();
    let one = c.request("svc", None, b"", one(100), 0).unwrap();
    c.handle_timeout(100);
    let ev = events(&mut c);
    assert_eq!(ev[0], Event::RequestDone(many));
    assert!(
        matches!(&ev[1], Event::RequestFailed { id, error } if *id == one && error.code == ErrorCode::Timeout)
    );
}

#[test]
fn no_mux_requests_have_an_inbox_of_their_own() {
    let mut c = connected();
    let opts = RequestOptions {
        inbox: Some("my.inbox".into()),
        ..one(1000)
    };
    let id = c.request("svc", None, b"?", opts, 0).unwrap();
    let sent = out(&mut c);
    assert_eq!(
        sent,
        "SUB my.inbox 1\r\nUNSUB 1 1\r\nPUB svc my.inbox 1\r\n?\r\n"
    );
    input(&mut c, b"MSG my.inbox 1 2\r\nok\r\n", 1);
    let m = msgs(&mut c);
    assert_eq!((m[0].0, m[0].1, m[0].6.as_str()), (1, id, "ok"));
    assert!(events(&mut c).is_empty(), "one reply: its row is its end");
    assert_eq!((c.subscription_count(), c.pending_requests()), (0, 0));
    // A timed-out noMux request unsubscribes its inbox.
    let opts = RequestOptions {
        inbox: Some("other.inbox".into()),
        many: Some(Many::Timer),
        timeout: 100,
    };
    let id = c.request("svc", None, b"", opts, 0).unwrap();
    assert_eq!(
        out(&mut c),
        "SUB other.inbox 2\r\nPUB svc other.inbox 0\r\n\r\n"
    );
    c.handle_timeout(100);
    assert_eq!(events(&mut c), vec![Event::RequestDone(id)]);
    assert_eq!(out(&mut c), "UNSUB 2\r\n");
    assert_eq!(c.subscription_count(), 0);
    // A bad inbox is refused before anything is written.
    let opts = RequestOptions {
        inbox: Some("bad.*".into()),
        ..one(100)
    };
    let err = c.request("svc", None, b"", opts, 0).unwrap_err();
    assert_eq!(err.code, ErrorCode::BadSubject);
    assert_eq!(out(&mut c), "");
}

#[test]
fn publish_permission_violation_fails_the_oldest_request_to_that_subject() {
    let mut c = connected();
    let first = c.request("secret", None, b"", one(1000), 0).unwrap();
    let second = c.request("secret", None, b"", one(1000), 0).unwrap();
    out(&mut c);
    let text = "'Permissions Violation for Publish to \"secret\"'";
    input(&mut c, format!("-ERR {text}\r\n").as_bytes(), 1);
    let ev = events(&mut c);
    assert!(
        matches!(&ev[0], Event::RequestFailed { id, error } if *id == first
            && error.code == ErrorCode::PermissionsViolation && error.message == text),
        "{ev:?}"
    );
    assert!(matches!(&ev[1], Event::ServerError(e) if e.message == text));
    assert_eq!(ev.len(), 2);
    assert_eq!(c.pending_requests(), 1, "{second} still waits");
    assert_eq!(c.state(), State::Connected, "the connection stays up");
}

#[test]
fn a_refused_mux_fails_its_requests_and_is_made_again() {
    let mut c = connected();
    let a = c.request("x", None, b"", one(1000), 0).unwrap();
    let b = c.request("y", None, b"", one(1000), 0).unwrap();
    let (inbox, _) = mux(&out(&mut c));
    let text = format!("'Permissions Violation for Subscription to \"{inbox}*\"'");
    input(&mut c, format!("-ERR {text}\r\n").as_bytes(), 1);
    let ev = events(&mut c);
    let mut failed: Vec<u32> = ev
        .iter()
        .filter_map(|e| match e {
            Event::RequestFailed { id, error } if error.code == ErrorCode::PermissionsViolation => {
                Some(*id)
            }
            _ => None,
        })
        .collect();
    failed.sort_unstable();
    assert_eq!(failed, vec![a, b]);
    assert!(matches!(ev.last(), Some(Event::ServerError(_))));
    c.request("z", None, b"", one(1000), 1).unwrap();
    assert!(out(&mut c).starts_with("SUB "), "a new mux subscription");
}

#[test]
fn a_lost_connection_fails_requests_and_drops_their_inboxes() {
    let mut c = connected();
    let opts = RequestOptions {
        inbox: Some("my.inbox".into()),
        ..many(1000)
    };
    let id = c.request("svc", None, b"", opts, 0).unwrap();
    c.handle_transport_closed(5);
    assert!(events(&mut c).iter().any(
        |e| matches!(e, Event::RequestFailed { id: i, error } if *i == id && error.code == ErrorCode::Disconnect)
    ));
    assert_eq!(
        c.subscription_count(),
        0,
        "not restored after the reconnect"
    );
}

#[test]
fn drain_ends_subscriptions_in_creation_order() {
    let mut c = connected();
    let sids: Vec<u64> = (0..40)
        .map(|i| c.subscribe(&format!("s{i}"), None, None, None, 0).unwrap())
        .collect();
    out(&mut c);
    c.drain().unwrap();
    let unsubs: Vec<u64> = out(&mut c)
        .lines()
        .filter_map(|l| l.strip_prefix("UNSUB ")?.parse().ok())
        .collect();
    assert_eq!(unsubs, sids);
    input(&mut c, b"PONG\r\n", 1);
    let closed: Vec<u64> = events(&mut c)
        .into_iter()
        .filter_map(|e| match e {
            Event::SubClosed { sid, .. } => Some(sid),
            _ => None,
        })
        .collect();
    assert_eq!(closed, sids);
}
