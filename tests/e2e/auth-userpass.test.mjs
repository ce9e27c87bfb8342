// user/password authentication (and a server-side permission error reported via status())
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { TIMEOUT, useEnv } from "./harness.mjs";

const h = useEnv({
  config: `
authorization {
  users: [
    { user: alice, password: s3cret, permissions: { publish: { deny: ["forbidden.>"] } } }
  ]
}
`,
});

async function tryConnect(opts) {
  return await h.env.run(async ({ mod, url, opts }) => {
    const nats = await import(mod);
    const t0 = Date.now();
    const r = await T.capture(async () => {
      const nc = T.track(await T.within(nats.connect({ servers: url, ...opts }), 10000, "connect"));
      // prove the connection is usable
      const sub = nc.subscribe("auth.echo", { max: 1 });
      nc.publish("auth.echo", "ok");
      let got = null;
      await T.within((async () => {
        for await (const m of sub) got = m.string();
      })(), 5000, "echo");
      await nc.close();
      return got;
    });
    return { ...r, ms: Date.now() - t0 };
  }, { opts });
}

describe("user/password authorization", () => {
  it("connects with the right user and password", { timeout: TIMEOUT }, async () => {
    const r = await tryConnect({ user: "alice", pass: "s3cret" });
    assert.deepEqual({ ok: r.ok, value: r.value }, { ok: true, value: "ok" }, JSON.stringify(r));
  });

  it("a wrong password rejects with AUTHORIZATION_VIOLATION", { timeout: TIMEOUT }, async () => {
    const r = await tryConnect({ user: "alice", pass: "wrong" });
    assert.equal(r.ok, false);
    assert.equal(r.error.code, "AUTHORIZATION_VIOLATION", JSON.stringify(r.error));
    assert.ok(r.ms < 8000, `rejected in ${r.ms} ms`);
  });

  it("an unknown user rejects with AUTHORIZATION_VIOLATION", { timeout: TIMEOUT }, async () => {
    const r = await tryConnect({ user: "mallory", pass: "s3cret" });
    assert.equal(r.ok, false);
    assert.equal(r.error.code, "AUTHORIZATION_VIOLATION", JSON.stringify(r.error));
  });

  it("no credentials rejects with AUTHORIZATION_VIOLATION", { timeout: TIMEOUT }, async () => {
    const r = await tryConnect({});
    assert.equal(r.ok, false);
    assert.equal(r.error.code, "AUTHORIZATION_VIOLATION", JSON.stringify(r.error));
  });

  it("a publish permission violation is reported by status() and can be broken out of", { timeout: TIMEOUT }, async () => {
    const r = await h.env.run(async ({ mod, url }) => {
      const nats = await import(mod);
      const nc = T.track(await nats.connect({ servers: url, user: "alice", pass: "s3cret" }));
      const seen = [];
      const loop = (async () => {
        for await (const s of nc.status()) {
          seen.push({
            type: s.type,
            data: typeof s.data === "string" ? s.data : String(s.data),
            permissionContext: s.permissionContext ?? null,
          });
          if (s.type === nats.Events.Error) break;
        }
        return "ended";
      })();
      nc.publish("forbidden.topic", "nope");
      const ended = await T.within(loop, 5000, "status error event");
      // the connection stays usable
      const rtt = await T.within(nc.rtt(), 5000, "rtt");
      await nc.close();
      return { ended, seen, rtt, eventsError: nats.Events.Error };
    });
    assert.equal(r.ended, "ended");
    assert.equal(r.eventsError, "error");
    const err = r.seen.find((s) => s.type === "error");
    assert.ok(err, `error status seen: ${JSON.stringify(r.seen)}`);
    assert.match(err.data, /PERMISSIONS_VIOLATION|Permissions Violation/i);
    assert.equal(err.permissionContext?.operation, "publish");
    assert.equal(err.permissionContext?.subject, "forbidden.topic");
    assert.equal(typeof r.rtt, "number");
  });
});
