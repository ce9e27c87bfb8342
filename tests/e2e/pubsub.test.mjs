// publish / subscribe
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { skipRef, TIMEOUT, useEnv } from "./harness.mjs";

const h = useEnv();

/** poll /connz until no connection named `name` holds a subscription on `subject` */
async function waitNoServerSub(name, subject, ms = 5000) {
  const end = Date.now() + ms;
  let last = null;
  while (Date.now() < end) {
    const c = await h.env.server.connz("subs=1");
    const conn = c.connections.find((x) => x.name === name);
    last = conn?.subscriptions_list ?? [];
    if (conn && !last.includes(subject)) return { found: true, subs: last };
    await new Promise((r) => setTimeout(r, 50));
  }
  return { found: false, subs: last };
}

describe("subscriptions: delivery modes", () => {
  it("async iterator receives messages in order with subject, data and sid", { timeout: TIMEOUT }, async () => {
    const r = await h.env.run(async ({ mod, url }) => {
      const nats = await import(mod);
      const nc = T.track(await nats.connect({ servers: url }));
      const sub = nc.subscribe("ps.iter");
      const got = [];
      const done = (async () => {
        for await (const m of sub) {
          got.push({
            subject: m.subject,
            data: m.string(),
            sidMatches: m.sid === sub.getID(),
            reply: m.reply ?? null,
            isU8: m.data instanceof Uint8Array,
          });
          if (got.length === 3) break;
        }
      })();
      nc.publish("ps.iter", "one");
      nc.publish("ps.iter", new TextEncoder().encode("two"));
      nc.publish("ps.iter", "three");
      await T.within(done, 5000, "3 messages");
      await nc.close();
      return got;
    });
    assert.deepEqual(r.map((m) => m.data), ["one", "two", "three"]);
    for (const m of r) {
      assert.equal(m.subject, "ps.iter");
      assert.equal(m.sidMatches, true);
      assert.equal(m.isU8, true);
      assert.ok(m.reply === null || m.reply === "", `no reply subject (got ${m.reply})`);
    }
  });

  it("runs of publishes to one subject (the fast path) keep every subject and payload right", {
    timeout: 60_000,
    skip: skipRef("nats.ws sends a publish's buffer later: one reused by the caller arrives changed"),
  }, async () => {
    const r = await h.env.run(async ({ mod, url }) => {
      const nats = await import(mod);
      const nc = T.track(await nats.connect({ servers: url }));
      const got = [];
      nc.subscribe("fp.>", { callback: (_e, m) => got.push([m.subject, new DataView(m.data.buffer, m.data.byteOffset).getUint32(0), m.data.length, m.reply || undefined]) });
      await nc.flush();
      // 60,000 messages (well past the size at which the client sends at once), the subject
      // switching every 1,000, one payload array reused and changed each time.
      const p = new Uint8Array(20);
      const view = new DataView(p.buffer);
      const want = [];
      for (let i = 0; i < 60_000; i++) {
        const subject = `fp.${Math.floor(i / 1000) % 3}`;
        view.setUint32(0, i);
        if (i % 777 === 0) {
          nc.publish(subject, p, { reply: "fp.reply" });
          want.push([subject, i, 20, "fp.reply"]);
        } else {
          nc.publish(subject, p);
          want.push([subject, i, 20, undefined]);
        }
      }
      await nc.flush();
      await T.until(() => got.length >= want.length, 20_000, "all messages");
      const bad = [];
      for (let i = 0; i < want.length && bad.length < 5; i++) {
        if (JSON.stringify(got[i]) !== JSON.stringify(want[i])) bad.push({ i, got: got[i], want: want[i] });
      }
      // The fast path still refuses what the full path refuses.
      const big = new Uint8Array(nc.info.max_payload + 1);
      const tooBig = T.err((() => { try { nc.publish("fp.2", big); } catch (e) { return e; } })());
      await nc.close();
      const closed = T.err((() => { try { nc.publish("fp.2", p); } catch (e) { return e; } })());
      return { n: got.length, bad, tooBig: tooBig?.code, closed: closed?.code };
    });
    assert.equal(r.n, 60_000);
    assert.deepEqual(r.bad, []);
    assert.equal(r.tooBig, "MAX_PAYLOAD_EXCEEDED");
    assert.equal(r.closed, "CONNECTION_CLOSED");
  });

  it("messages that span WebSocket frames keep their bytes after delivery, while handlers publish", { timeout: 60_000 }, async () => {
    const r = await h.env.run(async ({ mod, url }) => {
      const nats = await import(mod);
      const nc = T.track(await nats.connect({ servers: url }));
      const pub = T.track(await nats.connect({ servers: url }));
      // Sizes from 1 B to 9 KiB: the server writes 4 KiB frames, so many messages begin in
      // one frame and end in another (their bytes are copied out of wasm, small ones into a
      // shared block). Every message is kept, and checked only after the last one arrived.
      const N = 600;
      const size = (i) => 1 + ((i * 787) % 9000);
      const fill = (i) => {
        const p = new Uint8Array(size(i));
        for (let j = 0; j < p.length; j++) p[j] = (i + j * 7) & 255;
        return p;
      };
      const kept = [];
      const sink = pub.subscribe("spansink", { callback: () => {} });
      nc.subscribe("span.>", {
        callback: (_e, m) => {
          kept.push(m);
          // A handler that publishes a big payload grows wasm memory mid-delivery.
          if (kept.length % 50 === 0) nc.publish("spansink", new Uint8Array(256 * 1024));
        },
      });
      await nc.flush();
      for (let i = 0; i < N; i++) {
        const hd = nats.headers();
        hd.set("i", String(i));
        pub.publish(`span.${i % 7}`, fill(i), i % 3 === 0 ? { headers: hd, reply: `span.reply.${i}` } : undefined);
      }
      await pub.flush();
      await T.until(() => kept.length >= N, 20_000, "all messages");
      const bad = [];
      for (let i = 0; i < N && bad.length < 5; i++) {
        const m = kept[i];
        const want = fill(i);
        const sameData = m.data.length === want.length && m.data.every((b, j) => b === want[j]);
        const sameSubject = m.subject === `span.${i % 7}`;
        const sameMeta = i % 3 === 0 ? m.headers?.get("i") === String(i) && m.reply === `span.reply.${i}` : !m.headers && !m.reply;
        if (!sameData || !sameSubject || !sameMeta) bad.push({ i, len: m.data.length, subject: m.subject, sameData, sameMeta });
      }
      sink.unsubscribe();
      await nc.close();
      await pub.close();
      return { n: kept.length, bad };
    });
    assert.equal(r.n, 600);
    assert.deepEqual(r.bad, []);
  });

  it("callback mode receives (null, msg)", { timeout: TIMEOUT }, async () => {
    const r = await h.env.run(async ({ mod, url }) => {
      const nats = await import(mod);
      const nc = T.track(await nats.connect({ servers: url }));
      const got = [];
      const sub = nc.subscribe("ps.cb", {
        callback: (err, m) => got.push({ err: err === null ? null : T.err(err), data: m.string(), subject: m.subject }),
      });
      for (let i = 0; i < 5; i++) nc.publish("ps.cb", `m${i}`);
      await nc.flush();
      await T.until(() => got.length === 5, 5000, "5 callbacks");
      const out = { got, processed: sub.getProcessed(), received: sub.getReceived() };
      sub.unsubscribe();
      await nc.close();
      return out;
    });
    assert.deepEqual(r.got.map((g) => g.data), ["m0", "m1", "m2", "m3", "m4"]);
    assert.ok(r.got.every((g) => g.err === null && g.subject === "ps.cb"));
    assert.equal(r.processed, 5);
    assert.equal(r.received, 5);
  });

  it("payload forms: string, Uint8Array, none, binary bytes intact", { timeout: TIMEOUT }, async () => {
    const r = await h.env.run(async ({ mod, url }) => {
      const nats = await import(mod);
      const nc = T.track(await nats.connect({ servers: url }));
      const sub = nc.subscribe("ps.payload", { max: 4 });
      const bin = new Uint8Array(256);
      for (let i = 0; i < 256; i++) bin[i] = i;
      nc.publish("ps.payload", "text ünïcødé ✓");
      nc.publish("ps.payload", bin);
      nc.publish("ps.payload");
      nc.publish("ps.payload", nats.Empty);
      const got = [];
      await T.within((async () => {
        for await (const m of sub) got.push(Array.from(m.data));
      })(), 5000, "4 messages");
      await nc.close();
      return got;
    });
    assert.equal(new TextDecoder().decode(new Uint8Array(r[0])), "text ünïcødé ✓");
    assert.deepEqual(r[1], Array.from({ length: 256 }, (_, i) => i));
    assert.deepEqual(r[2], []);
    assert.deepEqual(r[3], []);
  });

  it("publish with a reply subject sets msg.reply", { timeout: TIMEOUT }, async () => {
    const r = await h.env.run(async ({ mod, url }) => {
      const nats = await import(mod);
      const nc = T.track(await nats.connect({ servers: url }));
      const sub = nc.subscribe("ps.reply", { max: 1 });
      nc.publish("ps.reply", "x", { reply: "ps.reply.to.here" });
      let reply = null;
      await T.within((async () => {
        for await (const m of sub) reply = m.reply;
      })(), 5000, "message");
      await nc.close();
      return reply;
    });
    assert.equal(r, "ps.reply.to.here");
  });
});

describe("subscriptions: wildcards and queues", () => {
  it("'*' matches exactly one token, '>' one or more", { timeout: TIMEOUT }, async () => {
    const r = await h.env.run(async ({ mod, url }) => {
      const nats = await import(mod);
      const nc = T.track(await nats.connect({ servers: url }));
      const star = [];
      const gt = [];
      const mid = [];
      const s1 = nc.subscribe("wc.*", { callback: (_e, m) => star.push(m.subject) });
      const s2 = nc.subscribe("wc.>", { callback: (_e, m) => gt.push(m.subject) });
      const s3 = nc.subscribe("wc.*.end", { callback: (_e, m) => mid.push(m.subject) });
      for (const s of ["wc", "wc.a", "wc.b", "wc.a.b", "wc.a.end", "wc.x.y.end", "other.a"]) {
        nc.publish(s, s);
      }
      await nc.flush();
      await T.until(() => star.length >= 2 && gt.length >= 5 && mid.length >= 1, 5000, "wildcard deliveries");
      await nc.flush();
      s1.unsubscribe();
      s2.unsubscribe();
      s3.unsubscribe();
      await nc.close();
      return { star: star.sort(), gt: gt.sort(), mid: mid.sort() };
    });
    assert.deepEqual(r.star, ["wc.a", "wc.b"]);
    assert.deepEqual(r.gt, ["wc.a", "wc.a.b", "wc.a.end", "wc.b", "wc.x.y.end"]);
    assert.deepEqual(r.mid, ["wc.a.end"]);
  });

  it("queue group: each message goes to exactly one member", { timeout: TIMEOUT }, async () => {
    const r = await h.env.run(async ({ mod, url }) => {
      const nats = await import(mod);
      const nc = T.track(await nats.connect({ servers: url }));
      const pub = T.track(await nats.connect({ servers: url }));
      const a = [];
      const b = [];
      const all = [];
      const qa = nc.subscribe("ps.q", { queue: "workers", callback: (_e, m) => a.push(m.string()) });
      const qb = nc.subscribe("ps.q", { queue: "workers", callback: (_e, m) => b.push(m.string()) });
      const plain = nc.subscribe("ps.q", { callback: (_e, m) => all.push(m.string()) });
      await nc.flush();
      const N = 40;
      for (let i = 0; i < N; i++) pub.publish("ps.q", String(i));
      await pub.flush();
      await T.until(() => a.length + b.length >= N && all.length >= N, 5000, "queue deliveries");
      await nc.flush();
      await T.sleep(50);
      qa.unsubscribe();
      qb.unsubscribe();
      plain.unsubscribe();
      await nc.close();
      await pub.close();
      return { a, b, all };
    });
    const union = [...r.a, ...r.b].map(Number).sort((x, y) => x - y);
    assert.deepEqual(union, Array.from({ length: 40 }, (_, i) => i), "every message exactly once in the group");
    assert.equal(r.all.length, 40, "non-queue subscriber sees every message");
  });
});

describe("subscriptions: limits and lifecycle", () => {
  it("max: the subscription ends after max messages", { timeout: TIMEOUT }, async () => {
    const r = await h.env.run(async ({ mod, url }) => {
      const nats = await import(mod);
      const nc = T.track(await nats.connect({ servers: url }));
      const sub = nc.subscribe("ps.max", { max: 3 });
      const getMax = sub.getMax();
      for (let i = 0; i < 6; i++) nc.publish("ps.max", String(i));
      const got = [];
      await T.within((async () => {
        for await (const m of sub) got.push(m.string());
      })(), 5000, "iterator end after max");
      await T.within(sub.closed, 2000, "sub.closed");
      const out = {
        got,
        getMax,
        processed: sub.getProcessed(),
        received: sub.getReceived(),
        isClosed: sub.isClosed(),
      };
      await nc.close();
      return out;
    });
    assert.deepEqual(r.got, ["0", "1", "2"]);
    assert.equal(r.getMax, 3);
    assert.equal(r.processed, 3);
    assert.equal(r.received, 3);
    assert.equal(r.isClosed, true);
  });

  it("max in callback mode", { timeout: TIMEOUT }, async () => {
    const r = await h.env.run(async ({ mod, url }) => {
      const nats = await import(mod);
      const nc = T.track(await nats.connect({ servers: url }));
      const got = [];
      const sub = nc.subscribe("ps.maxcb", { max: 2, callback: (_e, m) => got.push(m.string()) });
      for (let i = 0; i < 5; i++) nc.publish("ps.maxcb", String(i));
      await nc.flush();
      await T.within(sub.closed, 5000, "sub.closed");
      await nc.flush();
      const out = { got, isClosed: sub.isClosed(), processed: sub.getProcessed() };
      await nc.close();
      return out;
    });
    assert.deepEqual(r.got, ["0", "1"]);
    assert.equal(r.isClosed, true);
    assert.equal(r.processed, 2);
  });

  it("unsubscribe(max) ends after max messages in total", { timeout: TIMEOUT }, async () => {
    const r = await h.env.run(async ({ mod, url }) => {
      const nats = await import(mod);
      const nc = T.track(await nats.connect({ servers: url }));
      const sub = nc.subscribe("ps.unsubmax");
      const maxBefore = sub.getMax() ?? null;
      nc.publish("ps.unsubmax", "a");
      await nc.flush();
      await T.until(() => sub.getReceived() === 1, 5000, "first message");
      sub.unsubscribe(3); // counts from the start of the subscription
      const maxAfter = sub.getMax();
      for (let i = 0; i < 5; i++) nc.publish("ps.unsubmax", String(i));
      const got = [];
      await T.within((async () => {
        for await (const m of sub) got.push(m.string());
      })(), 5000, "iterator end");
      const out = { got, maxBefore, maxAfter, isClosed: sub.isClosed(), received: sub.getReceived() };
      await nc.close();
      return out;
    });
    assert.deepEqual(r.got, ["a", "0", "1"]);
    assert.equal(r.maxBefore, null, "no max before unsubscribe(max)");
    assert.equal(r.maxAfter, 3);
    assert.equal(r.isClosed, true);
    assert.equal(r.received, 3);
  });

  it("unsubscribe() stops delivery and resolves sub.closed", { timeout: TIMEOUT }, async () => {
    const r = await h.env.run(async ({ mod, url }) => {
      const nats = await import(mod);
      const nc = T.track(await nats.connect({ servers: url }));
      const other = T.track(await nats.connect({ servers: url }));
      let n = 0;
      const sub = nc.subscribe("ps.unsub", { callback: () => n++ });
      await nc.flush();
      other.publish("ps.unsub");
      await other.flush();
      await T.until(() => n === 1, 5000, "first message");
      sub.unsubscribe();
      await T.within(sub.closed, 2000, "sub.closed");
      const isClosed = sub.isClosed();
      await nc.flush();
      for (let i = 0; i < 5; i++) other.publish("ps.unsub");
      await other.flush();
      await nc.flush();
      await T.sleep(100);
      await nc.close();
      await other.close();
      return { n, isClosed };
    });
    assert.deepEqual(r, { n: 1, isClosed: true });
  });

  it("breaking out of for-await unsubscribes", { timeout: TIMEOUT }, async () => {
    const name = `e2e-break-${Date.now()}`;
    const r = await h.env.run(async ({ mod, url, name }) => {
      const nats = await import(mod);
      const nc = T.track(await nats.connect({ servers: url, name }));
      globalThis.__breakNc = nc;
      const sub = nc.subscribe("ps.break");
      globalThis.__breakSub = sub;
      // control: an unrelated subscription that must stay registered
      const control = nc.subscribe("ps.control", { callback: () => {} });
      nc.publish("ps.break", "1");
      nc.publish("ps.break", "2");
      nc.publish("ps.break", "3");
      let first = null;
      await T.within((async () => {
        for await (const m of sub) {
          first = m.string();
          break;
        }
      })(), 5000, "first message");
      await T.within(sub.closed, 2000, "sub.closed after break");
      await nc.flush();
      return { first, isClosed: sub.isClosed(), controlClosed: control.isClosed() };
    }, { name });
    assert.equal(r.first, "1");
    assert.equal(r.isClosed, true);
    assert.equal(r.controlClosed, false);
    const server = await waitNoServerSub(name, "ps.break");
    assert.ok(server.found, `server still lists the subscription: ${JSON.stringify(server.subs)}`);
    assert.ok(server.subs.includes("ps.control"), "control subscription still present on the server");
    // later publishes are not delivered anywhere on this connection
    const later = await h.env.run(async ({ mod, url }) => {
      const nats = await import(mod);
      const nc = globalThis.__breakNc;
      const before = nc.stats().inMsgs;
      const other = T.track(await nats.connect({ servers: url }));
      other.publish("ps.break", "late");
      await other.flush();
      await nc.flush();
      await T.sleep(50);
      const after = nc.stats().inMsgs;
      await other.close();
      await nc.close();
      delete globalThis.__breakNc;
      delete globalThis.__breakSub;
      return { delta: after - before };
    });
    assert.equal(later.delta, 0, "no message arrives after the break");
  });

  it("getSubject(), getID(), getMax()", { timeout: TIMEOUT }, async () => {
    const r = await h.env.run(async ({ mod, url }) => {
      const nats = await import(mod);
      const nc = T.track(await nats.connect({ servers: url }));
      const a = nc.subscribe("ps.getters.a", { max: 7 });
      const b = nc.subscribe("ps.getters.*");
      const out = {
        subjA: a.getSubject(),
        subjB: b.getSubject(),
        idA: a.getID(),
        idB: b.getID(),
        maxA: a.getMax(),
        maxB: b.getMax() ?? null,
        pending: a.getPending(),
        draining: a.isDraining(),
        closed: a.isClosed(),
      };
      a.unsubscribe();
      b.unsubscribe();
      await nc.close();
      return out;
    });
    assert.equal(r.subjA, "ps.getters.a");
    assert.equal(r.subjB, "ps.getters.*");
    assert.equal(typeof r.idA, "number");
    assert.equal(typeof r.idB, "number");
    assert.notEqual(r.idA, r.idB);
    assert.equal(r.maxA, 7);
    assert.equal(r.maxB, null);
    assert.equal(r.pending, 0);
    assert.equal(r.draining, false);
    assert.equal(r.closed, false);
  });

  it("closing the connection ends subscription iterators", { timeout: TIMEOUT }, async () => {
    const r = await h.env.run(async ({ mod, url }) => {
      const nats = await import(mod);
      const nc = T.track(await nats.connect({ servers: url }));
      const sub = nc.subscribe("ps.endonclose");
      const loop = (async () => {
        let n = 0;
        for await (const _m of sub) n++;
        return n;
      })();
      nc.publish("ps.endonclose");
      await nc.flush();
      await T.until(() => sub.getProcessed() === 1, 5000, "message");
      await nc.close();
      const n = await T.within(loop, 5000, "iterator end on close");
      await T.within(sub.closed, 2000, "sub.closed");
      return { n, isClosed: sub.isClosed() };
    });
    assert.deepEqual(r, { n: 1, isClosed: true });
  });
});

describe("flush", () => {
  it("all messages published before flush() are delivered before it resolves", { timeout: TIMEOUT }, async () => {
    const r = await h.env.run(async ({ mod, url }) => {
      const nats = await import(mod);
      const nc = T.track(await nats.connect({ servers: url }));
      let count = 0;
      const sub = nc.subscribe("ps.flush", { callback: () => count++ });
      const N = 2000;
      for (let i = 0; i < N; i++) nc.publish("ps.flush", "payload");
      await T.within(nc.flush(), 10000, "flush");
      const atFlush = count;
      sub.unsubscribe();
      await nc.close();
      return { atFlush, N };
    });
    assert.equal(r.atFlush, r.N);
  });
});

describe("subscription timeout option", () => {
  it("an iterator with no messages ends with TIMEOUT", { timeout: TIMEOUT }, async () => {
    const r = await h.env.run(async ({ mod, url }) => {
      const nats = await import(mod);
      const nc = T.track(await nats.connect({ servers: url }));
      const sub = nc.subscribe("ps.to.iter", { timeout: 250 });
      const t0 = Date.now();
      const res = await T.capture(() =>
        T.within((async () => {
          for await (const _m of sub) { /* none */ }
          return "ended without error";
        })(), 5000, "iterator")
      );
      const ms = Date.now() - t0;
      await T.within(sub.closed, 2000, "sub.closed");
      const out = { res, ms, isClosed: sub.isClosed() };
      await nc.close();
      return out;
    });
    assert.equal(r.res.ok, false, JSON.stringify(r.res));
    assert.equal(r.res.error.code, "TIMEOUT");
    assert.ok(r.ms >= 200, `timed out after ${r.ms} ms`);
    assert.equal(r.isClosed, true);
  });

  it("a callback subscription with no messages gets a TIMEOUT error", { timeout: TIMEOUT }, async () => {
    const r = await h.env.run(async ({ mod, url }) => {
      const nats = await import(mod);
      const nc = T.track(await nats.connect({ servers: url }));
      const calls = [];
      const sub = nc.subscribe("ps.to.cb", {
        timeout: 250,
        callback: (err, _m) => calls.push(err ? err.code : "msg"),
      });
      await T.until(() => calls.length > 0, 5000, "timeout callback");
      await T.sleep(300);
      const out = { calls, isClosed: sub.isClosed() };
      await nc.close();
      return out;
    });
    assert.deepEqual(r.calls, ["TIMEOUT"]);
    assert.equal(r.isClosed, true);
  });

  it("an iterator that got a message before the timeout does not time out", { timeout: TIMEOUT }, async () => {
    const r = await h.env.run(async ({ mod, url }) => {
      const nats = await import(mod);
      const nc = T.track(await nats.connect({ servers: url }));
      const sub = nc.subscribe("ps.to.iter2", { timeout: 300 });
      nc.publish("ps.to.iter2", "early");
      const got = [];
      let error = null;
      const loop = (async () => {
        try {
          for await (const m of sub) got.push(m.string());
        } catch (e) {
          error = T.err(e);
        }
      })();
      await T.sleep(900);
      const out = { got, error, isClosed: sub.isClosed() };
      sub.unsubscribe();
      await T.within(loop, 2000, "loop end after unsubscribe");
      await nc.close();
      return out;
    });
    assert.deepEqual(r.got, ["early"]);
    assert.equal(r.error, null);
    assert.equal(r.isClosed, false);
  });

  it(
    "a callback subscription that got a message before the timeout does not time out",
    { timeout: TIMEOUT, skip: skipRef("nats.ws bug: callback subs keep the timeout timer armed") },
    async () => {
      const r = await h.env.run(async ({ mod, url }) => {
        const nats = await import(mod);
        const nc = T.track(await nats.connect({ servers: url }));
        const calls = [];
        const sub = nc.subscribe("ps.to.cb2", {
          timeout: 300,
          callback: (err, m) => calls.push(err ? `err:${err.code}` : m.string()),
        });
        nc.publish("ps.to.cb2", "early");
        await T.sleep(900);
        const out = { calls, isClosed: sub.isClosed() };
        sub.unsubscribe();
        await nc.close();
        return out;
      });
      assert.deepEqual(r.calls, ["early"]);
      assert.equal(r.isClosed, false);
    },
  );
});
