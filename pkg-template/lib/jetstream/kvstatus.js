// nats.ws's `KvStatus`: a KV bucket's stream info in KV terms. Both the KV chunk
// (`kv.status()`) and the JetStream chunk (`jsm.streams.listKvs()`) make them: each keeps a copy.
import { StoreCompression } from "./enums.js";
import { lib } from "../shared.js";

const KV_PREFIX = "KV_";

/** nats.ws `KvStatus`: the bucket's stream info, in KV's terms. */
export class KvStatus {
  constructor(si, cluster = "") {
    this.si = si;
    this.cluster = cluster;
  }
  get bucket() {
    const name = this.si.config.name;
    return name.startsWith(KV_PREFIX) ? name.slice(KV_PREFIX.length) : name;
  }
  get values() {
    return this.si.state.messages;
  }
  get history() {
    return this.si.config.max_msgs_per_subject;
  }
  get ttl() {
    return lib.millis(this.si.config.max_age);
  }
  get bucket_location() {
    return this.cluster;
  }
  get backingStore() {
    return this.si.config.storage;
  }
  get storage() {
    return this.si.config.storage;
  }
  get replicas() {
    return this.si.config.num_replicas;
  }
  get description() {
    return this.si.config.description ?? "";
  }
  get maxBucketSize() {
    return this.si.config.max_bytes;
  }
  get maxValueSize() {
    return this.si.config.max_msg_size;
  }
  get max_bytes() {
    return this.si.config.max_bytes;
  }
  get placement() {
    return this.si.config.placement || { cluster: "", tags: [] };
  }
  get placementCluster() {
    return this.si.config.placement?.cluster ?? "";
  }
  get republish() {
    return this.si.config.republish ?? { src: "", dest: "" };
  }
  get streamInfo() {
    return this.si;
  }
  get size() {
    return this.si.state.bytes;
  }
  get metadata() {
    return this.si.config.metadata ?? {};
  }
  get compression() {
    return this.si.config.compression ? this.si.config.compression !== StoreCompression.None : false;
  }
}
