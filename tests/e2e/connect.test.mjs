// connect / close / connection state
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { freePorts, skipRef, TIMEOUT, useEnv } from "./harness.mjs";

const h = useEnv();

describe("connect and close", () => {
  it("connects and exposes server info", { timeout: TIMEOUT }, async () => {
    const r = await h.env.run(async ({ mod, url }) => {
      const nats = await import(mod);
      const nc = T.track(await nats.connect({ servers: url }));
      const out = {
        serverId: nc.info?.server_id,
        maxPayload: nc.info?.max_payload,
        headers: nc.info?.headers,
        server: nc.getServer(),
        isClosed: nc.isClosed(),
        isDraining: nc.isDraining(),
      };
      await nc.close();
      return out;
    });
    assert.equal(typeof r.serverId, "string");
    assert.ok(r.serverId.length > 0, "server_id is not empty");
    assert.equal(typeof r.maxPayload, "number");
    assert.ok(r.maxPayload > 0);
    assert.equal(r.headers, true);
    assert.equal(r.server, `127.0.0.1:${h.env.server.wsPort}`);
    assert.equal(r.isClosed, false);
    assert.equal(r.isDraining, false);
  });

  it("wsFactory: both nats.ws's async `{ socket, encrypted }` form and a plain socket work", { timeout: TIMEOUT, skip: skipRef("nats.ws takes only the async form") }, async () => {
    const r = await h.env.run(async ({ mod, url }) => {
      const nats = await import(mod);
      const seen = [];
      const asyncFactory = async (u, opts) => {
        seen.push({ u, name: opts?.name });
        await new Promise((res) => setTimeout(res, 20));
        return { socket: new WebSocket(u), encrypted: false };
      };
      const a = T.track(await nats.connect({ servers: url, name: "async", wsFactory: asyncFactory }));
      const b = T.track(await nats.connect({ servers: url, wsFactory: (u) => new WebSocket(u) }));
      const got = [];
      const sub = a.subscribe("factory.x", { callback: (_e, m) => got.push(m.string()) });
      await a.flush();
      b.publish("factory.x", "hello");
      await T.until(() => got.length === 1, 5000, "message");
      const rtt = await a.rtt();
      sub.unsubscribe();
      await a.close();
      await b.close();
      // A factory that fails: the dial fails, and connect() says so with a code.
      let failed;
      try {
        await nats.connect({ servers: url, wsFactory: async () => { throw new Error("no socket"); } });
      } catch (e) {
        failed = e.code;
      }
      return { seen, got, rtt: typeof rtt, failed };
    });
    assert.equal(r.seen.length, 1);
    assert.ok(r.seen[0].u.startsWith(h.env.wsUrl), r.seen[0].u);
    assert.equal(r.seen[0].name, "async");
    assert.deepEqual(r.got, ["hello"]);
    assert.equal(r.rtt, "number");
    assert.equal(r.failed, "CONNECTION_REFUSED");
  });

  it("after close: rtt() rejects CONNECTION_CLOSED; errors are named NatsError", { timeout: TIMEOUT }, async () => {
    const r = await h.env.run(async ({ mod, url }) => {
      const nats = await import(mod);
      const nc = await nats.connect({ servers: url });
      await nc.close();
      const err = await nc.rtt().then(() => null, (e) => e);
      return { code: err?.code, name: err?.name, ctor: err?.constructor?.name, isNats: err instanceof nats.NatsError };
    });
    assert.deepEqual(r, { code: "CONNECTION_CLOSED", name: "NatsError", ctor: "NatsError", isNats: true });
  });

  it("info matches the server's /varz", { timeout: TIMEOUT }, async () => {
    const varz = await h.env.server.varz();
    const r = await h.env.run(async ({ mod, url }) => {
      const nats = await import(mod);
      const nc = T.track(await nats.connect({ servers: url }));
      const info = { server_id: nc.info.server_id, max_payload: nc.info.max_payload, version: nc.info.version };
      await nc.close();
      return info;
    });
    assert.equal(r.server_id, varz.server_id);
    assert.equal(r.max_payload, varz.max_payload);
    assert.equal(r.version, varz.version);
  });

  it("servers may be given as an array", { timeout: TIMEOUT }, async () => {
    const r = await h.env.run(async ({ mod, url }) => {
      const nats = await import(mod);
      const nc = T.track(await nats.connect({ servers: [url] }));
      const ok = typeof nc.info.server_id === "string";
      await nc.close();
      return ok;
    });
    assert.equal(r, true);
  });

  it("close() resolves, closed() resolves to undefined, state is closed", { timeout: TIMEOUT }, async () => {
    const r = await h.env.run(async ({ mod, url }) => {
      const nats = await import(mod);
      const nc = T.track(await nats.connect({ servers: url }));
      const closedBefore = nc.closed();
      let settled = false;
      closedBefore.then(() => (settled = true));
      await T.sleep(50);
      const settledEarly = settled;
      const closeResult = await T.within(nc.close(), 5000, "close()");
      const closedResult = await T.within(closedBefore, 5000, "closed()");
      const closedAfter = await T.within(nc.closed(), 5000, "closed() after close");
      const again = await T.capture(() => T.within(nc.close(), 5000, "second close()"));
      return {
        settledEarly,
        closeResultIsUndefined: closeResult === undefined,
        closedResultIsUndefined: closedResult === undefined,
        closedAfterIsUndefined: closedAfter === undefined,
        isClosed: nc.isClosed(),
        infoAfterClose: nc.info === undefined ? "undefined" : typeof nc.info,
        again,
      };
    });
    assert.equal(r.settledEarly, false, "closed() must not resolve before close()");
    assert.equal(r.closeResultIsUndefined, true);
    assert.equal(r.closedResultIsUndefined, true);
    assert.equal(r.closedAfterIsUndefined, true);
    assert.equal(r.isClosed, true);
    // nats.ws clears `info` once the connection is closed
    assert.equal(r.infoAfterClose, "undefined");
    assert.equal(r.again.ok, true, "closing twice is harmless");
  });

  it("the server sees the connection name and drops the client on close", { timeout: TIMEOUT }, async () => {
    const name = `e2e-name-${Date.now()}`;
    await h.env.run(async ({ mod, url, name }) => {
      const nats = await import(mod);
      globalThis.__named = T.track(await nats.connect({ servers: url, name }));
      await globalThis.__named.flush();
    }, { name });
    const before = await h.env.server.connz("subs=1");
    assert.ok(
      before.connections.some((c) => c.name === name),
      `connection named ${name} visible in /connz`,
    );
    await h.env.run(async () => {
      await globalThis.__named.close();
      delete globalThis.__named;
    });
    let gone = false;
    for (let i = 0; i < 50 && !gone; i++) {
      const c = await h.env.server.connz("subs=1");
      gone = !c.connections.some((x) => x.name === name);
      if (!gone) await new Promise((r) => setTimeout(r, 50));
    }
    assert.ok(gone, "connection gone from /connz after close()");
  });

  it("two connections can talk to each other", { timeout: TIMEOUT }, async () => {
    const r = await h.env.run(async ({ mod, url }) => {
      const nats = await import(mod);
      const a = T.track(await nats.connect({ servers: url }));
      const b = T.track(await nats.connect({ servers: url }));
      const sub = a.subscribe("conn.talk", { max: 1 });
      await a.flush();
      b.publish("conn.talk", "hi from b");
      let got = null;
      await T.within((async () => {
        for await (const m of sub) got = m.string();
      })(), 5000, "message from b");
      await a.close();
      await b.close();
      return got;
    });
    assert.equal(r, "hi from b");
  });

  it("noEcho: a connection does not receive its own messages", { timeout: TIMEOUT }, async () => {
    const r = await h.env.run(async ({ mod, url }) => {
      const nats = await import(mod);
      const a = T.track(await nats.connect({ servers: url, noEcho: true }));
      const b = T.track(await nats.connect({ servers: url }));
      let own = 0;
      let other = 0;
      a.subscribe("conn.echo", { callback: (_e, m) => (m.string() === "a" ? own++ : other++) });
      await a.flush();
      a.publish("conn.echo", "a");
      await a.flush();
      b.publish("conn.echo", "b");
      await b.flush();
      await T.until(() => other === 1, 5000, "message from b");
      await a.flush();
      await a.close();
      await b.close();
      return { own, other };
    });
    assert.deepEqual(r, { own: 0, other: 1 });
  });

  it("connecting to a closed port rejects with a coded error", { timeout: TIMEOUT }, async () => {
    const [port] = await freePorts(1);
    // the browser itself logs failed websocket handshakes to the console
    h.env.allowErrors(/WebSocket connection to .* failed/);
    const r = await h.env.run(async ({ mod, port }) => {
      const nats = await import(mod);
      const t0 = Date.now();
      const res = await T.capture(() =>
        T.within(nats.connect({ servers: `ws://127.0.0.1:${port}` }), 15000, "connect")
      );
      return { ...res, ms: Date.now() - t0 };
    }, { port });
    assert.equal(r.ok, false, "connect must reject");
    assert.ok(r.error.isError, "rejects with an Error");
    assert.equal(typeof r.error.code, "string", `error has a string code: ${JSON.stringify(r.error)}`);
    assert.ok(!/^timed out/.test(r.error.message || ""), "connect rejected by itself");
    assert.ok(r.ms < 10_000, `rejected quickly (${r.ms} ms)`);
  });
});
