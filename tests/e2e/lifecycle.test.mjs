// Browser awareness (online/offline), subscription permission errors, bounded status queues.
import { beforeEach, describe, it } from "node:test";
import assert from "node:assert/strict";
import { skipRef, TIMEOUT, useEnv } from "./harness.mjs";

const h = useEnv({
  config: `authorization { users: [ { user: u, password: p, permissions: { subscribe: { deny: ["secret.>"] } } } ] }`,
});

describe("lifecycle", () => {
  beforeEach(() => h.env.allowErrors(/WebSocket connection to .* failed/));

  it("offline drops the connection and waits; online reconnects at once", { timeout: TIMEOUT, skip: skipRef("nats.ws ignores online/offline") }, async () => {
    const r = await h.env.run(async ({ mod, url }) => {
      const nats = await import(mod);
      const nc = T.track(await nats.connect({
        servers: url, user: "u", pass: "p", reconnectTimeWait: 100, maxReconnectAttempts: 3,
      }));
      const events = [];
      (async () => { for await (const s of nc.status()) events.push({ type: s.type, at: Date.now() }); })();
      const got = [];
      nc.subscribe("life.>", { callback: (_e, m) => got.push(m.string()) });
      await nc.flush();
      globalThis.dispatchEvent(new Event("offline"));
      await T.until(() => events.some((e) => e.type === "disconnect"), 5000, "disconnect");
      // Offline for longer than maxReconnectAttempts * reconnectTimeWait: nothing is dialed,
      // so no attempt is burnt and the connection is still alive afterwards.
      await T.sleep(800);
      const dialsWhileOffline = events.filter((e) => e.type === "reconnecting").length;
      const onlineAt = Date.now();
      globalThis.dispatchEvent(new Event("online"));
      await T.until(() => events.some((e) => e.type === "reconnect"), 5000, "reconnect");
      const reconnectedAt = events.find((e) => e.type === "reconnect").at;
      nc.publish("life.x", "back");
      await T.until(() => got.includes("back"), 5000, "message after reconnect");
      const closed = nc.isClosed();
      await nc.close();
      return { dialsWhileOffline, tookMs: reconnectedAt - onlineAt, closed };
    });
    console.log(`# online: reconnected ${r.tookMs} ms after the online event`);
    assert.equal(r.dialsWhileOffline, 0);
    assert.equal(r.closed, false);
    assert.ok(r.tookMs < 1000, `took ${r.tookMs} ms`);
  });

  it("reconnectDelayHandler decides the wait before each reconnect", { timeout: TIMEOUT }, async () => {
    const r = await h.env.run(async ({ mod, url }) => {
      const nats = await import(mod);
      let calls = 0;
      const nc = T.track(await nats.connect({
        servers: url, user: "u", pass: "p", reconnectDelayHandler: () => (calls++, 50),
      }));
      const events = [];
      (async () => { for await (const s of nc.status()) events.push(s.type); })();
      await nc.reconnect();
      await T.until(() => events.includes("reconnect"), 5000, "reconnect");
      await nc.close();
      return { calls };
    });
    assert.ok(r.calls >= 1, `called ${r.calls} times`);
  });

  it("a subscription permission violation closes that subscription only", { timeout: TIMEOUT }, async () => {
    const r = await h.env.run(async ({ mod, url }) => {
      const nats = await import(mod);
      const nc = T.track(await nats.connect({ servers: url, user: "u", pass: "p" }));
      const statuses = [];
      (async () => {
        for await (const s of nc.status()) statuses.push({ type: s.type, data: s.data, ctx: s.permissionContext ?? null });
      })();
      const bad = nc.subscribe("secret.x");
      const iterErr = (async () => { try { for await (const _m of bad) { /* none */ } return null; } catch (e) { return T.err(e); } })();
      const ok = nc.subscribe("open.x");
      await nc.flush();
      const err = await T.within(iterErr, 5000, "iterator end");
      await T.until(() => statuses.length > 0, 5000, "status");
      nc.publish("open.x", "fine");
      let got = null;
      for await (const m of ok) { got = m.string(); break; }
      const out = { err, statuses, got, badClosed: bad.isClosed(), connClosed: nc.isClosed() };
      await nc.close();
      return out;
    });
    assert.equal(r.err?.code, "PERMISSIONS_VIOLATION", JSON.stringify(r.err));
    assert.equal(r.badClosed, true);
    assert.equal(r.connClosed, false);
    assert.equal(r.got, "fine");
    assert.deepEqual(r.statuses[0].type, "error");
    assert.equal(r.statuses[0].data, "PERMISSIONS_VIOLATION");
    // (`queue` spelled out: through WebDriver's JSON an undefined field is dropped.)
    const ctx = r.statuses[0].ctx;
    assert.deepEqual({ ...ctx, queue: ctx.queue }, { operation: "subscription", subject: "secret.x", queue: undefined });
  });

  it("a status() iterator nobody reads stays bounded", { timeout: TIMEOUT, skip: skipRef("nats.ws queues without bound") }, async () => {
    const r = await h.env.run(async ({ mod, url }) => {
      const nats = await import(mod);
      const nc = T.track(await nats.connect({ servers: url, user: "u", pass: "p" }));
      const idle = nc.status();
      // Each subscription to a forbidden subject yields one status event: 1500 in all.
      for (let i = 0; i < 1500; i++) nc.subscribe(`secret.s${i}`);
      await nc.flush();
      await T.sleep(200);
      const pending = idle.getPending();
      await nc.close();
      return { pending };
    });
    assert.ok(r.pending > 0 && r.pending <= 1024, `pending ${r.pending}`);
  });
});

describe("in a worker", () => {
  it("connects, reconnects and exchanges messages inside a module Worker (no window)", { timeout: TIMEOUT }, async () => {
    const r = await h.env.run(async ({ mod, url }) => {
      const src = `
        const nats = await import(${JSON.stringify(new URL(mod, location.href).href)});
        const nc = await nats.connect({ servers: ${JSON.stringify(url)}, user: "u", pass: "p", reconnectTimeWait: 100 });
        const events = [];
        (async () => { for await (const s of nc.status()) events.push(s.type); })();
        const sub = nc.subscribe("worker.x", { max: 1 });
        await nc.reconnect();
        const until = async (f) => { for (let i = 0; i < 200 && !f(); i++) await new Promise((r) => setTimeout(r, 10)); };
        await until(() => events.includes("reconnect"));
        nc.publish("worker.x", "from a worker");
        let got = null;
        for await (const m of sub) got = m.string();
        await nc.close();
        postMessage({ got, events, hasWindow: typeof window !== "undefined" });
      `;
      const blob = new Blob([src], { type: "text/javascript" });
      const w = new Worker(URL.createObjectURL(blob), { type: "module" });
      const out = await T.within(new Promise((resolve, reject) => {
        w.onmessage = (e) => resolve(e.data);
        w.onerror = (e) => reject(new Error(e.message));
      }), 15000, "worker");
      w.terminate();
      return out;
    });
    assert.equal(r.hasWindow, false);
    assert.equal(r.got, "from a worker");
    assert.ok(r.events.includes("reconnect"), r.events.join());
  });
});

describe("slow consumers", () => {
  it("an unread iterator keeps at most pendingMsgs, drops the rest and says so", { timeout: 60_000, skip: skipRef("nats.ws queues without bound") }, async () => {
    const r = await h.env.run(async ({ mod, url }) => {
      const nats = await import(mod);
      const nc = T.track(await nats.connect({ servers: url, user: "u", pass: "p" }));
      const statuses = [];
      (async () => { for await (const s of nc.status()) statuses.push(s); })();
      const slow = nc.subscribe("flood", { pendingMsgs: 1000 });
      const counter = nc.subscribe("flood", { callback: () => {} });
      await nc.flush();
      const pub = T.track(await nats.connect({ servers: url, user: "u", pass: "p" }));
      const payload = new Uint8Array(16);
      for (let i = 0; i < 200_000; i++) {
        pub.publish("flood", payload);
        if (i % 20_000 === 0) await pub.flush();
      }
      await pub.flush();
      await T.until(() => counter.getReceived() === 200_000, 30_000, "all messages seen by the callback");
      const out = {
        pending: slow.getPending(),
        dropped: slow.getDropped(),
        received: slow.getReceived(),
        events: statuses.filter((s) => s.type === "slowConsumer").map((s) => s.data),
      };
      // Reading resumes normally: the first queued message comes out.
      for await (const _m of slow) break;
      await pub.close();
      await nc.close();
      return out;
    });
    assert.equal(r.pending, 1000);
    assert.equal(r.dropped, 200_000 - 1000);
    assert.equal(r.received, 200_000);
    assert.equal(r.events.length, 1, "one event per episode, not one per drop");
    assert.equal(r.events[0].subject, "flood");
  });
});
