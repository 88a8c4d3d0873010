# shellcheck shell=bash
# Sourced by scripts/*.sh: chooses the Rust toolchain for the WASM build and puts the
# project's tools on PATH. Prints nothing; changes only this shell's environment.
#
# Two supported ways to build wasm32-unknown-unknown:
#  - rustup with the wasm32 target installed (a normal developer machine): nothing special.
#  - no wasm32 target (these machines): Debian's rustc 1.96 linked as rustup toolchain
#    "system", std built from source with -Zbuild-std (see ../shared/toolchain.md).

JIXIAO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export JIXIAO_ROOT
export PATH="$HOME/.cargo/bin:$PATH"

# Tools installed from npm (wasm-opt) live under one prefix outside the checkout.
export JIXIAO_TOOLS="${JIXIAO_TOOLS:-$HOME/.cache/jixiao-tools}"
export PATH="$JIXIAO_TOOLS/node_modules/.bin:$PATH"

# The cargo target dir may live outside the checkout so CI reuses builds between runs.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$JIXIAO_ROOT/target}"

jixiao_has_wasm_target() {
  command -v rustup >/dev/null 2>&1 || return 1
  rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown
}

if jixiao_has_wasm_target; then
  JIXIAO_BUILD_STD=0
else
  JIXIAO_BUILD_STD=1
  export RUSTUP_TOOLCHAIN=system
  export RUSTC_BOOTSTRAP=1
fi
export JIXIAO_BUILD_STD

# Arguments for `cargo leptos build` that only the WASM lib build gets.
jixiao_leptos_args() {
  if [ "$JIXIAO_BUILD_STD" = 1 ]; then
    printf '%s\n' "--lib-cargo-args=-Zbuild-std=std,panic_abort"
  fi
}
