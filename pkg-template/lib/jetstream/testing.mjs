// Test support for the JetStream chunk's unit tests: installs the main module's real
// classes into `lib` (as the package does on first JetStream use), a fake connection that
// records every request and answers with canned server replies, and nats.ws's own JetStream
// code (node_modules, a dev dependency) to compare against.
import { createRequire } from "node:module";
import { lib } from "../shared.js";
import { install } from "../jetstream.js";
import { ErrorCode } from "../enums.js";
import { codeError } from "../errors.js";
import { TD, TE } from "../codecs.js";
import { sharedWithChunks } from "../chunks.js";

install(sharedWithChunks());

export { lib };

const require = createRequire(import.meta.url);
const NATS_WS = "../../../node_modules/nats.ws/lib/";

/** nats.ws's compiled module `path` (e.g. "jetstream/jsm.js"), for differential checks. */
export function natsws(path) {
  return require(NATS_WS + path);
}

/** What the server would send: a reply message with a JSON body (or raw bytes). */
export function replyMsg(body, hdrs) {
  const data = body instanceof Uint8Array ? body : TE.encode(JSON.stringify(body));
  return { subject: "_INBOX.x", data, headers: hdrs, json: () => JSON.parse(TD.decode(data)), string: () => TD.decode(data) };
}

/** The error a request with no responders rejects with (nats.ws and this package alike). */
export const noResponders = () => codeError(ErrorCode.NoResponders);

/**
 * A connection that records requests in `sent` as `{subject, body, data, opts}` (`body` the
 * JSON sent, undefined for an empty payload) and answers with `answer(subject, body, n)`: an
 * object is the JSON reply, an Error rejects. `version` is the server's; nats.ws's code also
 * reads `features`, made from it.
 */
export function fakeNc(answer, version = "2.10.14") {
  const { Features, parseSemVer } = natsws("nats-base-client/semver.js");
  const nc = {
    info: { version, headers: true },
    features: new Features(parseSemVer(version)),
    sent: [],
    request(subject, data, opts) {
      const bytes = typeof data === "string" ? TE.encode(data) : data ?? Empty;
      let body;
      try {
        body = bytes.length ? JSON.parse(TD.decode(bytes)) : undefined;
      } catch {
        body = TD.decode(bytes);
      }
      nc.sent.push({ subject, body, data: bytes, opts });
      try {
        const r = answer(subject, body, nc.sent.length);
        return r instanceof Error ? Promise.reject(r) : Promise.resolve(replyMsg(r));
      } catch (e) {
        return Promise.reject(e);
      }
    },
  };
  return nc;
}

/** A stream's info as nats-server 2.10 answers STREAM.CREATE / STREAM.INFO. */
export function streamInfo(name, config = {}, state = {}) {
  return {
    type: "io.nats.jetstream.api.v1.stream_create_response",
    config: {
      name, subjects: [`${name.toLowerCase()}.>`], retention: "limits", max_consumers: -1,
      max_msgs: -1, max_bytes: -1, max_age: 0, max_msgs_per_subject: -1, max_msg_size: -1,
      discard: "old", storage: "file", num_replicas: 1, duplicate_window: 120000000000,
      compression: "none", allow_direct: false, mirror_direct: false, consumer_limits: {},
      ...config,
    },
    created: "2024-05-01T10:00:00.123456789Z",
    state: {
      messages: 0, bytes: 0, first_seq: 0, first_ts: "0001-01-01T00:00:00Z", last_seq: 0,
      last_ts: "0001-01-01T00:00:00Z", consumer_count: 0, ...state,
    },
    cluster: { leader: "NDXW5W7K3ZTHIHW6RPWYHQ3AFGNQ3UVAVRYA5HBOMY3SZBY3DQE3H7SR" },
    ts: "2024-05-01T10:00:00.2Z",
  };
}

/** A consumer's info as nats-server 2.10 answers CONSUMER.CREATE / CONSUMER.INFO. */
export function consumerInfo(stream, name, config = {}) {
  return {
    type: "io.nats.jetstream.api.v1.consumer_create_response",
    stream_name: stream,
    name,
    created: "2024-05-01T10:00:00.123456789Z",
    config: {
      name, durable_name: name, deliver_policy: "all", ack_policy: "explicit", ack_wait: 30000000000,
      max_deliver: -1, replay_policy: "instant", max_waiting: 512, max_ack_pending: 1000,
      num_replicas: 0, ...config,
    },
    delivered: { consumer_seq: 0, stream_seq: 0 },
    ack_floor: { consumer_seq: 0, stream_seq: 0 },
    num_ack_pending: 0, num_redelivered: 0, num_waiting: 0, num_pending: 0,
    ts: "2024-05-01T10:00:00.2Z",
  };
}

/** An API error reply as the server sends it. */
export function apiError(code, err_code, description, type = "io.nats.jetstream.api.v1.stream_info_response") {
  return { type, error: { code, err_code, description } };
}
