// JetStream, loaded on first use: `nc.jetstream()` is synchronous in nats.ws, so it returns
// this module's small client at once; every call on it that needs JetStream's code (all of
// them are asynchronous in nats.ws, but `fetch`) loads pkg/jetstream.js first, once per page
// (lib/chunks.js).
import { QueuedIterator } from "./iterator.js";
import { loadJetStream, loadKv, loadObjectStore } from "./chunks.js";

/**
 * JetStream options with nats.ws's defaults: `apiPrefix` "$JS.API" (`$JS.<domain>.API` with a
 * `domain`, which is then dropped), `timeout` 5000 ms; a trailing '.' of the prefix is cut.
 * The caller's object is not changed.
 */
export function jetstreamOptions(opts) {
  const o = { apiPrefix: "$JS.API", timeout: 5000, ...opts };
  if (o.domain) {
    o.apiPrefix = `$JS.${o.domain}.API`;
    delete o.domain;
  }
  if (!o.apiPrefix) throw new Error("invalid empty prefix");
  if (o.apiPrefix.endsWith(".")) o.apiPrefix = o.apiPrefix.slice(0, -1);
  return o;
}

/** nats.ws `JetStreamClient`, whose code loads on its first call. */
class JetStreamClient {
  constructor(nc, opts) {
    this.nc = nc;
    this.opts = jetstreamOptions(opts);
    this._impl = null;
    const call = (name) => (...args) => this._call((js) => js[name](...args));
    this.consumers = {
      get: (...args) => this._call((js) => js.consumers.get(...args)),
      // Synchronous in nats.ws: a consumer whose every (asynchronous) call loads the code first.
      getPullConsumerFor: (ci) => {
        if (ci.config.deliver_subject !== undefined) throw new Error("push consumer not supported");
        const loaded = this._call((js) => js.consumers.getPullConsumerFor(ci));
        const c = { stream: ci.stream_name, name: ci.name };
        for (const k of ["consume", "fetch", "next", "info", "delete"]) c[k] = (...a) => loaded.then((p) => p[k](...a));
        return c;
      },
    };
    this.streams = { get: (...args) => this._call((js) => js.streams.get(...args)) };
    this.publish = call("publish");
    this.pull = call("pull");
    this.pullSubscribe = call("pullSubscribe");
    this.subscribe = call("subscribe");
  }
  /** Runs `fn` with the loaded client (made once). */
  _call(fn) {
    return loadJetStream().then((m) => fn((this._impl ??= m.jetstreamClient(this.nc, this.opts))));
  }
  get apiPrefix() {
    return this.opts.apiPrefix;
  }
  /** KV and object stores: each a chunk of its own, loaded alongside JetStream's. */
  get views() {
    const view = (load, make) => (...args) =>
      Promise.all([load(), this._call((js) => js)]).then(([m, js]) => m[make](js, ...args));
    return { kv: view(loadKv, "kvBucket"), os: view(loadObjectStore, "objectStore") };
  }
  getOptions() {
    return { ...this.opts };
  }
  getConnection() {
    return this.nc;
  }
  jetstreamManager(checkAPI) {
    return this.nc.jetstreamManager({ ...this.opts, checkAPI: checkAPI ?? this.opts.checkAPI });
  }
  /** nats.ws `js.fetch()`: synchronous there, so the iterator is returned before the code loads. */
  fetch(stream, durable, opts) {
    const iter = new QueuedIterator();
    this._call((js) => js.fetchInto(iter, stream, durable, opts)).catch((err) => iter.stop(err));
    return iter;
  }
}

/** A JetStream client for `nc` (nats.ws `nc.jetstream(opts)`). */
export function jetstreamClient(nc, opts) {
  return new JetStreamClient(nc, opts);
}
