// Subscriptions: an async iterator of Msg, or a callback.
import { OP_DRAIN_SUBSCRIPTION, OP_UNSUBSCRIBE } from "./interface.js";
import { DebugEvents, ErrorCode } from "./enums.js";
import { codeError, fromCore, ok } from "./errors.js";
import { QueuedIterator } from "./iterator.js";
import { SubscriptionReader } from "./reader.js";
import { numberOption } from "./options.js";

/** Rethrows a user callback's exception outside our dispatch loop, as an uncaught error. */
function reportAsync(err) {
  queueMicrotask(() => {
    throw err;
  });
}

/** A subscription: an async iterator of Msg, or a callback `(err, msg)`. */
export class Subscription extends QueuedIterator {
  constructor(nc, subject, opts) {
    super();
    this._nc = nc;
    this.subject = subject;
    this.sid = 0;
    if (opts.queue !== undefined) this.queue = opts.queue;
    if (opts.max !== undefined) this.max = opts.max;
    if (typeof opts.callback === "function") {
      this.callback = opts.callback;
      this.noIterator = true;
    }
    if (opts.pendingMsgs !== undefined) this._pendingMsgsLimit = opts.pendingMsgs;
    if (opts.pendingBytes !== undefined) this._pendingBytesLimit = opts.pendingBytes;
  }
  /** Resolves when the subscription ends. */
  get closed() {
    if (this._closedP === undefined) {
      this._closedP = this._done ? Promise.resolve() : new Promise((r) => (this._resolveClosed = r));
    }
    return this._closedP;
  }
  /** Called by the connection for each message routed to this sid. */
  _deliver(msg) {
    this.received++;
    const readers = this._readers;
    if (readers !== null) for (const r of readers) this._offerTo(r, msg);
    if (this.noIterator) {
      try {
        this.callback(null, msg);
      } catch (err) {
        reportAsync(err);
      }
      return;
    }
    // Read only through readers: its own loop, never started, keeps no backlog.
    if (readers === null || this._yielding) this._offerTo(this, msg);
  }
  /**
   * Queues `msg` on `iter` (this subscription or one of its readers); the first drop of an
   * episode raises `slowConsumer` (with `reader`, the reader's id, for a reader).
   */
  _offerTo(iter, msg) {
    if (iter._offer(msg) || iter._slow) return;
    iter._slow = true;
    const data = { subject: this.subject, sid: this.sid, pending: iter.getPending(), dropped: iter._dropped };
    if (iter !== this) data.reader = iter.id;
    this._nc._dispatchStatus({ type: DebugEvents.SlowConsumer, data });
  }
  _emptied() {
    if (this._ending) this._end();
  }
  /**
   * Called by the connection when the core closed this sid (max, drain, timeout, error). As
   * in nats.ws, an iterator ends when its consumer reaches the end, after the messages it
   * still holds: until then `isClosed()` is false and `closed` pending (at once when the
   * consumer is waiting; never for an iterator nobody reads).
   */
  _closed(err) {
    if (this.isClosed() || this._ending) return;
    this._nc._subs.delete(this.sid);
    // Readers yield their backlogs, then end.
    if (this._readers !== null) {
      for (const r of this._readers) r.stop(err);
      this._readers.clear();
    }
    if (err && this.noIterator) {
      try {
        this.callback(err, {});
      } catch (e) {
        reportAsync(e);
      }
    }
    if (!err && !this.noIterator && this._waiter === null && (this._readers === null || this._yielding)) {
      this._ending = true;
      return;
    }
    this._end(err);
  }
  _end(err) {
    this._ending = false;
    this.stop(err);
    this._resolveClosed?.();
  }
  /** The consumer left the loop: it ends now, whatever is queued. */
  _userStop() {
    this.unsubscribe();
    this._end();
  }
  unsubscribe(max) {
    if (this.isClosed() || this._ending) return;
    const nc = this._nc;
    if (nc.isClosed()) return this._closed();
    const goneNow = ok(nc._conn, nc._conn.control(OP_UNSUBSCRIBE, this.sid, numberOption(max, 0)));
    if (goneNow) this._closed();
    else this.max = max;
  }
  drain() {
    if (this._nc.isClosed()) return Promise.reject(codeError(ErrorCode.ConnectionClosed));
    if (this.isClosed()) return Promise.reject(codeError(ErrorCode.SubClosed));
    // Draining again returns the first drain's Promise, as in nats.ws.
    if (this._drained) return this._drained;
    this.draining = true;
    this.max = undefined;
    try {
      const id = ok(this._nc._conn, this._nc._conn.control(OP_DRAIN_SUBSCRIPTION, this.sid));
      this._drained = this._nc._waitFlush(id).catch(() => this._closed());
    } catch (e) {
      return Promise.reject(fromCore(e));
    }
    return this._drained;
  }
  isDraining() {
    return this.draining;
  }
  /**
   * A new loop on this subscription (`for await (const m of sub.createReader())`): it yields
   * every message received from now on, with its own bounded backlog. Once a subscription
   * has readers, its own iterator keeps a backlog only if its loop has started.
   */
  createReader() {
    const r = new SubscriptionReader(this, ++this._readerIds);
    if (this.isClosed() || this._ending) r.stop();
    else (this._readers ??= new Set()).add(r);
    return r;
  }
  /** Unsubscribes; every loop (readers and the subscription's own) yields its backlog, then ends. */
  close() {
    this.unsubscribe();
  }
  /** Unsubscribes; every loop ends at its next step, and the backlogs are dropped (and counted). */
  kill() {
    const readers = [...(this._readers ?? [])];
    this.unsubscribe();
    for (const r of readers) r._kill();
    this._kill();
    this._end();
  }
  /** The largest backlog of this subscription's loops (its own iterator's and its readers'). */
  getBackpressure() {
    return Math.max(this.noIterator ? 0 : this.getPending(), ...this.getReaderStats().map((r) => r.backpressure));
  }
  /** Each reader's id and backlog. */
  getReaderStats() {
    return [...(this._readers ?? [])].map((r) => ({ id: r.id, backpressure: r.getPending() }));
  }
  /** Kills the reader `id` (see `SubscriptionReader.kill`); false if there is none. */
  killReader(id) {
    const r = [...(this._readers ?? [])].find((r) => r.id === id);
    r?.kill();
    return r !== undefined;
  }
  /**
   * The next message; rejects with `TIMEOUT` after `timeout` ms (none by default), or with
   * `SUB_CLOSED` (or the subscription's error) if it ends first.
   */
  once(timeout) {
    const r = this.createReader();
    let timer;
    return new Promise((resolve, reject) => {
      if (timeout > 0) timer = setTimeout(() => reject(codeError(ErrorCode.Timeout)), timeout);
      r._next().then((v) => (v.done ? reject(codeError(ErrorCode.SubClosed)) : resolve(v.value)), reject);
    }).finally(() => {
      clearTimeout(timer);
      r.kill();
    });
  }
  isClosed() {
    return this._done;
  }
  getSubject() {
    return this.subject;
  }
  getMax() {
    return this.max;
  }
  getID() {
    return this.sid;
  }
}

Object.assign(Subscription.prototype, {
  queue: undefined,
  max: undefined,
  callback: undefined,
  draining: false,
  _ending: false,
  _closedP: undefined,
  _resolveClosed: undefined,
  _drained: undefined,
  // Readers (createReader), and the last id given to one.
  _readers: null,
  _readerIds: 0,
});
