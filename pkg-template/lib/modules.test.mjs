// Unit tests of the glue's modules (node --test pkg-template/): each imports without the
// package build, and each one's job is checked on its own.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import * as iface from "./interface.js";
import { ErrorCode, Match } from "./enums.js";
import { NatsError, fromCore } from "./errors.js";
import { MsgHdrsImpl, canonicalMIMEHeaderKey, headerBytes, headers } from "./headers.js";
import { hostPort, numberOption, parseOptions, wasmConfig } from "./options.js";
import { renderFrame } from "./sockets.js";
import { authenticator, buildAuthenticator, tokenAuthenticator } from "./auth.js";
import { QueuedIterator } from "./iterator.js";
import { createInbox, nuid } from "./nuid.js";

test("every module of lib/ imports without the build", async () => {
  const dir = new URL("./", import.meta.url);
  const modules = fs.readdirSync(dir).filter((f) => f.endsWith(".js"));
  assert.ok(modules.length >= 15, modules.join(" "));
  for (const f of modules) await import(new URL(f, dir));
});

test("errors from the core keep their code, message and permission context", () => {
  const e = fromCore(`PERMISSIONS_VIOLATION 'Permissions Violation for Subscription to "a.b" using queue "q"'`);
  assert.ok(e instanceof NatsError);
  assert.equal(e.code, ErrorCode.PermissionsViolation);
  assert.equal(e.message, `'Permissions Violation for Subscription to "a.b" using queue "q"'`);
  assert.deepEqual(e.permissionContext, { operation: "subscription", subject: "a.b", queue: "q" });
  assert.equal(fromCore("NOT_A_CODE at all").code, ErrorCode.Unknown);
  assert.equal(fromCore(new TypeError("x")).code, ErrorCode.Unknown);
});

test("headers encode as the wire block and decode back; bad keys and values throw BAD_HEADER", () => {
  const h = headers();
  h.append("id", "1");
  h.append("Id", "2", Match.CanonicalMIME);
  h.set("X-Other", "  v  ");
  const block = new TextDecoder().decode(headerBytes(h));
  assert.equal(block, "NATS/1.0\r\nid: 1\r\nId: 2\r\nX-Other: v\r\n\r\n");
  const back = MsgHdrsImpl.decode(headerBytes(h));
  assert.ok(back.equals(h));
  assert.deepEqual(back.values("id", Match.IgnoreCase), ["1", "2"]);
  assert.equal(canonicalMIMEHeaderKey("content-type"), "Content-Type");
  for (const bad of [() => h.append("a b", "v"), () => h.append("k:", "v"), () => h.append("k", "a\r\nPUB x 0")]) {
    assert.throws(bad, (e) => e.code === ErrorCode.BadHeader);
  }
  const status = MsgHdrsImpl.decode(new TextEncoder().encode("NATS/1.0 503\r\n\r\n"));
  assert.equal(status.code, 503);
  assert.equal(headerBytes(undefined), undefined);
});

test("options become the config array the wasm reads, in the interface's order", () => {
  const o = parseOptions({ servers: "ws://h:1", noEcho: true, pingInterval: 5, name: "n", inboxPrefix: "_I.x" });
  const config = wasmConfig(o);
  const at = (name) => config[iface.CONFIG_NUMBERS.indexOf(name)];
  assert.equal(at("noEcho"), 1);
  assert.equal(at("pingInterval"), 5);
  assert.ok(Number.isNaN(at("timeout")), "unset numbers are NaN");
  const texts = iface.CONFIG_NUMBERS.length;
  assert.equal(config[texts + iface.CONFIG_TEXTS.indexOf("name")], "n");
  assert.match(config[texts + iface.CONFIG_TEXTS.indexOf("muxInbox")], /^_I\.x\.[0-9A-Za-z]{22}$/);
  assert.deepEqual(config.slice(texts + iface.CONFIG_TEXTS.length), ["ws://h:1"]);
  assert.throws(() => parseOptions({ nope: 1 }), (e) => e.code === ErrorCode.InvalidOption);
  assert.throws(() => parseOptions({ timeout: -1 }), (e) => e.code === ErrorCode.InvalidOption);
  assert.equal(hostPort("ws://h"), "h:80");
  assert.equal(hostPort("h:4443"), "h:4443");
  assert.equal(hostPort("wss://h/path"), "h:443");
  assert.deepEqual([numberOption(undefined, 7), numberOption(0, 7), numberOption(3, 7)], [7, 7, 3]);
  assert.ok(Number.isNaN(numberOption("3", 7)), "only numbers");
});

test("the debug trace renders CR and LF and masks credentials", () => {
  const line = 'CONNECT {"user":"u","pass":"s3cr\\"et","auth_token":"t","jwt":"j","sig":"x"}\r\nPING\r\n';
  assert.equal(renderFrame(line),
    'CONNECT {"user":"u","pass":"[REDACTED]","auth_token":"[REDACTED]","jwt":"[REDACTED]","sig":"[REDACTED]"}␍␊PING␍␊');
});

test("the authenticator's answer is laid out as the core reads it; async and failing ones too", async () => {
  const answers = [];
  const answer = (a) => answers.push(a);
  const field = (a, name) => a[iface.CREDENTIAL_FIELDS.indexOf(name)];
  authenticator(buildAuthenticator({ user: "u", pass: "p", authenticator: tokenAuthenticator("t") }), answer)("n1");
  assert.deepEqual([field(answers[0], "nonce"), field(answers[0], "user"), field(answers[0], "auth_token")], ["n1", "u", "t"]);
  authenticator(async () => ({ jwt: "j" }), answer)("n2");
  await new Promise((r) => setTimeout(r, 0));
  assert.deepEqual([field(answers[1], "nonce"), field(answers[1], "jwt")], ["n2", "j"]);
  authenticator(() => {
    throw new NatsError("bad seed", ErrorCode.BadCreds);
  }, answer)("n3");
  assert.equal(field(answers[2], "failure"), "BAD_CREDS bad seed");
});

test("an iterator that nobody reads is bounded", () => {
  const it = new QueuedIterator();
  it._pendingMsgsLimit = 3;
  for (let i = 0; i < 10; i++) it._offer({ data: new Uint8Array(1) });
  assert.equal(it.getPending(), 3);
  assert.equal(it.getDropped(), 7);
});

test("inboxes and NUIDs", () => {
  assert.match(createInbox(), /^_INBOX\.[0-9A-Za-z]{22}$/);
  assert.notEqual(nuid.next(), nuid.next());
  assert.throws(() => createInbox("a.*"));
});
