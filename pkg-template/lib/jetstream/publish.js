// nats.ws `js.publish()`: a request to the message's own subject, answered by the stream
// that stores it with a PubAck. Deduplication and optimistic-concurrency constraints travel
// as headers the server checks.
import { lib } from "../shared.js";

/**
 * Publishes `data` to a stream and resolves to its PubAck `{stream, seq, duplicate, domain?}`.
 * `opts`: `msgID` (`Nats-Msg-Id`), `expect: {lastMsgID, streamName, lastSequence,
 * lastSubjectSequence}` (the `Nats-Expected-*` headers, set on `headers` if given),
 * `timeout` (default the API's, 5000 ms), `retries` (default 1) spaced `retry_delay` ms
 * (default 250) while no stream answers. No stream for the subject: code "503" (no
 * responders); a failed expectation: the API error (e.g. err_code 10071), `api_error` set.
 */
export async function publish(nc, api, subject, data, opts) {
  opts = opts || {};
  const expect = opts.expect || {};
  const h = opts.headers || lib.headers();
  if (opts.msgID) h.set("Nats-Msg-Id", opts.msgID);
  if (expect.lastMsgID) h.set("Nats-Expected-Last-Msg-Id", expect.lastMsgID);
  if (expect.streamName) h.set("Nats-Expected-Stream", expect.streamName);
  if (typeof expect.lastSequence === "number") h.set("Nats-Expected-Last-Sequence", `${expect.lastSequence}`);
  if (typeof expect.lastSubjectSequence === "number") {
    h.set("Nats-Expected-Last-Subject-Sequence", `${expect.lastSubjectSequence}`);
  }
  const ro = {};
  const timeout = opts.timeout || api.timeout;
  if (timeout) ro.timeout = timeout;
  // nats.ws always sends a header block; an empty one is left out here (the same message).
  if (opts.headers || h.size() > 0) ro.headers = h;
  const retries = opts.retries || 1;
  const retryDelay = opts.retry_delay || 250;
  let reply;
  for (let i = 0; ; i++) {
    try {
      reply = await nc.request(subject, data ?? lib.Empty, ro);
      break;
    } catch (err) {
      if (err.code !== lib.ErrorCode.NoResponders || i + 1 >= retries) throw err;
      await lib.delay(retryDelay);
    }
  }
  const pa = api.parse(reply);
  if (pa.stream === "") throw lib.NatsError.errorForCode(lib.ErrorCode.JetStreamInvalidAck);
  pa.duplicate = pa.duplicate || false;
  return pa;
}
