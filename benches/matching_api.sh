#!/usr/bin/env bash
# A matching round through the API at scale (DESIGN §12): a generated pool written into a fresh PostgreSQL database,
# the release build serving it, one `runMatchingRound` over every open need as an admin. Prints the round's phases
# (load from the database, eligibility and score, solve, store the proposals), the request's wall time, the
# guarantees' counts and the server's peak memory (VmHWM).
#   benches/matching_api.sh [EXPERTS] [NEEDS] [spread|concentrated] [ROUNDS]
# Needs a PostgreSQL server at $PG_URL (default postgres://postgres@127.0.0.1:5432), curl and python3.
set -euo pipefail
cd "$(dirname "$0")/.."
experts="${1:-20000}"
needs="${2:-10000}"
shape="${3:-spread}"
rounds="${4:-3}"
pg="${PG_URL:-postgres://postgres@127.0.0.1:5432}"
db="rp_round_$$"
port=18381
work="$(mktemp -d)"
cargo build --release --quiet
bin="$PWD/target/release/recovery-pool"
server=""
cleanup() {
  [ -n "$server" ] && { kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; }
  psql "$pg/postgres" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
psql "$pg/postgres" -qc "CREATE DATABASE $db"
export DATABASE_URL="$pg/$db" RECOVERY_POOL_DATA_DIR="$work" RUST_LOG=warn
"$bin" generate --experts "$experts" --needs "$needs" --shape "$shape" --output "$work/pool.json"
"$bin" load-instance "$work/pool.json"
password="bench-$(date +%s)-password"
RECOVERY_POOL_ADMIN_EMAIL=admin@bench.invalid RECOVERY_POOL_ADMIN_PASSWORD="$password" \
  "$bin" serve --listen "127.0.0.1:$port" > "$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.5; done
gql() { curl -s "http://127.0.0.1:$port/graphql" -H 'content-type: application/json' ${TOKEN:+-H "authorization: Bearer $TOKEN"} -d "$1"; }
TOKEN=$(gql "{\"query\":\"mutation { login(email: \\\"admin@bench.invalid\\\", password: \\\"$password\\\") { token } }\"}" \
  | python3 -c 'import json, sys; print(json.load(sys.stdin)["data"]["login"]["token"])')
query='{"query":"mutation { runMatchingRound { status error stats { experts needs openSeats filledSeats eligiblePairs seatValue priorityStep guarantees { rolesEmptyBesideIdleExperts idleExpertsEligibleForEmptySeats rolesLosingToLowerPriority } timings { loadMs validateMs indexMs eligibilityMs networkMs solveMs verifyMs explainMs totalMs storeMs } } } }"}'
echo "pool: $experts experts x $needs needs ($shape), PostgreSQL"
for i in $(seq 1 "$rounds"); do
  start=$(date +%s.%N)
  gql "$query" > "$work/round.json"
  end=$(date +%s.%N)
  python3 - "$work/round.json" "$start" "$end" "$i" <<'EOF'
import json, sys
data = json.load(open(sys.argv[1]))
if "errors" in data:
    sys.exit(f"round failed: {data['errors']}")
r = data["data"]["runMatchingRound"]
if r["status"] != "DONE":
    sys.exit(f"round {r['status']}: {r['error']}")
s, t = r["stats"], r["stats"]["timings"]
wall = (float(sys.argv[3]) - float(sys.argv[2])) * 1000
print(f"round {sys.argv[4]}: request {wall:.0f} ms | load {t['loadMs']:.0f} | eligibility+score {t['eligibilityMs']:.0f} "
      f"| index {t['indexMs']:.0f} | network {t['networkMs']:.0f} | solve {t['solveMs']:.0f} | verify {t['verifyMs']:.0f} "
      f"| explain {t['explainMs']:.0f} | store {t['storeMs']:.0f} ms | {s['eligiblePairs']} pairs, "
      f"{s['filledSeats']} of {s['openSeats']} seats | guarantees {s['guarantees']}")
EOF
done
echo "server peak memory: $(grep VmHWM "/proc/$server/status" | awk '{print $2/1024 " MiB"}')"
