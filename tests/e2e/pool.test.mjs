// ConnectionsPool (issue 18): connections in namespaces, broadcast, and a drain that closes
// them in rate-limited batches. New API: not in nats.ws.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { skipRef, useEnv } from "./harness.mjs";

const h = useEnv();
const NEW_API = skipRef("ConnectionsPool is this package's API (nats.ws has none)");

/** The most timestamps (ms) that fall in any window [t, t + 1000). */
function mostInOneSecond(times) {
  const t = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; i < t.length; i++) {
    while (t[i] - t[j] >= 1000) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

describe("ConnectionsPool", () => {
  it("namespaces, ids, broadcast, publish, bad input, closing leaves the pool", { timeout: 30_000, skip: NEW_API }, async () => {
    const r = await h.env.run(async ({ mod, url }) => {
      const nats = await import(mod);
      const lastOf = [];
      const pool = new nats.ConnectionsPool({ onLastInNamespace: (ns) => lastOf.push(ns) });
      const watcher = T.track(await nats.connect({ servers: url }));
      const got = [];
      watcher.subscribe("pool.b.>", { callback: (_, m) => got.push(`${m.subject}:${m.string()}`) });
      await watcher.flush();
      const a = T.track(await nats.connect({ servers: url }));
      const b = T.track(await nats.connect({ servers: url }));
      const c = T.track(await nats.connect({ servers: url }));
      const ids = [pool.add(a, { namespace: "red", id: "a" }), pool.add(b, { namespace: "red" }), pool.add(c)];
      const dup = await T.capture(() => pool.add(T.track(c), { namespace: "red", id: "x" }));
      const d = T.track(await nats.connect({ servers: url }));
      const dupId = await T.capture(() => pool.add(d, { namespace: "red", id: "a" }));
      const shape = {
        size: [pool.size(), pool.size("red"), pool.size("default"), pool.size("none")],
        namespaces: pool.namespaces(),
        get: [pool.get("red", "a") === a, pool.get("red", ids[1]) === b, pool.get("red", "zz") === undefined],
        has: [pool.has(a), pool.has(d), pool.has("red", "a"), pool.has("red", "zz")],
        connections: pool.connections("red").length,
      };
      const sent = pool.broadcast("red", "pool.b.red", "hi");
      pool.publish("default", ids[2], "pool.b.one", "only");
      const badSubject = await T.capture(() => pool.broadcast("red", "pool.b. bad", "x"));
      const noConn = await T.capture(() => pool.publish("red", "zz", "pool.b.x", "x"));
      for (const nc of [a, b, c]) await nc.flush();
      await T.until(() => got.length === 3);
      await c.close();
      await T.until(() => pool.size("default") === 0);
      const removed = [pool.remove(a), pool.remove(a)];
      const afterRemove = { size: pool.size("red"), aOpen: !a.isClosed() };
      await pool.closeAll();
      return { ids, dup, dupId, shape, sent, got: got.sort(), badSubject, noConn, lastOf, removed, afterRemove, bClosed: b.isClosed(), size: pool.size() };
    });
    assert.deepEqual(r.ids, ["a", "1", "2"]);
    assert.equal(r.dup.error?.code, "POOL_DUPLICATE_ID", "a connection is in the pool once");
    assert.equal(r.dupId.error?.code, "POOL_DUPLICATE_ID", "an id is unique in its namespace");
    assert.deepEqual(r.shape, {
      size: [3, 2, 1, 0],
      namespaces: ["red", "default"],
      get: [true, true, true],
      has: [true, false, true, false],
      connections: 2,
    });
    assert.equal(r.sent, 2);
    assert.deepEqual(r.got, ["pool.b.one:only", "pool.b.red:hi", "pool.b.red:hi"], "bad input sent nothing");
    assert.equal(r.badSubject.error?.code, "BAD_SUBJECT");
    assert.equal(r.noConn.error?.code, "POOL_NO_CONNECTION");
    assert.deepEqual(r.lastOf, ["default", "red"], "a closed connection left by itself; then remove() of red's last");
    assert.deepEqual(r.removed, [true, false]);
    assert.deepEqual(r.afterRemove, { size: 1, aOpen: true });
    assert.ok(r.bClosed);
    assert.equal(r.size, 0);
  });

  it("drainConnections(10): 60 connections in 3 namespaces close in ≈ 6 s, never more than 10 in a second, nothing flushed is lost", {
    timeout: 60_000,
    skip: NEW_API,
  }, async () => {
    const N = 60;
    const r = await h.env.run(async ({ mod, url, n }) => {
      const nats = await import(mod);
      const pool = new nats.ConnectionsPool();
      const counter = T.track(await nats.connect({ servers: url }));
      let out = 0;
      counter.subscribe("pool.out", { callback: () => out++ });
      await counter.flush();
      const closedAt = [];
      let delivered = 0;
      const t0 = performance.now();
      for (let i = 0; i < n; i++) {
        const nc = T.track(await nats.connect({ servers: url, name: `pool-${i}` }));
        pool.add(nc, { namespace: `ns${i % 3}`, id: `c${i}` });
        nc.subscribe(`pool.in.${i}`, { callback: () => delivered++ });
        nc.closed().then(() => closedAt.push(performance.now() - t0));
        await nc.flush();
      }
      // Each pool connection publishes 50 (flushed); the feeder sends each 100 (flushed).
      const feeder = T.track(await nats.connect({ servers: url }));
      for (const nc of pool.connections()) {
        for (let k = 0; k < 50; k++) nc.publish("pool.out", "x");
      }
      await Promise.all(pool.connections().map((nc) => nc.flush()));
      for (let i = 0; i < n; i++) for (let k = 0; k < 100; k++) feeder.publish(`pool.in.${i}`, "y");
      await feeder.flush();
      const progress = [];
      const start = performance.now();
      const startAt = start - t0;
      await pool.drainConnections(10, undefined, (p) => progress.push(p.drained));
      const ms = performance.now() - start;
      const deliveredAtEnd = delivered;
      await T.until(() => out === n * 50, 5000, "every flushed publish of the pool");
      return { ms, startAt, closedAt: closedAt.map((t) => t - startAt), deliveredAtEnd, out, progress, size: pool.size() };
    }, { n: N });
    const server = await h.env.server.connz("state=closed&limit=1000");
    const serverStops = server.connections
      .filter((c) => /^pool-\d+$/.test(c.name || ""))
      .map((c) => Date.parse(c.stop.replace(/\.(\d{3})\d*/, ".$1")));
    console.log(`# pool: drainConnections(10) of ${N} took ${(r.ms / 1000).toFixed(2)} s; ` +
      `most closes in a second: page ${mostInOneSecond(r.closedAt)}, server ${mostInOneSecond(serverStops)}`);
    assert.equal(r.closedAt.length, N);
    assert.equal(serverStops.length, N, "the server saw every connection close");
    assert.ok(r.ms >= 5500 && r.ms <= 7500, `≈ 6 s (took ${r.ms} ms)`);
    assert.ok(mostInOneSecond(r.closedAt) <= 10, "at most 10 closes in any second (page)");
    assert.ok(mostInOneSecond(serverStops) <= 10, "at most 10 closes in any second (server)");
    assert.equal(r.deliveredAtEnd, N * 100, "every message flushed to the pool before the drain was delivered");
    assert.equal(r.out, N * 50);
    assert.deepEqual(r.progress, Array.from({ length: N }, (_, i) => i + 1));
    assert.equal(r.size, 0, "closed connections left the pool");
  });
});
