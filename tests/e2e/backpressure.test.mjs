// Send backpressure: a page that publishes faster than the server takes bytes (here a server
// stopped with SIGSTOP for a few seconds) keeps bounded memory, is told so with
// OUTBOUND_BUFFER_FULL, and every message it was allowed to publish arrives.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { BROWSER, heapAfterGc, skipRef, useEnv, wasmMemory } from "./harness.mjs";

const MiB = 1024 * 1024;
const TOTAL = 200 * MiB;
const SIZE = 64 * 1024;
const LIMIT = 64 * MiB;
const STOPPED_MS = 3000;
const h = useEnv({ config: "max_payload: 1048576" });

describe("backpressure", () => {
  it("200 MiB to a stopped server: bounded buffers, OUTBOUND_BUFFER_FULL, every publish delivered", {
    timeout: 120_000,
    skip: skipRef("nats.ws buffers without bound"),
  }, async () => {
    const wasm0 = await wasmMemory(h.env.run);
    const heap0 = await heapAfterGc(h.env.page);
    // Connect both sides while the server runs.
    await h.env.run(async ({ mod, url }) => {
      const nats = await import(mod);
      const state = (globalThis.__bp = { published: 0, refused: 0, received: 0, maxBuffered: 0, socket: null });
      state.pub = T.track(await nats.connect({
        servers: url,
        // A factory that keeps the socket, to watch its send buffer.
        wsFactory: (u) => (state.socket = new WebSocket(u)),
      }));
      state.sub = T.track(await nats.connect({ servers: url }));
      state.sub.subscribe("bp.data", { callback: (_, m) => (state.received += m.data.length) });
      await state.sub.flush();
    });
    process.kill(h.env.server.pid, "SIGSTOP");
    let resumed = false;
    const resume = () => {
      if (!resumed) process.kill(h.env.server.pid, "SIGCONT");
      resumed = true;
    };
    const timer = setTimeout(resume, STOPPED_MS);
    try {
      const r = await h.env.run(async ({ mod, total, size }) => {
        const nats = await import(mod);
        const s = globalThis.__bp;
        const data = new Uint8Array(size).fill(7);
        const t0 = Date.now();
        while (s.published < total) {
          try {
            s.pub.publish("bp.data", data);
            s.published += size;
          } catch (e) {
            if (e.code !== nats.ErrorCode.OutboundBufferFull) throw e;
            s.refused++;
            // Wait until the server has what was published, then go on.
            await s.pub.flush();
          }
          s.maxBuffered = Math.max(s.maxBuffered, s.socket.bufferedAmount);
          // Let the socket report its progress now and then.
          if (s.published % (4 * 1024 * 1024) === 0) await new Promise((r) => setTimeout(r, 0));
        }
        await s.pub.flush();
        await T.until(() => s.received === s.published, 60_000, "every published byte received");
        const out = { published: s.published, received: s.received, refused: s.refused, maxBuffered: s.maxBuffered, ms: Date.now() - t0 };
        await s.pub.close();
        await s.sub.close();
        delete globalThis.__bp;
        return out;
      }, { total: TOTAL, size: SIZE });
      const wasm1 = await wasmMemory(h.env.run);
      const heap1 = await heapAfterGc(h.env.page);
      console.log(`# backpressure: ${r.published / MiB} MiB in ${r.ms} ms, ${r.refused} refusals, ` +
        `socket buffer at most ${(r.maxBuffered / MiB).toFixed(1)} MiB; wasm ${(wasm0 / MiB).toFixed(2)} -> ` +
        `${(wasm1 / MiB).toFixed(2)} MiB, JS heap ${(heap0 / MiB).toFixed(1)} -> ${(heap1 / MiB).toFixed(1)} MiB`);
      assert.equal(r.published, TOTAL);
      assert.equal(r.received, r.published, "every message that was published arrived");
      // WebKitGTK's network process takes part of what a page sends, and a socket's
      // bufferedAmount counts only what it has not taken yet: there the page's memory stays
      // bounded (checked below), but the limit is reached in some runs only (0 or 2 refusals
      // in the 3 s stop: the browser held the rest).
      if (BROWSER !== "webkit") assert.ok(r.refused > 0, "the limit was reached while the server was stopped");
      assert.ok(r.maxBuffered <= LIMIT + SIZE, `the socket held ${r.maxBuffered} bytes`);
      assert.ok(wasm1 - wasm0 <= 4 * MiB, `wasm memory grew by ${wasm1 - wasm0} bytes`);
      // The JS heap is measured in Chromium only (heapAfterGc gives null elsewhere).
      if (heap0 !== null) assert.ok(heap1 - heap0 < 16 * MiB, `JS heap grew by ${heap1 - heap0} bytes`);
    } finally {
      clearTimeout(timer);
      resume();
    }
  });
});
