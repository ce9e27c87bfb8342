// The JetStream enums and status checks of the main module, against nats.ws's own.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as enums from "./enums.js";
import * as checks from "./status.js";
import { ErrorCode } from "../enums.js";
import { NatsError } from "../errors.js";
import { headers } from "../headers.js";
import { Empty, TE } from "../codecs.js";
import { natsws } from "./testing.mjs";

const ours = { ...enums, ...checks };

const ENUMS = [
  "AckPolicy", "DeliverPolicy", "DiscardPolicy", "ReplayPolicy", "RetentionPolicy", "StorageType",
  "StoreCompression", "JsHeaders", "DirectMsgHeaders", "RepublishHeaders", "AdvisoryKind",
  "ConsumerEvents", "ConsumerDebugEvents", "KvWatchInclude",
];

test("every JetStream enum has nats.ws's keys and strings", async () => {
  const ref = await import("../../../node_modules/nats.ws/esm/nats.js");
  for (const name of ENUMS) assert.deepEqual({ ...ours[name] }, { ...ref[name] }, name);
  for (const [k, v] of Object.entries(ref.ErrorCode)) assert.equal(ErrorCode[k], v, `ErrorCode.${k}`);
});

test("status codes map to nats.ws's errors: code, lower-cased message, 503 chained", () => {
  const cases = [
    [404, "No Messages", "404", "no messages"],
    [408, "Request Timeout", "408", "request timeout"],
    [409, "Exceeded MaxWaiting", "409", "exceeded maxwaiting"],
    [409, "Idle Heartbeats Missed", "IDLE_HEARTBEAT", "idle heartbeats missed"],
    [503, "No Responders", "503", "503"],
    [400, "Bad Request", "400", "bad request"],
    [500, "", "500", "UNKNOWN_ERROR"],
  ];
  const ref = natsws("jetstream/jsutil.js");
  for (const [code, desc, wantCode, wantMessage] of cases) {
    const err = ours.checkJsErrorCode(code, desc);
    assert.ok(err instanceof NatsError);
    assert.deepEqual([err.code, err.message], [wantCode, wantMessage], `${code} ${desc}`);
    const theirs = ref.checkJsErrorCode(code, desc);
    assert.deepEqual([err.code, err.message], [theirs.code, theirs.message]);
  }
  assert.equal(ours.checkJsErrorCode(503, "JetStream Off").chainedError.message, "jetstream off");
  assert.equal(ours.checkJsErrorCode(200, "OK"), null);
  assert.equal(ours.checkJsErrorCode(100, "Idle Heartbeat"), null);
});

test("status messages: flow control and heartbeats are told apart; errors only when empty", () => {
  const msg = (code, desc, data = Empty) => ({ data, headers: code ? headers(code, desc) : undefined });
  const hb = msg(100, "Idle Heartbeat");
  const fc = msg(100, "FlowControl Request");
  assert.deepEqual([ours.isFlowControlMsg(hb), ours.isHeartbeatMsg(hb)], [true, true]);
  assert.deepEqual([ours.isFlowControlMsg(fc), ours.isHeartbeatMsg(fc)], [true, false]);
  assert.equal(ours.isFlowControlMsg(msg(0, "", TE.encode("x"))), false);
  assert.equal(ours.isFlowControlMsg(msg(0, "")), false, "no headers");
  assert.equal(ours.isFlowControlMsg(msg(404, "No Messages")), false);
  assert.equal(ours.checkJsError(msg(404, "No Messages")).code, ErrorCode.JetStream404NoMessages);
  assert.equal(ours.checkJsError(msg(408, "Request Timeout", TE.encode("x"))), null, "a payload is data");
  assert.equal(ours.checkJsError(msg(0, "")), null);
  assert.equal(ours.checkJsError(hb), null);
});
