// token authentication
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { TIMEOUT, useEnv } from "./harness.mjs";

const h = useEnv({ config: `authorization { token: "t0k3n-e2e" }` });

async function tryConnect(opts) {
  return await h.env.run(async ({ mod, url, opts }) => {
    const nats = await import(mod);
    return await T.capture(async () => {
      const nc = T.track(await T.within(nats.connect({ servers: url, ...opts }), 10000, "connect"));
      const rtt = await nc.rtt();
      await nc.close();
      return typeof rtt;
    });
  }, { opts });
}

describe("token authorization", () => {
  it("connects with the right token", { timeout: TIMEOUT }, async () => {
    const r = await tryConnect({ token: "t0k3n-e2e" });
    assert.deepEqual(r, { ok: true, value: "number" });
  });

  it("a wrong token rejects with AUTHORIZATION_VIOLATION", { timeout: TIMEOUT }, async () => {
    const r = await tryConnect({ token: "wrong" });
    assert.equal(r.ok, false);
    assert.equal(r.error.code, "AUTHORIZATION_VIOLATION", JSON.stringify(r.error));
  });

  it("no token rejects with AUTHORIZATION_VIOLATION", { timeout: TIMEOUT }, async () => {
    const r = await tryConnect({});
    assert.equal(r.ok, false);
    assert.equal(r.error.code, "AUTHORIZATION_VIOLATION", JSON.stringify(r.error));
  });
});
