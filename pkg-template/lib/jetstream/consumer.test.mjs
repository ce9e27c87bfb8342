// The consumer glue: nats.ws's pull option defaults, and how a core consumer's events become
// what users see (status() notices, the iterator's end and error, an ordered reset), with a
// fake connection in place of the wasm.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  EV_CONSUMER_CHECK, EV_CONSUMER_DISCARD, EV_CONSUMER_END, EV_CONSUMER_GAP, EV_CONSUMER_MISSED,
  EV_CONSUMER_NEXT, EV_CONSUMER_STATUS, OP_CONSUMER_RESET, OP_CONSUMER_STOP,
} from "../interface.js";
import { lib } from "./testing.mjs";
import { ConsumerMessages, Source, pullOptions } from "./consumer.js";

test("pull options take nats.ws's defaults and refuse what it refuses", () => {
  assert.deepEqual(pullOptions({}, true), {
    max_messages: 100, max_bytes: 0, expires: 30_000, idle_heartbeat: 15_000, threshold_messages: 75, threshold_bytes: 1,
  });
  assert.deepEqual(pullOptions({ max_messages: 10, expires: 120_000 }, false), {
    max_messages: 10, max_bytes: 0, expires: 120_000, idle_heartbeat: 30_000,
  });
  assert.equal(pullOptions({ max_bytes: 1000 }, true).threshold_bytes, 750);
  assert.throws(() => pullOptions({ max_messages: 1, max_bytes: 1 }, true), /only specify one of max_messages or max_bytes/);
  assert.throws(() => pullOptions({ expires: 999 }, false), /expires should be at least 1000ms/);
});

/** A connection whose wasm records what the glue asks of it. */
function fakeConnection() {
  const calls = [];
  const nc = {
    options: { inboxPrefix: "_INBOX" },
    _subs: new Map(),
    isClosed: () => false,
    closed: () => new Promise(() => {}),
    _conn: {
      consume: (...args) => (calls.push(["consume", ...args]), 7),
      control: (...args) => (calls.push(["control", ...args]), 0),
    },
  };
  return { nc, calls };
}

function started({ refill = true, ordered = false, info = async () => ({}), opts = {} } = {}) {
  const { nc, calls } = fakeConnection();
  const m = new ConsumerMessages(nc, pullOptions({ max_messages: 10, expires: 2000, ...opts }, refill), 5000);
  const consumer = { api: { prefix: "$JS.hub.API" }, stream: "S", name: "C", info };
  const source = new Source(m, consumer, { refill, ordered });
  m.source = source;
  source.start(ordered ? 4 : 0);
  const notices = [];
  m.status().then(async (it) => {
    for await (const s of it) notices.push(s);
  });
  return { nc, calls, m, source, notices };
}

test("a consumer starts in the core with its inbox, MSG.NEXT subject and numbers", () => {
  const { nc, calls, source } = started({ ordered: true });
  const [name, inbox, next, numbers] = calls[0];
  assert.equal(name, "consume");
  assert.match(inbox, /^_INBOX\./);
  assert.equal(next, "$JS.hub.API.CONSUMER.MSG.NEXT.S.C");
  // max_messages, max_bytes, expires, idle_heartbeat, thresholds, flags (1: consume), 1 + last seq
  assert.deepEqual(numbers, [10, 0, 2000, 1000, 8, 1, 1, 5]);
  assert.equal(nc._subs.get(7), source);
});

test("core events become status() notices, and a status end is the iterator's error", async () => {
  const { nc, m, source, notices } = started();
  await Promise.resolve();
  source._consumerEvent(EV_CONSUMER_MISSED, 2);
  source._consumerEvent(EV_CONSUMER_DISCARD, "7 0");
  source._consumerEvent(EV_CONSUMER_STATUS, "409 Leadership Change");
  source._consumerEvent(EV_CONSUMER_STATUS, "409 Consumer Deleted");
  source._consumerEvent(EV_CONSUMER_STATUS, "503 ");
  source._consumerEvent(EV_CONSUMER_END, "409 Consumer Deleted");
  await new Promise((r) => setTimeout(r, 0));
  assert.deepEqual(notices, [
    { type: "heartbeats_missed", data: 2 },
    { type: "discard", data: { msgsLeft: 7, bytesLeft: 0 } },
    { type: "debug", data: "409 leadership change" },
    { type: "consumer_deleted", data: "409 consumer deleted" },
    { type: "no_responders", data: "503 No Responders" },
  ]);
  const err = await m.closed();
  assert.ok(err instanceof lib.NatsError);
  assert.deepEqual([err.code, err.message], ["409", "consumer deleted"]);
  assert.equal(nc._subs.has(7), false, "the core ended it: no stop is sent");
});

test("stop() tells the core once; a check that finds the consumer asks the core to pull anew", async () => {
  let asked = 0;
  const { calls, m, source } = started({ info: async () => (asked++, {}) });
  source._consumerEvent(EV_CONSUMER_CHECK);
  await new Promise((r) => setTimeout(r, 0));
  assert.equal(asked, 1);
  assert.deepEqual(calls.at(-1), ["control", OP_CONSUMER_RESET, 7]);
  m.stop();
  m.stop();
  assert.deepEqual(calls.filter((c) => c[1] === OP_CONSUMER_STOP), [["control", OP_CONSUMER_STOP, 7]]);
  assert.equal(await m.closed(), undefined);
});

test("a gap, or a check that finds the consumer gone, resets an ordered consumer", async () => {
  const gap = started({ ordered: true });
  let resets = 0;
  gap.m.onReset = () => resets++;
  gap.source._consumerEvent(EV_CONSUMER_GAP);
  assert.equal(resets, 1);
  const gone = started({ ordered: true, info: async () => Promise.reject(new Error("consumer not found")) });
  gone.m.onReset = () => resets++;
  gone.source._consumerEvent(EV_CONSUMER_CHECK);
  await new Promise((r) => setTimeout(r, 0));
  assert.equal(resets, 2);
  assert.deepEqual(gone.notices.map((n) => n.type), ["consumer_not_found"]);
});

test("abort_on_missing_resource ends a consume() at a 409 Consumer Deleted; an ordered fetch() is not reset", async () => {
  const aborting = started({ opts: { abort_on_missing_resource: true } });
  aborting.source._consumerEvent(EV_CONSUMER_STATUS, "409 Consumer Deleted");
  const err = await aborting.m.closed();
  assert.deepEqual([err.code, err.message], ["409", "consumer deleted"]);
  const fetching = started({ refill: false, ordered: true });
  let resets = 0;
  fetching.m.onReset = () => resets++;
  fetching.source._consumerEvent(EV_CONSUMER_STATUS, "409 Consumer Deleted");
  assert.equal(resets, 0, "the core ends the fetch with the 409");
});

test("bind: a check pulls anew without looking the consumer up; pulls are next notices", async () => {
  let asked = 0;
  const { calls, source, notices } = started({ opts: { bind: true }, info: async () => (asked++, {}) });
  await Promise.resolve();
  source._consumerEvent(EV_CONSUMER_CHECK);
  assert.equal(asked, 0);
  assert.deepEqual(calls.at(-1), ["control", OP_CONSUMER_RESET, 7]);
  source._consumerEvent(EV_CONSUMER_NEXT, '{"batch":10,"max_bytes":0,"idle_heartbeat":1000000000,"expires":2000000000}');
  await new Promise((r) => setTimeout(r, 0));
  assert.deepEqual(notices, [
    { type: "next", data: { batch: 10, max_bytes: 0, idle_heartbeat: 1e9, expires: 2e9 } },
  ]);
});
