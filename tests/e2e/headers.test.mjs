// message headers
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { TIMEOUT, useEnv } from "./harness.mjs";

const h = useEnv();

describe("headers API", () => {
  it("set/append/get/values/has/delete/keys/last and iteration", { timeout: TIMEOUT }, async () => {
    const r = await h.env.run(async ({ mod }) => {
      const nats = await import(mod);
      const h = nats.headers();
      const out = {};
      out.emptyKeys = h.keys();
      h.set("X-Foo", "bar");
      h.append("X-Foo", "baz");
      h.set("Single", "one");
      h.append("New-Via-Append", "v");
      out.keys = h.keys();
      out.get = h.get("X-Foo");
      out.values = h.values("X-Foo");
      out.last = h.last("X-Foo");
      out.has = h.has("X-Foo");
      out.hasMissing = h.has("Nope");
      out.getMissing = h.get("Nope");
      out.valuesMissing = h.values("Nope");
      out.appendNew = h.values("New-Via-Append");
      h.set("Single", "replaced");
      out.setReplaces = h.values("Single");
      h.delete("X-Foo");
      // (nats.ws moves a key that is set() again to the end; order is not asserted here)
      out.afterDelete = { keys: h.keys().sort(), has: h.has("X-Foo") };
      out.iter = [...h].map(([k, v]) => [k, v]).sort((a, b) => (a[0] < b[0] ? -1 : 1));
      out.defaults = { code: h.code, description: h.description, hasError: h.hasError };
      return out;
    });
    assert.deepEqual(r.emptyKeys, []);
    assert.deepEqual(r.keys, ["X-Foo", "Single", "New-Via-Append"]);
    assert.equal(r.get, "bar");
    assert.deepEqual(r.values, ["bar", "baz"]);
    assert.equal(r.last, "baz");
    assert.equal(r.has, true);
    assert.equal(r.hasMissing, false);
    assert.equal(r.getMissing, "");
    assert.deepEqual(r.valuesMissing, []);
    assert.deepEqual(r.appendNew, ["v"]);
    assert.deepEqual(r.setReplaces, ["replaced"]);
    assert.deepEqual(r.afterDelete, { keys: ["New-Via-Append", "Single"], has: false });
    assert.deepEqual(r.iter, [["New-Via-Append", ["v"]], ["Single", ["replaced"]]]);
    assert.deepEqual(r.defaults, { code: 0, description: "", hasError: false });
  });

  it("keys are case sensitive by default; Match.IgnoreCase matches any case", { timeout: TIMEOUT }, async () => {
    const r = await h.env.run(async ({ mod }) => {
      const nats = await import(mod);
      const h = nats.headers();
      h.set("X-Foo", "upper");
      h.set("x-foo", "lower");
      return {
        keys: h.keys(),
        exact: h.get("X-Foo"),
        exactLower: h.get("x-foo"),
        missingCase: h.has("X-FOO"),
        ignoreCase: h.has("X-FOO", nats.Match.IgnoreCase),
        ignoreCaseGet: h.get("X-FOO", nats.Match.IgnoreCase),
      };
    });
    assert.deepEqual(r.keys, ["X-Foo", "x-foo"]);
    assert.equal(r.exact, "upper");
    assert.equal(r.exactLower, "lower");
    assert.equal(r.missingCase, false);
    assert.equal(r.ignoreCase, true);
    assert.ok(["upper", "lower"].includes(r.ignoreCaseGet));
  });

  it("headers(code, description) sets a status", { timeout: TIMEOUT }, async () => {
    const r = await h.env.run(async ({ mod }) => {
      const nats = await import(mod);
      const h = nats.headers(503, "x");
      const noDesc = await T.capture(() => nats.headers(503));
      return { code: h.code, description: h.description, hasError: h.hasError, status: h.status, noDesc };
    });
    assert.deepEqual(
      { code: r.code, description: r.description, hasError: r.hasError, status: r.status },
      { code: 503, description: "x", hasError: true, status: "503 x" },
    );
    assert.equal(r.noDesc.ok, false, "headers(code) without a description throws");
  });

  it("an invalid header key throws BAD_HEADER", { timeout: TIMEOUT }, async () => {
    const r = await h.env.run(async ({ mod }) => {
      const nats = await import(mod);
      const out = {};
      for (const k of ["bad key", "bad:key", "tab\tkey"]) {
        out[k] = await T.capture(() => nats.headers().set(k, "v"));
      }
      out.append = await T.capture(() => nats.headers().append("bad key", "v"));
      out.constant = nats.ErrorCode.BadHeader;
      return out;
    });
    assert.equal(r.constant, "BAD_HEADER");
    for (const k of ["bad key", "bad:key", "tab\tkey", "append"]) {
      assert.equal(r[k].ok, false, `${JSON.stringify(k)} must throw`);
      assert.equal(r[k].error.code, "BAD_HEADER", `${JSON.stringify(k)}: ${JSON.stringify(r[k].error)}`);
    }
  });

  it("CR or LF in a header value throws BAD_HEADER (at set or at publish)", { timeout: TIMEOUT }, async () => {
    const r = await h.env.run(async ({ mod, url }) => {
      const nats = await import(mod);
      const nc = T.track(await nats.connect({ servers: url }));
      let received = 0;
      nc.subscribe("hdr.crlf", { callback: () => received++ });
      const out = {};
      for (const [name, v] of [["crlf", "a\r\nInjected: yes"], ["cr", "a\rb"], ["lf", "a\nb"]]) {
        out[name] = await T.capture(() => {
          const h = nats.headers();
          h.set("X-Val", v);
          nc.publish("hdr.crlf", "x", { headers: h });
        });
      }
      await nc.flush();
      const rtt = await T.capture(() => T.within(nc.rtt(), 3000, "rtt"));
      await nc.close();
      return { out, received, rtt };
    });
    for (const k of ["crlf", "cr", "lf"]) {
      assert.equal(r.out[k].ok, false, `${k} must throw`);
      assert.equal(r.out[k].error.code, "BAD_HEADER", `${k}: ${JSON.stringify(r.out[k].error)}`);
    }
    assert.equal(r.received, 0, "nothing was published");
    assert.equal(r.rtt.ok, true, "connection still healthy");
  });
});

describe("headers on the wire", () => {
  it("keys keep their case, multiple values arrive, messages without headers have none", { timeout: TIMEOUT }, async () => {
    const r = await h.env.run(async ({ mod, url }) => {
      const nats = await import(mod);
      const nc = T.track(await nats.connect({ servers: url }));
      const other = T.track(await nats.connect({ servers: url }));
      const sub = nc.subscribe("hdr.wire", { max: 2 });
      await nc.flush();
      const h = nats.headers();
      h.set("X-Foo", "bar");
      h.append("x-foo", "lower-case key");
      h.append("MiXeD-Case", "1");
      h.append("MiXeD-Case", "2");
      h.set("Spaces", "a value with spaces");
      other.publish("hdr.wire", "with headers", { headers: h });
      other.publish("hdr.wire", "without headers");
      const got = [];
      await T.within((async () => {
        for await (const m of sub) {
          got.push({
            data: m.string(),
            headersUndefined: m.headers === undefined,
            keys: m.headers ? m.headers.keys() : null,
            entries: m.headers ? [...m.headers].map(([k, v]) => [k, v]) : null,
            mixed: m.headers ? m.headers.values("MiXeD-Case") : null,
            foo: m.headers ? m.headers.get("X-Foo") : null,
            code: m.headers ? m.headers.code : null,
            hasError: m.headers ? m.headers.hasError : null,
          });
        }
      })(), 5000, "2 messages");
      await nc.close();
      await other.close();
      return got;
    });
    const [w, wo] = r;
    assert.equal(w.data, "with headers");
    assert.equal(w.headersUndefined, false);
    assert.deepEqual(w.keys, ["X-Foo", "x-foo", "MiXeD-Case", "Spaces"]);
    assert.deepEqual(w.entries, [
      ["X-Foo", ["bar"]],
      ["x-foo", ["lower-case key"]],
      ["MiXeD-Case", ["1", "2"]],
      ["Spaces", ["a value with spaces"]],
    ]);
    assert.deepEqual(w.mixed, ["1", "2"]);
    assert.equal(w.foo, "bar");
    assert.equal(w.code, 0);
    assert.equal(w.hasError, false);
    assert.equal(wo.data, "without headers");
    assert.equal(wo.headersUndefined, true, "msg.headers is undefined without headers");
  });

  it("a status code and description travel with the message", { timeout: TIMEOUT }, async () => {
    const r = await h.env.run(async ({ mod, url }) => {
      const nats = await import(mod);
      const nc = T.track(await nats.connect({ servers: url }));
      const sub = nc.subscribe("hdr.status", { max: 1 });
      const h = nats.headers(418, "I'm a teapot");
      h.set("Extra", "e");
      nc.publish("hdr.status", "tea", { headers: h });
      let out = null;
      await T.within((async () => {
        for await (const m of sub) {
          out = {
            code: m.headers.code,
            description: m.headers.description,
            hasError: m.headers.hasError,
            extra: m.headers.get("Extra"),
            data: m.string(),
          };
        }
      })(), 5000, "message");
      await nc.close();
      return out;
    });
    assert.deepEqual(r, { code: 418, description: "I'm a teapot", hasError: true, extra: "e", data: "tea" });
  });

  it("headers with an empty payload", { timeout: TIMEOUT }, async () => {
    const r = await h.env.run(async ({ mod, url }) => {
      const nats = await import(mod);
      const nc = T.track(await nats.connect({ servers: url }));
      const sub = nc.subscribe("hdr.empty", { max: 1 });
      const h = nats.headers();
      h.set("Only", "headers");
      nc.publish("hdr.empty", nats.Empty, { headers: h });
      let out = null;
      await T.within((async () => {
        for await (const m of sub) out = { len: m.data.length, only: m.headers?.get("Only") ?? null };
      })(), 5000, "message");
      await nc.close();
      return out;
    });
    assert.deepEqual(r, { len: 0, only: "headers" });
  });
});
