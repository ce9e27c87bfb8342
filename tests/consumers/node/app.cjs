// A CommonJS program: require() of the package, an ES module without top-level await, works
// on Node.js >= 20.19 and >= 22.12 (require of ES modules). Prints the scenario's outcome.
//   node app.cjs <websocket URL>
const nats = require("nats-wasm");
const { WebSocket } = require("ws");
const { scenario, settle } = require("./scenario.js");

globalThis.WebSocket = WebSocket;
settle(() => scenario(nats, process.argv[2], "node")).then((result) => {
  process.stdout.write(`${JSON.stringify(result)}\n`);
});
