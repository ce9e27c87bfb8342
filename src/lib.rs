//! nats-wasm: a NATS client for web browsers.
//!
//! - [`proto`]: the sans-IO protocol core (parser, encoder, headers, subjects, NUIDs and the
//!   connection state machine), usable and tested on any target.
//! - [`interface`]: the numbers the wasm edge and the JS glue agree on, from which the glue's
//!   `lib/interface.js` is generated.
//! - `wasm` (wasm32 only): the browser edge, a WebSocket transport, timers and the
//!   `#[wasm_bindgen]` classes that the npm package's JS glue wraps.

// A panic kills the wasm module and every connection in the page: shipped code handles every
// failure as an error instead. `unwrap`/`expect` appear only in tests.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]
// The shipped wasm is built without the `std` feature (see Cargo.toml): only `core` and `alloc`.
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

#[cfg(all(target_arch = "wasm32", not(feature = "std")))]
mod bare;
#[cfg(any(test, all(target_arch = "wasm32", not(feature = "std"))))]
mod heap;
pub mod interface;
mod prelude;
pub mod proto;

#[cfg(target_arch = "wasm32")]
pub mod wasm;
