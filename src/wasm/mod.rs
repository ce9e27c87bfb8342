//! The browser edge: everything that touches JS, the WebSocket or the clock.
//!
//! - `client`: `WasmConnection`, the class the glue drives: the application's calls and
//!   `wake` for the hook functions.
//! - `host`: the glue's object for one connection (what the edge calls), and reading what
//!   the glue hands over (options, credentials).
//! - `driver`: drives the core from socket frames and one timer, and hands JS what it
//!   produced, without holding a borrow while JS runs.
//! - `batch`: delivery rows and events in the shape JS reads them.
//! - `transport`: the WebSocket and its owned listeners.
//! - `timer`: the one re-armable browser timer a connection needs.
//!
//! Imports point one way: `wasm` uses `proto` and `interface`, never the reverse.

pub mod batch;
pub mod client;
pub mod driver;
pub mod host;
pub mod timer;
pub mod transport;
