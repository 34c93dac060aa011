#!/usr/bin/env bash
# The insights page's own cost: the single-node /ingest benchmark (scripts/bench-ingest.sh) with the
# page closed and open, alternating, so slow drift of a shared machine hits both alike.
# "Open" is a poller doing what the page does: /insights/api/overview every second, /logs every
# 2 s, /patterns and /failed every 5 s. Both runs include the nodes' reports to the insights hub
# (once a second per process, page open or not); Orleans' dashboard at /dashboard is not polled.
#
#   dotnet build -c Release src/Gateway && dotnet build -c Release src/Cli
#   scripts/bench-dashboard.sh sqlite 2 --users 1000 --connections 64 --duration 20s --reads-per-second 100
#
# arguments: backend, rounds (each round = one closed and one open run), then load options.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
backend="${1:?usage: $0 sqlite|postgres ROUNDS [load options...]}"
rounds="${2:?rounds}"
shift 2
port="${BENCH_PORT:-5080}"
url="http://127.0.0.1:$port"

poll() {
  local n=0
  while true; do
    curl -s -o /dev/null "$url/insights/api/overview" || true
    (( n % 2 == 0 )) && { curl -s -o /dev/null "$url/insights/api/logs" || true; }
    (( n % 5 == 0 )) && { curl -s -o /dev/null "$url/insights/api/patterns" || true; curl -s -o /dev/null "$url/insights/api/failed" || true; }
    n=$((n + 1))
    sleep 1
  done
}

run() {
  local mode="$1" json="/tmp/bench-dashboard-$1-$2.json" poller=""
  shift 2
  if [[ "$mode" == open ]]; then poll & poller=$!; fi
  BENCH_JSON="$json" BENCH_PORT="$port" bash "$root/scripts/bench-ingest.sh" "$backend" "$@" | grep -E '^(ingest|ack)' | sed "s/^/$mode: /"
  if [[ -n "$poller" ]]; then kill "$poller" 2>/dev/null || true; wait "$poller" 2>/dev/null || true; fi
  echo "$mode: load average $(cut -d' ' -f1-3 /proc/loadavg)"
}

for r in $(seq 1 "$rounds"); do
  run closed "$r" "$@"
  run open "$r" "$@"
done
