// What `nc.jetstream()` does once JetStream's code is loaded (lib/jetstream-loader.js keeps
// the synchronous part): publish, and the `consumers` and `streams` of nats.ws 1.x. The views
// (KV, object stores) are chunks of their own, which get this client.
import { ApiClient } from "./api.js";
import { Consumers, Streams } from "./manager.js";
import { publish } from "./publish.js";
import { getConsumer, pullConsumerFor } from "./consumer.js";
import { fetchInto, pull, pullSubscribe, subscribe } from "./legacy.js";
import { Direct } from "./direct.js";

/** nats.ws `JetStreamClient` (the loaded part). */
export class JetStreamClient {
  constructor(nc, opts) {
    this.nc = nc;
    this.api = new ApiClient(nc, opts);
    this.consumerAPI = new Consumers(this.api);
    this.streamAPI = new Streams(this.api);
    this.consumers = {
      get: (stream, name = {}) => getConsumer(this.consumerAPI, this.streamAPI, stream, name),
      getPullConsumerFor: (ci) => pullConsumerFor(this.consumerAPI, ci),
    };
    this.streams = { get: (name) => this.streamAPI.get(name) };
    /** Direct gets (KV gets use them). */
    this.direct = new Direct(this.api);
  }
  pull(stream, durable, expires) {
    return pull(this, stream, durable, expires);
  }
  subscribe(subject, opts) {
    return subscribe(this, subject, opts);
  }
  pullSubscribe(subject, opts) {
    return pullSubscribe(this, subject, opts);
  }
  publish(subject, data, opts) {
    return publish(this.nc, this.api, subject, data, opts);
  }
  getConnection() {
    return this.nc;
  }
  /** nats.ws `js.fetch()` into the iterator the synchronous part already returned. */
  fetchInto(iter, stream, durable, opts) {
    fetchInto(this, iter, stream, durable, opts);
  }
}
