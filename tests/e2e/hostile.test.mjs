// Hostile and broken servers: every case ends in a coded error within a bounded time, never a
// hang, a panic (which would kill the wasm module) or an unbounded allocation.
import { before, beforeEach, describe, it } from "node:test";
import assert from "node:assert/strict";
import { heapAfterGc, skipRef, useEnv, wasmMemory } from "./harness.mjs";
import { startHostile } from "./hostile.mjs";

const h = useEnv();

/** Connects (no reconnect, short timeout) and reports how the connection ended. */
async function outcome(url) {
  return await h.env.run(async ({ mod, url }) => {
    const nats = await import(mod);
    const start = Date.now();
    let nc;
    try {
      nc = T.track(await nats.connect({ servers: url, reconnect: false, timeout: 2000 }));
    } catch (e) {
      return { phase: "connect", err: T.err(e), ms: Date.now() - start };
    }
    const err = await T.within(nc.closed(), 10_000, "closed");
    // After the failure the module still works: a fresh, unrelated call succeeds.
    const inbox = nats.createInbox();
    return { phase: "closed", err: T.err(err), ms: Date.now() - start, inbox: inbox.length };
  }, { url });
}

const cases = [
  ["garbage instead of INFO", async (c) => c.send("\x00\xff garbage \r\n")],
  ["a server that never sends INFO", async () => {}],
  ["INFO that is not JSON", async (c) => c.send("INFO {not json}\r\n")],
  ["a 10 MiB INFO", async (c) => c.send("INFO {\"x\":\"" + "a".repeat(10 << 20) + "\"}\r\n")],
  ["a control line longer than the limit", async (c) => {
    await c.handshake();
    c.send("MSG " + "a".repeat(10_000));
  }],
  ["MSG declaring terabytes", async (c) => {
    await c.handshake();
    c.send("MSG a 1 1099511627776\r\n");
  }],
  ["MSG with a negative size", async (c) => {
    await c.handshake();
    c.send("MSG a 1 -5\r\nhello\r\n");
  }],
  ["MSG with a non-numeric size", async (c) => {
    await c.handshake();
    c.send("MSG a 1 five\r\nhello\r\n");
  }],
  ["HMSG whose header length exceeds the total", async (c) => {
    await c.handshake();
    c.send("HMSG a 1 50 20\r\nNATS/1.0\r\n\r\n01234567\r\n");
  }],
  ["a payload without its trailing CRLF", async (c) => {
    await c.handshake();
    c.send("MSG a 1 5\r\nhelloXXMSG a 1 5\r\n");
  }],
  ["a close in the middle of a frame", async (c) => {
    await c.handshake();
    c.sendRaw(Buffer.from([0x82, 126, 0x10, 0x00, 0x4d, 0x53, 0x47]));
    c.end();
  }],
  ["a close in the middle of an operation", async (c) => {
    await c.handshake();
    c.send("MSG a 1 100\r\nonly part of it");
    setTimeout(() => c.end(), 100);
  }],
  // Over ws:// the CONNECT (and any credentials in it) would travel in clear text.
  ["INFO with tls_required over plain ws://", async (c) => {
    c.send('INFO {"server_id":"H","proto":1,"tls_required":true}\r\n');
    await c.waitUntil((text) => text.length > 0, 3000).catch(() => {});
    globalThis.__tlsSent = c.received();
  }, "WSS_REQUIRED"],
];

/** JS heap in use after a full GC, and the package's wasm linear memory. */
async function memory() {
  return { heap: await heapAfterGc(h.env.page), wasm: await wasmMemory(h.env.run) };
}

// Every test here is this package's (its before hook reads our wasm memory through init()).
describe("hostile servers", { skip: skipRef("nats.ws reconnect and error paths differ") }, () => {
  beforeEach(() => h.env.allowErrors(/WebSocket/));
  let baseline;
  before(async () => {
    // One ordinary connection first, so the module's one-time growth is not counted.
    await h.env.run(async ({ mod, url }) => {
      const nats = await import(mod);
      const nc = await nats.connect({ servers: url });
      await nc.flush();
      await nc.close();
    });
    baseline = await memory();
  });

  for (const [name, script, code] of cases) {
    it(`${name}: a coded error, in bounded time`, { timeout: 30_000, skip: skipRef("nats.ws reconnect and error paths differ") }, async () => {
      const server = await startHostile(script);
      try {
        const r = await outcome(server.url);
        assert.equal(typeof r.err?.code, "string", JSON.stringify(r));
        if (code) assert.equal(r.err.code, code, JSON.stringify(r));
        assert.ok(r.ms < 10_000, `took ${r.ms} ms`);
        if (r.phase === "closed") assert.equal(r.inbox, 29, "the module still works");
      } finally {
        await server.stop();
      }
    });
  }

  it("a never-ending stream of PING is answered without growing memory", { timeout: 30_000, skip: skipRef("nats.ws") }, async () => {
    const server = await startHostile(async (c) => {
      await c.handshake();
      const burst = "PING\r\n".repeat(10_000);
      for (let i = 0; i < 10; i++) c.send(burst); // 100,000 PINGs in 10 frames
      const pongs = (text) => (text.length - text.replaceAll("PONG\r\n", "").length) / 6;
      await c.waitUntil((text) => pongs(text) >= 100_000, 20_000).catch(() => {});
      globalThis.__pongs = pongs(c.received());
      c.end();
    });
    try {
      const r = await h.env.run(async ({ mod, url }) => {
        const nats = await import(mod);
        const nc = T.track(await nats.connect({ servers: url, reconnect: false }));
        const err = await T.within(nc.closed(), 25_000, "closed");
        return { err: T.err(err) };
      }, { url: server.url });
      assert.equal(typeof r.err?.code, "string");
      assert.equal(globalThis.__pongs, 100_000, "every PING answered");
    } finally {
      await server.stop();
    }
  });

  it("with reconnect on, a broken server is given up after maxReconnectAttempts", { timeout: 30_000, skip: skipRef("nats.ws") }, async () => {
    let dials = 0;
    const server = await startHostile(async (c) => {
      dials++;
      await c.handshake();
      c.send("MSG a 1 -1\r\n");
    });
    try {
      const r = await h.env.run(async ({ mod, url }) => {
        const nats = await import(mod);
        const nc = T.track(await nats.connect({ servers: url, reconnectTimeWait: 50, reconnectJitter: 0, maxReconnectAttempts: 3 }));
        const err = await T.within(nc.closed(), 20_000, "closed");
        return { err: T.err(err) };
      }, { url: server.url });
      assert.equal(typeof r.err?.code, "string");
      assert.ok(dials >= 2 && dials <= 5, `dialed ${dials} times`);
    } finally {
      await server.stop();
    }
  });

  it("memory after every hostile case above stays near where it started", { timeout: 30_000, skip: skipRef("measured for our package") }, async () => {
    assert.equal(globalThis.__tlsSent, "", "nothing was sent to the tls_required server");
    const now = await memory();
    console.log(`# hostile: JS heap ${baseline.heap} -> ${now.heap} bytes after GC; wasm memory ${baseline.wasm} -> ${now.wasm} bytes`);
    // The 10 MiB INFO is refused once it passes the 256 KiB INFO limit (frames are copied in
    // 64 KiB chunks) and the terabyte MSG from its control line: neither may leave more than
    // 2 MiB behind in either heap (wasm memory never shrinks, so this is its high-water mark).
    // The JS heap is measured in Chromium only (heapAfterGc gives null elsewhere).
    if (now.heap !== null) assert.ok(now.heap < baseline.heap + 2 * 1024 * 1024, `JS heap ${baseline.heap} -> ${now.heap}`);
    assert.ok(now.wasm <= baseline.wasm + 2 * 1024 * 1024, `wasm memory ${baseline.wasm} -> ${now.wasm}`);
  });
});
