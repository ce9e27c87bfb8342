// Turns the samples collected by bench/run.mjs into: a table on stdout, bench/RESULTS.md and
// bench/throughput.svg (a hand-built chart, no dependencies).

export const CONTENDERS = ["ours", "nats.ws", "raw"];
export const SIZES = [16, 128, 1024, 16384];
export const JS_SIZE = 128; // payload of the JetStream rows

const COLORS = { ours: "#e8590c", "nats.ws": "#1c7ed6", raw: "#868e96" };

export function sizeLabel(n) {
  return n >= 1024 ? `${n / 1024} KiB` : `${n} B`;
}

// ----- metrics ----------------------------------------------------------------------------

/** Every reported metric, in table order. `better`: which direction is good. */
export function metricDefs() {
  const defs = [];
  for (const s of SIZES) defs.push({ key: `pub.${s}`, label: `publish ${sizeLabel(s)}`, unit: "msg/s", better: "higher" });
  for (const s of SIZES) defs.push({ key: `pubMB.${s}`, label: `publish ${sizeLabel(s)}`, unit: "MB/s", better: "higher" });
  for (const s of SIZES) defs.push({ key: `recv.iter.${s}`, label: `receive ${sizeLabel(s)}, iterator`, unit: "msg/s", better: "higher" });
  for (const s of SIZES) defs.push({ key: `recv.cb.${s}`, label: `receive ${sizeLabel(s)}, callback`, unit: "msg/s", better: "higher" });
  for (const m of ["iter", "cb"]) {
    for (const s of SIZES) defs.push({ key: `recvCpu.${m}.${s}`, label: `receive ${sizeLabel(s)}, ${m === "iter" ? "iterator" : "callback"}: main-thread CPU per msg`, unit: "µs", better: "lower" });
  }
  defs.push(
    { key: "rr.p50", label: "request/reply p50", unit: "µs", better: "lower" },
    { key: "rr.p90", label: "request/reply p90", unit: "µs", better: "lower" },
    { key: "rr.p99", label: "request/reply p99", unit: "µs", better: "lower" },
    { key: "connect", label: "connect + first flush (warm page)", unit: "ms", better: "lower" },
    { key: "import", label: "import + init (fresh page)", unit: "ms", better: "lower" },
    { key: "coldConnect", label: "first connect + flush (fresh page)", unit: "ms", better: "lower" },
    { key: "coldTotal", label: "import to first flush (fresh page)", unit: "ms", better: "lower" },
    { key: "mem.heap0", label: "JS heap after connect", unit: "bytes", better: "lower" },
    { key: "mem.js", label: "JS heap per subscription", unit: "bytes", better: "lower" },
    { key: "mem.wasm", label: "wasm memory per subscription", unit: "bytes", better: "lower" },
    { key: "mem.total", label: "JS + wasm per subscription", unit: "bytes", better: "lower" },
  );
  // The raw WebSocket client speaks no JetStream: its cells read n/a rather than missing.
  const js = (key, what, how) => ({ key, label: `JetStream ${what} ${sizeLabel(JS_SIZE)}, ${how}`, unit: "msg/s", better: "higher", na: ["raw"] });
  defs.push(
    js("js.pub1", "publish", "awaited one by one"),
    js("js.pub100", "publish", "100 in flight"),
    js("js.consume", "consume", "durable, ack() each"),
    js("js.ordered", "consume", "ordered consumer"),
    js("js.ordered1000", "consume", "ordered, max_messages 1000"),
    js("js.push", "consume", "ordered push (js.subscribe)"),
  );
  const kv = (key, label, unit, better) => ({ key, label: `KV ${label}`, unit, better, na: ["raw"] });
  defs.push(
    kv("kv.put.p50", `put ${sizeLabel(JS_SIZE)} p50`, "µs", "lower"),
    kv("kv.put.p99", `put ${sizeLabel(JS_SIZE)} p99`, "µs", "lower"),
    kv("kv.get.p50", "get p50", "µs", "lower"),
    kv("kv.get.p99", "get p99", "µs", "lower"),
    kv("kv.watch", `watch ${sizeLabel(JS_SIZE)}, every revision`, "msg/s", "higher"),
    { key: "os.put", label: "object store put", unit: "MB/s", better: "higher", na: ["raw"] },
    { key: "os.get", label: "object store get", unit: "MB/s", better: "higher", na: ["raw"] },
  );
  return defs;
}

export function stats(values) {
  const v = (values || []).filter((x) => typeof x === "number" && Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return null;
  const mid = v.length >> 1;
  const median = v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
  return { median, min: v[0], max: v[v.length - 1], n: v.length };
}

function fmtNum(x, unit) {
  if (x === null || x === undefined || !Number.isFinite(x)) return "—";
  if (unit === "msg/s") {
    if (x >= 1e6) return `${(x / 1e6).toFixed(2)}M`;
    if (x >= 1e3) return `${(x / 1e3).toFixed(1)}k`;
    return x.toFixed(0);
  }
  if (unit === "bytes") {
    const a = Math.abs(x);
    if (a >= 1 << 20) return `${(x / (1 << 20)).toFixed(2)} MiB`;
    if (a >= 1 << 10) return `${(x / 1024).toFixed(1)} KiB`;
    return `${x.toFixed(0)} B`;
  }
  if (unit === "MB/s") return x >= 100 ? x.toFixed(0) : x.toFixed(1);
  if (unit === "µs") return x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2);
  if (unit === "ms") return x >= 100 ? x.toFixed(0) : x.toFixed(1);
  return String(x);
}

function ratio(a, b) {
  if (!a || !b || !Number.isFinite(a.median) || !Number.isFinite(b.median) || b.median === 0) return null;
  return a.median / b.median;
}

const fmtRatio = (r) => (r === null ? "—" : `${r.toFixed(2)}×`);
const na = (r, c) => r.na?.includes(c);

/** Rows ready for printing: one per metric with at least one value. */
export function buildRows(samples) {
  const rows = [];
  for (const d of metricDefs()) {
    const st = {};
    let any = false;
    for (const c of CONTENDERS) {
      st[c] = stats(samples[d.key]?.[c]);
      if (st[c]) any = true;
    }
    if (!any) continue;
    rows.push({ ...d, st, vsNatsWs: ratio(st.ours, st["nats.ws"]), vsRaw: ratio(st.ours, st.raw) });
  }
  return rows;
}

// ----- stdout table -------------------------------------------------------------------------

export function textTable(rows) {
  const head = ["metric", "unit", "ours", "nats.ws", "raw", "ours/nats.ws", "ours/raw"];
  const cell = (s, unit) => (s ? `${fmtNum(s.median, unit)} [${fmtNum(s.min, unit)}–${fmtNum(s.max, unit)}]` : "—");
  const body = rows.map((r) => [
    r.label,
    `${r.unit} ${r.better === "higher" ? "↑" : "↓"}`,
    cell(r.st.ours, r.unit),
    cell(r.st["nats.ws"], r.unit),
    na(r, "raw") ? "n/a" : cell(r.st.raw, r.unit),
    fmtRatio(r.vsNatsWs),
    na(r, "raw") ? "n/a" : fmtRatio(r.vsRaw),
  ]);
  const all = [head, ...body];
  const w = head.map((_, i) => Math.max(...all.map((r) => [...r[i]].length)));
  const line = (r) => r.map((c, i) => (i === 0 ? c.padEnd(w[i]) : c.padStart(w[i]))).join("  ");
  return [line(head), w.map((n) => "-".repeat(n)).join("  "), ...body.map(line)].join("\n");
}

export function sizeTable(sizes) {
  const lines = [];
  for (const [name, s] of Object.entries(sizes)) {
    lines.push(`${name.padEnd(36)} raw ${fmtNum(s.raw, "bytes").padStart(10)}   gzip ${fmtNum(s.gzip, "bytes").padStart(10)}   brotli ${fmtNum(s.brotli, "bytes").padStart(10)}   (${s.files.join(", ")})`);
  }
  return [...lines, ...sizeRatios(sizes)].join("\n");
}

/** The ours/nats.ws size ratios: the packages, and each in an app importing `connect`. */
function sizeRatios(sizes) {
  const app = " in an app importing connect";
  return [["ours/nats.ws", "ours", "nats.ws"], [`ours/nats.ws${app}`, `ours${app}`, `nats.ws${app}`]]
    .filter(([, o, n]) => sizes[o] && sizes[n])
    .map(([label, o, n]) => {
      const [a, b] = [sizes[o], sizes[n]];
      return `${label}: raw ${fmtRatio(a.raw / b.raw)}, gzip ${fmtRatio(a.gzip / b.gzip)}, brotli ${fmtRatio(a.brotli / b.brotli)}`;
    });
}

// ----- observations ---------------------------------------------------------------------------

/** Plain-language remarks that follow from the numbers (ceilings, ties, surprises). */
export function observations(rows) {
  const out = [];
  const ceiling = [], aboveRaw = [];
  for (const r of rows) {
    const o = r.st.ours, n = r.st["nats.ws"], w = r.st.raw;
    if (!o || !w || r.better !== "higher") continue;
    if (r.key.startsWith("recv.") && n && o.median >= 0.85 * w.median && n.median >= 0.85 * w.median) ceiling.push(`${r.label}`);
    if (!r.key.startsWith("pubMB") && o.median > 1.1 * w.median) aboveRaw.push(`${r.label} (${r.vsRaw.toFixed(2)}×)`);
  }
  if (ceiling.length) {
    out.push(`Both clients receive within 15% of the raw scanner for: ${ceiling.join("; ")}. There the limit is below the client code (Chromium's WebSocket delivery to the page and nats-server), so differences between ours and nats.ws in those rows are mostly noise.`);
  }
  if (aboveRaw.length) {
    out.push(`Ours beats the raw baseline by more than 10% in: ${aboveRaw.join("; ")}. Raw is a ceiling only in expectation; on this noisy machine a gap this size is within the run-to-run spread (see the min–max).`);
  }
  const ct = rows.find((r) => r.key === "coldConnect");
  if (ct && ct.vsNatsWs > 1.2) {
    out.push(`The first connect in a fresh page is slower for ours (${ct.vsNatsWs.toFixed(2)}× nats.ws) while later connects are not: V8 compiles wasm functions lazily on their first call, so part of the wasm start-up cost lands on the first connect rather than in \`init()\`. The "import to first flush" row is the fair comparison of start-up.`);
  }
  return out;
}

// ----- noise ------------------------------------------------------------------------------

/** Relative spread (max-min)/median of every row and contender. */
export function noise(rows) {
  const spreads = [];
  for (const r of rows) {
    for (const c of CONTENDERS) {
      const s = r.st[c];
      if (s && s.n > 1 && s.median > 0) spreads.push({ label: `${r.label} (${r.unit}), ${c}`, spread: (s.max - s.min) / Math.abs(s.median) });
    }
  }
  spreads.sort((a, b) => a.spread - b.spread);
  const med = spreads.length ? spreads[spreads.length >> 1].spread : null;
  return { median: med, worst: spreads.slice(-5).reverse(), count: spreads.length };
}

// ----- RESULTS.md ---------------------------------------------------------------------------

export function markdown(res, rows) {
  const m = res.meta;
  const cfg = res.config;
  const out = [];
  out.push("# nats-wasm browser benchmark", "");
  if (cfg.quick) out.push("**This is a `--quick` smoke run: few repetitions, small N. Do not quote these numbers.**", "");
  out.push(
    `- Command: \`${m.command}\``,
    `- Date: ${m.date} (run took ${m.durationS.toFixed(0)} s)`,
    `- Machine: ${m.cpu}, ${m.cores} cores, ${m.memGiB} GiB RAM, ${m.os}; load average ${m.loadStart} at start, ${m.loadEnd} at end`,
    `- Chromium ${m.chromium} (headless, playwright-core ${m.playwright}), nats-server ${m.natsServer}, node ${m.node}; page crossOriginIsolated: ${m.crossOriginIsolated}`,
    `- Contenders: \`ours\` = pkg/index.js (${m.oursVersion}), \`nats.ws\` = nats.ws ${m.natsWsVersion} (esm/nats.js), \`raw\` = a hand-written WebSocket client in bench/page.js (the practical ceiling)`,
    `- Repetitions: ${cfg.reps}; in each, the contenders run one after another in rotated order, each in a fresh browser context. Cells are median [min–max] over repetitions.`,
    "",
  );
  out.push("## Results", "");
  out.push("Ratios are ours ÷ other on the medians: for ↑ metrics above 1 means ours is faster, for ↓ metrics below 1 means ours is better.", "");
  out.push("| metric | unit | ours | nats.ws | raw | ours/nats.ws | ours/raw |", "| --- | --- | ---: | ---: | ---: | ---: | ---: |");
  for (const r of rows) {
    const cell = (s) => (s ? `${fmtNum(s.median, r.unit)} <sub>${fmtNum(s.min, r.unit)}–${fmtNum(s.max, r.unit)}</sub>` : "—");
    const raw = na(r, "raw") ? ["n/a", "n/a"] : [cell(r.st.raw), fmtRatio(r.vsRaw)];
    out.push(`| ${r.label} | ${r.unit} ${r.better === "higher" ? "↑" : "↓"} | ${cell(r.st.ours)} | ${cell(r.st["nats.ws"])} | ${raw[0]} | ${fmtRatio(r.vsNatsWs)} | ${raw[1]} |`);
  }
  out.push("", "![publish and receive throughput](throughput.svg)", "");

  out.push("## Package size", "", "Bytes a page loads. nats.ws: its `esm/nats.js` bundle minified by esbuild (\`minify: true\`), as a web app's bundler ships it; the row \"as published\" is the unminified file on npm. Ours: `index.js` (the minified glue with `nkeys.js` and wasm-bindgen's glue bundled in) and the optimised `.wasm`, as in `pkg/`. gzip level 9 and brotli quality 11 via node zlib. Ratios are against the minified nats.ws.", "");
  out.push("| package | files | raw | gzip | brotli |", "| --- | --- | ---: | ---: | ---: |");
  for (const [name, s] of Object.entries(res.sizes)) {
    out.push(`| ${name} | ${s.files.map((f) => `\`${f}\``).join(" + ")} | ${s.raw.toLocaleString("en-US")} | ${s.gzip.toLocaleString("en-US")} | ${s.brotli.toLocaleString("en-US")} |`);
  }
  out.push("", sizeRatios(res.sizes).map((l) => `${l}.`).join("  \n"));
  out.push("", "The \"in an app importing connect\" rows bundle `export { connect } from <package>` with esbuild (`bundle`, `minify`): what a web app that uses only `connect` (and what it reaches) ships; the wasm is counted whole.", "");

  out.push("## How each number is measured", "");
  const pubN = SIZES.map((s) => `${sizeLabel(s)}: ${cfg.pubN[s]}`).join(", ");
  const recvN = SIZES.map((s) => `${sizeLabel(s)}: ${cfg.recvN[s]}`).join(", ");
  out.push(
    `- **publish**: N messages (${pubN}) published in a loop on one connection, then \`flush()\` (PING/PONG); timed from the first publish to the flush resolving. No subscriber. Raw hand-encodes \`PUB\` into a preallocated 256 KiB buffer and sends each full buffer as one WebSocket message (ours sends once 256 KiB are queued, and at the end of each task). One discarded warm-up run at N/10 first.`,
    `- **receive**: the page subscribes and flushes; then a node TCP client (bench/publisher.mjs) sends N messages (${recvN}) to the server's TCP port; the page times the first to the N-th message. Iterator = \`for await (const m of sub)\`, callback = \`subscribe(subj, {callback})\`; both read \`m.data.length\`. Raw counts MSG ops with a byte scanner (same value in both rows). A warm-up at N/10 first.`,
    "- **receive main-thread CPU per msg**: during the same receive measurement, the CPU time of the page's main thread in tasks (CDP `Performance.getMetrics` TaskDuration with `timeDomain: threadTicks`: JS, wasm, microtasks, GC and Blink's WebSocket event dispatch) ÷ N. It shows what receiving costs the page even where the receive rate is capped by the transport; raw is the floor (Blink's per-frame work + a trivial scanner). It includes the subscribe + flush before the messages (negligible at these N). (ScriptDuration was not used: it showed nats.ws below the raw scanner, i.e. it appears to miss promise continuations, where nats.ws does its parsing.)",
    "- Why receive rates sit close together: while building this benchmark, nats-server 2.14.6 was seen writing WebSocket frames of at most 4 KiB to the browser (a 16 KiB message arrives as 4–5 WebSocket message events), and during a raw receive run the renderer and browser processes used the CPU (mostly system time) while the raw scanner itself does almost nothing. So the receive rate is mostly Chromium's per-frame cost on this VM; the main-thread CPU rows separate the clients.",
    `- **request/reply**: ${cfg.rrN} sequential \`request()\`s of 16 B after 100 warm-ups; the responder is a second connection in the same page replying with \`m.respond(m.data)\` (raw: two raw sockets, hand-encoded SUB/PUB with a reply inbox). Percentiles of the per-request round trip.`,
    `- **connect**: ${cfg.connectK} sequential \`connect()\` + \`flush()\` in an already warm page (module loaded); the per-repetition value is their median. Raw: WebSocket open, INFO, CONNECT+PING, PONG.`,
    `- **import + init**: a fresh browser context (empty HTTP cache, files served from loopback with \`Cache-Control: no-store\`) per sample, ${cfg.coldK} sample(s) per repetition: from calling \`import()\` to the module being usable (ours: \`await init()\` resolved, which fetches, compiles and instantiates the wasm). Then the first connect + flush in that page is timed separately. V8 compiles wasm functions lazily on their first call, so part of ours' start-up cost lands on that first connect (checked while building this benchmark: with \`--js-flags=--no-wasm-lazy-compilation\` ours' first connect fell from ~35–50 ms to ~17 ms and its init grew by about as much); "import to first flush" is the sum, the fair start-up comparison.`,
    ...(cfg.js ? [`- **JetStream** (${sizeLabel(JS_SIZE)} messages; a second nats-server with \`jetstream { store_dir }\` in a fresh temporary directory, file storage; per repetition and contender a fresh context, a fresh stream \`BENCH\` deleted at the end): \`js.publish()\` of ${cfg.js.pub1N} messages each awaited before the next, and of ${cfg.js.pub100N} in batches of 100 awaited with \`Promise.all\`, timed from the first publish to the last PubAck (a warm-up at N/10 first). Then the stream is purged and filled with ${cfg.js.consumeN} messages (untimed, batches of 100) and read twice: \`consume()\` (default options) from a durable pull consumer with explicit acks created just before, \`m.ack()\` on each message, and an ordered consumer (\`js.consumers.get(stream)\` then \`consume()\`); both timed from the first message to the ${cfg.js.consumeN}-th. Two more reads show what bounds the ordered one: the same with \`max_messages: 1000\` (ten times nats.ws's default window of messages asked for at a time), and an ordered push consumer (\`js.subscribe(">", consumerOpts().orderedConsumer())\`, which the server sends to without being asked: flow control instead of pulls). Each measurement is bounded to 60 s; one that exceeds it fails its row (an anomaly), not the run. Raw speaks no JetStream: n/a.`] : []),
    ...(cfg.kv ? [`- **KV** (${sizeLabel(JS_SIZE)} values; the JetStream server; per repetition and contender a fresh bucket \`bench\`, history 1, destroyed at the end): ${cfg.kv.latencyN} \`kv.put()\` of one key, each awaited before the next, then ${cfg.kv.latencyN} \`kv.get()\` of it (direct gets), p50 and p99 of the round trips (a warm-up of N/10 first); then the bucket is filled with ${cfg.kv.watchN} values, each to a key of its own (untimed, 100 in flight), and \`kv.watch({ include: KvWatchInclude.AllHistory })\` reads them, timed from the first entry to the ${cfg.kv.watchN}-th. Then an object of ${cfg.kv.osBytes / 1048576} MiB is put into a fresh object store from a \`ReadableStream\` of 64 KiB pieces, and got (its data read to the end): MB/s of each.`] : []),
    `- **memory**: fresh context; connect; force GC (CDP \`HeapProfiler.collectGarbage\`) and read the JS heap (CDP \`Runtime.getHeapUsage\` usedSize) and, for ours, the wasm \`memory.buffer.byteLength\` (${m.wasmMemoryNote}); then ${cfg.memSubs} iterator-mode \`subscribe("bench.mem.<i>")\` kept alive + flush; GC and read again. Per-subscription = difference ÷ ${cfg.memSubs}. Wasm memory only grows in 64 KiB pages, so its per-subscription figure is coarse. Raw keeps a Map sid→subject.`,
    "",
  );

  const obs = observations(rows);
  if (obs.length) out.push("## Observations (computed from the table)", "", ...obs.map((o) => `- ${o}`), "");

  out.push("## Noise", "");
  const nz = noise(rows);
  if (nz.median !== null) {
    out.push(`Spread (max−min)/median across repetitions: median ${(nz.median * 100).toFixed(0)}% over ${nz.count} metric×contender cells. Widest:`, "");
    for (const w of nz.worst) out.push(`- ${w.label}: ${(w.spread * 100).toFixed(0)}%`);
    out.push("");
  }
  out.push(`The machine is a shared ${m.cores}-core VM: the browser (renderer + network process), nats-server and the node publisher compete for the same cores, so single repetitions can be off by tens of percent; compare medians, and treat ratios within the min–max overlap as ties.`);
  if (m.loadPerRep?.length) out.push(`1-minute load average at the start of each repetition: ${m.loadPerRep.map((x) => x.toFixed(1)).join(", ")} (2 cores: above ~1 means other work was competing).`);
  if (m.lockWaitS > 1) out.push(`The run waited ${m.lockWaitS.toFixed(0)} s in total for the shared browser lock (the e2e suite was running): other browser work may have overlapped.`);
  out.push("");
  out.push("## Anomalies during the run", "");
  if (res.anomalies.length === 0) out.push("None: no page errors, timeouts or short counts.");
  else for (const a of res.anomalies.slice(0, 40)) out.push(`- ${a}`);
  if (res.anomalies.length > 40) out.push(`- … and ${res.anomalies.length - 40} more (see results.json)`);
  out.push("");
  return out.join("\n");
}

// ----- SVG chart ----------------------------------------------------------------------------

const esc = (s) => String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

function tickLabel(v) {
  if (v >= 1e9) return `${v / 1e9}G`;
  if (v >= 1e6) return `${v / 1e6}M`;
  if (v >= 1e3) return `${v / 1e3}k`;
  return String(v);
}

/** Three panels (publish, receive iterator, receive callback), grouped bars, log-scale y. */
export function svgChart(samples, title) {
  const panels = [
    { prefix: "pub", title: "publish" },
    { prefix: "recv.iter", title: "receive, async iterator" },
    { prefix: "recv.cb", title: "receive, callback" },
  ];
  const data = panels.map((p) =>
    SIZES.map((s) => Object.fromEntries(CONTENDERS.map((c) => [c, stats(samples[`${p.prefix}.${s}`]?.[c])]))),
  );
  let lo = Infinity, hi = 0;
  for (const panel of data) for (const g of panel) for (const c of CONTENDERS) {
    const s = g[c];
    if (s && s.min > 0) lo = Math.min(lo, s.min);
    if (s) hi = Math.max(hi, s.max);
  }
  if (!Number.isFinite(lo)) lo = 1e3, hi = 1e6;
  const d0 = Math.floor(Math.log10(lo)), d1 = Math.max(d0 + 1, Math.ceil(Math.log10(hi)));

  const pw = 300, top = 84, ph = 270, left0 = 70, gap = 50, H = 434;
  const W = left0 + panels.length * pw + (panels.length - 1) * gap + 20;
  const y = (v) => top + ph - ((Math.log10(v) - d0) / (d1 - d0)) * ph;
  const o = [];
  o.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="Helvetica, Arial, sans-serif" font-size="12">`);
  o.push(`<rect width="${W}" height="${H}" fill="#fff"/>`);
  o.push(`<text x="${W / 2}" y="22" text-anchor="middle" font-size="16" font-weight="bold">${esc(title)}</text>`);
  // legend
  let lx = W / 2 - 170;
  for (const c of CONTENDERS) {
    o.push(`<rect x="${lx}" y="34" width="14" height="14" fill="${COLORS[c]}"/>`);
    o.push(`<text x="${lx + 20}" y="46">${esc(c === "raw" ? "raw WebSocket (ceiling)" : c)}</text>`);
    lx += c === "raw" ? 170 : 90;
  }
  panels.forEach((p, pi) => {
    const x0 = left0 + pi * (pw + gap);
    // grid + y ticks (decades, with 2x and 5x minor lines)
    for (let d = d0; d <= d1; d++) {
      const yy = y(10 ** d);
      o.push(`<line x1="${x0}" x2="${x0 + pw}" y1="${yy}" y2="${yy}" stroke="#ccc"/>`);
      o.push(`<text x="${x0 - 6}" y="${yy + 4}" text-anchor="end">${tickLabel(10 ** d)}</text>`);
      if (d < d1) for (const k of [2, 5]) {
        const ym = y(k * 10 ** d);
        o.push(`<line x1="${x0}" x2="${x0 + pw}" y1="${ym}" y2="${ym}" stroke="#eee"/>`);
      }
    }
    o.push(`<line x1="${x0}" x2="${x0}" y1="${top}" y2="${top + ph}" stroke="#333"/>`);
    o.push(`<line x1="${x0}" x2="${x0 + pw}" y1="${top + ph}" y2="${top + ph}" stroke="#333"/>`);
    o.push(`<text x="${x0 + pw / 2}" y="${top - 8}" text-anchor="middle" font-size="14" font-weight="bold">${esc(p.title)}</text>`);
    if (pi === 0) o.push(`<text transform="translate(18 ${top + ph / 2}) rotate(-90)" text-anchor="middle">messages per second (log scale)</text>`);
    const gw = pw / SIZES.length, bw = (gw - 16) / CONTENDERS.length;
    SIZES.forEach((s, si) => {
      const gx = x0 + si * gw + 8;
      o.push(`<text x="${x0 + si * gw + gw / 2}" y="${top + ph + 18}" text-anchor="middle">${sizeLabel(s)}</text>`);
      CONTENDERS.forEach((c, ci) => {
        const st = data[pi][si][c];
        if (!st || !(st.median > 0)) return;
        const bx = gx + ci * bw, yy = y(st.median);
        o.push(`<rect x="${bx.toFixed(1)}" y="${yy.toFixed(1)}" width="${(bw - 2).toFixed(1)}" height="${(top + ph - yy).toFixed(1)}" fill="${COLORS[c]}"><title>${esc(`${p.title} ${sizeLabel(s)} ${c}: median ${fmtNum(st.median, "msg/s")} msg/s (min ${fmtNum(st.min, "msg/s")}, max ${fmtNum(st.max, "msg/s")})`)}</title></rect>`);
        if (st.n > 1) {
          const cx = bx + (bw - 2) / 2;
          o.push(`<line x1="${cx.toFixed(1)}" x2="${cx.toFixed(1)}" y1="${y(st.max).toFixed(1)}" y2="${y(Math.max(st.min, 10 ** d0)).toFixed(1)}" stroke="#222" stroke-width="1"/>`);
        }
      });
    });
    o.push(`<text x="${x0 + pw / 2}" y="${top + ph + 36}" text-anchor="middle" fill="#555">payload size</text>`);
  });
  o.push(`<text x="${W - 10}" y="${H - 8}" text-anchor="end" fill="#777" font-size="11">bars: median over repetitions; whiskers: min–max</text>`);
  o.push("</svg>");
  return o.join("\n") + "\n";
}
