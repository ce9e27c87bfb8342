//! The JSON reader on arbitrary text (INFO comes from the server): never a panic or a hang.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nats_wasm::proto::json;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = json::parse(text);
    }
});
