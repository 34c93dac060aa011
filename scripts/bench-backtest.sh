#!/usr/bin/env bash
# Rule backtests over a month of stored events (docs/patterns-and-sessions.md "Backtest"): fills a
# throwaway PostgreSQL with EVENTS enriched events of project 1 over 30 days (~15 events per session,
# 4 sessions per user, shop-like labels; straight SQL, not through the API), starts the gateway (with
# its silo) and times POST /rules/backtest over the whole 30 days for three rules: a semantic_contains,
# a time window, a negative filter. Each rule runs twice (the first call also pays JIT and a cold
# cache). Prints elapsed seconds, the gateway's RSS before and its peak (VmHWM) during the backtests,
# and PostgreSQL's plan for the scan.
#
#   dotnet build -c Release src/Gateway && dotnet build -c Release src/Cli
#   scripts/bench-backtest.sh                   # EVENTS=1000000
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
if [[ -z "${SESSIONINSIGHTS_TEST_POSTGRES:-}" ]]; then
  exec bash "$root/scripts/with-postgres.sh" bash "$0" "$@"
fi
source "$root/scripts/bench-lib.sh"
bench_apps "$root"
events="${EVENTS:-1000000}"
port="${BENCH_PORT:-5083}"
url="http://127.0.0.1:$port"
bench_workspace bench-backtest
ConnectionStrings__Postgres="$SESSIONINSIGHTS_TEST_POSTGRES" dotnet "$cli" projects list >/dev/null # applies the migrations

# The period: the 30 days up to now (to the second). Sessions start anywhere in it but their last 10 minutes.
to="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
from="$(date -u -d "$to - 30 days" +%Y-%m-%dT%H:%M:%SZ)"

fill_started=$(date +%s.%N)
bench_psql <<SQL
CREATE TEMP TABLE kind (n int PRIMARY KEY, name text, type text, action text, label text, path text, title text, etype text, etext text);
-- Event kinds of a shop; an event's kind is a hash of its number (0-19), so sessions differ. Kind 20:
-- one session in 20 rage-clicks the pay button 4 times, 20 s apart (for the time-window rule).
INSERT INTO kind VALUES
  (0, '\$pageview', 'pageview', 'view', 'Viewed home page', '/', 'Home', NULL, NULL),
  (1, '\$pageview', 'pageview', 'view', 'Viewed home page', '/', 'Home', NULL, NULL),
  (2, '\$pageview', 'pageview', 'view', 'Viewed drones page', '/drones', 'Drones', NULL, NULL),
  (3, '\$pageview', 'pageview', 'view', 'Viewed drones page', '/drones', 'Drones', NULL, NULL),
  (4, '\$pageview', 'pageview', 'view', 'Viewed Drone X page', '/drones/x', 'Drone X', NULL, NULL),
  (5, '\$pageview', 'pageview', 'view', 'Viewed Drone X page', '/drones/x', 'Drone X', NULL, NULL),
  (6, '\$pageview', 'pageview', 'view', 'Viewed cart page', '/cart', 'Cart', NULL, NULL),
  (7, '\$pageview', 'pageview', 'view', 'Viewed pricing page', '/pricing', 'Pricing', NULL, NULL),
  (8, '\$autocapture', 'click', 'click', 'Clicked ''Details'' button', '/drones/x', 'Drone X', 'button', 'Details'),
  (9, '\$autocapture', 'click', 'click', 'Clicked ''Details'' button', '/drones/x', 'Drone X', 'button', 'Details'),
  (10, '\$autocapture', 'click', 'click', 'Clicked ''Reviews'' tab', '/drones/x', 'Drone X', 'a', 'Reviews'),
  (11, '\$autocapture', 'click', 'click', 'Clicked ''Compare'' link', '/drones', 'Drones', 'a', 'Compare'),
  (12, '\$autocapture', 'click', 'click', 'Clicked ''Next'' button', '/drones', 'Drones', 'button', 'Next'),
  (13, '\$autocapture', 'click', 'click', 'Clicked ''FAQ'' link', '/', 'Home', 'a', 'FAQ'),
  (14, '\$autocapture', 'click', 'click', 'Clicked ''Add to cart'' button', '/drones/x', 'Drone X', 'button', 'Add to cart'),
  (15, '\$autocapture', 'click', 'click', 'Clicked ''Add to cart'' button', '/drones/x', 'Drone X', 'button', 'Add to cart'),
  (16, '\$autocapture', 'click', 'click', 'Clicked ''Proceed to checkout'' button', '/cart', 'Cart', 'button', 'Proceed to checkout'),
  (17, '\$autocapture', 'click', 'click', 'Clicked ''Pay now'' button', '/checkout', 'Checkout', 'button', 'Pay now'),
  (18, 'newsletter_signup', 'custom', 'custom', 'Signed up for the newsletter', '/', 'Home', NULL, NULL),
  (19, '\$pageleave', 'navigation', 'leave', 'Left Drones page', '/drones', 'Drones', NULL, NULL),
  (20, '\$rageclick', 'click', 'rage_click', 'Rage-clicked ''Pay now'' button', '/checkout', 'Checkout', 'button', 'Pay now');
-- Written in time order, as live ingestion would lay the rows out.
INSERT INTO enriched_event (enriched_event_id, raw_event_id, user_id, session_id, event_name, event_type, action_type, semantic_label,
                            page_path, page_title, element_type, element_text, sequence_number, "timestamp", context, project_id)
SELECT md5('bt-e' || g.i)::uuid, md5('bt' || g.i)::uuid, 'user-' || (g.s / 4), 'sess-' || g.s, k.name, k.type, k.action, k.label,
       k.path, k.title, k.etype, k.etext, g.j + 1,
       timestamptz '$from' + make_interval(secs => abs(hashtext('s' || g.s)) % (30 * 86400 - 600) + g.j * 20),
       json_build_object('posthog_event', k.name, 'hierarchy', json_build_array(coalesce(k.etype, 'body'), 'div', 'main'),
                         'page_url', 'https://shop.example.com' || k.path, 'viewport', '1440x900'),
       1
FROM (SELECT i, i / 15 AS s, i % 15 AS j FROM generate_series(0, $events - 1) i) g
JOIN kind k ON k.n = CASE WHEN g.s % 20 = 0 AND g.j BETWEEN 5 AND 8 THEN 20 ELSE abs(hashtext('e' || g.i)) % 20 END
ORDER BY 14;
VACUUM ANALYZE enriched_event;
SQL
fill_s=$(echo "$(date +%s.%N) - $fill_started" | bc)
stored="$(bench_psql -c "SELECT count(*) || ' events, ' || count(DISTINCT session_id) || ' sessions, ' || count(DISTINCT user_id) || ' users, ' || pg_size_pretty(pg_total_relation_size('enriched_event')) FROM enriched_event")"
echo "filled in ${fill_s%.*} s: $stored"

scan_sql="SELECT * FROM enriched_event
  WHERE project_id = 1 AND \"timestamp\" >= '$from' AND \"timestamp\" < '$to' AND session_id IS NOT NULL
  ORDER BY user_id, session_id, sequence_number"
echo "PostgreSQL's plan for the scan (EXPLAIN ANALYZE, default settings):"
bench_psql -c "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) $scan_sql" | sed 's/^/    /'
echo "The same without index scans (a sequential scan and a full sort), for comparison:"
bench_psql -c "SET enable_indexscan = off; SET enable_bitmapscan = off; EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) $scan_sql" | sed 's/^/    /'

env Logging__LogLevel__Default=Warning Cluster__SiloPort=0 Cluster__GatewayPort=0 Security__AllowAnonymous=true \
  ConnectionStrings__Postgres="$SESSIONINSIGHTS_TEST_POSTGRES" dotnet "$gateway" --urls "$url" >>"$work/gateway.log" 2>&1 &
gw=$!
bench_wait_healthy "$url" "$gw" "$work/gateway.log"
kib() { awk -v k="$1" '$1 == k":" { print $2 }' "/proc/$gw/status"; }
rss_before="$(kib VmRSS)"
# Peak RSS from here on: writing 5 to clear_refs resets VmHWM to the current RSS.
echo 5 >"/proc/$gw/clear_refs" 2>/dev/null || echo "(could not reset VmHWM: the peak below includes start-up)"

declare -A rules=(
  [semantic_contains]='{"code":"bt_checkout","severity":"LOW","description":"Went to checkout","filter":{"semantic_contains":"checkout"}}'
  [time_window]='{"code":"bt_rage_pay","severity":"HIGH","description":"Rage-clicked pay 3 times in a minute","filter":{"action_type":"rage_click"},"min_count":3,"time_window_seconds":60}'
  [negative_filter]='{"code":"bt_cart_abandon","severity":"MEDIUM","description":"Added to cart, no checkout within 15 minutes","filter":{"semantic_contains":"add to cart"},"negative_filter":{"semantic_contains":"checkout"},"negative_time_window_seconds":900}'
)
printf '\n| rule | run | wall s | server elapsed s | events scanned | sessions | matched | users matched | share |\n|---|---|---|---|---|---|---|---|---|\n'
for name in semantic_contains time_window negative_filter; do
  for run in 1 2; do
    printf '{"rule":%s,"from":"%s","to":"%s"}' "${rules[$name]}" "$from" "$to" >"$work/body.json"
    wall="$(curl -sS -o "$work/$name-$run.json" -w '%{time_total}' -X POST -H 'Content-Type: application/json' \
      --data-binary @"$work/body.json" "$url/rules/backtest")"
    python3 - "$work/$name-$run.json" "$name" "$run" "$wall" <<'PY'
import json, sys
path, name, run, wall = sys.argv[1:5]
r = json.load(open(path))
if "sessions_total" not in r:
    sys.exit(f"backtest failed: {r}")
print(f"| {name} | {run} | {float(wall):.2f} | {r['elapsed_ms'] / 1000:.2f} | {r['events_scanned']:,} | {r['sessions_total']:,} "
      f"| {r['sessions_matched']:,} | {r['users_matched']:,} | {r['share']:.3f} |")
PY
  done
done
cp "$work"/*.json "$out/" 2>/dev/null || true
printf '\ngateway RSS before the backtests: %d MiB; peak during them (VmHWM): %d MiB\n' "$(( rss_before / 1024 ))" "$(( $(kib VmHWM) / 1024 ))"
