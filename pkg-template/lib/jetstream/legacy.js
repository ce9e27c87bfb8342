// nats.ws 1.x's older consumer API, which existing code still uses: `js.pull()`, `js.fetch()`,
// `js.subscribe()` (push consumers, flow control answered, ordered push consumers recreated
// after a gap) and `js.pullSubscribe()` with `pull()`. Each rides on a core consumer
// (src/proto/jetstream/pull.rs): status messages, flow control and heartbeats stay there.
import { ACK_STREAM_SEQ } from "../interface.js";
import { AckPolicy, DeliverPolicy, ReplayPolicy } from "./enums.js";
import { ConsumerMessages, Source } from "./consumer.js";
import { isConsumerOptsBuilder } from "./options.js";
import { lib } from "../shared.js";
import { validateDurableName, validateStreamName } from "./validate.js";

/** The options of a legacy fetch or pull, as the core's pull options. */
function fetchOptions(opts) {
  const expires = opts.expires || 0;
  const no_wait = opts.no_wait || false;
  if (expires === 0 && !no_wait) throw new Error("expires or no_wait is required");
  return { max_messages: opts.batch || 1, max_bytes: opts.max_bytes || 0, expires, idle_heartbeat: opts.idle_heartbeat || 0, no_wait };
}

/** Starts a one-pull fetch of `stream`/`durable` into `messages`. */
function startFetch(js, messages, stream, durable) {
  const o = messages.opts;
  const consumer = { api: js.api, stream, name: durable, info: () => js.consumerAPI.info(stream, durable) };
  const source = new Source(messages, consumer, { noWait: o.no_wait });
  messages.source = source;
  // As nats.ws: the server said nothing more is pending, so this fetch is done.
  messages.endAfter = (m) => m.info.pending === 0;
  source.start();
}

/** nats.ws `js.fetch()` into `iter` (the synchronous part returned it already). */
export function fetchInto(js, iter, stream, durable, opts = {}) {
  validateStreamName(stream);
  validateDurableName(durable);
  const m = new ConsumerMessages(js.nc, fetchOptions(opts), js.api.timeout, iter);
  startFetch(js, m, stream, durable);
}

/** nats.ws `js.pull()`: one message, or the server's 404 (`no_wait`) or 408 as an error. */
export async function pull(js, stream, durable, expires = 0) {
  validateStreamName(stream);
  validateDurableName(durable);
  const o = fetchOptions({ batch: 1, expires: Math.max(expires, 0), no_wait: expires <= 0 });
  const m = new ConsumerMessages(js.nc, o, js.api.timeout);
  startFetch(js, m, stream, durable);
  for await (const jm of m) return jm;
  throw o.no_wait ? new lib.NatsError("no messages", "404") : new lib.NatsError("request timeout", "408");
}

/**
 * nats.ws's `_processOptions`: the consumer options as an object, checked for an ordered
 * consumer, its stream found, an existing durable attached to.
 */
async function processOptions(js, subject, opts) {
  const builder = isConsumerOptsBuilder(opts);
  const jsi = builder ? opts.getOpts() : opts;
  jsi.isBind = builder ? opts.isBind : false;
  jsi.config = jsi.config || {};
  const c = jsi.config;
  if (jsi.ordered) {
    const refuse = (what) => {
      throw new lib.NatsError(`ordered consumer: ${what}`, lib.ErrorCode.ApiError);
    };
    if (c.ack_policy !== AckPolicy.NotSet && c.ack_policy !== AckPolicy.None) refuse("ack_policy can only be set to 'none'");
    if (c.durable_name) refuse("durable_name cannot be set");
    if (c.deliver_subject) refuse("deliver_subject cannot be set");
    if (c.max_deliver !== undefined && c.max_deliver > 1) refuse("max_deliver cannot be set");
    if (c.deliver_group) refuse("deliver_group cannot be set");
    Object.assign(c, {
      deliver_subject: lib.createInbox(js.nc.options.inboxPrefix),
      ack_policy: AckPolicy.None,
      max_deliver: 1,
      flow_control: true,
      idle_heartbeat: c.idle_heartbeat || lib.nanos(5000),
      ack_wait: lib.nanos(22 * 60 * 60 * 1000),
      mem_storage: true,
      num_replicas: 1,
    });
  }
  if (c.ack_policy === AckPolicy.NotSet) c.ack_policy = AckPolicy.All;
  jsi.stream = jsi.stream || (await js.api.findStream(subject));
  jsi.attached = false;
  if (c.durable_name) {
    try {
      const info = await js.consumerAPI.info(jsi.stream, c.durable_name);
      if (info.config.filter_subject && info.config.filter_subject !== subject) {
        throw new Error("subject does not match consumer");
      }
      const qn = c.deliver_group ?? "";
      if (qn === "" && info.push_bound === true) throw new Error("duplicate subscription");
      const rqn = info.config.deliver_group ?? "";
      if (qn !== rqn) throw new Error(rqn === "" ? "durable requires no queue group" : `durable requires queue group '${rqn}'`);
      jsi.last = info;
      jsi.config = info.config;
      jsi.attached = true;
      if (!jsi.config.durable_name) jsi.name = info.name;
    } catch (err) {
      if (err.code !== "404") throw err;
    }
  }
  if (!jsi.attached && jsi.config.filter_subject === undefined && jsi.config.filter_subjects === undefined) {
    jsi.config.filter_subject = subject;
  }
  jsi.deliver = jsi.config.deliver_subject || lib.createInbox(js.nc.options.inboxPrefix);
  jsi.api = js.api;
  return jsi;
}

/** Creates the consumer unless an existing durable was attached to. */
async function maybeCreate(js, jsi) {
  if (jsi.attached) return;
  if (jsi.isBind) {
    throw new Error(`unable to bind - durable consumer ${jsi.config.durable_name} doesn't exist in ${jsi.stream}`);
  }
  jsi.config = {
    deliver_policy: DeliverPolicy.All,
    ack_policy: AckPolicy.Explicit,
    ack_wait: lib.nanos(30 * 1000),
    replay_policy: ReplayPolicy.Instant,
    ...jsi.config,
  };
  const ci = await js.consumerAPI.add(jsi.stream, jsi.config);
  jsi.name = ci.name;
  jsi.config = ci.config;
  jsi.last = ci;
}

/**
 * nats.ws `JetStreamSubscription`: a push consumer's messages as a subscription (iterator or
 * callback `(err, jsMsg)`), acked after each unless `manualAck()`; `pull()` for a pull
 * subscription. Its `info` is nats.ws's `JetStreamSubscriptionInfo`.
 */
class JetStreamSubscription {
  /** Its consumer's name: the durable's, else the one the server gave. */
  get _consumer() {
    return this.info.config.durable_name || this.info.name;
  }
  constructor(js, info, pulled) {
    this.js = js;
    this.info = info;
    this.pulled = pulled;
    const cb = info.callbackFn;
    const opts = { idle_heartbeat: lib.millis(info.config.idle_heartbeat || 0) };
    this._messages = new ConsumerMessages(js.nc, opts, js.api.timeout);
    const m = this._messages;
    const autoAck = !info.mack && info.config.ack_policy !== AckPolicy.None;
    this.ordered = { stream_seq: 0, delivery_seq: 0 };
    m.onMessage = (jm) => {
      if (jm.msg._ack) this.ordered.stream_seq = jm.msg._ack[ACK_STREAM_SEQ];
    };
    if (typeof cb === "function") {
      m.callback = (jm) => {
        cb(null, jm);
        if (autoAck) jm.ack();
      };
      m._iter.noIterator = true;
    }
    this._autoAck = autoAck;
    m.onReset = () => this._resetOrdered();
    this.max = info.max || undefined;
    let resolve;
    this.closed = new Promise((r) => (resolve = r));
    m.closed().then(() => resolve());
    this.subject = info.deliver;
  }
  _start(deliver, lastSeq) {
    const i = this.info;
    const m = this._messages;
    const sub = this;
    const consumer = {
      api: i.api,
      stream: i.stream,
      get name() {
        return sub._consumer;
      },
      info: () => this.consumerInfo(),
    };
    const source = new Source(m, consumer, { push: true, deliver, queue: i.queue || i.config.deliver_group, ordered: i.ordered });
    m.source = source;
    source.start(lastSeq);
    this.sid = source.sid;
  }
  /** An ordered push consumer missed a message: a new consumer starts after the last seen. */
  _resetOrdered() {
    const i = this.info;
    if (!i.ordered || this._messages.done) return;
    this._messages.source?.stop();
    const deliver = lib.createInbox(this.js.nc.options.inboxPrefix);
    i.deliver = deliver;
    Object.assign(i.config, {
      name: lib.nuid.next(),
      deliver_subject: deliver,
      deliver_policy: DeliverPolicy.StartSequence,
      opt_start_seq: this.ordered.stream_seq + 1,
    });
    delete i.config.durable_name;
    this._start(deliver, 0);
    i.api.request(`CONSUMER.CREATE.${i.stream}`, { stream_name: i.stream, config: i.config }, { retries: -1 })
      .then((ci) => {
        i.config = ci.config;
        i.name = ci.name;
        i.last = ci;
      })
      .catch((err) => this._messages.stop(new lib.NatsError(`unable to recreate ordered consumer ${i.stream}`, lib.ErrorCode.RequestError, err)));
  }
  [Symbol.asyncIterator]() {
    const it = this._messages[Symbol.asyncIterator]();
    if (!this._autoAck) return it;
    // As nats.ws: a message is acked when the next one is asked for (so not the last one
    // of a loop left with `break`).
    let last = null;
    return {
      next: () => {
        last?.ack();
        last = null;
        return it.next().then((r) => {
          if (!r.done) last = r.value;
          return r;
        });
      },
      return: () => it.return(),
      [Symbol.asyncIterator]() {
        return this;
      },
    };
  }
  unsubscribe(max) {
    if (max > 0 && this.getReceived() < max) {
      const prior = this._messages.endAfter;
      this._messages.endAfter = () => prior?.() || this.getReceived() >= max;
      return;
    }
    this._messages.stop();
  }
  /** Ends now (nats.ws `stop()`); what is queued is still yielded. */
  stop(err) {
    this._messages.stop(err);
  }
  drain() {
    this._messages.stop();
    return this._messages.closed().then(() => undefined);
  }
  isClosed() {
    return this._messages.done;
  }
  isDraining() {
    return false;
  }
  getSubject() {
    return this.info.deliver;
  }
  getReceived() {
    return this._messages.getReceived();
  }
  getProcessed() {
    return this._messages.getProcessed();
  }
  getPending() {
    return this._messages.getPending();
  }
  /** Always 0: a JetStream subscription's queue is not bounded (the server paces it). */
  getDropped() {
    return 0;
  }
  getID() {
    return this.sid;
  }
  getMax() {
    return this.max;
  }
  /** Drains, then deletes the consumer. */
  async destroy() {
    if (!this.isClosed()) await this.drain();
    const i = this.info;
    await i.api.request(`CONSUMER.DELETE.${i.stream}.${this._consumer}`);
  }
  async consumerInfo() {
    const i = this.info;
    i.last = await i.api.request(`CONSUMER.INFO.${i.stream}.${this._consumer}`);
    return i.last;
  }
  /** A pull subscription's request for more messages, answered on its deliver subject. */
  pull(opts = { batch: 1 }) {
    if (!this.pulled) throw new Error("not a pull subscription");
    const args = { batch: opts.batch || 1, no_wait: opts.no_wait || false };
    if ((opts.max_bytes ?? 0) > 0) args.max_bytes = opts.max_bytes;
    const expires = opts.expires > 0 ? opts.expires : 0;
    if (expires) args.expires = lib.nanos(expires);
    const hb = opts.idle_heartbeat > 0 ? opts.idle_heartbeat : 0;
    if (hb) args.idle_heartbeat = lib.nanos(hb);
    if (hb && expires === 0) throw new Error("idle_heartbeat requires expires");
    if (hb > expires) throw new Error("expires must be greater than idle_heartbeat");
    const i = this.info;
    this.js.nc.publish(`${i.api.prefix}.CONSUMER.MSG.NEXT.${i.stream}.${this._consumer}`,
      JSON.stringify(args), { reply: i.deliver });
  }
}

/** nats.ws `js.subscribe()`: a push consumer (created unless bound to an existing one). */
export async function subscribe(js, subject, opts) {
  const jsi = await processOptions(js, subject, opts ?? {});
  if (!jsi.isBind && !jsi.config.deliver_subject) throw new Error("push consumer requires deliver_subject");
  await maybeCreate(js, jsi);
  const sub = new JetStreamSubscription(js, jsi, false);
  sub._start(jsi.deliver, 0);
  return sub;
}

/** nats.ws `js.pullSubscribe()`: a subscription that `pull()` fills. */
export async function pullSubscribe(js, subject, opts) {
  const jsi = await processOptions(js, subject, opts ?? {});
  if (jsi.ordered) throw new Error("pull subscribers cannot be be ordered");
  if (jsi.config.deliver_subject) {
    throw new Error("consumer info specifies deliver_subject - pull consumers cannot have deliver_subject set");
  }
  const ack = jsi.config.ack_policy;
  if (ack === AckPolicy.None || ack === AckPolicy.All) throw new Error("ack policy for pull consumers must be explicit");
  await maybeCreate(js, jsi);
  const sub = new JetStreamSubscription(js, jsi, true);
  sub._start(jsi.deliver, 0);
  return sub;
}
