#!/usr/bin/env sh
# Installs the third-party GGUF parser GgufOracleTest runs (@huggingface/gguf, pinned in
# cli/src/test/gguf-oracle/package-lock.json) with npm. .ci/run calls it before the tests; run it once by hand
# before `./mvnw verify`, or set GRAFT_SKIP_NODE=1 to skip that one test where Node.js is not available.
set -eu
cd "$(dirname "$0")/../cli/src/test/gguf-oracle"
if ! command -v npm >/dev/null 2>&1; then
  echo "install-gguf-oracle: npm not found; install Node.js 20 or newer (or set GRAFT_SKIP_NODE=1 to skip GgufOracleTest)" >&2
  exit 1
fi
npm ci --no-audit --no-fund --loglevel=error
