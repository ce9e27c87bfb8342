// End-to-end test of the demo app (www/): two clustered nats-servers with JetStream (loopback
// only), the demo served by www/serve.mjs's own startDemoServer(), and two tabs of one headless
// Chromium.
//   a. two tabs chat in one room and each lists both names as present (request/reply);
//   b. the subject monitor counts 50 messages this test publishes over raw TCP;
//   c. the node tab A is on is stopped and started again on the same ports: tab A's connection
//      panel shows a disconnect, then a reconnect (to the other node), and chat still works;
//   d. the "Force reconnect" button reconnects;
//   e. the monitor's subject can be changed, and a bad one is refused;
//   f. messages tab B sends to a room are listed, in order, by tab A's History view opened
//      afterwards (read back from the stream CHAT with an ordered consumer);
//   g. a room topic set in one tab shows in the other at once, both ways, per room, and an
//      empty one clears it (a KV bucket every tab watches).
// Screenshots of each state go to .run/artifacts/demo/*.png. Any console error or uncaught
// exception on either tab fails the test that was running.
//   node --test tests/demo/
import { after, afterEach, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import {
  freePorts,
  launchBrowser,
  REPO_ROOT,
  startServer,
  startStaticServer,
  unexpectedErrors,
} from "../e2e/harness.mjs";
import { startDemoServer } from "../../www/serve.mjs";

const ARTIFACTS = path.join(REPO_ROOT, ".run", "artifacts", "demo");
const VIEWPORT = { width: 1280, height: 800 };
const N = 50; // messages published for the monitor
const H = 12; // messages sent for the History view
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Config for a cluster node named `name` with routes on `own`, routing to `peer`. */
const clusterConfig = (name, own, peer) =>
  [
    `server_name: ${name}`,
    `cluster {`,
    `  name: demo-e2e`,
    `  host: 127.0.0.1`,
    `  port: ${own}`,
    `  routes: [ "nats-route://127.0.0.1:${peer}" ]`,
    `}`,
  ].join("\n");

/** Resolves once every node reports a route and a JetStream meta leader (bounded). */
async function waitForCluster(nodes, ms = 10_000) {
  const end = Date.now() + ms;
  for (;;) {
    const varz = await Promise.all(nodes.map((n) => n.varz().catch(() => ({}))));
    const routes = varz.map((v) => v.routes ?? 0);
    // without a meta leader, JetStream API calls (the History view's) time out
    if (routes.every((r) => r > 0) && varz.every((v) => v.jetstream?.meta?.leader)) return;
    if (Date.now() > end) throw new Error(`cluster did not form within ${ms} ms (routes: ${routes})`);
    await sleep(100);
  }
}

/** Messages in the stream CHAT, from the monitoring endpoint of whichever node holds it. */
async function storedChat(nodes) {
  const counts = await Promise.all(
    nodes.map(async (n) => {
      const res = await fetch(`${n.monitorUrl}/jsz?streams=true`).catch(() => null);
      const jsz = res?.ok ? await res.json() : {};
      const streams = (jsz.account_details ?? []).flatMap((a) => a.stream_detail ?? []);
      return streams.find((st) => st.name === "CHAT")?.state.messages ?? 0;
    }),
  );
  return Math.max(0, ...counts);
}

/** Publishes `n` messages to `subject` over the plain NATS protocol; resolves on the PONG. */
function publishRaw(port, subject, n, ms = 5000) {
  return new Promise((resolve, reject) => {
    const sock = net.connect({ host: "127.0.0.1", port });
    let buf = "";
    let sent = false;
    const timer = setTimeout(() => done(new Error(`raw publish: no PONG within ${ms} ms`)), ms);
    const done = (err) => {
      clearTimeout(timer);
      sock.destroy();
      err ? reject(err) : resolve();
    };
    sock.setEncoding("utf8");
    sock.on("error", done);
    sock.on("data", (chunk) => {
      buf += chunk;
      if (buf.includes("-ERR")) return done(new Error(`raw publish: ${buf.trim()}`));
      if (!sent && buf.includes("\r\n")) {
        sent = true; // INFO arrived
        let out = `CONNECT {"verbose":false,"pedantic":false,"name":"demo e2e publisher"}\r\n`;
        for (let i = 1; i <= n; i++) {
          const body = `hello #${i} from node`;
          out += `PUB ${subject} ${Buffer.byteLength(body)}\r\n${body}\r\n`;
        }
        sock.write(`${out}PING\r\n`);
      } else if (sent && buf.includes("PONG\r\n")) {
        done();
      }
    });
  });
}

/** Collects console errors, uncaught exceptions and crashes of `page` into `errors` (as the harness does). */
function collectErrors(page, errors, label) {
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(`[${label}] console.error: ${m.text()}`);
  });
  page.on("pageerror", (e) => errors.push(`[${label}] pageerror: ${e?.stack || e?.message || e}`));
  page.on("crash", () => errors.push(`[${label}] page crashed`));
}

const shot = (page, name) => page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), timeout: 10_000 });
const digits = (s) => Number(String(s).replace(/\D/g, "")) || 0;

/** Largest `data-seq` in the connection panel's event log (0 when empty). */
const lastSeq = (page) =>
  page.evaluate(() =>
    Math.max(0, ...[...document.querySelectorAll('[data-testid="conn-event"]')].map((e) => Number(e.dataset.seq))),
  );

/** Waits for a status event of `type` logged after `afterSeq`; returns its seq. */
async function waitEvent(page, type, afterSeq, timeout) {
  const handle = await page.waitForFunction(
    ({ type, afterSeq }) => {
      const rows = document.querySelectorAll(`[data-testid="conn-event"][data-type="${type}"]`);
      const seqs = [...rows].map((e) => Number(e.dataset.seq)).filter((s) => s > afterSeq);
      return seqs.length ? Math.min(...seqs) : 0;
    },
    { type, afterSeq },
    { timeout, polling: 50 },
  );
  return handle.jsonValue();
}

/** Waits until the presence list shows exactly `names` (sorted). */
async function waitPresence(page, names, timeout = 12_000) {
  await page.waitForFunction(
    (want) => {
      const got = [...document.querySelectorAll('[data-testid="presence-name"]')].map((e) => e.textContent);
      return JSON.stringify(got.sort()) === JSON.stringify(want);
    },
    [...names].sort(),
    { timeout, polling: 100 },
  );
}

/** Waits for a chat message in the open room with `text`, by `author`. */
async function waitMessage(page, author, text, timeout = 5000) {
  const row = page.getByTestId("chat-message").filter({ hasText: text });
  await row.first().waitFor({ timeout });
  assert.equal(await row.first().getByTestId("chat-author").textContent(), author);
}

async function say(page, text) {
  await page.getByTestId("chat-input").fill(text);
  await page.getByTestId("chat-input").press("Enter");
}

describe("demo app", () => {
  const env = { nodes: [], demo: null, web: null, b: null, errors: [] };
  let pageA;
  let pageB;

  before(async () => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    // every port up front, so none of them can be handed out twice
    const p = await freePorts(8);
    const ports = [
      { port: p[0], monitorPort: p[1], wsPort: p[2] },
      { port: p[3], monitorPort: p[4], wsPort: p[5] },
    ];
    const routes = [p[6], p[7]];
    env.configs = [clusterConfig("node-1", routes[0], routes[1]), clusterConfig("node-2", routes[1], routes[0])];
    env.ports = ports;
    // JetStream stores of their own, kept when a node restarts (test c), removed at the end
    env.stores = [0, 1].map(() => fs.mkdtempSync(path.join(os.tmpdir(), "nats-demo-js-")));
    env.start = (i) =>
      startServer({ ports: ports[i], config: env.configs[i], jetstream: true, storeDir: env.stores[i] });
    for (let i = 0; i < 2; i++) env.nodes[i] = await env.start(i);
    await waitForCluster(env.nodes);

    env.demo = await startDemoServer({ servers: env.nodes.map((n) => n.wsUrl) });
    // launchBrowser() opens the harness's blank page first: serve it from where it lives
    env.web = await startStaticServer();
    env.b = await launchBrowser(env.web.url);
    env.errors = env.b.errors; // tab A's errors, collected by the harness; tab B's join them
    pageA = env.b.page;
    pageB = await pageA.context().newPage();
    collectErrors(pageB, env.errors, "B");
    for (const page of [pageA, pageB]) {
      page.setDefaultTimeout(15_000);
      await page.setViewportSize(VIEWPORT);
      await page.goto(`${env.demo.url}/`, { timeout: 15_000 });
    }
    for (const page of [pageA, pageB]) {
      await page.waitForSelector('[data-testid="conn-badge"][data-state="connected"]', { timeout: 15_000 });
    }
  }, { timeout: 300_000 }); // includes waiting for the cross-process browser lock

  after(async () => {
    try {
      await env.b?.close();
    } finally {
      await env.demo?.close();
      await env.web?.close();
      for (const n of env.nodes) await n?.stop();
      for (const dir of env.stores ?? []) fs.rmSync(dir, { recursive: true, force: true });
    }
  }, { timeout: 30_000 });

  afterEach(async () => {
    await sleep(50); // let late errors surface
    const bad = unexpectedErrors(env.errors);
    env.errors.length = 0;
    assert.deepEqual(bad, [], "a tab reported console errors / uncaught exceptions");
  });

  it("a: two tabs chat in one room and see each other as present", { timeout: 60_000 }, async () => {
    for (const [page, name] of [[pageA, "alice"], [pageB, "bob"]]) {
      await page.getByTestId("name-input").fill(name);
      await page.getByTestId("name-input").press("Enter");
      await page.getByTestId("room-input").fill("e2e");
      await page.getByTestId("room-input").press("Enter");
      await page.getByTestId("current-room").filter({ hasText: /^e2e$/ }).waitFor({ timeout: 5000 });
    }
    // the room shows up in both room lists, selected
    for (const page of [pageA, pageB]) {
      assert.match(await page.getByTestId("room-e2e").getAttribute("class"), /active/);
    }
    await waitPresence(pageA, ["alice", "bob"]);
    await waitPresence(pageB, ["alice", "bob"]);

    await say(pageA, "hello from alice");
    await waitMessage(pageB, "alice", "hello from alice");
    await waitMessage(pageA, "alice", "hello from alice"); // own messages come back from the server
    await say(pageB, "hi alice, bob here");
    await waitMessage(pageA, "bob", "hi alice, bob here");

    // history is per room: another room is empty, coming back restores the conversation
    await pageA.getByTestId("room-general").click();
    await pageA.getByTestId("current-room").filter({ hasText: /^general$/ }).waitFor({ timeout: 5000 });
    assert.equal(await pageA.getByTestId("chat-messages").getByText("hello from alice").count(), 0);
    await pageA.getByTestId("room-e2e").click();
    await waitMessage(pageA, "bob", "hi alice, bob here");
    await waitPresence(pageA, ["alice", "bob"]);
    await waitPresence(pageB, ["alice", "bob"]);

    await shot(pageA, "1-chat-tab-a");
    await shot(pageB, "1-chat-tab-b");
  });

  it(`b: the monitor counts ${N} messages published from node`, { timeout: 60_000 }, async () => {
    assert.equal(await pageA.getByTestId("monitor-subject").inputValue(), "demo.>");
    const before = digits(await pageA.getByTestId("monitor-count").textContent());
    // publish through the node tab A is on (its websocket port tells which)
    const server = await pageA.getByTestId("conn-server").textContent();
    const node = env.nodes.find((n) => server.endsWith(`:${n.wsPort}`));
    assert.ok(node, `tab A's server ${server} is one of ours`);
    await publishRaw(node.port, "demo.test.x", N);

    await pageA.waitForFunction(
      (want) => Number(document.querySelector('[data-testid="monitor-count"]').textContent.replace(/\D/g, "")) >= want,
      before + N,
      { timeout: 10_000, polling: 50 },
    );
    // the rows are the 50 messages, each once
    await pageA.waitForFunction(
      (n) =>
        [...document.querySelectorAll('[data-testid="monitor-row"] .subj')].filter((e) => e.textContent === "demo.test.x")
          .length === n,
      N,
      { timeout: 5000, polling: 50 },
    );
    const rows = await pageA.getByTestId("monitor-row").count();
    assert.ok(rows >= N && rows <= 200, `the list is bounded (${rows} rows)`);
    // the burst shows in the rate: at least half of it fell into one second
    await pageA.waitForFunction(
      (min) => Number(document.querySelector('[data-testid="monitor-peak"]').textContent.replace(/\D/g, "")) >= min,
      N / 2,
      { timeout: 5000, polling: 100 },
    );
    // the plot has been drawn (some non-transparent pixels)
    const inked = await pageA.evaluate(() => {
      const c = document.querySelector('[data-testid="monitor-plot"]');
      const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 3; i < d.length; i += 4) if (d[i]) n++;
      return n;
    });
    assert.ok(inked > 100, `the plot is drawn (${inked} pixels)`);
    await shot(pageA, "2-monitor-tab-a");
  });

  it("c: a node restart shows disconnect then reconnect, and chat carries on", { timeout: 60_000 }, async () => {
    const server = await pageA.getByTestId("conn-server").textContent();
    const i = env.nodes.findIndex((n) => server.endsWith(`:${n.wsPort}`));
    assert.ok(i >= 0, `tab A's server ${server} is one of ours`);
    const other = env.nodes[1 - i];
    const seq0 = await lastSeq(pageA);

    await env.nodes[i].stop();
    const down = await waitEvent(pageA, "disconnect", seq0, 10_000);
    await shot(pageA, "3-disconnect-tab-a");

    // the same node comes back on the same ports and rejoins the cluster
    env.nodes[i] = await env.start(i);
    await waitForCluster(env.nodes);
    const up = await waitEvent(pageA, "reconnect", down, 15_000);
    assert.ok(up > down, "reconnect is logged after disconnect");
    // tab A failed over to the node that stayed up
    await pageA
      .getByTestId("conn-server")
      .filter({ hasText: new RegExp(`:${other.wsPort}$`) })
      .waitFor({ timeout: 5000 });
    await pageA.waitForSelector('[data-testid="conn-badge"][data-state="connected"]', { timeout: 5000 });

    // the subscriptions came back: chat still goes both ways
    await say(pageA, "still here after the restart");
    await waitMessage(pageB, "alice", "still here after the restart", 10_000);
    await say(pageB, "welcome back");
    await waitMessage(pageA, "bob", "welcome back", 10_000);
    await waitPresence(pageA, ["alice", "bob"]);
    await sleep(3500); // one rtt round after the reconnect, for the screenshot
    await shot(pageA, "4-reconnect-tab-a");
  });

  it("d: the Force reconnect button reconnects", { timeout: 30_000 }, async () => {
    const seq0 = await lastSeq(pageA);
    await pageA.getByTestId("force-reconnect").click();
    const ev = await waitEvent(pageA, "reconnect", seq0, 10_000);
    assert.ok(ev > seq0);
    await pageA.waitForSelector('[data-testid="conn-badge"][data-state="connected"]', { timeout: 5000 });
    await say(pageA, "after a forced reconnect");
    await waitMessage(pageB, "alice", "after a forced reconnect", 10_000);
    await shot(pageA, "5-force-reconnect-tab-a");
  });

  it("e: the monitor's subject can be changed (and a bad one is refused)", { timeout: 30_000 }, async () => {
    const watch = async (subject) => {
      await pageA.getByTestId("monitor-subject").fill(subject);
      await pageA.getByTestId("monitor-subject").press("Enter");
    };
    await watch("demo..x");
    await pageA.getByTestId("monitor-note").filter({ hasText: /cannot watch/ }).waitFor({ timeout: 5000 });
    await watch("demo.test.>");
    await pageA.getByTestId("monitor-note").filter({ hasText: "watching demo.test.>" }).waitFor({ timeout: 5000 });
    assert.equal(await pageA.getByTestId("monitor-count").textContent(), "0");
    const server = await pageA.getByTestId("conn-server").textContent();
    const node = env.nodes.find((n) => server.endsWith(`:${n.wsPort}`));
    await publishRaw(node.port, "demo.other", 10); // not watched
    await publishRaw(node.port, "demo.test.y", 10);
    await pageA.getByTestId("monitor-count").filter({ hasText: /^10$/ }).waitFor({ timeout: 5000 });
    await sleep(300); // anything extra would have arrived by now
    assert.equal(await pageA.getByTestId("monitor-count").textContent(), "10");
    assert.equal(await pageA.getByTestId("monitor-row").count(), 10);
  });

  it("f: the History view replays a room's earlier messages in order", { timeout: 60_000 }, async () => {
    // tab B talks in a room of its own; tab A stays where it is until they have been sent
    const stored = await storedChat(env.nodes);
    await pageB.getByTestId("room-input").fill("history");
    await pageB.getByTestId("room-input").press("Enter");
    await pageB.getByTestId("current-room").filter({ hasText: /^history$/ }).waitFor({ timeout: 5000 });
    const texts = Array.from({ length: H }, (_, i) => `history line ${i + 1} of ${H}`);
    for (const text of texts) await say(pageB, text);
    await waitMessage(pageB, "bob", texts.at(-1));
    // stored, not only delivered: the stream holds them all (and B's leave and join notices,
    // sent before them) before tab A asks
    const end = Date.now() + 10_000;
    while ((await storedChat(env.nodes)) < stored + 2 + H) {
      assert.ok(Date.now() < end, "the stream CHAT stored the messages");
      await sleep(100);
    }

    await pageA.getByTestId("room-history").click();
    await pageA.getByTestId("current-room").filter({ hasText: /^history$/ }).waitFor({ timeout: 5000 });
    await pageA.getByTestId("history-open").click();
    const panel = pageA.getByTestId("history-panel");
    await panel.waitFor({ state: "visible", timeout: 5000 });
    assert.equal(await pageA.getByTestId("history-room").textContent(), "#history");
    await pageA.waitForSelector('[data-testid="history-note"][data-state="done"]', { timeout: 15_000 });
    assert.equal(await pageA.getByTestId("history-note").textContent(), `${H} messages from stream CHAT`);

    const rows = await pageA.getByTestId("history-message").evaluateAll((els) =>
      els.map((e) => ({
        seq: Number(e.dataset.seq),
        time: e.querySelector("time").textContent,
        author: e.querySelector('[data-testid="history-author"]').textContent,
        text: e.querySelector('[data-testid="history-text"]').textContent,
      })),
    );
    assert.deepEqual(rows.map((r) => r.text), texts, "every message, once, oldest first");
    assert.ok(rows.every((r) => r.author === "bob"), "by bob");
    assert.ok(rows.every((r) => /^\d\d:\d\d:\d\d$/.test(r.time)), "each with the time it was stored");
    assert.ok(rows.every((r, i) => i === 0 || r.seq > rows[i - 1].seq), "in stream order");
    await shot(pageA, "6-history-tab-a");

    await pageA.getByTestId("history-close").click();
    await panel.waitFor({ state: "hidden", timeout: 5000 });
    // a room where nothing was said (only tab A's join notice is stored): an empty list
    await pageA.getByTestId("room-random").click();
    await pageA.getByTestId("current-room").filter({ hasText: /^random$/ }).waitFor({ timeout: 5000 });
    await pageA.getByTestId("history-open").click();
    await pageA.waitForSelector('[data-testid="history-note"][data-state="done"]', { timeout: 15_000 });
    assert.equal(await pageA.getByTestId("history-message").count(), 0);
    assert.match(await pageA.getByTestId("history-note").textContent(), /^(0 messages|nothing stored)/);
    await pageA.getByTestId("history-close").click();
    await panel.waitFor({ state: "hidden", timeout: 5000 });
  });

  it("g: a room topic set in one tab shows in the other at once (a KV watch)", { timeout: 60_000 }, async () => {
    const topicIs = (page, text) =>
      page.getByTestId("room-topic").filter({ hasText: new RegExp(`^${text}$`) }).waitFor({ timeout: 10_000 });
    for (const page of [pageA, pageB]) {
      await page.getByTestId("room-general").click();
      await page.getByTestId("current-room").filter({ hasText: /^general$/ }).waitFor({ timeout: 5000 });
    }
    assert.equal(await pageB.getByTestId("room-topic").textContent(), "", "no topic yet");
    await pageA.getByTestId("topic-input").fill("Welcome to general");
    await pageA.getByTestId("topic-set").click();
    await topicIs(pageA, "Welcome to general");
    await topicIs(pageB, "Welcome to general");
    // the other way, and per room: a topic of another room does not show here
    await pageB.getByTestId("topic-input").fill("Only NATS talk");
    await pageB.getByTestId("topic-set").click();
    await topicIs(pageA, "Only NATS talk");
    await pageA.getByTestId("room-random").click();
    await pageA.getByTestId("current-room").filter({ hasText: /^random$/ }).waitFor({ timeout: 5000 });
    assert.equal(await pageA.getByTestId("room-topic").textContent(), "");
    await pageA.getByTestId("room-general").click();
    await topicIs(pageA, "Only NATS talk");
    await shot(pageA, "7-topic-tab-a");
    // an empty topic clears it everywhere
    await pageA.getByTestId("topic-set").click();
    await topicIs(pageB, "");
    await topicIs(pageA, "");
  });
});
