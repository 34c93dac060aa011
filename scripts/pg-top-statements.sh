#!/usr/bin/env bash
# The statements that took PostgreSQL's time, from pg_stat_statements (the server must load it:
# shared_preload_libraries=pg_stat_statements; scripts/bench.sh starts its PostgreSQL that way).
#
#   scripts/pg-top-statements.sh --reset "<Npgsql connection string>"      # start counting now
#   scripts/pg-top-statements.sh [--events N] [--top K] "<connection string>" # print the top K (15)
#
# Prints, for the connection's database, each statement's calls, total and mean execution time,
# share of all statement time, rows, and with --events N (events accepted in the same interval)
# the statement time per event in µs; then per table the rows inserted, updated (and how many of
# those were HOT: no index entry written), deleted. Creates the extension in the database if missing.
set -euo pipefail

reset=0 events=0 top=15
while [[ $# -gt 1 ]]; do
  case "$1" in
    --reset) reset=1; shift ;;
    --events) events="$2"; shift 2 ;;
    --top) top="$2"; shift 2 ;;
    *) echo "usage: $0 [--reset] [--events N] [--top K] <connection string>" >&2; exit 2 ;;
  esac
done
[[ $# -eq 1 ]] || { echo "usage: $0 [--reset] [--events N] [--top K] <connection string>" >&2; exit 2; }

conn="$1"
part() { tr ';' '\n' <<<"$conn" | sed -n "s/^$1=//p"; }
psql_db() {
  PGPASSWORD="$(part Password)" "${PG_BIN:-/usr/lib/postgresql/15/bin}/psql" -h "$(part Host)" -p "$(part Port)" \
    -U "$(part Username)" -d "$(part Database)" -v ON_ERROR_STOP=1 -q "$@"
}

psql_db -c "CREATE EXTENSION IF NOT EXISTS pg_stat_statements" >/dev/null
if [[ $reset -eq 1 ]]; then
  psql_db -c "SELECT pg_stat_statements_reset()" -c "SELECT pg_stat_reset()" >/dev/null
  exit 0
fi

echo "pg_stat_statements, database $(part Database), top $top by total time${events:+ ($events events)}:"
psql_db -P pager=off -v events="$events" -v top="$top" <<'SQL'
WITH s AS (
    SELECT query, calls, total_exec_time, rows
    FROM pg_stat_statements
    WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
)
SELECT calls,
       round(total_exec_time::numeric / 1000, 2) AS total_s,
       round((total_exec_time / greatest(calls, 1))::numeric, 3) AS mean_ms,
       round((100 * total_exec_time / nullif(sum(total_exec_time) OVER (), 0))::numeric, 1) AS "share_%",
       rows,
       CASE WHEN :events > 0 THEN round((1000 * total_exec_time / :events)::numeric, 1) END AS "us_per_event",
       left(regexp_replace(query, '\s+', ' ', 'g'), 110) AS statement
FROM s
ORDER BY total_exec_time DESC
LIMIT :top;
SQL

echo "row writes per table since the reset (HOT = updated in place, no index entries written):"
psql_db -P pager=off <<'SQL'
SELECT relname AS "table", n_tup_ins AS inserted, n_tup_upd AS updated, n_tup_hot_upd AS hot,
       n_tup_del AS deleted, n_dead_tup AS dead_now
FROM pg_stat_user_tables
WHERE n_tup_ins + n_tup_upd + n_tup_del > 0
ORDER BY n_tup_ins + n_tup_upd + n_tup_del DESC;
SQL

echo "grain snapshots (grain_state.state): bytes as written, as stored (compressed when over ~2 KB), and TOAST:"
psql_db -P pager=off <<'SQL'
SELECT count(*) AS users,
       round(avg(octet_length(state))) AS avg_bytes,
       max(octet_length(state)) AS max_bytes,
       round(avg(pg_column_size(state))) AS avg_stored_bytes,
       pg_size_pretty(pg_total_relation_size('grain_state')) AS table_with_toast
FROM grain_state;
SQL
