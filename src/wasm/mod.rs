//! The browser edge: everything that touches JS, the WebSocket or the clock.
//!
//! - `transport`: the WebSocket and its owned listeners.
//! - `client`: `WasmConnection`, which drives `proto::Connection` from socket frames and one
//!   timer, and hands batches to the JS glue.
//! - `url`: nats.ws server-string normalisation.
//!
//! Imports point one way: `wasm` uses `proto`, never the reverse.

pub mod client;
pub mod transport;
pub mod url;
