// Soak: continuous publish/subscribe/request traffic while the server is restarted
// SOAK_RESTARTS times (20 by default; more for a longer soak, e.g. SOAK_RESTARTS=200).
//
// The publishing connection also subscribes to what it publishes, so a message counts as
// flushed once its flush resolved: the server's PONG comes after every MSG it queued for this
// client before it read the PING (and after a reconnect the client sends its SUBs before the
// buffered PUBs). Every flushed message must reach that subscription exactly once. A second
// connection subscribes too; it may miss what was published while it was away, but must
// never see a message twice or out of order. Every request either succeeds or fails with a
// coded error, and the page reports no unhandled rejection or error (the harness fails the
// test on any).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { skipRef, startServer, useEnv } from "./harness.mjs";

const h = useEnv();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const RESTARTS = Number(process.env.SOAK_RESTARTS || 20);

/** Page side: starts the traffic loops and keeps their tallies in globalThis.soak. */
async function startTraffic({ mod, url }) {
  const nats = await import(mod);
  const opts = { servers: url, maxReconnectAttempts: -1, reconnectTimeWait: 100, reconnectJitter: 0, pingInterval: 1000 };
  const pub = T.track(await nats.connect({ ...opts, name: "soak-pub" }));
  const sub = T.track(await nats.connect({ ...opts, name: "soak-sub" }));
  const s = {
    running: true,
    published: 0,
    flushed: 0, // how many messages were flushed (their batch's flush resolved)
    confirmed: [], // [first, last] seq of each flushed batch
    received: [], // seqs in arrival order, on the publishing connection
    receivedOther: [], // the same, on the other connection
    requests: { ok: 0, failed: {} },
    publishErrors: {},
    reconnects: 0,
    disconnects: 0,
  };
  globalThis.soak = s;
  for (const nc of [pub, sub]) {
    (async () => {
      for await (const st of nc.status()) {
        if (st.type === "reconnect") s.reconnects++;
        if (st.type === "disconnect") s.disconnects++;
      }
    })();
  }
  pub.subscribe("soak.data", { callback: (_e, m) => s.received.push(Number(m.string())) });
  sub.subscribe("soak.data", { callback: (_e, m) => s.receivedOther.push(Number(m.string())) });
  sub.subscribe("soak.req", { callback: (_e, m) => m.respond(m.data) });
  await sub.flush();
  const tally = (bucket, err) => {
    const code = err?.code ?? `uncoded: ${err}`;
    bucket[code] = (bucket[code] || 0) + 1;
  };

  const publishing = (async () => {
    let seq = 0;
    while (s.running) {
      // A batch, then the flush that makes it count as delivered.
      const from = seq + 1;
      for (let i = 0; i < 50; i++) {
        try {
          pub.publish("soak.data", String(seq + 1));
          seq++;
          s.published = seq;
        } catch (err) {
          // The reconnect buffer can fill during an outage: a coded, thrown error.
          tally(s.publishErrors, err);
          break;
        }
      }
      const upTo = seq;
      try {
        await pub.flush();
        if (upTo >= from) {
          s.confirmed.push([from, upTo]);
          s.flushed += upTo - from + 1;
        }
      } catch {
        // A flush in flight when the connection dropped: its batch may have died with the
        // socket, so it is not counted (a later flush does not vouch for it either).
      }
      await new Promise((r) => setTimeout(r, 5));
    }
  })();
  const requesting = (async () => {
    let n = 0;
    while (s.running) {
      try {
        const m = await pub.request("soak.req", String(++n), { timeout: 1000 });
        if (m.string() !== String(n)) throw new Error(`wrong reply ${m.string()} to ${n}`);
        s.requests.ok++;
      } catch (err) {
        tally(s.requests.failed, err);
        await new Promise((r) => setTimeout(r, 20));
      }
    }
  })();
  globalThis.stopTraffic = async () => {
    s.running = false;
    await Promise.all([publishing, requesting]);
    // Whatever is still owed arrives now that the server stays up.
    await pub.flush();
    await sub.flush();
    await pub.close();
    await sub.close();
  };
}

describe("soak", () => {
  it(`${RESTARTS} server restarts under traffic: flushed messages exactly once, coded request errors`, { timeout: 60_000 + RESTARTS * 10_000, skip: skipRef("nats.ws drops publishes made while disconnected") }, async () => {
    h.env.allowErrors(/WebSocket connection to .* failed/);
    let server = await startServer();
    const ports = server.ports;
    try {
      await h.env.run(startTraffic, { url: server.wsUrl });
      const progress = () => h.env.run(async () => ({ flushed: soak.flushed, reconnects: soak.reconnects }));
      for (let r = 0; r < RESTARTS; r++) {
        // Let traffic flow and some of it be confirmed on this server first.
        const before = await progress();
        const t0 = Date.now();
        while ((await progress()).flushed < before.flushed + 200 && Date.now() - t0 < 10_000) await sleep(25);
        await server.stop();
        await sleep(50 + (r % 5) * 40);
        server = await startServer({ ports });
        // Both connections are back before the next restart.
        const t1 = Date.now();
        while ((await progress()).reconnects < 2 * (r + 1) && Date.now() - t1 < 15_000) await sleep(25);
      }
      await sleep(300);
      const s = await h.env.run(async () => {
        await stopTraffic();
        const { received, receivedOther, confirmed, ...rest } = soak;
        const check = (list) => {
          const seen = new Map();
          let outOfOrder = 0;
          for (let i = 0; i < list.length; i++) {
            seen.set(list[i], (seen.get(list[i]) || 0) + 1);
            if (i > 0 && list[i] <= list[i - 1]) outOfOrder++;
          }
          let missingFlushed = 0;
          for (const [a, b] of soak.confirmed) for (let q = a; q <= b; q++) if (!seen.has(q)) missingFlushed++;
          const dups = [...seen.values()].filter((n) => n > 1).length;
          return { count: list.length, dups, outOfOrder, missingFlushed };
        };
        return { ...rest, self: check(received), other: check(receivedOther) };
      });
      console.log(`# soak: ${RESTARTS} restarts; ${JSON.stringify(s)}`);
      assert.equal(s.reconnects, 2 * RESTARTS, "both connections reconnected after every restart");
      assert.ok(s.flushed > RESTARTS * 200, `flushed ${s.flushed}`);
      assert.equal(s.self.missingFlushed, 0, "every flushed message arrived");
      for (const r of [s.self, s.other]) {
        assert.equal(r.dups, 0, "no message arrived twice");
        assert.equal(r.outOfOrder, 0, "messages arrived in publish order");
      }
      assert.ok(s.requests.ok > 0, "requests succeeded between restarts");
      const allowed = new Set(["DISCONNECT", "TIMEOUT", "503", "CONNECTION_CLOSED"]);
      for (const code of Object.keys(s.requests.failed)) assert.ok(allowed.has(code), `request failed with ${code}`);
      for (const code of Object.keys(s.publishErrors)) assert.equal(code, "DISCONNECT", `publish failed with ${code}`);
    } finally {
      await h.env.run(async () => globalThis.soak && (soak.running = false)).catch(() => {});
      await server.stop();
    }
  });
});
