// Readers (issue 18): many loops on one subscription, each with its own bounded backlog;
// close (loops finish their backlogs) vs kill (they end now, backlogs dropped and counted);
// once(); and the same for connection events (listeners). New API: not in nats.ws.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { heapAfterGc, skipRef, useEnv, wasmMemory } from "./harness.mjs";

const h = useEnv();
const NEW_API = skipRef("readers are this package's API (nats.ws has none)");
const MiB = 1024 * 1024;

/** JS heap after GC plus wasm memory (null where the browser has no DevTools protocol). */
async function liveBytes() {
  const heap = await heapAfterGc(h.env.page);
  return heap === null ? null : heap + (await wasmMemory(h.env.run));
}

describe("subscription readers", () => {
  it("4 readers at different speeds: the fast see all 100,000 in order, the stalled one stays bounded", {
    timeout: 120_000,
    skip: NEW_API,
  }, async () => {
    const BOUND = 10_000;
    await h.env.run(async ({ mod, url, bound }) => {
      const nats = await import(mod);
      const s = (globalThis.__rd = { slow: [] });
      s.nc = T.track(await nats.connect({ servers: url }));
      s.pub = T.track(await nats.connect({ servers: url }));
      s.sub = s.nc.subscribe("rd.x", { pendingMsgs: bound });
      (async () => {
        for await (const e of s.nc.listener(nats.DebugEvents.SlowConsumer)) s.slow.push(e.data);
      })();
      // Three loops at different speeds, and one that never reads.
      const speeds = {
        fast: async () => {},
        microtask: async () => await null,
        paced: async (n) => {
          if (n % 5000 === 0) await new Promise((r) => setTimeout(r, 0));
        },
      };
      s.seen = {};
      for (const [name, pause] of Object.entries(speeds)) {
        const r = s.sub.createReader();
        const seen = (s.seen[name] = { n: 0, inOrder: true, id: r.id });
        (async () => {
          for await (const m of r) {
            if (Number(m.string()) !== seen.n) seen.inOrder = false;
            seen.n++;
            await pause(seen.n);
          }
          seen.ended = true;
        })();
      }
      s.stalled = s.sub.createReader();
      s.publish = async (from, to) => {
        for (let i = from; i < to; i++) {
          s.pub.publish("rd.x", String(i));
          if (i % 1000 === 999) await s.pub.flush();
        }
        await s.pub.flush();
        await T.until(() => Object.values(s.seen).every((v) => v.n === to), 60_000, `every fast reader at ${to}`);
      };
      await s.nc.flush();
      await s.publish(0, 50_000);
    }, { bound: BOUND });
    const live1 = await liveBytes();
    const mid = await h.env.run(async () => {
      const s = globalThis.__rd;
      await s.publish(50_000, 100_000);
      return { backlog: s.stalled.getBackpressure(), dropped: s.stalled.getDropped(), own: s.sub.getPending() };
    });
    const live2 = await liveBytes();
    const r = await h.env.run(async () => {
      const s = globalThis.__rd;
      const out = {
        seen: s.seen,
        stalledId: s.stalled.id,
        stats: s.sub.getReaderStats(),
        most: s.sub.getBackpressure(),
        slow: s.slow,
      };
      s.stalled.kill();
      out.afterKill = { stats: s.sub.getReaderStats(), most: s.sub.getBackpressure(), dropped: s.stalled.getDropped() };
      return out;
    });
    const live3 = await liveBytes();
    for (const [name, seen] of Object.entries(r.seen)) {
      assert.equal(seen.n, 100_000, `${name} saw every message`);
      assert.ok(seen.inOrder, `${name} saw them in order`);
    }
    assert.deepEqual(mid, { backlog: BOUND, dropped: 50_000 - BOUND + 50_000, own: 0 });
    assert.equal(r.most, BOUND, "the subscription's backpressure is its largest backlog");
    assert.deepEqual(
      r.stats.map((x) => x.backpressure).sort((a, b) => a - b),
      [0, 0, 0, BOUND],
    );
    assert.equal(r.slow.length, 1, "one slowConsumer episode");
    assert.equal(r.slow[0].reader, r.stalledId, "slowConsumer names the reader");
    assert.equal(r.afterKill.most, 0);
    assert.equal(r.afterKill.stats.length, 3, "the killed reader left the subscription");
    assert.equal(r.afterKill.dropped, 100_000, "kill() counts the backlog it dropped");
    if (live1 !== null) {
      console.log(`# readers: live memory (JS heap after GC + wasm) ${(live1 / MiB).toFixed(1)} MiB at 50,000, ` +
        `${(live2 / MiB).toFixed(1)} MiB at 100,000, ${(live3 / MiB).toFixed(1)} MiB after kill()`);
      assert.ok(live2 - live1 < 2 * MiB, `memory grew by ${live2 - live1} bytes from 50,000 to 100,000`);
      assert.ok(live2 - live3 > 0.5 * MiB, `kill() released ${live2 - live3} bytes`);
    }
    await h.env.run(async () => {
      const s = globalThis.__rd;
      await s.nc.close();
      await s.pub.close();
      delete globalThis.__rd;
    });
  });

  for (const how of ["close", "kill"]) {
    it(`${how}(): with backlogs of 1,000, every loop ${how === "close" ? "yields its backlog, then ends" : "ends at once, its backlog counted as dropped"}`, {
      timeout: 30_000,
      skip: NEW_API,
    }, async () => {
      const r = await h.env.run(async ({ mod, url, how }) => {
        const nats = await import(mod);
        const nc = T.track(await nats.connect({ servers: url }));
        const sub = nc.subscribe("rd.ck");
        // The subscription's own loop has started (and waits), two readers have not read.
        const own = sub[Symbol.asyncIterator]();
        const readers = [sub.createReader(), sub.createReader()];
        for (let i = 0; i < 1000; i++) nc.publish("rd.ck", String(i));
        await nc.flush();
        await T.until(() => sub.getPending() === 1000 && readers.every((x) => x.getBackpressure() === 1000));
        const before = { most: sub.getBackpressure(), stats: sub.getReaderStats() };
        sub[how]();
        const drain = async (it) => {
          let n = 0;
          while (!(await it.next()).done) n++;
          return n;
        };
        const got = [await drain(own), ...(await Promise.all(readers.map((x) => drain(x[Symbol.asyncIterator]()))))];
        await T.within(sub.closed, 2000, "closed");
        return { before, got, dropped: [sub.getDropped(), ...readers.map((x) => x.getDropped())], closed: sub.isClosed() };
      }, { how });
      assert.equal(r.before.most, 1000);
      assert.deepEqual(r.before.stats, [{ id: 1, backpressure: 1000 }, { id: 2, backpressure: 1000 }]);
      if (how === "close") {
        assert.deepEqual(r.got, [1000, 1000, 1000]);
        assert.deepEqual(r.dropped, [0, 0, 0]);
      } else {
        assert.deepEqual(r.got, [0, 0, 0]);
        assert.deepEqual(r.dropped, [1000, 1000, 1000]);
      }
      assert.ok(r.closed);
      const connz = await h.env.server.connz("subs=1");
      assert.ok(!connz.connections.some((c) => (c.subscriptions_list || []).includes("rd.ck")), "unsubscribed at the server");
    });
  }

  it("a loop that breaks removes its reader only; killReader, once(), and readers of a closed subscription", {
    timeout: 30_000,
    skip: NEW_API,
  }, async () => {
    const r = await h.env.run(async ({ mod, url }) => {
      const nats = await import(mod);
      const nc = T.track(await nats.connect({ servers: url }));
      const sub = nc.subscribe("rd.b");
      const quitter = sub.createReader();
      const stayer = sub.createReader();
      const idle = sub.createReader();
      let quit = 0;
      let stayed = 0;
      const q = (async () => {
        for await (const _ of quitter) if (++quit === 5) break;
      })();
      const s = (async () => {
        for await (const _ of stayer) stayed++;
      })();
      for (let i = 0; i < 10; i++) nc.publish("rd.b", String(i));
      await nc.flush();
      await q;
      await T.until(() => stayed === 10);
      const afterBreak = sub.getReaderStats().map((x) => x.id);
      const killed = [sub.killReader(idle.id), sub.killReader(idle.id)];
      const timedOut = await T.capture(() => sub.once(100));
      const onceP = sub.once(2000);
      nc.publish("rd.b", "once");
      const one = (await onceP).string();
      const readersAfterOnce = sub.getReaderStats().length;
      sub.unsubscribe();
      await s;
      const late = await T.capture(() => sub.once());
      const lateReader = sub.createReader();
      const lateDone = (await lateReader[Symbol.asyncIterator]().next()).done;
      return { quit, stayed, afterBreak, killed, timedOut, one, readersAfterOnce, late, lateDone, open: sub.isClosed() };
    });
    assert.equal(r.quit, 5);
    assert.equal(r.stayed, 11, "the other reader saw every message");
    assert.deepEqual(r.afterBreak, [2, 3], "the reader whose loop broke left");
    assert.deepEqual(r.killed, [true, false]);
    assert.equal(r.timedOut.error?.code, "TIMEOUT");
    assert.equal(r.one, "once");
    assert.equal(r.readersAfterOnce, 1, "once() leaves no reader behind");
    assert.equal(r.late.error?.code, "SUB_CLOSED");
    assert.ok(r.lateDone);
  });
});

describe("connection listeners", () => {
  it("listener(type) sees only that type; close/kill per type; status() unchanged", {
    timeout: 30_000,
    skip: NEW_API,
  }, async () => {
    const r = await h.env.run(async ({ mod, url }) => {
      const nats = await import(mod);
      const nc = T.track(await nats.connect({ servers: url }));
      const reconnects = nc.listener(nats.Events.Reconnect);
      const all = nc.listener();
      const status = nc.status();
      for (let i = 0; i < 2; i++) {
        const back = nc.listener(nats.Events.Reconnect)[Symbol.asyncIterator]().next();
        await nc.reconnect();
        await T.within(back, 5000, "reconnect");
      }
      const before = {
        reconnect: nc.getListenerBackpressure(nats.Events.Reconnect),
        all: nc.getListenerBackpressure(),
        none: nc.getListenerBackpressure("nothing"),
      };
      nc.closeListener(nats.Events.Reconnect);
      const types = [];
      for await (const e of reconnects) types.push(e.type);
      const allPending = all.getPending();
      nc.killListener();
      const allNext = await all[Symbol.asyncIterator]().next();
      const statusNext = await status[Symbol.asyncIterator]().next();
      return { before, types, allPending, allDone: allNext.done, allDropped: all.getDropped(), statusDone: statusNext.done, after: nc.getListenerBackpressure() };
    });
    assert.equal(r.before.reconnect, 2);
    assert.ok(r.before.all > 2, `every event reached the listener of all types (${r.before.all})`);
    assert.equal(r.before.none, 0);
    assert.deepEqual(r.types, ["reconnect", "reconnect"], "closeListener: the backlog, then the end");
    assert.ok(r.allDone && r.statusDone, "killListener() ends every listener, status() too");
    assert.equal(r.allDropped, r.allPending);
    assert.equal(r.after, 0);
  });
});
