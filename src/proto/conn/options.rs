//! What the core is configured with: the edge maps the user's nats.ws options onto these.

use crate::prelude::*;
use crate::proto::encode::ConnectFields;

/// Client settings the core needs; the edge maps JS options onto these.
#[derive(Debug, Clone)]
pub struct Options {
    /// CONNECT fields chosen by the user (name, verbose, pedantic, echo, credentials).
    pub connect: ConnectFields,
    /// Milliseconds between client PINGs.
    pub ping_interval: u64,
    /// Unanswered PINGs tolerated before the connection is stale.
    pub max_ping_out: u32,
    /// Milliseconds for the handshake to finish.
    pub timeout: u64,
    /// The inbox of the shared reply subscription: requests subscribe `<inbox>.*` and are
    /// answered on `<inbox>.<id>`. The glue makes it (with nats.ws `inboxPrefix`): it owns
    /// inboxes and NUIDs, which users make too.
    pub mux_inbox: String,
    /// Seed for server shuffling and jitter (from a random source at the edge).
    pub seed: u64,
    /// Servers to dial, as given by the user.
    pub servers: Vec<String>,
    /// Reconnect after losing a connection that was up.
    pub reconnect: bool,
    /// Failed attempts per server before it leaves the pool; negative: never.
    pub max_reconnect_attempts: i64,
    /// Milliseconds between attempts on the same server.
    pub reconnect_time_wait: u64,
    /// Up to this many extra random milliseconds per wait.
    pub reconnect_jitter: u64,
    /// Dial servers in the order given.
    pub no_randomize: bool,
    /// Ignore the cluster's `connect_urls`.
    pub ignore_cluster_updates: bool,
    /// Keep retrying servers that fail before the first successful connect.
    pub wait_on_first_connect: bool,
    /// Bytes of publishes kept while disconnected.
    pub reconnect_buf_size: usize,
    /// The most bytes a connected client holds unsent, in the transport (the browser's
    /// `bufferedAmount`) and in the core together: past it publishes are refused with
    /// `OUTBOUND_BUFFER_FULL` (a server that takes bytes slower than the page publishes).
    pub outbound_limit: usize,
    /// Ask the application for credentials at every handshake (it sees the server nonce)
    /// through [`super::Connection::poll_auth_request`] / [`super::Connection::provide_auth`].
    pub auth_callback: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            connect: ConnectFields {
                echo: true,
                lang: "nats-wasm",
                version: env!("CARGO_PKG_VERSION"),
                ..ConnectFields::default()
            },
            ping_interval: 120_000,
            max_ping_out: 2,
            timeout: 20_000,
            mux_inbox: "_INBOX.mux".into(),
            seed: 0x9E37_79B9_7F4A_7C15,
            servers: vec!["127.0.0.1:4222".into()],
            reconnect: true,
            max_reconnect_attempts: 10,
            reconnect_time_wait: 2000,
            reconnect_jitter: 100,
            no_randomize: false,
            ignore_cluster_updates: false,
            wait_on_first_connect: false,
            reconnect_buf_size: 8 << 20,
            outbound_limit: 64 << 20,
            auth_callback: false,
        }
    }
}
