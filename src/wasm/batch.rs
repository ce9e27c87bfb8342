//! What the edge hands to JS after each input: a batch of delivery rows in wasm memory, and
//! events, each as `(kind, a, b)`.

use js_sys::Uint8Array;
use wasm_bindgen::JsValue;

use crate::interface::{batch, event, row};
use crate::prelude::*;
use crate::proto::conn::{field, DELIVERY_STRIDE};
use crate::proto::jetstream::Step;
use crate::proto::{text, Connection, Error, Event};

/// A core error as JS sees it: `"<code> <message>"`, the nats.ws code first (the glue's
/// `fromCore` makes the `NatsError`). A string, not an `Error` object: building that here
/// cost the wasm more than the glue's one line.
pub(crate) fn to_js_error(err: &Error) -> JsValue {
    JsValue::from_str(&text::concat(&[err.code.as_str(), " ", &err.message]))
}

/// What to hand to JS once the borrow is released.
pub enum Outgoing {
    /// A batch in the rows buffer from word `first`, and the frame its rows point into (see
    /// `interface::batch`). The head, when there is one, stays in the core's input buffer,
    /// valid until the next frame is fed; `onMsgs` is the first JS call after it is staged
    /// (at most one `Msgs` per settle, and it comes first) and copies it before anything
    /// else. Counts and addresses are read from memory, not passed: each number passed to
    /// JS is a call out of wasm of its own.
    Msgs {
        /// Index of the batch's first word in the rows buffer.
        first: usize,
        /// The WebSocket data the rows point into.
        frame: JsValue,
    },
    /// An event: its kind (`interface::event`) and two arguments.
    Event(u32, JsValue, JsValue),
}

impl core::fmt::Debug for Outgoing {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("Outgoing")
    }
}

/// Turns the core's new deliveries into a batch in `rows` (rows of `row::STRIDE` words). A
/// message that lies wholly inside the frame just fed (its chunk began at `start` of the
/// core's input) gets offsets into that frame (a JS array already: nothing is copied out of
/// wasm and no buffer is allocated); one that began in an earlier frame (at most the first)
/// gets offsets into the head: the bytes up to its end, which the glue copies out of wasm
/// memory.
///
/// The ack records of consumers' messages go to `acks` as `f64`s (JS numbers: a view reads
/// them as they are), and the batch's `ACKS` word says where they start.
pub fn stage_deliveries(
    core: &mut Connection,
    rows: &mut Vec<u32>,
    acks: &mut Vec<f64>,
    frame: Option<(Uint8Array, usize)>,
) -> Option<Outgoing> {
    let ack_start = acks.len();
    acks.extend(core.poll_acks().iter().map(|n| *n as f64));
    let acks_at = if acks.len() > ack_start {
        acks.get(ack_start..)
            .map_or(0, |a| a.as_ptr() as usize as u32)
    } else {
        0
    };
    let (table, bytes) = core.poll_deliveries();
    if table.is_empty() {
        return None;
    }
    let start = frame.as_ref().map_or(usize::MAX, |(_, start)| *start);
    // The batch's header words, filled in below: the row word count and the head flag.
    let first = rows.len();
    rows.extend_from_slice(&[0; batch::ROWS as usize]);
    let mut head_end = 0;
    for delivery in table.chunks_exact(DELIVERY_STRIDE) {
        // Built in an array: its constant indexes need no bounds checks (a slice of `rows`
        // linked a panic path per index).
        let mut out = [0u32; row::STRIDE as usize];
        for (o, v) in out.iter_mut().zip(delivery) {
            *o = *v;
        }
        if delivery[field::SUBJECT] as usize >= start {
            for f in [field::SUBJECT, field::REPLY, field::HEADERS, field::PAYLOAD] {
                if let Some(offset) = out.get_mut(f) {
                    *offset = offset.saturating_sub(start as u32);
                }
            }
        } else {
            out[row::SOURCE as usize] = 1;
            let end = delivery[field::PAYLOAD] + delivery[field::PAYLOAD + 1];
            head_end = head_end.max(end as usize);
        }
        rows.extend_from_slice(&out);
    }
    let count = rows.len() - first - batch::ROWS as usize;
    let head = head_end > 0 && head_end <= bytes.len();
    if head {
        rows.extend_from_slice(&[bytes.as_ptr() as usize as u32, head_end as u32]);
    }
    // `batch::WORDS`, `batch::HEAD`, `batch::ACKS`.
    if let Some(words) = rows.get_mut(first..first + batch::ROWS as usize) {
        words.copy_from_slice(&[count as u32, u32::from(head), acks_at]);
    }
    Some(Outgoing::Msgs {
        first,
        frame: frame.map_or(JsValue::UNDEFINED, |(f, _)| f.into()),
    })
}

/// An argument of an `onEvent` call, before it becomes a JS value: the event match builds
/// these, and one conversion ([`Part::into_js`]) serves every event.
enum Part {
    Nothing,
    Id(f64),
    Text(String),
    /// An error, as [`to_js_error`] gives it to JS.
    Fault(Error),
}

impl From<Option<Error>> for Part {
    fn from(error: Option<Error>) -> Part {
        error.map_or(Part::Nothing, Part::Fault)
    }
}

impl Part {
    fn into_js(self) -> JsValue {
        match self {
            Part::Nothing => JsValue::UNDEFINED,
            Part::Id(n) => n.into(),
            Part::Text(s) => s.into(),
            Part::Fault(e) => to_js_error(&e),
        }
    }
}

/// A core event as `onEvent`'s arguments.
pub fn event_for_js(core: &Connection, ev: Event) -> Outgoing {
    use Part::{Id, Nothing, Text};
    let (kind, a, b) = match ev {
        Event::Connected => (
            event::CONNECTED,
            Text(core.current_server().unwrap_or_default().into()),
            Nothing,
        ),
        Event::Flushed(id) => (event::FLUSHED, Id(id as f64), Nothing),
        Event::SubClosed { sid, error } => (event::SUB_CLOSED, Id(sid as f64), Part::from(error)),
        Event::RequestFailed { id, error } => {
            (event::REQUEST_FAILED, Id(id as f64), Part::Fault(error))
        }
        Event::RequestDone(id) => (event::REQUEST_DONE, Id(id as f64), Nothing),
        Event::ServerError(error) => (event::SERVER_ERROR, Part::Fault(error), Nothing),
        Event::Disconnected { server } => (event::DISCONNECTED, Text(server), Nothing),
        Event::Reconnecting { server } => (event::RECONNECTING, Text(server), Nothing),
        Event::Reconnected { server } => (event::RECONNECTED, Text(server), Nothing),
        Event::ServersChanged(changed) => (
            event::SERVERS_CHANGED,
            Text(text::join(&changed.added, " ")),
            Text(text::join(&changed.deleted, " ")),
        ),
        Event::LameDuck { server } => (event::LAME_DUCK, Text(server), Nothing),
        Event::StaleConnection => (event::STALE_CONNECTION, Nothing, Nothing),
        Event::PingTimer { outstanding } => (event::PING_TIMER, Id(outstanding as f64), Nothing),
        Event::ClientInitiatedReconnect => (event::CLIENT_INITIATED_RECONNECT, Nothing, Nothing),
        Event::Reauthenticated => (event::REAUTHENTICATED, Nothing, Nothing),
        Event::ReauthenticationFailed(error) => {
            (event::REAUTHENTICATION_FAILED, Part::Fault(error), Nothing)
        }
        Event::FlushFailed { id, error } => {
            (event::FLUSH_FAILED, Id(id as f64), Part::Fault(error))
        }
        Event::Closed(error) => (event::CLOSED, Part::from(error), Nothing),
        Event::Released => (event::RELEASED, Nothing, Nothing),
        Event::Consumer { sid, step } => {
            let status = |code: u16, text: String| {
                Text(text::concat(&[
                    &crate::proto::error::decimal(code.into()),
                    " ",
                    &text,
                ]))
            };
            let sid = Id(sid as f64);
            match step {
                Step::HeartbeatsMissed(n) => (event::CONSUMER_MISSED, sid, Id(n as f64)),
                Step::Discard { messages, bytes } => (
                    event::CONSUMER_DISCARD,
                    sid,
                    Text(text::concat(&[
                        &crate::proto::error::decimal(messages),
                        " ",
                        &crate::proto::error::decimal(bytes),
                    ])),
                ),
                Step::Status(code, text) => (event::CONSUMER_STATUS, sid, status(code, text)),
                Step::Check => (event::CONSUMER_CHECK, sid, Nothing),
                Step::Gap => (event::CONSUMER_GAP, sid, Nothing),
                Step::End(end) => (
                    event::CONSUMER_END,
                    sid,
                    end.map_or(Nothing, |(code, text)| status(code, text)),
                ),
                Step::Pull(body) => (event::CONSUMER_NEXT, sid, Text(body)),
                // Answers go on the wire; the core does not report them. Kind 0 is no event.
                Step::Respond(_) => (0, Nothing, Nothing),
            }
        }
    };
    Outgoing::Event(kind, a.into_js(), b.into_js())
}
