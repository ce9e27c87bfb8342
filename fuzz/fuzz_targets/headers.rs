//! Header blocks from the wire or from the glue: never a panic, and a block that validates
//! keeps its protocol text in one piece (no bare CR or LF outside the line ends).
#![no_main]

use libfuzzer_sys::fuzz_target;
use nats_wasm::proto::headers;

fuzz_target!(|data: &[u8]| {
    let _ = headers::status_code(data);
    if headers::validate(data).is_ok() {
        let body = &data[..data.len() - 4];
        for line in body.split(|b| *b == b'\n') {
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            assert!(!line.contains(&b'\r'), "bare CR in a valid block");
        }
    }
});
