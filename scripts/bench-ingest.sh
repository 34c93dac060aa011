#!/usr/bin/env bash
# Single-node /ingest benchmark, as in docs/benchmarks.md:
#
#   dotnet build -c Release src/Gateway && dotnet build -c Release src/Cli
#   scripts/bench-ingest.sh sqlite   --users 1000 --connections 64 --duration 20s --reads-per-second 100
#   scripts/bench-ingest.sh postgres --users 1000 --connections 64 --duration 20s --reads-per-second 100
#
# Starts the Release gateway (silo in the same process) on a fresh database (SQLite in a temporary
# directory, or a throwaway PostgreSQL through with-postgres.sh), waits for /health, sends 15 s of
# the same traffic as warm-up (JIT, grain activations; not counted), then runs the measured load
# with the arguments given (seed 2: other sessions for the same users), and stops the gateway.
# The JSON figures go to $BENCH_JSON (default /tmp/bench-ingest-BACKEND.json).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
backend="${1:-}"
case "$backend" in
  sqlite|postgres) shift ;;
  *) echo "usage: $0 sqlite|postgres [load options...]" >&2; exit 2 ;;
esac

if [[ "$backend" == postgres && -z "${SESSIONINSIGHTS_TEST_POSTGRES:-}" ]]; then
  exec bash "$root/scripts/with-postgres.sh" bash "$0" postgres "$@"
fi

gateway="$root/src/Gateway/bin/Release/net10.0/SessionInsights.Gateway.dll"
cli="$root/src/Cli/bin/Release/net10.0/session-insights.dll"
for f in "$gateway" "$cli"; do
  [[ -f "$f" ]] || { echo "$f is missing: dotnet build -c Release src/Gateway && dotnet build -c Release src/Cli" >&2; exit 2; }
done

port="${BENCH_PORT:-5080}"
url="http://127.0.0.1:$port"
json="${BENCH_JSON:-/tmp/bench-ingest-$backend.json}"
work="$(mktemp -d "${TMPDIR:-/tmp}/bench-ingest.XXXXXX")"
gw=""
cleanup() {
  if [[ -n "$gw" ]]; then kill "$gw" 2>/dev/null || true; wait "$gw" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# Any free Orleans ports: a local cluster (scripts/local-cluster.sh) may hold the defaults 11111 and 30000.
export Logging__LogLevel__Default=Warning Cluster__SiloPort=0 Cluster__GatewayPort=0 Security__AllowAnonymous=true
if [[ "$backend" == postgres ]]; then
  export ConnectionStrings__Postgres="$SESSIONINSIGHTS_TEST_POSTGRES"
else
  unset ConnectionStrings__Postgres
  export Storage__SqlitePath="$work/session-insights.db"
fi
dotnet "$gateway" --urls "$url" >"$work/gateway.log" 2>&1 &
gw=$!

for _ in $(seq 1 120); do
  [[ "$(curl -s -o /dev/null -w '%{http_code}' "$url/health" || true)" == 200 ]] && break
  kill -0 "$gw" 2>/dev/null || { cat "$work/gateway.log" >&2; exit 1; }
  sleep 0.5
done

echo "gateway ($backend): dotnet $gateway --urls $url (pid $gw)"
echo "warm-up: dotnet $cli load --url $url --users 1000 --duration 15s --seed 1"
dotnet "$cli" load --url "$url" --users 1000 --duration 15s --seed 1 | grep -E '^ingest' || true
echo "measured: dotnet $cli load --url $url --seed 2 $* --server-pid $gw --json $json"
dotnet "$cli" load --url "$url" --seed 2 "$@" --server-pid "$gw" --json "$json"
