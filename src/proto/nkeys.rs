//! NKEYs: decoding seeds and signing the server's nonce, for `nkey` and JWT authentication.
//!
//! An encoded seed is base32 (RFC 4648, no padding) of two prefix bytes (`S` + the key type),
//! the 32-byte ed25519 seed and a CRC-16/XMODEM (little endian) of everything before it. A
//! public key is base32 of one type byte, the 32-byte public key and its CRC. Signatures go
//! on the wire as unpadded base64url.

use super::error::{Error, ErrorCode};

const PREFIX_SEED: u8 = 18 << 3; // 'S'
/// Key types a client may authenticate with (user keys; the others are accepted to decode).
const KEY_TYPES: [(u8, char); 5] = [
    (20 << 3, 'U'), // user
    (0, 'A'),       // account
    (14 << 3, 'O'), // operator
    (13 << 3, 'N'), // server
    (2 << 3, 'C'),  // cluster
];

fn bad_seed(why: &str) -> Error {
    Error::new(
        ErrorCode::BadAuthentication,
        format!("invalid nkey seed: {why}"),
    )
}

/// CRC-16/XMODEM, as NKEYs use it.
fn crc16(data: &[u8]) -> u16 {
    let mut crc: u16 = 0;
    for &b in data {
        crc ^= u16::from(b) << 8;
        for _ in 0..8 {
            crc = if crc & 0x8000 != 0 {
                (crc << 1) ^ 0x1021
            } else {
                crc << 1
            };
        }
    }
    crc
}

const B32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

fn base32_encode(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len().div_ceil(5) * 8);
    let (mut buffer, mut bits) = (0u32, 0u32);
    for &b in data {
        buffer = (buffer << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(B32[((buffer >> bits) & 31) as usize] as char);
        }
    }
    if bits > 0 {
        out.push(B32[((buffer << (5 - bits)) & 31) as usize] as char);
    }
    out
}

fn base32_decode(text: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 5 / 8);
    let (mut buffer, mut bits) = (0u32, 0u32);
    for &c in text {
        let v = B32.iter().position(|&d| d == c)? as u32;
        buffer = (buffer << 5) | v;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
        }
    }
    Some(out)
}

/// Unpadded base64url, the form the server reads signatures in.
pub fn base64url(data: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, &b)| acc | (u32::from(b) << (16 - 8 * i)));
        for i in 0..=chunk.len() {
            out.push(T[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}

/// A key pair decoded from a seed.
pub struct KeyPair {
    public_prefix: u8,
    keys: ed25519_compact::KeyPair,
}

impl std::fmt::Debug for KeyPair {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the seed.
        f.debug_struct("KeyPair")
            .field("public_key", &self.public_key())
            .finish()
    }
}

impl KeyPair {
    /// Decodes an encoded seed (`SU...` for a user), checking its prefix and CRC.
    pub fn from_seed(seed: &str) -> Result<Self, Error> {
        let raw = base32_decode(seed.trim().as_bytes()).ok_or_else(|| bad_seed("not base32"))?;
        if raw.len() != 2 + 32 + 2 {
            return Err(bad_seed("wrong length"));
        }
        let (body, crc) = raw.split_at(raw.len() - 2);
        if crc16(body) != u16::from_le_bytes([crc[0], crc[1]]) {
            return Err(bad_seed("checksum mismatch"));
        }
        if body[0] & 0xf8 != PREFIX_SEED {
            return Err(bad_seed("not a seed (it must start with 'S')"));
        }
        let public_prefix = ((body[0] & 7) << 5) | ((body[1] & 0xf8) >> 3);
        if !KEY_TYPES.iter().any(|(p, _)| *p == public_prefix) {
            return Err(bad_seed("unknown key type"));
        }
        let mut seed32 = [0u8; 32];
        seed32.copy_from_slice(&body[2..]);
        let keys = ed25519_compact::KeyPair::from_seed(ed25519_compact::Seed::new(seed32));
        Ok(KeyPair {
            public_prefix,
            keys,
        })
    }

    /// The encoded public key (`U...` for a user).
    pub fn public_key(&self) -> String {
        let mut raw = Vec::with_capacity(35);
        raw.push(self.public_prefix);
        raw.extend_from_slice(self.keys.pk.as_ref());
        let crc = crc16(&raw);
        raw.extend_from_slice(&crc.to_le_bytes());
        base32_encode(&raw)
    }

    /// The ed25519 signature of `message`.
    pub fn sign(&self, message: &[u8]) -> [u8; 64] {
        *self.keys.sk.sign(message, None)
    }
}

/// The user JWT and seed from the text of a `.creds` file.
pub fn parse_creds(text: &str) -> Result<(String, String), Error> {
    let bad = || {
        Error::new(
            ErrorCode::BadCreds,
            "invalid credentials: expected a user JWT block and an NKEY seed block",
        )
    };
    let is_fence = |l: &str| {
        let l = l.trim();
        l.len() >= 6 && l.starts_with("---") && l.ends_with("---")
    };
    // Blocks are the non-empty lines between a pair of fences.
    let mut blocks = Vec::new();
    let mut inside = false;
    for line in text.lines() {
        if is_fence(line) {
            inside = !inside;
        } else if inside && !line.trim().is_empty() {
            blocks.push(line.trim().to_string());
        }
    }
    match blocks.as_slice() {
        [jwt, seed, ..] => Ok((jwt.clone(), seed.clone())),
        _ => Err(bad()),
    }
}

#[cfg(test)]
mod tests {
    // On wasm32 the same tests run under wasm-bindgen-test (node), where the core ships.
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    // A throwaway user key made with nats.ws's nkeys for these tests.
    const SEED: &str = "SUAJ4HP42ZU5POBLQFZD5ZKX64XWDBTKZ3BC4QRGZDTE4TXXEXD3E3SO3A";
    const PUBLIC: &str = "UDYVEMOIBJF4I3Y56NKTLM5RNFVZNK3BHV67XZ5VD4XCVKRGDPWCHYHH";
    const SIG_OF_NONCE_ABC: &str =
        "OuiMsSVK1I8itQ6ZeFqVSUrMsBqw4RNuwjes357t70TbUn3Yi5cMkQAQ23oY9GmX1xDPRw7hOFfYksebNtxLAQ";

    #[test]
    fn seed_to_public_key_and_signature_match_nats_ws() {
        let kp = KeyPair::from_seed(SEED).unwrap();
        assert_eq!(kp.public_key(), PUBLIC);
        assert_eq!(base64url(&kp.sign(b"nonce-abc")), SIG_OF_NONCE_ABC);
        let account =
            KeyPair::from_seed("SAAFIHVASMIUW6PV7QR7KU3KRGNYFYMLOB3K5455ZPFQ4F7XCRPL3SB5RQ")
                .unwrap();
        assert_eq!(
            account.public_key(),
            "ABITGMM35TGDXBTWIDNZKQNMVG4XOTKHATJGYPN2IUD4NSTOBK5OUV7N"
        );
    }

    #[test]
    fn bad_seeds_have_clear_errors() {
        let mut flipped = SEED.as_bytes().to_vec();
        flipped[10] = if flipped[10] == b'A' { b'B' } else { b'A' };
        let cases = [
            ("", "wrong length"),
            ("not base32!", "not base32"),
            (&SEED[..40], "wrong length"),
            (std::str::from_utf8(&flipped).unwrap(), "checksum"),
            (PUBLIC, "wrong length"),
        ];
        for (seed, why) in cases {
            let err = KeyPair::from_seed(seed).unwrap_err();
            assert_eq!(err.code, ErrorCode::BadAuthentication, "{seed}");
            assert!(err.message.contains(why), "{seed}: {}", err.message);
            assert!(
                !err.message.contains(SEED),
                "the seed never appears in errors"
            );
        }
    }

    #[test]
    fn debug_output_hides_the_seed() {
        let kp = KeyPair::from_seed(SEED).unwrap();
        let shown = format!("{kp:?}");
        assert!(shown.contains(PUBLIC));
        assert!(!shown.contains(SEED));
    }

    #[test]
    fn base_encodings() {
        assert_eq!(base64url(b""), "");
        assert_eq!(base64url(b"f"), "Zg");
        assert_eq!(base64url(b"fo"), "Zm8");
        assert_eq!(base64url(b"foo"), "Zm9v");
        assert_eq!(base64url(&[0xfb, 0xff]), "-_8");
        assert_eq!(base32_encode(b"foobar"), "MZXW6YTBOI");
        assert_eq!(base32_decode(b"MZXW6YTBOI").unwrap(), b"foobar");
        assert_eq!(crc16(b"123456789"), 0x31c3);
    }

    #[test]
    fn creds_files() {
        let creds = "-----BEGIN NATS USER JWT-----\neyJ0eXAi.payload.sig\n------END NATS USER JWT------\n\n************************* IMPORTANT *************************\nNKEY Seed printed below can be used to sign and prove identity.\n\n-----BEGIN USER NKEY SEED-----\nSUAJ4HP42ZU5POBLQFZD5ZKX64XWDBTKZ3BC4QRGZDTE4TXXEXD3E3SO3A\n------END USER NKEY SEED------\n";
        let (jwt, seed) = parse_creds(creds).unwrap();
        assert_eq!(jwt, "eyJ0eXAi.payload.sig");
        assert_eq!(seed, SEED);
        assert_eq!(
            parse_creds("nothing here").unwrap_err().code,
            ErrorCode::BadCreds
        );
    }
}
