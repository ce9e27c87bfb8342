//! nats-wasm: a NATS client for web browsers.
//!
//! - [`proto`]: the sans-IO protocol core (parser, encoder, headers, subjects, NUIDs and the
//!   connection state machine), usable and tested on any target.
//! - `wasm` (wasm32 only): the browser edge, a WebSocket transport, timers and the
//!   `#[wasm_bindgen]` classes that the npm package's JS glue wraps.

pub mod proto;

#[cfg(target_arch = "wasm32")]
pub mod wasm;
