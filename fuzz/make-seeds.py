#!/usr/bin/env python3
"""Records what a real nats-server sends for a scripted session and writes fuzz seeds.

Run from the repo root: python3 fuzz/make-seeds.py (starts and stops its own server with
scripts/nats-server.sh). The seeds are small and checked in; rerun after protocol changes.
"""
import json
import os
import re
import socket
import subprocess
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SEEDS = os.path.join(ROOT, "fuzz", "seeds")


def write(target, name, data):
    with open(os.path.join(SEEDS, target, name), "wb") as f:
        f.write(data)


def session(port):
    s = socket.create_connection(("127.0.0.1", port), timeout=5)
    got = b""
    while b"\r\n" not in got:
        got += s.recv(65536)
    client = (
        b'CONNECT {"verbose":false,"pedantic":false,"headers":true,"no_responders":true,"protocol":1}\r\n'
        b"SUB a.* 1\r\nSUB _INBOX.x.* q 2\r\n"
        b"PUB a.b 5\r\nhello\r\nPUB a.c _INBOX.x.1 0\r\n\r\n"
        b"HPUB a.d 24 28\r\nNATS/1.0\r\nK: v\r\nK: w\r\n\r\nbody\r\n"
        b"PUB nobody _INBOX.x.9 0\r\n\r\nUNSUB 1 1\r\nBOGUS\r\n"
    )
    s.sendall(client.replace(b"BOGUS\r\n", b"PING\r\n") + b"BOGUS\r\n")
    deadline = time.time() + 5
    while time.time() < deadline:
        try:
            chunk = s.recv(65536)
        except socket.timeout:
            break
        if not chunk:
            break
        got += chunk
        if got.count(b"PONG") >= 1 and b"-ERR" in got:
            break
    s.close()
    return got


def main():
    start = subprocess.run(
        [os.path.join(ROOT, "scripts", "nats-server.sh"), "start", "fuzz-seeds"],
        check=True, capture_output=True, text=True,
    )
    try:
        conf = open(os.path.join(ROOT, ".run", "fuzz-seeds", "server.conf")).read()
        port = int(re.search(r"^port: (\d+)", conf, re.M).group(1))
        transcript = session(port)
    finally:
        subprocess.run([os.path.join(ROOT, "scripts", "nats-server.sh"), "stop", "fuzz-seeds"])
    write("parser", "transcript", b"\x00" + transcript)
    write("parser", "transcript-split7", b"\x06" + transcript)
    info = transcript.split(b"\r\n", 1)[0][len(b"INFO "):]
    json.loads(info)
    write("json", "info", info)
    for i, block in enumerate(re.findall(rb"NATS/1\.0.*?\r\n\r\n", transcript, re.S)):
        write("headers", f"server-{i}", block)
    write("headers", "status-503", b"NATS/1.0 503\r\n\r\n")
    write("headers", "status-100", b"NATS/1.0 100 Idle Heartbeat\r\nNats-Last-Consumer: 0\r\n\r\n")
    print(f"seeds written from a {len(transcript)}-byte transcript")


if __name__ == "__main__":
    main()
