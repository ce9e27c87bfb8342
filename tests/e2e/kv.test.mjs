// KV buckets (`js.views.kv()`) against a real nats-server with `jetstream { store_dir }` (a
// fresh directory per run): the bucket's operations and entries, watches (initial values,
// then live updates, in order; across a server restart no update missed or repeated), and
// bad keys, bucket names and oversized values refused before anything is sent. Each test
// also runs against nats.ws (NATS_CLIENT_MODULE).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { IS_REFERENCE, startServer, TIMEOUT, useEnv } from "./harness.mjs";

const h = useEnv({ jetstream: true });

describe("kv bucket", () => {
  it("put, get, create, update, delete, purge, keys, history, status, listKvs, destroy", { timeout: TIMEOUT }, async () => {
    const r = await h.env.run(async ({ mod, url }) => {
      const nats = await import(mod);
      const nc = T.track(await nats.connect({ servers: url }));
      const js = nc.jetstream();
      const kv = await js.views.kv("profile", { history: 5, description: "who is who" });
      const out = {};
      const r1 = await kv.put("user.ann", T.enc("v1"));
      const r2 = await kv.put("user.ann", T.enc("v2"));
      const r3 = await kv.put("user.bob", "{\"age\":7}");
      out.revisions = [r1, r2, r3];
      const e = await kv.get("user.ann");
      out.entry = [e.bucket, e.key, e.string(), e.revision, e.operation, e.length, e.delta, e.created instanceof Date];
      out.createdRecent = Math.abs(Date.now() - e.created.getTime()) < 60_000;
      out.json = (await kv.get("user.bob")).json();
      out.atRevision = (await kv.get("user.ann", { revision: r1 })).string();
      out.otherKeyRevision = await kv.get("user.ann", { revision: r3 });
      out.missing = await kv.get("user.nobody");
      out.createTaken = await T.capture(() => kv.create("user.ann", T.enc("x")));
      out.create = await kv.create("user.cid", T.enc("c1"));
      out.updateWrong = await T.capture(() => kv.update("user.cid", T.enc("c2"), out.create + 100));
      out.update = (await kv.update("user.cid", T.enc("c2"), out.create)) === out.create + 1;
      out.updateZero = await T.capture(() => kv.update("user.cid", T.enc("c3"), 0));
      out.putExpected = await T.capture(() => kv.put("user.cid", T.enc("c4"), { previousSeq: 1 }));
      await kv.delete("user.bob");
      const deleted = await kv.get("user.bob");
      out.deleted = [deleted.operation, deleted.length, deleted.value.length];
      out.recreate = typeof (await kv.create("user.bob", T.enc("back"))) === "number";
      await kv.purge("user.ann");
      out.purged = (await kv.get("user.ann")).operation;
      const keys = [];
      for await (const k of await kv.keys()) keys.push(k);
      out.keys = keys.sort();
      const none = [];
      for await (const k of await kv.keys("nothing.>")) none.push(k);
      out.noKeys = none;
      await kv.put("app.x", T.enc("1"));
      const filtered = [];
      for await (const k of await kv.keys("user.*")) filtered.push(k);
      out.filtered = filtered;
      const hist = [];
      for await (const h of await kv.history({ key: "user.cid" })) hist.push([h.key, h.operation, h.string()]);
      out.history = hist;
      const all = [];
      for await (const h of await kv.history()) all.push(`${h.key}:${h.operation}`);
      out.historyAll = all;
      await kv.put("tmp.a", T.enc("1"));
      await kv.put("tmp.b", T.enc("2"));
      await kv.delete("tmp.*");
      out.wildDelete = [(await kv.get("tmp.a")).operation, (await kv.get("tmp.b")).operation];
      const st = await kv.status();
      out.status = [st.bucket, st.history, st.description, st.backingStore, st.replicas, st.values > 0, st.streamInfo.config.name];
      const listed = [];
      for await (const s of (await nc.jetstreamManager()).streams.listKvs()) listed.push([s.bucket, s.history]);
      out.listed = listed;
      const bound = await js.views.kv("profile", { bindOnly: true });
      out.bound = (await bound.get("user.cid")).string();
      out.destroyed = await kv.destroy();
      out.afterDestroy = await T.capture(() => kv.status());
      await nc.close();
      return out;
    });
    assert.deepEqual(r.revisions, [1, 2, 3]);
    assert.deepEqual(r.entry, ["profile", "user.ann", "v2", 2, "PUT", 2, 0, true]);
    assert.equal(r.createdRecent, true);
    assert.deepEqual(r.json, { age: 7 });
    assert.equal(r.atRevision, "v1");
    assert.equal(r.otherKeyRevision, null, "a revision of another key is not this key's");
    assert.equal(r.missing, null);
    assert.equal(r.createTaken.ok, false);
    assert.equal(r.createTaken.error.message, "wrong last sequence: 2");
    assert.equal(r.createTaken.error.code, "400");
    assert.equal(r.createTaken.error.api_error.err_code, 10071);
    assert.equal(typeof r.create, "number");
    assert.equal(r.updateWrong.error.api_error.err_code, 10071);
    assert.equal(r.update, true);
    assert.deepEqual([r.updateZero.ok, r.updateZero.error.message], [false, "version must be greater than 0"]);
    assert.equal(r.putExpected.error.api_error.err_code, 10071);
    assert.deepEqual(r.deleted, ["DEL", 0, 0]);
    assert.equal(r.recreate, true);
    assert.equal(r.purged, "PURGE");
    assert.deepEqual(r.keys, ["user.bob", "user.cid"]);
    assert.deepEqual(r.filtered.sort(), ["user.bob", "user.cid"]);
    assert.deepEqual(r.noKeys, []);
    assert.deepEqual(r.history, [["user.cid", "PUT", "c1"], ["user.cid", "PUT", "c2"]]);
    assert.deepEqual(r.historyAll, [
      "user.bob:PUT", "user.cid:PUT", "user.cid:PUT", "user.bob:DEL", "user.bob:PUT", "user.ann:PURGE", "app.x:PUT",
    ], "a purge rolls up the key's history");
    assert.deepEqual(r.wildDelete, ["DEL", "DEL"]);
    assert.deepEqual(r.status, ["profile", 5, "who is who", "file", 1, true, "KV_profile"]);
    assert.deepEqual(r.listed, [["profile", 5]]);
    assert.equal(r.bound, "c2");
    assert.equal(r.destroyed, true);
    assert.equal(r.afterDestroy.error.message, "stream not found");
  });

  it("watch: current values, then every update in order; include, ignoreDeletes, key filters", { timeout: TIMEOUT }, async () => {
    const r = await h.env.run(async ({ mod, url }) => {
      const nats = await import(mod);
      const nc = T.track(await nats.connect({ servers: url }));
      const js = nc.jetstream();
      const kv = await js.views.kv("rooms", { history: 10 });
      await kv.put("room.a", T.enc("a1"));
      await kv.put("room.a", T.enc("a2"));
      await kv.put("room.b", T.enc("b1"));
      await kv.put("other", T.enc("o1"));
      const seen = [];
      let initializedAt = -1;
      const w = await kv.watch({ key: "room.>", initializedFn: () => (initializedAt = seen.length) });
      const reading = (async () => {
        for await (const e of w) {
          seen.push(`${e.key}=${e.operation === "PUT" ? e.string() : e.operation}@${e.revision}`);
          if (seen.length === 5) break;
        }
      })();
      await T.until(() => initializedAt >= 0, 5000, "initializedFn");
      await kv.put("room.b", T.enc("b2"));
      await kv.put("other", T.enc("o2"));
      await kv.delete("room.a");
      await kv.put("room.c", T.enc("c1"));
      await T.within(reading, 5000, "five entries");
      const history = [];
      const wh = await kv.watch({ key: "room.a", include: nats.KvWatchInclude.AllHistory });
      for await (const e of wh) {
        history.push(`${e.operation}:${e.string()}`);
        if (history.length === 3) break;
      }
      const updates = [];
      const wu = await kv.watch({ include: nats.KvWatchInclude.UpdatesOnly, ignoreDeletes: true });
      const reading2 = (async () => {
        for await (const e of wu) {
          updates.push(`${e.key}:${e.operation}`);
          if (updates.length === 2) break;
        }
      })();
      await nc.flush();
      await kv.delete("room.b");
      await kv.put("room.d", T.enc("d1"));
      await kv.put("room.e", T.enc("e1"));
      await T.within(reading2, 5000, "two updates");
      const many = [];
      const wm = await kv.watch({ key: ["room.d", "other"] });
      for await (const e of wm) {
        many.push(e.key);
        if (many.length === 2) break;
      }
      await kv.destroy();
      await nc.close();
      return { seen, initializedAt, history, updates, many: many.sort() };
    });
    assert.deepEqual(r.seen, ["room.a=a2@2", "room.b=b1@3", "room.b=b2@5", "room.a=DEL@7", "room.c=c1@8"]);
    assert.equal(r.initializedAt, 2, "initializedFn once the two current values were read");
    assert.deepEqual(r.history, ["PUT:a1", "PUT:a2", "DEL:"]);
    assert.deepEqual(r.updates, ["room.d:PUT", "room.e:PUT"], "no delete, no value from before");
    assert.deepEqual(r.many, ["other", "room.d"]);
  });

  it("bad keys, bucket names and values over maxValueSize are refused before anything is sent", { timeout: TIMEOUT }, async () => {
    const r = await h.env.run(async ({ mod, url }) => {
      const nats = await import(mod);
      const nc = T.track(await nats.connect({ servers: url }));
      const js = nc.jetstream();
      const kv = await js.views.kv("strict", { maxValueSize: 16 });
      await nc.flush();
      const before = nc.stats().outMsgs;
      const errors = [];
      for (const key of ["", ".a", "a.", "a b", "a*", "a>", "é", "a:b"]) {
        errors.push((await T.capture(() => kv.put(key, T.enc("x")))).error);
        errors.push((await T.capture(() => kv.get(key))).error);
      }
      errors.push((await T.capture(() => kv.delete("a b"))).error);
      errors.push((await T.capture(() => kv.watch({ key: "a b" }))).error);
      for (const name of ["a.b", "a b", "a*", "", "é"]) errors.push((await T.capture(() => js.views.kv(name))).error);
      const sentForBad = nc.stats().outMsgs - before;
      const big = await T.capture(() => kv.put("k", new Uint8Array(17)));
      const sentForBig = nc.stats().outMsgs - before;
      const fits = await kv.put("k", new Uint8Array(16));
      await kv.destroy();
      await nc.close();
      return { errors, sentForBad, big, sentForBig, fits };
    });
    assert.equal(r.sentForBad, 0, "nothing reached the wire");
    assert.equal(r.errors.length, 23);
    for (const e of r.errors) assert.ok(e && typeof e.message === "string" && /^invalid (key|bucket name): /.test(e.message), JSON.stringify(e));
    // nats.ws's errors have the same messages and no code
    if (!IS_REFERENCE) for (const e of r.errors) assert.equal(e.code, "BAD_SUBJECT", JSON.stringify(e));
    assert.equal(r.big.error.message, "message size exceeds maximum allowed");
    assert.equal(r.big.error.code, "400");
    assert.equal(r.big.error.api_error.err_code, 10054);
    // nats.ws asks the server, which refuses it.
    if (!IS_REFERENCE) assert.equal(r.sentForBig, 0, "an oversized value is refused before the wire");
    assert.equal(r.fits, 1);
  });
});

describe("kv watch faults", () => {
  it("across a server restart: every update once, in order; current values stay current", { timeout: 90_000 }, async () => {
    if (IS_REFERENCE) h.env.allowErrors(/aborting resetPending/);
    const storeDir = fs.mkdtempSync(path.join(os.tmpdir(), "nats-kv-store-"));
    const s1 = await startServer({ jetstream: true, storeDir });
    let s2;
    try {
      await h.env.run(async ({ mod, servers }) => {
        const nats = await import(mod);
        const nc = T.track(await nats.connect({ servers, reconnectTimeWait: 200, reconnectJitter: 0, maxReconnectAttempts: -1 }));
        // 100 keys, 20 revisions kept of each: no update is gone before it is delivered.
        const kv = await nc.jetstream().views.kv("live", { history: 20 });
        const state = { nc, kv, all: [], current: [] };
        globalThis.__kv = state;
        // Every update (include: history), and the current values (the default).
        const all = await kv.watch({ include: nats.KvWatchInclude.AllHistory });
        const current = await kv.watch();
        (async () => {
          for await (const e of all) {
            state.all.push([Number(e.string()), e.revision]);
            // A slow reader: the outage comes while updates are in flight.
            if (state.all.length % 50 === 0) await T.sleep(5);
          }
        })();
        (async () => {
          for await (const e of current) state.current.push([e.key, Number(e.string()), e.revision]);
        })();
        for (let i = 1; i <= 1000; i += 100) {
          await Promise.all(Array.from({ length: 100 }, (_, k) => kv.put(`k.${(i + k) % 100}`, `${i + k}`)));
        }
        await T.until(() => state.all.length >= 300, 10_000, "300 updates");
      }, { servers: s1.wsUrl });
      await s1.stop();
      s2 = await startServer({ jetstream: true, storeDir, ports: s1.ports });
      const r = await h.env.run(async () => {
        const s = globalThis.__kv;
        await T.until(() => !s.nc.isClosed() && s.nc.info, 10_000, "connected");
        for (let i = 1001; i <= 1500; i += 100) {
          await Promise.all(Array.from({ length: 100 }, (_, k) => s.kv.put(`k.${(i + k) % 100}`, `${i + k}`)));
        }
        await T.until(() => s.all.length >= 1500, 45_000, `1500 updates (have ${s.all.length})`);
        await T.until(() => s.current.some(([, v]) => v === 1500), 10_000, "the last update as a current value");
        await T.sleep(300);
        const all = s.all;
        const inOrder = all.every(([v, rev], i) => v === i + 1 && rev === i + 1);
        const revs = s.current.map(([, , rev]) => rev);
        const increasing = revs.every((rev, i) => i === 0 || rev > revs[i - 1]);
        const last = {};
        for (const [k, v] of s.current) last[k] = v;
        await s.kv.destroy();
        await s.nc.close();
        return { count: all.length, inOrder, increasing, last };
      });
      assert.equal(r.count, 1500);
      assert.equal(r.inOrder, true, "in order, no gap, no repeat");
      assert.equal(r.increasing, true, "current values: no repeat, never back in time");
      const want = {};
      for (let v = 1401; v <= 1500; v++) want[`k.${v % 100}`] = v;
      assert.deepEqual(r.last, want, "each key's last value");
    } finally {
      await s1.stop();
      await s2?.stop();
      fs.rmSync(storeDir, { recursive: true, force: true });
    }
    h.env.allowErrors(/WebSocket connection to .* failed/);
  });
});
