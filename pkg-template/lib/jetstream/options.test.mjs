// `consumerOpts()` against nats.ws's own: every builder method, chains, the partial-config form
// and the errors build the same `getOpts()` (key order included) and the same builder fields.
import { test, mock } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import * as ours from "./options.js";
import { AckPolicy, DeliverPolicy, ReplayPolicy } from "./enums.js";

const NATS_WS = "../../../node_modules/nats.ws/";
const ref = {
  consumerOpts: (await import(NATS_WS + "esm/nats.js")).consumerOpts,
  // Not in nats.ws's public bundle: its JetStream client's helper, from the compiled sources.
  isConsumerOptsBuilder: createRequire(import.meta.url)(NATS_WS + "lib/jetstream/types.js")
    .isConsumerOptsBuilder,
};

/** A value with functions replaced by a marker and objects by their entries (key order counts). */
const norm = (v) =>
  typeof v === "function"
    ? "<function>"
    : Array.isArray(v)
      ? v.map(norm)
      : v && typeof v === "object"
        ? { entries: Object.entries(v).map(([k, x]) => [k, norm(x)]) }
        : v;

const DEFAULT = ours.consumerOpts().getOpts();

/**
 * Builds with both `consumerOpts(init)` (a fresh copy each) and `steps`; asserts `steps` returns
 * the builder, and that `getOpts()` and the builder's own fields (after it) match nats.ws's.
 * Returns our builder and its options.
 */
function same(steps, init) {
  const [a, b] = [ours, ref].map((m) => m.consumerOpts(init === undefined ? undefined : structuredClone(init)));
  assert.equal(steps(a), a, "our chain returns the builder");
  assert.equal(steps(b), b, "nats.ws's chain returns the builder");
  const opts = a.getOpts();
  assert.deepEqual(norm(opts), norm(b.getOpts()));
  assert.deepEqual(norm({ ...a }), norm({ ...b }), "builder fields");
  return { builder: a, opts };
}

test("the builder has exactly nats.ws's methods", () => {
  const names = (b) => Object.getOwnPropertyNames(Object.getPrototypeOf(b)).filter((n) => n !== "constructor").sort();
  const theirs = names(ref.consumerOpts());
  assert.ok(theirs.length >= 40, `nats.ws has ${theirs.length} methods`);
  assert.deepEqual(names(ours.consumerOpts()), theirs);
});

test("defaults: deliver all, explicit acks, 30 s ack wait (nanos), instant replay", () => {
  const { opts } = same((b) => b);
  assert.deepEqual(opts, {
    config: { name: "", deliver_policy: "all", ack_policy: "explicit", ack_wait: 30e9, replay_policy: "instant" },
    mack: false, stream: "", callbackFn: undefined, max: undefined, queue: undefined, ordered: false, isBind: false,
  });
  // consumerOpts() with no argument, null and {} alike
  same((b) => b, null);
  same((b) => b, {});
});

const fn = () => {};
// [label, steps, what our options must show]: each also differs from the defaults.
const METHODS = [
  ["description", (b) => b.description("d"), (o) => o.config.description === "d"],
  ["deliverTo", (b) => b.deliverTo("my.inbox"), (o) => o.config.deliver_subject === "my.inbox"],
  ["durable", (b) => b.durable("dur"), (o) => o.config.durable_name === "dur"],
  ["startSequence", (b) => b.startSequence(7), (o) => o.config.opt_start_seq === 7 && o.config.deliver_policy === DeliverPolicy.StartSequence],
  ["startTime", (b) => b.startTime(new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 6))), (o) => o.config.opt_start_time === "2024-01-02T03:04:05.006Z" && o.config.deliver_policy === DeliverPolicy.StartTime],
  ["deliverAll", (b) => b.deliverNew().deliverAll(), (o) => o.config.deliver_policy === DeliverPolicy.All, true],
  ["deliverLastPerSubject", (b) => b.deliverLastPerSubject(), (o) => o.config.deliver_policy === DeliverPolicy.LastPerSubject],
  ["deliverLast", (b) => b.deliverLast(), (o) => o.config.deliver_policy === DeliverPolicy.Last],
  ["deliverNew", (b) => b.deliverNew(), (o) => o.config.deliver_policy === DeliverPolicy.New],
  ["headersOnly", (b) => b.headersOnly(), (o) => o.config.headers_only === true],
  ["ackNone", (b) => b.ackNone(), (o) => o.config.ack_policy === AckPolicy.None],
  ["ackAll", (b) => b.ackAll(), (o) => o.config.ack_policy === AckPolicy.All],
  ["ackExplicit", (b) => b.ackNone().ackExplicit(), (o) => o.config.ack_policy === AckPolicy.Explicit, true],
  ["ackWait", (b) => b.ackWait(1500), (o) => o.config.ack_wait === 1.5e9],
  ["maxDeliver", (b) => b.maxDeliver(3), (o) => o.config.max_deliver === 3],
  ["filterSubject", (b) => b.filterSubject("a.>"), (o) => o.config.filter_subject === "a.>" && !("filter_subjects" in o.config)],
  ["filterSubject twice", (b) => b.filterSubject("a").filterSubject("b"), (o) => o.config.filter_subjects.join() === "a,b" && !("filter_subject" in o.config)],
  ["replayInstantly", (b) => b.replayOriginal().replayInstantly(), (o) => o.config.replay_policy === ReplayPolicy.Instant, true],
  ["replayOriginal", (b) => b.replayOriginal(), (o) => o.config.replay_policy === ReplayPolicy.Original],
  ["sample", (b) => b.sample(42.9), (o) => o.config.sample_freq === "42%"],
  ["sample 0 and 100", (b) => b.sample(0).sample(100), (o) => o.config.sample_freq === "100%"],
  ["limit", (b) => b.limit(1024), (o) => o.config.rate_limit_bps === 1024],
  ["maxWaiting", (b) => b.maxWaiting(9), (o) => o.config.max_waiting === 9],
  ["maxAckPending", (b) => b.maxAckPending(100), (o) => o.config.max_ack_pending === 100],
  ["idleHeartbeat", (b) => b.idleHeartbeat(5000), (o) => o.config.idle_heartbeat === 5e9],
  ["flowControl", (b) => b.flowControl(), (o) => o.config.flow_control === true],
  ["deliverGroup", (b) => b.deliverGroup("q"), (o) => o.queue === "q" && o.config.deliver_group === "q"],
  ["manualAck", (b) => b.manualAck(), (o) => o.mack === true],
  ["maxMessages", (b) => b.maxMessages(10), (o) => o.max === 10],
  ["callback", (b) => b.callback(fn), (o) => o.callbackFn === fn],
  ["queue", (b) => b.queue("workers"), (o) => o.queue === "workers" && o.config.deliver_group === "workers"],
  ["orderedConsumer", (b) => b.orderedConsumer(), (o) => o.ordered === true && o.config.ack_policy === AckPolicy.None],
  ["bind", (b) => b.bind("S", "C"), (o) => o.stream === "S" && o.config.durable_name === "C" && o.isBind === false],
  ["bind without a durable", (b) => b.bind("S"), (o) => o.stream === "S" && "durable_name" in o.config && o.config.durable_name === undefined],
  ["bindStream", (b) => b.bindStream("S"), (o) => o.stream === "S" && !("durable_name" in o.config)],
  ["inactiveEphemeralThreshold", (b) => b.inactiveEphemeralThreshold(60000), (o) => o.config.inactive_threshold === 6e10],
  ["maxPullBatch", (b) => b.maxPullBatch(25), (o) => o.config.max_batch === 25],
  ["maxPullRequestExpires", (b) => b.maxPullRequestExpires(250), (o) => o.config.max_expires === 2.5e8],
  ["memory", (b) => b.memory(), (o) => o.config.mem_storage === true],
  ["numReplicas", (b) => b.numReplicas(3), (o) => o.config.num_replicas === 3],
  ["consumerName", (b) => b.consumerName("c1"), (o) => o.config.name === "c1"],
];

for (const [label, steps, expect, setsDefault] of METHODS) {
  test(`${label}: same options as nats.ws`, () => {
    const { opts } = same(steps);
    assert.ok(expect(opts), `${label}: ${JSON.stringify(opts)}`);
    if (setsDefault) assert.deepEqual(opts, DEFAULT, "back to the default");
    else assert.notDeepEqual(opts, DEFAULT, "changed the options");
  });
}

test("every nats.ws method is covered above", () => {
  const covered = new Set(METHODS.map(([l]) => l.split(" ")[0]).concat("startAtTimeDelta", "getOpts"));
  const all = Object.getOwnPropertyNames(Object.getPrototypeOf(ref.consumerOpts())).filter((n) => n !== "constructor");
  assert.deepEqual(all.filter((n) => !covered.has(n)), []);
});

test("startAtTimeDelta: a start time `millis` before now", () => {
  const now = mock.method(Date, "now", () => Date.UTC(2024, 5, 1, 12, 0, 0));
  try {
    const { opts } = same((b) => b.startAtTimeDelta(90_000));
    assert.equal(opts.config.opt_start_time, "2024-06-01T11:58:30.000Z");
    assert.equal(opts.config.deliver_policy, DeliverPolicy.StartTime);
  } finally {
    now.mock.restore();
  }
});

test("bind sets isBind on the builder (the client reads it there), not in getOpts()", () => {
  const { builder, opts } = same((b) => b.bind("S", "C"));
  assert.equal(builder.isBind, true);
  assert.equal(opts.isBind, false);
  assert.equal(same((b) => b.bindStream("S")).builder.isBind, undefined);
});

const CHAINS = [
  ["a push consumer", (b) => b.durable("me").deliverTo("_INBOX.abc").ackExplicit().ackWait(2000).maxDeliver(5).deliverGroup("g").idleHeartbeat(1000).flowControl().filterSubject("orders.*").callback(fn).manualAck().maxMessages(100)],
  ["a pull consumer", (b) => b.durable("p").ackAll().maxWaiting(4).maxPullBatch(10).maxPullRequestExpires(30000).inactiveEphemeralThreshold(5000).bindStream("ORDERS").memory().numReplicas(1)],
  ["an ordered consumer with an explicit ack policy", (b) => b.ackExplicit().orderedConsumer().deliverLastPerSubject().headersOnly().filterSubject("a").filterSubject("b").filterSubject("c")],
  ["later settings win", (b) => b.deliverNew().startSequence(3).startTime(new Date(0)).deliverLast().queue("x").deliverGroup("y").durable("a").bind("S", "b").consumerName("n").consumerName("m")],
  ["everything else", (b) => b.description("all").sample(50).limit(8).maxAckPending(7).replayOriginal().bind("S", "d").ackNone()],
];

for (const [label, steps] of CHAINS) {
  test(`chain, ${label}: same options as nats.ws`, () => {
    const { opts } = same(steps);
    assert.ok(Object.keys(opts.config).length > 6, "several config fields set");
  });
}

test("ordered forces ack_policy none in getOpts() only", () => {
  const { builder, opts } = same((b) => b.ackAll().orderedConsumer());
  assert.equal(opts.config.ack_policy, AckPolicy.None);
  assert.equal(builder.config.ack_policy, AckPolicy.All);
});

const INITS = [
  { durable_name: "d", ack_policy: AckPolicy.None, max_deliver: 2 },
  { name: "n", deliver_policy: DeliverPolicy.New, ack_wait: 5, replay_policy: ReplayPolicy.Original, backoff: [1e9, 2e9] },
  { filter_subject: "a.b" },
  { filter_subjects: ["a", "b"] },
  { filter_subject: "a", filter_subjects: ["b", "c"] },
  { filter_subjects: ["only"] },
  { filter_subjects: [] },
  { filter_subject: "" },
  { deliver_subject: "in", deliver_group: "q", idle_heartbeat: 1, flow_control: true, metadata: { k: "v" } },
];

for (const init of INITS) {
  test(`consumerOpts(${JSON.stringify(init)}): same options as nats.ws`, () => {
    const { opts } = same((b) => b, init);
    const keys = Object.keys(opts.config);
    assert.deepEqual(keys.slice(0, 5), ["name", "deliver_policy", "ack_policy", "ack_wait", "replay_policy"]);
    assert.ok(keys.length > 5 || init.name, "the initial fields are kept");
    // and with builder methods on top
    same((b) => b.filterSubject("x").ackWait(10).durable("over").orderedConsumer(), init);
  });
}

test("the initial object is copied, not changed", () => {
  const init = { durable_name: "d", filter_subject: "a" };
  const b = ours.consumerOpts(init).durable("e").ackNone();
  b.getOpts();
  assert.deepEqual(init, { durable_name: "d", filter_subject: "a" });
  assert.equal(b.config.durable_name, "e");
});

test("getOpts() again: the config's filters are appended again, as nats.ws does", () => {
  const { builder, opts } = same((b) => b.filterSubject("x"), { filter_subject: "a" });
  assert.deepEqual(opts.config.filter_subjects, ["x", "a"]);
  const b2 = ref.consumerOpts({ filter_subject: "a" }).filterSubject("x");
  b2.getOpts();
  const [again, theirs] = [builder.getOpts(), b2.getOpts()];
  assert.deepEqual(again.config.filter_subjects, ["x", "a", "a"]);
  assert.deepEqual(norm(again), norm(theirs));
  // the returned list is the builder's own: a later filterSubject() shows in it too
  builder.filterSubject("late");
  b2.filterSubject("late");
  assert.deepEqual(again.config.filter_subjects, theirs.config.filter_subjects);
  assert.equal(again.config.filter_subjects.at(-1), "late");
});

test("getOpts() copies the config: changing it leaves the builder alone", () => {
  const { builder, opts } = same((b) => b.durable("d"));
  opts.config.durable_name = "changed";
  assert.equal(builder.getOpts().config.durable_name, "d");
});

/** Asserts ours and nats.ws's throw the same error class and message. */
function sameError(steps) {
  let theirs;
  assert.throws(() => steps(ref.consumerOpts()), (e) => ((theirs = e), true));
  assert.throws(() => steps(ours.consumerOpts()), (e) => {
    assert.equal(e.constructor, theirs.constructor);
    assert.equal(e.message, theirs.message);
    return true;
  });
  return theirs;
}

test("durable(): nats.ws's name checks and messages", () => {
  for (const name of ["", undefined, "a.b", "a*", "a>", "a/b", "a\\b", "a b", "a\tb", "a\nb", "a\rb", "x y.z", "\r\n"]) {
    const e = sameError((b) => b.durable(name));
    assert.match(e.message, /durable name/);
  }
  // the first bad character in nats.ws's order, not the name's
  assert.match(sameError((b) => b.durable("a b.c")).message, /cannot contain '\.'/);
  assert.match(sameError((b) => b.durable("a\nb")).message, /cannot contain '\\n'/);
  assert.throws(() => ours.consumerOpts().durable(null), TypeError);
  same((b) => b.durable("ok-name_1"));
});

test("startSequence() and sample(): nats.ws's range errors", () => {
  for (const steps of [(b) => b.startSequence(0), (b) => b.startSequence(-1), (b) => b.sample(-1), (b) => b.sample(101), (b) => b.sample(100.5 + 1)]) {
    assert.ok(sameError(steps) instanceof Error);
  }
  assert.equal(same((b) => b.sample(-0.5)).opts.config.sample_freq, "0%");
  assert.equal(same((b) => b.sample("7")).opts.config.sample_freq, "7%");
  sameError((b) => b.startTime(new Date(NaN)));
});

test("isConsumerOptsBuilder: builders (either library's) yes, plain options no", () => {
  for (const is of [ours.isConsumerOptsBuilder, ref.isConsumerOptsBuilder]) {
    assert.equal(is(ours.consumerOpts()), true);
    assert.equal(is(ref.consumerOpts()), true);
    assert.equal(is({ config: {}, mack: true }), false);
    assert.equal(is(ours.consumerOpts().getOpts()), false);
    assert.throws(() => is(null), TypeError);
  }
});
