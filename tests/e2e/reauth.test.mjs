// nc.reauthenticate() (issue 18): credentials swapped on a live connection. Taken or refused,
// nothing is lost: subscriptions carry on, and what was published or requested during the
// swap arrives. New API: not in nats.ws.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as jwt from "@nats-io/jwt";
import { createAccount, createOperator, createUser } from "@nats-io/nkeys";
import { skipRef, startServer, useEnv } from "./harness.mjs";

const NEW_API = skipRef("reauthenticate() is this package's API (nats.ws has none)");
const h = useEnv({
  config: "authorization { users = [ { user: a, password: a1 }, { user: b, password: b1 } ] }",
});

/**
 * In the page: `nc` (as user a) swaps to `auth` while it publishes 1,000 messages and makes a
 * request; `other` (user a) counts them, answers the request, then publishes 100 to a
 * subscription of `nc`. Returns what each saw.
 */
async function swapWhileBusy(auth) {
  return await h.env.run(async ({ mod, url, auth }) => {
    const nats = await import(mod);
    const nc = T.track(await nats.connect({ servers: url, user: "a", pass: "a1" }));
    const other = T.track(await nats.connect({ servers: url, user: "a", pass: "a1" }));
    let published = 0;
    other.subscribe("ra.pub", { callback: () => published++ });
    other.subscribe("ra.svc", { callback: (_, m) => m.respond("pong") });
    let subscribed = 0;
    nc.subscribe("ra.sub", { callback: () => subscribed++ });
    const events = [];
    (async () => {
      for await (const e of nc.status()) events.push(e);
    })();
    await other.flush();
    await nc.flush();
    const swap = nc.reauthenticate(auth);
    for (let i = 0; i < 1000; i++) nc.publish("ra.pub", String(i));
    const reply = nc.request("ra.svc", "ping", { timeout: 5000 });
    const flushed = nc.flush();
    const outcome = await T.capture(() => swap);
    const answer = await T.capture(async () => (await reply).string());
    await flushed;
    await T.until(() => published === 1000, 5000, "every publish made during the swap");
    for (let i = 0; i < 100; i++) other.publish("ra.sub", "x");
    await other.flush();
    await T.until(() => subscribed === 100, 5000, "the subscription carried on");
    return { outcome, answer, published, subscribed, events, cid: nc.info.client_id };
  }, { auth });
}

/** The user the server has for client `cid`. */
async function userOf(cid) {
  const connz = await h.env.server.connz("auth=1");
  return connz.connections.find((c) => c.cid === cid)?.authorized_user;
}

describe("reauthenticate", () => {
  it("taken: moves to the new user at once; subscriptions, publishes and a request made during the swap all carry on", {
    timeout: 30_000,
    skip: NEW_API,
  }, async () => {
    const r = await swapWhileBusy({ user: "b", pass: "b1" });
    assert.deepEqual(r.outcome, { ok: true, value: null });
    assert.deepEqual(r.answer, { ok: true, value: "pong" });
    assert.equal(r.published, 1000);
    assert.equal(r.subscribed, 100);
    assert.equal(await userOf(r.cid), "b", "the server has the connection as the new user");
    const types = r.events.map((e) => e.type);
    assert.ok(types.includes("reauthenticated"), types.join());
    assert.equal(r.events.find((e) => e.type === "reauthenticated").data, h.env.wsUrl.slice(5));
  });

  it("refused: rejects with AUTHORIZATION_VIOLATION, goes back to the previous user, loses nothing, shows no secret", {
    timeout: 30_000,
    skip: NEW_API,
  }, async () => {
    const r = await swapWhileBusy({ user: "b", pass: "not-the-password" });
    assert.equal(r.outcome.ok, false);
    assert.equal(r.outcome.error.code, "AUTHORIZATION_VIOLATION");
    assert.deepEqual(r.answer, { ok: true, value: "pong" });
    assert.equal(r.published, 1000);
    assert.equal(r.subscribed, 100);
    assert.equal(await userOf(r.cid), "a", "back to the previous user");
    const failed = r.events.find((e) => e.type === "reauthenticationFailed");
    assert.deepEqual(failed, { type: "reauthenticationFailed", data: "AUTHORIZATION_VIOLATION" });
    assert.ok(!JSON.stringify(r).includes("not-the-password"), "the password appears nowhere");
  });

  it("bad input is refused with INVALID_OPTION before anything changes; after close, CONNECTION_CLOSED", {
    timeout: 20_000,
    skip: NEW_API,
  }, async () => {
    const r = await h.env.run(async ({ mod, url }) => {
      const nats = await import(mod);
      const nc = T.track(await nats.connect({ servers: url, user: "a", pass: "a1" }));
      const bad = [];
      for (const auth of [null, "b", {}, { user: 7 }, { token: {} }, { authenticator: "x" }, { pass: "only" }]) {
        bad.push((await T.capture(() => nc.reauthenticate(auth))).error?.code);
      }
      await nc.flush();
      await nc.close();
      const closed = (await T.capture(() => nc.reauthenticate({ user: "b", pass: "b1" }))).error?.code;
      return { bad, closed };
    });
    assert.deepEqual(r.bad, Array(7).fill("INVALID_OPTION"));
    assert.equal(r.closed, "CONNECTION_CLOSED");
  });

  it("tokens and authenticators: a wrong token is refused, the right one (an authenticator) is taken", {
    timeout: 30_000,
    skip: NEW_API,
  }, async () => {
    const server = await startServer({ config: "authorization { token: s3cret }" });
    try {
      const r = await h.env.run(async ({ mod, url }) => {
        const nats = await import(mod);
        const nc = T.track(await nats.connect({ servers: url, token: "s3cret" }));
        const wrong = await T.capture(() => nc.reauthenticate({ token: "nope" }));
        const right = await T.capture(() => nc.reauthenticate({ authenticator: nats.tokenAuthenticator(() => "s3cret") }));
        const rtt = await T.capture(() => nc.rtt().then((ms) => ms >= 0));
        await nc.close();
        return { wrong: wrong.error?.code, right, rtt };
      }, { url: server.wsUrl });
      assert.deepEqual(r, { wrong: "AUTHORIZATION_VIOLATION", right: { ok: true, value: null }, rtt: { ok: true, value: true } });
    } finally {
      await server.stop();
    }
  });

  it("a user JWT that expires: the app swaps in a fresh one on AUTHENTICATION_EXPIRED; subscriptions carry on, nothing flushed is lost", {
    timeout: 60_000,
    skip: NEW_API,
  }, async () => {
    const operator = createOperator();
    const account = createAccount();
    const unlimited = { conn: -1, leaf: -1, subs: -1, data: -1, payload: -1, imports: -1, exports: -1, wildcards: true };
    const accountJwt = await jwt.encodeAccount("A", account, { limits: unlimited }, { signer: operator });
    const user = createUser();
    const seed = new TextDecoder().decode(user.getSeed());
    const shortJwt = await jwt.encodeUser("U", user, account, {}, { exp: Math.floor(Date.now() / 1000) + 3 });
    const freshJwt = await jwt.encodeUser("U", user, account);
    const server = await startServer({
      config: `operator: ${await jwt.encodeOperator("O", operator)}\nresolver: MEMORY\n` +
        `resolver_preload: { ${account.getPublicKey()}: ${accountJwt} }`,
    });
    try {
      const r = await h.env.run(async ({ mod, url, shortJwt, freshJwt, seed }) => {
        const nats = await import(mod);
        const te = new TextEncoder();
        const nc = T.track(await nats.connect({ servers: url, authenticator: nats.jwtAuthenticator(shortJwt, te.encode(seed)) }));
        const watcher = T.track(await nats.connect({ servers: url, authenticator: nats.jwtAuthenticator(freshJwt, te.encode(seed)) }));
        const got = new Set();
        watcher.subscribe("exp.out", { callback: (_, m) => got.add(Number(m.string())) });
        let inbound = 0;
        nc.subscribe("exp.in", { callback: () => inbound++ });
        await watcher.flush();
        await nc.flush();
        const seen = [];
        let swapped;
        (async () => {
          for await (const e of nc.status()) {
            seen.push(`${e.type}:${e.data}`);
            if (e.type === "error" && e.data === "AUTHENTICATION_EXPIRED") {
              swapped = T.capture(() => nc.reauthenticate({ authenticator: nats.jwtAuthenticator(freshJwt, te.encode(seed)) }));
            }
          }
        })();
        // Publish through the expiry, in batches of 20 each followed by a flush: every batch
        // whose flush resolved must arrive. (A batch whose flush failed was in the socket the
        // server cut when it expired the user: nats clients do not send it again.)
        let seq = 0;
        let flushedUpTo = -1;
        const flushed = [];
        let failedFlushes = 0;
        let unflushed = 0;
        // What happened around the expiry (a failure's diagnosis): flushes and events, in order.
        const log = [];
        (async () => {
          for await (const e of nc.status()) log.push(`${e.type} at ${seq}`);
        })();
        const end = Date.now() + 6000;
        while (Date.now() < end) {
          const from = seq;
          for (let i = 0; i < 20; i++) nc.publish("exp.out", String(seq++));
          const upTo = seq - 1;
          try {
            await nc.flush();
            flushedUpTo = upTo;
            for (let i = from; i <= upTo; i++) flushed.push(i);
          } catch (e) {
            failedFlushes++;
            unflushed += upTo - from + 1;
            log.push(`flush of ${from}..${upTo} failed: ${e.code}`);
          }
          await T.sleep(10);
        }
        const outcome = await T.within(swapped ?? Promise.resolve({ ok: false, error: "never swapped" }), 10_000, "swap");
        await nc.flush();
        const missing = () => flushed.filter((i) => !got.has(i));
        await T.until(() => missing().length === 0, 5000, "every flushed publish").catch(() => {});
        const lost = missing();
        for (let i = 0; i < 50; i++) watcher.publish("exp.in", "x");
        await watcher.flush();
        await T.until(() => inbound === 50, 5000, "the subscription carried on");
        const out = { outcome, seen, flushedUpTo, flushed: flushed.length, unflushed, published: seq, received: got.size, failedFlushes, inbound, closed: nc.isClosed(), lost: lost.length, lostFrom: lost[0], lostTo: lost.at(-1), log };
        await nc.close();
        await watcher.close();
        return out;
      }, { url: server.wsUrl, shortJwt, freshJwt, seed });
      console.log(`# reauth: JWT expired and swapped; ${r.published} published through it, ${r.flushed} flushed ` +
        `(${r.flushed - r.lost} of them received), ${r.received} received in all; ${r.failedFlushes} flush(es) ` +
        `failed at the drop (${r.unflushed} messages); events: ${r.seen.join(", ")}`);
      assert.equal(r.lost, 0, `flushed publishes lost: ${r.lost} (${r.lostFrom}..${r.lostTo}); ${JSON.stringify(r.log)}`);
      assert.deepEqual(r.outcome, { ok: true, value: null });
      assert.ok(r.seen.includes("error:AUTHENTICATION_EXPIRED"), r.seen.join());
      assert.ok(r.seen.some((s) => s.startsWith("reauthenticated:")), r.seen.join());
      assert.ok(r.flushedUpTo > 0 && r.published - r.flushedUpTo < 100, "publishing went on after the swap");
      assert.equal(r.inbound, 50);
      assert.equal(r.closed, false);
    } finally {
      await server.stop();
    }
  });
});
