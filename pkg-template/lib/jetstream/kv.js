// Key-Value buckets of nats.ws 1.x (`js.views.kv(bucket, opts)`), the KV chunk (pkg/kv.js).
// A bucket is the stream `KV_<bucket>`; a key is the subject `$KV.<bucket>.<key>` and its
// value that subject's last message; deletes and purges are messages marked by the
// `KV-Operation` header. Gets read the stream (a direct get when the stream allows it);
// watches, histories and key listings are ordered push consumers (the loaded JetStream
// client's `subscribe`, whose protocol the core runs).
import { AckPolicy, DeliverPolicy, DiscardPolicy, JsHeaders, KvWatchInclude, RetentionPolicy, StorageType, StoreCompression } from "./enums.js";
import { serverAtLeast } from "./api.js";
import { KvStatus } from "./kvstatus.js";
import { orderedPush } from "./options.js";
import { refused, validateBucket } from "./validate.js";
import { lib } from "../shared.js";

export { validateBucket };

const KV_PREFIX = "KV_";
const OPERATION = "KV-Operation";
const EXPECTED_LAST_SUBJECT_SEQ = "Nats-Expected-Last-Subject-Sequence";
const VALID_KEY = /^[-/=.\w]+$/;
const VALID_SEARCH_KEY = /^[-/=.>*\w]+$/;

/** A key as nats.ws accepts it: `[-/=.\w]`, not starting or ending with '.'. */
export function validateKey(k) {
  if (k.startsWith(".") || k.endsWith(".") || !VALID_KEY.test(k)) throw refused(`invalid key: ${k}`);
}

/** A key filter: a key that may hold the wildcards '*' and '>'. */
export function validateSearchKey(k) {
  if (k.startsWith(".") || k.endsWith(".") || !VALID_SEARCH_KEY.test(k)) throw refused(`invalid key: ${k}`);
}

/** True when the key filter `k` has a wildcard ('>' only as its last token). */
export function hasWildcards(k) {
  if (k.startsWith(".") || k.endsWith(".")) throw refused(`invalid key: ${k}`);
  const tokens = k.split(".");
  return tokens.some((t, i) => {
    if (t === ">" && i !== tokens.length - 1) throw refused(`invalid key: ${k}`);
    return t === "*" || t === ">";
  });
}

/** The codec that leaves keys and values as they are. */
const SAME = Object.freeze({ encode: (v) => v, decode: (v) => v });

/** nats.ws `NoopKvCodecs()`: keys and values as they are. */
export function NoopKvCodecs() {
  return { key: SAME, value: SAME };
}

/**
 * What the server answers a value over the bucket's `maxValueSize` with (as `put` reports
 * it): refused here instead, before anything is sent.
 */
function tooLarge() {
  const description = "message size exceeds maximum allowed";
  const err = new lib.NatsError(description, "400");
  err.api_error = { code: 400, err_code: 10054, description };
  return err;
}

/** The bytes `data` (a Payload) is sent as. */
const byteLength = (data) => (typeof data === "string" ? lib.TE.encode(data).length : (data?.length ?? 0));

/** The stream of bucket `name` (`KV_<name>`), and the bucket of a stream. */
const kvStream = (name) => (name.startsWith(KV_PREFIX) ? name : `${KV_PREFIX}${name}`);
const bucketOf = (stream) => (stream.startsWith(KV_PREFIX) ? stream.slice(KV_PREFIX.length) : stream);

/** nats.ws `js.views.kv(name, opts)`: binds to the bucket, creating it unless `bindOnly`. */
export async function kvBucket(js, name, opts = {}) {
  if (!serverAtLeast(js.nc, "2.6.2", false)) throw new Error("kv is only supported on servers 2.6.2 or better");
  validateBucket(name);
  const b = new Bucket(name, js);
  if (opts.bindOnly) b._bind(opts);
  else await b._init(opts);
  return b;
}

/** nats.ws `KV`: one bucket's keys and values. */
export class Bucket {
  constructor(bucket, js) {
    validateBucket(bucket);
    this.js = js;
    this.bucket = bucket;
    this.prefix = `$KV.${bucket}`;
    this.editPrefix = "";
    this.useJsPrefix = false;
    this.direct = false;
    /** The stream's `max_msg_size` when read at bind (-1: none, or not read). */
    this.maxValueSize = -1;
    this.stream = kvStream(bucket);
    this.codec = NoopKvCodecs();
    this.validateKey = validateKey;
    this.validateSearchKey = validateSearchKey;
    this.hasWildcards = hasWildcards;
  }
  get _streams() {
    return this.js.streamAPI;
  }
  /** `bindOnly`: nothing is looked up, the options say what the bucket is. */
  _bind(opts) {
    this.stream = opts.streamName ?? kvStream(this.bucket);
    this.codec = opts.codec || NoopKvCodecs();
    this.direct = opts.allow_direct ?? false;
    this._prefixes({ config: { name: this.stream, allow_direct: opts.allow_direct } });
  }
  /** The bucket's stream: read if it exists, else made from `opts` with nats.ws's defaults. */
  async _init(opts) {
    const bo = { replicas: 1, history: 1, max_bytes: -1, maxValueSize: -1, codec: NoopKvCodecs(), storage: StorageType.File, ...opts };
    this.codec = bo.codec;
    const sc = { name: opts.streamName ?? kvStream(this.bucket), retention: RetentionPolicy.Limits, max_msgs_per_subject: bo.history };
    this.stream = sc.name;
    if (bo.maxBucketSize) bo.max_bytes = bo.maxBucketSize;
    if (bo.max_bytes) sc.max_bytes = bo.max_bytes;
    sc.max_msg_size = bo.maxValueSize;
    sc.storage = bo.storage;
    const placement = opts.placementCluster ? { cluster: opts.placementCluster, tags: [] } : opts.placement;
    if (placement) sc.placement = placement;
    if (opts.republish) sc.republish = opts.republish;
    if (opts.description) sc.description = opts.description;
    if (opts.mirror) {
      sc.mirror = { ...opts.mirror, name: kvStream(opts.mirror.name) };
      sc.mirror_direct = true;
    } else {
      if (opts.sources) {
        sc.sources = opts.sources.map((s) => {
          const c = { ...s, name: kvStream(s.name) };
          const from = bucketOf(s.name);
          if (!s.external && from !== this.bucket) {
            c.subject_transforms = [{ src: `$KV.${from}.>`, dest: `$KV.${this.bucket}.>` }];
          }
          return c;
        });
      }
      sc.subjects = [`${this.prefix}.>`];
    }
    if (opts.metadata) sc.metadata = opts.metadata;
    if (typeof opts.compression === "boolean") sc.compression = opts.compression ? StoreCompression.S2 : StoreCompression.None;
    const nc = this.js.nc;
    sc.discard = serverAtLeast(nc, "2.7.2", false) ? DiscardPolicy.New : DiscardPolicy.Old;
    const canDirect = serverAtLeast(nc, "2.9.0", false);
    if (!canDirect && opts.allow_direct === true) {
      const v = nc.getServerVersion();
      const have = v ? `${v.major}.${v.minor}.${v.micro}` : "unknown";
      throw new Error(`allow_direct is not available on server version ${have} - requires 2.9.0`);
    }
    // Asked for, or what the server can do; an existing stream's own setting rules below.
    sc.allow_direct = this.direct = typeof opts.allow_direct === "boolean" ? opts.allow_direct : canDirect;
    sc.num_replicas = bo.replicas;
    if (bo.ttl) sc.max_age = lib.nanos(bo.ttl);
    sc.allow_rollup_hdrs = true;
    let info;
    try {
      info = await this._streams.info(sc.name);
      if (!info.config.allow_direct) this.direct = false;
    } catch (err) {
      if (err.message !== "stream not found") throw err;
      info = await this._streams.add(sc);
    }
    this.maxValueSize = info.config.max_msg_size ?? -1;
    this._prefixes(info);
  }
  /** Where keys are read and written: a mirror's writes go to its origin's subjects. */
  _prefixes(info) {
    this.prefix = `$KV.${this.bucket}`;
    this.useJsPrefix = this.js.api.prefix !== "$JS.API";
    const mirror = info.config.mirror;
    if (!mirror) return;
    const origin = bucketOf(mirror.name);
    if (mirror.external && mirror.external.api !== "") {
      this.useJsPrefix = false;
      this.prefix = `$KV.${origin}`;
      this.editPrefix = `${mirror.external.api}.$KV.${origin}`;
    } else {
      this.editPrefix = this.prefix;
    }
  }
  bucketName() {
    return this.stream ?? kvStream(this.bucket);
  }
  /** The subject a key is read at, or (`edit`) written to. */
  subjectForKey(k, edit = false) {
    const parts = [];
    if (edit) {
      if (this.useJsPrefix) parts.push(this.js.api.prefix);
      parts.push(this.editPrefix !== "" ? this.editPrefix : this.prefix);
    } else if (this.prefix) {
      parts.push(this.prefix);
    }
    parts.push(k);
    return parts.join(".");
  }
  fullKeyName(k) {
    return this.prefix !== "" ? `${this.prefix}.${k}` : `$KV.${this.bucket}.${k}`;
  }
  get prefixLen() {
    return this.prefix.length + 1;
  }
  /** A key through the key codec, token by token (wildcards stay). */
  encodeKey(key) {
    if (this.codec.key === SAME) return key;
    return key.split(".").map((t) => (t === ">" || t === "*" ? t : this.codec.key.encode(t))).join(".");
  }
  /** A key from the codec's form (once per watched entry: the usual codec costs nothing). */
  decodeKey(ekey) {
    if (this.codec.key === SAME) return ekey;
    return ekey.split(".").map((t) => (t === ">" || t === "*" ? t : this.codec.key.decode(t))).join(".");
  }
  close() {
    return Promise.resolve();
  }
  /** Creates `k`: fails if it holds a value (a deleted or purged key may be created again). */
  async create(k, data) {
    let first;
    try {
      return await this.put(k, data, { previousSeq: 0 });
    } catch (err) {
      if (err?.api_error?.err_code !== 10071) throw err;
      first = err;
    }
    const e = await this.get(k);
    if (e?.operation === "DEL" || e?.operation === "PURGE") return this.update(k, data, e.revision);
    throw first;
  }
  /** Puts `data` at `k` if its last revision is `version`. Throws at once on `version` ≤ 0. */
  update(k, data, version) {
    if (version <= 0) throw refused("version must be greater than 0", "INVALID_OPTION");
    return this.put(k, data, { previousSeq: version });
  }
  /** Puts `data` at `k` (`previousSeq`: only if that is the key's last revision): its revision. */
  async put(k, data, opts = {}) {
    const ek = this.encodeKey(k);
    this.validateKey(ek);
    if (this.maxValueSize >= 0 && byteLength(data) > this.maxValueSize) throw tooLarge();
    const o = {};
    if (opts.previousSeq !== undefined) {
      o.headers = lib.headers();
      o.headers.set(EXPECTED_LAST_SUBJECT_SEQ, `${opts.previousSeq}`);
    }
    try {
      return (await this.js.publish(this.subjectForKey(ek, true), data, o)).seq;
    } catch (err) {
      // As nats.ws: the server's description and status code, as they are.
      if (err.api_error) {
        err.message = err.api_error.description;
        err.code = `${err.api_error.code}`;
      }
      throw err;
    }
  }
  /** The key's entry (last, or at `revision`), or null if it never had one. */
  async get(k, opts) {
    const ek = this.encodeKey(k);
    this.validateKey(ek);
    const query = opts?.revision > 0 ? { seq: opts.revision } : { last_by_subj: this.subjectForKey(ek) };
    try {
      const sm = this.direct
        ? await this.js.direct.getMessage(this.bucketName(), query)
        : await this._streams.getMessage(this.bucketName(), query);
      const e = new StoredEntry(this.bucket, this.prefixLen, sm);
      return e.key === ek ? e : null;
    } catch (err) {
      if (err.code === "404") return null;
      throw err;
    }
  }
  purge(k, opts) {
    return this._deleteOrPurge(k, "PURGE", opts);
  }
  delete(k, opts) {
    return this._deleteOrPurge(k, "DEL", opts);
  }
  /** nats.ws's deprecated name of `purge`. */
  remove(k) {
    return this.purge(k);
  }
  /** Each key that `k` matches, in batches of 100 at a time. */
  async _deleteOrPurge(k, op, opts) {
    if (!this.hasWildcards(k)) return this._mark(k, op, opts);
    const batch = [];
    for await (const key of await this.keys(k)) {
      batch.push(this._mark(key, op));
      if (batch.length === 100) await Promise.all(batch.splice(0));
    }
    await Promise.all(batch);
  }
  /** Writes the delete or purge marker of `k` (a purge also rolls up the key's history). */
  async _mark(k, op, opts) {
    const ek = this.encodeKey(k);
    this.validateKey(ek);
    const h = lib.headers();
    h.set(OPERATION, op);
    if (op === "PURGE") h.set(JsHeaders.RollupHdr, JsHeaders.RollupValueSubject);
    if (opts?.previousSeq) h.set(EXPECTED_LAST_SUBJECT_SEQ, `${opts.previousSeq}`);
    await this.js.publish(this.subjectForKey(ek, true), lib.Empty, { headers: h });
  }
  /**
   * Removes the markers of deleted keys: those older than `olderMillis` (default 30 minutes)
   * entirely, the others but the marker itself.
   */
  async purgeDeletes(olderMillis = 30 * 60 * 1000) {
    const markers = [];
    let resolve;
    const ready = new Promise((r) => (resolve = r));
    const w = await this.watch({ key: ">", initializedFn: resolve });
    (async () => {
      for await (const e of w) if (e.operation === "DEL" || e.operation === "PURGE") markers.push(e);
    })();
    await ready;
    w.stop();
    const min = Date.now() - olderMillis;
    const purged = await Promise.all(markers.map((e) =>
      this._streams.purge(this.stream, { filter: this.subjectForKey(e.key), keep: e.created.getTime() >= min ? 1 : 0 })));
    return { success: true, purged: purged.reduce((n, p) => n + p.purged, 0) };
  }
  /** The ordered push consumer's config for the key filter(s) `k` and what to include. */
  _consumerConfig(k, include, extra = {}) {
    const keys = Array.isArray(k) ? k : [k];
    const subjects = keys.map((key) => {
      const ek = this.encodeKey(key);
      this.validateSearchKey(key);
      return this.fullKeyName(ek);
    });
    const P = DeliverPolicy;
    const deliver_policy = include === KvWatchInclude.AllHistory ? P.All : include === KvWatchInclude.UpdatesOnly ? P.New : P.LastPerSubject;
    return {
      deliver_policy,
      ack_policy: AckPolicy.None,
      filter_subjects: subjects.length === 1 ? undefined : subjects,
      filter_subject: subjects.length === 1 ? subjects[0] : undefined,
      flow_control: true,
      idle_heartbeat: lib.nanos(5000),
      ...extra,
    };
  }
  /**
   * The entries an ordered push consumer of `cc` delivers, into an iterator; `done` (once
   * what existed when it started has been delivered) is queued in it, to run when the
   * application reaches it. `skip` leaves entries out.
   */
  async _entries(cc, { done, skip, name, startSeq }) {
    const iter = entriesIterator(done !== undefined);
    const config = { ...cc };
    if (name) config.name = name;
    if (startSeq > 0) Object.assign(config, { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: startSeq });
    let expect = 0;
    const mark = () => {
      iter.push(done);
      done = undefined;
    };
    const arrived = (jm) => {
      if (done && ((expect > 0 && iter.received >= expect) || jm.info.pending === 0)) mark();
    };
    const callback = (err, jm) => {
      if (err) return iter.stop(err);
      if (!jm) return;
      const e = new WatchEntry(this, jm);
      // A skipped entry may still be the last of the initial ones (nats.ws then never
      // calls `initializedFn`).
      if (!skip?.(e)) {
        iter.push(e);
        iter.received++;
      }
      arrived(jm);
    };
    const sub = await this.js.subscribe(cc.filter_subject, orderedPush(this.stream, config, callback));
    if (done) {
      const last = sub.info.last;
      expect = last.num_pending + last.delivered.consumer_seq;
      if (expect === 0 || iter.received >= expect) mark();
    }
    iter._data = sub;
    iter.iterClosed.then(() => sub.unsubscribe());
    sub._messages.closed().then((err) => iter.stop(err));
    return iter;
  }
  /** Every revision of the keys `opts.key` matches (default all), then the iterator ends. */
  history(opts = {}) {
    const cc = this._consumerConfig(opts.key ?? ">", KvWatchInclude.AllHistory, { headers_only: opts.headers_only || false });
    let iter;
    return this._entries(cc, { done: () => iter.stop() }).then((i) => (iter = i));
  }
  /**
   * The keys `opts.key` matches (default all), their current values first (or all history,
   * or only updates: `include`), then every change as it happens; `initializedFn` runs once
   * the first part has been read.
   */
  watch(opts = {}) {
    const include = opts.include === KvWatchInclude.AllHistory || opts.include === KvWatchInclude.UpdatesOnly ? opts.include : KvWatchInclude.LastValue;
    const cc = this._consumerConfig(opts.key ?? ">", include, { headers_only: opts.headers_only || false });
    const init = opts.initializedFn;
    return this._entries(cc, {
      done: typeof init === "function" ? () => init() : undefined,
      skip: opts.ignoreDeletes === true ? (e) => e.operation === "DEL" : null,
      name: serverAtLeast(this.js.nc, "2.9.0", false) ? lib.nuid.next() : undefined,
      startSeq: opts.resumeFromRevision,
    });
  }
  /** The keys with a value that `k` matches (default all), as an iterator. */
  async keys(k = ">") {
    const keys = new lib.QueuedIterator();
    const cc = this._consumerConfig(k, KvWatchInclude.LastValue, { headers_only: true });
    const sub = await this.js.subscribe(Array.isArray(k) ? ">" : cc.filter_subject, orderedPush(this.stream, cc));
    (async () => {
      for await (const jm of sub) {
        const op = jm.headers?.get(OPERATION);
        if (op !== "DEL" && op !== "PURGE") keys.push(this.decodeKey(jm.subject.substring(this.prefixLen)));
        if (jm.info.pending === 0) sub.unsubscribe();
      }
    })().then(() => keys.stop(), (err) => keys.stop(err));
    if (sub.info.last.num_pending === 0) sub.unsubscribe();
    return keys;
  }
  purgeBucket(opts) {
    return this._streams.purge(this.bucketName(), opts);
  }
  /** Deletes the bucket (its stream) and every value in it. */
  destroy() {
    return this._streams.delete(this.bucketName());
  }
  async status() {
    const cluster = this.js.nc.info?.cluster ?? "";
    return new KvStatus(await this._streams.info(this.bucketName()), cluster);
  }
}

/**
 * The iterator of watches and histories: with `marked`, a function queued in it (the end of
 * the initial values) runs when the application's reading reaches it, and is not yielded;
 * from then on (and without `marked`) it is the plain iterator. (The main module's iterator
 * class is handed over at install, after this module loaded: hence an instance's `_next`
 * rather than a subclass.)
 */
function entriesIterator(marked) {
  const it = new lib.QueuedIterator();
  if (!marked) return it;
  const next = it._next;
  it._next = () =>
    next.call(it).then((r) => {
      if (typeof r.value !== "function") return r;
      it.processed--;
      it._next = next;
      try {
        r.value();
      } catch (err) {
        it.stop(err);
      }
      return it._next();
    });
  return it;
}

/** The size a message stood for: its `Nats-Msg-Size` (headers-only reads), else its data's. */
function entryLength(headers, data) {
  const size = headers?.get(JsHeaders.MessageSizeHdr) || "";
  return size !== "" ? parseInt(size, 10) : data.length;
}

/** nats.ws `KvEntry` of a get (a stored or direct-get message). */
class StoredEntry {
  constructor(bucket, prefixLen, sm) {
    this.bucket = bucket;
    this.prefixLen = prefixLen;
    this.sm = sm;
  }
  get key() {
    return this.sm.subject.substring(this.prefixLen);
  }
  get value() {
    return this.sm.data;
  }
  get delta() {
    return 0;
  }
  get created() {
    return this.sm.time;
  }
  get revision() {
    return this.sm.seq;
  }
  get operation() {
    return this.sm.header.get(OPERATION) || "PUT";
  }
  get length() {
    return entryLength(this.sm.header, this.sm.data);
  }
  json() {
    return this.sm.json();
  }
  string() {
    return this.sm.string();
  }
}

/** nats.ws `KvEntry` of a watch or history (a consumer's message). */
class WatchEntry {
  constructor(kv, jm) {
    this.bucket = kv.bucket;
    this.key = kv.decodeKey(jm.subject.substring(kv.prefixLen));
    this.sm = jm;
  }
  get value() {
    return this.sm.data;
  }
  get created() {
    return new Date(lib.millis(this.sm.info.timestampNanos));
  }
  get revision() {
    return this.sm.seq;
  }
  get operation() {
    return this.sm.headers?.get(OPERATION) || "PUT";
  }
  get delta() {
    return this.sm.info.pending;
  }
  get length() {
    return entryLength(this.sm.headers, this.sm.data);
  }
  json() {
    return this.sm.json();
  }
  string() {
    return this.sm.string();
  }
}
