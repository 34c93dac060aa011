#!/usr/bin/env bash
# Noisy-neighbour benchmark (issue 14, docs/security.md "Rate limits"): project A floods /batch at
# five times its capture limit while project B sends its ordinary traffic; B's acknowledgement and
# context-read latencies are compared with B alone, measured in the same run on the same gateway.
#
#   dotnet build -c Release src/Gateway && dotnet build -c Release src/Cli
#   scripts/bench-noisy.sh                       # LIMIT=1000 events/s, B at 200 events/s + 100 reads/s, 20 s per phase
#   LIMIT=2000 DURATION=30s scripts/bench-noisy.sh
#
# Runs on a throwaway PostgreSQL (with-postgres.sh) with keys required (no anonymous access), two
# projects made by the CLI. Prints one table; the JSON of each phase goes to $BENCH_OUT (default
# /tmp/bench-noisy).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
if [[ -z "${SESSIONINSIGHTS_TEST_POSTGRES:-}" ]]; then
  exec bash "$root/scripts/with-postgres.sh" bash "$0" "$@"
fi

source "$root/scripts/bench-lib.sh"
bench_apps "$root"
limit="${LIMIT:-1000}"
duration="${DURATION:-20s}"
port="${BENCH_PORT:-5081}"
url="http://127.0.0.1:$port"
bench_workspace bench-noisy

export ConnectionStrings__Postgres="$SESSIONINSIGHTS_TEST_POSTGRES"
# Two projects, each with a capture token and a secret key (printed once by the CLI).
created_a="$(dotnet "$cli" projects create noisy-a)"; created_b="$(dotnet "$cli" projects create quiet-b)"
key_of() { sed -n "s/^$2 (key [0-9]*): //p" <<<"$1"; }
a_token="$(key_of "$created_a" 'capture token')"; a_key="$(key_of "$created_a" 'secret key')"
b_token="$(key_of "$created_b" 'capture token')"; b_key="$(key_of "$created_b" 'secret key')"
[[ -n "$a_token" && -n "$b_token" && -n "$a_key" && -n "$b_key" ]] || { echo "could not create the projects" >&2; exit 1; }

Logging__LogLevel__Default=Warning Cluster__SiloPort=0 Cluster__GatewayPort=0 \
  Dashboard__Username=admin Dashboard__Password=bench \
  RateLimits__CaptureEventsPerSecond="$limit" RateLimits__CaptureBurst="$limit" \
  dotnet "$gateway" --urls "$url" >"$work/gateway.log" 2>&1 &
gw=$!
bench_wait_healthy "$url" "$gw" "$work/gateway.log"

quiet() { # $1 = phase name, then extra options
  local name="$1"; shift
  dotnet "$cli" load --url "$url" --mode batch --batch-size 10 --rate 200 --reads-per-second 100 --users 2000 \
    --connections 8 --token "$b_token" --key "$b_key" --duration "$duration" --json "$out/$name.json" "$@" >"$work/$name.txt"
}
echo "gateway: capture limit $limit events/s per token (burst $limit); B sends 200 events/s in /batch of 10 and reads 100 contexts/s"
quiet warmup --user-prefix w- --duration 10s
quiet b-alone --user-prefix b1-
dotnet "$cli" load --url "$url" --mode batch --batch-size 50 --rate $((5 * limit)) --reads-per-second 0 --freshness-every 0 --users 5000 \
  --connections 16 --token "$a_token" --key "$a_key" --duration "$duration" --warmup 3s --json "$out/a-flood.json" >"$work/a.txt" &
flood=$!
sleep 3
quiet b-beside-flood --user-prefix b2-
wait "$flood" || true

python3 - "$out" "$limit" <<'PY'
import json, sys
out, limit = sys.argv[1], int(sys.argv[2])
def load(n): return json.load(open(f"{out}/{n}.json"))
alone, noisy, flood = load("b-alone"), load("b-beside-flood"), load("a-flood")
def row(name, r):
    i, c = r["ingest"], r["context_reads"]["latency_ms"]
    errors = sum(i["errors"].values()) + sum(r["context_reads"]["errors"].values())
    print(f"| {name} | {i['accepted_per_second']:,.0f} | {i['ack_ms']['p50']:.1f} | {i['ack_ms']['p99']:.1f} | {c['p50']:.1f} | {c['p99']:.1f} | {errors} |")
print("| project B | accepted events/s | ack p50 ms | ack p99 ms | read p50 ms | read p99 ms | errors |")
print("|---|---|---|---|---|---|---|")
row("alone", alone)
row(f"beside A flooding at {5*limit:,}/s", noisy)
fi = flood["ingest"]
print(f"\nA offered {5*limit:,} events/s against a limit of {limit:,}: accepted {fi['accepted_per_second']:,.0f}/s, refused: {fi['errors']}")
PY
