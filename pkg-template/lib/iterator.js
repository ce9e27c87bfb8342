// The push-driven async iterator under subscriptions, requestMany and status().
import { ErrorCode } from "./enums.js";
import { NatsError } from "./errors.js";

const DONE = Object.freeze({ done: true, value: undefined });

/**
 * A push-driven async iterator. A Promise is only created when the consumer is waiting,
 * so a busy subscription costs one resolved Promise per message (the for-await minimum).
 */
export class QueuedIterator {
  // Only what every iterator needs is set here: a subscription costs its fields, and the
  // queue and the `iterClosed` Promise are made when first needed (prototype defaults below).
  constructor() {
    this._head = 0;
    this._waiter = null;
    this._done = false;
  }
  /** Resolves (with the error, if any) when the iteration ends. */
  get iterClosed() {
    if (this._iterClosed === undefined) {
      this._iterClosed = this._done
        ? Promise.resolve(this._endErr)
        : new Promise((r) => (this._resolveIterClosed = r));
    }
    return this._iterClosed;
  }
  [Symbol.asyncIterator]() {
    if (this.noIterator) throw new NatsError("unsupported iterator", ErrorCode.ApiError);
    if (this._yielding) throw new NatsError("already yielding", ErrorCode.ApiError);
    this._yielding = true;
    return {
      next: () => this._next(),
      return: () => {
        this._userStop();
        return Promise.resolve(DONE);
      },
      [Symbol.asyncIterator]() {
        return this;
      },
    };
  }
  _next() {
    if (this._queue !== null && this._head < this._queue.length) {
      const v = this._queue[this._head];
      this._queue[this._head++] = undefined;
      this._taken(v);
      if (this._head === this._queue.length) {
        this._queue.length = 0;
        this._head = 0;
      }
      this.processed++;
      return Promise.resolve({ done: false, value: v });
    }
    this._emptied();
    if (this._done) {
      if (this._err) {
        const err = this._err;
        this._err = undefined;
        return Promise.reject(err);
      }
      return Promise.resolve(DONE);
    }
    return new Promise((resolve, reject) => (this._waiter = { resolve, reject }));
  }
  push(v) {
    if (this._done) return;
    const w = this._waiter;
    if (w !== null) {
      this._waiter = null;
      this.processed++;
      w.resolve({ done: false, value: v });
    } else {
      if (this._queue === null) this._queue = [];
      this._queue.push(v);
    }
  }
  /** Ends the iteration after the queued values; with `err`, the iterator then throws it. */
  stop(err) {
    if (this._done) return;
    this._done = true;
    this._err = err;
    const w = this._waiter;
    if (w !== null) {
      this._waiter = null;
      if (err) {
        this._err = undefined;
        w.reject(err);
      } else {
        w.resolve(DONE);
      }
    }
    this._endErr = err;
    this._resolveIterClosed?.(err);
  }
  /**
   * Ends the iteration at the consumer's next step: what is queued is dropped (and counted in
   * `getDropped()`), for `kill()` of readers, listeners and subscriptions.
   */
  _kill(err) {
    const n = this.getPending();
    this._dropped += n;
    if (n > 0) {
      this._queue = null;
      this._head = 0;
      this._pendingBytes = 0;
    }
    this.stop(err);
  }
  /** The consumer left the loop (break/return). */
  _userStop() {
    this.stop();
  }
  /**
   * Queues a message unless the unread queue is at its bounds; returns false (and counts a
   * drop) when it is, so a consumer that stopped reading cannot exhaust the page's memory.
   */
  _offer(msg) {
    if (this._waiter === null) {
      const size = msg.data.length;
      if (this.getPending() >= this._pendingMsgsLimit || this._pendingBytes + size > this._pendingBytesLimit) {
        this._dropped++;
        return false;
      }
      this._pendingBytes += size;
    }
    this.push(msg);
    return true;
  }
  /** Hook: the consumer asked for a value and none is queued. */
  _emptied() {}
  /** Hook: a queued value was handed to the consumer. */
  _taken(msg) {
    if (msg?.data instanceof Uint8Array) this._pendingBytes -= msg.data.length;
    // A slow consumer's episode ends when it has read half of its bound.
    if (this._slow && this.getPending() < this._pendingMsgsLimit / 2) this._slow = false;
  }
  /** Messages dropped because the iterator fell behind its pending limits. */
  getDropped() {
    return this._dropped;
  }
  /** Drops (and counts) the oldest queued value: for queues that keep the newest. */
  _dropOldest() {
    if (this.getPending() > 0) {
      this._queue[this._head++] = undefined;
      this._dropped++;
    }
  }
  getProcessed() {
    return this.noIterator ? this.received : this.processed;
  }
  getPending() {
    return this._queue === null ? 0 : this._queue.length - this._head;
  }
  getReceived() {
    return this.received;
  }
}

/** Default bounds of an iterator subscription's queue (nats.ws has none). */
const DEFAULT_PENDING_MSGS = 65536;
const DEFAULT_PENDING_BYTES = 64 * 1024 * 1024;

// Defaults on the prototype: an instance gets its own value only when it differs.
Object.assign(QueuedIterator.prototype, {
  _queue: null,
  _err: undefined,
  _yielding: false,
  processed: 0,
  received: 0,
  _pendingBytes: 0,
  _dropped: 0,
  // In a slow consumer episode (see Subscription._offerTo): reported once per episode.
  _slow: false,
  noIterator: false,
  _iterClosed: undefined,
  _resolveIterClosed: undefined,
  _endErr: undefined,
  // Bounds on what an iterator that is not read keeps: past them, new values are dropped.
  _pendingMsgsLimit: DEFAULT_PENDING_MSGS,
  _pendingBytesLimit: DEFAULT_PENDING_BYTES,
});
