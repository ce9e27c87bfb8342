// The API request helper: prefixes, JSON both ways, error mapping, the API check, paging.
import { test } from "node:test";
import assert from "node:assert/strict";
import { ApiClient, Lister, checkAPI, jsOptions } from "./api.js";
import { apiError, fakeNc, lib, natsws, noResponders } from "./testing.mjs";

const ACCOUNT = {
  type: "io.nats.jetstream.api.v1.account_info_response",
  memory: 0, storage: 0, reserved_memory: 0, reserved_storage: 0, streams: 0, consumers: 0,
  limits: { max_memory: -1, max_storage: -1, max_streams: -1, max_consumers: -1, max_ack_pending: -1,
    memory_max_stream_bytes: -1, storage_max_stream_bytes: -1, max_bytes_required: false },
  api: { total: 3, errors: 0 },
};

test("options: $JS.API and 5000 ms by default; a domain or a prefix (trailing '.' cut)", () => {
  assert.deepEqual(jsOptions(), { apiPrefix: "$JS.API", timeout: 5000 });
  assert.deepEqual(jsOptions({ domain: "hub", timeout: 7 }), { apiPrefix: "$JS.hub.API", timeout: 7 });
  assert.equal(jsOptions({ apiPrefix: "a.b." }).apiPrefix, "a.b");
  assert.throws(() => jsOptions({ apiPrefix: "" }), /invalid empty prefix/);
  const opts = { domain: "hub" };
  jsOptions(opts);
  assert.deepEqual(opts, { domain: "hub" }, "the caller's object is left alone");
  // As nats.ws's BaseApiClient reads them.
  const { BaseApiClient } = natsws("jetstream/jsbaseclient_api.js");
  for (const o of [undefined, { domain: "hub" }, { apiPrefix: "x.y.", timeout: 3 }]) {
    const theirs = new BaseApiClient({}, o && { ...o });
    assert.deepEqual(jsOptions(o), theirs.getOptions());
  }
});

test("a request goes to <prefix>.<op> as JSON with the API timeout; no data, no payload", async () => {
  const nc = fakeNc(() => ({ type: "t", ok: 1 }));
  const api = new ApiClient(nc, { domain: "hub", timeout: 1234 });
  assert.deepEqual(await api.request("STREAM.INFO.S", { subjects_filter: ">" }), { type: "t", ok: 1 });
  await api.request("STREAM.DELETE.S");
  assert.deepEqual(nc.sent.map((s) => [s.subject, s.body, s.opts.timeout]), [
    ["$JS.hub.API.STREAM.INFO.S", { subjects_filter: ">" }, 1234],
    ["$JS.hub.API.STREAM.DELETE.S", undefined, 1234],
  ]);
  assert.equal(nc.sent[1].data.length, 0);
});

test("API errors become NatsErrors with api_error, as nats.ws maps them", async () => {
  const replies = [
    apiError(404, 10059, "stream not found"),
    apiError(400, 10058, "stream name already in use with a different configuration"),
    apiError(503, 10039, "JetStream not enabled for account"),
    apiError(500, 10049, ""),
  ];
  const want = [
    ["404", "stream not found"],
    ["400", "stream name already in use with a different configuration"],
    ["503", "503"],
    ["500", "UNKNOWN_ERROR"],
  ];
  const nc = fakeNc((s, b, n) => replies[n - 1]);
  const api = new ApiClient(nc);
  for (let i = 0; i < replies.length; i++) {
    const err = await api.request("STREAM.INFO.S").catch((e) => e);
    assert.ok(err instanceof lib.NatsError);
    assert.deepEqual([err.code, err.message], want[i]);
    assert.deepEqual(err.api_error, replies[i].error);
    assert.equal(err.isJetStreamError(), true);
  }
  const bad = await new ApiClient(fakeNc(() => new Uint8Array(0))).request("INFO").catch((e) => e);
  assert.equal(bad.code, lib.ErrorCode.BadJson);
});

test("no responders and timeouts reject as they came, unless retries are asked for", async () => {
  const timeout = () => lib.codeError(lib.ErrorCode.Timeout);
  let nc = fakeNc(() => noResponders());
  let err = await new ApiClient(nc).request("INFO").catch((e) => e);
  assert.deepEqual([err.code, err.message, nc.sent.length], ["503", "503", 1]);
  nc = fakeNc(() => timeout());
  err = await new ApiClient(nc).request("INFO").catch((e) => e);
  assert.deepEqual([err.code, nc.sent.length], ["TIMEOUT", 1]);
  // The first retry waits backoff(0) = 0 ms.
  nc = fakeNc((s, b, n) => (n === 1 ? timeout() : ACCOUNT));
  assert.equal((await new ApiClient(nc).request("INFO", null, { retries: 2 })).api.total, 3);
  assert.equal(nc.sent.length, 2);
  nc = fakeNc(() => apiError(404, 10059, "stream not found"));
  err = await new ApiClient(nc).request("INFO", null, { retries: 3 }).catch((e) => e);
  assert.deepEqual([err.code, nc.sent.length], ["404", 1], "API errors are not retried");
});

test("checkAPI asks <prefix>.INFO once; no JetStream rejects with code 503", async () => {
  let nc = fakeNc(() => ACCOUNT);
  assert.deepEqual(await checkAPI(new ApiClient(nc, { domain: "leaf" })), ACCOUNT);
  assert.deepEqual(nc.sent.map((s) => s.subject), ["$JS.leaf.API.INFO"]);
  nc = fakeNc(() => noResponders());
  const err = await checkAPI(new ApiClient(nc)).catch((e) => e);
  assert.deepEqual([err.code, err.message, err.api_error], [lib.ErrorCode.JetStreamNotEnabled, "503", undefined]);
});

test("findStream: the one stream that has the subject", async () => {
  const names = (streams) => ({ type: "io.nats.jetstream.api.v1.stream_names_response", total: streams.length, offset: 0, limit: 1024, streams });
  let nc = fakeNc(() => names(["ORDERS"]));
  assert.equal(await new ApiClient(nc).findStream("orders.new"), "ORDERS");
  assert.deepEqual(nc.sent[0].body, { subject: "orders.new" });
  for (const none of [names([]), names(["A", "B"]), { ...names([]), streams: null }]) {
    nc = fakeNc(() => none);
    await assert.rejects(new ApiClient(nc).findStream("x"), { message: "no stream matches subject" });
  }
});

test("the lister pages with offset until total, and stops after an error", async () => {
  const all = ["A", "B", "C", "D", "E"];
  const nc = fakeNc((s, body) => ({
    type: "io.nats.jetstream.api.v1.stream_names_response",
    total: all.length, offset: body.offset, limit: 2,
    streams: all.slice(body.offset, body.offset + 2),
  }));
  const api = new ApiClient(nc);
  const seen = [];
  for await (const n of new Lister(api, "STREAM.NAMES", (r) => r.streams, { subject: "a.>" })) seen.push(n);
  assert.deepEqual(seen, all);
  assert.deepEqual(nc.sent.map((s) => s.body), [0, 2, 4].map((offset) => ({ offset, subject: "a.>" })),
    "no request past the total");

  const consumers = fakeNc((s, body) => ({
    type: "io.nats.jetstream.api.v1.consumer_list_response", total: 3, offset: body.offset, limit: 256,
    consumers: body.offset === 0 ? [{ name: "c1" }, { name: "c2" }] : [],
  }));
  const pages = new Lister(new ApiClient(consumers), "CONSUMER.LIST.S", (r) => r.consumers);
  assert.deepEqual((await pages.next()).map((c) => c.name), ["c1", "c2"]);
  assert.deepEqual(await pages.next(), [], "an empty page ends the listing");

  let fail = true;
  const flaky = fakeNc(() => (fail ? apiError(503, 10039, "jetstream not enabled") : { streams: ["X"], total: 1 }));
  const lister = new Lister(new ApiClient(flaky), "STREAM.NAMES", (r) => r.streams);
  await assert.rejects(lister.next(), { code: "503" });
  fail = false;
  assert.deepEqual(await lister.next(), []);
  assert.equal(flaky.sent.length, 1);
});
