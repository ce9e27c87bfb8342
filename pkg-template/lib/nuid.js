// NUIDs and inbox subjects: usable before the wasm module is loaded, as in nats.ws.

const B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const nuidBytes = new Uint8Array(22);

/** A 22-character random id (same alphabet and length as NATS NUIDs). */
export function nextNuid() {
  crypto.getRandomValues(nuidBytes);
  let s = "";
  // 62 * 4 = 248: rejecting bytes >= 248 keeps every character equally likely.
  for (let i = 0; i < 22; i++) {
    let b = nuidBytes[i];
    while (b >= 248) b = crypto.getRandomValues(new Uint8Array(1))[0];
    s += B62[b % 62];
  }
  return s;
}

/** A unique inbox subject: `_INBOX.<nuid>`, or `<prefix>.<nuid>`. */
export function createInbox(prefix = "") {
  prefix = prefix || "_INBOX";
  if (typeof prefix !== "string") throw new Error("prefix must be a string");
  for (const t of prefix.split(".")) {
    if (t === "*" || t === ">") throw new Error(`inbox prefixes cannot have wildcards '${prefix}'`);
  }
  return `${prefix}.${nextNuid()}`;
}

/** NUID generator (22 base-62 characters). */
export class Nuid {
  next() {
    return nextNuid();
  }
}

/** The shared NUID generator, exported as `nuid` (as in nats.ws). */
const nuidGenerator = new Nuid();
export { nuidGenerator as nuid };
