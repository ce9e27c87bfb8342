// Authenticators: credentials for each handshake, in the shape the core reads.
import { CREDENTIAL_FIELDS } from "./interface.js";
import { ErrorCode } from "./enums.js";
import { fromCore } from "./errors.js";
import { TD } from "./codecs.js";
import { nkeySign, parseCreds } from "./nkeys.js";

const value = (v) => (typeof v === "function" ? v() : v);

/** Authenticates with a user and password (either may be a function, called at every connect). */
export function usernamePasswordAuthenticator(user, pass) {
  return () => ({ user: value(user), pass: value(pass) });
}

/** Authenticates with a token (or a function returning one, called at every connect). */
export function tokenAuthenticator(token) {
  return () => ({ auth_token: value(token) });
}

const seedText = (s) => (typeof s === "string" ? s : TD.decode(s));

/**
 * Authenticates by signing the server nonce with an NKEY seed (ed25519, see nkeys.js): its
 * result is a promise (WebCrypto signs asynchronously; nats.ws's is synchronous). A bad seed
 * throws at once.
 */
export function nkeyAuthenticator(seed) {
  return (nonce) => {
    let signing;
    try {
      signing = nkeySign(seedText(value(seed)), nonce || "");
    } catch (e) {
      throw fromCore(e);
    }
    return signing.then(([nkey, sig]) => ({ nkey, sig }));
  };
}

/** Authenticates with a user JWT and, to sign the nonce, its NKEY seed (then a promise). */
export function jwtAuthenticator(jwt, seed) {
  return (nonce) => {
    const auth = { jwt: value(jwt) };
    return seed ? nkeyAuthenticator(seed)(nonce).then((signed) => ({ ...auth, ...signed })) : auth;
  };
}

/** Authenticates with the contents of a `.creds` file (a user JWT and its seed). */
export function credsAuthenticator(creds) {
  return (nonce) => {
    let jwt, seed;
    try {
      [jwt, seed] = parseCreds(TD.decode(value(creds)));
    } catch (e) {
      throw fromCore(e);
    }
    return jwtAuthenticator(jwt, seed)(nonce);
  };
}

/** Whether `v` is a promise (an authenticator that signs asynchronously returns one). */
const pending = (v) => typeof v?.then === "function";

/**
 * The host's `authenticate(nonce)` (src/wasm/host.rs): runs `authenticate` and hands
 * `answer` what the core reads (src/interface.rs, `credential`): the nonce, the failure as
 * `"<code> <message>"` when the authenticator threw or rejected, then the credential
 * fields. At once for a synchronous authenticator, when it settles for one that returns a
 * promise.
 */
export function authenticator(authenticate, answer) {
  return (nonce) => {
    const give = (auth, failure) => answer(CREDENTIAL_FIELDS.map((k) =>
      k === "nonce" ? nonce : k === "failure" ? failure : typeof auth?.[k] === "string" ? auth[k] : undefined));
    const fail = (e) => {
      const code = e?.code === ErrorCode.BadCreds ? ErrorCode.BadCreds : ErrorCode.BadAuthentication;
      give(undefined, `${code} ${typeof e?.message === "string" ? e.message : "the authenticator failed"}`);
    };
    let auth;
    try {
      auth = authenticate(nonce);
    } catch (e) {
      return fail(e);
    }
    if (pending(auth)) auth.then((a) => give(a), fail);
    else give(auth);
  };
}

/**
 * Combines the user/pass, token and authenticator options into one authenticator; its
 * result is a promise when one of them returns a promise.
 */
export function buildAuthenticator(opts) {
  const list = [].concat(opts.authenticator ?? []);
  if (opts.token) list.push(tokenAuthenticator(opts.token));
  if (opts.user) list.push(usernamePasswordAuthenticator(opts.user, opts.pass));
  return (nonce) => {
    const parts = list.map((a) => a(nonce) || {});
    const merge = (all) => Object.assign({}, ...all);
    return parts.some(pending) ? Promise.all(parts).then(merge) : merge(parts);
  };
}
