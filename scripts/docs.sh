#!/usr/bin/env bash
# The API reference: typedoc renders pkg-template/index.d.ts (the package's public types and
# their doc comments) as HTML into docs/api/ (generated, git-ignored). Settings are in
# docs/typedoc.json; any typedoc warning (a broken doc comment or link, a public type that
# refers to one not in the reference) fails this script. Extra arguments go to typedoc.
set -euo pipefail
cd "$(dirname "$0")/.."

TYPEDOC=node_modules/.bin/typedoc
if [ ! -x "$TYPEDOC" ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "[docs] npm ci" >&2
  npm ci --no-audit --no-fund --loglevel=error
fi
if [ ! -x "$TYPEDOC" ]; then
  echo "[docs] typedoc is not installed: it must be a devDependency in package.json" >&2
  exit 1
fi

"$TYPEDOC" --options docs/typedoc.json "$@"
echo "[docs] open docs/api/index.html"
