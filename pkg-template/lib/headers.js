// Message headers as nats.ws shapes them: the object users build and read. The wire block
// it encodes to is checked again by the core before it is sent (src/proto/headers.rs).
import { ErrorCode, Match } from "./enums.js";
import { NatsError } from "./errors.js";
import { TD, TE } from "./codecs.js";

/** Canonical MIME form of a header key (`content-type` -> `Content-Type`); `BAD_HEADER` on invalid characters. */
export function canonicalMIMEHeaderKey(k) {
  let out = "";
  let upper = true;
  for (let i = 0; i < k.length; i++) {
    let c = k.charCodeAt(i);
    if (c === 58 || c < 33 || c > 126) {
      throw new NatsError(`'${k[i]}' is not a valid character for a header key`, ErrorCode.BadHeader);
    }
    if (upper && c >= 97 && c <= 122) c -= 32;
    else if (!upper && c >= 65 && c <= 90) c += 32;
    out += String.fromCharCode(c);
    upper = c === 45;
  }
  return out;
}

function validHeaderValue(v) {
  if (/[\r\n]/.test(v)) {
    throw new NatsError("invalid header value - \\r and \\n are not allowed.", ErrorCode.BadHeader);
  }
  return v.trim();
}

const HEADER = "NATS/1.0";

/** Message headers: ordered keys, each with one or more values. */
export class MsgHdrsImpl {
  constructor(code = 0, description = "") {
    this._code = code;
    this._description = description;
    this.headers = new Map();
  }
  [Symbol.iterator]() {
    return this.headers.entries();
  }
  size() {
    return this.headers.size;
  }
  equals(mh) {
    if (!mh || this.headers.size !== mh.headers.size || this._code !== mh._code) return false;
    for (const [k, v] of this.headers) {
      const a = mh.values(k);
      if (v.length !== a.length) return false;
      const vv = [...v].sort();
      const aa = [...a].sort();
      for (let i = 0; i < vv.length; i++) if (vv[i] !== aa[i]) return false;
    }
    return true;
  }
  /** Parses a header block received from the server. */
  static decode(a) {
    const mh = new MsgHdrsImpl();
    const lines = TD.decode(a).split("\r\n");
    const status = lines[0].slice(HEADER.length).trim();
    if (status.length > 0) {
      const sp = status.indexOf(" ");
      const code = parseInt(sp === -1 ? status : status.slice(0, sp), 10);
      mh._code = isNaN(code) ? 0 : code;
      mh._description = sp === -1 ? "" : status.slice(sp + 1).trim();
    }
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i];
      if (!line) continue;
      const idx = line.indexOf(":");
      if (idx < 1) continue;
      const k = line.slice(0, idx);
      const v = line.slice(idx + 1).trim();
      let values = mh.headers.get(k);
      if (!values) mh.headers.set(k, (values = []));
      values.push(v);
    }
    return mh;
  }
  toString() {
    if (this.headers.size === 0 && this._code === 0) return "";
    let s = HEADER;
    if (this._code > 0 && this._description !== "") s += ` ${this._code} ${this._description}`;
    for (const [k, v] of this.headers) {
      for (let i = 0; i < v.length; i++) s += `\r\n${k}: ${v[i]}`;
    }
    return `${s}\r\n\r\n`;
  }
  encode() {
    return TE.encode(this.toString());
  }
  keys() {
    return [...this.headers.keys()];
  }
  findKeys(k, match = Match.Exact) {
    const keys = this.keys();
    switch (match) {
      case Match.Exact:
        return keys.filter((v) => v === k);
      case Match.CanonicalMIME: {
        const ck = canonicalMIMEHeaderKey(k);
        return keys.filter((v) => v === ck);
      }
      default: {
        const lk = k.toLowerCase();
        return keys.filter((v) => v.toLowerCase() === lk);
      }
    }
  }
  get(k, match = Match.Exact) {
    const keys = this.findKeys(k, match);
    return keys.length ? this.headers.get(keys[0])[0] : "";
  }
  last(k, match = Match.Exact) {
    const keys = this.findKeys(k, match);
    if (!keys.length) return "";
    const v = this.headers.get(keys[0]);
    return v[v.length - 1];
  }
  has(k, match = Match.Exact) {
    return this.findKeys(k, match).length > 0;
  }
  set(k, v, match = Match.Exact) {
    this.delete(k, match);
    this.append(k, v, match);
  }
  append(k, v, match = Match.Exact) {
    const ck = canonicalMIMEHeaderKey(k);
    if (match === Match.CanonicalMIME) k = ck;
    const keys = this.findKeys(k, match);
    k = keys.length > 0 ? keys[0] : k;
    const value = validHeaderValue(String(v));
    let a = this.headers.get(k);
    if (!a) this.headers.set(k, (a = []));
    a.push(value);
  }
  values(k, match = Match.Exact) {
    const out = [];
    for (const key of this.findKeys(k, match)) out.push(...this.headers.get(key));
    return out;
  }
  delete(k, match = Match.Exact) {
    for (const key of this.findKeys(k, match)) this.headers.delete(key);
  }
  get hasError() {
    return this._code >= 300;
  }
  get status() {
    return `${this._code} ${this._description}`.trim();
  }
  toRecord() {
    const data = {};
    for (const k of this.keys()) data[k] = this.values(k);
    return data;
  }
  get code() {
    return this._code;
  }
  get description() {
    return this._description;
  }
  static fromRecord(r) {
    const h = new MsgHdrsImpl();
    for (const k in r) h.headers.set(k, r[k]);
    return h;
  }
}

/** Creates headers, optionally with a status code and description (both or neither). */
export function headers(code = 0, description = "") {
  if ((code === 0 && description !== "") || (code > 0 && description === "")) {
    throw new Error("setting status requires both code and description");
  }
  return new MsgHdrsImpl(code, description);
}

/** The wire block of a publish's `headers` option, undefined when there are none. */
export function headerBytes(h) {
  if (h === undefined || h === null) return undefined;
  if (typeof h.encode !== "function") throw new NatsError("headers must be created with headers()", ErrorCode.BadHeader);
  return h.encode();
}

