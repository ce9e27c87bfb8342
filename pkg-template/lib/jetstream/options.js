// nats.ws's `consumerOpts()`: the builder of `js.subscribe()`/`js.pullSubscribe()` options. In
// the main module (users build options before JetStream loads), so it imports only the
// JetStream enums and `nanos`. Durations are given in ms and stored in nanos, as nats.ws does;
// `getOpts()` returns nats.ws's `ConsumerOpts` shape, quirks included (see there).
import { AckPolicy, DeliverPolicy, ReplayPolicy } from "./enums.js";
import { nanos } from "../util.js";

// nats.ws's durable name check: required, and none of these characters (checked in this order,
// control characters shown escaped).
function checkDurable(name = "") {
  if (name === "") throw Error("durable name required");
  for (const c of ".*>/\\ \t\n\r") {
    if (name.indexOf(c) !== -1) {
      const shown = c < " " ? JSON.stringify(c).slice(1, -1) : c;
      throw Error(`invalid durable name - durable name cannot contain '${shown}'`);
    }
  }
}

// The builder: nats.ws's `ConsumerOptsBuilderImpl`, with the same public fields (the JetStream
// client reads `isBind` from the builder itself, as nats.ws's does).
class ConsumerOptsBuilder {
  config;
  ordered = false;
  mack = false;
  stream = "";
  callbackFn;
  max;
  qname;
  isBind;
  filters;

  constructor(opts) {
    this.config = Object.assign(
      {
        name: "",
        deliver_policy: DeliverPolicy.All,
        ack_policy: AckPolicy.Explicit,
        ack_wait: nanos(30 * 1000),
        replay_policy: ReplayPolicy.Instant,
      },
      opts,
    );
  }

  /**
   * The options as nats.ws returns them: a copy of the config whose filter subjects (those set
   * with `filterSubject()`, then the config's own) end in `filter_subject` when one, else in
   * `filter_subjects`. As in nats.ws, the config's filters are appended to the builder's on each
   * call (a second call repeats them), the ordered flag forces `ack_policy` "none", and `isBind`
   * is always false here (`bind()` sets it on the builder only).
   */
  getOpts() {
    const config = Object.assign({}, this.config);
    if (config.filter_subject) {
      this.filterSubject(config.filter_subject);
      config.filter_subject = undefined;
    }
    if (config.filter_subjects) {
      config.filter_subjects.forEach((s) => this.filterSubject(s));
      config.filter_subjects = undefined;
    }
    const { ordered, filters: f } = this;
    if (ordered) config.ack_policy = AckPolicy.None;
    if (f?.length == 1) config.filter_subject = f[0];
    else if (f?.length) config.filter_subjects = f;
    const { mack, stream, callbackFn, max, qname: queue } = this;
    return { config, mack, stream, callbackFn, max, queue, ordered, isBind: false };
  }

  /** The consumer's description. */
  description(s) {
    this.config.description = s;
    return this;
  }
  /** The push consumer's delivery subject. */
  deliverTo(subject) {
    this.config.deliver_subject = subject;
    return this;
  }
  /** A durable consumer's name (checked as nats.ws checks it). */
  durable(name) {
    checkDurable(name);
    this.config.durable_name = name;
    return this;
  }
  /** Start at stream sequence `seq` (> 0). */
  startSequence(seq) {
    if (seq <= 0) throw new Error("sequence must be greater than 0");
    this.config.deliver_policy = DeliverPolicy.StartSequence;
    this.config.opt_start_seq = seq;
    return this;
  }
  /** Start at the first message stored at or after `time` (a Date). */
  startTime(time) {
    this.config.deliver_policy = DeliverPolicy.StartTime;
    this.config.opt_start_time = time.toISOString();
    return this;
  }
  /** Start `millis` ago. */
  startAtTimeDelta(millis) {
    return this.startTime(new Date(Date.now() - millis));
  }
  /** Start at the stream's first message. */
  deliverAll() {
    this.config.deliver_policy = DeliverPolicy.All;
    return this;
  }
  /** Start at the last message of each subject. */
  deliverLastPerSubject() {
    this.config.deliver_policy = DeliverPolicy.LastPerSubject;
    return this;
  }
  /** Start at the stream's last message. */
  deliverLast() {
    this.config.deliver_policy = DeliverPolicy.Last;
    return this;
  }
  /** Only messages stored from now on. */
  deliverNew() {
    this.config.deliver_policy = DeliverPolicy.New;
    return this;
  }
  /** Deliver headers only (the size in `Nats-Msg-Size`). */
  headersOnly() {
    this.config.headers_only = true;
    return this;
  }
  /** No acks. */
  ackNone() {
    this.config.ack_policy = AckPolicy.None;
    return this;
  }
  /** An ack acks every earlier message too. */
  ackAll() {
    this.config.ack_policy = AckPolicy.All;
    return this;
  }
  /** Every message is acked (by the client unless `manualAck()`). */
  ackExplicit() {
    this.config.ack_policy = AckPolicy.Explicit;
    return this;
  }
  /** How long (ms) before an unacked message is redelivered. */
  ackWait(millis) {
    this.config.ack_wait = nanos(millis);
    return this;
  }
  /** The most deliveries of one message. */
  maxDeliver(max) {
    this.config.max_deliver = max;
    return this;
  }
  /** Adds a filter subject (may be called again: several filters). */
  filterSubject(s) {
    (this.filters ||= []).push(s);
    return this;
  }
  /** Replay as fast as possible. */
  replayInstantly() {
    this.config.replay_policy = ReplayPolicy.Instant;
    return this;
  }
  /** Replay at the rate the messages were stored. */
  replayOriginal() {
    this.config.replay_policy = ReplayPolicy.Original;
    return this;
  }
  /** The percentage (0-100, truncated) of acks sampled for advisories. */
  sample(n) {
    n = Math.trunc(n);
    if (n < 0 || n > 100) throw new Error("value must be between 0-100");
    this.config.sample_freq = `${n}%`;
    return this;
  }
  /** The delivery rate limit, in bits per second. */
  limit(bps) {
    this.config.rate_limit_bps = bps;
    return this;
  }
  /** Pull consumers: the most pull requests waiting. */
  maxWaiting(max) {
    this.config.max_waiting = max;
    return this;
  }
  /** The most unacked messages before delivery pauses. */
  maxAckPending(max) {
    this.config.max_ack_pending = max;
    return this;
  }
  /** Push consumers: the server's idle heartbeat interval (ms). */
  idleHeartbeat(millis) {
    this.config.idle_heartbeat = nanos(millis);
    return this;
  }
  /** Push consumers: server flow control. */
  flowControl() {
    this.config.flow_control = true;
    return this;
  }
  /** Push consumers: the queue group (same as `queue()`). */
  deliverGroup(name) {
    return this.queue(name);
  }
  /** The client does not ack: the application must. */
  manualAck() {
    this.mack = true;
    return this;
  }
  /** The subscription ends after `max` messages. */
  maxMessages(max) {
    this.max = max;
    return this;
  }
  /** Messages go to `fn(err, msg)` instead of an iterator. */
  callback(fn) {
    this.callbackFn = fn;
    return this;
  }
  /** Push consumers: the queue group (the subscription's and the consumer's `deliver_group`). */
  queue(n) {
    this.qname = n;
    this.config.deliver_group = n;
    return this;
  }
  /** An ordered push consumer (no acks). */
  orderedConsumer() {
    this.ordered = true;
    return this;
  }
  /** Use an existing consumer `durable` on `stream`; the subscribe fails if there is none. */
  bind(stream, durable) {
    this.stream = stream;
    this.isBind = true;
    this.config.durable_name = durable;
    return this;
  }
  /** The stream, sparing the lookup by subject. */
  bindStream(stream) {
    this.stream = stream;
    return this;
  }
  /** How long (ms) an idle ephemeral consumer lives. */
  inactiveEphemeralThreshold(millis) {
    this.config.inactive_threshold = nanos(millis);
    return this;
  }
  /** Pull consumers: the largest batch a pull may ask for. */
  maxPullBatch(n) {
    this.config.max_batch = n;
    return this;
  }
  /** Pull consumers: the longest expiry (ms) a pull may ask for. */
  maxPullRequestExpires(millis) {
    this.config.max_expires = nanos(millis);
    return this;
  }
  /** Keep the consumer's state in memory. */
  memory() {
    this.config.mem_storage = true;
    return this;
  }
  /** The consumer's replica count (instead of the stream's). */
  numReplicas(n) {
    this.config.num_replicas = n;
    return this;
  }
  /** The consumer's name. */
  consumerName(n) {
    this.config.name = n;
    return this;
  }
}

/**
 * A consumer options builder, as nats.ws's `consumerOpts()`: `opts` (a partial
 * `ConsumerConfig`) is copied over the defaults (deliver all, explicit acks with a 30 s wait,
 * instant replay).
 */
export function consumerOpts(opts) {
  return new ConsumerOptsBuilder(opts);
}

/** Whether `o` is a builder rather than a plain `ConsumerOpts`: the JetStream client asks. */
export function isConsumerOptsBuilder(o) {
  return typeof o.getOpts === "function";
}

/**
 * The options of an ordered push consumer of `stream`, `config` over its defaults: what
 * nats.ws builds with `consumerOpts().orderedConsumer().bindStream(stream)` for KV watches and
 * object store reads (a plain `ConsumerOpts`, which `js.subscribe()` takes as it is).
 */
export function orderedPush(stream, config, callbackFn) {
  return { config: { ack_policy: AckPolicy.None, ...config }, ordered: true, stream, callbackFn, mack: false };
}
