//! `WasmConnection`: the class the JS glue drives, one per connection.
//!
//! Its methods are the application's calls into the core (publish, subscribe, request, and
//! `control(op, a, b)` for the rest) and `wake(which, data, len)` for the hook functions;
//! everything comes back through the host object (see [`super::host`]) once per batch.
//! Methods return numbers only: -1 ([`FAILED`]) for a failure, whose error `takeError()`
//! returns, so wasm-bindgen passes no `Result` through memory and builds no JS `Error`.

use alloc::rc::Rc;
use core::cell::RefCell;
use core::num::NonZeroU64;

use js_sys::{Array, Uint8Array};
use wasm_bindgen::prelude::*;

use super::batch::to_js_error;
use super::driver::{copy_into, drive, feed_frame, now, Hooks, Inner, SEND_NOW_BYTES};
use super::host::{core_options, credentials_from_js, server_info_from_js, Host};
use crate::interface::{hook, many, op, stat, FAILED};
use crate::prelude::*;
use crate::proto::jetstream::PullOptions;
use crate::proto::{text, Connection, Error, ErrorCode, Many, RequestOptions};

/// The error of a call into the connection made while it was already running one (a JS
/// callback calling back in where that is not supported).
#[inline(never)]
fn reentered() -> Error {
    Error::new(ErrorCode::Unknown, "re-entrant call into the connection")
}

/// A numeric option of a call, checked one way for all: a finite number of at least `min`
/// (as a count, negative is 0), else `INVALID_OPTION` naming it. The glue has applied nats.ws defaults and passes NaN for
/// anything that is not a number.
fn number(name: &str, value: f64, min: f64) -> Result<u64, Error> {
    if value.is_finite() && value >= min {
        return Ok(value.min(1e15) as u64);
    }
    Err(Error::new(
        ErrorCode::InvalidOption,
        text::concat(&["option '", name, "' must be a finite number in range"]),
    ))
}

/// A seed for the core's shuffling and jitter.
fn random_seed() -> u64 {
    let hi = (js_sys::Math::random() * 4_294_967_296.0) as u64;
    let lo = (js_sys::Math::random() * 4_294_967_296.0) as u64;
    (hi << 32) ^ lo ^ now()
}

/// One connection to one server. Created by the JS glue's `connect()`.
#[wasm_bindgen]
pub struct WasmConnection {
    inner: Rc<RefCell<Inner>>,
    /// The error of the last method that returned [`FAILED`].
    failure: core::cell::Cell<Option<Error>>,
}

impl core::fmt::Debug for WasmConnection {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("WasmConnection").finish_non_exhaustive()
    }
}

#[wasm_bindgen]
impl WasmConnection {
    /// Starts connecting to the servers at the end of `config` (see `interface::config`:
    /// options arrive checked and flattened by the glue, since parsing a JS object here cost
    /// the wasm more than the glue's few lines). `host` is the glue's side of the connection
    /// (see [`Host`]); its `hooks` call [`WasmConnection::wake`].
    #[wasm_bindgen(constructor)]
    pub fn new(config: Array, host: Host) -> WasmConnection {
        let mut core = Connection::new(core_options(&config, random_seed()), now());
        // Room for what accumulates before a send, plus the publish that crosses the line.
        core.reserve_output(SEND_NOW_BYTES + 16 * 1024);
        let hooks = Hooks::new(&host.hooks());
        let inner = Rc::new(RefCell::new(Inner::new(core, host, hooks)));
        // The first dial happens on the timer, at once, after this constructor returns.
        if let Ok(mut i) = inner.try_borrow_mut() {
            i.arm_timer();
        }
        WasmConnection {
            inner,
            failure: core::cell::Cell::new(None),
        }
    }

    /// What the hook functions call (see `interface::hook`): a socket frame or close, the
    /// timer, the end-of-task flush; and the glue's answer to `authenticate`. For a frame,
    /// `data` is its bytes as a `Uint8Array` and `len` their length (the glue reads it:
    /// asking JS for it from here would be one more call out).
    pub fn wake(&self, which: u32, data: JsValue, len: u32) {
        match which {
            hook::FRAME => feed_frame(&self.inner, data.unchecked_into(), len),
            hook::CLOSED => drive(&self.inner, Inner::transport_closed),
            hook::TIMER => drive(&self.inner, Inner::timer_fired),
            hook::FLUSH => {
                if let Ok(mut i) = self.inner.try_borrow_mut() {
                    i.flush_task();
                }
            }
            hook::INFO => {
                let info = server_info_from_js(&data);
                drive(&self.inner, |i| i.core.provide_info(info));
            }
            hook::CREDENTIALS => {
                let (nonce, credentials) = credentials_from_js(&data);
                drive(&self.inner, |i| match credentials {
                    Ok(c) => i.core.provide_auth(&nonce, c),
                    Err(e) => i.core.auth_failed(&nonce, e),
                });
            }
            _ => {}
        }
    }

    /// The error of the last method that returned [`FAILED`] (-1), as `"<code> <message>"`.
    #[wasm_bindgen(js_name = takeError)]
    pub fn take_error(&self) -> JsValue {
        self.failure
            .take()
            .as_ref()
            .map_or(JsValue::UNDEFINED, to_js_error)
    }

    /// A method's result for JS: the value, or [`FAILED`] with the error kept for
    /// `takeError()`.
    #[inline(never)]
    fn outcome(&self, result: Result<u32, Error>) -> f64 {
        match result {
            Ok(value) => value.into(),
            Err(e) => {
                self.failure.set(Some(e));
                FAILED
            }
        }
    }

    /// Runs `f` under a borrow, then schedules sending what it queued; see [`Self::outcome`].
    /// Generic and inlined: what is left of it per method is a borrow and two calls.
    #[inline(always)]
    fn with(&self, f: impl FnOnce(&mut Inner) -> Result<u32, Error>) -> f64 {
        let result = match self.inner.try_borrow_mut() {
            Ok(mut i) => {
                let out = f(&mut i);
                i.schedule_transmit();
                out
            }
            Err(_) => Err(reentered()),
        };
        self.outcome(result)
    }

    /// Publishes; fails with `BAD_SUBJECT`, `BAD_HEADER`, `MAX_PAYLOAD_EXCEEDED` or
    /// `CONNECTION_CLOSED` before anything is written. `payload` is taken by value: a
    /// borrowed JS argument costs wasm-bindgen's glue a stack of its own.
    pub fn publish(
        &self,
        subject: &str,
        reply: Option<String>,
        headers: Option<Vec<u8>>,
        payload: Uint8Array,
    ) -> f64 {
        self.with(|i| {
            // One copy: from the JS array straight into the output buffer.
            let len = payload.length() as usize;
            let slot = i
                .core
                .publish_slot(subject, reply.as_deref(), headers.as_deref(), len)?;
            copy_into(slot, &payload);
            if reply.is_none() && headers.is_none() && i.last_subject != subject {
                i.last_subject.clear();
                i.last_subject.push_str(subject);
            }
            Ok(0)
        })
    }

    /// The fast path of the common case, many messages to one subject: publishes `len` bytes
    /// to the subject of the last plain `publish` and returns the offset in wasm memory where
    /// JS must write the payload at once, before any other call. 0 means the fast path does
    /// not apply (no subject yet, closed, too big, buffer full): JS then calls `publish`,
    /// which reports the coded error. Saves passing and checking the subject string.
    #[wasm_bindgen(js_name = publishAgain)]
    pub fn publish_again(&self, len: u32) -> u32 {
        let Ok(mut guard) = self.inner.try_borrow_mut() else {
            return 0;
        };
        let i = &mut *guard;
        // Nothing may be sent between handing out the slot and JS filling it, so send what
        // is due first, and afterwards only schedule.
        if i.core.poll_transmit().len() >= SEND_NOW_BYTES {
            i.transmit();
        }
        if i.last_subject.is_empty() {
            return 0;
        }
        let at = match i
            .core
            .publish_slot(&i.last_subject, None, None, len as usize)
        {
            Ok(slot) => slot.as_mut_ptr() as u32,
            Err(_) => return 0,
        };
        i.schedule_flush_task();
        at
    }

    /// Subscribes; returns the sid. `max` and `timeout` (ms) of 0 mean none; anything but a
    /// finite number of at least 0 is `INVALID_OPTION`.
    pub fn subscribe(&self, subject: &str, queue: Option<String>, max: f64, timeout: f64) -> f64 {
        let t = now();
        self.with(|i| {
            let max = Some(number("max", max, 0.0)?).filter(|m| *m > 0);
            let timeout = Some(number("timeout", timeout, 0.0)?).filter(|t| *t > 0);
            let sid = i
                .core
                .subscribe(subject, queue.as_deref(), max, timeout, t)?;
            i.arm_timer();
            Ok(sid as u32)
        })
    }

    /// Sends a request; returns its id. `inbox` makes it a `noMux` request answered there;
    /// `many` says how it ends (see `interface::many`), with `limit` its count or jitter;
    /// `timeout` (ms, at least 1) is its deadline, or for many replies `maxWait`.
    // Seven plain arguments: an options object would be read field by field (a call out of
    // wasm each), and an array of mixed types costs wasm-bindgen conversion code of its own.
    #[allow(clippy::too_many_arguments)]
    pub fn request(
        &self,
        subject: &str,
        inbox: Option<String>,
        headers: Option<Vec<u8>>,
        payload: &[u8],
        timeout: f64,
        how: u32,
        limit: f64,
    ) -> f64 {
        let t = now();
        self.with(|i| {
            let timeout = number("timeout", timeout, 1.0)?;
            let many = match how {
                many::ONE => None,
                many::COUNT => Some(
                    NonZeroU64::new(number("maxMessages", limit, -1.0)?)
                        .map_or(Many::Timer, Many::Count),
                ),
                many::JITTER => Some(Many::Jitter(number("jitter", limit, 1.0)?)),
                many::SENTINEL => Some(Many::Sentinel),
                _ => Some(Many::Timer),
            };
            let opts = RequestOptions {
                timeout,
                many,
                inbox,
            };
            let id = i
                .core
                .request(subject, headers.as_deref(), payload, opts, t)?;
            i.arm_timer();
            Ok(id)
        })
    }

    /// Starts a JetStream pull consumer (`consume()`, `fetch()`, `next()`): subscribes to
    /// `inbox` and pulls from `next`, its `MSG.NEXT` subject; returns the sid its messages
    /// are delivered with, each with an ack record (see `interface::ack`); what happens to
    /// it comes as `CONSUMER_*` events. `numbers` are, in order: `max_messages`,
    /// `max_bytes`, `expires` (ms), `idle_heartbeat` (ms), `threshold_messages`,
    /// `threshold_bytes`, then flags (1: pull again, `consume()`, else end after one pull,
    /// `fetch()`; 2: a push consumer, which is not pulled; 4: `no_wait`), then 0, or for an
    /// ordered consumer 1 + the last consumer sequence it delivered (0 for a new consumer).
    pub fn consume(&self, inbox: &str, next: &str, numbers: Array) -> f64 {
        let t = now();
        // The glue checked and defaulted them (nats.ws's pull options): a saturating cast.
        let n = |k: u32| numbers.get(k).as_f64().map_or(0, |v| v as u64);
        let opts = PullOptions {
            max_messages: n(0),
            max_bytes: n(1),
            expires: n(2),
            idle_heartbeat: n(3),
            threshold_messages: n(4),
            threshold_bytes: n(5),
            refill: n(6) & 1 != 0,
            push: n(6) & 2 != 0,
            no_wait: n(6) & 4 != 0,
            // 1 + the last consumer sequence delivered, for an ordered consumer.
            ordered: n(7).checked_sub(1),
        };
        self.with(|i| {
            let sid = i.core.consume(inbox, next, opts, t)?;
            i.arm_timer();
            Ok(sid as u32)
        })
    }

    /// The connection's operations that take at most two numbers, by `interface::op`
    /// position (`a` and `b` as each lists; NaN when not given). One export for them all:
    /// each export cost a shim in the wasm and a method in wasm-bindgen's glue. Returns what
    /// the operation does, or [`FAILED`] (see `takeError()`); 0 when it returns nothing.
    pub fn control(&self, which: u32, a: f64, b: f64) -> f64 {
        // Ids and sids are u32s the glue got from this object; anything else matches none.
        let id = a as u32;
        match which {
            op::UNSUBSCRIBE => self.with(|i| {
                let max = number("max", b, 0.0)?;
                Ok(u32::from(i.core.unsubscribe(id.into(), Some(max))))
            }),
            op::DRAIN_SUBSCRIPTION => self.with(|i| i.core.drain_subscription(id.into())),
            op::CANCEL_REQUEST => self.with(|i| {
                i.core.cancel_request(id);
                Ok(0)
            }),
            op::FLUSH => self.with(|i| i.core.flush()),
            op::DRAIN => self.with(|i| i.core.drain().map(|()| 0)),
            // The operations that drive the connection: one arm, one instance of `drive`
            // (each instance costs the wasm a copy).
            op::RECONNECT
            | op::REAUTHENTICATE
            | op::SET_ONLINE
            | op::CHECK_LIVENESS
            | op::CLOSE
            | op::CONSUMER_RESET => {
                let mut result = Ok(());
                drive(&self.inner, |i| {
                    let now = i.now;
                    let core = &mut i.core;
                    result = match which {
                        op::RECONNECT => core.force_reconnect(),
                        op::REAUTHENTICATE => core.reauthenticate(now),
                        _ => {
                            match which {
                                op::SET_ONLINE => core.set_online(a == 1.0, now),
                                op::CHECK_LIVENESS => {
                                    core.check_liveness(now, crate::proto::conn::LIVENESS_DEADLINE)
                                }
                                op::CONSUMER_RESET => core.consumer_reset(id.into(), now),
                                _ => {
                                    i.transmit();
                                    i.core.close();
                                }
                            }
                            Ok(())
                        }
                    }
                });
                self.outcome(result.map(|()| 0))
            }
            op::STATS => self.inner.try_borrow().map_or(0.0, |i| {
                let s = i.core.stats();
                let n = match id {
                    stat::IN_MSGS => s.in_msgs,
                    stat::OUT_MSGS => s.out_msgs,
                    stat::IN_BYTES => s.in_bytes,
                    _ => s.out_bytes,
                };
                n as f64
            }),
            op::CONSUMER_STOP => self.with(|i| {
                i.core.consumer_stop(id.into());
                Ok(0)
            }),
            _ => 0.0,
        }
    }
}
