// A NATS service (nats.ws `nc.services.add()`): endpoints are queue subscriptions whose
// requests a handler (or an iterator) answers, counted per endpoint; the service answers the
// discovery verbs PING, INFO and STATS on `$SRV.<verb>`, `$SRV.<verb>.<name>` and
// `$SRV.<verb>.<name>.<id>` with the JSON documents of the services protocol.
import { lib } from "../shared.js";
import { refused, validateName } from "../jetstream/validate.js";
import { ServiceApiPrefix, ServiceErrorCodeHeader, ServiceErrorHeader, ServiceResponseType, ServiceVerb } from "./protocol.js";

/** `$SRV.<verb>[.<name>[.<id>]]` (`prefix` instead of `$SRV`: tooling across accounts). */
export function controlSubject(verb, name = "", id = "", prefix) {
  const pre = prefix ?? ServiceApiPrefix;
  if (name === "" && id === "") return `${pre}.${verb}`;
  validateName("control subject name", name);
  if (id === "") return `${pre}.${verb}.${name}`;
  validateName("control subject id", id);
  return `${pre}.${verb}.${name}.${id}`;
}

/** nats.ws's semver check of a service's version: `'<v>' is not a semver value`. */
function checkVersion(v = "") {
  if (!/(\d+).(\d+).(\d+)/.test(v)) throw refused(`'${v}' is not a semver value`, "INVALID_OPTION");
}

/** An endpoint subject: not empty, no space, '>' only last. */
function checkSubject(context, subject) {
  if (subject === "") throw refused(`${context} cannot be empty`);
  if (subject.includes(" ")) throw refused(`${context} cannot contain spaces: '${subject}'`);
  const tokens = subject.split(".");
  if (tokens.some((t, i) => t === ">" && i !== tokens.length - 1)) throw refused(`${context} cannot have internal '>': '${subject}'`);
}

/** A group name: no space, no '>' at all. */
function checkGroupName(context, name) {
  if (name.includes(" ")) throw refused(`${context} cannot contain spaces: '${name}'`);
  if (name.split(".").includes(">")) throw refused(`${context} name cannot contain internal '>': '${name}'`);
}

/**
 * Whether `err` is a ServiceError (or of a class derived from it), known by its class's name:
 * the main module's class stays out of pages that never use services (each page has one).
 */
function isServiceError(err) {
  for (let p = err && Object.getPrototypeOf(err); p; p = Object.getPrototypeOf(p)) {
    if (p.constructor?.name === "ServiceError") return true;
  }
  return false;
}

/** nats.ws `ServiceMsg`: a request to an endpoint, with `respondError`. */
class ServiceMsg {
  constructor(msg) {
    this.msg = msg;
  }
  get data() {
    return this.msg.data;
  }
  get sid() {
    return this.msg.sid;
  }
  get subject() {
    return this.msg.subject;
  }
  get reply() {
    return this.msg.reply || "";
  }
  get headers() {
    return this.msg.headers;
  }
  respond(data, opts) {
    return this.msg.respond(data, opts);
  }
  /** Answers with the service error headers (and `data`, if any). */
  respondError(code, description, data, opts) {
    opts = opts || {};
    opts.headers = opts.headers || lib.headers();
    opts.headers.set(ServiceErrorCodeHeader, `${code}`);
    opts.headers.set(ServiceErrorHeader, description);
    return this.msg.respond(data, opts);
  }
  json(reviver) {
    return this.msg.json(reviver);
  }
  string() {
    return this.msg.string();
  }
}

/** One endpoint's counters, as the STATS document reports them. */
class EndpointStats {
  constructor(name, subject, queue = "") {
    this.name = name;
    this.subject = subject;
    this.queue = queue;
    this.reset();
  }
  reset(qi) {
    this.num_requests = 0;
    this.processing_time = 0;
    this.average_processing_time = 0;
    this.num_errors = 0;
    this.last_error = undefined;
    this.data = undefined;
    if (qi) {
      qi.time = 0;
      qi.processed = 0;
    }
  }
  countLatency(start) {
    this.num_requests++;
    this.processing_time += lib.nanos(Date.now() - start);
    this.average_processing_time = Math.round(this.processing_time / this.num_requests);
  }
  countError(err) {
    this.num_errors++;
    this.last_error = err?.message ?? String(err);
  }
  /** The document; an iterator endpoint's counts are its iterator's. */
  stats(qi) {
    if (qi?.noIterator === false) {
      this.processing_time = lib.nanos(qi.time);
      this.num_requests = qi.processed;
      this.average_processing_time = this.processing_time > 0 && this.num_requests > 0 ? this.processing_time / this.num_requests : 0;
    }
    const { name, subject, average_processing_time, num_errors, num_requests, processing_time, last_error, data, queue } = this;
    return { name, subject, average_processing_time, num_errors, num_requests, processing_time, last_error, data, queue_group: queue };
  }
}

/**
 * An endpoint's iterator (no handler): counts what it yields and the time the application
 * spends on each before asking for the next.
 */
function endpointIterator() {
  const qi = new lib.QueuedIterator();
  qi.time = 0;
  let since = 0;
  const next = qi._next;
  qi._next = () => {
    if (since) qi.time += Date.now() - since;
    since = 0;
    return next.call(qi).then((r) => {
      if (!r.done) since = Date.now();
      return r;
    });
  };
  return qi;
}

/** nats.ws `ServiceGroup`: endpoints under a common subject prefix (and queue). */
class ServiceGroup {
  constructor(parent, name = "", queue = "") {
    if (name !== "") checkGroupName("service group", name);
    let root = "";
    if (parent instanceof Service) {
      this.srv = parent;
    } else if (parent instanceof ServiceGroup) {
      this.srv = parent.srv;
      if (queue === "" && parent.queue !== "") queue = parent.queue;
      root = parent.subject;
    } else {
      throw new Error("unknown ServiceGroup type");
    }
    this.subject = join(root, name);
    this.queue = queue;
  }
  /** An endpoint `name` (its subject `name`, or `opts.subject`, under the group's). */
  addEndpoint(name = "", opts) {
    opts = opts || { subject: name };
    const args = typeof opts === "function" ? { handler: opts, subject: name } : opts;
    validateName("endpoint", name);
    const { handler, metadata } = args;
    const subject = args.subject || name;
    checkSubject("endpoint subject", subject);
    return this.srv._addEndpoint({ name, subject: join(this.subject, subject), queue: args.queue || this.queue, handler, metadata });
  }
  addGroup(name = "", queue = "") {
    return new ServiceGroup(this, name, queue);
  }
}

const join = (root, name = "") => (name === "" ? root : root !== "" ? `${root}.${name}` : name);

/** nats.ws `Service`. */
export class Service {
  constructor(nc, config = { name: "", version: "" }) {
    this.nc = nc;
    this.config = { ...config };
    if (!this.config.queue) this.config.queue = "q";
    validateName("name", this.config.name);
    validateName("queue", this.config.queue);
    checkVersion(this.config.version);
    this._id = lib.nuid.next();
    this.internal = [];
    this.handlers = [];
    this._stopped = false;
    this._done = new Promise((resolve) => (this._resolveDone = resolve));
    this.started = new Date().toISOString();
    nc.closed().then(() => this.close());
  }
  get subjects() {
    return this.handlers.filter((h) => !h.internal).map((h) => h.subject);
  }
  get id() {
    return this._id;
  }
  get name() {
    return this.config.name;
  }
  get description() {
    return this.config.description ?? "";
  }
  get version() {
    return this.config.version;
  }
  get metadata() {
    return this.config.metadata;
  }
  /** The service error headers for a handler's error (a ServiceError's code, else 500). */
  errorToHeader(err) {
    const h = lib.headers();
    const isService = isServiceError(err);
    h.set(ServiceErrorHeader, err?.message ?? String(err));
    h.set(ServiceErrorCodeHeader, isService ? `${err.code}` : "500");
    return h;
  }
  /** Subscribes an endpoint (a user's in the service's queue group, or a discovery one). */
  _subscribe(e, internal) {
    const queue = internal ? "" : e.queue || this.config.queue;
    e.internal = internal;
    e.queue = queue;
    e.stats = new EndpointStats(e.name, e.subject, queue);
    if (internal) this.internal.push(e);
    const failed = (msg, err) => {
      e.stats.countError(err);
      msg?.respond(lib.Empty, { headers: this.errorToHeader(err) });
    };
    // Every endpoint has a handler by now (an iterator endpoint's pushes to its iterator).
    const callback = (err, msg) => {
      if (err) return void this.close(err);
      const start = Date.now();
      try {
        const done = e.handler(err, new ServiceMsg(msg));
        // An async handler's rejection is its error too (nats.ws leaves it unhandled).
        if (typeof done?.then === "function") done.then(null, (reason) => failed(msg, reason));
      } catch (thrown) {
        failed(msg, thrown);
      } finally {
        e.stats.countLatency(start);
      }
    };
    e.sub = this.nc.subscribe(e.subject, { callback, queue });
    e.sub.closed.then(
      () => this._stopped || this.close(new Error(`required subscription ${e.subject} stopped`)),
      (err) => this._stopped || this.close(new Error(`required subscription ${e.subject} errored: ${err.message}`)),
    );
    return e;
  }
  /** The INFO document. */
  info() {
    return {
      type: ServiceResponseType.INFO,
      name: this.name,
      id: this.id,
      version: this.version,
      description: this.description,
      metadata: this.metadata,
      endpoints: this.handlers.map(({ subject, metadata, name, queue }) => ({ subject, metadata, name, queue_group: queue })),
    };
  }
  /** The STATS document (`statsHandler`'s answer per endpoint as its `data`). */
  async stats() {
    const endpoints = [];
    for (const h of this.handlers) {
      if (typeof this.config.statsHandler === "function") {
        try {
          h.stats.data = await this.config.statsHandler(h);
        } catch (err) {
          h.stats.countError(err);
        }
      }
      endpoints.push(h.stats.stats(h.qi));
    }
    return {
      type: ServiceResponseType.STATS,
      name: this.name,
      id: this.id,
      version: this.version,
      started: this.started,
      metadata: this.metadata,
      endpoints,
    };
  }
  /** The PING document. */
  ping() {
    return { type: ServiceResponseType.PING, name: this.name, id: this.id, version: this.version, metadata: this.metadata };
  }
  /** Answers `verb` on `$SRV.<verb>`, `.<name>` and `.<name>.<id>`. */
  _discovery(verb, answer) {
    const handler = (err, msg) => {
      if (err) return void this.close(err);
      Promise.resolve(answer()).then((doc) => msg.respond(lib.JSONCodec().encode(doc)));
    };
    const subjects = [["all", "", ""], ["kind", this.name, ""], ["", this.name, this.id]];
    for (const [suffix, name, id] of subjects) {
      this._subscribe({ name: suffix ? `${verb}-${suffix}` : verb, subject: controlSubject(verb, name, id), handler }, true);
    }
  }
  /** Subscribes the discovery verbs and the endpoints added so far. */
  start() {
    const ping = this.ping();
    this._discovery(ServiceVerb.PING, () => ping);
    this._discovery(ServiceVerb.STATS, () => this.stats());
    this._discovery(ServiceVerb.INFO, () => this.info());
    return Promise.resolve(this);
  }
  /** Stops: every subscription drains; `stopped` resolves with `err` (or null). */
  close(err) {
    if (this._stopped) return this._done;
    this._stopped = true;
    const subs = this.nc.isClosed() ? [] : this.handlers.concat(this.internal).map((h) => h.sub.drain());
    Promise.allSettled(subs).then(() => this._resolveDone(err ? err : null));
    return this._done;
  }
  get stopped() {
    return this._done;
  }
  get isStopped() {
    return this._stopped;
  }
  stop(err) {
    return this.close(err);
  }
  /** Zeroes the endpoints' counters and restarts the `started` clock. */
  reset() {
    this.started = new Date().toISOString();
    for (const h of this.handlers) h.stats.reset(h.qi);
  }
  addGroup(name, queue) {
    return new ServiceGroup(this, name, queue);
  }
  addEndpoint(name, handler) {
    return new ServiceGroup(this).addEndpoint(name, handler);
  }
  /** Subscribes an endpoint; its iterator yields the requests when it has no handler. */
  _addEndpoint(e) {
    const qi = typeof e.handler === "function" ? new lib.QueuedIterator() : endpointIterator();
    qi.noIterator = typeof e.handler === "function";
    if (!qi.noIterator) {
      e.handler = (err, msg) => (err ? void this.stop(err) : qi.push(msg));
      qi.iterClosed.then(() => this.close());
    }
    const h = this._subscribe(e, false);
    h.qi = qi;
    this.handlers.push(h);
    return qi;
  }
}

/** nats.ws `nc.services.add(config)`: the started service. */
export function addService(nc, config) {
  try {
    return new Service(nc, config).start();
  } catch (err) {
    return Promise.reject(err);
  }
}
