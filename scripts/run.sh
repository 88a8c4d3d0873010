#!/usr/bin/env bash
# One command for a newcomer: install what is missing, build, migrate an embedded SQLite
# database, load the demo project, and serve. Prints the URL.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$JIXIAO_ROOT"
bash scripts/setup.sh
bash scripts/build.sh
export DATABASE_URL="${DATABASE_URL:-sqlite://data/jixiao.db?mode=rwc}"
exec "$CARGO_TARGET_DIR/release/jixiao" serve --demo --site-root target/site "$@"
