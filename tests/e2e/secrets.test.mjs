// Credentials never show up in error messages, status events or console output, even with
// `debug` on and when authentication fails.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { skipRef, TIMEOUT, useEnv } from "./harness.mjs";

const PASS = "pa55-SECRET-value";
const TOKEN = "tok-SECRET-value";
const SEED = "SUAJ4HP42ZU5POBLQFZD5ZKX64XWDBTKZ3BC4QRGZDTE4TXXEXD3E3SO3A";
const h = useEnv({ config: `authorization { users: [ { user: u, password: "right" } ] }` });

describe("secrets", () => {
  it("never appear in errors, status events or console output", {
    timeout: TIMEOUT,
    skip: skipRef("nats.ws prints the CONNECT line, password included, in its debug output"),
  }, async () => {
    const seen = await h.env.run(async ({ mod, url, secrets }) => {
      const captured = [];
      for (const level of ["log", "info", "warn", "error", "debug", "trace"]) {
        const original = console[level];
        console[level] = (...args) => {
          captured.push(args.map(String).join(" "));
          original.apply(console, args);
        };
      }
      const nats = await import(mod);
      const te = new TextEncoder();
      const attempts = [
        { user: "u", pass: secrets.PASS },
        { token: secrets.TOKEN },
        { authenticator: nats.nkeyAuthenticator(te.encode(secrets.SEED)) },
        { authenticator: nats.nkeyAuthenticator(te.encode(secrets.SEED.slice(0, 30) + "AAAA" + secrets.SEED.slice(34))) },
        { authenticator: nats.credsAuthenticator(te.encode("garbage " + secrets.TOKEN)) },
      ];
      for (const a of attempts) {
        try {
          const nc = await nats.connect({ servers: url, debug: true, reconnect: false, ...a });
          await nc.close();
        } catch (e) {
          captured.push(String(e.message), String(e.code), String(e.stack), JSON.stringify(e));
        }
      }
      // A connection that works, with a status iterator, then a server error.
      const nc = await nats.connect({ servers: url, user: "u", pass: "right", debug: true });
      const events = [];
      (async () => { for await (const s of nc.status()) events.push(JSON.stringify(s)); })();
      await nc.close();
      captured.push(...events);
      return captured.join("\n");
    }, { secrets: { PASS, TOKEN, SEED } });
    h.env.allowErrors(/WebSocket connection to .* failed/);
    for (const secret of [PASS, TOKEN, SEED, SEED.slice(0, 30), '"right"']) {
      assert.ok(!seen.includes(secret), `found ${secret.slice(0, 6)}... in captured output`);
    }
    // debug did print the protocol (so the check above looked at real output), masked, with
    // nats.ws's arrows: "<" for what was sent, ">" for what arrived.
    assert.match(seen, /^< CONNECT \{.*"pass":"\[REDACTED\]"/m);
    assert.match(seen, /^> INFO \{/m);
    assert.match(seen, /^< CONNECT .*␍␊PING␍␊$/m);
    assert.match(seen, /^> PONG␍␊/m);
  });
});
