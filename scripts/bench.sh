#!/usr/bin/env bash
# The standard single-node benchmark on PostgreSQL (docs/benchmarks.md):
#
#   dotnet build -c Release src/Gateway && dotnet build -c Release src/Cli
#   scripts/bench.sh                                  # all standard scenarios, 60 s each
#   BENCH_DURATION=15s BENCH_WARMUP=5s scripts/bench.sh   # a quick run
#   BENCH_SCENARIOS="copy batch" scripts/bench.sh     # some of them
#   BENCH_SCENARIOS="copy million" scripts/bench.sh   # opt-in: 1,000,000 users × 10 events
#   BENCH_PG=tuned scripts/bench.sh                   # PostgreSQL with write-path settings (docs/storage.md)
#   BENCH_BACKEND=sqlite scripts/bench.sh             # the single-node SQLite default (COPY limit still
#                                                     # measured on PostgreSQL, the machine's write limit)
#   BENCH_GATEWAY_ENV="Grains__SnapshotInterval=0" scripts/bench.sh   # extra env assignments for every
#                                                     # gateway started (space-separated NAME=value)
#
# Starts a throwaway PostgreSQL (with-postgres.sh), measures the COPY limit (load --baseline-copy:
# binary COPY of raw_event-shaped rows, no service), then for each scenario starts a fresh gateway
# (silo in the same process) on a fresh database, warms it up with other users (not counted), runs
# the measured load with --copy-limit so that every report gives the share of that limit, stops
# the gateway, and finally prints one table of all scenarios. JSON per scenario in $BENCH_OUT.
#
# Scenarios:
#   copy      the COPY limit (always run first when other scenarios need it)
#   ingest    POST /ingest, one event per request, 64 connections, as fast as possible, 1,000 users
#   batch     POST /batch, $BENCH_BATCH_SIZE events per request, $BENCH_BATCH_CONNECTIONS connections, max
#   reads     1,000 context reads/s while /batch ingests 5,000 events/s (fixed rate)
#   users100k 100,000 users with one session each, /batch, max
#   long1k    1,000 users with long sessions (one session each, all traffic), /batch, max
#   million   opt-in: $BENCH_MILLION_USERS (1,000,000) users × 10 events over /batch, 2,000 users at a
#             time, idle grains passivating after $BENCH_PASSIVATE_SECONDS (30); then contexts read
#             before and after passivation are compared byte for byte
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
if [[ -z "${SESSIONINSIGHTS_TEST_POSTGRES:-}" ]]; then
  # pg_stat_statements: after each scenario, the statements that took PostgreSQL's time.
  # BENCH_PG=tuned: larger shared_buffers, fewer checkpoints, WAL compression, for the COPY limit and
  # the service alike (measured slower on 2 cores: docs/benchmarks.md); the default is PostgreSQL's own.
  pg_options="-c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track=all"
  case "${BENCH_PG:-default}" in
    default) ;;
    tuned) pg_options+=" -c shared_buffers=1GB -c max_wal_size=8GB -c checkpoint_timeout=15min -c wal_compression=lz4" ;;
    *) echo "BENCH_PG is default or tuned" >&2; exit 2 ;;
  esac
  WITH_POSTGRES_OPTIONS="$pg_options" exec bash "$root/scripts/with-postgres.sh" bash "$0" "$@"
fi

source "$root/scripts/bench-lib.sh"
bench_apps "$root"

duration="${BENCH_DURATION:-60s}"
warmup="${BENCH_WARMUP:-15s}"
scenarios="${BENCH_SCENARIOS:-copy ingest batch reads users100k long1k}"
batch_size="${BENCH_BATCH_SIZE:-100}"
batch_connections="${BENCH_BATCH_CONNECTIONS:-16}"
passivate="${BENCH_PASSIVATE_SECONDS:-30}"
port="${BENCH_PORT:-5080}"
url="http://127.0.0.1:$port"
out="${BENCH_OUT:-/tmp/bench}"
mkdir -p "$out"
work="$(mktemp -d "${TMPDIR:-/tmp}/bench.XXXXXX")"
gw=""

stop_gateway() {
  if [[ -n "$gw" ]]; then kill "$gw" 2>/dev/null || true; wait "$gw" 2>/dev/null || true; gw=""; fi
}
cleanup() { stop_gateway; rm -rf "$work"; }
trap cleanup EXIT

# The connection string's parts, to create one database per scenario.
conn="$SESSIONINSIGHTS_TEST_POSTGRES"
part() { tr ';' '\n' <<<"$conn" | sed -n "s/^$1=//p"; }
pg_host="$(part Host)" pg_port="$(part Port)" pg_user="$(part Username)" pg_password="$(part Password)"
psql_admin() { PGPASSWORD="$pg_password" "${PG_BIN:-/usr/lib/postgresql/15/bin}/psql" -h "$pg_host" -p "$pg_port" -U "$pg_user" -d postgres -v ON_ERROR_STOP=1 -q "$@"; }
database_conn() { sed "s/Database=[^;]*/Database=$1/" <<<"$conn"; }

backend="${BENCH_BACKEND:-postgres}"
[[ "$backend" == postgres || "$backend" == sqlite ]] || { echo "BENCH_BACKEND is postgres or sqlite" >&2; exit 2; }

start_gateway() { # $1 = database name, then extra env assignments
  local db="$1"; shift
  local storage
  if [[ "$backend" == sqlite ]]; then
    storage="Storage__SqlitePath=$work/$db.db"
    current_db=""
  else
    psql_admin -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
    storage="ConnectionStrings__Postgres=$(database_conn "$db")"
    current_db="$db"
  fi
  # Any free Orleans ports: a local cluster (scripts/local-cluster.sh) may hold the defaults 11111 and 30000.
  # Measured without keys, as the default project: the key lookup is a dictionary hit per request.
  local extra=()
  read -r -a extra <<<"${BENCH_GATEWAY_ENV:-}"
  env Logging__LogLevel__Default=Warning Cluster__SiloPort=0 Cluster__GatewayPort=0 Security__AllowAnonymous=true "$storage" "${extra[@]}" "$@" \
    dotnet "$gateway" --urls "$url" >"$work/gateway-$db.log" 2>&1 &
  gw=$!
  bench_wait_healthy "$url" "$gw" "$work/gateway-$db.log"
}

copy_limit=""
current_db=""
load() { # $1 = scenario name, then load options
  local name="$1"; shift
  echo
  echo "=== $name: $(uptime | sed 's/.*load average/load average/') ==="
  # Warm-up with other users (prefix warm-): JIT and the first activations, not counted, and the
  # measured users are all new, so memory growth per new user is measured in every scenario.
  # (The scenario's options first: the later --users/--duration win.)
  dotnet "$cli" load --url "$url" "$@" --users 1000 --duration "$warmup" --user-prefix warm- --seed 1 \
    --reads-per-second 100 | grep -E '^ingest' | sed 's/^/warm-up: /' || true
  if [[ -n "$current_db" ]]; then
    "$root/scripts/pg-top-statements.sh" --reset "$(database_conn "$current_db")" >/dev/null 2>&1 || true
  fi
  dotnet "$cli" load --url "$url" --seed 2 --server-pid "$gw" --json "$out/$name.json" \
    ${copy_limit:+--copy-limit "$copy_limit"} "$@"
  local events
  events="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["ingest"]["accepted"])' "$out/$name.json" 2>/dev/null || echo 0)"
  if [[ -n "$current_db" ]]; then
    "$root/scripts/pg-top-statements.sh" --events "$events" "$(database_conn "$current_db")" | tee "$out/$name.statements.txt" || true
  fi
  echo "load average after $name: $(uptime | sed 's/.*load average: //')" | tee "$out/$name.uptime"
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/{print $2}') GiB; $(uptime)"
echo "postgresql: ${BENCH_PG:-default} settings"
echo "results: $out (backend: $backend${BENCH_GATEWAY_ENV:+, gateway env: $BENCH_GATEWAY_ENV})"
for scenario in $scenarios; do
  case "$scenario" in
    copy)
      echo
      echo "=== copy: $(uptime | sed 's/.*load average/load average/') ==="
      dotnet "$cli" load --baseline-copy --postgres "$conn" --duration 15s --connections 2 --rows-per-copy 5000 \
        --json "$out/copy.json"
      copy_limit="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["rows_per_second"])' "$out/copy.json")"
      ;;
    ingest)
      start_gateway bench_ingest
      load ingest --mode ingest --users 1000 --connections 64 --duration "$duration" --reads-per-second 100
      stop_gateway ;;
    batch)
      start_gateway bench_batch
      load batch --mode batch --batch-size "$batch_size" --users 1000 --connections "$batch_connections" \
        --duration "$duration" --reads-per-second 100 --freshness-every 500
      stop_gateway ;;
    reads)
      start_gateway bench_reads
      load reads --mode batch --batch-size 50 --rate 5000 --users 1000 --connections "$batch_connections" \
        --duration "$duration" --reads-per-second 1000 --freshness-every 500
      stop_gateway ;;
    users100k)
      start_gateway bench_users100k
      load users100k --mode batch --batch-size "$batch_size" --users 100000 --sessions-per-user 1 \
        --connections "$batch_connections" --duration "$duration" --reads-per-second 100 --freshness-every 500
      stop_gateway ;;
    long1k)
      start_gateway bench_long1k
      load long1k --mode batch --batch-size "$batch_size" --users 1000 --sessions-per-user 1 \
        --connections "$batch_connections" --duration "$duration" --reads-per-second 100 --freshness-every 500
      stop_gateway ;;
    million)
      # Grains:PassivateAfter is a TimeSpan (hh:mm:ss).
      start_gateway bench_million Grains__PassivateAfter="$(printf '%02d:%02d:%02d' $((passivate / 3600)) $((passivate % 3600 / 60)) $((passivate % 60)))"
      # Every user sends exactly 10 events, 2,000 users at a time, in id order: a user is busy for a
      # while, then idle for good, so its grains passivate. The run ends when all have sent theirs.
      million_users="${BENCH_MILLION_USERS:-1000000}"
      load million --mode batch --batch-size "$batch_size" --users "$million_users" --sessions-per-user 1 \
        --events-per-user 10 --active-users 2000 \
        --connections "$batch_connections" --duration "${BENCH_MILLION_DURATION:-3h}" --reads-per-second 100 --freshness-every 5000
      echo "health after the run: $(curl -s "$url/health")"
      # The last users are still active now: their contexts, before and after passivation, must match.
      probes=(0 1 $((million_users / 2)) $((million_users - 2)) $((million_users - 1)))
      for i in "${probes[@]}"; do
        curl -s "$url/session/context/$(printf 'load-u%06d' "$i")?recent_events_limit=20" | sed -E 's/^\{"generated_at":"[^"]*",?/{/' >"$work/before-$i.json"
      done
      echo "waiting $passivate + 30 s for idle grains to passivate…"
      sleep "$(( passivate + 30 ))"
      echo "health after passivation: $(curl -s "$url/health")"
      grep -E "VmHWM|VmRSS" "/proc/$gw/status" | sed 's/^/gateway /'
      for i in "${probes[@]}"; do
        curl -s "$url/session/context/$(printf 'load-u%06d' "$i")?recent_events_limit=20" | sed -E 's/^\{"generated_at":"[^"]*",?/{/' >"$work/after-$i.json"
        events="$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["recent_events"]))' "$work/after-$i.json")"
        if cmp -s "$work/before-$i.json" "$work/after-$i.json"; then verdict="identical"; else verdict="DIFFERENT"; fi
        echo "context of $(printf 'load-u%06d' "$i") after passivation: $events events, $verdict to the read before it"
      done
      stop_gateway ;;
    *) echo "unknown scenario '$scenario'" >&2; exit 2 ;;
  esac
done

echo
echo "=== summary ($out) ==="
python3 - "$out" $scenarios <<'EOF'
import json, os, sys
out, names = sys.argv[1], sys.argv[2:]
def ms(d, k): v = d.get(k); return "-" if v is None else f"{v:.1f}"
print(f"{'scenario':<10} {'events/s':>9} {'of COPY':>8} {'ack p50/p95/p99/max ms':>24} {'fresh p50/p99':>14} {'read p50/p99':>13} {'errors':>7} {'peak RSS':>9} {'KiB/user':>9}  load avg")
for n in names:
    path = os.path.join(out, n + ".json")
    if n == "copy":
        c = json.load(open(path))
        print(f"{'copy':<10} {c['rows_per_second']:>9,.0f} {'100 %':>8}  (binary COPY, {c['connections']} connections, {c['rows_per_copy']} rows per COPY, p99 {c['copy_p99_ms']:.0f} ms)")
        continue
    if not os.path.exists(path):
        continue
    r = json.load(open(path))
    i, a, f, c = r["ingest"], r["ingest"]["ack_ms"], r["freshness"]["latency_ms"], r["context_reads"]["latency_ms"]
    share = i.get("share_of_copy_limit")
    errors = sum(i["errors"].values()) + sum(r["context_reads"]["errors"].values())
    mem = r.get("server_memory", {}).get("peak_resident_bytes")
    g = r.get("grain_memory") or {}
    per_user = g.get("growth_bytes_per_new_user")
    up = open(os.path.join(out, n + ".uptime")).read().strip().split(": ")[-1] if os.path.exists(os.path.join(out, n + ".uptime")) else "?"
    print(f"{n:<10} {i['accepted_per_second']:>9,.0f} {('-' if share is None else f'{share*100:.1f} %'):>8} "
          f"{ms(a,'p50')+'/'+ms(a,'p95')+'/'+ms(a,'p99')+'/'+ms(a,'max'):>24} {ms(f,'p50')+'/'+ms(f,'p99'):>14} {ms(c,'p50')+'/'+ms(c,'p99'):>13} "
          f"{errors:>7} {('-' if mem is None else f'{mem/1048576:.0f} MiB'):>9} {('-' if per_user is None else f'{per_user/1024:.1f}'):>9}  {up}")
EOF
