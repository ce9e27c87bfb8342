//! The parser on arbitrary bytes, fed whole and in arbitrary splits: never a panic, and the
//! same operations (or the same error) whichever way the bytes arrive.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nats_wasm::proto::parser::{parse, Limits, Status};

/// Parses `chunks` as frames arriving one after another; returns each op's byte span
/// (offset in the stream, length), and whether it ended in an error.
fn run(chunks: &[&[u8]], limits: &Limits) -> (Vec<(usize, usize)>, bool) {
    let mut buf = Vec::new();
    let mut base = 0;
    let mut ops = Vec::new();
    for chunk in chunks {
        buf.extend_from_slice(chunk);
        loop {
            match parse(&buf, limits) {
                Ok(Status::Complete(_, n)) => {
                    assert!(n > 0 && n <= buf.len());
                    ops.push((base, n));
                    base += n;
                    buf.drain(..n);
                }
                Ok(Status::Partial) => break,
                Err(_) => return (ops, true),
            }
        }
        // A partial op never needs more than the limits allow.
        assert!(
            buf.len()
                <= limits
                    .max_info_line
                    .max(limits.max_payload + limits.max_control_line)
                    + 4
        );
    }
    (ops, false)
}

fuzz_target!(|data: &[u8]| {
    if data.is_empty() {
        return;
    }
    let limits = Limits {
        max_control_line: 256,
        max_info_line: 1024,
        max_payload: 4096,
    };
    let step = usize::from(data[0]) + 1;
    let stream = &data[1..];
    let whole = run(&[stream], &limits);
    let pieces: Vec<&[u8]> = stream.chunks(step).collect();
    let split = run(&pieces, &limits);
    // An error may be detected earlier when bytes arrive in pieces (a control line too long
    // is seen before its end arrives), never later, and never a different set of ops before.
    if !whole.1 && !split.1 {
        assert_eq!(whole.0, split.0);
    } else {
        let n = whole.0.len().min(split.0.len());
        assert_eq!(whole.0[..n], split.0[..n]);
    }
});
