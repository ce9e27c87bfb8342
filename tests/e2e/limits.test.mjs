// invalid input, closed connections, max_payload
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { skipRef, TIMEOUT, useEnv } from "./harness.mjs";

const MAX_PAYLOAD = 1048576;
const h = useEnv({ config: `max_payload: ${MAX_PAYLOAD}` });

describe("bad subjects", () => {
  it("publish/subscribe/request to an empty subject throw BAD_SUBJECT", { timeout: TIMEOUT }, async () => {
    const r = await h.env.run(async ({ mod, url }) => {
      const nats = await import(mod);
      const nc = T.track(await nats.connect({ servers: url }));
      const out = {
        publish: await T.capture(() => nc.publish("")),
        subscribe: await T.capture(() => nc.subscribe("")),
        request: await T.capture(() => nc.request("", "x", { timeout: 1000 })),
        constant: nats.ErrorCode.BadSubject,
      };
      out.stillUsable = typeof (await nc.rtt()) === "number";
      await nc.close();
      return out;
    });
    assert.equal(r.constant, "BAD_SUBJECT");
    for (const k of ["publish", "subscribe", "request"]) {
      assert.equal(r[k].ok, false, `${k}("") must fail`);
      assert.equal(r[k].error.code, "BAD_SUBJECT", `${k}: ${JSON.stringify(r[k].error)}`);
    }
    assert.equal(r.stillUsable, true);
  });

  it(
    "publish to a subject containing whitespace throws BAD_SUBJECT",
    { timeout: TIMEOUT, skip: skipRef("nats.ws does not validate whitespace in subjects") },
    async () => {
      const r = await h.env.run(async ({ mod, url }) => {
        const nats = await import(mod);
        const nc = T.track(await nats.connect({ servers: url }));
        const out = {};
        for (const [name, s] of [["space", "a b"], ["tab", "a\tb"], ["cr", "a\rb"], ["lf", "a\nb"]]) {
          out[name] = await T.capture(() => nc.publish(s, "x"));
        }
        // the connection must not have been broken by a malformed protocol line
        out.rtt = await T.capture(() => T.within(nc.rtt(), 3000, "rtt"));
        await nc.close();
        return out;
      });
      for (const k of ["space", "tab", "cr", "lf"]) {
        assert.equal(r[k].ok, false, `${k} must throw`);
        assert.equal(r[k].error.code, "BAD_SUBJECT", `${k}: ${JSON.stringify(r[k].error)}`);
      }
      assert.equal(r.rtt.ok, true, "connection still healthy");
    },
  );
});

describe("closed connection", () => {
  it("publish/subscribe throw and request/flush reject with CONNECTION_CLOSED", { timeout: TIMEOUT }, async () => {
    const r = await h.env.run(async ({ mod, url }) => {
      const nats = await import(mod);
      const nc = T.track(await nats.connect({ servers: url }));
      await nc.close();
      return {
        publish: await T.capture(() => nc.publish("x", "y")),
        subscribe: await T.capture(() => nc.subscribe("x")),
        request: await T.capture(() => T.within(nc.request("x", "y", { timeout: 1000 }), 5000, "request")),
        requestRejects: await (async () => {
          // request must reject (not throw synchronously)
          try {
            const p = nc.request("x");
            return await p.then(() => "resolved", (e) => (e && e.code) || "rejected");
          } catch (e) {
            return "threw:" + (e && e.code);
          }
        })(),
        flush: await T.capture(() => T.within(nc.flush(), 5000, "flush")),
        constant: nats.ErrorCode.ConnectionClosed,
      };
    });
    assert.equal(r.constant, "CONNECTION_CLOSED");
    for (const k of ["publish", "subscribe", "request", "flush"]) {
      assert.equal(r[k].ok, false, `${k} after close must fail`);
      assert.equal(r[k].error.code, "CONNECTION_CLOSED", `${k}: ${JSON.stringify(r[k].error)}`);
    }
    assert.equal(r.requestRejects, "CONNECTION_CLOSED", "request() returns a rejected promise");
  });
});

describe("max_payload", () => {
  it("exactly max_payload is accepted, one byte more throws MAX_PAYLOAD_EXCEEDED", { timeout: TIMEOUT }, async () => {
    const r = await h.env.run(async ({ mod, url, max }) => {
      const nats = await import(mod);
      const nc = T.track(await nats.connect({ servers: url }));
      const out = { infoMax: nc.info.max_payload };
      out.exact = await T.capture(() => nc.publish("mp.sink", new Uint8Array(max)));
      out.over = await T.capture(() => nc.publish("mp.sink", new Uint8Array(max + 1)));
      const h = nats.headers();
      h.set("K", "v");
      out.overWithHeaders = await T.capture(() => nc.publish("mp.sink", new Uint8Array(max), { headers: h }));
      out.requestOver = await T.capture(() => nc.request("mp.sink", new Uint8Array(max + 1), { timeout: 1000 }));
      out.rtt = await T.capture(() => T.within(nc.rtt(), 5000, "rtt"));
      out.isClosed = nc.isClosed();
      out.constant = nats.ErrorCode.MaxPayloadExceeded;
      await nc.close();
      return out;
    }, { max: MAX_PAYLOAD });
    assert.equal(r.constant, "MAX_PAYLOAD_EXCEEDED");
    assert.equal(r.infoMax, MAX_PAYLOAD);
    assert.equal(r.exact.ok, true, JSON.stringify(r.exact));
    assert.equal(r.over.ok, false);
    assert.equal(r.over.error.code, "MAX_PAYLOAD_EXCEEDED");
    assert.equal(r.overWithHeaders.ok, false, "headers count towards max_payload");
    assert.equal(r.overWithHeaders.error.code, "MAX_PAYLOAD_EXCEEDED");
    assert.equal(r.requestOver.ok, false);
    assert.equal(r.requestOver.error.code, "MAX_PAYLOAD_EXCEEDED");
    assert.equal(r.rtt.ok, true, "connection still healthy after the oversize attempts");
    assert.equal(r.isClosed, false);
  });

  it("a 1 MiB message round-trips intact", { timeout: TIMEOUT }, async () => {
    const r = await h.env.run(async ({ mod, url, max }) => {
      const nats = await import(mod);
      const a = T.track(await nats.connect({ servers: url }));
      const b = T.track(await nats.connect({ servers: url }));
      const data = new Uint8Array(max);
      let x = 0x12345678;
      for (let i = 0; i < data.length; i++) {
        // xorshift32: non-repeating-looking content
        x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
        data[i] = x & 0xff;
      }
      const sub = b.subscribe("mp.big", { max: 2 });
      await b.flush();
      a.publish("mp.big", data);
      a.publish("mp.big", "small after big");
      const got = [];
      await T.within((async () => {
        for await (const m of sub) got.push(m.data);
      })(), 10000, "big message");
      const big = got[0];
      let firstDiff = -1;
      if (big.length === data.length) {
        for (let i = 0; i < big.length; i++) {
          if (big[i] !== data[i]) { firstDiff = i; break; }
        }
      }
      const out = { len: big.length, firstDiff, second: new TextDecoder().decode(got[1]) };
      await a.close();
      await b.close();
      return out;
    }, { max: MAX_PAYLOAD });
    assert.equal(r.len, MAX_PAYLOAD);
    assert.equal(r.firstDiff, -1, "payload bytes identical");
    assert.equal(r.second, "small after big");
  });
});
