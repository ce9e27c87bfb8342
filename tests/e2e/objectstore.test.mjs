// Object stores (`js.views.os()`) against a real nats-server with `jetstream { store_dir }`
// (a fresh directory per run): put/get (streams and blobs), info, list, watch, links, update,
// delete, seal, status, destroy; a corrupted chunk gives an error, never a clean end; objects
// put by nats.ws read back here and the reverse; and 64 MiB put and got with the page's live
// memory (JS heap, ArrayBuffers, wasm) growing by under 8 MiB. Each test but the two that run
// both clients or measure this package also runs against nats.ws (NATS_CLIENT_MODULE).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { BROWSER, skipRef, TIMEOUT, useEnv } from "./harness.mjs";

const h = useEnv({ jetstream: true });

describe("object store", () => {
  it("put, get, blobs, info, list, watch, link, update, delete, seal, status, destroy", { timeout: TIMEOUT }, async () => {
    const r = await h.env.run(async ({ mod, url }) => {
      const nats = await import(mod);
      const nc = T.track(await nats.connect({ servers: url }));
      const js = nc.jetstream();
      const os = await js.views.os("files", { description: "docs" });
      const out = {};
      const watched = [];
      const w = await os.watch();
      (async () => {
        for await (const i of w) watched.push(i === null ? null : `${i.name}:${i.deleted ? "deleted" : i.size}`);
      })();
      // 300,000 bytes through a stream of uneven pieces, in chunks of 100,000
      const big = Uint8Array.from({ length: 300_000 }, (_, i) => (i * 7 + (i >> 8)) & 255);
      let at = 0;
      const rs = new ReadableStream({
        pull(c) {
          if (at >= big.length) return c.close();
          const n = Math.min(33_333, big.length - at);
          c.enqueue(big.slice(at, at + n));
          at += n;
        },
      });
      const info = await os.put({ name: "big.bin", description: "bytes", options: { max_chunk_size: 100_000 } }, rs);
      out.info = [info.name, info.size, info.chunks, info.description, info.digest.startsWith("SHA-256="), info.deleted, typeof info.revision];
      const r = await os.get("big.bin");
      const reader = r.data.getReader();
      const parts = [];
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        parts.push(value.length);
      }
      out.got = [parts.reduce((a, b) => a + b, 0), (await r.error) ?? null];
      const blob = await os.getBlob("big.bin");
      out.blobSame = blob.length === big.length && blob.every((v, i) => v === big[i]);
      await os.putBlob({ name: "hello.txt" }, T.enc("hello"));
      out.hello = T.dec(await os.getBlob("hello.txt"));
      await os.putBlob({ name: "empty" }, new Uint8Array(0));
      out.empty = (await os.getBlob("empty")).length;
      out.missing = [await os.get("nope"), await os.getBlob("nope"), await os.info("nope")];
      const replaced = await os.putBlob({ name: "hello.txt" }, T.enc("hello again"));
      out.replaced = [T.dec(await os.getBlob("hello.txt")), replaced.revision > info.revision];
      out.list = (await os.list()).map((i) => i.name).sort();
      const link = await os.link("hello-link", await os.info("hello.txt"));
      out.link = [link.isLink(), T.dec(await os.getBlob("hello-link"))];
      const other = await js.views.os("other");
      await other.putBlob({ name: "x" }, T.enc("in other"));
      await os.link("to-other", await other.info("x"));
      out.crossLink = T.dec(await os.getBlob("to-other"));
      const bucketLink = await os.linkStore("whole-other", other);
      out.bucketLink = [bucketLink.isLink(), (await T.capture(() => os.get("whole-other"))).error?.message];
      await os.update("hello.txt", { name: "greeting.txt", description: "renamed" });
      out.renamed = [await os.info("hello.txt"), (await os.info("greeting.txt"))?.description, T.dec(await os.getBlob("greeting.txt"))];
      const del = await os.delete("big.bin");
      out.deleted = [del.success, (await os.info("big.bin"))?.deleted, await os.get("big.bin")];
      out.deleteMissing = await os.delete("never");
      const st = await os.status();
      out.status = [st.bucket, st.description, st.sealed, st.backingStore, st.size > 0, st.streamInfo.config.name];
      const listed = [];
      for await (const s of (await nc.jetstreamManager()).streams.listObjectStores()) listed.push(s.bucket);
      out.listed = listed.sort();
      out.empties = [(await T.capture(() => os.put({ name: "" }, null))).error?.message];
      out.putLink = (await T.capture(() => os.put({ name: "l", options: { link: { bucket: "x" } } }, null))).error?.message;
      const sealed = await os.seal();
      out.sealed = [sealed.sealed, (await T.capture(() => os.putBlob({ name: "late" }, T.enc("x")))).ok];
      await T.until(() => watched.length >= 7, 5000, "watched changes");
      out.watched = watched;
      w.stop();
      out.destroyed = [await os.destroy(), await other.destroy()];
      await nc.close();
      return out;
    });
    assert.deepEqual(r.info, ["big.bin", 300_000, 3, "bytes", true, false, "number"]);
    assert.deepEqual(r.got, [300_000, null]);
    assert.equal(r.blobSame, true);
    assert.equal(r.hello, "hello");
    assert.equal(r.empty, 0);
    assert.deepEqual(r.missing, [null, null, null]);
    assert.deepEqual(r.replaced, ["hello again", true]);
    assert.deepEqual(r.list, ["big.bin", "empty", "hello.txt"]);
    assert.deepEqual(r.link, [true, "hello again"]);
    assert.equal(r.crossLink, "in other");
    assert.deepEqual(r.bucketLink, [true, "link is a bucket"]);
    assert.deepEqual(r.renamed, [null, "renamed", "hello again"]);
    assert.deepEqual(r.deleted, [true, true, null]);
    assert.deepEqual(r.deleteMissing, { purged: 0, success: false });
    assert.deepEqual(r.status, ["files", "docs", false, "JetStream", true, "OBJ_files"]);
    assert.deepEqual(r.listed, ["files", "other"]);
    assert.deepEqual(r.empties, ["name cannot be empty"]);
    assert.equal(r.putLink, "link cannot be set when putting the object in bucket");
    assert.deepEqual(r.sealed, [true, false]);
    // the watch (updates only) saw each change's info, in order
    assert.deepEqual(r.watched.slice(0, 4), [null, "big.bin:300000", "hello.txt:5", "empty:0"]);
    assert.ok(r.watched.includes("big.bin:deleted"), JSON.stringify(r.watched));
    assert.deepEqual(r.destroyed, [true, true]);
  });

  it("a corrupted chunk ends the data with an error and getBlob() rejects", { timeout: TIMEOUT }, async () => {
    const r = await h.env.run(async ({ mod, url }) => {
      const nats = await import(mod);
      const nc = T.track(await nats.connect({ servers: url }));
      const js = nc.jetstream();
      const jsm = await nc.jetstreamManager();
      const os = await js.views.os("corrupt");
      const data = Uint8Array.from({ length: 3000 }, (_, i) => i & 255);
      const info = await os.putBlob({ name: "obj", options: { max_chunk_size: 1000 } }, data);
      // Replace the middle chunk with other bytes: delete its message, store a changed copy.
      const subject = `$O.corrupt.C.${info.nuid}`;
      const first = await jsm.streams.getMessage("OBJ_corrupt", { last_by_subj: subject });
      await jsm.streams.deleteMessage("OBJ_corrupt", first.seq - 1);
      const bad = data.slice(1000, 2000);
      bad[500] ^= 0xff;
      await js.publish(subject, bad);
      const got = await os.get("obj");
      const reader = got.data.getReader();
      let read = 0;
      let streamError = null;
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          read += value.length;
        }
      } catch (err) {
        streamError = err.message;
      }
      const error = await got.error;
      const blob = await T.capture(() => os.getBlob("obj"));
      await os.destroy();
      await nc.close();
      return { read, streamError, error: error?.message ?? null, blob: [blob.ok, blob.error?.message] };
    });
    assert.match(r.streamError, /^received a corrupt object, digests do not match/);
    assert.equal(r.blob[0], false);
    assert.match(r.blob[1], /^received a corrupt object, digests do not match/);
    assert.equal(r.read, 3000, "every chunk came, then the error instead of the end");
    // nats.ws resolves `error` with nothing here (the stream carries the error)
    if (!process.env.NATS_CLIENT_MODULE?.includes("nats.ws")) assert.match(r.error, /^received a corrupt object/);
  });

  it("interop: objects put by nats.ws read back here, and the reverse", { timeout: 60_000, skip: skipRef("runs both clients itself") }, async () => {
    const r = await h.env.run(async ({ mod, url }) => {
      const ours = await import(mod);
      const ref = await import("/node_modules/nats.ws/esm/nats.js");
      const a = T.track(await ours.connect({ servers: url }));
      const b = T.track(await ref.connect({ servers: url }));
      const osA = await a.jetstream().views.os("shared");
      const osB = await b.jetstream().views.os("shared");
      const data = Uint8Array.from({ length: 400_000 }, (_, i) => (i * 13) & 255);
      const same = (x) => x !== null && x.length === data.length && x.every((v, i) => v === data[i]);
      const byUs = await osA.putBlob({ name: "from ours/é", description: "a" }, data);
      const byThem = await osB.putBlob({ name: "from nats.ws", description: "b" }, data);
      const out = {
        digests: byUs.digest === byThem.digest,
        chunks: [byUs.chunks, byThem.chunks],
        theyReadOurs: same(await osB.getBlob("from ours/é")),
        weReadTheirs: same(await osA.getBlob("from nats.ws")),
        theirInfo: (await osA.info("from nats.ws"))?.description,
        theyList: (await osB.list()).map((i) => i.name).sort(),
      };
      await osA.destroy();
      await a.close();
      await b.close();
      return out;
    });
    assert.deepEqual(r, {
      digests: true,
      chunks: [4, 4],
      theyReadOurs: true,
      weReadTheirs: true,
      theirInfo: "b",
      theyList: ["from nats.ws", "from ours/é"],
    });
  });

  it("64 MiB put and got: the page's live memory grows by under 8 MiB", {
    timeout: 120_000,
    skip: skipRef("measures this package") || (BROWSER !== "chromium" && "measured through Chromium's DevTools protocol"),
  }, async () => {
    const page = h.env.page;
    const cdp = await page.context().newCDPSession(page);
    // Live memory: the JS heap and the ArrayBuffers' bytes after a full GC, plus the wasm memory.
    const live = async () => {
      await cdp.send("HeapProfiler.collectGarbage");
      const u = await cdp.send("Runtime.getHeapUsage");
      const wasm = await page.evaluate(() => globalThis.__wasmMemory?.buffer.byteLength ?? 0);
      return u.usedSize + (u.backingStorageSize ?? 0) + wasm;
    };
    try {
      await h.env.run(async ({ mod, url }) => {
        const nats = await import(mod);
        const exports = await nats.init();
        globalThis.__wasmMemory = Object.values(exports).find((v) => v instanceof WebAssembly.Memory);
        const nc = T.track(await nats.connect({ servers: url }));
        globalThis.__os = { nc, os: await nc.jetstream().views.os("large", { max_bytes: 80 * 1024 * 1024 }) };
      });
      const base = await live();
      let peak = base;
      const sample = async (what) => {
        await h.env.run(async ({ what }) => {
          const SIZE = 64 * 1024 * 1024;
          const s = globalThis.__os;
          s.done = false;
          s.result = null;
          const work = what === "put"
            ? (() => {
              let made = 0;
              const rs = new ReadableStream({
                pull(c) {
                  if (made >= SIZE) return c.close();
                  const piece = new Uint8Array(64 * 1024);
                  piece.fill(made >> 16);
                  c.enqueue(piece);
                  made += piece.length;
                },
              });
              return s.os.put({ name: "big" }, rs).then((i) => i.size);
            })()
            : (async () => {
              const r = await s.os.get("big");
              const reader = r.data.getReader();
              let n = 0;
              for (;;) {
                const { done, value } = await reader.read();
                if (done) break;
                n += value.length;
              }
              if (await r.error) throw await r.error;
              return n;
            })();
          work.then((n) => (s.result = n), (err) => (s.result = `error: ${err.message}`)).finally(() => (s.done = true));
        }, { what });
        for (;;) {
          peak = Math.max(peak, await live());
          const state = await page.evaluate(() => ({ done: globalThis.__os.done, result: globalThis.__os.result }));
          if (state.done) return state.result;
          await new Promise((r) => setTimeout(r, 100));
        }
      };
      const put = await sample("put");
      const got = await sample("get");
      await h.env.run(async () => {
        await globalThis.__os.os.destroy();
        await globalThis.__os.nc.close();
      });
      const growth = peak - base;
      console.log(`# 64 MiB object: live memory grew by at most ${(growth / 1048576).toFixed(2)} MiB (base ${(base / 1048576).toFixed(1)} MiB)`);
      assert.equal(put, 64 * 1024 * 1024);
      assert.equal(got, 64 * 1024 * 1024);
      assert.ok(growth < 8 * 1024 * 1024, `grew by ${growth} bytes`);
    } finally {
      await cdp.detach();
    }
  });
});
