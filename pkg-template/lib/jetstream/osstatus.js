// nats.ws's `ObjectStoreStatus`: an object store's stream info in object store terms. Both the
// object store chunk (`os.status()`) and the JetStream chunk (`jsm.streams.listObjectStores()`)
// make them: each keeps a copy.
import { StoreCompression } from "./enums.js";

const OS_PREFIX = "OBJ_";

/** nats.ws `ObjectStoreStatus`: the bucket's stream info, in object store terms. */
export class ObjectStoreStatus {
  constructor(si) {
    this.si = si;
    this.backingStore = "JetStream";
  }
  get bucket() {
    const name = this.si.config.name;
    return name.startsWith(OS_PREFIX) ? name.slice(OS_PREFIX.length) : name;
  }
  get description() {
    return this.si.config.description ?? "";
  }
  /** The stream's `max_age` (nanoseconds, as nats.ws reports it). */
  get ttl() {
    return this.si.config.max_age;
  }
  get storage() {
    return this.si.config.storage;
  }
  get replicas() {
    return this.si.config.num_replicas;
  }
  get sealed() {
    return this.si.config.sealed;
  }
  get size() {
    return this.si.state.bytes;
  }
  get streamInfo() {
    return this.si;
  }
  get metadata() {
    return this.si.config.metadata;
  }
  get compression() {
    return this.si.config.compression ? this.si.config.compression !== StoreCompression.None : false;
  }
}
