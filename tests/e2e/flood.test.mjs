// Floods: a subscriber (or a requestMany iterator) that never reads keeps at most its pending
// limits, whatever the server sends; memory (JS heap after GC and wasm linear memory) stays
// bounded and returns once the subscription is gone. The publisher is a plain TCP client in
// node, so the page only receives.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import net from "node:net";
import { heapAfterGc, skipRef, useEnv, wasmMemory as wasmMemoryOf } from "./harness.mjs";
import { onLines, publishBurst } from "../../bench/publisher.mjs";

const h = useEnv();
const MiB = 1024 * 1024;
const wasmMemory = () => wasmMemoryOf(h.env.run);

/**
 * A TCP responder: for the first request on `subject`, sends `count` replies of `size` bytes
 * to its reply subject, then PING; resolves when the server answered PONG.
 */
function floodReplies({ port, subject, count, size, timeoutMs = 60_000 }) {
  return new Promise((resolve, reject) => {
    const sock = net.connect({ host: "127.0.0.1", port });
    let sent = false;
    const timer = setTimeout(() => done(new Error("responder timed out")), timeoutMs);
    const done = (err) => {
      clearTimeout(timer);
      sock.destroy();
      if (err) reject(err);
      else resolve();
    };
    sock.on("error", done);
    sock.write(`CONNECT {"verbose":false,"pedantic":false}\r\nSUB ${subject} 1\r\nPING\r\n`);
    onLines(sock, (line) => {
      if (line === "PONG" && sent) done();
      else if (line.startsWith("MSG ") && !sent) {
        const [, , , reply] = line.split(" ");
        sent = true;
        const one = `PUB ${reply} ${size}\r\n${"r".repeat(size)}\r\n`;
        const chunkOf = one.repeat(1000);
        for (let n = 0; n < count; n += 1000) sock.write(chunkOf);
        sock.write("PING\r\n");
      }
    });
  });
}

describe("floods", () => {
  it("1,000,000 messages to an iterator that is never read: bounded queue and memory", { timeout: 180_000, skip: skipRef("pending limits are ours") }, async () => {
    const page = h.env.page;
    const COUNT = 1_000_000;
    await h.env.run(async ({ mod, url }) => {
      const nats = await import(mod);
      const nc = T.track(await nats.connect({ servers: url }));
      const statuses = [];
      (async () => {
        for await (const s of nc.status()) statuses.push(s.type);
      })();
      const sub = nc.subscribe("flood.never.read");
      await nc.flush();
      globalThis.flood = { nc, sub, statuses };
    });
    const heap0 = await heapAfterGc(page);
    const wasm0 = await wasmMemory(page);

    await publishBurst({ port: h.env.server.port, subject: "flood.never.read", size: 16, count: COUNT });
    const got = await h.env.run(async ({ COUNT }) => {
      const { nc, sub, statuses } = globalThis.flood;
      const t0 = performance.now();
      while (sub.getReceived() < COUNT && performance.now() - t0 < 60_000) {
        await new Promise((r) => setTimeout(r, 50));
      }
      await nc.flush();
      return {
        received: sub.getReceived(),
        pending: sub.getPending(),
        dropped: sub.getDropped(),
        slow: statuses.filter((s) => s === "slowConsumer").length,
      };
    }, { COUNT });
    const heap1 = await heapAfterGc(page);
    const wasm1 = await wasmMemory(page);

    await h.env.run(async () => {
      const { nc, sub } = globalThis.flood;
      sub.unsubscribe();
      await nc.close();
      delete globalThis.flood;
    });
    const heap2 = await heapAfterGc(page);
    const wasm2 = await wasmMemory(page);
    console.log(
      `# flood: ${got.received} msgs, pending ${got.pending}, dropped ${got.dropped}; ` +
        `JS heap ${(heap0 / MiB).toFixed(1)} -> ${(heap1 / MiB).toFixed(1)} (flooded) -> ` +
        `${(heap2 / MiB).toFixed(1)} MiB (closed); wasm ${(wasm0 / MiB).toFixed(2)} -> ` +
        `${(wasm1 / MiB).toFixed(2)} -> ${(wasm2 / MiB).toFixed(2)} MiB`,
    );
    assert.equal(got.received, COUNT);
    assert.equal(got.pending, 65536, "the default pendingMsgs bound");
    assert.equal(got.dropped, COUNT - 65536);
    assert.equal(got.slow, 1, "one slowConsumer event for the episode");
    // 65,536 queued messages of 16 bytes: bounded far below what 1,000,000 would take.
    // The JS heap is measured in Chromium only (heapAfterGc gives null elsewhere).
    if (heap0 !== null) assert.ok(heap1 - heap0 < 32 * MiB, `heap grew by ${heap1 - heap0} bytes while flooded`);
    assert.ok(wasm1 - wasm0 <= 4 * MiB, `wasm memory grew by ${wasm1 - wasm0} bytes`);
    // Back to where it was, give or take what a closed connection leaves (its status
    // iterator's closure, compiled code): the 65,536 queued messages alone were ~7 MiB.
    if (heap0 !== null) assert.ok(heap2 - heap0 < 512 * 1024, `heap ${heap0} -> ${heap2} after the subscription closed`);
  });

  it("requestMany (mux) replies nobody reads are bounded by the same limits", { timeout: 120_000, skip: skipRef("pending limits are ours") }, async () => {
    const COUNT = 100_000;
    const replies = floodReplies({ port: h.env.server.port, subject: "flood.mux", count: COUNT, size: 8 });
    // Let the responder subscribe before the request goes out.
    await new Promise((r) => setTimeout(r, 200));
    await h.env.run(async ({ mod, url }) => {
      const nats = await import(mod);
      const nc = T.track(await nats.connect({ servers: url }));
      const it = await nc.requestMany("flood.mux", "q", { maxWait: 30_000 });
      globalThis.muxFlood = { nc, it };
    });
    await replies;
    const got = await h.env.run(async ({ COUNT }) => {
      const { nc, it } = globalThis.muxFlood;
      const t0 = performance.now();
      while (it.getReceived() < COUNT && performance.now() - t0 < 30_000) {
        await new Promise((r) => setTimeout(r, 50));
      }
      const r = { received: it.getReceived(), pending: it.getPending(), dropped: it.getDropped() };
      // Reading it now yields the queued replies; closing the connection then ends it.
      let read = 0;
      let end = "none";
      const reading = (async () => {
        try {
          for await (const _ of it) if (++read === r.pending) nc.close();
        } catch (err) {
          end = err.code;
        }
      })();
      await reading;
      delete globalThis.muxFlood;
      return { ...r, read, end };
    }, { COUNT });
    console.log(`# mux flood: ${JSON.stringify(got)}`);
    assert.equal(got.received, COUNT);
    assert.equal(got.pending, 65536);
    assert.equal(got.dropped, COUNT - 65536);
    assert.equal(got.read, 65536);
    assert.equal(got.end, "TIMEOUT", "an unfinished requestMany ends at close with TIMEOUT, as in nats.ws");
  });
});
