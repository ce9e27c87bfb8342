// NKEYs for `nkeyAuthenticator`, `jwtAuthenticator` and `credsAuthenticator`: decoding seeds,
// signing the server's nonce, reading `.creds` files.
//
// Signing is ed25519 (RFC 8032), done by the platform: WebCrypto's Ed25519 (Chromium 137,
// Firefox 129, Safari 17, Node.js 20), else @noble/ed25519 (audited), which the package
// ships as its own file, loaded only by a page that signs on a platform without it. Nothing
// cryptographic is written here. Both sign asynchronously: so do these authenticators.
//
// An encoded seed is base32 (RFC 4648, no padding) of two prefix bytes ('S' and the key type),
// the 32-byte ed25519 seed and a CRC-16/XMODEM (little endian) of what precedes it. A public
// key is base32 of one type byte, the 32-byte key and its CRC. Signatures go on the wire as
// unpadded base64url. Base32 and the CRC are written here (30 lines, checked against nats.ws's
// vectors): the official nkeys.js that has them brings tweetnacl (tens of KB).

const B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const PREFIX_SEED = 18 << 3; // 'S'
/** Public key type bytes: user, account, operator, server, cluster. */
const KEY_TYPES = [20 << 3, 0, 14 << 3, 13 << 3, 2 << 3];
/** What precedes a 32-byte ed25519 seed in a PKCS #8 key (RFC 8410). */
const PKCS8_ED25519 = [0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20];

/** An error carrying a nats.ws code; the glue turns it into a NatsError. */
function coded(code, message) {
  const err = new Error(message);
  err.code = code;
  return err;
}

/** CRC-16/XMODEM. */
export function crc16(bytes) {
  let crc = 0;
  for (const b of bytes) {
    crc ^= b << 8;
    for (let i = 0; i < 8; i++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}

export function base32Encode(bytes) {
  let out = "";
  let buffer = 0;
  let bits = 0;
  for (const b of bytes) {
    buffer = ((buffer << 8) | b) & 0xfff;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += B32[(buffer >> bits) & 31];
    }
  }
  if (bits > 0) out += B32[(buffer << (5 - bits)) & 31];
  return out;
}

/** Bytes of unpadded base32 text, or null if it is not base32. */
export function base32Decode(text) {
  const out = [];
  let buffer = 0;
  let bits = 0;
  for (const c of text) {
    const v = B32.indexOf(c);
    if (v < 0) return null;
    buffer = ((buffer << 5) | v) & 0xfff;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out.push((buffer >> bits) & 255);
    }
  }
  return Uint8Array.from(out);
}

/** Bytes as unpadded base64url, with the platform's base64. */
export function base64url(bytes) {
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** Unpadded base64url as bytes. */
const fromBase64url = (text) => Uint8Array.from(atob(text.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));

const concat = (...parts) => Uint8Array.from(parts.flatMap((p) => [...p]));

/**
 * The public key of a 32-byte ed25519 seed and its signature of `message`: with WebCrypto,
 * or, where the platform has no Ed25519, with @noble/ed25519 (`ed25519.js`).
 */
async function ed25519(seed, message) {
  const subtle = globalThis.crypto?.subtle;
  try {
    const key = await subtle.importKey("pkcs8", concat(PKCS8_ED25519, seed), { name: "Ed25519" }, true, ["sign"]);
    const { x } = await subtle.exportKey("jwk", key);
    return [fromBase64url(x), new Uint8Array(await subtle.sign("Ed25519", key, message))];
  } catch {
    // Imported by URL, not by name: bundlers copy the file as an asset instead of splitting
    // the package into chunks, which Vite's iife workers refuse (tests/consumers).
    const noble = await import(/* @vite-ignore */ new URL("./ed25519.js", import.meta.url).href);
    return [await noble.getPublicKeyAsync(seed), await noble.signAsync(message, seed)];
  }
}

const badSeed = (why) => coded("BAD_AUTHENTICATION", `invalid nkey seed: ${why}`);

/** The key type and the 32-byte ed25519 seed of an encoded NKEY seed (`SU...`). */
export function decodeSeed(seedText) {
  const raw = base32Decode(seedText.trim());
  if (raw === null) throw badSeed("not base32");
  if (raw.length !== 36) throw badSeed("wrong length");
  const body = raw.subarray(0, 34);
  if (crc16(body) !== (raw[34] | (raw[35] << 8))) throw badSeed("checksum mismatch");
  if ((body[0] & 0xf8) !== PREFIX_SEED) throw badSeed("not a seed (it must start with 'S')");
  const type = ((body[0] & 7) << 5) | ((body[1] & 0xf8) >> 3);
  if (!KEY_TYPES.includes(type)) throw badSeed("unknown key type");
  return [type, body.slice(2)];
}

/**
 * Signs the server's `nonce` with an encoded NKEY seed: resolves to the encoded public key
 * and the signature (base64url). A bad seed throws at once; errors never repeat the seed.
 */
export function nkeySign(seedText, nonce) {
  const [type, seed] = decodeSeed(seedText);
  return ed25519(seed, new TextEncoder().encode(nonce)).then(([publicKey, sig]) => {
    const pub = concat([type], publicKey);
    const crc = crc16(pub);
    return [base32Encode(concat(pub, [crc & 255, crc >> 8])), base64url(sig)];
  });
}

/** The user JWT and seed from the text of a `.creds` file (the first two fenced blocks). */
export function parseCreds(text) {
  const blocks = [];
  let inside = false;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line.length >= 6 && line.startsWith("---") && line.endsWith("---")) inside = !inside;
    else if (inside && line) blocks.push(line);
  }
  if (blocks.length < 2) {
    throw coded("BAD_CREDS", "invalid credentials: expected a user JWT block and an NKEY seed block");
  }
  return [blocks[0], blocks[1]];
}
