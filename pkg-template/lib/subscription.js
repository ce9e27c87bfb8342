// Subscriptions: an async iterator of Msg, or a callback.
import { OP_DRAIN_SUBSCRIPTION, OP_UNSUBSCRIBE } from "./interface.js";
import { DebugEvents, ErrorCode } from "./enums.js";
import { codeError, fromCore, ok } from "./errors.js";
import { QueuedIterator } from "./iterator.js";
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
    if (this.noIterator) {
      try {
        this.callback(null, msg);
      } catch (err) {
        reportAsync(err);
      }
      return;
    }
    if (!this._offer(msg) && !this._slow) {
      this._slow = true;
      this._nc._dispatchStatus({
        type: DebugEvents.SlowConsumer,
        data: { subject: this.subject, sid: this.sid, pending: this.getPending(), dropped: this._dropped },
      });
    }
  }
  _taken(msg) {
    super._taken(msg);
    if (this._slow && this.getPending() < this._pendingMsgsLimit / 2) this._slow = false;
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
    if (err && this.noIterator) {
      try {
        this.callback(err, {});
      } catch (e) {
        reportAsync(e);
      }
    }
    if (!err && !this.noIterator && this._waiter === null) {
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
  _slow: false,
  _closedP: undefined,
  _resolveClosed: undefined,
  _drained: undefined,
});
