//! The pull consumer protocol of one `consume()`, `fetch()` or `next()`, without I/O.
//!
//! A pull asks the server for up to `batch` messages (or `max_bytes`) within `expires`; the
//! server answers on the client's inbox with the messages, then status messages: `100 Idle
//! Heartbeat` while it has nothing, `404`/`408` when a pull ends unused (with
//! `Nats-Pending-Messages`/`-Bytes`: what it did not use), `409` for the consumer's troubles.
//! [`Pull`] keeps what is still asked for, asks again below the thresholds (`consume()`) or
//! ends when nothing is (`fetch()`), watches the heartbeats, and, for an ordered consumer,
//! checks that consumer sequences follow each other. Status messages never reach the
//! application: their effect does ([`Step`]).
//!
//! Behaviour follows nats.ws 1.30.3's `PullConsumerMessagesImpl` (the same counts, the same
//! notices, the same ends); its timers are deadlines here.

use crate::prelude::*;

/// How one `consume()`/`fetch()`/`next()` pulls; the glue applies nats.ws's defaults.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PullOptions {
    /// Messages asked for at most (`max_messages`).
    pub max_messages: u64,
    /// Bytes asked for at most, 0 for no limit (`max_bytes`).
    pub max_bytes: u64,
    /// How long each pull waits at the server (ms).
    pub expires: u64,
    /// The heartbeat interval the server is asked for (ms); 0 for none.
    pub idle_heartbeat: u64,
    /// `consume()`: pull again when what is still asked for falls to these.
    pub threshold_messages: u64,
    /// See `threshold_messages`.
    pub threshold_bytes: u64,
    /// `consume()` (pulls again) rather than `fetch()` (one pull, then the end).
    pub refill: bool,
    /// A push consumer (nats.ws 1.x `js.subscribe`): the server sends without being asked;
    /// its flow control requests and stalled heartbeats are answered ([`Step::Respond`]).
    pub push: bool,
    /// A fetch that the server ends at once when it has nothing (`no_wait`, legacy `fetch`).
    pub no_wait: bool,
    /// An ordered consumer's pull, with the last consumer sequence delivered before it (0
    /// for a new consumer): a consumer sequence that does not follow the last is a gap
    /// ([`Step::Gap`]).
    pub ordered: Option<u64>,
}

/// Something the consumer wants done or said, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// Send a pull request: this JSON body to the consumer's `MSG.NEXT` subject.
    Pull(String),
    /// Send an empty message to this subject: the answer to a push consumer's flow control
    /// request, or to a heartbeat saying the consumer is stalled.
    Respond(String),
    /// Heartbeats missed, this many intervals in a row (`heartbeats_missed`).
    HeartbeatsMissed(u64),
    /// A pull ended with this much unused (`discard`).
    Discard {
        /// Messages it did not deliver.
        messages: u64,
        /// Bytes it did not deliver.
        bytes: u64,
    },
    /// A status the application may want to see (`debug`, or `consumer_deleted` /
    /// `no_responders` for 409 and 503): its code and description as the server wrote it.
    Status(u16, String),
    /// Ask the server whether the consumer is still there (the glue's `info()`), then
    /// [`Pull::reset`]: heartbeats were missed, or the transport came back.
    Check,
    /// An ordered consumer missed a message: this consumer is done; a new one starts
    /// after the last message delivered.
    Gap,
    /// No more messages: `None` at a normal end, else the status that ended it (its code
    /// and description as the server wrote it).
    End(Option<(u16, String)>),
}

/// One pull consumer's state.
#[derive(Debug)]
pub struct Pull {
    opts: PullOptions,
    /// Still asked for: never more than the options, never below 0 (a server that sends more
    /// than asked for does not make the next pull ask for more than the options, as
    /// nats.ws's signed counts would).
    pending_messages: u64,
    pending_bytes: u64,
    requests: u32,
    /// Heartbeat watch: the last sign of life, and how many intervals were reported missed.
    last_seen: u64,
    missed: u64,
    /// Paused while the transport is down.
    watching: bool,
    /// `fetch()`: when it ends regardless (nats.ws: `expires` × 1.05).
    deadline: Option<u64>,
    /// The last consumer sequence delivered (ordered consumers).
    consumer_seq: u64,
    ended: bool,
    steps: Vec<Step>,
}

impl Pull {
    /// Starts: the first pull goes out at once.
    pub fn new(opts: PullOptions, now: u64) -> Self {
        let deadline = (!opts.refill && !opts.push && opts.expires > 0)
            .then(|| now.saturating_add((opts.expires.saturating_mul(21) + 10) / 20));
        let consumer_seq = opts.ordered.unwrap_or(0);
        let mut pull = Pull {
            opts,
            pending_messages: 0,
            pending_bytes: 0,
            requests: 0,
            last_seen: now,
            missed: 0,
            watching: true,
            deadline,
            consumer_seq,
            ended: false,
            steps: Vec::new(),
        };
        if !pull.opts.push {
            pull.pull();
        }
        pull
    }

    /// What to do now, in order (each step is handed out once).
    #[must_use]
    pub fn poll_steps(&mut self) -> Vec<Step> {
        core::mem::take(&mut self.steps)
    }

    /// True once it has ended (the last step was an [`Step::End`] or [`Step::Gap`]).
    pub fn is_ended(&self) -> bool {
        self.ended
    }

    /// A message arrived on the consumer's inbox. `status` is its header status (0: none),
    /// `status_message` is a status addressed to the inbox itself (not a stored message),
    /// `size` its subject, reply, headers and payload in bytes, `consumer_seq` its ack
    /// subject's consumer sequence. Returns true when it goes to the application.
    pub fn handle_message(&mut self, now: u64, message: Message<'_>) -> bool {
        if self.ended {
            return false;
        }
        self.seen(now);
        match message {
            Message::Status {
                code,
                description,
                pending_messages,
                pending_bytes,
                reply,
                stalled,
                last_consumer,
            } => {
                if code == 100 && description.eq_ignore_ascii_case(b"idle heartbeat") {
                    if !stalled.is_empty() {
                        self.respond(stalled);
                    }
                    // A push consumer's heartbeat says what it delivered last: an ordered
                    // consumer that saw less missed the rest.
                    let gap = last_consumer.is_some_and(|last| last != self.consumer_seq);
                    if self.opts.push && self.opts.ordered.is_some() && gap {
                        self.end(Step::Gap);
                    }
                    return false;
                }
                if code == 100 && self.opts.push && !reply.is_empty() {
                    self.respond(reply);
                    return false;
                }
                if !self.status(code, description, pending_messages, pending_bytes) {
                    return false;
                }
                self.after();
                false
            }
            Message::Stored { size, consumer_seq } => {
                if self.opts.ordered.is_some() {
                    if consumer_seq != Some(self.consumer_seq + 1) {
                        self.end(Step::Gap);
                        return false;
                    }
                    self.consumer_seq += 1;
                }
                if self.opts.push {
                    return true;
                }
                self.pending_messages = self.pending_messages.saturating_sub(1);
                self.pending_bytes = self.pending_bytes.saturating_sub(size as u64);
                self.after();
                true
            }
        }
    }

    /// A status; false when it ended the consumer.
    fn status(&mut self, code: u16, description: &[u8], messages: u64, bytes: u64) -> bool {
        if messages > 0 || bytes > 0 {
            self.pending_messages = self.pending_messages.saturating_sub(messages);
            self.pending_bytes = self.pending_bytes.saturating_sub(bytes);
            self.requests = self.requests.saturating_sub(1);
            self.steps.push(Step::Discard { messages, bytes });
            return true;
        }
        // A legacy fetch ends when the server says it has nothing (no_wait) or the pull expired.
        if !self.opts.refill && matches!(code, 404 | 408) {
            self.requests = 0;
        }
        let fatal = match code {
            400 => true,
            409 if description.eq_ignore_ascii_case(b"consumer deleted") => !self.opts.refill,
            503 => !self.opts.refill,
            _ => false,
        };
        let description = crate::proto::text::lossy(description);
        if code != 400 {
            self.steps.push(Step::Status(code, description.clone()));
        }
        if fatal {
            self.end(Step::End(Some((code, description))));
            return false;
        }
        true
    }

    fn respond(&mut self, subject: &[u8]) {
        self.steps
            .push(Step::Respond(crate::proto::text::lossy(subject)));
    }

    /// After a message or a status: pull again, or end a fetch that has nothing left.
    fn after(&mut self) {
        if self.opts.push {
            return;
        }
        if self.pending_messages == 0 && self.pending_bytes == 0 {
            self.requests = 0;
        }
        if self.opts.refill {
            let low_messages =
                self.opts.max_messages > 0 && self.pending_messages <= self.opts.threshold_messages;
            let low_bytes =
                self.opts.max_bytes > 0 && self.pending_bytes <= self.opts.threshold_bytes;
            if low_messages || low_bytes {
                self.pull();
            }
        } else if self.requests == 0 {
            self.end(Step::End(None));
        }
    }

    /// Asks for what is missing up to the options.
    fn pull(&mut self) {
        let batch = self.opts.max_messages.saturating_sub(self.pending_messages);
        let max_bytes = self.opts.max_bytes.saturating_sub(self.pending_bytes);
        self.pending_messages += batch;
        self.pending_bytes += max_bytes;
        self.requests += 1;
        self.steps.push(Step::Pull(pull_body(
            batch,
            max_bytes,
            self.opts.idle_heartbeat,
            self.opts.expires,
            self.opts.no_wait,
        )));
    }

    /// The consumer was found again (after [`Step::Check`]): forget what was asked for and
    /// pull anew; the heartbeat watch restarts.
    pub fn reset(&mut self, now: u64) {
        if self.ended {
            return;
        }
        self.pending_messages = 0;
        self.pending_bytes = 0;
        self.requests = 0;
        self.watching = true;
        self.seen(now);
        if !self.opts.push {
            self.pull();
        }
    }

    /// The transport was lost: no heartbeat can arrive until it is back.
    pub fn pause(&mut self) {
        self.watching = false;
        self.missed = 0;
    }

    /// The transport is back: whether the consumer survived is for [`Step::Check`] to find.
    pub fn resume(&mut self) {
        if !self.ended {
            self.steps.push(Step::Check);
        }
    }

    /// Ends it at the application's request (`stop()`, `close()`).
    pub fn stop(&mut self) {
        self.ended = true;
        self.steps.clear();
    }

    fn end(&mut self, step: Step) {
        self.ended = true;
        self.steps.push(step);
    }

    fn seen(&mut self, now: u64) {
        self.last_seen = now;
        self.missed = 0;
    }

    /// When [`Pull::handle_timeout`] is due next.
    pub fn poll_timeout(&self) -> Option<u64> {
        if self.ended {
            return None;
        }
        let beat = self.opts.idle_heartbeat;
        let watch = (self.watching && beat > 0).then(|| {
            // Reported from the second missed interval on, then at each further one.
            let next = self.missed.max(1) + 1;
            self.last_seen.saturating_add(beat.saturating_mul(next))
        });
        match (watch, self.deadline) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// Time passed: a fetch's deadline, or missed heartbeats.
    pub fn handle_timeout(&mut self, now: u64) {
        if self.ended {
            return;
        }
        if self.deadline.is_some_and(|d| now >= d) {
            return self.end(Step::End(None));
        }
        let beat = self.opts.idle_heartbeat;
        if !self.watching || beat == 0 {
            return;
        }
        let intervals = now.saturating_sub(self.last_seen) / beat;
        if intervals >= 2 && intervals > self.missed {
            self.missed = intervals;
            self.steps.push(Step::HeartbeatsMissed(intervals));
            self.steps.push(Step::Check);
        }
    }
}

/// A message on a pull consumer's inbox, as [`Pull::handle_message`] needs it.
#[derive(Debug, Clone, Copy)]
pub enum Message<'a> {
    /// A status for the inbox itself.
    Status {
        /// Its code (100, 404, 408, 409...).
        code: u16,
        /// Its description ("Idle Heartbeat", "Request Timeout"...).
        description: &'a [u8],
        /// `Nats-Pending-Messages`, 0 when absent.
        pending_messages: u64,
        /// `Nats-Pending-Bytes`, 0 when absent.
        pending_bytes: u64,
        /// Its reply subject (a flow control request's), empty when none.
        reply: &'a [u8],
        /// `Nats-Consumer-Stalled`: where to answer a stalled push consumer, empty when none.
        stalled: &'a [u8],
        /// `Nats-Last-Consumer`: the last consumer sequence a push heartbeat says was sent.
        last_consumer: Option<u64>,
    },
    /// A stored message.
    Stored {
        /// Subject, reply, headers and payload, in bytes.
        size: usize,
        /// Its consumer sequence, from its ack subject (`None`: it has none).
        consumer_seq: Option<u64>,
    },
}

/// The JSON body of a pull request (durations in nanoseconds), in nats.ws's field order.
fn pull_body(
    batch: u64,
    max_bytes: u64,
    idle_heartbeat: u64,
    expires: u64,
    no_wait: bool,
) -> String {
    let mut out = Vec::with_capacity(96);
    out.extend_from_slice(b"{\"batch\":");
    crate::proto::encode::write_u64(&mut out, batch);
    out.extend_from_slice(b",\"max_bytes\":");
    crate::proto::encode::write_u64(&mut out, max_bytes);
    out.extend_from_slice(b",\"idle_heartbeat\":");
    crate::proto::encode::write_u64(&mut out, idle_heartbeat.saturating_mul(1_000_000));
    out.extend_from_slice(b",\"expires\":");
    crate::proto::encode::write_u64(&mut out, expires.saturating_mul(1_000_000));
    if no_wait {
        out.extend_from_slice(b",\"no_wait\":true");
    }
    out.push(b'}');
    // ASCII only.
    String::from_utf8(out).unwrap_or_default()
}

#[cfg(test)]
mod tests;
