//! The pull consumer state machine (`proto::jetstream::pull`) under arbitrary messages,
//! statuses, resets and clock advances, and the ack-subject parser under arbitrary bytes.
//! Properties: no panic; every pull asks for a batch and bytes within the options (never
//! negative); nothing is delivered or asked after the end; deadlines do not go back in time.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use nats_wasm::proto::jetstream::{ack, Message, Pull, PullOptions, Step};
use nats_wasm::proto::json;

#[derive(Arbitrary, Debug)]
enum Op {
    Stored { size: u16, consumer_seq: Option<u8> },
    Status {
        code: u16,
        description: Vec<u8>,
        messages: u8,
        bytes: u16,
        reply: Vec<u8>,
        stalled: Vec<u8>,
        last_consumer: Option<u8>,
    },
    Tick(u16),
    Reset,
    Pause,
    Resume,
    Stop,
    AckSubject(Vec<u8>),
}

#[derive(Arbitrary, Debug)]
struct Input {
    max_messages: u8,
    max_bytes: u16,
    expires: u16,
    idle_heartbeat: u16,
    threshold_messages: u8,
    threshold_bytes: u16,
    refill: bool,
    push: bool,
    no_wait: bool,
    ordered: Option<u8>,
    ops: Vec<Op>,
}

fn check(steps: Vec<Step>, opts: &PullOptions, ended: &mut bool) {
    for step in steps {
        assert!(!*ended, "a step after the end: {step:?}");
        match step {
            Step::Pull(body) => {
                let v = json::parse(&body).expect("a pull is JSON");
                let n = |k: &str| v.get(k).and_then(|n| n.as_f64()).expect(k);
                let (batch, bytes) = (n("batch"), n("max_bytes"));
                assert!(batch >= 0.0 && batch <= opts.max_messages as f64, "{body}");
                assert!(bytes >= 0.0 && bytes <= opts.max_bytes as f64, "{body}");
            }
            Step::End(_) | Step::Gap => *ended = true,
            _ => {}
        }
    }
}

fuzz_target!(|input: Input| {
    let opts = PullOptions {
        max_messages: u64::from(input.max_messages),
        max_bytes: u64::from(input.max_bytes),
        expires: u64::from(input.expires),
        idle_heartbeat: u64::from(input.idle_heartbeat),
        threshold_messages: u64::from(input.threshold_messages),
        threshold_bytes: u64::from(input.threshold_bytes),
        refill: input.refill,
        ordered: input.ordered.map(u64::from),
        push: input.push,
        no_wait: input.no_wait,
    };
    let mut now = 0u64;
    let mut pull = Pull::new(opts.clone(), now);
    let mut ended = false;
    check(pull.poll_steps(), &opts, &mut ended);
    for op in input.ops.into_iter().take(300) {
        match op {
            Op::Stored { size, consumer_seq } => {
                let m = Message::Stored {
                    size: usize::from(size),
                    consumer_seq: consumer_seq.map(u64::from),
                };
                let delivered = pull.handle_message(now, m);
                assert!(!(delivered && ended), "delivered after the end");
            }
            Op::Status {
                code,
                description,
                messages,
                bytes,
                reply,
                stalled,
                last_consumer,
            } => {
                let m = Message::Status {
                    code,
                    description: &description,
                    pending_messages: u64::from(messages),
                    pending_bytes: u64::from(bytes),
                    reply: &reply,
                    stalled: &stalled,
                    last_consumer: last_consumer.map(u64::from),
                };
                assert!(!pull.handle_message(now, m), "a status is never delivered");
            }
            Op::Tick(ms) => {
                let before = pull.poll_timeout();
                now += u64::from(ms);
                pull.handle_timeout(now);
                if let (Some(a), Some(b)) = (before, pull.poll_timeout()) {
                    assert!(b >= a.min(now), "a deadline went back in time");
                }
            }
            Op::Reset => pull.reset(now),
            Op::Pause => pull.pause(),
            Op::Resume => pull.resume(),
            Op::Stop => {
                pull.stop();
                ended = true;
            }
            Op::AckSubject(bytes) => {
                if let Some(i) = ack::parse(&bytes) {
                    for r in [i.domain, i.account, i.stream, i.consumer] {
                        assert!(r.end <= bytes.len() && r.start <= r.end);
                    }
                }
            }
        }
        check(pull.poll_steps(), &opts, &mut ended);
        assert_eq!(pull.is_ended(), ended);
    }
});
