//! The one browser timer a connection needs, re-armed for the core's next deadline.
//!
//! The callback is a JS function the glue made once (it calls back into the connection, see
//! `client::hook`); re-arming allocates nothing, and dropping the timer clears whatever
//! timeout is pending, so a closed connection leaves none behind.

use js_sys::Function;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    // Handles are numbers in browsers and objects in Node: kept as opaque `JsValue`s.
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(handler: &Function, ms: u32) -> JsValue;
    #[wasm_bindgen(js_name = clearTimeout)]
    fn clear_timeout(handle: &JsValue);
}

/// A re-armable timeout that calls one callback.
pub struct Timer {
    callback: Function,
    /// The deadline (core milliseconds) and handle of the pending timeout.
    pending: Option<(u64, JsValue)>,
}

impl Timer {
    /// A timer that calls `on_fire`; nothing is pending until [`Timer::arm`].
    pub fn new(on_fire: Function) -> Self {
        Timer {
            callback: on_fire,
            pending: None,
        }
    }

    /// The deadline of the pending timeout.
    pub fn deadline(&self) -> Option<u64> {
        self.pending.as_ref().map(|(at, _)| *at)
    }

    /// Fires after `delay_ms` for `deadline`, replacing any pending timeout.
    pub fn arm(&mut self, deadline: u64, delay_ms: u32) {
        self.cancel();
        let handle = set_timeout(&self.callback, delay_ms);
        self.pending = Some((deadline, handle));
    }

    /// Clears the pending timeout, if any.
    pub fn cancel(&mut self) {
        if let Some((_, handle)) = self.pending.take() {
            clear_timeout(&handle);
        }
    }

    /// Forgets the timeout that just fired (there is nothing left to clear).
    pub fn fired(&mut self) {
        self.pending = None;
    }
}

impl Drop for Timer {
    fn drop(&mut self) {
        self.cancel();
    }
}

impl core::fmt::Debug for Timer {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Timer").finish_non_exhaustive()
    }
}
