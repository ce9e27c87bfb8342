// js.publish: the headers its options become, the PubAck, and its errors, also against
// nats.ws's JetStreamClientImpl over the same fake server.
import { test } from "node:test";
import assert from "node:assert/strict";
import { publish } from "./publish.js";
import { ApiClient } from "./api.js";
import { apiError, fakeNc, lib, natsws, noResponders } from "./testing.mjs";

const ack = (seq, extra) => ({ stream: "S", seq, ...extra });
const hdrText = (opts) => (opts.headers ? lib.TD.decode(opts.headers.encode()) : "");

function js(answer) {
  const nc = fakeNc(answer);
  return { nc, pub: (subject, data, opts) => publish(nc, new ApiClient(nc, {}), subject, data, opts) };
}

test("publish is a request to the subject; the PubAck gets duplicate: false", async () => {
  const { nc, pub } = js(() => ack(1));
  assert.deepEqual(await pub("s.a", "hello"), { stream: "S", seq: 1, duplicate: false });
  assert.deepEqual([nc.sent[0].subject, lib.TD.decode(nc.sent[0].data), nc.sent[0].opts], ["s.a", "hello", { timeout: 5000 }],
    "no options, no header block");
  const dup = js(() => ack(1, { duplicate: true, domain: "hub" }));
  assert.deepEqual(await dup.pub("s.a", undefined, { timeout: 250 }), { stream: "S", seq: 1, duplicate: true, domain: "hub" });
  assert.deepEqual([dup.nc.sent[0].data.length, dup.nc.sent[0].opts.timeout], [0, 250]);
});

test("msgID and expectations become the Nats-* headers, added to the caller's headers", async () => {
  const { nc, pub } = js(() => ack(2));
  const h = lib.headers();
  h.set("X-Trace", "t1");
  await pub("s.a", new Uint8Array([1, 2]), {
    headers: h,
    msgID: "m-1",
    expect: { lastMsgID: "m-0", streamName: "S", lastSequence: 0, lastSubjectSequence: 4 },
  });
  assert.equal(hdrText(nc.sent[0].opts),
    "NATS/1.0\r\nX-Trace: t1\r\nNats-Msg-Id: m-1\r\nNats-Expected-Last-Msg-Id: m-0\r\n" +
    "Nats-Expected-Stream: S\r\nNats-Expected-Last-Sequence: 0\r\nNats-Expected-Last-Subject-Sequence: 4\r\n\r\n");
  assert.equal(h.get("Nats-Msg-Id"), "m-1", "as in nats.ws, the caller's headers carry them");
  await pub("s.a", "x", { expect: { lastSequence: undefined, streamName: "" } });
  assert.equal(nc.sent[1].opts.headers, undefined, "unset expectations add nothing");
});

test("errors: no stream is 503 (retried when asked), a failed expectation is the API error", async () => {
  let { nc, pub } = js(() => noResponders());
  await assert.rejects(pub("nowhere", "x"), { code: "503", message: "503" });
  assert.equal(nc.sent.length, 1);
  ({ nc, pub } = js((s, b, n) => (n < 3 ? noResponders() : ack(9))));
  assert.equal((await pub("late", "x", { retries: 3, retry_delay: 1 })).seq, 9);
  assert.equal(nc.sent.length, 3);
  ({ nc, pub } = js(() => lib.codeError(lib.ErrorCode.Timeout)));
  await assert.rejects(pub("slow", "x", { retries: 3, retry_delay: 1 }), { code: "TIMEOUT" });
  assert.equal(nc.sent.length, 1, "only no responders is retried");

  const wrong = { error: { code: 400, err_code: 10071, description: "wrong last sequence: 1" }, stream: "S", seq: 0 };
  ({ pub } = js(() => wrong));
  const err = await pub("s.a", "x", { expect: { lastSequence: 0 } }).catch((e) => e);
  assert.ok(err instanceof lib.NatsError);
  assert.deepEqual([err.code, err.message, err.api_error.err_code], ["400", "wrong last sequence: 1", 10071]);
  ({ pub } = js(() => ({ stream: "", seq: 0 })));
  await assert.rejects(pub("s.a", "x"), { code: lib.ErrorCode.JetStreamInvalidAck });
});

test("the same publishes through nats.ws's JetStreamClientImpl send and return the same", async () => {
  const { JetStreamClientImpl } = natsws("jetstream/jsclient.js");
  const { headers } = natsws("nats-base-client/headers.js");
  const answers = [() => ack(3), () => ack(3, { duplicate: true }), () => apiError(400, 10070, "wrong last msg ID: m-0"), () => noResponders()];
  const calls = [
    [() => undefined],
    [() => ({ msgID: "a", timeout: 10 })],
    [() => ({ expect: { lastMsgID: "m-0", streamName: "S", lastSequence: 3, lastSubjectSequence: 0 } })],
    [(h) => { const x = h(); x.set("K", "v"); return { headers: x, msgID: "b" }; }],
    [() => ({ retries: 2, retry_delay: 1 })],
  ];
  for (const answer of answers) {
    for (const [makeOpts] of calls) {
      const outcome = async (run, h) => {
        const nc = fakeNc(answer);
        const result = await run(nc, makeOpts(h)).then((v) => v, (e) => ({ error: e.message, code: e.code, api: e.api_error }));
        return { result, sent: nc.sent.map((s) => [s.subject, lib.TD.decode(s.data), s.opts.timeout, hdrText(s.opts)]) };
      };
      const ours = await outcome((nc, o) => publish(nc, new ApiClient(nc, {}), "s.a", "data", o), lib.headers);
      const theirs = await outcome((nc, o) => new JetStreamClientImpl(nc, {}).publish("s.a", "data", o), headers);
      assert.deepEqual(ours, theirs, `${answer} ${makeOpts}`);
    }
  }
});
