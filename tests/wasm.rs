//! Browser tests of the wasm edge (transport, timers, bindings), run by
//! `wasm-pack test --headless --chrome` and `--firefox` against a real nats-server whose
//! WebSocket URL is given at build time in `NATS_WS_URL` (scripts/test.sh starts the server
//! and sets it).
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::rc::Rc;

use gloo_timers::future::TimeoutFuture;
use js_sys::{Array, Reflect, Uint32Array, Uint8Array};
use nats_wasm::interface::{batch, config, event, hook, info, many, op, row, FAILED, HOOKS};
use nats_wasm::wasm::client::WasmConnection;
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn server_url() -> &'static str {
    match option_env!("NATS_WS_URL") {
        Some(url) => url,
        None => panic!("NATS_WS_URL must name a running nats-server websocket"),
    }
}

/// Everything the connection reported, for assertions.
#[derive(Default)]
struct Seen {
    events: Vec<(u32, JsValue, JsValue)>,
    msgs: Vec<(u32, String)>,
    /// The INFO texts the connection asked the glue to read.
    infos: Vec<String>,
}

struct Harness {
    seen: Rc<RefCell<Seen>>,
    /// The host object the connection calls, as the glue's `host` (its closures are kept
    /// alive by `_closures`).
    host: JsValue,
    _closures: Vec<JsValue>,
    /// The connection the hooks wake, once made.
    conn: Rc<RefCell<Option<Rc<WasmConnection>>>>,
}

impl Harness {
    fn new() -> Self {
        let seen = Rc::new(RefCell::new(Seen::default()));
        let conn = Rc::new(RefCell::new(None::<Rc<WasmConnection>>));
        let s = seen.clone();
        // A batch in wasm memory (as the glue reads it): the row word count, a head flag,
        // rows of `row::STRIDE` u32s (the core's delivery fields, then whether the offsets
        // point into `frame` (0) or the head (1)), then with the flag the head's address and
        // length.
        let on_msgs = Closure::<dyn FnMut(JsValue, u32)>::new(move |frame: JsValue, at: u32| {
            let memory: js_sys::WebAssembly::Memory = wasm_bindgen::memory().unchecked_into();
            let all = Uint32Array::new(&memory.buffer());
            let start = at / 4 + batch::ROWS;
            let end = start + all.get_index(at / 4 + batch::WORDS);
            let words = all.subarray(start, end).to_vec();
            let head = (all.get_index(at / 4 + batch::HEAD) != 0).then(|| {
                let (ptr, len) = (all.get_index(end), all.get_index(end + 1));
                Uint8Array::new(&memory.buffer()).slice(ptr, ptr + len)
            });
            for row in words.chunks(row::STRIDE as usize) {
                let at = |field: u32| row[field as usize];
                let bytes = match (at(row::SOURCE), &head) {
                    (0, _) => frame.unchecked_ref::<Uint8Array>(),
                    (_, Some(h)) => h,
                    (_, None) => panic!("a row points into a head that was not staged"),
                };
                let payload = at(row::PAYLOAD);
                let data = bytes
                    .subarray(payload, payload + at(row::PAYLOAD + 1))
                    .to_vec();
                let data = String::from_utf8_lossy(&data).into_owned();
                s.borrow_mut().msgs.push((at(row::SID), data));
            }
        });
        let s = seen.clone();
        let on_event = Closure::<dyn FnMut(u32, JsValue, JsValue)>::new(
            move |kind: u32, a: JsValue, b: JsValue| {
                s.borrow_mut().events.push((kind, a, b));
            },
        );
        // The server strings the tests pass are WebSocket URLs already.
        let open = Closure::<dyn FnMut(String, bool) -> Result<JsValue, JsValue>>::new(
            |server: String, _gossiped: bool| web_sys::WebSocket::new(&server).map(JsValue::from),
        );
        let reconnect_delay = Closure::<dyn FnMut() -> f64>::new(|| f64::NAN);
        // The INFO's fields, read with JSON.parse as the glue reads them (`interface::info`).
        let (c, s) = (conn.clone(), seen.clone());
        let info = Closure::<dyn FnMut(String)>::new(move |text: String| {
            s.borrow_mut().infos.push(text.clone());
            let parsed = js_sys::JSON::parse(&text).unwrap();
            let fields: Array = info::ENTRIES
                .iter()
                .map(|(name, _)| {
                    let v = Reflect::get(&parsed, &name.to_lowercase().into()).unwrap();
                    if Array::is_array(&v) {
                        v.unchecked_into::<Array>().join(" ").into()
                    } else {
                        v
                    }
                })
                .collect();
            let target = c.borrow().clone();
            if let Some(conn) = target {
                conn.wake(hook::INFO, fields.into(), 0);
            }
        });
        // No credentials: the answer names the nonce and nothing else.
        let c = conn.clone();
        let authenticate = Closure::<dyn FnMut(String)>::new(move |nonce: String| {
            let target = c.borrow().clone();
            if let Some(conn) = target {
                let answer = Array::of1(&nonce.into());
                conn.wake(hook::CREDENTIALS, answer.into(), 0);
            }
        });
        // The hook functions, as the glue makes them: each calls `conn.wake(hook, data,
        // len)`, with a frame's bytes as a `Uint8Array` and their length.
        let hooks: Vec<JsValue> = (0..HOOKS as u32)
            .map(|which| {
                let conn = conn.clone();
                Closure::<dyn FnMut(JsValue)>::new(move |event: JsValue| {
                    let data = Reflect::get(&event, &"data".into()).unwrap_or(JsValue::UNDEFINED);
                    let target = conn.borrow().clone();
                    if let Some(c) = target {
                        if which == hook::FRAME {
                            let bytes = Uint8Array::new(&data);
                            let len = bytes.length();
                            c.wake(which, bytes.into(), len);
                        } else {
                            c.wake(which, JsValue::UNDEFINED, 0);
                        }
                    }
                })
                .into_js_value()
            })
            .collect();
        let host = js_sys::Object::new();
        let closures: Vec<JsValue> = vec![
            on_msgs.into_js_value(),
            on_event.into_js_value(),
            open.into_js_value(),
            reconnect_delay.into_js_value(),
            authenticate.into_js_value(),
            info.into_js_value(),
        ];
        for (name, f) in [
            "onMsgs",
            "onEvent",
            "open",
            "reconnectDelay",
            "authenticate",
            "info",
        ]
        .iter()
        .zip(&closures)
        {
            Reflect::set(&host, &(*name).into(), f).unwrap();
        }
        let hooks: Array = hooks.iter().collect();
        Reflect::set(&host, &"hooks".into(), &hooks).unwrap();
        Harness {
            seen,
            host: host.into(),
            _closures: closures,
            conn,
        }
    }

    /// Connects to `server` (a WebSocket URL) with default options, as the glue would.
    fn connect(&self, server: &str) -> Rc<WasmConnection> {
        self.connect_with(server, &[])
    }

    /// Connects with `settings`, the numbers of `interface::config` (NaN = default).
    fn connect_with(&self, server: &str, settings: &[f64]) -> Rc<WasmConnection> {
        // The glue's layout (`interface::config`): the numbers (NaN: unset), the texts (all
        // unset), then the servers.
        let config: Array = (0..config::SERVERS)
            .map(|i| match settings.get(i as usize) {
                Some(n) if i < config::NAME => JsValue::from(*n),
                _ if i < config::NAME => JsValue::from(f64::NAN),
                _ => JsValue::UNDEFINED,
            })
            .chain([server.into()])
            .collect();
        let conn = Rc::new(WasmConnection::new(
            config,
            self.host.clone().unchecked_into(),
        ));
        *self.conn.borrow_mut() = Some(conn.clone());
        conn
    }

    fn has_event(&self, kind: u32) -> bool {
        self.seen.borrow().events.iter().any(|(k, _, _)| *k == kind)
    }

    /// Waits (bounded) for the handshake to complete.
    async fn until_connected(&self) {
        self.until("connected", |s| {
            s.events.iter().any(|e| e.0 == event::CONNECTED)
        })
        .await;
    }

    /// Waits (bounded) for flush `id` to be acknowledged by the server's PONG.
    async fn until_flushed(&self, id: u32) {
        self.until("flush", |s| {
            s.events
                .iter()
                .any(|e| e.0 == event::FLUSHED && e.1.as_f64() == Some(f64::from(id)))
        })
        .await;
    }

    /// Waits (bounded) until `done` holds.
    async fn until(&self, what: &str, done: impl Fn(&Seen) -> bool) {
        for _ in 0..250 {
            if done(&self.seen.borrow()) {
                return;
            }
            TimeoutFuture::new(20).await;
        }
        panic!("timed out waiting for {what}");
    }
}

fn bytes(b: &[u8]) -> Uint8Array {
    Uint8Array::from(b)
}

/// The nats.ws code of an error as the wasm reports it: `"<code> <message>"`.
fn error_code(e: &JsValue) -> String {
    e.as_string()
        .and_then(|s| s.split(' ').next().map(str::to_string))
        .unwrap_or_default()
}

/// A method's result as the glue reads it: [`FAILED`] means its error is in `takeError()`.
fn ok(conn: &WasmConnection, result: f64) -> Result<u32, JsValue> {
    if result == FAILED {
        Err(conn.take_error())
    } else {
        Ok(result as u32)
    }
}

#[wasm_bindgen_test]
async fn handshake_pubsub_flush_and_close() {
    let h = Harness::new();
    let conn = h.connect(server_url());
    h.until_connected().await;
    // The glue was given the server's INFOs to read (nats-server sends a second one after
    // CONNECT); the Connected event names the server.
    let server = h
        .seen
        .borrow()
        .events
        .iter()
        .find(|e| e.0 == event::CONNECTED)
        .and_then(|e| e.1.as_string());
    assert_eq!(server.as_deref(), Some(server_url()));
    let infos = h.seen.borrow().infos.clone();
    assert!(
        !infos.is_empty() && infos.iter().all(|i| i.contains("server_id")),
        "{infos:?}"
    );
    let sid = ok(&conn, conn.subscribe("wasm.test", None, 0.0, 0.0)).unwrap();
    for i in 0..100 {
        let m = bytes(format!("m{i}").as_bytes());
        ok(&conn, conn.publish("wasm.test", None, None, m)).unwrap();
    }
    let flush = ok(&conn, conn.control(op::FLUSH, f64::NAN, f64::NAN)).unwrap();
    h.until_flushed(flush).await;
    {
        let seen = h.seen.borrow();
        assert_eq!(seen.msgs.len(), 100, "all messages before the flush's PONG");
        assert!(seen.msgs.iter().all(|(s, _)| *s == sid));
        assert_eq!(seen.msgs[99].1, "m99");
    }
    // inMsgs, outMsgs, inBytes, outBytes: payloads "m0".."m99" are 10 * 2 + 90 * 3 bytes.
    let stats: Vec<f64> = nats_wasm::interface::stat::ENTRIES
        .iter()
        .map(|(_, i)| conn.control(op::STATS, f64::from(*i), f64::NAN))
        .collect();
    assert_eq!(stats, [100.0, 100.0, 290.0, 290.0]);
    conn.control(op::CLOSE, f64::NAN, f64::NAN);
    assert!(h.has_event(event::CLOSED));
    let err = ok(&conn, conn.publish("wasm.test", None, None, bytes(b"x"))).unwrap_err();
    assert_eq!(error_code(&err), "CONNECTION_CLOSED");
    assert_eq!(conn.take_error(), JsValue::UNDEFINED, "taken once");
}

#[wasm_bindgen_test]
async fn bad_input_throws_coded_errors() {
    let h = Harness::new();
    let conn = h.connect(server_url());
    h.until("connected", |s| !s.events.is_empty()).await;
    let cases: [(&str, Option<Vec<u8>>, usize, &str); 4] = [
        ("a b", None, 1, "BAD_SUBJECT"),
        ("a\r\nPUB x 1", None, 1, "BAD_SUBJECT"),
        (
            "ok",
            Some(b"NATS/1.0\r\nk: v\r\nPUB x 0\r\n\r\n".to_vec()),
            1,
            "BAD_HEADER",
        ),
        ("ok", None, 1024 * 1024 + 1, "MAX_PAYLOAD_EXCEEDED"),
    ];
    for (subject, headers, len, code) in cases {
        let payload = bytes(&vec![b'x'; len]);
        let err = ok(&conn, conn.publish(subject, None, headers, payload)).unwrap_err();
        assert_eq!(error_code(&err), code, "{subject:?}");
    }
    let err = ok(&conn, conn.subscribe("a..b", None, 0.0, 0.0)).unwrap_err();
    assert_eq!(error_code(&err), "BAD_SUBJECT");
    let err = ok(
        &conn,
        conn.request("ok", None, None, b"", f64::NAN, many::ONE, 0.0),
    )
    .unwrap_err();
    assert_eq!(error_code(&err), "INVALID_OPTION");
    conn.control(op::CLOSE, f64::NAN, f64::NAN);
}

#[wasm_bindgen_test]
async fn request_timeout_fires_from_the_browser_timer() {
    let h = Harness::new();
    let conn = h.connect(server_url());
    h.until("connected", |s| !s.events.is_empty()).await;
    // A subscriber that never answers keeps the server from sending "no responders".
    let _sid = ok(&conn, conn.subscribe("wasm.silent", None, 0.0, 0.0)).unwrap();
    let id = ok(
        &conn,
        conn.request("wasm.silent", None, None, b"?", 100.0, many::ONE, 0.0),
    )
    .unwrap();
    h.until("request timeout", |s| {
        s.events.iter().any(|e| {
            e.0 == event::REQUEST_FAILED
                && e.1.as_f64() == Some(f64::from(id))
                && error_code(&e.2) == "TIMEOUT"
        })
    })
    .await;
    conn.control(op::CLOSE, f64::NAN, f64::NAN);
}

#[wasm_bindgen_test]
async fn unreachable_server_reports_connection_refused() {
    let h = Harness::new();
    // Port 9 (discard) on loopback: nothing listens there.
    let _conn = h.connect("ws://127.0.0.1:9");
    h.until("close", |s| !s.events.is_empty()).await;
    let seen = h.seen.borrow();
    let (kind, err, _) = &seen.events[0];
    assert_eq!(*kind, event::CLOSED);
    assert_eq!(error_code(err), "CONNECTION_REFUSED");
}

/// The constructor's `settings` reach the core: with `noEcho` set, a connection
/// does not receive its own messages; the flush's PONG proves they had time to come back.
#[wasm_bindgen_test]
async fn settings_reach_the_core() {
    let h = Harness::new();
    let mut settings = [f64::NAN; config::NAME as usize];
    settings[config::NO_ECHO as usize] = 1.0;
    let conn = h.connect_with(server_url(), &settings);
    h.until_connected().await;
    ok(&conn, conn.subscribe("wasm.noecho", None, 0.0, 0.0)).unwrap();
    ok(&conn, conn.publish("wasm.noecho", None, None, bytes(b"x"))).unwrap();
    let flush = ok(&conn, conn.control(op::FLUSH, f64::NAN, f64::NAN)).unwrap();
    h.until_flushed(flush).await;
    assert!(
        h.seen.borrow().msgs.is_empty(),
        "noEcho: no message comes back"
    );
    conn.control(op::CLOSE, f64::NAN, f64::NAN);
}
