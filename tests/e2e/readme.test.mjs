// The nats.ws README's own examples, run in the page against the client under test (and,
// with NATS_CLIENT_MODULE, against nats.ws itself): the text is read from the installed
// nats.ws package, its code blocks run as they are written, with only what a page needs
// changed (imports come from the module under test, the demo server is the test's server,
// TypeScript annotations go). A driver plays the other side where an example waits for
// requests, and each example's console output is checked.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { REPO_ROOT, TIMEOUT, useEnv } from "./harness.mjs";

const README = fs.readFileSync(path.join(REPO_ROOT, "node_modules/nats.ws/README.md"), "utf8");
const BLOCKS = [...README.matchAll(/```(\w*)\n([\s\S]*?)```/g)].map((m) => m[2]);

/** A README block made runnable in a page: no imports, the test's server, no TypeScript. */
function runnable(code) {
  return code
    .replace(/^import .*$/gm, "")
    .replace(/servers:\s*(["`])(demo\.nats\.io[^"`]*|127\.0\.0\.1:4222)\1/g, "servers: __url")
    .replace(/connect\(\)/g, "connect({ servers: __url })")
    .replace(/\)\s*:\s*Promise(<[^>]*>)?(\[\])?\s*\{/g, ") {")
    .replace(/\b(const|let) (\w+): [^=]+=/g, "$1 $2 =")
    .replace(/\((\w+): \w+\)/g, "($1)");
}

/**
 * The examples, by their README heading's words: the block that contains `marker`, code the
 * driver runs before it and while it runs (page code, with `nats`, `url`, `conns` and `T`),
 * and what its output must contain, in order.
 */
const EXAMPLES = [
  {
    name: "publish and subscribe",
    marker: 'nc.subscribe("hello");',
    expect: ["[1]: world", "[2]: again", "subscription closed"],
  },
  {
    name: "wildcard subscriptions",
    marker: 'nc.subscribe("help.*.system")',
    // Three subscriptions print as their messages come: in any order.
    unordered: true,
    during: `const c = await nats.connect({ servers: url });
      c.publish("help.me.system", new TextEncoder().encode("hi"));
      await c.flush(); await T.sleep(200); await c.close();
      for (const nc of conns) await nc.close();`,
    expect: [
      "listening for help.*.system", "listening for help.me.*", "listening for help.>",
      /\[help\.\*\.system\] +#1 - help\.me\.system +hi/, /\[help\.me\.\*\] +#1 - help\.me\.system +hi/,
      /\[help\.>\] +#1 - help\.me\.system +hi/,
    ],
  },
  {
    name: "services",
    marker: 'nc.subscribe("admin.*")',
    during: `const c = await nats.connect({ servers: url });
      await c.request("time");
      await c.request("admin.uptime");
      await c.request("admin.stop");
      await c.close();`,
    expect: [
      "listening for time requests...", "[time] handled #1", "[admin] #1 handling uptime",
      "[admin] #2 handling stop", /^connection to 127\.0\.0\.1:\d+ closed$/,
    ],
  },
  {
    name: "making requests",
    marker: 'nc.request("time", Empty',
    expect: ["problem with request: 503"],
  },
  {
    name: "queue groups",
    marker: "async function createService(",
    during: `const c = await nats.connect({ servers: url });
      for (const w of ["a", "b", "c"]) await c.request("echo", new TextEncoder().encode(w));
      await c.close();
      for (const nc of conns) await nc.close();`,
    expect: [
      "echo-1 is listening for 'echo' requests...", "other-echo-2 is listening for 'echo' requests...",
      "standalone is listening for 'echo' requests...", /^\[standalone\]: +#3 echoed c$/,
    ],
  },
  {
    name: "headers",
    marker: 'h.append("id", "123456")',
    expect: ["id=123456", /^unix_time=\d+$/, "id 123456"],
  },
  {
    name: "no responders",
    marker: "case ErrorCode.NoResponders",
    expect: ["no one is listening to 'hello.world'"],
  },
  { name: "flush", marker: 'nc.publish("foo");\nnc.publish("bar");', expect: [] },
  { name: "auto-unsubscribe", marker: 'nc.subscribe("foo", { max: 10 })', expect: [] },
  {
    name: "subscription timeout",
    marker: 'nc.subscribe("hello", { timeout: 1000 })',
    during: "await T.sleep(1500);",
    expect: ["sub timed out!"],
  },
  {
    name: "request with a reply subject (noMux)",
    marker: '{ reply: "bar", noMux: true',
    before: `const c = await nats.connect({ servers: url });
      c.subscribe("q", { callback: (_, m) => m.respond(m.data) });
      await c.flush();
      conns.push(c);`,
    expect: [],
  },
  {
    name: "lifecycle and status events",
    marker: "for await (const s of nc.status())",
    during: "await T.sleep(100); for (const nc of conns) await nc.close(); await T.sleep(100);",
    expect: [/^connected 127\.0\.0\.1:\d+$/, "connection closed "],
  },
];

const h = useEnv();

describe("the nats.ws README's examples", () => {
  for (const ex of EXAMPLES) {
    it(ex.name, { timeout: TIMEOUT }, async () => {
      const block = BLOCKS.find((b) => b.includes(ex.marker));
      assert.ok(block, `no README block contains ${JSON.stringify(ex.marker)}`);
      const r = await h.env.run(async ({ mod, url, code, before, during }) => {
        const nats = await import(mod);
        const lines = [];
        const print = (...args) => lines.push(args.join(" "));
        const conns = [];
        const connect = async (opts) => {
          const nc = T.track(await nats.connect(opts));
          conns.push(nc);
          return nc;
        };
        const AsyncFunction = (async () => {}).constructor;
        const driver = (text) => new AsyncFunction("nats", "url", "conns", "T", text)(nats, url, conns, T);
        const env = { ...nats, connect, console: { log: print, info: print, error: print }, __url: url };
        // Examples that use `nc` without making it get one.
        if (!/\b(const|let) nc\b/.test(code)) env.nc = await connect({ servers: url });
        if (before) await driver(before);
        const run = new AsyncFunction(...Object.keys(env), code)(...Object.values(env));
        let error = null;
        if (during) await T.sleep(100).then(() => driver(during));
        await T.within(run, 10_000, "the example").catch((e) => (error = T.err(e)));
        for (const nc of conns) await nc.close();
        return { lines, error };
      }, { code: runnable(block), before: ex.before, during: ex.during });
      assert.equal(r.error, null, `the example threw: ${JSON.stringify(r.error)}`);
      let at = 0;
      for (const want of ex.expect) {
        const found = r.lines.findIndex((l, i) => i >= at && (typeof want === "string" ? l === want : want.test(l)));
        assert.ok(found !== -1, `${want} not printed (in order) in:\n${r.lines.join("\n")}`);
        if (!ex.unordered) at = found + 1;
      }
    });
  }
});
