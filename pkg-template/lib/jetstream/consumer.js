// Consumers of the nats.ws 1.x `js.consumers` API: `consume()`, `fetch()` and `next()` on a
// pull consumer, and ordered consumers. The pulling itself (what to ask for, statuses,
// heartbeats, a fetch's end, an ordered consumer's gaps) is the core's
// (src/proto/jetstream/pull.rs): here are the iterators users read, their `status()`
// notices, and what needs the JetStream API (checking a consumer still exists, creating
// ordered consumers anew).
import {
  ACK_CONSUMER_SEQ, ACK_STREAM_SEQ, EV_CONSUMER_CHECK, EV_CONSUMER_DISCARD, EV_CONSUMER_END, EV_CONSUMER_GAP,
  EV_CONSUMER_MISSED, EV_CONSUMER_NEXT, EV_CONSUMER_STATUS, OP_CONSUMER_RESET, OP_CONSUMER_STOP,
} from "../interface.js";
import { AckPolicy, ConsumerDebugEvents, ConsumerEvents, DeliverPolicy } from "./enums.js";
import { JsMsg } from "./jsmsg.js";
import { lib } from "../shared.js";

/**
 * nats.ws's pull options, its defaults applied: 100 messages (or `max_bytes`, not both),
 * `expires` 30 s (at least 1 s), heartbeats every `expires / 2` (at most 30 s), and for
 * `consume()` thresholds at 75 %. Throws as nats.ws does, synchronously.
 */
export function pullOptions(opts, refill) {
  const o = { ...opts };
  o.max_messages = o.max_messages || 0;
  o.max_bytes = o.max_bytes || 0;
  if (o.max_messages !== 0 && o.max_bytes !== 0) throw new Error("only specify one of max_messages or max_bytes");
  if (o.max_messages === 0) o.max_messages = 100;
  o.expires = o.expires || 30_000;
  if (o.expires < 1000) throw new Error("expires should be at least 1000ms");
  o.idle_heartbeat = Math.min(o.idle_heartbeat || o.expires / 2, 30_000);
  if (refill) {
    o.threshold_messages = o.threshold_messages || Math.round(o.max_messages * 0.75) || 1;
    o.threshold_bytes = o.threshold_bytes || Math.round(o.max_bytes * 0.75) || 1;
  }
  return o;
}

/** A status's `"<code> <description>"` as its parts, the description lower-cased (as nats.ws reports it). */
function statusParts(text) {
  const space = text.indexOf(" ");
  return [Number(text.slice(0, space)), text.slice(space + 1).toLowerCase()];
}

/**
 * nats.ws `ConsumerMessages`: what `consume()` and `fetch()` resolve to. An async iterator
 * of JsMsg (or a `callback`), fed by one core consumer at a time (an ordered consumer
 * replaces its source after a gap).
 */
export class ConsumerMessages {
  /** `iter`: the iterator to feed (the legacy `js.fetch()` returns one before it starts). */
  constructor(nc, opts, timeout, iter = new lib.QueuedIterator()) {
    this.nc = nc;
    this.opts = opts;
    this.timeout = timeout;
    this.callback = typeof opts.callback === "function" ? opts.callback : null;
    this.abortOnMissing = opts.abort_on_missing_resource === true;
    this.source = null;
    this._listeners = [];
    this._iter = iter;
    this._iter.noIterator = this.callback !== null;
    // Leaving a for-await loop stops the consumer, not only the iterator.
    this._iter._userStop = () => this.stop();
    /** Called with each JsMsg before the application sees it (an ordered consumer's cursor). */
    this.onMessage = null;
    /** Called when the source reports a gap or a missing consumer (ordered consumers). */
    this.onReset = null;
    /** True for a message after which these messages end (the legacy `js.fetch()`). */
    this.endAfter = null;
  }
  [Symbol.asyncIterator]() {
    return this._iter[Symbol.asyncIterator]();
  }
  get done() {
    return this._iter._done;
  }
  _message(msg) {
    const m = new JsMsg(msg, this.timeout);
    this._iter.received++;
    this.onMessage?.(m);
    if (this.callback === null) this._iter.push(m);
    else {
      try {
        this.callback(m);
      } catch (err) {
        this.stop(err);
      }
    }
    if (this.endAfter?.(m)) this.stop();
  }
  /** Tells every `status()` iterator. */
  notify(type, data) {
    for (const l of this._listeners) if (!l._done) l.push({ type, data });
  }
  status() {
    const iter = new lib.QueuedIterator();
    this._listeners.push(iter);
    return Promise.resolve(iter);
  }
  /** Ends now: the server stops being asked; what is queued is still yielded. */
  stop(err) {
    if (this.done) return;
    this.source?.stop();
    this.source = null;
    this._iter.stop(err);
    for (const l of this._listeners) l.stop();
  }
  close() {
    this.stop();
    return this._iter.iterClosed;
  }
  closed() {
    return this._iter.iterClosed;
  }
  getProcessed() {
    return this._iter.getProcessed();
  }
  getPending() {
    return this._iter.getPending();
  }
  getReceived() {
    return this._iter.getReceived();
  }
}

/**
 * One core consumer (`WasmConnection.consume`) feeding a `ConsumerMessages`: registered as
 * the connection's subscription for its sid, so the connection hands it its messages and
 * `CONSUMER_*` events.
 */
export class Source {
  /**
   * `consumer`: `{ api, stream, name, info() }`; `flags`: `refill` (consume), `ordered`,
   * `push` (with its `deliver` subject and `queue`), `noWait`.
   */
  constructor(messages, consumer, flags) {
    this.messages = messages;
    this.consumer = consumer;
    this.refill = !!flags.refill;
    this.ordered = !!flags.ordered;
    this.flags = flags;
    this.sid = 0;
    this.done = false;
    this.checking = false;
  }
  /** Starts pulling; `lastSeq` is an ordered consumer's last consumer sequence delivered. */
  start(lastSeq = 0) {
    const nc = this.messages.nc;
    const o = this.messages.opts;
    const { api, stream, name } = this.consumer;
    const conn = nc._conn;
    if (nc.isClosed() || conn === null) throw lib.codeError(lib.ErrorCode.ConnectionClosed);
    const f = this.flags;
    const numbers = [
      o.max_messages || 0, o.max_bytes || 0, o.expires || 0, o.idle_heartbeat || 0, o.threshold_messages || 0,
      o.threshold_bytes || 0, (f.refill ? 1 : 0) | (f.push ? 2 : 0) | (f.noWait ? 4 : 0), this.ordered ? lastSeq + 1 : 0,
    ];
    // A push consumer's messages come to its deliver subject, in its queue group if any.
    const inbox = f.push ? f.deliver : lib.createInbox(nc.options.inboxPrefix);
    const next = f.push ? f.queue || "" : `${api.prefix}.CONSUMER.MSG.NEXT.${stream}.${name}`;
    try {
      this.sid = lib.ok(conn, conn.consume(inbox, next, numbers));
    } catch (e) {
      throw lib.fromCore(e);
    }
    nc._subs.set(this.sid, this);
  }
  /** Stops asking the server (the application stopped, or this source was replaced). */
  stop() {
    if (this.done) return;
    this._gone();
    const nc = this.messages.nc;
    if (!nc.isClosed()) nc._conn?.control(OP_CONSUMER_STOP, this.sid);
  }
  _deliver(msg) {
    if (!this.done) this.messages._message(msg);
  }
  /** The connection closed (or the inbox subscription was refused). */
  _closed(err) {
    this._gone();
    this.messages.stop(err);
  }
  _consumerEvent(kind, data) {
    const m = this.messages;
    const events = ConsumerEvents;
    switch (kind) {
      case EV_CONSUMER_MISSED:
        return m.notify(events.HeartbeatsMissed, data);
      case EV_CONSUMER_DISCARD: {
        const [msgsLeft, bytesLeft] = data.split(" ").map(Number);
        return m.notify(ConsumerDebugEvents.Discard, { msgsLeft, bytesLeft });
      }
      case EV_CONSUMER_STATUS: {
        const [code, description] = statusParts(data);
        // A consume() goes on after these unless told to abort (a fetch ends: the core says).
        const abort = this.refill && m.abortOnMissing;
        if (code === 409 && description === "consumer deleted") {
          m.notify(events.ConsumerDeleted, `${code} consumer deleted`);
          if (abort) return m.stop(new lib.NatsError("consumer deleted", "409"));
          // An ordered consume() makes a new consumer at once (nats.ws waits for missed
          // heartbeats); an ordered fetch() ends with this error, as in nats.ws.
          if (this.refill) m.onReset?.();
          return;
        }
        if (code === 503) {
          m.notify(events.NoResponders, "503 No Responders");
          if (abort) m.stop(new lib.NatsError("no responders", "503"));
          return;
        }
        return m.notify(ConsumerDebugEvents.DebugEvent, `${code} ${description || "unknown"}`);
      }
      case EV_CONSUMER_CHECK:
        // `bind`: the consumer is not looked up (nats.ws pulls anew at once).
        if (m.opts.bind === true) return void m.nc._conn?.control(OP_CONSUMER_RESET, this.sid);
        return void this._check();
      case EV_CONSUMER_NEXT:
        // nats.ws's debug notice of each pull, with its options.
        if (m._listeners.length > 0) m.notify(ConsumerDebugEvents.Next, JSON.parse(data));
        return;
      case EV_CONSUMER_GAP:
        this._gone();
        return m.onReset?.();
      case EV_CONSUMER_END: {
        this._gone();
        if (data === undefined) return m.stop();
        const [code, description] = statusParts(data);
        const message = code === 503 ? "no responders" : description || "unknown";
        return m.stop(new lib.NatsError(message, `${code}`));
      }
    }
  }
  /** It is over (stopped here, or ended by the core): the connection forgets its sid. */
  _gone() {
    this.done = true;
    this.messages.nc._subs.delete(this.sid);
  }
  /**
   * Heartbeats were missed or the connection came back: pull anew once the server confirms
   * the consumer, retrying (backing off up to `expires`) until it does, as nats.ws does.
   */
  async _check() {
    if (this.checking) return;
    this.checking = true;
    const m = this.messages;
    const nc = m.nc;
    const events = ConsumerEvents;
    const bo = lib.backoff([m.opts.expires]);
    let notFound = 0;
    let streamNotFound = 0;
    for (let attempt = 0; !this.done && !nc.isClosed(); attempt++) {
      try {
        await this.consumer.info();
        if (!this.done && !nc.isClosed()) nc._conn.control(OP_CONSUMER_RESET, this.sid);
        break;
      } catch (err) {
        const give_up = !this.refill || m.abortOnMissing;
        if (err.message === "stream not found") {
          m.notify(events.StreamNotFound, ++streamNotFound);
          if (give_up) {
            m.stop(err);
            break;
          }
        } else if (err.message === "consumer not found") {
          m.notify(events.ConsumerNotFound, ++notFound);
          if (m.onReset) {
            m.onReset();
            break;
          }
          if (give_up) {
            m.stop(err);
            break;
          }
        } else {
          notFound = 0;
          streamNotFound = 0;
        }
        await Promise.race([lib.delay(bo.backoff(attempt)), nc.closed()]);
      }
    }
    this.checking = false;
  }
}

/** nats.ws `Consumer` of a named pull consumer (`js.consumers.get(stream, name)`). */
export class PullConsumer {
  constructor(api, info) {
    this.api = api;
    this._info = info;
    this.stream = info.stream_name;
    this.name = info.name;
  }
  _start(opts, refill) {
    const m = new ConsumerMessages(this.api.api.nc, pullOptions(opts, refill), this.api.api.timeout);
    const source = new Source(m, { api: this.api.api, stream: this.stream, name: this.name, info: () => this.info() }, { refill });
    m.source = source;
    source.start();
    return m;
  }
  consume(opts = { max_messages: 100, expires: 30_000 }) {
    return Promise.resolve(this._start(opts, true));
  }
  fetch(opts = { max_messages: 100, expires: 30_000 }) {
    return Promise.resolve(this._start(opts, false));
  }
  /** The next message, or null when none came within `expires`. */
  next(opts = { expires: 30_000 }) {
    return nextOf(this.fetch({ ...opts, max_messages: 1 }));
  }
  delete() {
    return this.api.delete(this.stream, this.name);
  }
  info(cached = false) {
    if (cached) return Promise.resolve(this._info);
    return this.api.info(this.stream, this.name).then((ci) => (this._info = ci));
  }
}

/**
 * The first message of a one-message fetch, or null at its end without one. With a long
 * `expires` (60 s and more), two missed heartbeats reject it, as in nats.ws.
 */
async function nextOf(fetching) {
  const m = await fetching;
  return new Promise((resolve, reject) => {
    const cursor = m.onMessage;
    m.onMessage = (jm) => {
      cursor?.(jm);
      resolve(jm);
    };
    m.closed().then((err) => (err ? reject(err) : resolve(null)));
    if (Math.round(m.opts.expires * 1.05) >= 60_000) {
      m.status().then(async (events) => {
        for await (const s of events) {
          if (s.type === ConsumerEvents.HeartbeatsMissed && s.data >= 2) {
            reject(new Error("consumer missed heartbeats"));
            m.stop();
          }
        }
      });
    }
  });
}

/**
 * nats.ws's ordered consumer (`js.consumers.get(stream, opts?)`): ephemeral consumers in
 * memory with no acks, each started after the last stream sequence delivered; the core
 * ends one at a gap, and a missing one is found by the heartbeat check: either way a new
 * one replaces it, so the application sees every message once, in order.
 */
export class OrderedConsumer {
  constructor(api, stream, opts = {}) {
    this.api = api;
    this.stream = stream;
    this.opts = opts;
    this.namePrefix = lib.nuid.next();
    if (typeof opts.name_prefix === "string") this.namePrefix = opts.name_prefix + this.namePrefix;
    this.serial = 0;
    this.startSeq = opts.opt_start_seq || 0;
    this.cursor = { stream_seq: this.startSeq > 0 ? this.startSeq - 1 : 0, deliver_seq: 0 };
    this.current = null;
    this.type = null;
    this.messages = null;
    this.pullOpts = null;
  }
  /** The config of the next consumer, starting at stream sequence `seq`. */
  _config(seq) {
    const o = this.opts;
    this.serial++;
    const config = {
      name: `${this.namePrefix}_${this.serial}`,
      deliver_policy: DeliverPolicy.StartSequence,
      opt_start_seq: seq,
      ack_policy: AckPolicy.None,
      inactive_threshold: lib.nanos(5 * 60 * 1000),
      num_replicas: 1,
    };
    if (o.headers_only === true) config.headers_only = true;
    if (Array.isArray(o.filterSubjects)) config.filter_subjects = o.filterSubjects;
    if (typeof o.filterSubjects === "string") config.filter_subject = o.filterSubjects;
    if (o.replay_policy) config.replay_policy = o.replay_policy;
    // The first consumer starts where the options say; later ones after the cursor.
    if (seq === this.startSeq + 1) {
      const P = DeliverPolicy;
      config.deliver_policy = o.deliver_policy || P.StartSequence;
      if ([P.LastPerSubject, P.New, P.Last].includes(o.deliver_policy)) delete config.opt_start_seq;
      if (config.deliver_policy === P.LastPerSubject && !config.filter_subjects && !config.filter_subject) {
        config.filter_subject = ">";
      }
      if (o.opt_start_time) {
        delete config.opt_start_seq;
        config.deliver_policy = DeliverPolicy.StartTime;
        config.opt_start_time = o.opt_start_time;
      }
      if (o.inactive_threshold) config.inactive_threshold = lib.nanos(o.inactive_threshold);
    }
    return config;
  }
  /** Replaces the current consumer with one that starts after the cursor. */
  async _recreate() {
    const isNew = this.serial === 0;
    const old = this.current;
    this.current = null;
    if (old) this.api.delete(this.stream, old.name).catch(() => {});
    this.cursor.deliver_seq = 0;
    const config = { ...this._config(Math.max(this.cursor.stream_seq + 1, 1)), max_deliver: 1, mem_storage: true };
    const bo = lib.backoff([this.pullOpts?.expires || 30_000]);
    for (let i = 0; ; i++) {
      try {
        this.current = await this.api.add(this.stream, config);
        this.messages?.notify(ConsumerEvents.OrderedConsumerRecreated, this.current.name);
        return this.current;
      } catch (err) {
        if (err.message === "stream not found") {
          this.messages?.notify(ConsumerEvents.StreamNotFound, i);
          if (this.type === "fetch" || this.pullOpts?.abort_on_missing_resource === true) {
            this.messages?.stop(err);
            throw err;
          }
        }
        if ((isNew && i >= 30) || this.messages?.done) throw err;
        await lib.delay(bo.backoff(i + 1));
      }
    }
  }
  /** Starts a core consumer on the current consumer into `messages`. */
  _pull(messages, refill) {
    const ci = this.current;
    const source = new Source(messages, {
      api: this.api.api,
      stream: this.stream,
      name: ci.name,
      info: () => this.api.info(this.stream, ci.name),
    }, { refill, ordered: true });
    messages.source = source;
    source.start(this.cursor.deliver_seq);
  }
  _messages(opts, refill) {
    const m = new ConsumerMessages(this.api.api.nc, pullOptions(opts, refill), this.api.api.timeout);
    m.onMessage = (jm) => {
      this.cursor.stream_seq = jm.msg._ack[ACK_STREAM_SEQ];
      this.cursor.deliver_seq = jm.msg._ack[ACK_CONSUMER_SEQ];
    };
    m.onReset = () => this._reset(m, refill);
    return m;
  }
  /** A gap, or the consumer is gone: a consume goes on with a new one, a fetch ends. */
  _reset(m, refill) {
    if (m.done) return;
    m.notify(ConsumerDebugEvents.Reset, "");
    m.source?.stop();
    m.source = null;
    if (!refill) {
      this.current = null;
      return m.stop();
    }
    this._recreate().then(() => m.done || this._pull(m, true)).catch((err) => m.stop(err));
  }
  async consume(opts = { max_messages: 100, expires: 30_000 }) {
    if (opts.bind) throw new Error("bind is not supported");
    if (this.type === "fetch") throw new Error("ordered consumer initialized as fetch");
    if (this.type === "consume") throw new Error("ordered consumer doesn't support concurrent consume");
    this.type = "consume";
    this.pullOpts = opts;
    const m = (this.messages = this._messages(opts, true));
    // The consumer `info()` made, if any, serves (as in nats.ws).
    if (this.current === null) await this._recreate();
    this._pull(m, true);
    return m;
  }
  async fetch(opts = { max_messages: 100, expires: 30_000 }) {
    if (opts.bind) throw new Error("bind is not supported");
    if (this.type === "consume") throw new Error("ordered consumer already initialized as consume");
    if (this.messages?.done === false) throw new Error("ordered consumer doesn't support concurrent fetch");
    this.type = "fetch";
    this.pullOpts = opts;
    const m = (this.messages = this._messages(opts, false));
    if (this.current === null) await this._recreate();
    this._pull(m, false);
    return m;
  }
  next(opts = { expires: 30_000 }) {
    if (opts.bind) return Promise.reject(new Error("bind is not supported"));
    return nextOf(this.fetch({ ...opts, max_messages: 1 }));
  }
  delete() {
    if (!this.current) return Promise.resolve(false);
    return this.api.delete(this.stream, this.current.name).finally(() => (this.current = null));
  }
  async info(cached) {
    if (this.current === null) return (this.current = await this._recreate());
    if (cached) return this.current;
    return this.api.info(this.stream, this.current.name);
  }
}

/** A pull consumer for a consumer's info (nats.ws `getPullConsumerFor`): push ones are refused. */
export function pullConsumerFor(consumerAPI, ci) {
  if (ci.config.deliver_subject !== undefined) throw new Error("push consumer not supported");
  return new PullConsumer(consumerAPI, ci);
}

/**
 * nats.ws `js.consumers.get(stream, name | opts)`: the named pull consumer, or with options
 * (or none) an ordered consumer of the stream (which must exist).
 */
export async function getConsumer(consumerAPI, streamAPI, stream, name = {}) {
  if (name === null || typeof name === "object") {
    await streamAPI.info(stream);
    return new OrderedConsumer(consumerAPI, stream, name ?? {});
  }
  return pullConsumerFor(consumerAPI, await consumerAPI.info(stream, name));
}
