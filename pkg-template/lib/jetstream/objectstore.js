// Object stores of nats.ws 1.x (`js.views.os(bucket, opts)`), the object store chunk
// (pkg/objectstore.js). A bucket is the stream `OBJ_<bucket>`; an object is its chunks, on
// `$O.<bucket>.C.<nuid>`, and its info (JSON), the last message on
// `$O.<bucket>.M.<base64url(name)>`. A put streams the data in chunks of at most
// `max_chunk_size` (128 KiB), a few in flight at a time, hashing as it goes (SHA-256 by
// @noble/hashes: WebCrypto cannot hash a stream); a get streams the chunks back through an
// ordered push consumer (the loaded JetStream client's `subscribe`) and checks the digest at
// the end. Neither holds the object whole.
import { sha256 } from "@noble/hashes/sha2.js";
import { DeliverPolicy, DiscardPolicy, JsHeaders, StoreCompression } from "./enums.js";
import { serverAtLeast } from "./api.js";
import { orderedPush } from "./options.js";
import { ObjectStoreStatus } from "./osstatus.js";
import { refused, validateBucket } from "./validate.js";
import { lib } from "../shared.js";

export { ObjectStoreStatus };

const OS_PREFIX = "OBJ_";
const DIGEST_TYPE = "SHA-256=";
const CHUNK = 128 * 1024;
/** Chunks being published at once: enough to keep the link busy, few enough to bound memory. */
const IN_FLIGHT = 4;

/**
 * Base64url with its padding, as nats.ws names meta subjects and writes digests. Text is
 * encoded as nats.ws's `btoa` does, one byte per character, so that the two name objects
 * alike; text beyond Latin-1 (which nats.ws refuses) as its UTF-8 bytes.
 */
export function base64UrlPadded(data) {
  let bin = "";
  if (typeof data === "string" && /^[\0-\xff]*$/.test(data)) {
    bin = data;
  } else {
    const bytes = typeof data === "string" ? lib.TE.encode(data) : data;
    for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_");
}

/** A digest's bytes from hex or base64 (url or standard), as nats.ws reads them; null if neither. */
export function parseDigest(s) {
  if (/^[0-9A-F]+$|^[0-9a-f]+$/.test(s) && s.length % 2 === 0) {
    return Uint8Array.from(s.match(/../g), (h) => parseInt(h, 16));
  }
  if (!/^[A-Za-z0-9\-_]*(={0,2})?$/.test(s) && !/^[A-Za-z0-9+/]*(={0,2})?$/.test(s)) return null;
  try {
    return Uint8Array.from(atob(s.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}

const sameBytes = (a, b) => a.length === b.length && a.every((v, i) => v === b[i]);

/** The stream of bucket `name`, checked as a bucket name. */
function streamOf(name) {
  validateBucket(name);
  return `${OS_PREFIX}${name}`;
}


/** nats.ws `ObjectInfo`: an object's info as stored, with its revision. */
class ObjectInfo {
  constructor(oi) {
    this.info = oi;
  }
  get name() {
    return this.info.name;
  }
  get description() {
    return this.info.description ?? "";
  }
  get headers() {
    return (this.hdrs ??= lib.MsgHdrsImpl.fromRecord(this.info.headers || {}));
  }
  get options() {
    return this.info.options;
  }
  get bucket() {
    return this.info.bucket;
  }
  get chunks() {
    return this.info.chunks;
  }
  get deleted() {
    return this.info.deleted ?? false;
  }
  get digest() {
    return this.info.digest;
  }
  get mtime() {
    return this.info.mtime;
  }
  get nuid() {
    return this.info.nuid;
  }
  get size() {
    return this.info.size;
  }
  get revision() {
    return this.info.revision;
  }
  get metadata() {
    return this.info.metadata || {};
  }
  isLink() {
    return this.info.options?.link !== undefined && this.info.options?.link !== null;
  }
}

/** The stored form of `meta`: its name, description, options, metadata and headers. */
function storedMeta(meta) {
  const v = { name: meta.name, description: meta.description ?? "", options: meta.options, metadata: meta.metadata };
  if (meta.headers) v.headers = meta.headers.toRecord();
  return v;
}

/** "name cannot be empty" for an empty name. */
function checkName(name) {
  return !name || name.length === 0 ? refused("name cannot be empty", "INVALID_OPTION") : null;
}

/** nats.ws `js.views.os(name, opts)`: the bucket, created unless it exists. */
export async function objectStore(js, name, opts = {}) {
  if (typeof crypto?.subtle?.digest !== "function") {
    throw new Error("objectstore: unable to calculate hashes - crypto.subtle.digest with sha256 support is required");
  }
  if (!serverAtLeast(js.nc, "2.6.3", false)) {
    throw new Error("objectstore is only supported on servers 2.6.3 or better");
  }
  const os = new ObjectStore(name, js);
  await os._init(opts);
  return os;
}

/** nats.ws `ObjectStore`: one bucket's objects. */
export class ObjectStore {
  constructor(name, js) {
    this.name = name;
    this.js = js;
    this.stream = undefined;
  }
  get _streams() {
    return this.js.streamAPI;
  }
  /** The bucket's stream: read if it exists, else made from `opts`. */
  async _init(opts = {}) {
    this.stream = streamOf(this.name);
    const { ttl, ...rest } = opts;
    const sc = { max_age: ttl || 0, ...rest };
    sc.name = this.stream;
    sc.num_replicas = opts.replicas ?? 1;
    sc.allow_direct = true;
    sc.allow_rollup_hdrs = true;
    sc.discard = DiscardPolicy.New;
    sc.subjects = [`$O.${this.name}.C.>`, `$O.${this.name}.M.>`];
    if (opts.placement) sc.placement = opts.placement;
    if (opts.metadata) sc.metadata = opts.metadata;
    if (typeof opts.compression === "boolean") sc.compression = opts.compression ? StoreCompression.S2 : StoreCompression.None;
    try {
      await this._streams.info(sc.name);
    } catch (err) {
      if (err.message !== "stream not found") throw err;
      await this._streams.add(sc);
    }
  }
  _chunkSubject(id) {
    return `$O.${this.name}.C.${id}`;
  }
  _metaSubject(n) {
    return `$O.${this.name}.M.${base64UrlPadded(n)}`;
  }
  _metaSubjectAll() {
    return `$O.${this.name}.M.>`;
  }
  /** An object's stored info (with its revision), or null when there is none. */
  async rawInfo(name) {
    const err = checkName(name);
    if (err) throw err;
    try {
      const m = await this._streams.getMessage(this.stream, { last_by_subj: this._metaSubject(name) });
      const soi = m.json();
      soi.revision = m.seq;
      return soi;
    } catch (e) {
      if (e.code === "404") return null;
      throw e;
    }
  }
  async info(name) {
    const info = await this.rawInfo(name);
    return info ? new ObjectInfo(info) : null;
  }
  /** The infos of the objects there are (not deleted). */
  async list() {
    const out = [];
    for await (const info of await this.watch({ ignoreDeletes: true, includeHistory: true })) {
      if (info === null) break;
      out.push(info);
    }
    return out;
  }
  async _si(opts) {
    try {
      return await this._streams.info(this.stream, opts);
    } catch (err) {
      if (err.code === "404") return null;
      throw err;
    }
  }
  /** Seals the bucket: no more changes. */
  async seal() {
    const info = await this._si();
    if (info === null) throw new Error("object store not found");
    info.config.sealed = true;
    return new ObjectStoreStatus(await this._streams.update(this.stream, info.config));
  }
  async status(opts) {
    const info = await this._si(opts);
    if (info === null) throw new Error("object store not found");
    return new ObjectStoreStatus(info);
  }
  /** Deletes the bucket and every object in it. */
  destroy() {
    return this._streams.delete(this.stream);
  }
  /** Puts the object `meta` names with the data `rs` streams; its info once stored. */
  put(meta, rs, opts) {
    if (meta?.options?.link) return Promise.reject(new Error("link cannot be set when putting the object in bucket"));
    return this._put(meta, rs, opts);
  }
  putBlob(meta, data, opts) {
    const bytes = data === null ? new Uint8Array(0) : data;
    const rs = new ReadableStream({
      pull(controller) {
        controller.enqueue(bytes);
        controller.close();
      },
    });
    return this.put(meta, rs, opts);
  }
  async _put(meta, rs, opts) {
    const timeout = opts?.timeout || this.js.api.timeout;
    const previousRevision = opts?.previousRevision;
    const maxPayload = this.js.nc.info?.max_payload || 1024;
    meta = meta || {};
    meta.options = meta.options || {};
    const maxChunk = Math.min(meta.options.max_chunk_size || CHUNK, maxPayload);
    meta.options.max_chunk_size = maxChunk;
    const old = await this.info(meta.name);
    const nameErr = checkName(meta.name);
    if (nameErr) throw nameErr;
    const id = lib.nuid.next();
    const chunkSubject = this._chunkSubject(id);
    const info = { bucket: this.name, nuid: id, size: 0, chunks: 0, ...storedMeta(meta) };
    const sha = sha256.create();
    const inFlight = [];
    const send = async (payload) => {
      sha.update(payload);
      info.chunks++;
      info.size += payload.length;
      inFlight.push(this.js.publish(chunkSubject, payload, { timeout }));
      if (inFlight.length >= IN_FLIGHT) await inFlight.shift();
    };
    try {
      const reader = rs ? rs.getReader() : null;
      let buf = new Uint8Array(maxChunk);
      let fill = 0;
      for (;;) {
        const { done, value } = reader ? await reader.read() : { done: true, value: undefined };
        if (done) break;
        for (let at = 0; value && at < value.length;) {
          const n = Math.min(maxChunk - fill, value.length - at);
          buf.set(value.subarray(at, at + n), fill);
          fill += n;
          at += n;
          if (fill === maxChunk) {
            await send(buf);
            buf = new Uint8Array(maxChunk);
            fill = 0;
          }
        }
      }
      if (fill > 0) await send(buf.subarray(0, fill));
      await Promise.all(inFlight.splice(0));
      info.mtime = new Date().toISOString();
      info.digest = `${DIGEST_TYPE}${base64UrlPadded(sha.digest())}`;
      info.deleted = false;
      const h = lib.headers();
      h.set(JsHeaders.RollupHdr, JsHeaders.RollupValueSubject);
      const expect = { lastSubjectSequence: previousRevision };
      const pa = await this.js.publish(this._metaSubject(meta.name), lib.JSONCodec().encode(info), { headers: h, timeout, expect });
      info.revision = pa.seq;
    } catch (err) {
      await Promise.allSettled(inFlight);
      await this._streams.purge(this.stream, { filter: chunkSubject });
      throw err;
    }
    if (old) await this._streams.purge(this.stream, { filter: this._chunkSubject(old.nuid) }).catch(() => {});
    return new ObjectInfo(info);
  }
  /** The object's data, whole (null when there is none); rejects on a wrong digest. */
  async getBlob(name) {
    const r = await this.get(name);
    if (r === null) return null;
    const reader = r.data.getReader();
    const parts = [];
    let size = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      parts.push(value);
      size += value.length;
    }
    const err = await r.error;
    if (err) throw err;
    const out = new Uint8Array(size);
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }
  /**
   * The object (following links): `{ info, data, error }`, `data` a ReadableStream of its
   * chunks as they come, `error` resolving when it ends: with nothing (null for an empty
   * object: as nats.ws), or the error that ended it (a digest that does not match errors the
   * stream instead of closing it; nats.ws resolves with nothing then too). Null for none.
   */
  async get(name) {
    const info = await this.rawInfo(name);
    if (info === null || info.deleted) return null;
    if (info.options && info.options.link) {
      const ln = info.options.link.name || "";
      if (ln === "") throw new Error("link is a bucket");
      const os = info.options.link.bucket !== this.name ? await objectStore(this.js, info.options.link.bucket) : this;
      return os.get(ln);
    }
    if (!info.digest.startsWith(DIGEST_TYPE)) throw new Error(`unknown digest type: ${info.digest}`);
    const digest = parseDigest(info.digest.substring(DIGEST_TYPE.length));
    if (digest === null) throw new Error(`unable to parse digest: ${info.digest}`);
    let settle;
    const r = { info: new ObjectInfo(info), error: new Promise((resolve) => (settle = resolve)) };
    if (info.size === 0) {
      r.data = new ReadableStream({
        pull(c) {
          c.enqueue(new Uint8Array(0));
          c.close();
        },
      });
      settle(null);
      return r;
    }
    let controller;
    let canceled = false;
    r.data = new ReadableStream({
      start(c) {
        controller = c;
      },
      cancel() {
        canceled = true;
        sub.unsubscribe();
        settle();
      },
    });
    const sha = sha256.create();
    const subject = this._chunkSubject(info.nuid);
    const sub = await this.js.subscribe(subject, orderedPush(this.stream, { filter_subject: subject }));
    (async () => {
      for await (const jm of sub) {
        if (jm.data.length > 0) {
          sha.update(jm.data);
          controller.enqueue(jm.data);
        }
        if (jm.info.pending === 0) {
          sub.unsubscribe();
          const calculated = sha.digest();
          if (!sameBytes(digest, calculated)) {
            throw new Error(`received a corrupt object, digests do not match received: ${info.digest} calculated ${DIGEST_TYPE}${base64UrlPadded(calculated)}`);
          }
          controller.close();
          return settle();
        }
      }
      // The consumer ended before the last chunk (the connection closed): an error, never a
      // clean end of partial data (nats.ws leaves the stream open).
      if (!canceled) throw new Error("the object's data ended before it was complete");
    })().catch((err) => {
      controller.error(err);
      settle(err);
    });
    return r;
  }
  /** A link named `name` to the bucket `bucket` (an ObjectStore). */
  linkStore(name, bucket) {
    if (!(bucket instanceof ObjectStore)) return Promise.reject("bucket required");
    const err = checkName(name);
    if (err) return Promise.reject(err);
    return this._put({ name, options: { link: { bucket: bucket.name } } }, null);
  }
  /** A link named `name` to the object `info` describes (in any bucket). */
  async link(name, info) {
    const err = checkName(name);
    if (err) throw err;
    if (info.deleted) throw new Error("src object is deleted");
    if (info.isLink()) throw new Error("src object is a link");
    const dest = await this.rawInfo(name);
    if (dest !== null && !dest.deleted) throw new Error("an object already exists with that name");
    const link = { bucket: info.bucket, name: info.name };
    await this.js.publish(this._metaSubject(name), JSON.stringify({ name, bucket: info.bucket, options: { link } }));
    return this.info(name);
  }
  /** Marks the object deleted and purges its chunks (the purge's answer). */
  async delete(name) {
    const info = await this.rawInfo(name);
    if (info === null) return { purged: 0, success: false };
    Object.assign(info, { deleted: true, size: 0, chunks: 0, digest: "" });
    const h = lib.headers();
    h.set(JsHeaders.RollupHdr, JsHeaders.RollupValueSubject);
    await this.js.publish(this._metaSubject(info.name), lib.JSONCodec().encode(info), { headers: h });
    return this._streams.purge(this.stream, { filter: this._chunkSubject(info.nuid) });
  }
  /** Changes an object's info (a new name must be free): the PubAck of the new info. */
  async update(name, meta = {}) {
    const info = await this.rawInfo(name);
    if (info === null) throw new Error("object not found");
    if (info.deleted) throw new Error("cannot update meta for a deleted object");
    meta.name = meta.name ?? info.name;
    const err = checkName(meta.name);
    if (err) throw err;
    if (name !== meta.name) {
      const i = await this.info(meta.name);
      if (i && !i.deleted) throw new Error("an object already exists with that name");
    }
    const ii = { ...info, ...storedMeta(meta) };
    const ack = await this.js.publish(this._metaSubject(ii.name), JSON.stringify(ii));
    if (name !== meta.name) await this._streams.purge(this.stream, { filter: this._metaSubject(name) });
    return ack;
  }
  /**
   * The objects' infos as they change (`includeHistory`: the current ones first, then a null
   * once they have been given); `ignoreDeletes` leaves deletions out.
   */
  async watch(opts = {}) {
    const includeHistory = opts.includeHistory ?? false;
    const ignoreDeletes = opts.ignoreDeletes ?? false;
    let initialized = false;
    const qi = new lib.QueuedIterator();
    const subject = this._metaSubjectAll();
    try {
      await this._streams.getMessage(this.stream, { last_by_subj: subject });
    } catch (err) {
      if (err.code !== "404") throw err;
      qi.push(null);
      initialized = true;
    }
    if (!includeHistory) initialized = true;
    const deliver_policy = includeHistory ? DeliverPolicy.LastPerSubject : DeliverPolicy.New;
    const callback = (err, jm) => {
      if (err) return qi.stop(err);
      if (jm === null) return;
      const oi = jm.json();
      if (!(oi.deleted && ignoreDeletes)) qi.push(oi);
      if (jm.info.pending === 0 && !initialized) {
        initialized = true;
        qi.push(null);
      }
    };
    const sub = await this.js.subscribe(subject, orderedPush(this.stream, { deliver_policy, filter_subject: subject }, callback));
    qi._data = sub;
    qi.iterClosed.then(() => sub.unsubscribe());
    sub._messages.closed().then((err) => qi.stop(err));
    return qi;
  }
}
