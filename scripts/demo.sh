#!/usr/bin/env bash
# `make demo`: sets up, builds the package, starts two local nats-servers clustered together
# (WebSocket and routes on loopback only, so the page can fail over from one to the other), both
# with JetStream (the chat's History view reads the CHAT stream), and serves www/ until
# interrupted (then stops both servers it started).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build-pkg.sh

# server_name, JetStream and a cluster block routing to the other node: NAME OWN_PORT PEER_PORT.
# Clustered JetStream wants a distinct server_name per node; with two nodes its meta group needs
# both up to create a stream (the demo's CHAT stream has one replica, on either node).
node_config() {
  cat <<CONF
server_name: $1
jetstream { store_dir: "$PWD/.run/$1/js" }
cluster {
  name: demo
  host: 127.0.0.1
  port: $2
  routes: [ "nats-route://127.0.0.1:$3" ]
}
CONF
}
route1=$(scripts/nats-server.sh free-port)
route2=$(scripts/nats-server.sh free-port)
while [ "$route2" = "$route1" ]; do route2=$(scripts/nats-server.sh free-port); done

trap 'scripts/nats-server.sh stop demo-1; scripts/nats-server.sh stop demo-2' EXIT
# each run of the demo starts with empty JetStream stores (no history from the last one)
for n in demo-1 demo-2; do
  scripts/nats-server.sh stop "$n"
  rm -rf ".run/$n/js"
done
ws1=$(scripts/nats-server.sh start demo-1 "$(node_config demo-1 "$route1" "$route2")")
ws2=$(scripts/nats-server.sh start demo-2 "$(node_config demo-2 "$route2" "$route1")")
echo "nats-server demo-1: $ws1 (log .run/demo-1/server.log)"
echo "nats-server demo-2: $ws2 (log .run/demo-2/server.log)"
node www/serve.mjs "$ws1,$ws2" "${DEMO_PORT:-8000}"
