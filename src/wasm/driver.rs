//! Drives the core from the browser: frames in, bytes out, the timer, the transport's life,
//! and JS told what happened, in the order the core's contract states.
//!
//! Re-entrancy rule: JS is only ever called while no `RefCell` borrow is held, because JS
//! callbacks call back into the connection (a message handler publishing a reply, say).
//! Work is collected under the borrow ([`drive`]), then handed to JS after it is released
//! ([`settle`]).

use alloc::rc::Rc;
use core::cell::{RefCell, RefMut};

use js_sys::{Function, Uint8Array};
use wasm_bindgen::prelude::*;

use super::batch::{event_for_js, stage_deliveries, Outgoing};
use super::host::Host;
use super::timer::Timer;
use super::transport::Transport;
use crate::interface::{hook, HOOKS};
use crate::prelude::*;
use crate::proto::Connection;

/// Output larger than this is sent at once instead of waiting for the microtask flush: big
/// sends keep the per-send cost off large payloads (256 KiB against 64 KiB: 0.97x against
/// 0.81x the raw ceiling publishing 16 KiB in bench/). The output buffer is sized for it once
/// (`reserve_output`), so it does not double its way up through wasm memory.
pub const SEND_NOW_BYTES: usize = 256 * 1024;

/// Bytes of a frame copied into wasm memory at a time. Servers send browsers frames of at
/// most 4 KiB, so this splits only unusual frames, and a hostile 10 MiB one is refused after
/// its first chunk instead of growing wasm memory (which never shrinks) by its size.
const INPUT_CHUNK: u32 = 64 * 1024;

#[wasm_bindgen]
extern "C" {
    /// `queueMicrotask`, present in windows and workers alike.
    #[wasm_bindgen(js_name = queueMicrotask)]
    fn queue_microtask(f: &Function);

    /// `Uint8Array.prototype.set.call(dst, src)`: copies `src` into wasm memory at `dst`,
    /// which must be exactly as long. js-sys's `copy_to` is this after an `assert_eq!` of the
    /// lengths, whose panic formatting cost the wasm 0.2 KB gzip; both callers size `dst`
    /// from `src`.
    #[wasm_bindgen(js_namespace = Uint8Array, js_name = "prototype.set.call")]
    pub fn copy_into(dst: &mut [u8], src: &Uint8Array);
}

/// Milliseconds since the epoch: wall clock, so throttled timers in background tabs still
/// measure real elapsed time.
pub fn now() -> u64 {
    js_sys::Date::now() as u64
}

/// The hook functions, by [`hook`] position.
#[derive(Debug)]
pub struct Hooks([Function; HOOKS]);

impl Hooks {
    /// Reads them from the glue's array.
    pub fn new(functions: &js_sys::Array) -> Self {
        Hooks(core::array::from_fn(|i| {
            functions.get(i as u32).unchecked_into()
        }))
    }

    /// `which` is one of the [`hook`] constants up to `FLUSH`. `get` rather than indexing,
    /// which linked a panic path.
    pub fn get(&self, which: u32) -> &Function {
        let [first, ..] = &self.0;
        self.0.get(which as usize).unwrap_or(first)
    }
}

/// A connection's state on the edge: the core and what drives it.
#[derive(Debug)]
pub struct Inner {
    /// The protocol core.
    pub core: Connection,
    transport: Option<Transport>,
    /// The glue's object (behind an `Rc`: [`settle`] takes it out of the borrow after every
    /// input, and cloning a JS value is a call out of wasm, dropping it another).
    pub host: Rc<Host>,
    timer: Timer,
    flush_scheduled: bool,
    /// The glue's functions that call `WasmConnection::wake` (see [`hook`]).
    hooks: Hooks,
    /// The subject of the last plain `publish` (no reply, no headers), for `publishAgain`.
    pub last_subject: String,
    /// The wall clock read once per `drive` (every step of one input sees the same time).
    pub now: u64,
    /// The frame chunk just committed to the core and where it starts in the core's input,
    /// so messages wholly inside it are handed to JS as views of it (no copy out of wasm).
    frame: Option<(Uint8Array, usize)>,
    /// Delivery batches for JS, read by JS straight from wasm memory.
    rows: Vec<u32>,
    /// The ack records of the batches' consumer messages, read by JS the same way.
    acks: Vec<f64>,
}

impl Inner {
    /// The edge around `core`, reporting to `host`.
    pub fn new(core: Connection, host: Host, hooks: Hooks) -> Self {
        Inner {
            core,
            transport: None,
            host: Rc::new(host),
            timer: Timer::new(hooks.get(hook::TIMER).clone()),
            flush_scheduled: false,
            hooks,
            last_subject: String::new(),
            now: 0,
            frame: None,
            rows: Vec::new(),
            acks: Vec::new(),
        }
    }

    /// Sends what the core hands out, if the socket is open, and tells the core how much
    /// the socket still holds (its `bufferedAmount`: the core stops handing bytes out while
    /// it is high). With nothing to send and no backlog to watch it asks the socket nothing:
    /// this runs after every received frame, and each question is a call out of wasm.
    pub fn transmit(&mut self) {
        let bytes = self.core.poll_transmit();
        if bytes.is_empty() && !self.core.backlog_watched() {
            return;
        }
        let Some(t) = self.transport.as_ref().filter(|t| t.is_open()) else {
            return;
        };
        if !bytes.is_empty() && t.send(bytes).is_ok() {
            self.core.clear_transmit();
        }
        let backlog = t.buffered_amount() as usize;
        self.core.handle_backlog(backlog, self.now);
    }

    /// Sends at once when a lot is queued, else once at the end of this task.
    #[inline(never)]
    pub fn schedule_transmit(&mut self) {
        if self.core.poll_transmit().len() >= SEND_NOW_BYTES {
            self.transmit();
        }
        self.schedule_flush_task();
    }

    /// Sends what is queued at the end of this task (never now); while the socket's backlog
    /// holds it back, the timer looks again instead.
    pub fn schedule_flush_task(&mut self) {
        if self.flush_scheduled {
            return;
        }
        if self.core.poll_transmit().is_empty() {
            if self.core.transmit_blocked() {
                self.arm_timer();
            }
            return;
        }
        self.flush_scheduled = true;
        queue_microtask(self.hooks.get(hook::FLUSH));
    }

    /// The end-of-task flush ran.
    pub fn flush_task(&mut self) {
        self.flush_scheduled = false;
        self.now = now();
        self.transmit();
        self.arm_timer();
    }

    /// Collects the core's output after an input: deliveries first, then events (after
    /// sending, whose backlog report may end a close).
    #[inline(never)]
    fn collect(&mut self, out: &mut Vec<Outgoing>) {
        let frame = self.frame.take();
        if let Some(msgs) = stage_deliveries(&mut self.core, &mut self.rows, &mut self.acks, frame)
        {
            out.push(msgs);
        }
        self.transmit();
        let mut released = false;
        while let Some(ev) = self.core.poll_event() {
            released |= matches!(ev, crate::proto::Event::Released);
            out.push(event_for_js(&self.core, ev));
        }
        if released {
            self.shut_down();
        } else {
            self.arm_timer();
        }
    }

    /// Closes the transport when the core asks, and opens one when it is time to dial.
    /// Returns true when that produced new core output to collect.
    #[inline(never)]
    fn manage_transport(&mut self) -> bool {
        let mut changed = false;
        for _ in 0..8 {
            if self.core.wants_transport_closed() {
                self.transmit();
                if let Some(t) = self.transport.take() {
                    t.close();
                }
                self.transport_closed();
                changed = true;
                continue;
            }
            let Some(server) = self.core.poll_dial(self.now) else {
                break;
            };
            changed = true;
            let gossiped = self.core.current_server_gossiped();
            match self.host.open(&server, gossiped) {
                Ok(ws) => {
                    let t = Transport::new(
                        ws,
                        [hook::FRAME, hook::CLOSED, hook::ERROR].map(|h| self.hooks.get(h)),
                    );
                    self.core.set_transport_secure(t.is_secure());
                    self.transport = Some(t);
                }
                Err(_) => self.transport_closed(),
            }
        }
        changed
    }

    /// The transport is gone: the core decides what follows, after the glue's
    /// `reconnectDelayHandler` had its say.
    pub fn transport_closed(&mut self) {
        self.transport = None;
        let ms = self.host.reconnect_delay();
        if ms.is_finite() && ms >= 0.0 {
            self.core.set_reconnect_delay(ms.min(1e12) as u64);
        }
        self.core.handle_transport_closed(self.now);
    }

    /// The timer fired: the socket's backlog is looked at again, then the core's deadlines.
    pub fn timer_fired(&mut self) {
        self.timer.fired();
        self.transmit();
        self.core.handle_timeout(self.now);
    }

    /// After the core closed and released the transport (what was queued has left): close
    /// the socket and drop the timer. Listeners are detached when the transport is dropped.
    fn shut_down(&mut self) {
        self.timer.cancel();
        if let Some(t) = self.transport.take() {
            t.close();
        }
    }

    /// Keeps one browser timer armed for the core's next deadline.
    pub fn arm_timer(&mut self) {
        let Some(deadline) = self.core.poll_timeout() else {
            self.timer.cancel();
            return;
        };
        if self.timer.deadline() == Some(deadline) {
            return;
        }
        // setTimeout takes a signed 32-bit delay.
        let delay = deadline.saturating_sub(now()).min(i32::MAX as u64) as u32;
        self.timer.arm(deadline, delay);
    }
}

/// Runs `f` on the core under a borrow, then hands the results to JS without it
/// ([`settle`]). Generic and inlined: per call site it is a borrow and a call.
#[inline(always)]
pub fn drive(inner: &Rc<RefCell<Inner>>, f: impl FnOnce(&mut Inner)) {
    let Ok(mut i) = inner.try_borrow_mut() else {
        return;
    };
    i.now = now();
    f(&mut i);
    settle(i);
}

/// The second half of [`drive`]: collects what the core produced, releases the borrow, then
/// calls JS with it, in the core's order (deliveries, events, an `INFO` to read, a nonce to
/// sign).
#[inline(never)]
fn settle(mut i: RefMut<'_, Inner>) {
    let mut out = Vec::new();
    i.collect(&mut out);
    if i.manage_transport() {
        i.collect(&mut out);
    }
    // A frame without messages (a PONG, say) is not kept alive until the next one.
    i.frame = None;
    let info = i.core.poll_info().map(String::from);
    let nonce = i.core.poll_auth_request();
    // Rows are read by JS from wasm memory: where they are now (nothing below moves them:
    // only feeding a frame adds rows, and frames never arrive inside a JS callback).
    let rows_at = i.rows.as_ptr() as usize;
    let host = i.host.clone();
    drop(i);
    for item in out {
        // A throwing JS handler must not stop the others from running.
        let _ = match item {
            Outgoing::Msgs { first, frame } => host.on_msgs(&frame, (rows_at + first * 4) as u32),
            Outgoing::Event(kind, a, b) => host.on_event(kind, &a, &b),
        };
    }
    // The glue reads an INFO's JSON and answers through `wake` at once; the handshake waits
    // for credentials, which the glue answers through `wake` when it has them.
    if let Some(text) = info {
        host.info(&text);
    }
    if let Some(nonce) = nonce {
        host.authenticate(&nonce);
    }
}

/// Hands one WebSocket frame to the core in chunks, delivering what each chunk completed
/// before copying the next (the core reuses its buffer), and stops once the core refuses
/// input or another transport has replaced the one this frame came from.
/// `len` is `bytes.length`, from the glue: each call out of wasm costs, and this runs per frame.
pub fn feed_frame(inner: &Rc<RefCell<Inner>>, bytes: Uint8Array, len: u32) {
    let mut generation = None;
    match len {
        0 => {}
        // Nearly every frame is one chunk: fed as it is, with no `subarray` (nor a clone of
        // the JS value, which is a call out of wasm too).
        1..=INPUT_CHUNK => {
            feed_chunk(inner, bytes, len, &mut generation);
        }
        _ => {
            let mut offset = 0;
            while offset < len {
                let end = len.min(offset + INPUT_CHUNK);
                let chunk = bytes.subarray(offset, end);
                if !feed_chunk(inner, chunk, end - offset, &mut generation) {
                    break;
                }
                offset = end;
            }
        }
    }
}

/// Copies one chunk of `n` bytes into the core and delivers what it completed. False once
/// the core refuses input, or when the transport is no longer the one that was current at
/// the frame's first chunk (`generation`, set then).
fn feed_chunk(
    inner: &Rc<RefCell<Inner>>,
    chunk: Uint8Array,
    n: u32,
    generation: &mut Option<u64>,
) -> bool {
    let mut go_on = false;
    drive(inner, |i| {
        let current = i.core.transport_generation();
        if *generation.get_or_insert(current) != current || !i.core.accepts_input() {
            return;
        }
        let n = n as usize;
        copy_into(i.core.input_slot(n), &chunk);
        let start = i.core.input_len() - n;
        i.rows.clear();
        i.acks.clear();
        i.frame = Some((chunk, start));
        i.core.commit_input(i.now);
        go_on = i.core.accepts_input();
    });
    go_on
}
