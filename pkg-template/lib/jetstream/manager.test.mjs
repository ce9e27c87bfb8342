// The JetStream manager: the subjects and bodies it sends, what it makes of the replies, and
// the same calls made with nats.ws's own JetStreamManagerImpl over the same fake server.
import { test } from "node:test";
import assert from "node:assert/strict";
import { jetstreamManager, JetStreamManager } from "./manager.js";
import { apiError, consumerInfo, fakeNc, lib, natsws, noResponders, streamInfo } from "./testing.mjs";

const b64 = (text) => Buffer.from(text).toString("base64");
const NAMES = ["A", "B", "C"];

/** A fake JetStream server: canned replies shaped as nats-server 2.10's, by API operation. */
function server(subject, body) {
  const t = subject.replace(/^(\$JS\.(\w+\.)?API|js\.api)\./, "").split(".");
  const op = `${t[0]}.${t[1]}`;
  const type = (n) => `io.nats.jetstream.api.v1.${n}`;
  switch (op) {
    case "STREAM.CREATE":
    case "STREAM.UPDATE":
      return streamInfo(t[2], body);
    case "STREAM.INFO":
      return t[2] === "NONE" ? apiError(404, 10059, "stream not found") : streamInfo(t[2]);
    case "STREAM.DELETE":
      return { type: type("stream_delete_response"), success: true };
    case "STREAM.PURGE":
      return { type: type("stream_purge_response"), success: true, purged: 3 };
    case "STREAM.MSG":
      if (t[2] === "DELETE") return { type: type("stream_msg_delete_response"), success: true };
      return {
        type: type("stream_msg_get_response"),
        message: { subject: "s.a", seq: 7, hdrs: b64("NATS/1.0\r\nA: b\r\n\r\n"), data: b64('{"x":1}'), time: "2024-05-01T10:00:00.5Z" },
      };
    case "STREAM.NAMES":
    case "STREAM.LIST": {
      const page = NAMES.slice(body.offset, body.offset + 2);
      return {
        type: type(op === "STREAM.NAMES" ? "stream_names_response" : "stream_list_response"),
        total: NAMES.length, offset: body.offset, limit: 2,
        streams: op === "STREAM.NAMES" ? page : page.map((n) => streamInfo(n)),
      };
    }
    case "CONSUMER.CREATE":
    case "CONSUMER.DURABLE":
      return consumerInfo(body.stream_name, body.config.name ?? body.config.durable_name ?? "eph1", body.config);
    case "CONSUMER.INFO":
      return consumerInfo(t[2], t[3]);
    case "CONSUMER.DELETE":
      return { type: type("consumer_delete_response"), success: true };
    case "CONSUMER.LIST":
      return { type: type("consumer_list_response"), total: 1, offset: 0, limit: 256, consumers: [consumerInfo(t[2], "C1")] };
    default:
      return { type: type("account_info_response"), memory: 0, storage: 0, streams: 1, consumers: 0, api: { total: 1, errors: 0 } };
  }
}

const sent = (nc) => nc.sent.map((s) => [s.subject, s.body]);

async function collect(lister) {
  const out = [];
  for await (const v of lister) out.push(v);
  return out;
}

test("jetstreamManager checks the API unless checkAPI is false; no JetStream is 503", async () => {
  let nc = fakeNc(server);
  const jsm = await jetstreamManager(nc, { domain: "hub" });
  assert.ok(jsm instanceof JetStreamManager);
  assert.deepEqual(sent(nc), [["$JS.hub.API.INFO", undefined]]);
  assert.deepEqual(jsm.getOptions(), { apiPrefix: "$JS.hub.API", timeout: 5000 });
  nc = fakeNc(server);
  await jetstreamManager(nc, { checkAPI: false });
  assert.equal(nc.sent.length, 0);
  nc = fakeNc(() => noResponders());
  await assert.rejects(jetstreamManager(nc), { code: "503", message: "503" });
  await assert.rejects(jetstreamManager(fakeNc(server), { apiPrefix: "" }), { message: "invalid empty prefix" });
});

test("streams: add, update, info, delete, purge send what nats.ws sends", async () => {
  const nc = fakeNc(server);
  const jsm = new JetStreamManager(nc, {});
  const si = await jsm.streams.add({ name: "S", subjects: ["s.>"], max_age: 5e9, mirror: { name: "M", domain: "hub" } });
  assert.equal(si.config.name, "S");
  assert.deepEqual([si.config.sealed, si.config.deny_delete, si.config.deny_purge, si.config.allow_rollup_hdrs],
    [false, false, false, false], "flags the server left out are filled in");
  await jsm.streams.update("S", { max_msgs: 10 });
  assert.equal(await jsm.streams.delete("S"), true);
  assert.deepEqual(await jsm.streams.purge("S", { filter: "s.a", keep: 1 }), { type: "io.nats.jetstream.api.v1.stream_purge_response", success: true, purged: 3 });
  assert.equal(await jsm.streams.deleteMessage("S", 3), true);
  await jsm.streams.deleteMessage("S", 4, false);
  assert.deepEqual(sent(nc), [
    ["$JS.API.STREAM.CREATE.S", { name: "S", subjects: ["s.>"], max_age: 5e9, mirror: { name: "M", external: { api: "$JS.hub.API" } } }],
    ["$JS.API.STREAM.INFO.S", undefined],
    ["$JS.API.STREAM.UPDATE.S", { ...streamInfo("S").config, sealed: false, deny_delete: false, deny_purge: false, allow_rollup_hdrs: false, max_msgs: 10 }],
    ["$JS.API.STREAM.DELETE.S", undefined],
    ["$JS.API.STREAM.PURGE.S", { filter: "s.a", keep: 1 }],
    ["$JS.API.STREAM.MSG.DELETE.S", { seq: 3 }],
    ["$JS.API.STREAM.MSG.DELETE.S", { seq: 4, no_erase: true }],
  ]);
});

test("bad names and configs are refused with nothing sent", async () => {
  const nc = fakeNc(server);
  const { streams, consumers } = new JetStreamManager(nc, {});
  const refusals = [
    [() => streams.add({ name: "a.b" }), "invalid stream name - stream name cannot contain '.'"],
    [() => streams.add({ subjects: ["x"] }), "stream name required"],
    [() => streams.add("S"), "stream configuration must be an object"],
    [() => streams.info("a b"), "invalid stream name - stream name cannot contain ' '"],
    [() => streams.update("S>", {}), "invalid stream name - stream name cannot contain '>'"],
    [() => streams.purge("S", { keep: 1, seq: 2 }), "can specify one of keep or seq"],
    [() => streams.getMessage("*", { seq: 1 }), "invalid stream name - stream name cannot contain '*'"],
    [() => streams.add({ name: "M", mirror: { name: "S", domain: "d", external: { api: "x" } } }), "domain and external are both set"],
    [() => consumers.add("S", { durable_name: "d.1" }), "invalid durable name - durable name cannot contain '.'"],
    [() => consumers.add("S", { name: "c/1" }), "consumer 'name' cannot contain '/'"],
    [() => consumers.add("S", { deliver_group: "q", flow_control: true }), "jetstream flow control is not supported with queue groups"],
    [() => consumers.add("S", { deliver_group: "q", idle_heartbeat: 5e9 }), "jetstream idle heartbeat is not supported with queue groups"],
    [() => consumers.add("S"), "consumer configuration must be an object"],
    [() => consumers.info("S", ""), "durable name required"],
    [() => consumers.delete("S", "a\nb"), "invalid durable name - durable name cannot contain '\\n'"],
  ];
  for (const [call, message] of refusals) await assert.rejects(call(), { message });
  assert.throws(() => consumers.list("S.x"), { message: "invalid stream name - stream name cannot contain '.'" });
  assert.equal(nc.sent.length, 0);
});

test("features newer than the server are refused as nats.ws does (2.10 fields, 2.9 consumer names)", async () => {
  const nc = fakeNc(server, "2.8.4");
  const { streams, consumers } = new JetStreamManager(nc, {});
  await assert.rejects(streams.add({ name: "S", compression: "s2" }), { message: "stream 'compression' requires server 2.10.0" });
  await assert.rejects(streams.add({ name: "S", sources: [{ name: "X", subject_transforms: [{ src: "a", dest: "b" }] }] }),
    { message: "stream sources 'subject_transforms' requires server 2.10.0" });
  await assert.rejects(consumers.add("S", { name: "N" }), { message: "consumer 'name' requires server 2.9.0" });
  await assert.rejects(consumers.add("S", { durable_name: "D", metadata: { a: "1" } }), { message: "consumer 'metadata' requires server 2.10.0" });
  assert.equal(nc.sent.length, 0);
  await consumers.add("S", { durable_name: "D" });
  await consumers.add("S", { ack_policy: "none" });
  assert.deepEqual(nc.sent.map((s) => s.subject), ["$JS.API.CONSUMER.DURABLE.CREATE.S.D", "$JS.API.CONSUMER.CREATE.S"]);
});

test("consumers: the create subject carries the name and filter on a 2.10 server", async () => {
  const nc = fakeNc(server);
  const { consumers } = new JetStreamManager(nc, { apiPrefix: "js.api." });
  const ci = await consumers.add("S", { durable_name: "D", ack_policy: "explicit" });
  assert.deepEqual([ci.name, ci.stream_name, ci.config.ack_policy], ["D", "S", "explicit"]);
  await consumers.add("S", { name: "N", filter_subject: "s.a" });
  await consumers.add("S", { name: "N", filter_subject: ">" });
  await consumers.add("S", { name: "N", filter_subject: "s.*.x.>" });
  await consumers.add("S", { durable_name: "D", filter_subjects: ["s.a", "s.b"] });
  await consumers.add("S", { ack_policy: "none" });
  assert.deepEqual(sent(nc), [
    ["js.api.CONSUMER.CREATE.S.D", { config: { durable_name: "D", ack_policy: "explicit" }, stream_name: "S", action: "create" }],
    ["js.api.CONSUMER.CREATE.S.N.s.a", { config: { name: "N", filter_subject: "s.a" }, stream_name: "S", action: "create" }],
    ["js.api.CONSUMER.CREATE.S.N", { config: { name: "N", filter_subject: ">" }, stream_name: "S", action: "create" }],
    // A filter with wildcards stays out of the subject (nothing is published to a wildcard).
    ["js.api.CONSUMER.CREATE.S.N", { config: { name: "N", filter_subject: "s.*.x.>" }, stream_name: "S", action: "create" }],
    ["js.api.CONSUMER.DURABLE.CREATE.S.D", { config: { durable_name: "D", filter_subjects: ["s.a", "s.b"] }, stream_name: "S", action: "create" }],
    ["js.api.CONSUMER.CREATE.S", { config: { ack_policy: "none" }, stream_name: "S", action: "create" }],
  ]);
  nc.sent.length = 0;
  const up = await consumers.update("S", "D", { max_ack_pending: 5 });
  assert.equal(up.config.max_ack_pending, 5);
  assert.deepEqual(nc.sent.map((s) => s.subject), ["js.api.CONSUMER.INFO.S.D", "js.api.CONSUMER.CREATE.S.D"]);
  assert.deepEqual([nc.sent[1].body.action, nc.sent[1].body.config.ack_wait], ["update", 30000000000]);
  assert.equal(await consumers.delete("S", "D"), true);
  assert.deepEqual((await collect(consumers.list("S"))).map((c) => c.name), ["C1"]);
});

test("getMessage decodes the server's base64 payload and headers; info, list, names, find, get", async () => {
  const nc = fakeNc(server);
  const { streams } = new JetStreamManager(nc, {});
  const m = await streams.getMessage("S", { last_by_subj: "s.a" });
  assert.deepEqual(sent(nc), [["$JS.API.STREAM.MSG.GET.S", { last_by_subj: "s.a" }]]);
  assert.deepEqual([m.subject, m.seq, m.string(), m.json(), m.header.get("A")], ["s.a", 7, '{"x":1}', { x: 1 }, "b"]);
  assert.deepEqual([m.timestamp, m.time.getTime()], ["2024-05-01T10:00:00.5Z", Date.UTC(2024, 4, 1, 10, 0, 0, 500)]);
  assert.ok(m.data instanceof Uint8Array);
  const bare = await new JetStreamManager(fakeNc(() => ({ message: { subject: "s", seq: 1, time: "" } })), {}).streams.getMessage("S", { seq: 1 });
  assert.deepEqual([bare.data.length, bare.header.size()], [0, 0]);

  assert.deepEqual(await collect(streams.names("s.>")), NAMES);
  assert.deepEqual((await collect(streams.list())).map((si) => [si.config.name, si.config.sealed]), NAMES.map((n) => [n, false]));
  const lists = nc.sent.slice(1).map((s) => [s.subject, s.body]);
  assert.deepEqual(lists, [
    ["$JS.API.STREAM.NAMES", { offset: 0, subject: "s.>" }],
    ["$JS.API.STREAM.NAMES", { offset: 2, subject: "s.>" }],
    ["$JS.API.STREAM.LIST", { offset: 0 }],
    ["$JS.API.STREAM.LIST", { offset: 2 }],
  ]);
  const one = fakeNc(() => ({ type: "io.nats.jetstream.api.v1.stream_names_response", total: 1, streams: ["S"] }));
  assert.equal(await new JetStreamManager(one, {}).streams.find("s.a"), "S");

  const stream = await streams.get("S");
  assert.equal(stream.name, "S");
  assert.equal((await stream.info(true)).config.name, "S");
  assert.equal((await stream.getMessage({ seq: 7 })).seq, 7);
  assert.deepEqual(await stream.alternates(), []);
  await assert.rejects(streams.get("NONE"), { code: "404", message: "stream not found" });
});

test("stream info with subjects_filter fetches every page of subjects and merges them", async () => {
  const subjects = { "s.1": 1, "s.2": 2, "s.3": 3, "s.4": 4, "s.5": 5 };
  const keys = Object.keys(subjects);
  const nc = fakeNc((s, body) => {
    const offset = body.offset || 0;
    const page = Object.fromEntries(keys.slice(offset, offset + 2).map((k) => [k, subjects[k]]));
    return { ...streamInfo("S", {}, { subjects: page }), total: keys.length, offset, limit: 2 };
  });
  const si = await new JetStreamManager(nc, {}).streams.info("S", { subjects_filter: "s.*" });
  assert.deepEqual(si.state.subjects, subjects);
  assert.deepEqual([si.total, si.offset, si.limit], [0, 0, 0]);
  assert.deepEqual(nc.sent.map((s) => s.body), [
    { subjects_filter: "s.*" },
    { subjects_filter: "s.*", offset: 2 },
    { subjects_filter: "s.*", offset: 4 },
  ]);
});

test("advisories arrive as {kind, data}", async () => {
  const nc = fakeNc(server);
  let callback;
  nc.subscribe = (subject, opts) => {
    assert.equal(subject, "$JS.EVENT.ADVISORY.>");
    callback = opts.callback;
  };
  const iter = new JetStreamManager(nc, {}).advisories();
  const data = { type: "io.nats.jetstream.advisory.v1.stream_action", stream: "S", action: "create" };
  callback(null, { data: lib.TE.encode(JSON.stringify(data)) });
  callback(null, { data: lib.TE.encode("{") });
  const it = iter[Symbol.asyncIterator]();
  assert.deepEqual((await it.next()).value, { kind: "stream_action", data });
  await assert.rejects(it.next(), { code: lib.ErrorCode.BadJson });
});

const REFUSALS = new Set(["BAD_SUBJECT", "INVALID_OPTION"]);

test("the same calls through nats.ws's JetStreamManagerImpl send and return the same", async () => {
  const { JetStreamManagerImpl } = natsws("jetstream/jsm.js");
  const calls = [
    (m) => m.getAccountInfo(),
    (m) => m.streams.add({ name: "S", subjects: ["s.>"], sources: [{ name: "X", domain: "" }, { name: "Y", domain: "e" }] }),
    (m) => m.streams.add({ name: "S", metadata: { owner: "me" }, compression: "s2" }),
    (m) => m.streams.add({ name: "a.b" }),
    (m) => m.streams.update("S", { max_msgs: 10, mirror: { name: "M", domain: "hub" } }),
    (m) => m.streams.info("S"),
    (m) => m.streams.info("NONE"),
    (m) => m.streams.delete("S"),
    (m) => m.streams.purge("S"),
    (m) => m.streams.purge("S", { seq: 9 }),
    (m) => m.streams.purge("S", { keep: 1, seq: 9 }),
    (m) => m.streams.deleteMessage("S", 4, false),
    (m) => m.streams.getMessage("S", { next_by_subj: "s.a", seq: 3 }).then((sm) => [sm.subject, sm.seq, sm.string(), sm.header.get("A"), sm.time]),
    (m) => collect(m.streams.names()),
    (m) => collect(m.streams.list("s.a")),
    (m) => m.consumers.add("S", { durable_name: "D", ack_policy: "explicit" }),
    (m) => m.consumers.add("S", { name: "N", durable_name: "D", filter_subject: "s.x" }),
    (m) => m.consumers.add("S", { name: "", durable_name: "D" }),
    (m) => m.consumers.add("S", { filter_subjects: ["a", "b"] }),
    (m) => m.consumers.add("S", { name: "x y" }),
    (m) => m.consumers.update("S", "D", { description: "d" }),
    (m) => m.consumers.info("S", "D"),
    (m) => m.consumers.delete("S", "D"),
    (m) => collect(m.consumers.list("S")),
  ];
  for (const version of ["2.10.14", "2.8.4"]) {
    for (const call of calls) {
      const outcome = async (make) => {
        const nc = fakeNc(server, version);
        // Refusals before the wire carry a code here that nats.ws's plain Errors lack (validate.js).
        const code = (e) => (e instanceof Error && e.constructor === Error && REFUSALS.has(e.code) ? undefined : e.code);
        const result = await call(make(nc)).then((v) => JSON.parse(JSON.stringify(v)), (e) => ({ error: e.message, code: code(e) }));
        return { result, sent: sent(nc) };
      };
      const ours = await outcome((nc) => new JetStreamManager(nc, {}));
      const theirs = await outcome((nc) => new JetStreamManagerImpl(nc, {}));
      assert.deepEqual(ours, theirs, `${version}: ${call}`);
    }
  }
});
