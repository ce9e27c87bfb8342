// stats, rtt, inboxes, status iterator, exported constants
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { TIMEOUT, useEnv } from "./harness.mjs";

const h = useEnv();

describe("connection utilities", () => {
  it("stats() counts messages and bytes in and out", { timeout: TIMEOUT }, async () => {
    const r = await h.env.run(async ({ mod, url }) => {
      const nats = await import(mod);
      const nc = T.track(await nats.connect({ servers: url }));
      const other = T.track(await nats.connect({ servers: url }));
      const initial = nc.stats();
      const keys = Object.keys(initial).sort();
      let n = 0;
      const sub = nc.subscribe("stats.in", { callback: () => n++ });
      await nc.flush();
      const s0 = nc.stats();
      for (let i = 0; i < 3; i++) nc.publish("stats.out", "12345"); // nobody listens
      for (let i = 0; i < 4; i++) other.publish("stats.in", "abcdefgh");
      await other.flush();
      await T.until(() => n === 4, 5000, "4 messages");
      const s1 = nc.stats();
      sub.unsubscribe();
      await nc.close();
      await other.close();
      return {
        keys,
        types: keys.map((k) => typeof initial[k]),
        d: {
          outMsgs: s1.outMsgs - s0.outMsgs,
          outBytes: s1.outBytes - s0.outBytes,
          inMsgs: s1.inMsgs - s0.inMsgs,
          inBytes: s1.inBytes - s0.inBytes,
        },
      };
    });
    assert.deepEqual(r.keys, ["inBytes", "inMsgs", "outBytes", "outMsgs"]);
    assert.deepEqual(r.types, ["number", "number", "number", "number"]);
    assert.deepEqual(r.d, { outMsgs: 3, outBytes: 15, inMsgs: 4, inBytes: 32 });
  });

  it("rtt() resolves to a number >= 0", { timeout: TIMEOUT }, async () => {
    const r = await h.env.run(async ({ mod, url }) => {
      const nats = await import(mod);
      const nc = T.track(await nats.connect({ servers: url }));
      const rtt = await T.within(nc.rtt(), 5000, "rtt");
      await nc.close();
      return { type: typeof rtt, rtt };
    });
    assert.equal(r.type, "number");
    assert.ok(Number.isFinite(r.rtt) && r.rtt >= 0, `rtt = ${r.rtt}`);
  });

  it("createInbox() returns _INBOX. + 22 characters, unique", { timeout: TIMEOUT }, async () => {
    const r = await h.env.run(async ({ mod }) => {
      const nats = await import(mod);
      const inboxes = Array.from({ length: 100 }, () => nats.createInbox());
      return { inboxes, prefixed: nats.createInbox("my.prefix") };
    });
    for (const i of r.inboxes) assert.match(i, /^_INBOX\.[A-Za-z0-9]{22}$/);
    assert.equal(new Set(r.inboxes).size, r.inboxes.length, "inboxes are unique");
    assert.match(r.prefixed, /^my\.prefix\.[A-Za-z0-9]{22}$/);
  });

  // A real `break` out of a status loop on an event is exercised in
  // auth-userpass.test.mjs (permission violation -> Events.Error).
  it("status() is an async iterable whose iterator can be returned (for-await break)", { timeout: TIMEOUT }, async () => {
    const r = await h.env.run(async ({ mod, url }) => {
      const nats = await import(mod);
      const nc = T.track(await nats.connect({ servers: url }));
      const st = nc.status();
      const isIterable = typeof st[Symbol.asyncIterator] === "function";
      const it = st[Symbol.asyncIterator]();
      const hasNext = typeof it.next === "function";
      // `break` in for-await calls return() when the iterator has one
      const ret = typeof it.return === "function"
        ? await T.within(it.return(), 2000, "iterator.return()")
        : { done: true };
      const close = await T.capture(() => T.within(nc.close(), 5000, "close"));
      return { isIterable, hasNext, retDone: ret?.done === true, close };
    });
    assert.deepEqual(r, { isIterable: true, hasNext: true, retDone: true, close: { ok: true, value: null } });
  });

  it("exports nats.ws enums and classes", { timeout: TIMEOUT }, async () => {
    const r = await h.env.run(async ({ mod }) => {
      const nats = await import(mod);
      const e = new nats.NatsError("boom", nats.ErrorCode.Timeout);
      return {
        fns: ["connect", "headers", "createInbox", "StringCodec", "JSONCodec"].map((k) => [k, typeof nats[k]]),
        strategies: { ...nats.RequestStrategy },
        events: { ...nats.Events },
        match: { Exact: nats.Match.Exact, CanonicalMIME: nats.Match.CanonicalMIME, IgnoreCase: nats.Match.IgnoreCase },
        codes: {
          Timeout: nats.ErrorCode.Timeout,
          NoResponders: nats.ErrorCode.NoResponders,
          BadSubject: nats.ErrorCode.BadSubject,
          BadHeader: nats.ErrorCode.BadHeader,
          ConnectionClosed: nats.ErrorCode.ConnectionClosed,
          ConnectionDraining: nats.ErrorCode.ConnectionDraining,
          MaxPayloadExceeded: nats.ErrorCode.MaxPayloadExceeded,
          AuthorizationViolation: nats.ErrorCode.AuthorizationViolation,
        },
        natsError: { isError: e instanceof Error, isNatsError: e instanceof nats.NatsError, code: e.code, message: e.message },
      };
    });
    for (const [k, t] of r.fns) assert.equal(t, "function", `${k} is exported`);
    assert.deepEqual(r.strategies, { Timer: "timer", Count: "count", JitterTimer: "jitterTimer", SentinelMsg: "sentinelMsg" });
    assert.deepEqual(r.events, { Disconnect: "disconnect", Reconnect: "reconnect", Update: "update", LDM: "ldm", Error: "error" });
    assert.deepEqual(r.match, { Exact: 0, CanonicalMIME: 1, IgnoreCase: 2 });
    assert.deepEqual(r.codes, {
      Timeout: "TIMEOUT",
      NoResponders: "503",
      BadSubject: "BAD_SUBJECT",
      BadHeader: "BAD_HEADER",
      ConnectionClosed: "CONNECTION_CLOSED",
      ConnectionDraining: "CONNECTION_DRAINING",
      MaxPayloadExceeded: "MAX_PAYLOAD_EXCEEDED",
      AuthorizationViolation: "AUTHORIZATION_VIOLATION",
    });
    assert.deepEqual(r.natsError, { isError: true, isNatsError: true, code: "TIMEOUT", message: "boom" });
  });

  it("errors thrown by the client are NatsError instances", { timeout: TIMEOUT }, async () => {
    const r = await h.env.run(async ({ mod, url }) => {
      const nats = await import(mod);
      const nc = T.track(await nats.connect({ servers: url }));
      let sync = null;
      try {
        nc.publish("");
      } catch (e) {
        sync = { natsError: e instanceof nats.NatsError, error: e instanceof Error, code: e.code };
      }
      let async = null;
      try {
        await nc.request("misc.nobody", "", { timeout: 3000 });
      } catch (e) {
        async = { natsError: e instanceof nats.NatsError, error: e instanceof Error, code: e.code };
      }
      await nc.close();
      return { sync, async };
    });
    assert.deepEqual(r.sync, { natsError: true, error: true, code: "BAD_SUBJECT" });
    assert.deepEqual(r.async, { natsError: true, error: true, code: "503" });
  });
});
