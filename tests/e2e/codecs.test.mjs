// codecs and message convenience accessors
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { TIMEOUT, useEnv } from "./harness.mjs";

const h = useEnv();

describe("codecs", () => {
  it("StringCodec round trips (locally and over the wire)", { timeout: TIMEOUT }, async () => {
    const r = await h.env.run(async ({ mod, url }) => {
      const nats = await import(mod);
      const sc = nats.StringCodec();
      const text = "héllo wörld ✓ 🚀";
      const enc = sc.encode(text);
      const local = { isU8: enc instanceof Uint8Array, len: enc.length, back: sc.decode(enc) };
      const nc = T.track(await nats.connect({ servers: url }));
      const sub = nc.subscribe("codec.str", { max: 1 });
      nc.publish("codec.str", sc.encode(text));
      let wire = null;
      await T.within((async () => {
        for await (const m of sub) wire = { decoded: sc.decode(m.data), string: m.string() };
      })(), 5000, "message");
      await nc.close();
      return { local, wire, text, utf8Len: new TextEncoder().encode(text).length };
    });
    assert.equal(r.local.isU8, true);
    assert.equal(r.local.len, r.utf8Len);
    assert.equal(r.local.back, r.text);
    assert.deepEqual(r.wire, { decoded: r.text, string: r.text });
  });

  it("JSONCodec round trips (locally and over the wire) and msg.json()", { timeout: TIMEOUT }, async () => {
    const r = await h.env.run(async ({ mod, url }) => {
      const nats = await import(mod);
      const jc = nats.JSONCodec();
      const value = { a: 1, b: "two", c: [true, null, 3.5], d: { nested: "ü" } };
      const enc = jc.encode(value);
      const local = { isU8: enc instanceof Uint8Array, back: jc.decode(enc) };
      const nc = T.track(await nats.connect({ servers: url }));
      const sub = nc.subscribe("codec.json", { max: 1 });
      nc.publish("codec.json", jc.encode(value));
      let wire = null;
      await T.within((async () => {
        for await (const m of sub) {
          wire = {
            decoded: jc.decode(m.data),
            json: m.json(),
            revived: m.json((k, v) => (k === "a" ? v + 1 : v)).a,
            string: m.string(),
          };
        }
      })(), 5000, "message");
      await nc.close();
      return { local, wire, value };
    });
    assert.equal(r.local.isU8, true);
    assert.deepEqual(r.local.back, r.value);
    assert.deepEqual(r.wire.decoded, r.value);
    assert.deepEqual(r.wire.json, r.value);
    assert.equal(r.wire.revived, 2, "msg.json(reviver) applies the reviver");
    assert.deepEqual(JSON.parse(r.wire.string), r.value);
  });

  it("bad JSON fails with BAD_JSON", { timeout: TIMEOUT }, async () => {
    const r = await h.env.run(async ({ mod, url }) => {
      const nats = await import(mod);
      const jc = nats.JSONCodec();
      const decode = await T.capture(() => jc.decode(new TextEncoder().encode("{not json")));
      const nc = T.track(await nats.connect({ servers: url }));
      const sub = nc.subscribe("codec.badjson", { max: 1 });
      nc.publish("codec.badjson", "{not json");
      let msgJson = null;
      await T.within((async () => {
        for await (const m of sub) msgJson = await T.capture(() => m.json());
      })(), 5000, "message");
      await nc.close();
      return { decode, msgJson };
    });
    assert.equal(r.decode.ok, false);
    assert.equal(r.decode.error.code, "BAD_JSON");
    assert.equal(r.msgJson.ok, false);
    assert.equal(r.msgJson.error.code, "BAD_JSON");
  });

  it("Empty is an empty Uint8Array and publishes an empty payload", { timeout: TIMEOUT }, async () => {
    const r = await h.env.run(async ({ mod, url }) => {
      const nats = await import(mod);
      const nc = T.track(await nats.connect({ servers: url }));
      const sub = nc.subscribe("codec.empty", { max: 1 });
      nc.publish("codec.empty", nats.Empty);
      let got = null;
      await T.within((async () => {
        for await (const m of sub) got = { len: m.data.length, string: m.string() };
      })(), 5000, "message");
      await nc.close();
      return { isU8: nats.Empty instanceof Uint8Array, len: nats.Empty.length, got };
    });
    assert.deepEqual(r, { isU8: true, len: 0, got: { len: 0, string: "" } });
  });
});
