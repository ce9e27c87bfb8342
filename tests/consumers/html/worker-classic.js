// A classic dedicated Worker: no static imports there, but import() loads the ESM package.
self.onmessage = async (e) => {
  const { scenario, settle } = await import("./scenario.js");
  const result = await settle(async () => {
    const nats = await import("./node_modules/nats-wasm/index.js");
    return scenario(nats, e.data, "html-classic-worker");
  });
  self.postMessage(result);
};
