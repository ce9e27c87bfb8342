// drain of subscriptions and connections
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { TIMEOUT, useEnv } from "./harness.mjs";

const h = useEnv();

describe("drain", () => {
  it("sub.drain() delivers messages already sent and closes the subscription", { timeout: TIMEOUT }, async () => {
    const r = await h.env.run(async ({ mod, url }) => {
      const nats = await import(mod);
      const nc = T.track(await nats.connect({ servers: url }));
      const pub = T.track(await nats.connect({ servers: url }));
      const got = [];
      const sub = nc.subscribe("drain.sub", { callback: (_e, m) => got.push(Number(m.string())) });
      await nc.flush();
      for (let i = 0; i < 200; i++) pub.publish("drain.sub", String(i));
      await pub.flush();
      const p = sub.drain();
      const draining = sub.isDraining();
      await T.within(p, 5000, "sub.drain()");
      await T.within(sub.closed, 2000, "sub.closed");
      const out = { got: got.length, inOrder: got.every((v, i) => v === i), draining, isClosed: sub.isClosed() };
      // later messages are not delivered
      pub.publish("drain.sub", "late");
      await pub.flush();
      await nc.flush();
      out.after = got.length;
      out.connClosed = nc.isClosed();
      await nc.close();
      await pub.close();
      return out;
    });
    assert.deepEqual(r, { got: 200, inOrder: true, draining: true, isClosed: true, after: 200, connClosed: false });
  });

  it("sub.drain() on an iterator ends the loop after pending messages", { timeout: TIMEOUT }, async () => {
    const r = await h.env.run(async ({ mod, url }) => {
      const nats = await import(mod);
      const nc = T.track(await nats.connect({ servers: url }));
      const pub = T.track(await nats.connect({ servers: url }));
      const sub = nc.subscribe("drain.iter");
      await nc.flush();
      for (let i = 0; i < 20; i++) pub.publish("drain.iter", String(i));
      await pub.flush();
      const loop = (async () => {
        const seen = [];
        for await (const m of sub) seen.push(m.string());
        return seen;
      })();
      await T.within(sub.drain(), 5000, "sub.drain()");
      const seen = await T.within(loop, 5000, "iterator end");
      await nc.close();
      await pub.close();
      return seen;
    });
    assert.deepEqual(r, Array.from({ length: 20 }, (_, i) => String(i)));
  });

  it("nc.drain() flushes subscriptions, closes the connection, blocks new subscriptions", { timeout: TIMEOUT }, async () => {
    const r = await h.env.run(async ({ mod, url }) => {
      const nats = await import(mod);
      const nc = T.track(await nats.connect({ servers: url }));
      const pub = T.track(await nats.connect({ servers: url }));
      let cbCount = 0;
      nc.subscribe("drain.conn.cb", { callback: () => cbCount++ });
      const isub = nc.subscribe("drain.conn.iter");
      const loop = (async () => {
        let n = 0;
        for await (const _m of isub) n++;
        return n;
      })();
      await nc.flush();
      for (let i = 0; i < 100; i++) {
        pub.publish("drain.conn.cb", "x");
        pub.publish("drain.conn.iter", "y");
      }
      await pub.flush();
      const closed = nc.closed();
      const drainP = nc.drain();
      const out = { isDraining: nc.isDraining() };
      out.subscribeDuringDrain = await T.capture(() => nc.subscribe("drain.conn.new"));
      out.drainResult = await T.capture(() => T.within(drainP, 5000, "nc.drain()"));
      out.closedResult = await T.capture(() => T.within(closed, 5000, "nc.closed()"));
      out.isClosed = nc.isClosed();
      out.iterCount = await T.within(loop, 5000, "iterator end");
      out.cbCount = cbCount;
      await pub.close();
      return out;
    });
    assert.equal(r.isDraining, true);
    assert.equal(r.subscribeDuringDrain.ok, false);
    assert.equal(r.subscribeDuringDrain.error.code, "CONNECTION_DRAINING");
    assert.deepEqual(r.drainResult, { ok: true, value: null }, "drain() resolves to undefined");
    assert.deepEqual(r.closedResult, { ok: true, value: null }, "closed() resolves to undefined");
    assert.equal(r.isClosed, true);
    assert.equal(r.iterCount, 100);
    assert.equal(r.cbCount, 100);
  });

  it("nc.drain() on a closed connection rejects with CONNECTION_CLOSED", { timeout: TIMEOUT }, async () => {
    const r = await h.env.run(async ({ mod, url }) => {
      const nats = await import(mod);
      const nc = T.track(await nats.connect({ servers: url }));
      await nc.close();
      return await T.capture(() => T.within(nc.drain(), 5000, "drain"));
    });
    assert.equal(r.ok, false);
    assert.equal(r.error.code, "CONNECTION_CLOSED");
  });

  it("sub.drain() twice: the second call returns the first one's Promise, as in nats.ws", { timeout: TIMEOUT }, async () => {
    const r = await h.env.run(async ({ mod, url }) => {
      const nats = await import(mod);
      const nc = T.track(await nats.connect({ servers: url }));
      const sub = nc.subscribe("drain.twice");
      const a = sub.drain();
      await a;
      const second = await sub.drain().then(() => "resolved", (e) => e.code);
      await nc.close();
      return second;
    });
    assert.equal(r, "resolved");
  });
});
