// No leaks: after many subscribe/unsubscribe and connect/close cycles the JS heap returns to
// within 10% of where it started (measured after a forced GC through the DevTools protocol).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { heapAfterGc, skipRef, useEnv, wasmMemory as wasmMemoryOf } from "./harness.mjs";

const h = useEnv();

const wasmMemory = () => wasmMemoryOf(h.env.run);

/**
 * Wraps WebSocket, EventTarget listeners and timers in the page so that what a closed
 * connection leaves behind can be counted: sockets not closed or still holding handlers,
 * page listeners added and not removed, timers neither fired nor cleared.
 */
function instrument() {
  const sockets = [];
  const Native = globalThis.WebSocket;
  globalThis.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      sockets.push(this);
    }
  };
  const listeners = new Map();
  const key = (target, type, fn) => `${target === window ? "window" : target === document ? "document" : "other"}:${type}`;
  const add = EventTarget.prototype.addEventListener;
  const remove = EventTarget.prototype.removeEventListener;
  EventTarget.prototype.addEventListener = function (type, fn, o) {
    if (this === window || this === document) listeners.set(fn, key(this, type));
    return add.call(this, type, fn, o);
  };
  EventTarget.prototype.removeEventListener = function (type, fn, o) {
    listeners.delete(fn);
    return remove.call(this, type, fn, o);
  };
  // Pending timers, with their delays (which one is left says whose it is).
  const timers = new Map();
  const st = globalThis.setTimeout;
  const ct = globalThis.clearTimeout;
  globalThis.setTimeout = function (fn, ms, ...rest) {
    const id = st.call(globalThis, (...a) => {
      timers.delete(id);
      if (typeof fn === "function") fn(...a);
    }, ms, ...rest);
    timers.set(id, ms);
    return id;
  };
  globalThis.clearTimeout = function (id) {
    timers.delete(id);
    return ct.call(globalThis, id);
  };
  globalThis.leftovers = () => ({
    sockets: sockets.length,
    notClosed: sockets.filter((w) => w.readyState !== Native.CLOSED).length,
    withHandlers: sockets.filter((w) => w.onmessage || w.onclose || w.onerror || w.onopen).length,
    pageListeners: [...listeners.values()],
    timers: [...timers.values()],
  });
}

describe("leaks", () => {
  it("10,000 subscribe/unsubscribe and 1,000 connect/close cycles leave heap, wasm memory, sockets, listeners and timers where they were", { timeout: 240_000, skip: skipRef("measured for our package") }, async () => {
    const page = h.env.page;
    await page.evaluate(`(${instrument})()`);
    // Warm up with one full round, so one-time growth (code, caches, tables) is out.
    const cycles = async (subs, conns) =>
      h.env.run(async ({ mod, url, subs, conns }) => {
        const nats = await import(mod);
        const nc = await nats.connect({ servers: url });
        for (let i = 0; i < subs; i++) {
          const s = nc.subscribe(`leak.${i}`);
          s.unsubscribe();
          if (i % 1000 === 999) await nc.flush();
        }
        await nc.close();
        for (let i = 0; i < conns; i++) {
          const c = await nats.connect({ servers: url });
          const s = c.subscribe("leak.x");
          c.publish("leak.x", "x");
          await c.flush();
          s.unsubscribe();
          await c.close();
        }
        return true;
      }, { subs, conns });
    // The instrumentation sees what an open connection holds (so the checks below can fail).
    const open = await h.env.run(async ({ mod, url }) => {
      const nats = await import(mod);
      const nc = await nats.connect({ servers: url });
      const seen = leftovers();
      await nc.close();
      return seen;
    });
    assert.ok(open.pageListeners.length > 0 && open.withHandlers === 1 && open.timers.length > 0, JSON.stringify(open));
    await cycles(10_000, 1000);
    const before = await heapAfterGc(page);
    const wasmBefore = await wasmMemory();
    await cycles(10_000, 1000);
    // Socket close events arrive after close() resolved; give them a moment.
    await new Promise((r) => setTimeout(r, 500));
    const after = await heapAfterGc(page);
    const wasmAfter = await wasmMemory();
    const left = await page.evaluate("leftovers()");
    console.log(`# leaks: JS heap ${before} -> ${after} bytes after GC; wasm memory ${wasmBefore} -> ${wasmAfter} bytes; ${JSON.stringify(left)}`);
    // The JS heap is measured in Chromium only (heapAfterGc gives null elsewhere).
    if (before !== null) assert.ok(after <= before * 1.1, `heap grew from ${before} to ${after}`);
    assert.ok(wasmAfter <= wasmBefore * 1.1, `wasm memory grew from ${wasmBefore} to ${wasmAfter}`);
    assert.equal(left.sockets, 2 * 1001 + 1, "every connect made one socket");
    assert.equal(left.notClosed, 0, "every socket is closed");
    assert.equal(left.withHandlers, 0, "no socket keeps a handler");
    assert.deepEqual(left.pageListeners, [], "no page listener left");
    assert.deepEqual(left.timers, [], "no timer left (their delays)");
  });
});
