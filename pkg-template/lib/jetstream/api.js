// The JetStream API's request/reply: every manager and client call is a JSON request to
// `<prefix>.<operation>` whose reply is JSON or `{error: {code, err_code, description}}`.
// Errors are mapped as nats.ws maps them, so `err.code` and `err.api_error` read the same.
import { lib } from "../shared.js";

/** JetStream options with nats.ws's defaults (the main module's `jetstreamOptions`). */
export const jsOptions = (opts) => lib.jsOptions(opts);

/**
 * True when the connected server's version (its INFO) is at least `min` ("x.y.z"); `unknown`
 * when it gave none. The manager, KV and the object store gate on it as nats.ws does.
 */
export function serverAtLeast(nc, min, unknown = true) {
  const v = /(\d+)\.(\d+)\.(\d+)/.exec(nc.info?.version ?? "");
  if (!v) return unknown;
  const m = min.split(".");
  for (let i = 0; i < 3; i++) {
    const d = v[i + 1] - m[i];
    if (d !== 0) return d > 0;
  }
  return true;
}

/** One connection's JetStream API at one prefix: shared by the manager, its parts and publish. */
export class ApiClient {
  constructor(nc, opts) {
    this.nc = nc;
    this.opts = jsOptions(opts);
    this.prefix = this.opts.apiPrefix;
    this.timeout = this.opts.timeout;
  }

  /** A copy of the options in effect (nats.ws `getOptions()`). */
  getOptions() {
    return { ...this.opts };
  }

  /**
   * Sends `data` as JSON (nothing when absent) to `<prefix>.<op>` and returns the reply parsed.
   * With `opts.retries` (-1: forever), a no-responders or timeout is retried after a backoff.
   */
  async request(op, data, opts) {
    const payload = data ? lib.JSONCodec().encode(data) : lib.Empty;
    let retries = opts?.retries || 1;
    if (retries === -1) retries = Number.MAX_SAFE_INTEGER;
    const bo = lib.backoff();
    for (let i = 0; ; i++) {
      try {
        const m = await this.nc.request(`${this.prefix}.${op}`, payload, { timeout: this.timeout });
        return this.parse(m);
      } catch (err) {
        const again = err.code === lib.ErrorCode.NoResponders || err.code === lib.ErrorCode.Timeout;
        if (!again || i + 1 >= retries) throw err;
        await lib.delay(bo.backoff(i));
      }
    }
  }

  /**
   * A reply's JSON; an API error is thrown as `checkJsErrorCode` makes it, with `api_error`
   * holding the server's `{code, err_code, description}`.
   */
  parse(msg) {
    const v = lib.JSONCodec().decode(msg.data);
    if (v?.error) {
      const err = lib.checkJsErrorCode(v.error.code, v.error.description);
      if (err !== null) {
        err.api_error = v.error;
        throw err;
      }
    }
    return v;
  }

  /** The one stream whose subjects include `subject`; "no stream matches subject" otherwise. */
  async findStream(subject) {
    const r = await this.request("STREAM.NAMES", { subject });
    if (!r.streams || r.streams.length !== 1) throw new Error("no stream matches subject");
    return r.streams[0];
  }
}

/**
 * nats.ws's check that JetStream answers: one `<prefix>.INFO` request, whose reply (the
 * account's JetStream info) is returned. No responders stays code "503" (JetStreamNotEnabled).
 */
export async function checkAPI(api) {
  try {
    return await api.request("INFO");
  } catch (err) {
    if (err.code === lib.ErrorCode.NoResponders) err.code = lib.ErrorCode.JetStreamNotEnabled;
    throw err;
  }
}

/**
 * A paged listing (`STREAM.LIST`, `STREAM.NAMES`, `CONSUMER.LIST`, `CONSUMER.NAMES`): each
 * page is requested with the `offset` reached so far until `total` is reached or a page is
 * empty. `next()` returns one page's items; `for await` walks them all. After an error, the
 * lister returns no more pages.
 */
export class Lister {
  constructor(api, op, filter, payload) {
    this.api = api;
    this.op = op;
    this.filter = filter;
    this.payload = payload || {};
    this.offset = 0;
    this.pageInfo = {};
    this.err = undefined;
  }

  async next() {
    if (this.err || this.offset >= this.pageInfo.total) return [];
    try {
      const r = await this.api.request(this.op, { offset: this.offset, ...this.payload });
      this.pageInfo = r;
      // Names and lists of streams page `streams`; those of consumers page `consumers`.
      const count = (r.consumers ?? r.streams)?.length || 0;
      if (count === 0) return [];
      this.offset += count;
      return this.filter(r);
    } catch (err) {
      this.err = err;
      throw err;
    }
  }

  async *[Symbol.asyncIterator]() {
    for (let page = await this.next(); page.length > 0; page = await this.next()) yield* page;
  }
}
