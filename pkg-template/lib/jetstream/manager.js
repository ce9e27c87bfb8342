// The JetStream manager nats.ws's `nc.jetstreamManager(opts)` returns: streams, consumers and
// the account, each call one API request (see api.js), its names checked before it is sent.
import { lib } from "../shared.js";
import { ApiClient, Lister, checkAPI, serverAtLeast } from "./api.js";
import { getConsumer, pullConsumerFor } from "./consumer.js";
import { Direct } from "./direct.js";
import { KvStatus } from "./kvstatus.js";
import { ObjectStoreStatus } from "./osstatus.js";
import {
  validateConfig,
  validateConsumerName,
  validateDurableName,
  validateStreamName,
} from "./validate.js";

/**
 * nats.ws `nc.jetstreamManager(opts)`: resolves to the manager once `<prefix>.INFO` has
 * answered (skipped with `checkAPI: false`); rejects with code "503" when JetStream does not.
 */
export async function jetstreamManager(nc, opts = {}) {
  const jsm = new JetStreamManager(nc, opts);
  if (opts.checkAPI !== false) await checkAPI(jsm.api);
  return jsm;
}

/** Manages a JetStream account: `streams`, `consumers`, account info, advisories. */
export class JetStreamManager {
  constructor(nc, opts) {
    this.api = new ApiClient(nc, opts);
    this.streams = new Streams(this.api);
    this.consumers = new Consumers(this.api);
    this.direct = new Direct(this.api);
  }

  /** The account's JetStream usage and limits (`<prefix>.INFO`). */
  getAccountInfo() {
    return this.api.request("INFO");
  }

  /** The connection this manager uses. */
  getConnection() {
    return this.api.nc;
  }

  /** The options this manager was made with (the domain turned into `apiPrefix`). */
  getOptions() {
    return this.api.getOptions();
  }

  /** A JetStream client with this manager's options. */
  jetstream() {
    return this.api.nc.jetstream(this.getOptions());
  }

  /**
   * An iterator of the server's advisories (`$JS.EVENT.ADVISORY.>`) as `{kind, data}`, `kind`
   * being the last token of the advisory's type (see `AdvisoryKind`).
   */
  advisories() {
    const iter = new lib.QueuedIterator();
    this.api.nc.subscribe("$JS.EVENT.ADVISORY.>", {
      callback: (err, msg) => {
        try {
          if (err) throw err;
          const data = this.api.parse(msg);
          iter.push({ kind: data.type.split(".").pop(), data });
        } catch (e) {
          iter.stop(e);
        }
      },
    });
    return iter;
  }
}

/** nats.ws `StreamAPI`: streams and their messages, by name. */
export class Streams {
  constructor(api) {
    this.api = api;
  }

  /** Creates a stream (`STREAM.CREATE.<name>`); resolves to its info. */
  async add(cfg = {}) {
    validateConfig("stream", cfg);
    checkStreamFeatures(this.api.nc, cfg);
    validateStreamName(cfg.name);
    return fixInfo(await this.api.request(`STREAM.CREATE.${cfg.name}`, withSourceDomains(cfg)));
  }

  /** Changes a stream: its current config with `cfg`'s fields over it (`STREAM.UPDATE.<name>`). */
  async update(name, cfg = {}) {
    // nats.ws's older form, update(config), is still accepted.
    if (typeof name === "object" && name !== null) [name, cfg] = [name.name, name];
    validateConfig("stream", cfg);
    checkStreamFeatures(this.api.nc, cfg);
    validateStreamName(name);
    const old = await this.info(name);
    const config = withSourceDomains(Object.assign(old.config, cfg));
    return fixInfo(await this.api.request(`STREAM.UPDATE.${name}`, config));
  }

  /**
   * A stream's info (`STREAM.INFO.<name>`). With `subjects_filter`, the server pages the
   * subjects: the pages are fetched and merged, and the paging fields set to 0.
   */
  async info(name, opts) {
    validateStreamName(name);
    const op = `STREAM.INFO.${name}`;
    let si = await this.api.request(op, opts);
    let { total, limit } = si;
    let have = si.state.subjects ? Object.keys(si.state.subjects).length : 1;
    if (total && total > have) {
      const subjects = { ...si.state.subjects };
      const paged = { ...opts };
      for (let page = 1; total > have; page++) {
        paged.offset = limit * page;
        si = await this.api.request(op, paged);
        total = si.total;
        const got = si.state.subjects || {};
        Object.assign(subjects, got);
        const count = Object.keys(got).length;
        have += count;
        if (count === 0 || count < limit) break;
      }
      Object.assign(si, { offset: 0, total: 0, limit: 0 });
      si.state.subjects = subjects;
    }
    return fixInfo(si);
  }

  /** A lister of stream infos (`STREAM.LIST`), only those with `subject` if given. */
  list(subject = "") {
    return new Lister(this.api, "STREAM.LIST", (r) => r.streams.map(fixInfo), subject ? { subject } : {});
  }

  /** A lister of the KV buckets' statuses (the streams named `KV_*`). */
  listKvs() {
    const cluster = () => this.api.nc.info?.cluster ?? "";
    return new Lister(this.api, "STREAM.LIST", (r) =>
      r.streams.filter((si) => si.config.name.startsWith("KV_")).map((si) => new KvStatus(fixInfo(si), cluster())));
  }

  /** A lister of the object stores' statuses (the streams named `OBJ_*`). */
  listObjectStores() {
    return new Lister(this.api, "STREAM.LIST", (r) =>
      r.streams.filter((si) => si.config.name.startsWith("OBJ_")).map((si) => new ObjectStoreStatus(fixInfo(si))));
  }

  /** A lister of stream names (`STREAM.NAMES`), only those with `subject` if given. */
  names(subject = "") {
    return new Lister(this.api, "STREAM.NAMES", (r) => r.streams, subject ? { subject } : {});
  }

  /** Deletes a stream (`STREAM.DELETE.<name>`); resolves to the server's `success`. */
  async delete(name) {
    validateStreamName(name);
    return (await this.api.request(`STREAM.DELETE.${name}`)).success;
  }

  /** Purges a stream, all or as `{filter, seq | keep}` says (`STREAM.PURGE.<name>`). */
  async purge(name, opts) {
    if (typeof opts?.keep === "number" && typeof opts?.seq === "number") {
      throw new Error("can specify one of keep or seq");
    }
    validateStreamName(name);
    return this.api.request(`STREAM.PURGE.${name}`, opts);
  }

  /** Deletes a message; `erase` (default) overwrites its bytes (`STREAM.MSG.DELETE.<name>`). */
  async deleteMessage(stream, seq, erase = true) {
    validateStreamName(stream);
    const body = erase ? { seq } : { seq, no_erase: true };
    return (await this.api.request(`STREAM.MSG.DELETE.${stream}`, body)).success;
  }

  /** A stored message by `{seq}`, `{last_by_subj}` or `{next_by_subj, seq}` (`STREAM.MSG.GET`). */
  async getMessage(stream, query) {
    validateStreamName(stream);
    return new StoredMsg(await this.api.request(`STREAM.MSG.GET.${stream}`, query));
  }

  /** The name of the one stream whose subjects include `subject`. */
  find(subject) {
    return this.api.findStream(subject);
  }

  /** A `Stream` handle, after reading the stream's info (so a missing stream rejects). */
  async get(name) {
    return new Stream(this, await this.info(name));
  }
}

/** nats.ws `Stream`: one stream's handle, with its last-read info. */
export class Stream {
  constructor(streams, info) {
    this.api = streams;
    this._info = info;
  }

  get name() {
    return this._info.config.name;
  }

  /** The stream's info: the one held (`cached`) or read again. */
  async info(cached = false, opts) {
    if (!cached) this._info = await this.api.info(this.name, opts);
    return this._info;
  }

  /** The stream's alternates (mirrors), read afresh. */
  async alternates() {
    return (await this.info()).alternates || [];
  }

  /** The first alternate's handle if the stream has any, else this one. */
  async best() {
    const si = await this.info();
    return si.alternates ? new Stream(this.api, await this.api.info(si.alternates[0].name)) : this;
  }

  /** See `Streams.getMessage`. */
  getMessage(query) {
    return this.api.getMessage(this.name, query);
  }

  /** See `Streams.deleteMessage`. */
  deleteMessage(seq, erase) {
    return this.api.deleteMessage(this.name, seq, erase);
  }

  /** A consumer of this stream, as `js.consumers.get(stream, name | opts)` gives it. */
  getConsumer(name) {
    return getConsumer(new Consumers(this.api.api), this.api, this.name, name);
  }

  /** A pull consumer for one of this stream's consumer infos. */
  getConsumerFromInfo(ci) {
    return pullConsumerFor(new Consumers(this.api.api), ci);
  }
}

/** nats.ws `ConsumerAPI`: a stream's consumers. */
export class Consumers {
  constructor(api) {
    this.api = api;
  }

  /**
   * Creates (or, with `action` "update", updates) a consumer. A named or durable consumer
   * goes to `CONSUMER.CREATE.<stream>.<name>[.<literal filter>]`; with `filter_subjects` (or an
   * old server) to `CONSUMER.DURABLE.CREATE.<stream>.<durable>` or `CONSUMER.CREATE.<stream>`.
   */
  async add(stream, cfg, action = "create") {
    validateStreamName(stream);
    validateConfig("consumer", cfg);
    if (cfg.deliver_group && cfg.flow_control) {
      throw new Error("jetstream flow control is not supported with queue groups");
    }
    if (cfg.deliver_group && cfg.idle_heartbeat) {
      throw new Error("jetstream idle heartbeat is not supported with queue groups");
    }
    if (cfg.durable_name) validateDurableName(cfg.durable_name);
    const nc = this.api.nc;
    let newApi = serverAtLeast(nc, "2.9.0");
    if (cfg.name) {
      if (!newApi) throw new Error("consumer 'name' requires server 2.9.0");
      validateConsumerName(cfg.name);
    }
    if (Array.isArray(cfg.filter_subjects)) {
      requireServer(nc, "2.10.0", "consumer 'filter_subjects'");
      newApi = false;
    }
    if (cfg.metadata) requireServer(nc, "2.10.0", "consumer 'metadata'");
    const name = newApi ? cfg.name ?? cfg.durable_name ?? "" : "";
    let op;
    if (name !== "") {
      // The filter, when there is one, ends the subject (for permissions), unless it has
      // wildcards: nats.ws sends those too, but a subject published to has none here (the
      // server reads the filter from the config either way).
      const fs = cfg.filter_subject;
      const literal = fs && !fs.split(".").some((t) => t === "*" || t === ">");
      op = `CONSUMER.CREATE.${stream}.${name}${literal ? `.${fs}` : ""}`;
    } else {
      op = cfg.durable_name ? `CONSUMER.DURABLE.CREATE.${stream}.${cfg.durable_name}` : `CONSUMER.CREATE.${stream}`;
    }
    return this.api.request(op, { config: cfg, stream_name: stream, action });
  }

  /** Changes a consumer: its current config with `cfg`'s fields over it. */
  async update(stream, durable, cfg) {
    const ci = await this.info(stream, durable);
    return this.add(stream, Object.assign(ci.config, cfg), "update");
  }

  /** A consumer's info (`CONSUMER.INFO.<stream>.<name>`). */
  async info(stream, name) {
    validateStreamName(stream);
    validateDurableName(name);
    return this.api.request(`CONSUMER.INFO.${stream}.${name}`);
  }

  /** Deletes a consumer (`CONSUMER.DELETE.<stream>.<name>`); resolves to `success`. */
  async delete(stream, name) {
    validateStreamName(stream);
    validateDurableName(name);
    return (await this.api.request(`CONSUMER.DELETE.${stream}.${name}`)).success;
  }

  /** A lister of the stream's consumer infos (`CONSUMER.LIST.<stream>`). */
  list(stream) {
    validateStreamName(stream);
    return new Lister(this.api, `CONSUMER.LIST.${stream}`, (r) => r.consumers);
  }

  /** Pauses a consumer until `until` (a Date; server 2.11+) (`CONSUMER.PAUSE.<stream>.<name>`). */
  pause(stream, name, until) {
    return this.api.request(`CONSUMER.PAUSE.${stream}.${name}`, { pause_until: until.toISOString() });
  }

  /** Resumes a paused consumer. */
  resume(stream, name) {
    return this.pause(stream, name, new Date(0));
  }
}

/**
 * nats.ws `StoredMsg`: a message read with `getMessage`. The server sends its payload and
 * header block in base64; they are decoded when first read.
 */
export class StoredMsg {
  constructor(reply) {
    this.smr = reply;
  }

  get subject() {
    return this.smr.message.subject;
  }

  get seq() {
    return this.smr.message.seq;
  }

  /** The server's ISO time text. */
  get timestamp() {
    return this.smr.message.time;
  }

  get time() {
    return new Date(Date.parse(this.timestamp));
  }

  get data() {
    const b64 = this.smr.message.data;
    return (this._data ??= b64 ? fromBase64(b64) : lib.Empty);
  }

  /** The message's headers (empty when it had none). */
  get header() {
    const b64 = this.smr.message.hdrs;
    return (this._header ??= b64 ? lib.MsgHdrsImpl.decode(fromBase64(b64)) : lib.headers());
  }

  json(reviver) {
    return lib.JSONCodec(reviver).decode(this.data);
  }

  string() {
    return lib.TD.decode(this.data);
  }
}

function fromBase64(text) {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

/** nats.ws fills in these flags when the server leaves them out. */
function fixInfo(si) {
  const c = si.config;
  c.sealed ||= false;
  c.deny_delete ||= false;
  c.deny_purge ||= false;
  c.allow_rollup_hdrs ||= false;
  return si;
}

/** Whether the server is at least `min` ("2.10.0"); an unknown version counts as recent. */
function requireServer(nc, min, what) {
  if (!serverAtLeast(nc, min)) throw new Error(`${what} requires server ${min}`);
}

// Stream fields a server before 2.10 does not know: nats.ws refuses them rather than have
// the server drop them silently.
const STREAM_2_10 = ["metadata", "first_seq", "subject_transform", "compression", "consumer_limits"];

function checkStreamFeatures(nc, cfg) {
  for (const k of STREAM_2_10) if (cfg[k]) requireServer(nc, "2.10.0", `stream '${k}'`);
  const source = (context, s) => {
    if (s?.subject_transforms?.length) requireServer(nc, "2.10.0", `${context} 'subject_transforms'`);
  };
  cfg.sources?.forEach((s) => source("stream sources", s));
  source("stream mirror", cfg.mirror);
}

/** A source's or mirror's `domain` as the server reads it: `external.api` `$JS.<domain>.API`. */
function sourceDomain(s) {
  if (s?.domain === undefined) return s;
  const { domain, ...copy } = s;
  if (domain === "") return copy;
  if (copy.external) throw new Error("domain and external are both set");
  copy.external = { api: `$JS.${domain}.API` };
  return copy;
}

function withSourceDomains(cfg) {
  return { ...cfg, mirror: sourceDomain(cfg.mirror), sources: cfg.sources?.map(sourceDomain) };
}
