// Connection lifecycle against real nats-server processes: restart, cluster failover,
// lame duck, stale detection, reconnect disabled. Each test starts and stops its own servers
// (loopback only) and records how long detection and recovery took.
import { beforeEach, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { freePorts, NATS_SERVER, skipRef, startServer, TIMEOUT, useEnv } from "./harness.mjs";

const h = useEnv();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Page side: connects, records status events and messages on `r.>` in window.__rc. */
async function connectRecorder({ mod, servers, opts }) {
  const nats = await import(mod);
  const nc = T.track(await nats.connect({ servers, ...opts }));
  const rc = { nc, events: [], got: [], t0: Date.now() };
  (async () => {
    for await (const s of nc.status()) rc.events.push({ type: s.type, data: s.data, at: Date.now() });
  })();
  nc.subscribe("r.>", { callback: (_e, m) => rc.got.push(m.string()) });
  await nc.flush();
  globalThis.__rc = rc;
  // Waits for a status event of `type`; returns when it happened.
  globalThis.waitEvent = async ({ type, ms }) => {
    await T.until(() => __rc.events.some((e) => e.type === type), ms, type);
    return __rc.events.find((e) => e.type === type).at;
  };
  return nc.getServer();
}

/** Page side: see `globalThis.waitEvent` above. */
const waitEvent = (args) => globalThis.waitEvent(args);

/** Closes the page's connection so that stopping servers afterwards starts no reconnects. */
const closeClient = () => h.env.run(async () => { await globalThis.__rc?.nc.close(); });

describe("reconnect", () => {
  beforeEach(() => {
    // Chromium logs every refused WebSocket dial to the console; reconnecting means some.
    h.env.allowErrors(/WebSocket connection to .* failed/);
  });

  it("survives a server restart: subscriptions resume, the outage's publishes arrive", { timeout: 60_000, skip: skipRef("nats.ws drops publishes made while disconnected (nats.js #213)") }, async () => {
    const s1 = await startServer();
    let s2;
    try {
      await h.env.run(connectRecorder, {
        servers: s1.wsUrl,
        opts: { reconnectTimeWait: 200, reconnectJitter: 0, maxReconnectAttempts: -1 },
      });
      await h.env.run(async () => {
        for (let i = 0; i < 10; i++) __rc.nc.publish(`r.${i}`, `before ${i}`);
        await __rc.nc.flush();
      });
      const stoppedAt = Date.now();
      await s1.stop();
      await h.env.run(waitEvent, { type: "disconnect", ms: 10_000 });
      // Publishes during the outage go to the reconnect buffer.
      await h.env.run(async () => {
        for (let i = 0; i < 10; i++) __rc.nc.publish(`r.${i}`, `during ${i}`);
      });
      s2 = await startServer({ ports: s1.ports });
      const r = await h.env.run(async () => {
        const reconnectedAt = await waitEvent({ type: "reconnect", ms: 15_000 });
        await T.until(() => __rc.got.length >= 20, 5000, "20 messages");
        // The restored subscription works for new traffic too.
        __rc.nc.publish("r.after", "after");
        await T.until(() => __rc.got.includes("after"), 5000, "after");
        return { reconnectedAt, got: __rc.got, types: __rc.events.map((e) => e.type) };
      });
      console.log(`# restart: reconnected ${r.reconnectedAt - stoppedAt} ms after the server stopped`);
      assert.equal(r.got.filter((m) => m.startsWith("before")).length, 10);
      assert.deepEqual(
        r.got.filter((m) => m.startsWith("during")),
        Array.from({ length: 10 }, (_, i) => `during ${i}`),
        "every buffered publish arrives exactly once, in order",
      );
      assert.ok(r.types.indexOf("disconnect") < r.types.indexOf("reconnect"), r.types.join());
    } finally {
      await closeClient();
      await s1.stop();
      await s2?.stop();
    }
  });

  it("fails over to another cluster node learned from connect_urls", { timeout: 60_000, skip: skipRef("nats.ws reports no update for nodes joining the cluster here") }, async () => {
    const [c1, c2, c3] = await freePorts(3);
    const routes = `routes: [nats-route://127.0.0.1:${c1}, nats-route://127.0.0.1:${c2}, nats-route://127.0.0.1:${c3}]`;
    const node = (cp) => startServer({ config: `cluster { name: c, host: 127.0.0.1, port: ${cp}, ${routes} }` });
    // Node 1 starts alone; the client then learns of nodes 2 and 3 as they join.
    const nodes = [await node(c1)];
    try {
      const first = await h.env.run(connectRecorder, {
        servers: nodes[0].wsUrl,
        opts: { reconnectTimeWait: 500, reconnectJitter: 100, maxReconnectAttempts: -1 },
      });
      assert.equal(first, `127.0.0.1:${nodes[0].wsPort}`);
      nodes.push(await node(c2), await node(c3));
      const added = await h.env.run(async ({ want }) => {
        const all = () => __rc.events.filter((e) => e.type === "update").flatMap((e) => e.data.added);
        await T.until(() => want.every((p) => all().some((a) => a.endsWith(`:${p}`))), 15_000, "update");
        return all();
      }, { want: [nodes[1].wsPort, nodes[2].wsPort] });
      for (const n of nodes.slice(1)) {
        assert.ok(added.some((a) => a.endsWith(`:${n.wsPort}`)), `${n.wsPort} in ${added}`);
      }
      const killedAt = Date.now();
      await nodes[0].stop();
      const r = await h.env.run(async () => {
        const at = await waitEvent({ type: "reconnect", ms: 15_000 });
        __rc.nc.publish("r.failover", "still here");
        await T.until(() => __rc.got.includes("still here"), 5000, "message after failover");
        return { at, server: __rc.nc.getServer() };
      });
      console.log(`# failover: reconnected ${r.at - killedAt} ms after the node stopped`);
      assert.ok(r.at - killedAt < 500 + 100 + 3000, `failover took ${r.at - killedAt} ms`);
      assert.notEqual(r.server, first);
    } finally {
      await closeClient();
      for (const n of nodes) await n.stop();
    }
  });

  it("moves away from a server in lame duck mode", { timeout: 60_000, skip: skipRef("nats.ws does not move on ldm") }, async () => {
    const [c1, c2] = await freePorts(2);
    const routes = `routes: [nats-route://127.0.0.1:${c1}, nats-route://127.0.0.1:${c2}]`;
    const node = (cp) => startServer({
      config: `cluster { name: c, host: 127.0.0.1, port: ${cp}, ${routes} }\nlame_duck_duration: "30s"\nlame_duck_grace_period: "1s"`,
    });
    const nodes = [await node(c1)];
    try {
      await h.env.run(connectRecorder, {
        servers: nodes[0].wsUrl,
        opts: { reconnectTimeWait: 200, reconnectJitter: 0, maxReconnectAttempts: -1 },
      });
      nodes.push(await node(c2));
      await h.env.run(async () => {
        await T.until(() => __rc.events.some((e) => e.type === "update"), 15_000, "update");
      });
      const signaledAt = Date.now();
      const sig = spawnSync(NATS_SERVER, ["--signal", `ldm=${nodes[0].pid}`], { timeout: 10_000 });
      assert.equal(sig.status, 0, String(sig.stderr));
      const r = await h.env.run(async () => {
        const ldm = await waitEvent({ type: "ldm", ms: 10_000 });
        const moved = await waitEvent({ type: "reconnect", ms: 10_000 });
        return { ldm, moved, server: __rc.nc.getServer() };
      });
      console.log(`# ldm: event after ${r.ldm - signaledAt} ms, moved after ${r.moved - signaledAt} ms`);
      assert.equal(r.server, `127.0.0.1:${nodes[1].wsPort}`);
    } finally {
      await closeClient();
      for (const n of nodes) await n.stop();
    }
  });

  it("detects a server that stops answering within pingInterval * (maxPingOut + 1)", { timeout: 60_000 }, async () => {
    const s = await startServer();
    try {
      await h.env.run(connectRecorder, {
        servers: s.wsUrl,
        opts: { pingInterval: 500, maxPingOut: 2, reconnectTimeWait: 200, maxReconnectAttempts: -1 },
      });
      const stoppedAt = Date.now();
      process.kill(s.pid, "SIGSTOP");
      try {
        const r = await h.env.run(async () => ({
          stale: await waitEvent({ type: "staleConnection", ms: 10_000 }),
          disconnect: await waitEvent({ type: "disconnect", ms: 10_000 }),
        }));
        console.log(`# stale: detected ${r.stale - stoppedAt} ms after the server froze`);
        assert.ok(r.stale - stoppedAt <= 500 * 3 + 1000, `took ${r.stale - stoppedAt} ms`);
      } finally {
        process.kill(s.pid, "SIGCONT");
      }
      // Once the server answers again, the client reconnects.
      await h.env.run(() => waitEvent({ type: "reconnect", ms: 15_000 }));
    } finally {
      await closeClient();
      await s.stop();
    }
  });

  it("a page becoming visible checks liveness at once instead of waiting for the ping interval", { timeout: 60_000, skip: skipRef("nats.ws ignores visibilitychange") }, async () => {
    const s = await startServer();
    try {
      await h.env.run(connectRecorder, {
        servers: s.wsUrl,
        opts: { pingInterval: 120_000, reconnectTimeWait: 200, maxReconnectAttempts: -1 },
      });
      process.kill(s.pid, "SIGSTOP");
      try {
        const r = await h.env.run(async () => {
          const visibleAt = Date.now();
          document.dispatchEvent(new Event("visibilitychange", { bubbles: true }));
          const stale = await waitEvent({ type: "staleConnection", ms: 10_000 });
          return { took: stale - visibleAt, state: document.visibilityState };
        });
        console.log(`# visibility: stale detected ${r.took} ms after the page became visible`);
        assert.equal(r.state, "visible");
        assert.ok(r.took < 5000, `took ${r.took} ms`);
      } finally {
        process.kill(s.pid, "SIGCONT");
      }
    } finally {
      await closeClient();
      await s.stop();
    }
  });

  it("without reconnect, closed() resolves to the error when the server goes away", { timeout: TIMEOUT, skip: skipRef("nats.ws resolves closed() to undefined here") }, async () => {
    const s = await startServer();
    try {
      await h.env.run(connectRecorder, { servers: s.wsUrl, opts: { reconnect: false } });
      await s.stop();
      const r = await h.env.run(async () => {
        const err = await T.within(__rc.nc.closed(), 10_000, "closed");
        return { err: T.err(err), closed: __rc.nc.isClosed(), types: __rc.events.map((e) => e.type) };
      });
      assert.equal(r.closed, true);
      assert.equal(typeof r.err?.code, "string");
    } finally {
      await s.stop();
    }
  });

  it("reconnect() forces a new connection and keeps subscriptions", { timeout: TIMEOUT }, async () => {
    await h.env.run(connectRecorder, { servers: h.env.wsUrl, opts: { reconnectTimeWait: 100 } });
    const r = await h.env.run(async () => {
      await __rc.nc.reconnect();
      await waitEvent({ type: "reconnect", ms: 10_000 });
      __rc.nc.publish("r.x", "after reconnect()");
      await T.until(() => __rc.got.includes("after reconnect()"), 5000, "message");
      return __rc.events.map((e) => e.type);
    });
    assert.ok(r.includes("disconnect") && r.includes("reconnect"), r.join());
  });
});
