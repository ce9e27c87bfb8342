//! The sans-IO NATS protocol core: plain Rust, no JS, no sockets, no clock.
//!
//! Bytes and `now` go in; bytes to send, events and timer deadlines come out. Everything here
//! is tested on the host with `cargo test` and builds for `wasm32-unknown-unknown` unchanged.
//! Imports point inward only: `conn` uses the others; none of them uses `conn`.

pub mod conn;
pub mod encode;
pub mod error;
pub mod fifo;
pub mod headers;
pub mod intmap;
pub mod jetstream;
#[cfg(feature = "std")]
pub mod json;
pub mod parser;
#[cfg(all(test, not(target_arch = "wasm32")))]
mod props;
pub mod rng;
pub mod servers;
pub mod subject;
pub mod text;

pub use conn::{Connection, Event, Many, Options, RequestOptions, ServerInfo, State, Stats};
pub use encode::Credentials;
pub use error::{Error, ErrorCode};
