//! State-machine tests: a scripted server on one side, the application on the other.
//!
//! Test code only (compiled under cfg(test)): an unwrap or expect here is an assertion; none
//! runs in the shipped wasm or can be reached from network or user input.

use super::*;
use crate::proto::encode::Credentials;
use crate::proto::json::{self, Value};

mod backpressure;
mod consumers;
mod requests;

// On wasm32 the same tests run under wasm-bindgen-test (node), where the core ships.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

const INFO: &[u8] = b"INFO {\"server_id\":\"S\",\"version\":\"2.14.6\",\"proto\":1,\"headers\":true,\"max_payload\":1024}\r\n";

/// Hands `bytes` to the core as the edge does: an `INFO` among them is answered as the
/// glue answers it.
fn input(c: &mut Connection, bytes: &[u8], now: u64) {
    c.handle_input(bytes, now);
    if let Some(text) = c.poll_info().map(str::to_string) {
        c.provide_info(ServerInfo::from_json(&text));
    }
}

/// A request for one reply through the mux.
fn one(timeout: u64) -> RequestOptions {
    RequestOptions {
        timeout,
        many: None,
        inbox: None,
    }
}

/// A request for many replies through the mux, until `timeout`.
fn many(timeout: u64) -> RequestOptions {
    RequestOptions {
        many: Some(Many::Timer),
        ..one(timeout)
    }
}

/// A connection that has dialed its server (transport open, waiting for INFO).
fn dialed(opts: Options, now: u64) -> Connection {
    let mut c = Connection::new(opts, now);
    assert!(c.poll_dial(now).is_some());
    c
}

fn out(c: &mut Connection) -> String {
    let s = String::from_utf8(c.poll_transmit().to_vec()).unwrap();
    c.clear_transmit();
    s
}

/// The events so far, but `Released` (which follows `Closed` once what was queued has left:
/// see the backpressure tests).
fn events(c: &mut Connection) -> Vec<Event> {
    std::iter::from_fn(|| c.poll_event())
        .filter(|e| *e != Event::Released)
        .collect()
}

/// A connected client, with the handshake's output and events consumed.
fn connected() -> Connection {
    let mut c = dialed(Options::default(), 0);
    input(&mut c, INFO, 0);
    let sent = out(&mut c);
    assert!(sent.starts_with("CONNECT {"), "{sent}");
    assert!(sent.ends_with("}\r\nPING\r\n"), "{sent}");
    input(&mut c, b"PONG\r\n", 1);
    assert_eq!(events(&mut c), vec![Event::Connected]);
    c
}

/// The delivered messages as (sid, request, status, subject, reply, headers, payload).
fn msgs(c: &mut Connection) -> Vec<(u32, u32, u32, String, String, String, String)> {
    let (t, b) = c.poll_deliveries();
    let s = |row: &[u32], f: usize| {
        let (o, l) = (row[f] as usize, row[f + 1] as usize);
        String::from_utf8_lossy(&b[o..o + l]).into_owned()
    };
    t.chunks(DELIVERY_STRIDE)
        .map(|r| {
            (
                r[field::SID],
                r[field::REQUEST],
                r[field::STATUS],
                s(r, field::SUBJECT),
                s(r, field::REPLY),
                s(r, field::HEADERS),
                s(r, field::PAYLOAD),
            )
        })
        .collect()
}

#[test]
fn handshake_sends_connect_then_ping_and_connects_on_pong() {
    let mut c = dialed(Options::default(), 0);
    assert_eq!(c.state(), State::AwaitingInfo);
    assert_eq!(c.poll_timeout(), Some(20_000));
    c.handle_input(INFO, 0);
    assert_eq!(
        c.state(),
        State::AwaitingInfo,
        "until the edge has read the INFO"
    );
    let text = c.poll_info().unwrap().to_string();
    assert!(text.contains("\"server_id\":\"S\""), "{text}");
    assert_eq!(c.poll_info(), None, "handed out once");
    c.provide_info(ServerInfo::from_json(&text));
    assert_eq!(c.state(), State::Handshaking);
    let sent = out(&mut c);
    let json_text = &sent["CONNECT ".len()..sent.find("\r\n").unwrap()];
    let v = json::parse(json_text).unwrap();
    assert_eq!(v.get("headers").and_then(Value::as_bool), Some(true));
    assert_eq!(v.get("no_responders").and_then(Value::as_bool), Some(true));
    assert_eq!(v.get("verbose").and_then(Value::as_bool), Some(false));
    assert_eq!(v.get("pedantic").and_then(Value::as_bool), Some(false));
    assert_eq!(c.max_payload(), 1024);
    input(&mut c, b"PONG\r\n", 5);
    assert_eq!(c.state(), State::Connected);
    assert_eq!(events(&mut c), vec![Event::Connected]);
    assert_eq!(c.poll_timeout(), Some(5 + 120_000));
}

#[test]
fn handshake_split_byte_by_byte() {
    let mut c = dialed(Options::default(), 0);
    for b in INFO.iter().chain(b"PONG\r\n") {
        input(&mut c, &[*b], 0);
    }
    assert_eq!(events(&mut c), vec![Event::Connected]);
}

#[test]
fn err_before_pong_fails_with_its_code() {
    let mut c = dialed(Options::default(), 0);
    input(&mut c, INFO, 0);
    input(&mut c, b"-ERR 'Authorization Violation'\r\n", 0);
    let ev = events(&mut c);
    assert_eq!(ev.len(), 1);
    let Event::Closed(Some(e)) = &ev[0] else {
        panic!("{ev:?}")
    };
    assert_eq!(e.code, ErrorCode::AuthorizationViolation);
    assert!(c.is_closed());
    assert_eq!(
        c.publish("a", None, None, b"x").unwrap_err().code,
        ErrorCode::ConnectionClosed
    );
}

#[test]
fn handshake_timeout() {
    let mut c = dialed(
        Options {
            timeout: 100,
            ..Options::default()
        },
        1000,
    );
    c.handle_timeout(1099);
    assert!(events(&mut c).is_empty());
    c.handle_timeout(1100);
    assert!(c.wants_transport_closed());
    c.handle_transport_closed(1100);
    let ev = events(&mut c);
    assert!(matches!(&ev[..], [Event::Closed(Some(e))] if e.code == ErrorCode::Timeout));
}

#[test]
fn bad_info_is_an_error_not_a_panic() {
    for info in [
        &b"INFO nope\r\n"[..],
        b"INFO [1]\r\n",
        b"INFO {\"a\":\xff}\r\n",
    ] {
        let mut c = dialed(Options::default(), 0);
        input(&mut c, info, 0);
        assert!(c.wants_transport_closed(), "{info:?}");
        c.handle_transport_closed(0);
        assert!(matches!(events(&mut c)[..], [Event::Closed(Some(_))]));
    }
}

#[test]
fn tls_required_is_refused_over_a_plain_transport_before_connect_is_sent() {
    let info = b"INFO {\"server_id\":\"S\",\"proto\":1,\"tls_required\":true}\r\n";
    let mut opts = Options::default();
    opts.connect.auth.user = Some("u".into());
    opts.connect.auth.pass = Some("secret".into());
    let mut c = dialed(opts, 0);
    input(&mut c, info, 0);
    assert_eq!(
        out(&mut c),
        "",
        "nothing, credentials least of all, goes out in clear"
    );
    assert!(c.wants_transport_closed());
    c.handle_transport_closed(0);
    let ev = events(&mut c);
    assert!(
        matches!(&ev[..], [Event::Closed(Some(e))] if e.code == ErrorCode::WssRequired),
        "{ev:?}"
    );

    // Over wss:// the same INFO is fine.
    let mut c = dialed(Options::default(), 0);
    c.set_transport_secure(true);
    input(&mut c, info, 0);
    assert!(out(&mut c).starts_with("CONNECT {"));
}

#[test]
fn no_echo_is_sent_and_needs_proto_1() {
    let mut opts = Options::default();
    opts.connect.echo = false;
    let mut c = dialed(opts.clone(), 0);
    input(&mut c, INFO, 0);
    assert!(out(&mut c).contains("\"echo\":false"));
    let mut old = dialed(opts, 0);
    input(&mut old, b"INFO {\"proto\":0}\r\n", 0);
    assert!(matches!(&events(&mut old)[..],
        [Event::Closed(Some(e))] if e.code == ErrorCode::ServerOptionNotAvailable));
}

#[test]
fn server_ping_gets_pong_and_client_pings_go_stale() {
    let mut c = connected();
    input(&mut c, b"PING\r\n", 2);
    assert_eq!(out(&mut c), "PONG\r\n");
    // Two unanswered client pings are tolerated; the third tick finds the connection stale.
    let t0 = 1 + 120_000;
    c.handle_timeout(t0);
    assert_eq!(out(&mut c), "PING\r\n");
    c.handle_timeout(t0 + 120_000);
    assert_eq!(out(&mut c), "PING\r\n");
    c.handle_timeout(t0 + 240_000);
    assert!(events(&mut c).contains(&Event::StaleConnection));
    assert!(c.wants_transport_closed());
}

#[test]
fn answered_pings_keep_the_connection() {
    let mut c = connected();
    let mut now = 1;
    for _ in 0..10 {
        now += 120_000;
        c.handle_timeout(now);
        assert_eq!(out(&mut c), "PING\r\n");
        input(&mut c, b"PONG\r\n", now);
    }
    assert_eq!(c.state(), State::Connected);
    assert!(events(&mut c)
        .iter()
        .all(|e| matches!(e, Event::PingTimer { outstanding: 1 })));
}

#[test]
fn publish_validates_before_writing() {
    let mut c = connected();
    c.publish("a.b", Some("r"), None, b"hi").unwrap();
    assert_eq!(out(&mut c), "PUB a.b r 2\r\nhi\r\n");
    type Case<'a> = (&'a str, Option<&'a str>, Option<&'a [u8]>, usize, ErrorCode);
    let bad: &[Case] = &[
        ("a b", None, None, 0, ErrorCode::BadSubject),
        ("a\r\nPUB x 0", None, None, 0, ErrorCode::BadSubject),
        ("a.*", None, None, 0, ErrorCode::BadSubject),
        ("", None, None, 0, ErrorCode::BadSubject),
        ("a", Some("r x"), None, 0, ErrorCode::BadSubject),
        (
            "a",
            None,
            Some(b"NATS/1.0\r\nk: v\r\nPUB x 0\r\n\r\n"),
            0,
            ErrorCode::BadHeader,
        ),
        ("a", None, None, 1025, ErrorCode::MaxPayloadExceeded),
        (
            "a",
            None,
            Some(b"NATS/1.0\r\n\r\n"),
            1024 - 11,
            ErrorCode::MaxPayloadExceeded,
        ),
    ];
    for (subject, reply, headers, len, code) in bad {
        let err = c
            .publish(subject, *reply, *headers, &vec![0; *len])
            .unwrap_err();
        assert_eq!(err.code, *code, "{subject:?}");
        assert!(
            c.poll_transmit().is_empty(),
            "nothing written for {subject:?}"
        );
    }
    // Exactly max_payload, headers included, is fine.
    c.publish("a", None, Some(b"NATS/1.0\r\n\r\n"), &[7; 1024 - 12])
        .unwrap();
    assert!(out(&mut c).starts_with("HPUB a 12 1024\r\n"));
    assert_eq!(c.stats().out_msgs, 2);
    assert_eq!(c.stats().out_bytes, 2 + 1024);
}

#[test]
fn headers_need_server_support() {
    let mut c = dialed(Options::default(), 0);
    input(&mut c, b"INFO {\"headers\":false}\r\n", 0);
    assert!(out(&mut c).contains("\"headers\":false"));
    input(&mut c, b"PONG\r\n", 0);
    let err = c
        .publish("a", None, Some(b"NATS/1.0\r\n\r\n"), b"")
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::ServerOptionNotAvailable);
}

#[test]
fn subscribe_deliver_and_max() {
    let mut c = connected();
    let sid = c.subscribe("foo.*", Some("q"), Some(2), None, 0).unwrap();
    assert_eq!(
        out(&mut c),
        format!("SUB foo.* q {sid}\r\nUNSUB {sid} 2\r\n")
    );
    input(&mut c,
        format!("MSG foo.a {sid} 1\r\nx\r\nHMSG foo.b {sid} r 18 19\r\nNATS/1.0\r\nK: v\r\n\r\ny\r\nMSG foo.c {sid} 1\r\nz\r\n").as_bytes(),
        3,
    );
    let m = msgs(&mut c);
    assert_eq!(m.len(), 2, "the third message is past max");
    assert_eq!(
        m[0],
        (
            sid as u32,
            0,
            0,
            "foo.a".into(),
            "".into(),
            "".into(),
            "x".into()
        )
    );
    assert_eq!(m[1].3, "foo.b");
    assert_eq!(m[1].4, "r");
    assert_eq!(m[1].5, "NATS/1.0\r\nK: v\r\n\r\n");
    assert_eq!(m[1].6, "y");
    assert_eq!(events(&mut c), vec![Event::SubClosed { sid, error: None }]);
    assert_eq!(c.subscription_count(), 0);
    assert_eq!(c.stats().in_msgs, 3);
}

#[test]
fn subscribe_rejects_bad_names_and_writes_nothing() {
    let mut c = connected();
    for (s, q) in [
        ("a b", None),
        ("a.>.b", None),
        ("a", Some("q q")),
        ("a", Some("")),
    ] {
        assert_eq!(
            c.subscribe(s, q, None, None, 0).unwrap_err().code,
            ErrorCode::BadSubject
        );
    }
    assert!(c.poll_transmit().is_empty());
}

#[test]
fn unsubscribe_now_and_later() {
    let mut c = connected();
    let a = c.subscribe("a", None, None, None, 0).unwrap();
    let b = c.subscribe("b", None, None, None, 0).unwrap();
    out(&mut c);
    assert!(c.unsubscribe(a, None));
    assert_eq!(out(&mut c), format!("UNSUB {a}\r\n"));
    input(&mut c, format!("MSG a {a} 0\r\n\r\n").as_bytes(), 0);
    assert!(msgs(&mut c).is_empty(), "late message dropped");
    assert!(!c.unsubscribe(b, Some(1)));
    assert_eq!(out(&mut c), format!("UNSUB {b} 1\r\n"));
    input(&mut c, format!("MSG b {b} 0\r\n\r\n").as_bytes(), 0);
    assert_eq!(msgs(&mut c).len(), 1);
    assert_eq!(
        events(&mut c),
        vec![Event::SubClosed {
            sid: b,
            error: None
        }]
    );
}

#[test]
fn subscription_timeout_only_before_first_message() {
    let mut c = connected();
    let quiet = c.subscribe("quiet", None, None, Some(50), 10).unwrap();
    let busy = c.subscribe("busy", None, None, Some(50), 10).unwrap();
    out(&mut c);
    assert_eq!(c.poll_timeout(), Some(60));
    input(&mut c, format!("MSG busy {busy} 0\r\n\r\n").as_bytes(), 20);
    c.handle_timeout(60);
    let ev = events(&mut c);
    assert!(
        matches!(&ev[..], [Event::SubClosed { sid, error: Some(e) }] if *sid == quiet && e.code == ErrorCode::Timeout),
        "{ev:?}"
    );
    assert_eq!(out(&mut c), format!("UNSUB {quiet}\r\n"));
    assert_eq!(c.received(busy), Some(1));
}

#[test]
fn request_mux_uses_one_subscription_and_matches_tokens() {
    let mut c = connected();
    let r1 = c.request("svc", None, b"1", one(1000), 0).unwrap();
    let sent = out(&mut c);
    let sub_line = sent.lines().next().unwrap();
    assert!(sub_line.starts_with("SUB _INBOX."), "{sent}");
    assert!(sub_line.contains(".* "), "{sent}");
    let inbox = sub_line.split(' ').nth(1).unwrap().trim_end_matches('*');
    let mux_sid: u64 = sub_line.split(' ').nth(2).unwrap().parse().unwrap();
    assert!(
        sent.contains(&format!("PUB svc {inbox}{r1} 1\r\n1\r\n")),
        "{sent}"
    );
    let r2 = c.request("svc", None, b"2", one(1000), 0).unwrap();
    let sent = out(&mut c);
    assert!(!sent.contains("SUB "), "mux subscription reused: {sent}");
    assert_eq!(c.subscription_count(), 1);

    // Replies arrive out of order; an unknown token is dropped.
    input(&mut c,
        format!("MSG {inbox}{r2} {mux_sid} 2\r\nr2\r\nMSG {inbox}999 {mux_sid} 0\r\n\r\nMSG {inbox}{r1} {mux_sid} 2\r\nr1\r\n").as_bytes(),
        5,
    );
    let m = msgs(&mut c);
    assert_eq!(m.len(), 2);
    assert_eq!((m[0].1, m[0].6.as_str()), (r2, "r2"));
    assert_eq!((m[1].1, m[1].6.as_str()), (r1, "r1"));
    assert_eq!(c.pending_requests(), 0);
    // A second reply to a finished request is dropped.
    input(
        &mut c,
        format!("MSG {inbox}{r1} {mux_sid} 2\r\nr1\r\n").as_bytes(),
        6,
    );
    assert!(msgs(&mut c).is_empty());
}

#[test]
fn no_responders_fails_the_request_without_a_row() {
    let mut c = connected();
    let id = c.request("nobody", None, b"", one(1000), 0).unwrap();
    let sent = out(&mut c);
    let sub_line = sent.lines().next().unwrap();
    let inbox = sub_line.split(' ').nth(1).unwrap().trim_end_matches('*');
    let mux_sid = sub_line.split(' ').nth(2).unwrap();
    input(
        &mut c,
        format!("HMSG {inbox}{id} {mux_sid} 16 16\r\nNATS/1.0 503\r\n\r\n\r\n").as_bytes(),
        1,
    );
    assert!(msgs(&mut c).is_empty());
    assert!(matches!(
        &events(&mut c)[..],
        [Event::RequestFailed { id: i, error }] if *i == id && error.code == ErrorCode::NoResponders
    ));
    assert_eq!(c.pending_requests(), 0);
}

#[test]
fn request_timeout_and_many() {
    let mut c = connected();
    let one = c.request("a", None, b"", one(100), 0).unwrap();
    let many = c.request("b", None, b"", many(500), 0).unwrap();
    let sent = out(&mut c);
    let sub_line = sent.lines().next().unwrap();
    let inbox = sub_line.split(' ').nth(1).unwrap().trim_end_matches('*');
    let mux_sid = sub_line.split(' ').nth(2).unwrap();
    assert_eq!(c.poll_timeout(), Some(100));
    c.handle_timeout(100);
    let ev = events(&mut c);
    assert!(
        matches!(&ev[..], [Event::RequestFailed { id, error }] if *id == one && error.code == ErrorCode::Timeout)
    );
    for i in 0..3 {
        input(
            &mut c,
            format!("MSG {inbox}{many} {mux_sid} 1\r\n{i}\r\n").as_bytes(),
            200,
        );
        assert_eq!(msgs(&mut c).len(), 1);
    }
    c.cancel_request(many);
    input(
        &mut c,
        format!("MSG {inbox}{many} {mux_sid} 1\r\nx\r\n").as_bytes(),
        200,
    );
    assert!(msgs(&mut c).is_empty());
    c.handle_timeout(500);
    assert!(
        events(&mut c).is_empty(),
        "a cancelled request does not time out"
    );
}

#[test]
fn each_delivery_is_handed_out_once() {
    let mut c = connected();
    let sid = c.subscribe("a", None, None, Some(1000), 0).unwrap();
    input(&mut c, format!("MSG a {sid} 1\r\n1\r\n").as_bytes(), 1);
    assert_eq!(msgs(&mut c).len(), 1);
    assert!(msgs(&mut c).is_empty(), "polling again gives nothing new");
    // Neither a timer nor a close re-delivers the last input's messages.
    c.handle_timeout(2000);
    assert!(msgs(&mut c).is_empty());
    c.close();
    assert!(msgs(&mut c).is_empty());
}

#[test]
fn flush_resolves_after_preceding_messages() {
    let mut c = connected();
    let sid = c.subscribe("a", None, None, None, 0).unwrap();
    let f = c.flush().unwrap();
    assert_eq!(out(&mut c), format!("SUB a {sid}\r\nPING\r\n"));
    input(
        &mut c,
        format!("MSG a {sid} 1\r\n1\r\nPONG\r\n").as_bytes(),
        1,
    );
    assert_eq!(msgs(&mut c).len(), 1);
    assert_eq!(events(&mut c), vec![Event::Flushed(f)]);
}

#[test]
fn drain_unsubscribes_delivers_stragglers_then_closes() {
    let mut c = connected();
    let a = c.subscribe("a", None, None, None, 0).unwrap();
    let b = c.subscribe("b", None, None, None, 0).unwrap();
    out(&mut c);
    c.drain().unwrap();
    assert_eq!(c.state(), State::Draining);
    let sent = out(&mut c);
    assert!(sent.contains(&format!("UNSUB {a}\r\n")), "{sent}");
    assert!(sent.contains(&format!("UNSUB {b}\r\n")), "{sent}");
    assert!(sent.ends_with("PING\r\n"), "{sent}");
    assert_eq!(
        c.subscribe("c", None, None, None, 0).unwrap_err().code,
        ErrorCode::ConnectionDraining
    );
    assert_eq!(
        c.request("c", None, b"", one(1), 0).unwrap_err().code,
        ErrorCode::ConnectionDraining
    );
    assert_eq!(c.drain().unwrap_err().code, ErrorCode::ConnectionDraining);
    // Replies may still be published while subscriptions drain.
    c.publish("reply", None, None, b"ok").unwrap();
    out(&mut c);
    input(
        &mut c,
        format!("MSG a {a} 1\r\n1\r\nPONG\r\n").as_bytes(),
        1,
    );
    assert_eq!(msgs(&mut c).len(), 1);
    let mut ev = events(&mut c);
    assert_eq!(ev.pop(), Some(Event::Closed(None)), "closed comes last");
    ev.sort_by_key(|e| match e {
        Event::SubClosed { sid, .. } => *sid,
        _ => u64::MAX,
    });
    let closed = |sid| Event::SubClosed { sid, error: None };
    assert_eq!(ev, vec![closed(a), closed(b)]);
    assert_eq!(c.flush().unwrap_err().code, ErrorCode::ConnectionClosed);
}

#[test]
fn subscription_drain() {
    let mut c = connected();
    let a = c.subscribe("a", None, None, None, 0).unwrap();
    out(&mut c);
    let id = c.drain_subscription(a).unwrap();
    assert_eq!(out(&mut c), format!("UNSUB {a}\r\nPING\r\n"));
    input(
        &mut c,
        format!("MSG a {a} 1\r\n1\r\nPONG\r\n").as_bytes(),
        1,
    );
    assert_eq!(msgs(&mut c).len(), 1);
    assert_eq!(
        events(&mut c),
        vec![
            Event::SubClosed {
                sid: a,
                error: None
            },
            Event::Flushed(id)
        ]
    );
    assert_eq!(
        c.drain_subscription(a).unwrap_err().code,
        ErrorCode::SubClosed
    );
}

#[test]
fn permission_errors_keep_the_connection() {
    let mut c = connected();
    let a = c.subscribe("secret", None, None, None, 0).unwrap();
    let b = c.subscribe("secret", Some("q"), None, None, 0).unwrap();
    out(&mut c);
    input(
        &mut c,
        b"-ERR 'Permissions Violation for Subscription to \"secret\"'\r\n",
        1,
    );
    let ev = events(&mut c);
    assert!(
        matches!(&ev[0], Event::SubClosed { sid, error: Some(e) } if *sid == a && e.code == ErrorCode::PermissionsViolation),
        "{ev:?}"
    );
    assert!(matches!(&ev[1], Event::ServerError(e) if e.code == ErrorCode::PermissionsViolation));
    assert_eq!(
        c.received(b),
        Some(0),
        "the queue subscription is another one"
    );
    input(
        &mut c,
        b"-ERR 'Permissions Violation for Subscription to \"secret\" using queue \"q\"'\r\n",
        1,
    );
    assert!(matches!(&events(&mut c)[0], Event::SubClosed { sid, .. } if *sid == b));
    input(
        &mut c,
        b"-ERR 'Permissions Violation for Publish to \"x\"'\r\n",
        1,
    );
    assert!(matches!(&events(&mut c)[..], [Event::ServerError(_)]));
    assert_eq!(c.state(), State::Connected);
}

#[test]
fn other_server_errors_and_garbage_end_the_transport() {
    // Without reconnect, the error that ended the transport is the one closed() reports.
    let no_reconnect = || {
        connected_with(Options {
            reconnect: false,
            ..Options::default()
        })
    };
    let mut c = no_reconnect();
    input(&mut c, b"-ERR 'Maximum Payload Violation'\r\n", 1);
    assert!(
        matches!(&events(&mut c)[..], [Event::ServerError(e)] if e.code == ErrorCode::ProtocolError)
    );
    assert!(c.wants_transport_closed());
    c.handle_transport_closed(2);
    assert!(
        matches!(&events(&mut c)[..], [Event::Closed(Some(e))] if e.code == ErrorCode::ProtocolError)
    );
    for garbage in [&b"GARBAGE\r\n"[..], b"MSG a 1 2000\r\n"] {
        let mut c = no_reconnect();
        input(&mut c, garbage, 1);
        assert!(c.wants_transport_closed());
        // Nothing after the bad bytes is processed.
        input(&mut c, b"PING\r\n", 1);
        assert!(c.poll_transmit().is_empty());
        c.handle_transport_closed(2);
        assert!(
            matches!(&events(&mut c)[..], [Event::Closed(Some(e))] if e.code == ErrorCode::ProtocolError)
        );
    }
}

#[test]
fn transport_loss_before_the_first_connect_ends_it() {
    let mut c = dialed(Options::default(), 0);
    c.handle_transport_closed(0);
    assert!(
        matches!(&events(&mut c)[..], [Event::Closed(Some(e))] if e.code == ErrorCode::ConnectionRefused)
    );
}

#[test]
fn transport_loss_without_reconnect_closes() {
    let mut c = connected_with(Options {
        reconnect: false,
        ..Options::default()
    });
    c.request("x", None, b"", one(1000), 0).unwrap();
    c.handle_transport_closed(5);
    assert!(
        matches!(&events(&mut c)[..], [Event::Closed(Some(e))] if e.code == ErrorCode::Disconnect)
    );
    assert_eq!(c.pending_requests(), 0);
    assert_eq!(c.poll_timeout(), None);
}

/// Options for reconnect tests: no randomness in waits.
fn reconnecting_opts(servers: &[&str]) -> Options {
    Options {
        servers: servers.iter().map(|s| s.to_string()).collect(),
        no_randomize: true,
        reconnect_jitter: 0,
        ..Options::default()
    }
}

fn connected_with(opts: Options) -> Connection {
    let mut c = dialed(opts, 0);
    input(&mut c, INFO, 0);
    out(&mut c);
    input(&mut c, b"PONG\r\n", 0);
    assert_eq!(events(&mut c), vec![Event::Connected]);
    c
}

#[test]
fn reconnect_restores_subscriptions_and_sends_the_buffer() {
    let mut c = connected_with(reconnecting_opts(&["ws://a:1"]));
    let a = c.subscribe("a", None, Some(5), None, 0).unwrap();
    let b = c.subscribe("b", Some("q"), None, None, 0).unwrap();
    input(
        &mut c,
        format!("MSG a {a} 0\r\n\r\nMSG a {a} 0\r\n\r\n").as_bytes(),
        1,
    );
    let req = c.request("svc", None, b"?", one(10_000), 1).unwrap();
    let flush = c.flush().unwrap();
    out(&mut c);

    c.handle_transport_closed(100);
    assert_eq!(c.state(), State::Disconnected);
    let ev = events(&mut c);
    assert_eq!(
        ev[0],
        Event::Disconnected {
            server: "ws://a:1".into()
        }
    );
    assert!(ev.iter().any(|e| matches!(e, Event::RequestFailed { id, error } if *id == req && error.code == ErrorCode::Disconnect)));
    assert!(ev
        .iter()
        .any(|e| matches!(e, Event::FlushFailed { id, .. } if *id == flush)));

    // While disconnected: publishes and flushes are buffered, subscriptions recorded.
    c.publish("later", None, None, b"kept").unwrap();
    let c_sid = c.subscribe("c", None, None, None, 150).unwrap();
    let f2 = c.flush().unwrap();
    assert!(c.poll_transmit().is_empty());

    // The same server is dialed again after reconnect_time_wait.
    // (reconnect_time_wait counts from the previous dial, at 0)
    assert_eq!(c.poll_timeout(), Some(2000));
    assert_eq!(c.poll_dial(1999), None);
    assert_eq!(c.poll_dial(2000).as_deref(), Some("ws://a:1"));
    assert_eq!(
        events(&mut c),
        vec![Event::Reconnecting {
            server: "ws://a:1".into()
        }]
    );
    input(&mut c, INFO, 2100);
    let sent = out(&mut c);
    assert!(
        sent.starts_with("CONNECT ") && sent.ends_with("PING\r\n"),
        "{sent}"
    );
    assert!(
        !sent.contains("SUB"),
        "nothing before the handshake completes: {sent}"
    );
    input(&mut c, b"PONG\r\n", 2101);
    let sent = out(&mut c);
    // Every subscription comes back with its sid (in any order), `a` with the 3 messages it
    // still has to receive; then the buffered publish and flush, in order.
    let (subs, buffered) = sent.split_at(sent.find("PUB later").expect("buffer sent"));
    assert_eq!(buffered, "PUB later 4\r\nkept\r\nPING\r\n");
    let mut lines: Vec<String> = subs.split_terminator("\r\n").map(str::to_string).collect();
    lines.sort_unstable();
    let mux = lines
        .iter()
        .find(|l| l.starts_with("SUB _INBOX."))
        .expect("mux")
        .clone();
    let mut want = vec![
        format!("SUB a {a}"),
        format!("UNSUB {a} 3"),
        format!("SUB b q {b}"),
        format!("SUB c {c_sid}"),
        mux,
    ];
    want.sort_unstable();
    assert_eq!(lines, want);
    assert_eq!(
        events(&mut c),
        vec![Event::Reconnected {
            server: "ws://a:1".into()
        }]
    );
    input(&mut c, b"PONG\r\n", 2102);
    assert_eq!(events(&mut c), vec![Event::Flushed(f2)]);
}

#[test]
fn the_reconnect_buffer_is_bounded() {
    let mut c = connected_with(Options {
        reconnect_buf_size: 100,
        ..reconnecting_opts(&["a"])
    });
    c.handle_transport_closed(1);
    c.publish("x", None, None, &[0; 50]).unwrap();
    let err = c.publish("x", None, None, &[0; 50]).unwrap_err();
    assert_eq!(err.code, ErrorCode::Disconnect);
    assert!(err.message.contains("reconnect buffer"));
}

#[test]
fn failover_goes_to_the_next_server_at_once() {
    let mut c = connected_with(reconnecting_opts(&["a", "b"]));
    c.handle_transport_closed(10);
    assert_eq!(c.poll_dial(10).as_deref(), Some("b"));
    // b refuses; a is next, after its wait.
    c.handle_transport_closed(20);
    assert_eq!(c.poll_dial(20), None);
    assert_eq!(c.poll_dial(2010).as_deref(), Some("a"));
}

#[test]
fn first_connect_tries_every_server_once() {
    let mut c = Connection::new(reconnecting_opts(&["a", "b"]), 0);
    assert_eq!(c.poll_dial(0).as_deref(), Some("a"));
    c.handle_transport_closed(1);
    assert_eq!(c.poll_dial(1).as_deref(), Some("b"));
    c.handle_transport_closed(2);
    let ev = events(&mut c);
    assert!(
        matches!(&ev[..], [Event::Closed(Some(e))] if e.code == ErrorCode::ConnectionRefused),
        "{ev:?}"
    );
}

#[test]
fn attempts_are_bounded_per_server() {
    let mut c = connected_with(Options {
        max_reconnect_attempts: 3,
        ..reconnecting_opts(&["a"])
    });
    let mut now = 0;
    c.handle_transport_closed(now);
    for attempt in 1..=3 {
        now = c.poll_timeout().unwrap();
        assert!(c.poll_dial(now).is_some(), "attempt {attempt}");
        c.handle_transport_closed(now);
    }
    let ev = events(&mut c);
    assert!(matches!(ev.last(), Some(Event::Closed(Some(_)))), "{ev:?}");
}

#[test]
fn handshake_timeout_moves_on() {
    let mut c = Connection::new(
        Options {
            timeout: 50,
            ..reconnecting_opts(&["a", "b"])
        },
        0,
    );
    assert!(c.poll_dial(0).is_some());
    c.handle_timeout(50);
    assert!(c.wants_transport_closed());
    c.handle_transport_closed(50);
    assert_eq!(c.poll_dial(50).as_deref(), Some("b"));
}

#[test]
fn stale_connection_reconnects() {
    let mut c = connected_with(reconnecting_opts(&["a"]));
    let mut now = 0;
    for _ in 0..2 {
        now += 120_000;
        c.handle_timeout(now);
    }
    now += 120_000;
    c.handle_timeout(now);
    let ev = events(&mut c);
    assert!(ev.contains(&Event::StaleConnection), "{ev:?}");
    assert!(ev.contains(&Event::PingTimer { outstanding: 2 }), "{ev:?}");
    assert!(c.wants_transport_closed());
    c.handle_transport_closed(now);
    assert_eq!(
        events(&mut c),
        vec![Event::Disconnected { server: "a".into() }]
    );
}

#[test]
fn liveness_check_after_coming_back() {
    let mut c = connected_with(reconnecting_opts(&["a"]));
    c.check_liveness(1000, 3000);
    assert_eq!(out(&mut c), "PING\r\n");
    assert_eq!(c.poll_timeout(), Some(4000));
    c.handle_timeout(4000);
    assert!(
        c.wants_transport_closed(),
        "no PONG within the deadline: stale"
    );
    let mut ok = connected_with(reconnecting_opts(&["a"]));
    ok.check_liveness(1000, 3000);
    input(&mut ok, b"PONG\r\n", 1500);
    ok.handle_timeout(4000);
    assert!(!ok.wants_transport_closed());
}

#[test]
fn lame_duck_moves_to_another_server() {
    let mut c = connected_with(reconnecting_opts(&["a", "b"]));
    input(&mut c, b"INFO {\"ldm\":true,\"headers\":true}\r\n", 5);
    let ev = events(&mut c);
    assert!(
        ev.contains(&Event::LameDuck { server: "a".into() }),
        "{ev:?}"
    );
    assert!(c.wants_transport_closed());
    c.handle_transport_closed(6);
    assert_eq!(c.poll_dial(6).as_deref(), Some("b"));
}

#[test]
fn cluster_updates_join_the_pool() {
    let mut c = connected_with(reconnecting_opts(&["ws://a:1"]));
    input(&mut c, b"INFO {\"connect_urls\":[\"a:1\",\"b:2\"]}\r\n", 5);
    let ev = events(&mut c);
    assert!(
        ev.iter()
            .any(|e| matches!(e, Event::ServersChanged(ch) if ch.added == ["b:2"])),
        "{ev:?}"
    );
    c.handle_transport_closed(6);
    assert_eq!(c.poll_dial(6).as_deref(), Some("b:2"));
    assert!(c.current_server_gossiped());
}

#[test]
fn auth_failure_on_reconnect_ends_the_connection() {
    let mut c = connected_with(reconnecting_opts(&["a"]));
    c.handle_transport_closed(1);
    let at = c.poll_timeout().unwrap();
    assert!(c.poll_dial(at).is_some());
    input(&mut c, INFO, at);
    input(&mut c, b"-ERR 'Authorization Violation'\r\n", at);
    let ev = events(&mut c);
    assert!(
        matches!(ev.last(), Some(Event::Closed(Some(e))) if e.code == ErrorCode::AuthorizationViolation),
        "{ev:?}"
    );
    assert_eq!(c.poll_timeout(), None);
}

#[test]
fn offline_stops_dialing_until_online() {
    let mut c = connected_with(reconnecting_opts(&["a"]));
    c.set_online(false, 10);
    assert!(c.wants_transport_closed());
    c.handle_transport_closed(10);
    assert_eq!(
        events(&mut c),
        vec![Event::Disconnected { server: "a".into() }]
    );
    // However long we wait, no dial while offline: attempts are not burnt.
    assert_eq!(c.poll_dial(1_000_000), None);
    c.set_online(true, 1_000_001);
    assert_eq!(c.poll_dial(1_000_001).as_deref(), Some("a"));
}

#[test]
fn online_while_connected_checks_liveness() {
    let mut c = connected_with(reconnecting_opts(&["a"]));
    c.set_online(true, 10);
    assert_eq!(out(&mut c), "PING\r\n");
    assert_eq!(c.poll_timeout(), Some(10 + LIVENESS_DEADLINE));
}

#[test]
fn credentials_are_asked_for_with_the_nonce_at_every_handshake() {
    let mut c = dialed(
        Options {
            auth_callback: true,
            ..reconnecting_opts(&["a"])
        },
        0,
    );
    input(&mut c, b"INFO {\"nonce\":\"n1\",\"headers\":true}\r\n", 0);
    assert!(
        c.poll_transmit().is_empty(),
        "no CONNECT before the credentials"
    );
    assert_eq!(c.poll_auth_request().as_deref(), Some("n1"));
    assert_eq!(c.poll_auth_request(), None);
    c.provide_auth(
        "n1",
        Credentials {
            nkey: Some("UABC".into()),
            sig: Some("c2ln".into()),
            ..Credentials::default()
        },
    );
    let sent = out(&mut c);
    assert!(
        sent.contains("\"nkey\":\"UABC\"") && sent.contains("\"sig\":\"c2ln\""),
        "{sent}"
    );
    input(&mut c, b"PONG\r\n", 0);
    c.handle_transport_closed(1);
    let at = c.poll_timeout().unwrap();
    assert!(c.poll_dial(at).is_some());
    input(&mut c, b"INFO {\"nonce\":\"n2\"}\r\n", at);
    assert_eq!(
        c.poll_auth_request().as_deref(),
        Some("n2"),
        "a fresh nonce per handshake"
    );
    // An answer for the previous handshake's nonce is not this one's.
    c.provide_auth("n1", Credentials::default());
    c.auth_failed("n1", Error::new(ErrorCode::BadAuthentication, "late"));
    assert!(
        c.poll_transmit().is_empty()
            && events(&mut c)
                .iter()
                .all(|e| !matches!(e, Event::Closed(_)))
    );
    c.auth_failed("n2", Error::new(ErrorCode::BadAuthentication, "bad seed"));
    assert!(
        matches!(events(&mut c).last(), Some(Event::Closed(Some(e))) if e.code == ErrorCode::BadAuthentication)
    );
}

#[test]
fn a_server_that_keeps_sending_garbage_is_given_up() {
    let mut c = connected_with(Options {
        max_reconnect_attempts: 3,
        ..reconnecting_opts(&["a"])
    });
    let mut now = 0;
    for round in 0..3 {
        input(&mut c, b"MSG a 1 -1\r\n", now);
        assert!(c.wants_transport_closed(), "round {round}");
        c.handle_transport_closed(now);
        if round == 2 {
            break;
        }
        now = c.poll_timeout().unwrap();
        assert!(c.poll_dial(now).is_some());
        input(&mut c, INFO, now);
        input(&mut c, b"PONG\r\n", now);
    }
    let ev = events(&mut c);
    assert!(
        matches!(ev.last(), Some(Event::Closed(Some(e))) if e.code == ErrorCode::ProtocolError),
        "{ev:?}"
    );
}

#[test]
fn server_errors_after_a_good_session_do_not_count_against_the_server() {
    let mut c = connected_with(Options {
        max_reconnect_attempts: 2,
        ..reconnecting_opts(&["a"])
    });
    let mut now = 0;
    for _ in 0..5 {
        input(&mut c, b"-ERR 'Stale Connection'\r\n", now);
        c.handle_transport_closed(now);
        now = c.poll_timeout().unwrap();
        assert!(c.poll_dial(now).is_some(), "still dialing");
        input(&mut c, INFO, now);
        input(&mut c, b"PONG\r\n", now);
    }
    assert_eq!(c.state(), State::Connected);
}

#[test]
fn client_initiated_reconnect() {
    let mut c = connected_with(reconnecting_opts(&["a"]));
    c.force_reconnect().unwrap();
    assert!(c.wants_transport_closed());
    assert_eq!(events(&mut c), vec![Event::ClientInitiatedReconnect]);
}

#[test]
fn reauthenticate_moves_to_the_new_credentials_at_once() {
    let mut c = connected_with(reconnecting_opts(&["ws://a:1"]));
    let sid = c.subscribe("a", None, None, None, 0).unwrap();
    out(&mut c);
    c.reauthenticate(10).unwrap();
    assert!(c.wants_transport_closed());
    c.handle_transport_closed(10);
    c.publish("during", None, None, b"x").unwrap();
    // At once, not reconnect_time_wait after the previous dial.
    assert_eq!(c.poll_dial(10).as_deref(), Some("ws://a:1"));
    input(&mut c, INFO, 11);
    out(&mut c);
    input(&mut c, b"PONG\r\n", 12);
    let sent = out(&mut c);
    assert!(sent.contains(&format!("SUB a {sid}\r\n")), "{sent}");
    assert!(sent.ends_with("PUB during 1\r\nx\r\n"), "{sent}");
    let ev = events(&mut c);
    assert!(ev.contains(&Event::Reconnected {
        server: "ws://a:1".into()
    }));
    assert_eq!(ev.last(), Some(&Event::Reauthenticated));
    // Done: a later refusal ends the connection as before.
    c.force_reconnect().unwrap();
    c.handle_transport_closed(5000);
    assert!(c.poll_dial(5000).is_some());
    input(&mut c, INFO, 5001);
    input(&mut c, b"-ERR 'Authorization Violation'\r\n", 5002);
    assert_eq!(c.state(), State::Closed);
}

#[test]
fn refused_new_credentials_go_back_to_the_previous_ones() {
    let mut c = connected_with(reconnecting_opts(&["ws://a:1"]));
    c.reauthenticate(10).unwrap();
    c.handle_transport_closed(10);
    assert!(c.poll_dial(10).is_some());
    input(&mut c, INFO, 11);
    out(&mut c);
    let flush = c.flush().unwrap();
    input(&mut c, b"-ERR 'Authorization Violation'\r\n", 12);
    assert_ne!(c.state(), State::Closed);
    let ev = events(&mut c);
    assert!(ev.iter().any(|e| matches!(e, Event::ReauthenticationFailed(err) if err.code == ErrorCode::AuthorizationViolation)), "{ev:?}");
    c.handle_transport_closed(12);
    // The previous credentials (the glue's), at once.
    assert_eq!(c.poll_dial(12).as_deref(), Some("ws://a:1"));
    input(&mut c, INFO, 13);
    input(&mut c, b"PONG\r\n", 14);
    assert_eq!(c.state(), State::Connected);
    // The flush made during the failed handshake waits for the next one's PONG.
    assert!(out(&mut c).ends_with("PING\r\n"));
    input(&mut c, b"PONG\r\n", 15);
    let ev = events(&mut c);
    assert!(ev.contains(&Event::Flushed(flush)), "{ev:?}");
    assert!(ev.iter().any(|e| matches!(e, Event::Reconnected { .. })));
    assert!(!ev.contains(&Event::Reauthenticated));
}

#[test]
fn new_credentials_the_glue_cannot_make_go_back_too() {
    let opts = Options {
        auth_callback: true,
        ..reconnecting_opts(&["ws://a:1"])
    };
    let mut c = dialed(opts, 0);
    input(&mut c, INFO, 0);
    let nonce = c.poll_auth_request().unwrap();
    c.provide_auth(&nonce, Credentials::default());
    input(&mut c, b"PONG\r\n", 1);
    events(&mut c);
    c.reauthenticate(10).unwrap();
    c.handle_transport_closed(10);
    assert!(c.poll_dial(10).is_some());
    input(&mut c, INFO, 11);
    let nonce = c.poll_auth_request().unwrap();
    c.auth_failed(&nonce, Error::new(ErrorCode::BadAuthentication, "bad seed"));
    assert_ne!(c.state(), State::Closed);
    assert!(events(&mut c)
        .iter()
        .any(|e| matches!(e, Event::ReauthenticationFailed(err) if err.code == ErrorCode::BadAuthentication)));
}

#[test]
fn reauthenticate_while_disconnected_dials_now_and_after_close_fails() {
    let mut c = connected_with(reconnecting_opts(&["ws://a:1"]));
    c.handle_transport_closed(100);
    assert_eq!(c.poll_timeout(), Some(2000));
    c.reauthenticate(150).unwrap();
    assert_eq!(c.poll_dial(150).as_deref(), Some("ws://a:1"));
    // A later, unrelated failure waits as usual: the swap's "at once" was spent on that dial.
    c.handle_transport_closed(160);
    assert_eq!(c.poll_timeout(), Some(2150));
    c.close();
    assert_eq!(
        c.reauthenticate(200).unwrap_err().code,
        ErrorCode::ConnectionClosed
    );
}

#[test]
fn close_is_final_and_idempotent() {
    let mut c = connected();
    c.close();
    c.close();
    assert_eq!(events(&mut c), vec![Event::Closed(None)]);
    input(&mut c, b"MSG a 1 0\r\n\r\n", 0);
    assert!(msgs(&mut c).is_empty());
    assert!(c.unsubscribe(1, None));
}

#[test]
fn mixed_stream_in_every_split_gives_the_same_messages() {
    let stream = b"MSG a 1 3\r\none\r\nPING\r\nHMSG a 1 r 12 15\r\nNATS/1.0\r\n\r\ntwo\r\nMSG a 1 5\r\nthree\r\n";
    let reference = {
        let mut c = connected();
        c.subscribe("a", None, None, None, 0).unwrap();
        input(&mut c, stream, 0);
        msgs(&mut c)
    };
    assert_eq!(reference.len(), 3);
    for chunk in 1..stream.len() {
        let mut c = connected();
        c.subscribe("a", None, None, None, 0).unwrap();
        out(&mut c);
        let mut got = Vec::new();
        for piece in stream.chunks(chunk) {
            input(&mut c, piece, 0);
            got.extend(msgs(&mut c));
        }
        assert_eq!(got, reference, "chunk {chunk}");
        assert_eq!(out(&mut c), "PONG\r\n");
    }
}
