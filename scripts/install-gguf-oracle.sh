#!/usr/bin/env sh
# Installs the third-party GGUF readers the oracle tests run, pinned in cli/src/test/gguf-oracle/package-lock.json,
# with npm: Hugging Face's parser @huggingface/gguf (GgufOracleTest) and llama.cpp itself, as node-llama-cpp's
# prebuilt CPU build for Linux x64 (LlamaCppOracleTest; its libggml-base.so also serves GgmlReferenceQuantizerTest).
# .ci/run calls it before the tests; run it once by hand before `./mvnw verify`, or set GRAFT_SKIP_NODE=1 to skip
# those tests where Node.js is not available.
#
# --omit=optional: node-llama-cpp lists a prebuilt package per platform and GPU (CUDA ones are hundreds of MB); the
# one the tests load, @node-llama-cpp/linux-x64, is a direct dependency instead, so it alone is installed (~90 MB
# in all). --ignore-scripts: node-llama-cpp's postinstall only looks for those binaries and offers to download or
# build llama.cpp where they are missing; nothing here needs it, and the tests load the binaries with building and
# downloading turned off.
set -eu
cd "$(dirname "$0")/../cli/src/test/gguf-oracle"
if ! command -v npm >/dev/null 2>&1; then
  echo "install-gguf-oracle: npm not found; install Node.js 20 or newer (or set GRAFT_SKIP_NODE=1 to skip GgufOracleTest, LlamaCppOracleTest and GgmlReferenceQuantizerTest)" >&2
  exit 1
fi
npm ci --omit=optional --ignore-scripts --no-audit --no-fund --loglevel=error
