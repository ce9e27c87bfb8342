// Name and config checks the JetStream API makes before sending anything, with nats.ws's
// messages: a name becomes a subject token, so a '.', a wildcard or a space in it would
// address another stream or consumer than the one meant.

/**
 * The error for a bad name, key or subject: nats.ws's plain Error, with its message word for
 * word, and a code it does not have (`BAD_SUBJECT`: what is checked becomes a subject token,
 * else `INVALID_OPTION`), so that callers can tell what was refused without reading text.
 */
export function refused(message, code = "BAD_SUBJECT") {
  const err = new Error(message);
  err.code = code;
  return err;
}

// In nats.ws's order: the first of these the name holds is the one reported.
const BAD = [".", "*", ">", "/", "\\", " ", "\t", "\n", "\r"];
const SHOWN = { "\t": "\\t", "\n": "\\n", "\r": "\\r" };

/**
 * Throws unless `name` is a usable subject token: `<context> name required`, or
 * `invalid <context> name - <context> name cannot contain '<c>'`.
 */
export function minValidation(context, name = "") {
  if (name === "" || name === null) throw refused(`${context} name required`);
  if (typeof name !== "string") throw refused(`invalid ${context} name - ${context} name must be a string`);
  const c = BAD.find((b) => name.includes(b));
  if (c !== undefined) {
    throw refused(`invalid ${context} name - ${context} name cannot contain '${SHOWN[c] || c}'`);
  }
  return "";
}

/** A stream name is a subject token (`STREAM.INFO.<name>`). */
export function validateStreamName(name) {
  return minValidation("stream", name);
}

/** A durable consumer name is a subject token (`CONSUMER.INFO.<stream>.<durable>`). */
export function validateDurableName(name) {
  return minValidation("durable", name);
}

/** A consumer's `name`, reported as nats.ws does: `consumer 'name' cannot contain '<c>'`. */
export function validateConsumerName(name) {
  try {
    minValidation("name", name);
  } catch (err) {
    const at = err.message.indexOf("cannot contain");
    throw at === -1 ? err : refused(`consumer 'name' ${err.message.slice(at)}`);
  }
}

/** The stricter check of KV buckets and object stores: letters, digits, '-' and '_' only. */
export function validateName(context, name = "") {
  if (name === "") throw refused(`${context} name required`);
  const m = validName(name);
  if (m.length) throw refused(`invalid ${context} name - ${context} name ${m}`);
}

/** "" for a name of `[-\w]` characters, else `cannot contain '<first bad character>'`. */
export function validName(name = "") {
  if (name === "") throw refused("name required");
  const bad = /^[-\w]+$/.test(name) ? undefined : name.split("").find((c) => !/^[-\w]$/.test(c));
  return bad === undefined ? "" : `cannot contain '${bad}'`;
}

/** Throws unless `cfg` is an object: a missing or mistyped config must not reach the server. */
export function validateConfig(context, cfg) {
  if (cfg === null || typeof cfg !== "object" || Array.isArray(cfg)) {
    throw refused(`${context} configuration must be an object`, "INVALID_OPTION");
  }
}

/** A KV bucket or object store name, as nats.ws checks it: letters, digits, '-' and '_'. */
export function validateBucket(name) {
  if (!/^[-\w]+$/.test(name)) throw refused(`invalid bucket name: ${name}`);
}
