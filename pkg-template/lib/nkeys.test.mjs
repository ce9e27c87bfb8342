// Unit tests of nkeys.js (node --test pkg-template/): vectors made with nats.ws's nkeys, and
// signatures checked against Node's own ed25519 for random keys and messages, with WebCrypto
// and with the @noble/ed25519 fallback.
import { test } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import { base32Decode, base32Encode, base64url, crc16, nkeySign, parseCreds } from "./nkeys.js";

const SEED = "SUAJ4HP42ZU5POBLQFZD5ZKX64XWDBTKZ3BC4QRGZDTE4TXXEXD3E3SO3A";
const PUBLIC = "UDYVEMOIBJF4I3Y56NKTLM5RNFVZNK3BHV67XZ5VD4XCVKRGDPWCHYHH";
const SIG_OF_NONCE_ABC = "OuiMsSVK1I8itQ6ZeFqVSUrMsBqw4RNuwjes357t70TbUn3Yi5cMkQAQ23oY9GmX1xDPRw7hOFfYksebNtxLAQ";
const te = new TextEncoder();

test("seed to public key and signature match nats.ws", async () => {
  assert.deepEqual(await nkeySign(SEED, "nonce-abc"), [PUBLIC, SIG_OF_NONCE_ABC]);
  const [account] = await nkeySign("SAAFIHVASMIUW6PV7QR7KU3KRGNYFYMLOB3K5455ZPFQ4F7XCRPL3SB5RQ", "x");
  assert.equal(account, "ABITGMM35TGDXBTWIDNZKQNMVG4XOTKHATJGYPN2IUD4NSTOBK5OUV7N");
});

test("without WebCrypto's Ed25519, @noble/ed25519 signs the same", async () => {
  const subtle = globalThis.crypto.subtle;
  const importKey = subtle.importKey;
  subtle.importKey = () => Promise.reject(new DOMException("Unrecognized name", "NotSupportedError"));
  try {
    assert.deepEqual(await nkeySign(SEED, "nonce-abc"), [PUBLIC, SIG_OF_NONCE_ABC]);
  } finally {
    subtle.importKey = importKey;
  }
});

/** An encoded user seed for 32 raw bytes. */
function userSeed(raw) {
  const type = 20 << 3;
  const body = Uint8Array.from([(18 << 3) | (type >> 5), (type & 31) << 3, ...raw]);
  const crc = crc16(body);
  return base32Encode(Uint8Array.from([...body, crc & 255, crc >> 8]));
}

test("signatures verify with node:crypto for random keys and nonces", async () => {
  for (let i = 0; i < 20; i++) {
    const raw = crypto.randomBytes(32);
    const nonce = crypto.randomBytes(i * 3).toString("base64url");
    const [pub, sig] = await nkeySign(userSeed(raw), nonce);
    const key = crypto.createPrivateKey({
      key: Buffer.concat([Buffer.from("302e020100300506032b657004220420", "hex"), raw]),
      format: "der",
      type: "pkcs8",
    });
    assert.equal(sig, crypto.sign(null, te.encode(nonce), key).toString("base64url"));
    const spki = crypto.createPublicKey(key).export({ format: "der", type: "spki" }).subarray(12);
    assert.deepEqual(base32Decode(pub).subarray(1, 33), Uint8Array.from(spki));
  }
});

test("bad seeds have clear errors that never repeat the seed", () => {
  const flipped = SEED.slice(0, 10) + (SEED[10] === "A" ? "B" : "A") + SEED.slice(11);
  const cases = [
    ["", "wrong length"],
    ["not base32!", "not base32"],
    [SEED.slice(0, 40), "wrong length"],
    [flipped, "checksum"],
    [PUBLIC, "wrong length"],
  ];
  for (const [seed, why] of cases) {
    assert.throws(() => nkeySign(seed, "n"), (e) => {
      assert.equal(e.code, "BAD_AUTHENTICATION", seed);
      assert.match(e.message, new RegExp(why));
      assert.ok(!e.message.includes(SEED.slice(2, 30)));
      return true;
    });
  }
});

test("base encodings and CRC", () => {
  assert.deepEqual(["", "f", "fo", "foo"].map((s) => base64url(te.encode(s))), ["", "Zg", "Zm8", "Zm9v"]);
  assert.equal(base64url(Uint8Array.from([0xfb, 0xff])), "-_8");
  assert.equal(base32Encode(te.encode("foobar")), "MZXW6YTBOI");
  assert.equal(new TextDecoder().decode(base32Decode("MZXW6YTBOI")), "foobar");
  assert.equal(crc16(te.encode("123456789")), 0x31c3);
});

test(".creds files", () => {
  const creds = "-----BEGIN NATS USER JWT-----\r\neyJ0eXAi.payload.sig\r\n------END NATS USER JWT------\n\n" +
    "************************* IMPORTANT *************************\nNKEY Seed printed below can be used.\n\n" +
    `-----BEGIN USER NKEY SEED-----\n${SEED}\n------END USER NKEY SEED------\n`;
  assert.deepEqual(parseCreds(creds), ["eyJ0eXAi.payload.sig", SEED]);
  assert.throws(() => parseCreds("nothing here"), (e) => e.code === "BAD_CREDS");
});
