//! What the core reports: its state, its events and its counters.

use crate::prelude::*;
use crate::proto::error::Error;
use crate::proto::jetstream::Step;
use crate::proto::servers::ServersChanged;

/// Where the connection is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// No transport: waiting to dial (first connect or reconnect).
    Disconnected,
    /// Transport open, waiting for the server's first `INFO`.
    AwaitingInfo,
    /// `CONNECT` and `PING` sent, waiting for the `PONG` that confirms them.
    Handshaking,
    /// Ready for traffic.
    Connected,
    /// `drain()` called: subscriptions are being drained, then the connection closes.
    Draining,
    /// Finished; every call fails with `CONNECTION_CLOSED`.
    Closed,
}

/// Something the application should learn about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// The handshake completed: `connect()` can resolve.
    Connected,
    /// The flush (or subscription drain) with this id completed.
    Flushed(u32),
    /// A subscription ended: by `max`, by drain, by its `timeout`, or by a permissions error.
    SubClosed {
        /// Its id.
        sid: u64,
        /// Why, when it was not a normal end.
        error: Option<Error>,
    },
    /// A request ended with an error: no reply in time (`TIMEOUT`), no responders (`503`),
    /// no permission to publish to its subject, or a lost connection.
    RequestFailed {
        /// Its id.
        id: u32,
        /// Why.
        error: Error,
    },
    /// A request for many replies ended normally: by its count, its sentinel, the pause its
    /// jitter allows, or its `maxWait`.
    RequestDone(u32),
    /// What a pull consumer (by its sid) reports: a status for its iterator, a check to make
    /// ([`Step::Check`]), or its end ([`Step::End`], [`Step::Gap`]: its subscription is
    /// gone). Pulls ([`Step::Pull`]) go on the wire and are reported too; answers
    /// ([`Step::Respond`]) only go on the wire.
    Consumer {
        /// The consumer's inbox subscription.
        sid: u64,
        /// What happened.
        step: Step,
    },
    /// An error reported by the server (`-ERR`); permissions errors keep the connection.
    ServerError(Error),
    /// A flush could not complete because the connection dropped.
    FlushFailed {
        /// Its id.
        id: u32,
        /// Why.
        error: Error,
    },
    /// The connection to `server` was lost; reconnecting follows.
    Disconnected {
        /// The server that was lost.
        server: String,
    },
    /// Dialing `server` again (a debug event).
    Reconnecting {
        /// The server being dialed.
        server: String,
    },
    /// Connected again, to `server`; subscriptions were restored.
    Reconnected {
        /// The server now in use.
        server: String,
    },
    /// The cluster advertised a different set of servers.
    ServersChanged(ServersChanged),
    /// The server is entering lame duck mode and will close soon.
    LameDuck {
        /// That server.
        server: String,
    },
    /// Pings went unanswered: the connection is considered dead.
    StaleConnection,
    /// A client ping was sent; `outstanding` are unanswered (a debug event).
    PingTimer {
        /// Pings sent and not yet answered.
        outstanding: u32,
    },
    /// `reconnect()` was called (a debug event).
    ClientInitiatedReconnect,
    /// A handshake with the credentials given to `reauthenticate()` is done (on the server
    /// of the `Reconnected` just before).
    Reauthenticated,
    /// The server refused the credentials given to `reauthenticate()`: the previous ones
    /// are used again (the connection carries on).
    ReauthenticationFailed(Error),
    /// The connection is closed; `None` after `close()` or a completed `drain()`. Every call
    /// fails from now on; what was queued before may still be leaving (see `Released`).
    Closed(Option<Error>),
    /// After `Closed`: what was queued has left the socket (or could not, within the
    /// connection's `timeout`); the edge closes the transport.
    Released,
}

/// Counters reported by `stats()`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    /// Messages received.
    pub in_msgs: u64,
    /// Messages published.
    pub out_msgs: u64,
    /// Bytes received in messages (headers and payload).
    pub in_bytes: u64,
    /// Bytes published in messages (headers and payload).
    pub out_bytes: u64,
}
