#!/usr/bin/env bash
# Throughput with 1, 2 and 3 silos (docs/scaling.md): for each count, a fresh local cluster
# (scripts/local-cluster.sh: PostgreSQL, N silo processes, one gateway that is an Orleans client), a
# warm-up with other users, then the measured load through the gateway.
#
#   dotnet build -c Release src/Silo src/Gateway src/Cli
#   scripts/bench-silos.sh                              # 1 2 3 silos, /ingest then /batch, 20 s each
#   BENCH_SILOS="1 3" BENCH_DURATION=30s scripts/bench-silos.sh
#
# All processes share this machine's cores: on one machine more silos add hops, not capacity.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cli="$root/src/Cli/bin/Release/net10.0/session-insights.dll"
[[ -f "$cli" ]] || { echo "$cli is missing: dotnet build -c Release src/Cli" >&2; exit 2; }
export LOCAL_CLUSTER_DIR="${LOCAL_CLUSTER_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/bench-silos.XXXXXX")}"
port="${BENCH_PORT:-5090}"
url="http://127.0.0.1:$port"
duration="${BENCH_DURATION:-20s}"
out="${BENCH_OUT:-/tmp/bench-silos}"
mkdir -p "$out"
cluster() { bash "$root/scripts/local-cluster.sh" "$@"; }
trap 'cluster stop --purge >/dev/null 2>&1 || true' EXIT

for silos in ${BENCH_SILOS:-1 2 3}; do
  cluster start --silos "$silos" --gateway-port "$port" --silo-port $((port + 100)) --orleans-gateway-port $((port + 200)) --no-build >/dev/null
  for mode in ingest batch; do
    case "$mode" in
      ingest) opts=(--mode ingest --connections 64) ;;
      batch) opts=(--mode batch --batch-size 100 --connections 16) ;;
    esac
    dotnet "$cli" load --url "$url" "${opts[@]}" --users 1000 --duration 10s --user-prefix "warm$silos$mode-" \
      --reads-per-second 100 >/dev/null
    echo "=== $silos silo(s), $mode: load average $(cut -d' ' -f1-3 /proc/loadavg) ==="
    dotnet "$cli" load --url "$url" "${opts[@]}" --users 1000 --duration "$duration" --user-prefix "s$silos$mode-" \
      --reads-per-second 100 --json "$out/silos-$silos-$mode.json" | grep -E '^(ingest|ack|context read|freshness  )'
  done
  cluster stop --purge >/dev/null
done
