#!/usr/bin/env bash
# Builds the release site: the server binary (opt-level 3) and the WASM bundle (size-optimised
# profile wasm-release, then wasm-opt), and reports the bundle size. Assumes scripts/setup.sh ran.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$JIXIAO_ROOT"
mapfile -t extra < <(jixiao_leptos_args)
cargo leptos build --release "${extra[@]}"
wasm="target/site/pkg/jixiao.wasm"
if [ -f "$wasm" ]; then
  raw=$(stat -c %s "$wasm")
  gz=$(gzip -9 -c "$wasm" | wc -c)
  printf 'WASM bundle: %s — %d KiB raw, %d KiB gzipped\n' "$wasm" $((raw / 1024)) $((gz / 1024))
fi
