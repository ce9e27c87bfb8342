// nats-wasm: the nats.ws 1.x API over a Rust/wasm protocol core.
//
// The package's entry: it binds wasm-bindgen's generated glue (which only the build has) to
// lib/wasm.js and re-exports the public API from lib/, one module per concern (see
// ARCHITECTURE.md). The protocol itself lives in Rust (src/proto) behind `WasmConnection`
// (src/wasm/client.rs).
import { WasmConnection, __wbg_get_imports, __wbg_finalize_init } from "./nats_wasm.js";
import { bindWasm } from "./lib/wasm.js";

bindWasm(WasmConnection, __wbg_get_imports, __wbg_finalize_init);

export { DebugEvents, ErrorCode, Events, Match, RequestStrategy } from "./lib/enums.js";
export { NatsError, isNatsError } from "./lib/errors.js";
export { Empty, JSONCodec, StringCodec } from "./lib/codecs.js";
export { MsgHdrsImpl, canonicalMIMEHeaderKey, headers } from "./lib/headers.js";
export { Nuid, createInbox, nuid } from "./lib/nuid.js";
export { init } from "./lib/wasm.js";
export { connect } from "./lib/connection.js";
export {
  buildAuthenticator, credsAuthenticator, jwtAuthenticator, nkeyAuthenticator, tokenAuthenticator,
  usernamePasswordAuthenticator,
} from "./lib/auth.js";
export { backoff, deadline, deferred, delay, millis, nanos, syncIterator } from "./lib/util.js";
export {
  AckPolicy, AdvisoryKind, ConsumerDebugEvents, ConsumerEvents, DeliverPolicy, DirectMsgHeaders, DiscardPolicy,
  JsHeaders, KvWatchInclude, ReplayPolicy, RepublishHeaders, RetentionPolicy, StorageType, StoreCompression,
} from "./lib/jetstream/enums.js";
export { checkJsError, isFlowControlMsg, isHeartbeatMsg } from "./lib/jetstream/status.js";
export { consumerOpts } from "./lib/jetstream/options.js";
export {
  ServiceError, ServiceErrorCodeHeader, ServiceErrorHeader, ServiceResponseType, ServiceVerb,
} from "./lib/services.js";
export { ConnectionsPool } from "./lib/pool.js";
