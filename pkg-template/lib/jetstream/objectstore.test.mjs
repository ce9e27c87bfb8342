// Object store encodings and status against nats.ws's own: the base64url (padded) of meta
// subjects and digests, the digest parser, and the status view of a bucket's stream info.
import { test } from "node:test";
import assert from "node:assert/strict";
import { base64UrlPadded, ObjectStoreStatus, parseDigest } from "./objectstore.js";
import { natsws } from "./testing.mjs";

const { Base64UrlPaddedCodec } = natsws("nats-base-client/base64.js");
const { parseSha256 } = natsws("jetstream/sha_digest.parser.js");
const { ObjectStoreStatusImpl } = natsws("jetstream/objectstore.js");

test("base64url with padding: as nats.ws for Latin-1 names and for bytes", () => {
  for (const name of ["a", "ab", "abc", "file.txt", "dir/sub/name?x=1", "~~~>>>???", "", "café", "\xff\x00"]) {
    assert.equal(base64UrlPadded(name), Base64UrlPaddedCodec.encode(name), name);
  }
  for (let n = 0; n < 40; n++) {
    const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 97 + n * 31) & 255);
    assert.equal(base64UrlPadded(bytes), Base64UrlPaddedCodec.encode(bytes), `${n} bytes`);
  }
  // Beyond Latin-1 nats.ws's btoa throws; here the name's UTF-8 bytes are encoded.
  assert.equal(base64UrlPadded("π"), Base64UrlPaddedCodec.encode(Uint8Array.of(0xcf, 0x80)));
});

test("digests parse as nats.ws parses them: hex, base64, base64url; anything else is null", () => {
  const digest = Uint8Array.from({ length: 32 }, (_, i) => (i * 37) & 255);
  const forms = [
    Buffer.from(digest).toString("hex"),
    Buffer.from(digest).toString("hex").toUpperCase(),
    Buffer.from(digest).toString("base64"),
    Base64UrlPaddedCodec.encode(digest),
    Buffer.from(digest).toString("base64url"),
  ];
  for (const f of forms) {
    assert.deepEqual(parseDigest(f), digest, f);
    assert.deepEqual(parseDigest(f), parseSha256(f), f);
  }
  for (const bad of ["not a digest!", "AbCdE+-"]) assert.equal(parseDigest(bad), parseSha256(bad), bad);
});

test("ObjectStoreStatus reads a stream info as nats.ws's does", () => {
  const si = {
    config: { name: "OBJ_files", description: "d", max_age: 5e9, storage: "file", num_replicas: 1, sealed: false, metadata: { a: "b" }, compression: "none" },
    state: { bytes: 1234 },
  };
  const ours = new ObjectStoreStatus(si);
  const theirs = new ObjectStoreStatusImpl(si);
  for (const k of ["bucket", "description", "ttl", "storage", "replicas", "sealed", "size", "metadata", "compression", "backingStore"]) {
    assert.deepEqual(ours[k], theirs[k], k);
  }
  assert.equal(ours.bucket, "files");
});
