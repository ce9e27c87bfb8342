// Bad input from the application, table-driven over the public API. Each call throws or
// rejects with a documented code, and a recording server proves nothing reached the wire.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { skipRef, TIMEOUT, useEnv } from "./harness.mjs";
import { startHostile } from "./hostile.mjs";

const h = useEnv();

describe("bad input", () => {
  it("every bad call fails with its code and writes nothing", { timeout: 30_000, skip: skipRef("nats.ws writes whitespace subjects to the wire") }, async () => {
    let recorded = () => "";
    const server = await startHostile(async (c) => {
      recorded = c.received;
      await c.handshake();
      c.autoPong();
    });
    try {
      const r = await h.env.run(async ({ mod, url }) => {
        const nats = await import(mod);
        const nc = T.track(await nats.connect({ servers: url, reconnect: false }));
        const code = async (f) => {
          try {
            await f();
            return "no error";
          } catch (e) {
            return e.code ?? `plain Error: ${e.message}`;
          }
        };
        const big = new Uint8Array(1048577);
        const out = {};
        for (const s of ["", "a b", "a\tb", "a\rb", "a\nb", "a\r\nPUB x 1", "a..b", ".a", "a.", "a.*", "a.>", "*", ">"]) {
          out[`publish ${JSON.stringify(s)}`] = await code(() => nc.publish(s, "x"));
        }
        out["publish reply with a space"] = await code(() => nc.publish("a", "x", { reply: "r x" }));
        out["publish reply with CRLF"] = await code(() => nc.publish("a", "x", { reply: "r\r\nPUB y 0" }));
        for (const s of ["", "a b", "a\r\nb", "a..b", ">.a"]) {
          out[`subscribe ${JSON.stringify(s)}`] = await code(() => nc.subscribe(s));
        }
        out["queue with a space"] = await code(() => nc.subscribe("a", { queue: "q q" }));
        out["queue with CRLF"] = await code(() => nc.subscribe("a", { queue: "q\r\nUNSUB 1" }));
        out["header key with ':'"] = await code(() => nats.headers().set("a:b", "v"));
        out["header key with a space"] = await code(() => nats.headers().set("a b", "v"));
        out["header value with CRLF"] = await code(() => nats.headers().set("k", "v\r\nPUB x 0"));
        out["payload a number"] = await code(() => nc.publish("a", 42));
        out["payload an object"] = await code(() => nc.publish("a", {}));
        out["payload null"] = await code(() => nc.publish("a", null));
        out["payload over max_payload"] = await code(() => nc.publish("a", big));
        out["request over max_payload"] = await code(() => nc.request("a", big));
        out["request negative timeout"] = await code(() => nc.request("a", "x", { timeout: -1 }));
        out["request reply without noMux"] = await code(() => nc.request("a", "x", { timeout: 100, reply: "r" }));
        out["requestMany negative maxWait"] = await code(() => nc.requestMany("a", "x", { maxWait: -5 }));
        out["request bad subject"] = await code(() => nc.request("a b", "x"));
        out["callback not a function"] = await code(() => nc.subscribe("a", { callback: 42 }));
        await nc.flush();
        const after = {};
        await nc.close();
        after.publish = await code(() => nc.publish("a", "x"));
        after.subscribe = await code(() => nc.subscribe("a"));
        after.request = await code(() => nc.request("a", "x"));
        after.requestMany = await code(() => nc.requestMany("a", "x"));
        after.flush = await code(() => nc.flush());
        after.drain = await code(() => nc.drain());
        after.reconnect = await code(() => nc.reconnect());
        return { out, after };
      }, { url: server.url });
      const want = (k) =>
        k.startsWith("publish") || k.startsWith("subscribe") || k.startsWith("queue") || k === "request bad subject"
          ? "BAD_SUBJECT"
          : k.startsWith("header") ? "BAD_HEADER"
          : k.startsWith("payload a") || k === "payload null" ? "BAD_PAYLOAD"
          : k.includes("max_payload") ? "MAX_PAYLOAD_EXCEEDED"
          : k === "callback not a function" ? "NOT_FUNC"
          : "INVALID_OPTION";
      for (const [k, got] of Object.entries(r.out)) assert.equal(got, want(k), k);
      for (const [k, got] of Object.entries(r.after)) assert.equal(got, "CONNECTION_CLOSED", `${k} after close`);
      // The wire saw the handshake and the flush's PING: nothing else.
      const wire = recorded().replace(/^CONNECT [^\r\n]*\r\n/, "");
      assert.equal(wire, "PING\r\nPING\r\n", JSON.stringify(wire));
    } finally {
      await server.stop();
    }
  });

  it("bad connect options reject with INVALID_OPTION", { timeout: TIMEOUT, skip: skipRef("nats.ws accepts unknown options") }, async () => {
    const r = await h.env.run(async ({ mod, url }) => {
      const nats = await import(mod);
      const code = async (opts) => {
        try {
          const nc = await nats.connect({ servers: url, ...opts });
          await nc.close();
          return "no error";
        } catch (e) {
          return e.code;
        }
      };
      return {
        unknown: await code({ reconect: true }),
        // An Object.prototype name is no option either.
        inherited: await code({ toString: "x" }),
        pingInterval: await code({ pingInterval: "soon" }),
        timeout: await code({ timeout: -1 }),
        servers: await code({ servers: 42 }),
        url: await code({ servers: "ws://[not a host" }),
        portAndServers: await code({ port: 4222 }),
      };
    });
    for (const [k, got] of Object.entries(r)) assert.equal(got, "INVALID_OPTION", k);
  });
});
