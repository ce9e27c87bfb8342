// KV's key and bucket checks, word for word against nats.ws's own (its compiled kv.js), and
// the status view of a bucket's stream info.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as kv from "./kv.js";
import { KvStatus } from "./kvstatus.js";
import { natsws } from "./testing.mjs";

const ref = natsws("jetstream/kv.js");

/** What `fn` returns, or the message it throws. */
function outcome(fn) {
  try {
    return { value: fn() };
  } catch (err) {
    return { thrown: err.message };
  }
}

const KEYS = [
  "a", "a.b", "a.b.c", "A-Z_09/=", ".a", "a.", "a..b", "a b", "a*", "a.*", "a.>", ">", "*", "a.>.b", "é", "", "a\tb", "a:b",
];
const BUCKETS = ["ok", "OK_1-x", "a.b", "a b", "a*", "a>", "", "é", "a/b"];

for (const name of ["validateKey", "validateSearchKey", "hasWildcards"]) {
  test(`${name}: as nats.ws for each key`, () => {
    for (const k of KEYS) assert.deepEqual(outcome(() => kv[name](k)), outcome(() => ref[name](k)), `key ${JSON.stringify(k)}`);
  });
}

test("validateBucket: as nats.ws for each name", () => {
  for (const b of BUCKETS) assert.deepEqual(outcome(() => kv.validateBucket(b)), outcome(() => ref.validateBucket(b)), `bucket ${JSON.stringify(b)}`);
});

test("KvStatus reads a stream info as nats.ws's KvStatusImpl does", () => {
  const si = {
    config: {
      name: "KV_cfg", max_msgs_per_subject: 5, max_age: 2_000_000_000, storage: "file", num_replicas: 1, max_bytes: -1,
      max_msg_size: 1024, compression: "s2", metadata: { a: "b" },
    },
    state: { messages: 7, bytes: 300 },
  };
  const ours = new KvStatus(si, "c1");
  const theirs = new ref.KvStatusImpl(si, "c1");
  for (const k of [
    "bucket", "values", "history", "ttl", "bucket_location", "backingStore", "storage", "replicas", "description", "maxBucketSize",
    "maxValueSize", "max_bytes", "placement", "placementCluster", "republish", "size", "metadata", "compression",
  ]) {
    assert.deepEqual(ours[k], theirs[k], k);
  }
  assert.equal(ours.bucket, "cfg");
  assert.equal(ours.ttl, 2000);
  assert.equal(ours.compression, true);
});
