// nats.ws behaviours found by running its README against both clients, each checked here
// against nats.ws too: requests refused by the server's permissions fail at once, server
// error texts keep their quotes, drain ends subscriptions in creation order, sub.drain()'s
// contract, getServer() after close, and numeric options checked one way.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { TIMEOUT, skipRef, useEnv } from "./harness.mjs";

const h = useEnv({
  config: `authorization { users: [
    { user: a, password: b, permissions: { publish: { deny: ["secret.>"] } } }
  ] }`,
});

describe("drop-in behaviours", () => {
  it("a request the server may not publish fails at once with PERMISSIONS_VIOLATION", { timeout: TIMEOUT }, async () => {
    const r = await h.env.run(async ({ mod, url }) => {
      const nats = await import(mod);
      const nc = T.track(await nats.connect({ servers: url, user: "a", pass: "b" }));
      const statuses = [];
      (async () => { for await (const s of nc.status()) statuses.push(s); })();
      const t0 = Date.now();
      const err = await nc.request("secret.x", nats.Empty, { timeout: 5000 }).then(() => null, (e) => e);
      const noMux = await T.capture(() => nc.request("secret.y", nats.Empty, { timeout: 5000, noMux: true }));
      const many = await T.capture(async () => {
        const it = await nc.requestMany("secret.z", nats.Empty, { maxWait: 5000 });
        for await (const m of it) void m;
      });
      const ms = Date.now() - t0;
      const out = { one: err?.code, message: err?.message, ctx: err?.permissionContext, noMux: noMux.error?.code, many: many.error?.code, ms, statuses: statuses.filter((s) => s.type === "error").length };
      await nc.close();
      return out;
    });
    assert.equal(r.one, "PERMISSIONS_VIOLATION");
    assert.equal(r.message, `'Permissions Violation for Publish to "secret.x"'`);
    // (`queue` spelled out: through WebDriver's JSON an undefined field is dropped.)
    assert.deepEqual({ ...r.ctx, queue: r.ctx.queue }, { operation: "publish", subject: "secret.x", queue: undefined });
    assert.equal(r.noMux, "PERMISSIONS_VIOLATION");
    assert.equal(r.many, "PERMISSIONS_VIOLATION");
    assert.ok(r.ms < 3000, `failed after ${r.ms} ms, not at the timeout`);
    assert.ok(r.statuses >= 2, "reported as status events too");
  });

  it("server error texts keep their quotes", { timeout: TIMEOUT }, async () => {
    const r = await h.env.run(async ({ mod, url }) => {
      const nats = await import(mod);
      return T.capture(() => nats.connect({ servers: url, user: "a", pass: "wrong", reconnect: false }));
    });
    h.env.allowErrors(/WebSocket connection to .* failed/);
    assert.equal(r.error.code, "AUTHORIZATION_VIOLATION");
    assert.equal(r.error.message, "'Authorization Violation'");
  });

  it("drain ends subscriptions in creation order; getServer() still names the server", { timeout: TIMEOUT }, async () => {
    const r = await h.env.run(async ({ mod, url }) => {
      const nats = await import(mod);
      const nc = T.track(await nats.connect({ servers: url, user: "a", pass: "b" }));
      const order = [];
      const names = ["a", "b", "c", "d", "e", "f", "g", "h"];
      for (const n of names) nc.subscribe(`order.${n}`, { callback: () => {} }).closed.then(() => order.push(n));
      await nc.drain();
      await T.sleep(10);
      return { order, server: nc.getServer(), url };
    });
    assert.deepEqual(r.order, ["a", "b", "c", "d", "e", "f", "g", "h"]);
    assert.equal(r.server, r.url.replace("ws://", ""));
  });

  it("sub.drain() resolves after the server confirms; an iterator ends once read to the end", { timeout: TIMEOUT }, async () => {
    const r = await h.env.run(async ({ mod, url }) => {
      const nats = await import(mod);
      const nc = T.track(await nats.connect({ servers: url, user: "a", pass: "b" }));
      const cb = nc.subscribe("sd.cb", { callback: () => {} });
      const it = nc.subscribe("sd.it");
      for (let i = 0; i < 5; i++) nc.publish("sd.it");
      await nc.flush();
      await cb.drain();
      const cbClosed = cb.isClosed();
      await it.drain();
      const out = { cbClosed, itClosedAtDrain: it.isClosed(), queued: it.getPending() >= 5 };
      let read = 0;
      for await (const m of it) read += m ? 1 : 0;
      out.read = read;
      out.itClosedAfterRead = it.isClosed();
      out.again = await it.drain().then(() => "resolved", (e) => e.code);
      await nc.close();
      return out;
    });
    assert.deepEqual(r, {
      cbClosed: true, itClosedAtDrain: false, queued: true, read: 5, itClosedAfterRead: true, again: "SUB_CLOSED",
    });
  });

  it("numeric options that are not finite numbers in range are INVALID_OPTION", { timeout: TIMEOUT, skip: skipRef("nats.ws reads them with ||, so NaN means the default") }, async () => {
    const r = await h.env.run(async ({ mod, url }) => {
      const nats = await import(mod);
      const nc = T.track(await nats.connect({ servers: url, user: "a", pass: "b" }));
      const code = async (fn) => (await T.capture(fn)).error?.code ?? "ok";
      const out = {
        subTimeoutNaN: await code(() => nc.subscribe("n", { timeout: NaN })),
        subTimeoutNegative: await code(() => nc.subscribe("n", { timeout: -1 })),
        subMaxNaN: await code(() => nc.subscribe("n", { max: NaN })),
        subMaxString: await code(() => nc.subscribe("n", { max: "3" })),
        requestTimeoutNaN: await code(() => nc.request("n", nats.Empty, { timeout: NaN })),
        requestTimeoutNegative: await code(() => nc.request("n", nats.Empty, { timeout: -5 })),
        maxWaitNaN: await code(() => nc.requestMany("n", nats.Empty, { maxWait: NaN })),
        maxWaitInfinity: await code(() => nc.requestMany("n", nats.Empty, { maxWait: Infinity })),
        jitterNaN: await code(() => nc.requestMany("n", nats.Empty, { strategy: "jitterTimer", jitter: NaN })),
        maxMessagesNaN: await code(() => nc.requestMany("n", nats.Empty, { strategy: "count", maxMessages: NaN })),
        unsubscribeNaN: await code(() => nc.subscribe("n").unsubscribe(NaN)),
      };
      await nc.close();
      return out;
    });
    for (const [k, v] of Object.entries(r)) assert.equal(v, "INVALID_OPTION", k);
  });
});
