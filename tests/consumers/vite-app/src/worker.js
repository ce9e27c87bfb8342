import * as nats from "nats-wasm";
import { scenario, settle } from "./scenario.js";

self.onmessage = async (e) => {
  self.postMessage(await settle(() => scenario(nats, e.data, "vite-worker")));
};
