#!/usr/bin/env bash
# Ingest throughput while retention deletes (issue 14, docs/security.md "Retention"): the same /batch
# load twice, each on a fresh gateway with retention on (Retention__EventDays=90, the default batches
# and duty cycle): first with nothing old to delete (the storage each event takes is measured
# there), then while OLD_ROWS events received 100 days ago wait at the head of the log.
#
#   dotnet build -c Release src/Gateway && dotnet build -c Release src/Cli
#   scripts/bench-retention.sh                  # OLD_ROWS=300000, 20 s per phase
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
if [[ -z "${SESSIONINSIGHTS_TEST_POSTGRES:-}" ]]; then
  exec bash "$root/scripts/with-postgres.sh" bash "$0" "$@"
fi
source "$root/scripts/bench-lib.sh"
bench_apps "$root"
old_rows="${OLD_ROWS:-300000}"
duration="${DURATION:-20s}"
port="${BENCH_PORT:-5082}"
url="http://127.0.0.1:$port"
bench_workspace bench-retention

start_gateway() { # $1 = retention days
  env Logging__LogLevel__Default=Warning "Logging__LogLevel__SessionInsights.Grains.Hosting.RetentionSweeper=Information" \
    Cluster__SiloPort=0 Cluster__GatewayPort=0 Security__AllowAnonymous=true \
    ConnectionStrings__Postgres="$SESSIONINSIGHTS_TEST_POSTGRES" Retention__EventDays="$1" Retention__Interval=00:00:01 \
    dotnet "$gateway" --urls "$url" >>"$work/gateway.log" 2>&1 &
  gw=$!
  bench_wait_healthy "$url" "$gw" "$work/gateway.log"
}
load() { # $1 = phase name
  dotnet "$cli" load --url "$url" --mode batch --batch-size 100 --connections 16 --reads-per-second 100 --users 20000 \
    --duration "$duration" --user-prefix "$1-" --json "$out/$1.json" >"$work/$1.txt"
}
size() { bench_psql -c "SELECT pg_total_relation_size('raw_event_log') + pg_total_relation_size('enriched_event') + pg_total_relation_size('raw_event_pending')"; }
rows() { bench_psql -c "SELECT count(*) FROM raw_event_log"; }

old_left() { bench_psql -c "SELECT count(*) FROM raw_event_log WHERE received_at < now() - interval '90 days'"; }
ConnectionStrings__Postgres="$SESSIONINSIGHTS_TEST_POSTGRES" dotnet "$cli" projects list >/dev/null # applies the migrations

# Both phases: a fresh gateway with retention on, 15 s of warm-up, the measured run. First with
# nothing old to delete (the storage each event takes is measured here, with no deletion at all).
saved="$duration"
start_gateway 90
duration=15s; load warmup-1; duration="$saved"
size_before="$(size)"; rows_before="$(rows)"
load without-retention
size_after="$(size)"; rows_after="$(rows)"
stop_gateway

# Then OLD_ROWS events as if received 100 days ago, with their enriched rows, at the head of the log
# where their age puts them (negative log positions: the log's order is its age).
bench_psql <<SQL
INSERT INTO raw_event_log (seq, raw_event_id, event_name, distinct_id, "timestamp", session_id, properties, received_at, project_id)
OVERRIDING SYSTEM VALUE
SELECT -i, md5('old' || i)::uuid, '\$pageview', 'old-' || (i % 5000), now() - interval '100 days', 'old-s-' || (i % 5000),
       '{"\$pathname": "/old", "\$session_id": "old"}', now() - interval '100 days', 1
FROM generate_series(1, $old_rows) i;
INSERT INTO enriched_event (enriched_event_id, raw_event_id, user_id, session_id, event_name, event_type, action_type, semantic_label, page_path, page_title,
                            sequence_number, "timestamp", context, project_id)
SELECT raw_event_id, raw_event_id, distinct_id, session_id, event_name, 'pageview', 'view', 'Viewed old page', '/old', 'old', 1, "timestamp", '{}', 1
FROM raw_event_log WHERE seq < 0;
SQL
start_gateway 90
duration=15s; load warmup-2; duration="$saved"
left_before="$(old_left)"
load with-retention
left="$(old_left)"
stop_gateway
grep -h "Retention:" "$work/gateway.log" | tail -1 || true

python3 - "$out" "$left_before" "$left" "$size_before" "$size_after" "$rows_before" "$rows_after" "$duration" <<'PY'
import json, sys
out, old, left, sb, sa, rb, ra, duration = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), *map(int, sys.argv[4:8]), sys.argv[8]
# old: old events still there when the measured phase with retention began
def fig(n):
    r = json.load(open(f"{out}/{n}.json"))
    return r["ingest"]["accepted_per_second"], r["ingest"]["ack_ms"]["p99"], r["context_reads"]["latency_ms"]["p99"]
a, b = fig("without-retention"), fig("with-retention")
print("| phase | accepted events/s | ack p99 ms | read p99 ms |")
print("|---|---|---|---|")
print(f"| retention on, nothing old to delete | {a[0]:,.0f} | {a[1]:.0f} | {a[2]:.1f} |")
print(f"| retention deleting old events meanwhile | {b[0]:,.0f} | {b[1]:.0f} | {b[2]:.1f} |")
print(f"\nold events deleted during the measured {duration}: {old - left:,} (of {old:,} left after the warm-up)")
print(f"storage per event (raw + enriched + pending, with indexes): {(sa - sb) / max(ra - rb, 1):,.0f} bytes "
      f"= {(sa - sb) / max(ra - rb, 1) * 1e6 / 2**30:.2f} GiB per million events")
PY
