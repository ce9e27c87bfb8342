// The services framework (`nc.services`) against a real nats-server: a service's endpoints
// (handler, iterator, groups, queue groups), its errors, the discovery verbs and their JSON
// documents, stop; interop both ways with nats.ws's own framework; bad names refused before
// anything is sent. Each test also runs against nats.ws (NATS_CLIENT_MODULE) but the interop
// one, which runs both clients in one page.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { IS_REFERENCE, skipRef, TIMEOUT, useEnv } from "./harness.mjs";

const h = useEnv();

describe("services", () => {
  it("endpoints, groups, errors, discovery (ping, info, stats), reset and stop", { timeout: TIMEOUT }, async () => {
    const r = await h.env.run(async ({ mod, url }) => {
      const nats = await import(mod);
      const nc = T.track(await nats.connect({ servers: url }));
      const sc = nats.StringCodec();
      const srv = await nc.services.add({
        name: "calc", version: "1.2.3", description: "sums", metadata: { team: "web" },
        statsHandler: async (e) => ({ endpoint: e.name }),
      });
      srv.addEndpoint("sum", (err, m) => {
        const [a, b] = m.json();
        m.respond(nats.JSONCodec().encode(a + b));
      });
      srv.addEndpoint("fail", () => {
        throw new nats.ServiceError(418, "teapot");
      });
      srv.addEndpoint("crash", () => {
        throw new Error("boom");
      });
      srv.addEndpoint("refuse", (err, m) => m.respondError(409, "not now", sc.encode("detail")));
      const g = srv.addGroup("math").addGroup("more", "mq");
      g.addEndpoint("neg", { handler: (err, m) => m.respond(sc.encode(String(-Number(m.string())))), metadata: { kind: "unary" } });
      const it = srv.addEndpoint("echo");
      (async () => {
        for await (const m of it) m.respond(m.data);
      })();
      await nc.flush();
      const out = {};
      out.sum = (await nc.request("sum", nats.JSONCodec().encode([2, 3]))).json();
      const fail = await nc.request("fail", nats.Empty);
      out.fail = [fail.headers.get(nats.ServiceErrorCodeHeader), fail.headers.get(nats.ServiceErrorHeader), nats.ServiceError.toServiceError(fail)?.code];
      const crash = await nc.request("crash", nats.Empty);
      out.crash = [crash.headers.get(nats.ServiceErrorCodeHeader), crash.headers.get(nats.ServiceErrorHeader)];
      const refuse = await nc.request("refuse", nats.Empty);
      out.refuse = [refuse.headers.get(nats.ServiceErrorCodeHeader), refuse.headers.get(nats.ServiceErrorHeader), sc.decode(refuse.data)];
      out.neg = sc.decode((await nc.request("math.more.neg", sc.encode("7"))).data);
      out.echo = sc.decode((await nc.request("echo", sc.encode("hi"))).data);
      const client = nc.services.client();
      const pings = [];
      for await (const p of await client.ping()) pings.push(p);
      out.ping = pings.map((p) => [p.type, p.name, p.id === srv.id, p.version, p.metadata]);
      const infos = [];
      for await (const i of await client.info("calc")) infos.push(i);
      out.info = infos.map((i) => [i.type, i.name, i.description, i.endpoints.map((e) => [e.name, e.subject, e.queue_group, e.metadata ?? null])]);
      const stats = [];
      for await (const s of await client.stats("calc", srv.id)) stats.push(s);
      const s = stats[0];
      out.stats = [stats.length, s.type, s.name, typeof s.started];
      out.endpointStats = s.endpoints.map((e) => [e.name, e.num_requests, e.num_errors, e.last_error ?? null, e.data?.endpoint]);
      out.ownStats = (await srv.stats()).endpoints.length;
      out.ownInfo = srv.info().endpoints.length;
      out.none = (await T.capture(async () => {
        for await (const p of await client.ping("nobody")) return p;
      })).error?.code;
      srv.reset();
      out.afterReset = (await srv.stats()).endpoints.map((e) => e.num_requests);
      out.props = [srv.name, srv.version, srv.description, srv.isStopped];
      await srv.stop();
      out.stopped = [srv.isStopped, await srv.stopped];
      out.afterStop = (await T.capture(() => nc.request("sum", nats.JSONCodec().encode([1, 1]), { timeout: 500 }))).error?.code;
      await nc.close();
      return out;
    });
    assert.equal(r.sum, 5);
    assert.deepEqual(r.fail, ["418", "teapot", 418]);
    assert.deepEqual(r.crash, ["500", "boom"]);
    assert.deepEqual(r.refuse, ["409", "not now", "detail"]);
    assert.equal(r.neg, "-7");
    assert.equal(r.echo, "hi");
    assert.deepEqual(r.ping, [["io.nats.micro.v1.ping_response", "calc", true, "1.2.3", { team: "web" }]]);
    assert.deepEqual(r.info, [["io.nats.micro.v1.info_response", "calc", "sums", [
      ["sum", "sum", "q", null], ["fail", "fail", "q", null], ["crash", "crash", "q", null], ["refuse", "refuse", "q", null],
      ["neg", "math.more.neg", "mq", { kind: "unary" }], ["echo", "echo", "q", null],
    ]]]);
    assert.deepEqual(r.stats, [1, "io.nats.micro.v1.stats_response", "calc", "string"]);
    assert.deepEqual(r.endpointStats, [
      ["sum", 1, 0, null, "sum"], ["fail", 1, 1, "teapot", "fail"], ["crash", 1, 1, "boom", "crash"], ["refuse", 1, 0, null, "refuse"],
      ["neg", 1, 0, null, "neg"], ["echo", 1, 0, null, "echo"],
    ]);
    assert.equal(r.ownStats, 6);
    assert.equal(r.ownInfo, 6);
    assert.equal(r.none, "503", "no service of that name: no responders");
    assert.deepEqual(r.afterReset, [0, 0, 0, 0, 0, 0]);
    assert.deepEqual(r.props, ["calc", "1.2.3", "sums", false]);
    assert.deepEqual(r.stopped, [true, null]);
    assert.equal(r.afterStop, "503", "no responders once stopped");
  });

  it("bad names, versions and subjects are refused before anything is sent", { timeout: TIMEOUT }, async () => {
    const r = await h.env.run(async ({ mod, url }) => {
      const nats = await import(mod);
      const nc = T.track(await nats.connect({ servers: url }));
      await nc.flush();
      const before = nc.stats().outMsgs;
      const errors = [];
      const codes = [];
      const capture = async (fn) => {
        const e = (await T.capture(fn)).error;
        codes.push(e?.code);
        return { error: e };
      };
      for (const config of [
        { name: "", version: "1.0.0" }, { name: "a b", version: "1.0.0" }, { name: "a.b", version: "1.0.0" },
        { name: "ok", version: "one" }, { name: "ok", version: "1.0.0", queue: "a>" },
      ]) {
        errors.push((await capture(() => nc.services.add(config))).error?.message);
      }
      const srv = await nc.services.add({ name: "ok", version: "1.0.0" });
      await nc.flush();
      const afterAdd = nc.stats().outMsgs;
      errors.push((await capture(() => srv.addEndpoint("a b", () => {}))).error?.message);
      errors.push((await capture(() => srv.addEndpoint("e", { subject: "a.>.b", handler: () => {} }))).error?.message);
      errors.push((await capture(() => srv.addEndpoint("e", { subject: "a b", handler: () => {} }))).error?.message);
      errors.push((await capture(() => srv.addGroup("g.>"))).error?.message);
      errors.push((await capture(() => nc.services.client().ping("a.b"))).error?.message);
      errors.push((await capture(() => nc.services.client().info("ok", "x y"))).error?.message);
      const sent = [afterAdd - before, nc.stats().outMsgs - afterAdd];
      await srv.stop();
      await nc.close();
      return { errors, codes, sent };
    });
    assert.deepEqual(r.sent, [0, 0], "nothing reached the wire (a service only subscribes)");
    // nats.ws's errors have the same messages and no code
    if (!IS_REFERENCE) assert.deepEqual(r.codes, ["BAD_SUBJECT", "BAD_SUBJECT", "BAD_SUBJECT", "INVALID_OPTION", ...Array(7).fill("BAD_SUBJECT")]);
    assert.deepEqual(r.errors, [
      "name name required",
      "invalid name name - name name cannot contain ' '",
      "invalid name name - name name cannot contain '.'",
      "'one' is not a semver value",
      "invalid queue name - queue name cannot contain '>'",
      "invalid endpoint name - endpoint name cannot contain ' '",
      "endpoint subject cannot have internal '>': 'a.>.b'",
      "endpoint subject cannot contain spaces: 'a b'",
      "service group name cannot contain internal '>': 'g.>'",
      "invalid control subject name name - control subject name name cannot contain '.'",
      "invalid control subject id name - control subject id name cannot contain ' '",
    ]);
  });

  it("interop: nats.ws finds and calls a service added here, and the reverse", { timeout: TIMEOUT, skip: skipRef("runs both clients itself") }, async () => {
    const r = await h.env.run(async ({ mod, url }) => {
      const ours = await import(mod);
      const ref = await import("/node_modules/nats.ws/esm/nats.js");
      const a = T.track(await ours.connect({ servers: url }));
      const b = T.track(await ref.connect({ servers: url }));
      const sc = ours.StringCodec();
      const mine = await a.services.add({ name: "ours", version: "1.0.0" });
      mine.addEndpoint("hello", { subject: "ours.hello", handler: (err, m) => m.respond(sc.encode(`ours: ${m.string()}`)) });
      const theirs = await b.services.add({ name: "theirs", version: "2.0.0" });
      theirs.addEndpoint("hello", { subject: "theirs.hello", handler: (err, m) => m.respond(sc.encode(`theirs: ${m.string()}`)) });
      await a.flush();
      await b.flush();
      const found = async (nc, name) => {
        const out = [];
        for await (const i of await nc.services.client().info(name)) out.push([i.name, i.version, i.endpoints.map((e) => e.subject)]);
        for await (const s of await nc.services.client().stats(name)) out.push(s.endpoints.map((e) => e.num_requests));
        return out;
      };
      const out = {
        refFindsOurs: await found(b, "ours"),
        refCallsOurs: sc.decode((await b.request("ours.hello", sc.encode("x"))).data),
        oursFindsRef: await found(a, "theirs"),
        oursCallsRef: sc.decode((await a.request("theirs.hello", sc.encode("y"))).data),
      };
      const all = [];
      for await (const p of await a.services.client().ping()) all.push(p.name);
      out.allFromOurs = all.sort();
      await mine.stop();
      await theirs.stop();
      await a.close();
      await b.close();
      return out;
    });
    assert.deepEqual(r.refFindsOurs, [["ours", "1.0.0", ["ours.hello"]], [0]]);
    assert.equal(r.refCallsOurs, "ours: x");
    assert.deepEqual(r.oursFindsRef, [["theirs", "2.0.0", ["theirs.hello"]], [0]]);
    assert.equal(r.oursCallsRef, "theirs: y");
    assert.deepEqual(r.allFromOurs, ["ours", "theirs"]);
  });
});
