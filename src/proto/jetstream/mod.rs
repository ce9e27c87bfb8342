//! JetStream's consumer protocol, without I/O: what the core must understand of JetStream
//! messages (their ack subjects) and the state machines of pulling (status messages,
//! heartbeats, pull bookkeeping, ordered consumers). The JetStream API (configs and infos,
//! as JSON) is the glue's: see ARCHITECTURE.md, "The boundary rule".

pub mod ack;
pub mod pull;

pub use ack::AckInfo;
pub use pull::{Message, Pull, PullOptions, Step};
