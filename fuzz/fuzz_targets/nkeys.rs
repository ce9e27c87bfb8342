//! Seeds and creds files from the application: never a panic, errors never echo the input.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nats_wasm::proto::nkeys;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        match nkeys::KeyPair::from_seed(text) {
            Ok(kp) => {
                let _ = kp.sign(b"nonce");
                assert!(kp.public_key().len() == 56);
            }
            // Errors are fixed sentences: they never echo the (secret) input.
            Err(e) => assert!(
                [
                    "invalid nkey seed: not base32",
                    "invalid nkey seed: wrong length",
                    "invalid nkey seed: checksum mismatch",
                    "invalid nkey seed: not a seed (it must start with 'S')",
                    "invalid nkey seed: unknown key type",
                ]
                .contains(&e.message.as_str()),
                "{}",
                e.message
            ),
        }
        let _ = nkeys::parse_creds(text);
    }
});
