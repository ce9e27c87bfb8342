# nats-wasm: the two commands a new machine needs are `make demo` and `make test`.
.PHONY: demo test pkg bench fuzz docs setup clean

## Build the package, start two clustered nats-servers (WebSocket on loopback), serve www/.
demo:
	bash scripts/demo.sh

## Set up what is missing and run every test (ends with "N passed, N failed").
test:
	bash scripts/test.sh

## Build the npm package into pkg/.
pkg: setup
	bash scripts/build-pkg.sh

## Run the browser benchmark against nats.ws (never part of `make test`).
bench: setup
	bash scripts/bench.sh

## Fuzz every target for 5 minutes (make test runs them for 20 s each).
fuzz: setup
	bash scripts/fuzz.sh 300

## Generate the API reference (typedoc, from pkg-template/index.d.ts) into docs/api/.
docs:
	bash scripts/docs.sh

## Install the pinned toolchain (idempotent).
setup:
	bash scripts/setup.sh

clean:
	rm -rf pkg target/wasm-pack .run
