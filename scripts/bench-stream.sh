#!/usr/bin/env bash
# Live stream latency: time from an event's acknowledgement (the 202 reaching the client) to its
# arrival on the user's SSE stream (GET /session/stream/{user_id}), measured by the CLI's
# stream-probe verb with N streams open, first alone (baseline), then while the single-node /ingest
# benchmark's load runs beside it (scripts/bench-ingest.sh's traffic), alternating for ROUNDS rounds:
#
#   dotnet build -c Release src/Gateway && dotnet build -c Release src/Cli
#   scripts/bench-stream.sh sqlite 2 --streams 50 --rate 20 --duration 20s
#
# arguments: backend (sqlite|postgres), rounds, then stream-probe options. The load is
# `load --users 1000 --connections 64 --reads-per-second 100` for the probe's duration + 5 s.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
backend="${1:?usage: $0 sqlite|postgres ROUNDS [stream-probe options...]}"
rounds="${2:?rounds}"
shift 2

if [[ "$backend" == postgres && -z "${SESSIONINSIGHTS_TEST_POSTGRES:-}" ]]; then
  exec bash "$root/scripts/with-postgres.sh" bash "$0" postgres "$rounds" "$@"
fi

source "$root/scripts/bench-lib.sh"
bench_apps "$root"

duration=20
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  [[ "${args[$i]}" == --duration ]] && duration="${args[$((i + 1))]%s}"
done

port="${BENCH_PORT:-5080}"
url="http://127.0.0.1:$port"
bench_workspace bench-stream

export Logging__LogLevel__Default=Warning Cluster__SiloPort=0 Cluster__GatewayPort=0 Security__AllowAnonymous=true
if [[ "$backend" == postgres ]]; then
  export ConnectionStrings__Postgres="$SESSIONINSIGHTS_TEST_POSTGRES"
else
  unset ConnectionStrings__Postgres
  export Storage__SqlitePath="$work/session-insights.db"
fi
dotnet "$gateway" --urls "$url" >"$work/gateway.log" 2>&1 &
gw=$!
bench_wait_healthy "$url" "$gw" "$work/gateway.log"
echo "gateway ($backend): dotnet $gateway --urls $url (pid $gw)"
echo "warm-up: load --users 1000 --duration 15s --seed 1, and a 5 s probe"
dotnet "$cli" load --url "$url" --users 1000 --duration 15s --seed 1 | grep -E '^ingest' || true
dotnet "$cli" stream-probe --url "$url" --streams 5 --rate 10 --duration 5s >/dev/null

for r in $(seq 1 "$rounds"); do
  echo "round $r, alone:      $(dotnet "$cli" stream-probe --url "$url" "$@")"
  dotnet "$cli" load --url "$url" --users 1000 --connections 64 --reads-per-second 100 --duration "$((duration + 5))s" --seed "$((r + 1))" >"$work/load-$r.txt" 2>&1 &
  load=$!
  sleep 3
  echo "round $r, under load: $(dotnet "$cli" stream-probe --url "$url" "$@")"
  wait "$load" || true
  echo "round $r, the load:   $(grep -E '^ingest' "$work/load-$r.txt" | head -2 | tr '\n' ' ')"
  echo "round $r: load average $(cut -d' ' -f1-3 /proc/loadavg)"
done
