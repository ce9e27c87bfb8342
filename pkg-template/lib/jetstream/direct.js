// nats.ws `jsm.direct`: reading a stream's messages straight from any of its replicas
// (`$JS.API.DIRECT.GET.<stream>`, for streams with `allow_direct`), answered with the stored
// message itself, its stream, subject, sequence and time in headers. KV gets use it.
import { lib } from "../shared.js";
import { validateStreamName } from "./validate.js";

/** nats.ws `DirectMsg`: a message read with a direct get. */
export class DirectMsg {
  constructor(m) {
    if (!m.headers) throw new Error("headers expected");
    this.data = m.data;
    this.header = m.headers;
  }
  get subject() {
    return this.header.last("Nats-Subject");
  }
  get seq() {
    const v = this.header.last("Nats-Sequence");
    return typeof v === "string" ? parseInt(v) : 0;
  }
  get timestamp() {
    return this.header.last("Nats-Time-Stamp");
  }
  get time() {
    return new Date(Date.parse(this.timestamp));
  }
  get stream() {
    return this.header.last("Nats-Stream");
  }
  json(reviver) {
    return lib.JSONCodec(reviver).decode(this.data);
  }
  string() {
    return lib.TD.decode(this.data);
  }
}

/** nats.ws `DirectStreamAPI`. */
export class Direct {
  constructor(api) {
    this.api = api;
  }
  /** One message: `{ seq }`, `{ last_by_subj }`, `{ next_by_subj, seq }`... */
  async getMessage(stream, query) {
    validateStreamName(stream);
    const last = query?.last_by_subj;
    const subject = `${this.api.prefix}.DIRECT.GET.${stream}${last ? `.${last}` : ""}`;
    const payload = last ? lib.Empty : lib.TE.encode(JSON.stringify(query));
    const m = await this.api.nc.request(subject, payload, { timeout: this.api.timeout });
    const err = lib.checkJsError(m);
    if (err) throw err;
    return new DirectMsg(m);
  }
  /** Many messages (`multi_last`, server 2.11): an iterator of DirectMsg. */
  async getBatch(stream, opts) {
    validateStreamName(stream);
    if (!Array.isArray(opts.multi_last) || opts.multi_last.length === 0) throw "multi_last is required";
    const body = JSON.stringify(opts, (k, v) => (k === "up_to_time" && v instanceof Date ? v.toISOString() : v));
    const replies = await this.api.nc.requestMany(`${this.api.prefix}.DIRECT.GET.${stream}`, body, {
      strategy: "sentinelMsg",
    });
    const iter = new lib.QueuedIterator();
    (async () => {
      let first = true;
      for await (const m of replies) {
        if (first) {
          first = false;
          const code = m.headers?.code || 0;
          if ((code !== 0 && code < 200) || code > 299) throw new Error(`bad request: ${m.headers.description.toLowerCase()}`);
          if (m.headers?.get("Nats-Num-Pending") === "") throw new Error("batch direct get not supported by the server");
        }
        if (m.data.length === 0) break;
        iter.push(new DirectMsg(m));
      }
      iter.stop();
    })().catch((err) => iter.stop(err));
    return iter;
  }
}
