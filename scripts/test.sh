#!/usr/bin/env bash
# The whole test suite: install what is missing, unit and integration tests per crate (never one
# workspace-wide build, so `ssr` and `hydrate` are not unified), database tests on SQLite and
# PostgreSQL, the release build with its WASM size, and the browser tests in Chromium.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$JIXIAO_ROOT"
step() { printf '\n\033[1;34m== %s\033[0m\n' "$*"; }

step "setup"
bash scripts/setup.sh

if [ -z "${JIXIAO_TEST_PG_URL:-}" ]; then
  export JIXIAO_TEST_PG_URL="postgres://postgres@127.0.0.1:5432/test"
fi
if command -v pg_isready >/dev/null 2>&1 && ! pg_isready -q -h 127.0.0.1 -p 5432; then
  step "starting PostgreSQL"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start || true
fi

# Server builds outside cargo-leptos need the output name at compile time.
export LEPTOS_OUTPUT_NAME=jixiao

step "format and lint (rustfmt; clippy -D warnings for the server and the browser feature sets)"
cargo fmt --all --check
cargo clippy -p domain -p migrations -p db -p sheets -p reports -p app -p jixiao --all-targets -- -D warnings
cargo clippy -p app --features hydrate -- -D warnings

step "domain (pure rules; also built for wasm32 by the release build)"
cargo test -p domain
step "import fidelity over the published-table corpus (fixtures/expect; BENCHMARKS.md FIDELITY)"
cargo test -p domain --test fidelity -- --nocapture
# One invocation for the server side: app is built with `ssr` only (through the server), and
# shared dependencies are compiled once with one feature set.
step "migrations, persistence and spreadsheets (SQLite + PostgreSQL), server CLI and HTTP (app with ssr)"
# One test at a time: each #[tokio::test] has its own runtime, while Leptos' SSR spawns onto a
# process-wide executor; run in parallel, a test's rendering can wait on a runtime that another
# finished test already shut down (seen as a hang in tests/http.rs).
cargo test -p migrations -p db -p sheets -p reports -p jixiao -- --test-threads=1

step "release build (server + WASM)"
bash scripts/build.sh

step "browser tests (Playwright + /usr/bin/chromium)"
cd end2end
npx playwright test
