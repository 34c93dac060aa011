#!/usr/bin/env bash
# What the retry sweeper's poll costs (docs/ingestion.md "Events that fail"): its due-retries query
# beside the pending sweeper's stale-pending query (same shape, existing) on a pending set of 0, 1000
# and 20000 undelivered events, 200 runs each, mean execution time from EXPLAIN ANALYZE.
#
#   bash scripts/with-postgres.sh scripts/bench-retry-poll.sh
set -euo pipefail
cs="$SESSIONINSIGHTS_TEST_POSTGRES"
host=$(sed -E 's/.*Host=([^;]+).*/\1/' <<<"$cs"); port=$(sed -E 's/.*Port=([^;]+).*/\1/' <<<"$cs")
user=$(sed -E 's/.*Username=([^;]+).*/\1/' <<<"$cs"); db=$(sed -E 's/.*Database=([^;]+).*/\1/' <<<"$cs")
pw=$(sed -E "s/.*Password=([^;]+).*/\1/" <<<"$cs"); export PGHOST=$host PGPORT=$port PGUSER=$user PGDATABASE=$db PGPASSWORD=$pw
psql -qX -c "CREATE DATABASE dlmeasure" >/dev/null
export PGDATABASE=dlmeasure
root="$(cd "$(dirname "$0")/.." && pwd)"
for f in "$root"/src/Storage/Postgres/Migrations/*.sql; do psql -qX -v ON_ERROR_STOP=1 -f "$f" >/dev/null; done
psql -qX -v ON_ERROR_STOP=1 <<'SQL'
INSERT INTO project (project_id, name) OVERRIDING SYSTEM VALUE VALUES (1, 'default') ON CONFLICT DO NOTHING;
SQL
for n in 0 1000 20000; do
  psql -qX -v ON_ERROR_STOP=1 -c "TRUNCATE raw_event_pending; TRUNCATE raw_event_log;" >/dev/null
  if [ "$n" -gt 0 ]; then
    psql -qX -v ON_ERROR_STOP=1 -c "WITH l AS (INSERT INTO raw_event_log (raw_event_id, event_name, distinct_id, \"timestamp\", properties, project_id)
      SELECT gen_random_uuid(), '\$pageview', 'u' || (i % 500), now(), '{}', 1 FROM generate_series(1, $n) i RETURNING raw_event_id, seq, distinct_id, received_at, project_id)
      INSERT INTO raw_event_pending (raw_event_id, seq, distinct_id, received_at, project_id) SELECT * FROM l; ANALYZE raw_event_pending;" >/dev/null
  fi
  for q in "stale|SELECT project_id, distinct_id FROM raw_event_pending WHERE received_at < now() - interval '15 s' AND next_retry_at IS NULL GROUP BY project_id, distinct_id ORDER BY min(received_at) LIMIT 1000" \
           "due|SELECT project_id, distinct_id FROM raw_event_pending WHERE next_retry_at <= now() GROUP BY project_id, distinct_id ORDER BY min(next_retry_at) LIMIT 1000"; do
    name=${q%%|*}; sql=${q#*|}
    # 200 runs in one session; total execution time from EXPLAIN ANALYZE summed.
    total=$(for i in $(seq 200); do echo "EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON) $sql;"; done | psql -qXtA | grep -o '"Execution Time": [0-9.]*' | awk '{s+=$3} END {printf "%.1f", s/200*1000}')
    echo "pending=$n query=$name mean_execution_us=$total"
  done
done
