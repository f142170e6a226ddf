#!/usr/bin/env bash
# The API benchmark of DESIGN §12: a page of 20 needs with plan, municipality and required skills, at 32
# concurrent clients for 20 s, against the release build on the demo pool, on PostgreSQL (default) or SQLite.
#   benches/api/run.sh [postgres|sqlite]
# Needs wrk (apt-get install wrk) and, for PostgreSQL, a server at $PG_URL (default postgres://postgres@127.0.0.1:5432).
set -euo pipefail
cd "$(dirname "$0")/../.."
backend="${1:-postgres}"
port=18380
pg="${PG_URL:-postgres://postgres@127.0.0.1:5432}"
db="rp_bench_$$"
work="$(mktemp -d)"
cargo build --release --quiet
if [ "$backend" = postgres ]; then
  psql "$pg/postgres" -qc "CREATE DATABASE $db"
  url="$pg/$db"
else
  url="sqlite://$work/bench.db"
fi
cleanup() {
  kill "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  [ "$backend" = postgres ] && psql "$pg/postgres" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)"
  rm -rf "$work"
}
(cd "$work" && DATABASE_URL="$url" RUST_LOG=warn exec "$OLDPWD/target/release/recovery-pool" serve --demo --listen "127.0.0.1:$port" > "$work/server.log" 2>&1) &
server=$!
trap cleanup EXIT
for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.5; done
TOKEN=$(curl -s "http://127.0.0.1:$port/graphql" -H 'content-type: application/json' \
  -d '{"query":"mutation { login(email: \"coordinator@demo.recovery-pool.example\", password: \"recovery-pool-demo\") { token } }"}' \
  | python3 -c 'import json, sys; print(json.load(sys.stdin)["data"]["login"]["token"])')
export TOKEN
wrk -t2 -c32 -d5s -s benches/api/needs_page.lua "http://127.0.0.1:$port/graphql" > /dev/null   # warm-up
echo "backend: $backend"
wrk -t2 -c32 -d20s --latency -s benches/api/needs_page.lua "http://127.0.0.1:$port/graphql" | tail -n 4
