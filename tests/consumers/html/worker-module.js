// A module Worker: static imports of the package's ESM entry.
import * as nats from "./node_modules/nats-wasm/index.js";
import { scenario, settle } from "./scenario.js";

self.onmessage = async (e) => {
  self.postMessage(await settle(() => scenario(nats, e.data, "html-module-worker")));
};
