// Readers: more loops on one subscription, each with its own backlog (issue 18).
import { QueuedIterator } from "./iterator.js";

/**
 * One more `for await` loop on a subscription: it gets every message the subscription
 * receives from its creation on, whatever the other loops do. Its backlog has the
 * subscription's bounds; past them its new messages are dropped (for it alone) and counted.
 * Readers share the message objects: nothing is copied per reader.
 */
export class SubscriptionReader extends QueuedIterator {
  constructor(sub, id) {
    super();
    this._sub = sub;
    /** Unique in its subscription (`sub.killReader(id)`, `getReaderStats()`). */
    this.id = id;
    this._pendingMsgsLimit = sub._pendingMsgsLimit;
    this._pendingBytesLimit = sub._pendingBytesLimit;
  }
  /** Messages waiting in this reader's backlog. */
  getBackpressure() {
    return this.getPending();
  }
  /** Ends this loop at its next step; its backlog is dropped (and counted in `getDropped()`). */
  kill() {
    this._sub._readers?.delete(this);
    this._kill();
  }
  /** The loop left (`break`): this reader goes, the subscription stays. */
  _userStop() {
    this._sub._readers?.delete(this);
    this.stop();
  }
}
