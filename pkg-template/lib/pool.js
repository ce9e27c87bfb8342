// ConnectionsPool: connections grouped in namespaces, with broadcast and a rate-limited drain
// (issue 18). Its own export: apps that do not import it do not ship it.
import { NatsError } from "./errors.js";

const DEFAULT_NAMESPACE = "default";
/**
 * The window a drain's closes are counted in: a second, and a margin for the server, which
 * sees each close later than the page by a delay that varies (a clean-clone run counted 11
 * closes in one second of the server's times with a 1 ms margin).
 */
const WINDOW_MS = 1100;

/** A coded error of the pool (`POOL_DUPLICATE_ID`, `POOL_NO_CONNECTION`, `INVALID_OPTION`). */
const poolError = (message, code) => new NatsError(message, code);

/**
 * Connections grouped in namespaces, each known by an id unique in its namespace. A
 * connection that closes leaves the pool by itself. `opts.onLastInNamespace(namespace)` runs
 * when a namespace's last connection leaves (unless `remove()` is given its own).
 */
export class ConnectionsPool {
  constructor(opts = {}) {
    this._onLast = opts?.onLastInNamespace;
    /** namespace → Map(id → connection) */
    this._spaces = new Map();
    /** connection → { namespace, id } */
    this._where = new Map();
    this._ids = 0;
  }

  /**
   * Adds `nc` to `namespace` under `id` (one is made when none is given); returns the id.
   * Throws `POOL_DUPLICATE_ID` if the namespace already has that id.
   */
  add(nc, { namespace = DEFAULT_NAMESPACE, id } = {}) {
    if (typeof nc?.publish !== "function" || typeof nc.closed !== "function") {
      throw poolError("not a NatsConnection", "INVALID_OPTION");
    }
    if (this._where.has(nc)) throw poolError("connection already in the pool", "POOL_DUPLICATE_ID");
    if (id === undefined) {
      do id = String(++this._ids);
      while (this._spaces.get(namespace)?.has(id));
    }
    let space = this._spaces.get(namespace);
    if (space?.has(id)) throw poolError(`id '${id}' already in namespace '${namespace}'`, "POOL_DUPLICATE_ID");
    if (space === undefined) this._spaces.set(namespace, (space = new Map()));
    space.set(id, nc);
    this._where.set(nc, { namespace, id });
    nc.closed().then(() => this.remove(nc));
    return id;
  }

  /** The connection `id` of `namespace`, or undefined. */
  get(namespace, id) {
    return this._spaces.get(namespace)?.get(id);
  }

  /** Whether `nc` is in the pool; or, given a namespace and an id, whether that id is. */
  has(ncOrNamespace, id) {
    return typeof ncOrNamespace === "string"
      ? this.get(ncOrNamespace, id) !== undefined
      : this._where.has(ncOrNamespace);
  }

  /**
   * Takes `nc` out of the pool (it stays open); `onLastInNamespace(namespace)` runs if it
   * was its namespace's last. False if it was not in the pool.
   */
  remove(nc, onLastInNamespace = this._onLast) {
    const at = this._where.get(nc);
    if (at === undefined) return false;
    this._where.delete(nc);
    const space = this._spaces.get(at.namespace);
    space.delete(at.id);
    if (space.size === 0) {
      this._spaces.delete(at.namespace);
      onLastInNamespace?.(at.namespace);
    }
    return true;
  }

  /** How many connections `namespace` has (the pool, when none is given). */
  size(namespace) {
    return namespace === undefined ? this._where.size : (this._spaces.get(namespace)?.size ?? 0);
  }

  /** The namespaces that have connections. */
  namespaces() {
    return [...this._spaces.keys()];
  }

  /** The connections of `namespace` (of the pool, when none is given). */
  connections(namespace) {
    if (namespace === undefined) return [...this._where.keys()];
    return [...(this._spaces.get(namespace)?.values() ?? [])];
  }

  /**
   * Publishes on every open connection of `namespace`; returns how many. Bad input throws
   * what `publish` throws, before anything is sent (the first connection refuses it).
   */
  broadcast(namespace, subject, data, opts) {
    let n = 0;
    for (const nc of this.connections(namespace)) {
      if (nc.isClosed()) continue;
      nc.publish(subject, data, opts);
      n++;
    }
    return n;
  }

  /** Publishes on the connection `id` of `namespace`; `POOL_NO_CONNECTION` if there is none. */
  publish(namespace, id, subject, data, opts) {
    const nc = this.get(namespace, id);
    if (nc === undefined) throw poolError(`no connection '${id}' in namespace '${namespace}'`, "POOL_NO_CONNECTION");
    nc.publish(subject, data, opts);
  }

  /** Closes the connections of `namespace` (of the pool, when none is given) at once. */
  async closeAll(namespace) {
    await Promise.all(this.connections(namespace).map((nc) => nc.close()));
  }

  /**
   * Drains the connections of `namespace` (or of the pool) at most `maxPerSecond` per
   * second, evenly spaced (a fleet does not reconnect elsewhere all at once): a drain starts
   * only when fewer than `maxPerSecond` are running or ended in the last second, so no
   * second sees more closes than that. Each `drain()` delivers what its connection holds
   * first. `onProgress({ namespace, id, drained, total, error })` runs as each one closes.
   * Resolves when all are closed.
   */
  async drainConnections(maxPerSecond, namespace, onProgress) {
    if (!(maxPerSecond > 0)) throw poolError("maxPerSecond must be above 0", "INVALID_OPTION");
    const most = Math.max(1, Math.floor(maxPerSecond));
    const all = this.connections(namespace).map((nc) => ({ nc, ...this._where.get(nc) }));
    const start = performance.now();
    // Close times in the last second (oldest first), drains running, and a wake-up for a close.
    const recent = [];
    let running = 0;
    let drained = 0;
    let wake = () => {};
    const drainOne = async ({ nc, namespace, id }) => {
      let error;
      try {
        if (!nc.isClosed()) await nc.drain();
      } catch (e) {
        // Closed meanwhile, or draining already: it ends as it was going to.
        error = e;
        await nc.closed();
      }
      running--;
      recent.push(performance.now());
      drained++;
      onProgress?.({ namespace, id, drained, total: all.length, error });
      wake();
    };
    const drains = [];
    for (let i = 0; i < all.length; i++) {
      const paceAt = start + (i * 1000) / maxPerSecond;
      for (;;) {
        const now = performance.now();
        while (recent.length > 0 && now - recent[0] > WINDOW_MS) recent.shift();
        let wait = paceAt - now;
        if (wait <= 0) {
          if (running + recent.length < most) break;
          // Until the oldest close leaves the window (a millisecond past its edge: timers may
          // fire early by a fraction), or a running drain ends.
          wait = recent.length > 0 ? recent[0] + WINDOW_MS + 1 - now : 0;
        }
        await new Promise((r) => {
          wake = r;
          if (wait > 0) setTimeout(r, wait);
        });
      }
      running++;
      drains.push(drainOne(all[i]));
    }
    await Promise.all(drains);
  }
}
