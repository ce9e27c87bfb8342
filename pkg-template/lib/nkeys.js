// NKEYs for `nkeyAuthenticator`, `jwtAuthenticator` and `credsAuthenticator`: decoding seeds,
// signing the server's nonce (ed25519, RFC 8032) and reading `.creds` files.
//
// Written in plain JS with BigInt rather than in the wasm core: it runs once per handshake,
// where a few milliseconds do not matter, and ed25519 in the wasm cost 11 KB of every page's
// download (gzip) for the few applications that use NKEYs.
//
// An encoded seed is base32 (RFC 4648, no padding) of two prefix bytes ('S' and the key type),
// the 32-byte ed25519 seed and a CRC-16/XMODEM (little endian) of what precedes it. A public
// key is base32 of one type byte, the 32-byte key and its CRC. Signatures go on the wire as
// unpadded base64url.

const B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const B64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const PREFIX_SEED = 18 << 3; // 'S'
/** Public key type bytes: user, account, operator, server, cluster. */
const KEY_TYPES = [20 << 3, 0, 14 << 3, 13 << 3, 2 << 3];

/** An error carrying a nats.ws code; index.js turns it into a NatsError. */
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

export function base64url(bytes) {
  let out = "";
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    const chars = Math.min(3, bytes.length - i) + 1;
    for (let j = 0; j < chars; j++) out += B64URL[(n >> (18 - 6 * j)) & 63];
  }
  return out;
}

// ----- SHA-512 (FIPS 180-4), on BigInt words ---------------------------------------------

const M64 = (1n << 64n) - 1n;

/** floor(n^(1/k)) for BigInt n (Newton's method). */
function iroot(n, k) {
  let x = 1n << BigInt(Math.ceil(n.toString(2).length / Number(k)));
  for (;;) {
    const y = ((k - 1n) * x + n / x ** (k - 1n)) / k;
    if (y >= x) return x;
    x = y;
  }
}

/** The first 80 primes. */
function primes(count) {
  const out = [];
  for (let n = 2; out.length < count; n++) if (out.every((p) => n % p)) out.push(n);
  return out;
}

// The round constants are the first 64 bits of the fractional parts of the cube roots of the
// first 80 primes, and the initial hash those of the square roots of the first 8: computed
// here rather than spelled out.
let SHA_K = null;
let SHA_H = null;
function shaConstants() {
  const p = primes(80).map(BigInt);
  SHA_K = p.map((q) => iroot(q << 192n, 3n) & M64);
  SHA_H = p.slice(0, 8).map((q) => iroot(q << 128n, 2n) & M64);
}

const rotr = (x, n) => ((x >> n) | (x << (64n - n))) & M64;

export function sha512(bytes) {
  if (SHA_K === null) shaConstants();
  const len = bytes.length;
  const padded = new Uint8Array(Math.ceil((len + 17) / 128) * 128);
  padded.set(bytes);
  padded[len] = 0x80;
  new DataView(padded.buffer).setBigUint64(padded.length - 8, BigInt(len) * 8n);
  const view = new DataView(padded.buffer);
  const h = SHA_H.slice();
  const w = new Array(80);
  for (let off = 0; off < padded.length; off += 128) {
    for (let t = 0; t < 16; t++) w[t] = view.getBigUint64(off + 8 * t);
    for (let t = 16; t < 80; t++) {
      const s0 = rotr(w[t - 15], 1n) ^ rotr(w[t - 15], 8n) ^ (w[t - 15] >> 7n);
      const s1 = rotr(w[t - 2], 19n) ^ rotr(w[t - 2], 61n) ^ (w[t - 2] >> 6n);
      w[t] = (w[t - 16] + s0 + w[t - 7] + s1) & M64;
    }
    let [a, b, c, d, e, f, g, hh] = h;
    for (let t = 0; t < 80; t++) {
      const t1 = (hh + (rotr(e, 14n) ^ rotr(e, 18n) ^ rotr(e, 41n)) + ((e & f) ^ (~e & M64 & g)) + SHA_K[t] + w[t]) & M64;
      const t2 = ((rotr(a, 28n) ^ rotr(a, 34n) ^ rotr(a, 39n)) + ((a & b) ^ (a & c) ^ (b & c))) & M64;
      hh = g;
      g = f;
      f = e;
      e = (d + t1) & M64;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) & M64;
    }
    [a, b, c, d, e, f, g, hh].forEach((v, i) => (h[i] = (h[i] + v) & M64));
  }
  const out = new Uint8Array(64);
  const ov = new DataView(out.buffer);
  h.forEach((v, i) => ov.setBigUint64(8 * i, v));
  return out;
}

// ----- ed25519 (RFC 8032), extended twisted Edwards coordinates ------------------------------

const P = (1n << 255n) - 19n;
const L = (1n << 252n) + 27742317777372353535851937790883648493n;
const mod = (a, m = P) => ((a % m) + m) % m;

function pow(b, e) {
  let r = 1n;
  for (b = mod(b); e > 0n; e >>= 1n, b = (b * b) % P) if (e & 1n) r = (r * b) % P;
  return r;
}
const inv = (a) => pow(a, P - 2n);
// The curve's constants are made on first use, as SHA-512's: nothing at the top level of this
// module calls a function, so an app that never signs (no NKEY authenticator) lets its
// bundler drop the whole module.
let D2 = null;
let BASE = null;
function curveConstants() {
  D2 = mod(2n * -121665n * inv(121666n));
  const x = 15112221349535400772501151409588531511454012693041857206046113283949847762202n;
  const y = 46316835694926478169428394003475163141307993866256225615783033603165251855960n;
  BASE = [x, y, 1n, (x * y) % P];
}

/** P + Q ("add-2008-hwcd-3", unified: it doubles too). */
function add([x1, y1, z1, t1], [x2, y2, z2, t2]) {
  const a = ((y1 - x1) * (y2 - x2)) % P;
  const b = ((y1 + x1) * (y2 + x2)) % P;
  const c = (((t1 * D2) % P) * t2) % P;
  const d = (2n * z1 * z2) % P;
  const e = b - a;
  const f = d - c;
  const g = d + c;
  const h = b + a;
  return [mod(e * f), mod(g * h), mod(f * g), mod(e * h)];
}

function multiply(point, scalar) {
  let q = [0n, 1n, 1n, 0n];
  for (let i = 255n; i >= 0n; i--) {
    q = add(q, q);
    if ((scalar >> i) & 1n) q = add(q, point);
  }
  return q;
}

function encodePoint([x, y, z]) {
  const zi = inv(z);
  const ax = (x * zi) % P;
  const ay = (y * zi) % P;
  return leBytes(ay | ((ax & 1n) << 255n), 32);
}

function leBytes(n, len) {
  const out = new Uint8Array(len);
  for (let i = 0; i < len; i++, n >>= 8n) out[i] = Number(n & 255n);
  return out;
}

function leNumber(bytes) {
  let n = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(bytes[i]);
  return n;
}

const concat = (...parts) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};

/** The public key and a signer for a 32-byte ed25519 seed. */
function ed25519(seed) {
  if (BASE === null) curveConstants();
  const h = sha512(seed);
  const head = h.slice(0, 32);
  head[0] &= 248;
  head[31] &= 127;
  head[31] |= 64;
  const a = leNumber(head);
  const prefix = h.slice(32);
  const publicKey = encodePoint(multiply(BASE, a));
  const sign = (message) => {
    const r = mod(leNumber(sha512(concat(prefix, message))), L);
    const big = encodePoint(multiply(BASE, r));
    const k = mod(leNumber(sha512(concat(big, publicKey, message))), L);
    return concat(big, leBytes(mod(r + k * a, L), 32));
  };
  return { publicKey, sign };
}

// ----- NKEYs -------------------------------------------------------------------------------

const badSeed = (why) => coded("BAD_AUTHENTICATION", `invalid nkey seed: ${why}`);

/**
 * Signs the server's `nonce` with an encoded NKEY seed (`SU...`): returns the encoded public
 * key and the signature (base64url). Errors never repeat the seed.
 */
export function nkeySign(seedText, nonce) {
  const raw = base32Decode(seedText.trim());
  if (raw === null) throw badSeed("not base32");
  if (raw.length !== 36) throw badSeed("wrong length");
  const body = raw.subarray(0, 34);
  if (crc16(body) !== (raw[34] | (raw[35] << 8))) throw badSeed("checksum mismatch");
  if ((body[0] & 0xf8) !== PREFIX_SEED) throw badSeed("not a seed (it must start with 'S')");
  const type = ((body[0] & 7) << 5) | ((body[1] & 0xf8) >> 3);
  if (!KEY_TYPES.includes(type)) throw badSeed("unknown key type");
  const keys = ed25519(body.subarray(2));
  const pub = concat([type], keys.publicKey);
  const crc = crc16(pub);
  return [base32Encode(concat(pub, [crc & 255, crc >> 8])), base64url(keys.sign(new TextEncoder().encode(nonce)))];
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
