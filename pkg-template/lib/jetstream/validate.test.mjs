// Name checks: nats.ws's messages, word for word.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as v from "./validate.js";
import { natsws } from "./testing.mjs";

const ref = natsws("jetstream/jsutil.js");

/** The message `fn` throws, or "" when it does not throw. */
function thrown(fn) {
  try {
    fn();
    return "";
  } catch (err) {
    return err.message;
  }
}

const NAMES = ["ok", "a.b", "a*", ">", "a/b", "a\\b", "a b", "a\tb", "a\nb", "a\rb", "", undefined, "a.b*", "é-ok", "x_y-1"];

test("stream and durable names refuse what would change the subject, as nats.ws words it", () => {
  assert.equal(thrown(() => v.validateStreamName("a.b")), "invalid stream name - stream name cannot contain '.'");
  assert.equal(thrown(() => v.validateDurableName("a\tb")), "invalid durable name - durable name cannot contain '\\t'");
  assert.equal(thrown(() => v.validateStreamName("")), "stream name required");
  assert.equal(thrown(() => v.validateStreamName(undefined)), "stream name required");
  assert.equal(thrown(() => v.validateStreamName(null)), "stream name required");
  assert.equal(thrown(() => v.validateStreamName("orders-1")), "");
  // nats.ws reports the first character of its list that the name holds, not the first in the name.
  assert.equal(thrown(() => v.validateStreamName("a b.c")), "invalid stream name - stream name cannot contain '.'");
  for (const name of NAMES) {
    assert.equal(thrown(() => v.validateStreamName(name)), thrown(() => ref.validateStreamName(name)), String(name));
    assert.equal(thrown(() => v.validateDurableName(name)), thrown(() => ref.validateDurableName(name)), String(name));
  }
});

test("bucket names allow only [-\\w]; consumer names are reported as 'consumer 'name''", () => {
  assert.equal(thrown(() => v.validateName("bucket", "a.b")), "invalid bucket name - bucket name cannot contain '.'");
  assert.equal(thrown(() => v.validateName("bucket", "")), "bucket name required");
  assert.equal(v.validName("a-b_c9"), "");
  assert.equal(v.validName("é"), "cannot contain 'é'");
  for (const name of NAMES.filter((n) => n)) {
    assert.equal(thrown(() => v.validateName("kv", name)), thrown(() => ref.validateName("kv", name)), name);
  }
  assert.equal(thrown(() => v.validateConsumerName("c>1")), "consumer 'name' cannot contain '>'");
  assert.equal(thrown(() => v.validateConsumerName("c1")), "");
});

test("a config must be an object", () => {
  for (const bad of [undefined, null, "S", 3, ["S"]]) {
    assert.equal(thrown(() => v.validateConfig("stream", bad)), "stream configuration must be an object");
  }
  assert.equal(thrown(() => v.validateConfig("stream", { name: "S" })), "");
});
