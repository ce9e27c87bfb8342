// No leaks: after many subscribe/unsubscribe and connect/close cycles the JS heap returns to
// within 10% of where it started (measured after a forced GC through the DevTools protocol).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { skipRef, useEnv } from "./harness.mjs";

const h = useEnv();

/** JS heap in use after a full GC. */
async function heapAfterGc(page) {
  const cdp = await page.context().newCDPSession(page);
  try {
    for (let i = 0; i < 3; i++) await cdp.send("HeapProfiler.collectGarbage");
    const { usedSize } = await cdp.send("Runtime.getHeapUsage");
    return usedSize;
  } finally {
    await cdp.detach();
  }
}

describe("leaks", () => {
  it("10,000 subscribe/unsubscribe and 300 connect/close cycles leave the heap where it was", { timeout: 120_000, skip: skipRef("measured for our package") }, async () => {
    const page = h.env.page;
    // Warm up with one full round, so one-time growth (code, caches, tables) is out.
    const cycles = async (subs, conns) =>
      h.env.run(async ({ mod, url, subs, conns }) => {
        const nats = await import(mod);
        const nc = T.track(await nats.connect({ servers: url }));
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
    await cycles(10_000, 300);
    const before = await heapAfterGc(page);
    await cycles(10_000, 300);
    const after = await heapAfterGc(page);
    console.log(`# leaks: JS heap ${before} -> ${after} bytes after GC`);
    assert.ok(after <= before * 1.1, `heap grew from ${before} to ${after}`);
  });
});
