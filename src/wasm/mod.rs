//! The browser edge: everything that touches JS, the WebSocket or the clock.
//!
//! - `transport`: the WebSocket and its owned listeners.
//! - `client`: `WasmConnection`, which drives `proto::Connection` from socket frames and one
//!   timer, and hands batches to the JS glue.
//! - `timer`: the one re-armable browser timer a connection needs.
//!
//! Imports point one way: `wasm` uses `proto`, never the reverse.

pub mod client;
pub mod timer;
pub mod transport;
