#!/usr/bin/env bash
# Installs what jixiao needs to build, run and test, and only what is missing.
# Idempotent: a second run installs nothing and takes seconds. Works offline except for
# the package registries (Debian, crates.io, npm).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$JIXIAO_ROOT"

# Versions that must match the lock file / each other.
WASM_BINDGEN_VERSION="$(grep -A1 '^name = "wasm-bindgen"$' Cargo.lock | sed -n 's/^version = "\(.*\)"/\1/p')"
CARGO_LEPTOS_VERSION=0.3.11
BINARYEN_VERSION=132.0.0

say() { printf '\033[1;34m[setup]\033[0m %s\n' "$*"; }
SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"

apt_missing=()
need_deb() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed" || apt_missing+=("$1"); }
if [ "$JIXIAO_BUILD_STD" = 1 ]; then
  for p in rustc-web cargo-web rust-web-src lld-22 rust-web-clippy rustfmt-web; do need_deb "$p"; done
fi
# fonts-wqy-microhei: the one-face CJK font charts are measured and drawn with (reports/src/charts/font.rs);
# poppler-utils: pdftotext / pdftoppm for the report tests.
for p in chromium fonts-noto-cjk fonts-wqy-microhei poppler-utils pkg-config; do need_deb "$p"; done
if [ "${#apt_missing[@]}" -gt 0 ]; then
  say "apt-get install ${apt_missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${apt_missing[@]}" >/dev/null
fi
# LibreOffice without a GUI (about 40 s): Calc for the tests that re-save templates as xlsx / ods /
# xls the way offices do; Writer to turn the 绩效自评报告 DOCX into PDF (reports/src/pdf.rs).
lo_missing=()
for p in libreoffice-calc-nogui libreoffice-writer-nogui; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || lo_missing+=("$p")
done
if [ "${#lo_missing[@]}" -gt 0 ]; then
  say "apt-get install --no-install-recommends ${lo_missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${lo_missing[@]}" >/dev/null
fi

if [ "$JIXIAO_BUILD_STD" = 1 ] && ! rustup toolchain list | grep -q '^system'; then
  say "rustup toolchain link system /usr (Debian rustc $(/usr/bin/rustc --version | cut -d' ' -f2))"
  rustup toolchain link system /usr
fi

if ! cargo leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then
  say "cargo install cargo-leptos $CARGO_LEPTOS_VERSION (about 25 minutes on 2 cores, once per machine)"
  cargo install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked --features no_downloads
fi

if ! wasm-bindgen --version 2>/dev/null | grep -q "$WASM_BINDGEN_VERSION"; then
  say "cargo install wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 5 minutes, once per machine)"
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

if ! [ -x "$JIXIAO_TOOLS/node_modules/.bin/wasm-opt" ]; then
  say "npm install binaryen@$BINARYEN_VERSION (wasm-opt) into $JIXIAO_TOOLS"
  mkdir -p "$JIXIAO_TOOLS"
  npm install --silent --no-audit --no-fund --prefix "$JIXIAO_TOOLS" "binaryen@$BINARYEN_VERSION"
fi

if ! [ -d end2end/node_modules/@playwright/test ]; then
  say "npm ci in end2end/ (Playwright, no browser download: tests use /usr/bin/chromium)"
  (cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --silent --no-audit --no-fund)
fi
say "ready"
