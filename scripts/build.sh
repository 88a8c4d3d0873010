#!/usr/bin/env bash
# Builds the release site: the server binary (opt-level 3) and the WASM bundle (size-optimised
# profile wasm-release, then wasm-opt), precompresses the site (`.br` and `.gz` twins that the server
# sends to browsers that accept them) and reports the bundle size. Assumes scripts/setup.sh ran.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$JIXIAO_ROOT"
mapfile -t extra < <(jixiao_leptos_args)
cargo leptos build --release --precompress "${extra[@]}"
# Size report: each file the browser fetches from pkg/, raw and as sent (brotli twin, gzip twin).
pkg="target/site/pkg"
[ -d "$pkg" ] || { echo "no $pkg after the build" >&2; exit 1; }
# cargo-leptos writes its gzip twins at a low level (the WASM's is a fifth larger than gzip -9);
# browsers on plain HTTP get gzip, not brotli, so the twins are rewritten at the best level.
for f in "$pkg"/*.wasm "$pkg"/*.js "$pkg"/*.css; do
  gzip -9 -n -c "$f" > "$f.gz"
done
total_raw=0 total_br=0 total_gz=0
for f in "$pkg"/*; do
  case "$f" in *.br | *.gz | *.d.ts) continue ;; esac
  raw=$(stat -c %s "$f")
  br=$([ -f "$f.br" ] && stat -c %s "$f.br" || echo "$raw")
  gz=$([ -f "$f.gz" ] && stat -c %s "$f.gz" || gzip -9 -c "$f" | wc -c)
  printf 'bundle: %-28s %6d KiB raw  %6d KiB brotli  %6d KiB gzip\n' "$(basename "$f")" $((raw / 1024)) $((br / 1024)) $((gz / 1024))
  total_raw=$((total_raw + raw)) total_br=$((total_br + br)) total_gz=$((total_gz + gz))
done
printf 'bundle: %-28s %6d KiB raw  %6d KiB brotli  %6d KiB gzip\n' "total" $((total_raw / 1024)) $((total_br / 1024)) $((total_gz / 1024))
