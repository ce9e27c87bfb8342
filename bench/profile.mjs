// A Chromium CPU profile (through the DevTools protocol) of one benchmark operation, summarised
// as the functions with the most self time. For finding where a contender spends its time,
// not for timings (bench/run.mjs measures those).
//
//   node bench/profile.mjs [ours|nats.ws|raw] [pub|recv-cb|recv-iter|rr|js-ordered|js-push|js-ack|kv-watch] [size] [count]
//
// Starts its own nats-server and static server on loopback and one headless Chromium (the
// shared browser lock of the e2e suite); everything stops when it ends.
import { launchBrowser, startServer, startStaticServer } from "../tests/e2e/harness.mjs";
import { publishBurst } from "./publisher.mjs";

const [who = "ours", op = "pub", sizeArg = "16", countArg] = process.argv.slice(2);
const size = Number(sizeArg);
const count = Number(countArg || { pub: 200_000, rr: 3000 }[op] || 150_000);

/** Self time per function (ms), from a CDP Profiler profile. */
function summarise(profile, top = 25) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  const dt = profile.timeDeltas;
  for (let i = 0; i < profile.samples.length; i++) {
    const n = byId.get(profile.samples[i]);
    const f = n.callFrame;
    const file = f.url ? f.url.replace(/^.*\//, "") : "";
    const key = `${f.functionName || "(anonymous)"} ${file}${file ? `:${f.lineNumber + 1}:${f.columnNumber + 1}` : ""}`;
    self.set(key, (self.get(key) || 0) + (dt[i] || 0) / 1000);
  }
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const rows = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, top);
  return { total, rows };
}

const kvWatch = op === "kv-watch";
const js = op.startsWith("js-") || kvWatch;
const server = await startServer({ jetstream: js });
const web = await startStaticServer();
const b = await launchBrowser(web.url);
try {
  const page = b.page;
  await page.goto(`${web.url}/bench/page.html`);
  await page.waitForFunction(() => window.bench !== undefined, null, { timeout: 30_000 });
  await page.evaluate(([url, name]) => window.bench.load(url, name), [server.wsUrl, who]);
  const run = async () => {
    if (op === "pub") return page.evaluate(([s, n]) => window.bench.pub(s, n), [size, count]);
    if (op === "rr") return page.evaluate(([n, s]) => window.bench.reqrep(n, s, 60_000), [count, size]);
    if (kvWatch) return page.evaluate(([n]) => window.bench.kvWatch(n, 60_000), [count]);
    if (js) {
      // JetStream reads: an ordered pull consumer, or an ordered push consumer (js.subscribe).
      const durable = op === "js-ack" ? "profile" : null;
      return page.evaluate(([n, d, push]) => window.bench.jsConsume("PROFILE", n, d, 60_000, 0, push), [count, durable, op === "js-push"]);
    }
    const mode = op === "recv-cb" ? "cb" : "iter";
    const subject = `profile.${Math.random().toString(36).slice(2)}`;
    await page.evaluate(([subj, n, m]) => window.bench.recvStart(subj, n, m, 60_000), [subject, count, mode]);
    await publishBurst({ port: server.port, subject, size, count });
    return page.evaluate(() => window.bench.recvWait());
  };
  if (kvWatch) {
    await page.evaluate(() => window.bench.kvSetup("profile", 1));
    await page.evaluate(([s, n]) => window.bench.kvFill(s, n, 60_000), [size, count]);
  } else if (js) {
    await page.evaluate(([s]) => window.bench.jsSetup("PROFILE", "profile.js"), [size]);
    await page.evaluate(([s, n]) => window.bench.jsFill("PROFILE", "profile.js", s, n, 60_000), [size, count]);
  }
  await run(); // warm up: JIT, wasm tiers, buffers
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Profiler.enable");
  await cdp.send("Profiler.setSamplingInterval", { interval: 100 });
  await cdp.send("Profiler.start");
  const result = await run();
  const { profile } = await cdp.send("Profiler.stop");
  const { total, rows } = summarise(profile);
  console.log(`${who} ${op} ${size} B x ${count}: ${JSON.stringify(result)}; ${total.toFixed(0)} ms sampled`);
  for (const [name, ms] of rows) {
    console.log(`${ms.toFixed(1).padStart(8)} ms ${((100 * ms) / total).toFixed(1).padStart(5)}%  ${name}`);
  }
} finally {
  await b.close();
  await web.close();
  await server.stop();
}
