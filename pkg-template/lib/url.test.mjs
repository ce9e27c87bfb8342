// Unit tests of url.js (node --test pkg-template/): the cases nats.ws resolves.
import test from "node:test";
import assert from "node:assert/strict";
import { wsUrl } from "./url.js";

test("server strings resolve as in nats.ws", () => {
  const cases = [
    ["ws://127.0.0.1:8080", "ws://127.0.0.1:8080/"],
    ["wss://example.com", "wss://example.com:443/"],
    ["ws://example.com", "ws://example.com:80/"],
    ["nats://demo.nats.io:4222", "ws://demo.nats.io:4222/"],
    ["tls://demo.nats.io", "wss://demo.nats.io:443/"],
    ["http://h:1", "ws://h:1/"],
    ["https://h", "wss://h:443/"],
    ["WS://H:1", "ws://h:1/"],
    ["localhost:9222", "wss://localhost:9222/"],
    ["127.0.0.1", "wss://127.0.0.1:443/"],
    ["  ws://h:1/path?x=1 ", "ws://h:1/path?x=1"],
    ["[::1]:8080", "wss://[::1]:8080/"],
    ["ws://[::1]", "ws://[::1]:80/"],
  ];
  for (const [input, want] of cases) assert.equal(wsUrl(input), want, input);
});

test("what is not a URL throws", () => {
  for (const bad of ["", "ws://", "http://a b", "::::"]) {
    assert.throws(() => wsUrl(bad), TypeError, JSON.stringify(bad));
  }
});
