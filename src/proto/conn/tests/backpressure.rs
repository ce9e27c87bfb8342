//! The transport's backlog: bytes are handed out only while the socket has room, publishes
//! wait in the bounded output and are refused past it, and a close lets what was queued
//! leave before the transport goes (within the connection's `timeout`).
//!
//! Test code only (compiled under cfg(test)): an unwrap or expect here is an assertion.

use super::*;
// On wasm32 the same tests run under wasm-bindgen-test (node), where the core ships.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

fn all_events(c: &mut Connection) -> Vec<Event> {
    std::iter::from_fn(|| c.poll_event()).collect()
}

#[test]
fn a_full_socket_gets_nothing_more_and_publishes_past_the_limit_are_refused() {
    let limit = 100_000;
    let mut c = connected_with(Options {
        outbound_limit: limit,
        ..Options::default()
    });
    let payload = [b'x'; 1000];
    let size = payload.len() + "PUB big 1000\r\n\r\n".len();
    c.publish("big", None, None, &payload).unwrap();
    // The socket holds 60 KB: it is handed what fits under the limit, no more.
    c.handle_backlog(60_000, 10);
    assert_eq!(c.poll_transmit().len(), size);
    c.clear_transmit();
    c.handle_backlog(60_000 + size, 10);
    let mut published = 0;
    let err = loop {
        match c.publish("big", None, None, &payload) {
            Ok(()) => published += 1,
            Err(e) => break e,
        }
    };
    assert_eq!(err.code, ErrorCode::OutboundBufferFull);
    let held = 60_000 + size + published * size;
    assert!(
        held <= limit && held + 32 + size > limit,
        "{published} more"
    );
    // All of it fits the room left: the limit counts what is held here too.
    assert_eq!(c.poll_transmit().len(), published * size);
    c.clear_transmit();
    c.handle_backlog(limit, 20);
    assert_eq!(
        c.publish("big", None, None, &payload).unwrap_err().code,
        ErrorCode::OutboundBufferFull
    );
    // The socket drained: publishing works again.
    c.handle_backlog(0, 40);
    c.publish("big", None, None, &payload).unwrap();
}

#[test]
fn bytes_that_do_not_fit_wait_for_a_look_at_the_backlog() {
    let mut c = connected_with(Options {
        outbound_limit: 100_000,
        ..Options::default()
    });
    c.publish("big", None, None, &[b'x'; 500]).unwrap();
    // Before it is sent, the socket reports it holds nearly the limit.
    c.handle_backlog(100_000 - 100, 10);
    assert_eq!(c.poll_transmit().len(), 100, "what fits");
    c.clear_transmit();
    c.handle_backlog(100_000, 11);
    assert!(c.transmit_blocked());
    assert_eq!(c.poll_timeout(), Some(11 + BACKLOG_POLL), "look again soon");
    c.handle_backlog(0, 31);
    assert!(!c.transmit_blocked());
    let rest = c.poll_transmit().len();
    assert_eq!(rest + 100, 500 + "PUB big 500\r\n\r\n".len());
}

#[test]
fn close_waits_for_queued_bytes_to_leave() {
    let mut c = connected();
    c.publish("x", None, None, b"last words").unwrap();
    c.handle_backlog(500, 10);
    c.close();
    assert_eq!(
        all_events(&mut c),
        vec![Event::Closed(None)],
        "released only once sent"
    );
    assert!(
        out(&mut c).starts_with("PUB x 10"),
        "still handed out after the close"
    );
    c.handle_backlog(200, 20);
    assert!(all_events(&mut c).is_empty());
    assert_eq!(c.poll_timeout(), Some(20 + BACKLOG_POLL));
    c.handle_backlog(0, 40);
    assert_eq!(all_events(&mut c), vec![Event::Released]);
    assert_eq!(c.poll_timeout(), None);
    assert!(c.poll_transmit().is_empty());
}

#[test]
fn close_gives_up_on_a_socket_that_never_drains() {
    let mut c = connected();
    c.handle_backlog(500, 10);
    c.close();
    c.handle_backlog(500, 20);
    // The connection's timeout (20 s by default) from the first look after the close.
    assert_eq!(c.poll_timeout(), Some(20 + BACKLOG_POLL));
    c.handle_timeout(20 + 20_000);
    assert_eq!(
        all_events(&mut c),
        vec![Event::Closed(None), Event::Released]
    );
}

#[test]
fn a_closed_connection_with_nothing_queued_is_released_at_once() {
    let mut c = connected();
    c.close();
    assert_eq!(
        all_events(&mut c),
        vec![Event::Closed(None), Event::Released]
    );
    // And a socket that closes while bytes are queued ends the wait.
    let mut c = connected();
    c.handle_backlog(1, 5);
    c.close();
    c.handle_transport_closed(6);
    assert_eq!(
        all_events(&mut c),
        vec![Event::Closed(None), Event::Released]
    );
}
