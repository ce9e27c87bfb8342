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

/** Authenticates by signing the server nonce with an NKEY seed (ed25519, in nkeys.js). */
export function nkeyAuthenticator(seed) {
  return (nonce) => {
    try {
      const [nkey, sig] = nkeySign(seedText(value(seed)), nonce || "");
      return { nkey, sig };
    } catch (e) {
      throw fromCore(e);
    }
  };
}

/** Authenticates with a user JWT and, to sign the nonce, its NKEY seed. */
export function jwtAuthenticator(jwt, seed) {
  return (nonce) => {
    const auth = { jwt: value(jwt) };
    return seed ? { ...auth, ...nkeyAuthenticator(seed)(nonce) } : auth;
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

/**
 * Wraps an authenticator for the core (src/wasm/client.rs, `credentials_from_js`): the
 * fields as an array of strings, or `"<code> <message>"` when the authenticator threw.
 */
export function authFields(authenticate) {
  return (nonce) => {
    try {
      const auth = authenticate(nonce);
      return CREDENTIAL_FIELDS.map((k) => (typeof auth?.[k] === "string" ? auth[k] : undefined));
    } catch (e) {
      const code = e?.code === ErrorCode.BadCreds ? ErrorCode.BadCreds : ErrorCode.BadAuthentication;
      return `${code} ${typeof e?.message === "string" ? e.message : "the authenticator failed"}`;
    }
  };
}

/** Combines the user/pass, token and authenticator options into one authenticator. */
export function buildAuthenticator(opts) {
  const list = [].concat(opts.authenticator ?? []);
  if (opts.token) list.push(tokenAuthenticator(opts.token));
  if (opts.user) list.push(usernamePasswordAuthenticator(opts.user, opts.pass));
  return (nonce) => list.reduce((auth, a) => Object.assign(auth, a(nonce) || {}), {});
}
