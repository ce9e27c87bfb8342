// A Node.js 20 program using nats-wasm the way nats.ws programs do: import the package, then
// assign a WebSocket implementation (npm `ws`) to the global before connecting. Prints one JSON
// line: the scenario's outcome (plus `burst`: messages that made a round trip intact).
//   node app.mjs <websocket URL> [mode]
// mode: (none)        the ws shim, the wasm module found by the package (the "node" entry)
//       init-bytes    the wasm module read by the program and passed to init()
//       no-websocket  no shim: connect() must fail with an error saying what is missing
//       no-deflate    the shim with permessage-deflate turned off
//       ws-factory    no global WebSocket: the `wsFactory` option makes each socket
import fs from "node:fs";
import * as natsModule from "nats-wasm";
import { WebSocket } from "ws";
import { scenario, settle } from "./scenario.js";

const [servers, mode = ""] = process.argv.slice(2);

if (mode === "no-deflate") {
  globalThis.WebSocket = class extends WebSocket {
    constructor(url, protocols, options) {
      super(url, protocols, { ...options, perMessageDeflate: false });
    }
  };
} else if (mode !== "no-websocket" && mode !== "ws-factory") {
  globalThis.WebSocket = WebSocket;
}
const nats = mode === "ws-factory"
  ? { ...natsModule, connect: (o) => natsModule.connect({ ...o, wsFactory: (url) => new WebSocket(url) }) }
  : natsModule;
if (mode === "init-bytes") {
  await nats.init(fs.readFileSync(new URL(import.meta.resolve("nats-wasm/nats_wasm_bg.wasm"))));
}

/** Publishes `n` messages of 1 KB and counts the ones that come back intact and in order. */
async function burst(n) {
  const { connect, StringCodec } = nats;
  const sc = StringCodec();
  const nc = await connect({ servers });
  const body = (i) => `${i}:${"x".repeat(1000)}`;
  let good = 0;
  const sub = nc.subscribe("burst", { max: n, callback: (_e, m) => { if (sc.decode(m.data) === body(good)) good++; } });
  for (let i = 0; i < n; i++) nc.publish("burst", sc.encode(body(i)));
  await nats.deadline(sub.closed, 5000).catch(() => {}); // a broken stream ends early
  await nc.close();
  return good;
}

const result = await settle(async () => ({ ...(await scenario(nats, servers, "node")), burst: await burst(2000) }));
process.stdout.write(`${JSON.stringify(result)}\n`);
