// NKEY authentication and authenticator functions (called at every connect).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { skipRef, TIMEOUT, useEnv } from "./harness.mjs";

// Throwaway keys made for these tests (never used anywhere else).
const USER_SEED = "SUAJ4HP42ZU5POBLQFZD5ZKX64XWDBTKZ3BC4QRGZDTE4TXXEXD3E3SO3A";
const USER_PUBLIC = "UDYVEMOIBJF4I3Y56NKTLM5RNFVZNK3BHV67XZ5VD4XCVKRGDPWCHYHH";
// A valid user seed whose public key the server does not know.
const OTHER_SEED = "SUAOPQJ3C4LSEI7LOEBSQSNMTQZBTHEOFB4JGDDRLYUK4FVQEO46CVLOD4";

const h = useEnv({
  config: `authorization { users: [ { nkey: ${USER_PUBLIC} }, { user: fn, password: "p4ss" } ] }`,
});

async function tryConnect(auth) {
  return await h.env.run(async ({ mod, url, auth }) => {
    const nats = await import(mod);
    const te = new TextEncoder();
    const opts = { servers: url };
    if (auth.seed) opts.authenticator = nats.nkeyAuthenticator(te.encode(auth.seed));
    if (auth.seedFn) opts.authenticator = nats.nkeyAuthenticator(() => te.encode(auth.seedFn));
    // A browser without WebCrypto's Ed25519: the package loads its ed25519.js instead.
    const importKey = crypto.subtle.importKey;
    if (auth.noWebCryptoEd25519) {
      crypto.subtle.importKey = function (format, key, algorithm, ...rest) {
        if (algorithm?.name === "Ed25519") return Promise.reject(new DOMException("no Ed25519", "NotSupportedError"));
        return importKey.call(this, format, key, algorithm, ...rest);
      };
    }
    if (auth.userFn) {
      globalThis.__calls = 0;
      opts.authenticator = nats.usernamePasswordAuthenticator(() => (++globalThis.__calls, "fn"), () => "p4ss");
    }
    try {
      return await T.capture(async () => {
        const nc = T.track(await T.within(nats.connect(opts), 10000, "connect"));
        await nc.flush();
        await nc.close();
        return { ok: true, calls: globalThis.__calls ?? null };
      });
    } finally {
      crypto.subtle.importKey = importKey;
    }
  }, { auth });
}

describe("nkey authentication", () => {
  it("signs the nonce with the seed and connects", { timeout: TIMEOUT }, async () => {
    const r = await tryConnect({ seed: USER_SEED });
    assert.equal(r.ok, true, JSON.stringify(r.error));
  });

  it("signs with the package's ed25519.js where WebCrypto has no Ed25519", { timeout: TIMEOUT, skip: skipRef("nats.ws signs with tweetnacl") }, async () => {
    const r = await tryConnect({ seed: USER_SEED, noWebCryptoEd25519: true });
    assert.equal(r.ok, true, JSON.stringify(r.error));
  });

  it("accepts the seed as a function", { timeout: TIMEOUT }, async () => {
    const r = await tryConnect({ seedFn: USER_SEED });
    assert.equal(r.ok, true, JSON.stringify(r.error));
  });

  it("an unknown key is refused with AUTHORIZATION_VIOLATION", { timeout: TIMEOUT }, async () => {
    const r = await tryConnect({ seed: OTHER_SEED });
    assert.equal(r.ok, false);
    assert.equal(r.error.code, "AUTHORIZATION_VIOLATION", JSON.stringify(r.error));
  });

  it("a malformed seed fails with a clear coded error that does not echo it", { timeout: TIMEOUT, skip: skipRef("nats.ws throws its own nkeys error") }, async () => {
    const broken = USER_SEED.slice(0, 20) + "AAAA" + USER_SEED.slice(24);
    const r = await tryConnect({ seed: broken });
    assert.equal(r.ok, false);
    assert.equal(r.error.code, "BAD_AUTHENTICATION", JSON.stringify(r.error));
    assert.ok(!r.error.message.includes(broken), r.error.message);
  });

  it("authenticator functions are called at connect", { timeout: TIMEOUT }, async () => {
    const r = await tryConnect({ userFn: true });
    assert.equal(r.ok, true, JSON.stringify(r.error));
    assert.ok(r.value.calls >= 1);
  });
});
