#!/usr/bin/env bash
# Starts or stops a local nats-server with WebSocket on loopback, for tests and the demo.
#   scripts/nats-server.sh start NAME [EXTRA_CONFIG]  -> prints the ws:// URL
#   scripts/nats-server.sh stop NAME
#   scripts/nats-server.sh free-port                   -> prints a free loopback port
#     (for EXTRA_CONFIG that needs one, e.g. the cluster block of scripts/demo.sh)
# State lives in .run/NAME/ (config, log, pid). Only the PID we started is ever killed.
set -euo pipefail
cd "$(dirname "$0")/.."
cmd=${1:?start, stop or free-port}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}
if [ "$cmd" = free-port ]; then free_port; exit 0; fi

name=${2:?name}
dir=".run/$name"

case "$cmd" in
  start)
    "$0" stop "$name" >/dev/null 2>&1 || true
    mkdir -p "$dir"
    port=$(free_port); ws=$(free_port); mon=$(free_port)
    cat > "$dir/server.conf" <<CONF
host: 127.0.0.1
port: $port
http: 127.0.0.1:$mon
websocket {
  host: 127.0.0.1
  port: $ws
  no_tls: true
}
${3:-}
CONF
    nats-server -c "$dir/server.conf" > "$dir/server.log" 2>&1 &
    echo $! > "$dir/pid"
    for _ in $(seq 1 100); do
      if curl -fs "http://127.0.0.1:$mon/varz" >/dev/null 2>&1; then
        echo "ws://127.0.0.1:$ws" > "$dir/ws_url"
        echo "http://127.0.0.1:$mon" > "$dir/monitor_url"
        cat "$dir/ws_url"
        exit 0
      fi
      sleep 0.1
    done
    echo "nats-server did not start; see $dir/server.log" >&2
    "$0" stop "$name"
    exit 1
    ;;
  stop)
    if [ -f "$dir/pid" ]; then
      pid=$(cat "$dir/pid")
      if kill -0 "$pid" 2>/dev/null; then
        kill "$pid" 2>/dev/null || true
        for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$pid" 2>/dev/null || true
      fi
      rm -f "$dir/pid"
    fi
    ;;
  *) echo "usage: $0 start|stop NAME [EXTRA_CONFIG] | free-port" >&2; exit 2 ;;
esac
