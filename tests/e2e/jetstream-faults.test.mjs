// JetStream when things go wrong, against real nats-servers: an ordered consumer across a
// server restart and across its consumer being deleted under it (every message exactly once,
// in order), and a pull consumer's missed heartbeats while the server is stopped (SIGSTOP)
// and its recovery after SIGCONT. Each test also runs against nats.ws.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { IS_REFERENCE, startServer, useEnv } from "./harness.mjs";

const h = useEnv({ jetstream: true });

/** nats.ws logs this when a connection closes while its consumer is being checked. */
const allowReferenceNoise = () => IS_REFERENCE && h.env.allowErrors(/aborting resetPending/);

/** Starts an ordered consumer in the page that records what it reads in `__oc`. */
async function orderedReader({ mod, servers, stream, total }) {
  const nats = await import(mod);
  const nc = await nats.connect({ servers, reconnectTimeWait: 200, reconnectJitter: 0, maxReconnectAttempts: -1 });
  T.track(nc);
  const jsm = await nc.jetstreamManager();
  await jsm.streams.add({ name: stream, subjects: [`${stream}.>`] });
  const js = nc.jetstream();
  for (let i = 1; i <= total; i += 100) {
    await Promise.all(Array.from({ length: 100 }, (_, k) => js.publish(`${stream}.x`, `${i + k}`)));
  }
  const c = await js.consumers.get(stream);
  const iter = await c.consume({ max_messages: 50, expires: 2000 });
  const state = { nc, js, jsm, c, got: [], events: [] };
  globalThis.__oc = state;
  (async () => {
    for await (const s of await iter.status()) state.events.push(s.type);
  })();
  (async () => {
    for await (const m of iter) {
      state.got.push(Number(m.string()));
      // A slow reader: the outage or the deletion comes while messages are in flight.
      if (state.got.length % 50 === 0) await T.sleep(5);
    }
  })();
  return true;
}

/** Publishes `from..to` once the connection is up, then waits until the reader has `to`. */
async function publishAndWait({ stream, from, to, ms }) {
  const s = globalThis.__oc;
  await T.until(() => !s.nc.isClosed() && s.nc.info, 10_000, "connected");
  for (let i = from; i <= to; i += 100) {
    const n = Math.min(100, to - i + 1);
    await Promise.all(Array.from({ length: n }, (_, k) => s.js.publish(`${stream}.x`, `${i + k}`)));
  }
  await T.until(() => s.got.length >= to, ms, `${to} messages (have ${s.got.length})`);
  await T.sleep(300);
  const got = s.got;
  const inOrder = got.every((v, i) => v === i + 1);
  return { count: got.length, inOrder, last: got[got.length - 1], events: [...new Set(s.events)] };
}

describe("ordered consumer faults", () => {
  it("across a server restart: every message exactly once, in order", { timeout: 90_000 }, async () => {
    allowReferenceNoise();
    const storeDir = fs.mkdtempSync(path.join(os.tmpdir(), "nats-js-store-"));
    const s1 = await startServer({ jetstream: true, storeDir });
    let s2;
    try {
      await h.env.run(orderedReader, { servers: s1.wsUrl, stream: "RESTART", total: 2000 });
      await h.env.run(async () => T.until(() => __oc.got.length >= 300, 10_000, "300 read"));
      await s1.stop();
      s2 = await startServer({ jetstream: true, storeDir, ports: s1.ports });
      const r = await h.env.run(publishAndWait, { stream: "RESTART", from: 2001, to: 3000, ms: 45_000 });
      assert.equal(r.count, 3000);
      assert.equal(r.inOrder, true, "in order, no gap, no repeat");
      await h.env.run(async () => {
        await __oc.jsm.streams.delete("RESTART");
        await __oc.nc.close();
      });
    } finally {
      await s1.stop();
      await s2?.stop();
      fs.rmSync(storeDir, { recursive: true, force: true });
    }
    h.env.allowErrors(/WebSocket connection to .* failed/);
  });

  it("across its consumer being deleted under it: every message exactly once, in order", { timeout: 60_000 }, async () => {
    allowReferenceNoise();
    await h.env.run(orderedReader, { servers: h.env.wsUrl, stream: "DELETED", total: 1000 });
    await h.env.run(async () => {
      await T.until(() => __oc.got.length >= 200, 10_000, "200 read");
      const names = [];
      for await (const ci of __oc.jsm.consumers.list("DELETED")) names.push(ci.name);
      for (const n of names) await __oc.jsm.consumers.delete("DELETED", n);
    });
    const r = await h.env.run(publishAndWait, { stream: "DELETED", from: 1001, to: 2000, ms: 30_000 });
    assert.equal(r.count, 2000);
    assert.equal(r.inOrder, true, "in order, no gap, no repeat");
    await h.env.run(async () => {
      await __oc.jsm.streams.delete("DELETED");
      await __oc.nc.close();
    });
  });
});

describe("pull consumer heartbeats", () => {
  it("reports heartbeats_missed while the server is stopped, and resumes after SIGCONT", { timeout: 60_000 }, async () => {
    allowReferenceNoise();
    const s = await startServer({ jetstream: true });
    try {
      await h.env.run(async ({ mod, servers }) => {
        const nats = await import(mod);
        const nc = T.track(await nats.connect({ servers }));
        const jsm = await nc.jetstreamManager();
        await jsm.streams.add({ name: "HB", subjects: ["hb"] });
        await jsm.consumers.add("HB", { durable_name: "hb", ack_policy: nats.AckPolicy.None });
        const js = nc.jetstream();
        const c = await js.consumers.get("HB", "hb");
        const iter = await c.consume({ idle_heartbeat: 1000, expires: 10_000 });
        const state = { nc, js, got: [], missed: [] };
        globalThis.__hb = state;
        (async () => {
          for await (const st of await iter.status()) {
            if (st.type === nats.ConsumerEvents.HeartbeatsMissed) state.missed.push([Date.now(), st.data]);
          }
        })();
        (async () => {
          for await (const m of iter) state.got.push(m.string());
        })();
        await js.publish("hb", "before");
        await T.until(() => state.got.length === 1, 5000, "first message");
        // Heartbeats are flowing: none is missed while the server is up.
        await T.sleep(2500);
        return state.missed.length;
      }, { servers: s.wsUrl });
      const stoppedAt = Date.now();
      process.kill(s.pid, "SIGSTOP");
      let missed;
      try {
        missed = await h.env.run(async () => {
          await T.until(() => __hb.missed.length > 0, 10_000, "heartbeats_missed");
          return __hb.missed[0];
        });
      } finally {
        process.kill(s.pid, "SIGCONT");
      }
      const after = missed[0] - stoppedAt;
      console.log(`# heartbeats_missed ${after} ms after SIGSTOP (interval 1000 ms), count ${missed[1]}`);
      // The core reports at two intervals after the last heartbeat; nats.ws checks on a
      // timer of one interval, so it reports between two and three intervals.
      assert.ok(after <= (IS_REFERENCE ? 3000 : 2000) + 400, `reported after ${after} ms`);
      assert.ok(missed[1] >= 2);
      const got = await h.env.run(async () => {
        await __hb.js.publish("hb", "after");
        await T.until(() => __hb.got.includes("after"), 15_000, "a message after SIGCONT");
        await __hb.nc.close();
        return __hb.got;
      });
      assert.deepEqual(got, ["before", "after"]);
    } finally {
      await s.stop();
    }
  });
});
