#!/usr/bin/env bash
# Context read latency with previous_sessions=0 (none), 3 (memory) and 10 (one storage read), in one
# run (docs/benchmarks.md, docs/patterns-and-sessions.md §4). Starts a throwaway PostgreSQL and the
# gateway (with its silo; sessions close 2 s after their last event), posts USERS users with 8 daily
# sessions of 3 events each (so every grain has dropped its 3 oldest sessions from memory), waits
# until all are closed, then times ROUNDS rounds of one sequential read per user for each N, the
# order of N shuffled per round so that drift hits all three alike. Prints p50/p90/p99/mean per N
# and the ratio to N=0, then PostgreSQL's plan for the storage read.
#
#   dotnet build -c Release src/Gateway && dotnet build -c Release src/Cli
#   scripts/bench-previous-sessions.sh          # USERS=200 ROUNDS=10
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
if [[ -z "${SESSIONINSIGHTS_TEST_POSTGRES:-}" ]]; then
  exec bash "$root/scripts/with-postgres.sh" bash "$0" "$@"
fi
source "$root/scripts/bench-lib.sh"
bench_apps "$root"
port="${BENCH_PORT:-5084}"
url="http://127.0.0.1:$port"
bench_workspace bench-previous-sessions

env Logging__LogLevel__Default=Warning Cluster__SiloPort=0 Cluster__GatewayPort=0 Security__AllowAnonymous=true \
  Insights__SessionIdleTimeout=00:00:02 Grains__ContextFallbackAfter=00:01:00 \
  ConnectionStrings__Postgres="$SESSIONINSIGHTS_TEST_POSTGRES" dotnet "$gateway" --urls "$url" >>"$work/gateway.log" 2>&1 &
gw=$!
bench_wait_healthy "$url" "$gw" "$work/gateway.log"

python3 - "$port" "${USERS:-200}" "${ROUNDS:-10}" "$out/figures.json" <<'PY'
import datetime, http.client, json, random, statistics, sys, time, uuid

port, users, rounds, out = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
conn = http.client.HTTPConnection("127.0.0.1", port)

def request(method, path, body=None):
    headers = {"Content-Type": "application/json"} if body is not None else {}
    conn.request(method, path, body=None if body is None else json.dumps(body), headers=headers)
    r = conn.getresponse()
    data = r.read()
    if r.status >= 300:
        sys.exit(f"{method} {path}: {r.status} {data[:300]!r}")
    return data

def event(name, user, session, at, path, chain=None):
    return {"event": {"uuid": str(uuid.uuid4()), "event": name, "distinct_id": user, "timestamp": at.isoformat().replace("+00:00", "Z"),
                      "properties": {"$session_id": session, "$pathname": path}, "elements_chain": chain}}

t0 = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(days=10)
names = [f"bench-history-{u}" for u in range(users)]
started = time.perf_counter()
for user in names:
    for s in range(1, 9):
        at = t0 + datetime.timedelta(days=s, minutes=random.randint(0, 600))
        session = f"{user}-s{s}"
        request("POST", "/ingest", event("$pageview", user, session, at, f"/p{s}"))
        request("POST", "/ingest", event("$autocapture", user, session, at + datetime.timedelta(seconds=40), "/cart",
                                         'button.btn:text="Add to cart";div.card:nth-child="1"'))
        request("POST", "/ingest", event("$pageview", user, session, at + datetime.timedelta(seconds=90), "/checkout"))
print(f"posted {users * 24} events ({users} users x 8 sessions) in {time.perf_counter() - started:.1f} s")

# Every session closed: the latest closed, and 7 before it (3 of them only in storage).
deadline = time.time() + 180
for user in names:
    while True:
        c = json.loads(request("GET", f"/session/context/{user}?previous_sessions=10"))
        if c["last_session"] and not c["last_session"]["is_active"] and len(c["previous_sessions"]) == 7 \
                and all(p["ended_at"] for p in c["previous_sessions"]):
            break
        if time.time() > deadline:
            sys.exit(f"{user} never had 8 closed sessions: {json.dumps(c)[:400]}")
        time.sleep(0.2)

# Warm-up: JIT and connection pool, not counted.
for n in (0, 3, 10):
    for user in names[:50]:
        request("GET", f"/session/context/{user}?previous_sessions={n}")

lat = {0: [], 3: [], 10: []}
size = {0: 0, 3: 0, 10: 0}
for r in range(rounds):
    order = [0, 3, 10]
    random.shuffle(order)
    for n in order:
        for user in names:
            s = time.perf_counter()
            body = request("GET", f"/session/context/{user}?previous_sessions={n}")
            lat[n].append((time.perf_counter() - s) * 1000)
            size[n] = len(body)

def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]

base = statistics.mean(lat[0])
print(f"\n{rounds} rounds x {users} users, sequential, one keep-alive connection\n")
print("| previous_sessions | source | reads | p50 ms | p90 ms | p99 ms | mean ms | mean / N=0 | body bytes |")
print("|---|---|---|---|---|---|---|---|---|")
figures = {}
for n, source in ((0, "none"), (3, "memory"), (10, "storage (1 indexed read, 11 rows)")):
    xs = lat[n]
    figures[n] = {"p50": pct(xs, 50), "p90": pct(xs, 90), "p99": pct(xs, 99), "mean": statistics.mean(xs), "bytes": size[n]}
    print(f"| {n} | {source} | {len(xs)} | {pct(xs, 50):.2f} | {pct(xs, 90):.2f} | {pct(xs, 99):.2f} | {statistics.mean(xs):.2f} "
          f"| {statistics.mean(xs) / base:.2f}x | {size[n]} |")
json.dump(figures, open(out, "w"), indent=1)
PY

echo
echo "PostgreSQL's plan for the storage read of one user (EXPLAIN ANALYZE):"
bench_psql -c "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT * FROM session WHERE project_id = 1 AND user_id = 'bench-history-7'
  ORDER BY started_at DESC, session_id COLLATE \"C\" DESC LIMIT 11" | sed 's/^/    /'
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
