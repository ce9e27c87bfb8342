// Decentralized auth: an operator-mode server with a preloaded account; users connect with a
// JWT and seed (jwtAuthenticator) or a .creds file (credsAuthenticator). The keys and JWTs
// are made fresh for each run.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as jwt from "@nats-io/jwt";
import { createAccount, createOperator, createUser } from "@nats-io/nkeys";
import { TIMEOUT, useEnv } from "./harness.mjs";

const operator = createOperator();
const account = createAccount();
const user = createUser();
const operatorJwt = await jwt.encodeOperator("O", operator);
// Unlimited account limits (the library's defaults allow no connections).
const unlimited = { conn: -1, leaf: -1, subs: -1, data: -1, payload: -1, imports: -1, exports: -1, wildcards: true };
const accountJwt = await jwt.encodeAccount("A", account, { limits: unlimited }, { signer: operator });
const userJwt = await jwt.encodeUser("U", user, account);
const creds = new TextDecoder().decode(jwt.fmtCreds(userJwt, user));
const userSeed = new TextDecoder().decode(user.getSeed());
// A user signed by an account the server does not know.
const strangerAccount = createAccount();
const stranger = createUser();
const strangerCreds = new TextDecoder().decode(
  jwt.fmtCreds(await jwt.encodeUser("X", stranger, strangerAccount), stranger),
);

const h = useEnv({
  config: `operator: ${operatorJwt}\nresolver: MEMORY\nresolver_preload: { ${account.getPublicKey()}: ${accountJwt} }`,
});

async function tryConnect(auth) {
  return await h.env.run(async ({ mod, url, auth }) => {
    const nats = await import(mod);
    const te = new TextEncoder();
    const authenticator = auth.creds
      ? nats.credsAuthenticator(te.encode(auth.creds))
      : nats.jwtAuthenticator(auth.jwt, te.encode(auth.seed));
    return await T.capture(async () => {
      const nc = T.track(await T.within(nats.connect({ servers: url, authenticator }), 10000, "connect"));
      await nc.flush();
      await nc.close();
      return "connected";
    });
  }, { auth });
}

describe("jwt authentication", () => {
  it("connects with a .creds file", { timeout: TIMEOUT }, async () => {
    const r = await tryConnect({ creds });
    assert.deepEqual(r, { ok: true, value: "connected" });
  });

  it("connects with a JWT and its seed", { timeout: TIMEOUT }, async () => {
    const r = await tryConnect({ jwt: userJwt, seed: userSeed });
    assert.deepEqual(r, { ok: true, value: "connected" });
  });

  it("a user of an unknown account is refused with AUTHORIZATION_VIOLATION", { timeout: TIMEOUT }, async () => {
    const r = await tryConnect({ creds: strangerCreds });
    assert.equal(r.ok, false);
    assert.equal(r.error.code, "AUTHORIZATION_VIOLATION", JSON.stringify(r.error));
  });

  it("unparseable creds fail with BAD_CREDS before anything is sent", { timeout: TIMEOUT }, async () => {
    const r = await tryConnect({ creds: "not a creds file" });
    assert.equal(r.ok, false);
    assert.equal(r.error.code, "BAD_CREDS", JSON.stringify(r.error));
  });
});
