//! Header blocks from the wire: never a panic; whatever parses encodes and parses back the same.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nats_wasm::proto::headers;

fuzz_target!(|data: &[u8]| {
    let _ = headers::status_code(data);
    if let Ok(h) = headers::parse(data) {
        let wire = h.encode().expect("parsed headers encode");
        assert_eq!(headers::parse(&wire).expect("encoded headers parse"), h);
    }
});
