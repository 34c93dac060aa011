#!/usr/bin/env bash
# A real multi-process Orleans cluster on loopback, without Docker:
#
#   scripts/local-cluster.sh start [--silos 3] [--gateways 1] [--gateway-port 5000]
#                                  [--silo-port 11111] [--orleans-gateway-port 30000] [--no-build]
#   scripts/local-cluster.sh status             # processes, Orleans membership rows, /health
#   scripts/local-cluster.sh kill-silo N        # SIGKILL silo N (a crash)
#   scripts/local-cluster.sh stop-silo N        # SIGTERM silo N (graceful leave, grains deactivate)
#   scripts/local-cluster.sh start-silo N       # start silo N again (same ports, new generation)
#   scripts/local-cluster.sh stop [--purge]     # stop everything; --purge also deletes the database
#
# Starts PostgreSQL (data kept in .local-cluster/pg between runs; it holds the data and the Orleans
# membership table, so there are no seeds), N silo processes and G gateway processes that host no
# grains (Orleans clients, Gateway__HostsSilo=false). Silo i listens on 127.0.0.1:(silo-port+i-1)
# for silos and 127.0.0.1:(orleans-gateway-port+i-1) for Orleans clients; gateway i serves HTTP on
# http://127.0.0.1:(gateway-port+i-1). Each node counts as started once its log says " is up".
# Each process's PID and log are under .local-cluster/ (git-ignored): silo-1.pid, silo-1.log,
# gateway-1.pid, gateway-1.log, postgres.log. Extra environment for every node can be passed as
# usual, e.g. `Grains__PassivateAfter=00:00:30 scripts/local-cluster.sh start`. LOCAL_CLUSTER_DIR
# moves the state directory (the tests run their own cluster beside yours);
# LOCAL_CLUSTER_CONFIGURATION picks the build (Release).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
dir="${LOCAL_CLUSTER_DIR:-$root/.local-cluster}"
configuration="${LOCAL_CLUSTER_CONFIGURATION:-Release}"
PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
silo_dll="$root/src/Silo/bin/$configuration/net10.0/SessionInsights.Silo.dll"
gateway_dll="$root/src/Gateway/bin/$configuration/net10.0/SessionInsights.Gateway.dll"

usage() { sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }

if [[ "$(id -u)" -eq 0 ]]; then
  as_pg() { runuser -u postgres -- "$@"; }
else
  as_pg() { "$@"; }
fi

config_get() { { grep -E "^$1=" "$dir/cluster.env" 2>/dev/null || true; } | tail -1 | cut -d= -f2-; }

alive() { [[ -f "$dir/$1.pid" ]] && kill -0 "$(cat "$dir/$1.pid")" 2>/dev/null; }

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# A node is started once its log says " is up": a silo when it is an active cluster member, a
# gateway when its Orleans client is connected and HTTP is served.
wait_up() {
  local name=$1
  for _ in $(seq 1 240); do
    grep -q " is up" "$dir/$name.log" 2>/dev/null && return 0
    alive "$name" || { echo "$name exited; its log:" >&2; tail -20 "$dir/$name.log" >&2; exit 1; }
    sleep 0.5
  done
  echo "$name did not come up within 120 s; see $dir/$name.log" >&2
  exit 1
}

pg_data() {
  # PostgreSQL runs as the postgres user when we are root: it must be able to reach its data directory.
  if [[ "$(id -u)" -eq 0 ]] && ! runuser -u postgres -- test -x "$dir"; then
    echo "${TMPDIR:-/tmp}/session-insights-local-cluster-pg-$(echo "$dir" | md5sum | cut -c1-8)"
  else
    echo "$dir/pg"
  fi
}

start_postgres() {
  local data port password
  data="$(pg_data)"
  port="$(config_get pg_port)"
  password="$(config_get pg_password)"
  if [[ -z "$port" || ! -d "$data" ]]; then
    port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null || echo $((15432 + RANDOM % 1000)))"
    password="$(head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n')"
    rm -rf "$data" && mkdir -p "$data"
    local pwfile
    pwfile="$(mktemp)"
    printf '%s\n' "$password" >"$pwfile"
    if [[ "$(id -u)" -eq 0 ]]; then chown -R postgres: "$data" "$pwfile"; fi
    as_pg "$PG_BIN/initdb" -D "$data" -U postgres --pwfile="$pwfile" --auth-host=scram-sha-256 \
      --auth-local=scram-sha-256 -E UTF8 --locale=C.UTF-8 --no-instructions >"$dir/initdb.log" 2>&1 \
      || { rm -f "$pwfile"; cat "$dir/initdb.log" >&2; exit 1; }
    rm -f "$pwfile"
    printf 'pg_port=%s\npg_password=%s\n' "$port" "$password" >"$dir/cluster.env"
    chmod 600 "$dir/cluster.env"
  fi
  touch "$dir/postgres.log"
  if [[ "$(id -u)" -eq 0 ]]; then chown postgres: "$dir/postgres.log" 2>/dev/null || true; fi
  local log="$dir/postgres.log"
  if [[ "$(id -u)" -eq 0 ]] && ! runuser -u postgres -- test -w "$log"; then log="$data/postgres.log"; fi
  as_pg "$PG_BIN/pg_ctl" -D "$data" -l "$log" -w -t 60 start \
    -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$data -c max_connections=300" >/dev/null
  cat "$data/postmaster.pid" 2>/dev/null | head -1 >"$dir/postgres.pid"
  PGPASSWORD="$password" "$PG_BIN/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -tAq \
    -c "SELECT 1 FROM pg_database WHERE datname = 'session_insights'" | grep -q 1 \
    || PGPASSWORD="$password" "$PG_BIN/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -q -c "CREATE DATABASE session_insights"
}

connection_string() {
  echo "Host=127.0.0.1;Port=$(config_get pg_port);Database=session_insights;Username=postgres;Password=$(config_get pg_password);Maximum Pool Size=50"
}

start_silo() {
  local i=$1 port proxy
  [[ "$i" =~ ^[1-9][0-9]*$ ]] || { echo "silo number must be at least 1" >&2; exit 2; }
  port=$(($(config_get silo_port) + i - 1))
  proxy=$(($(config_get orleans_gateway_port) + i - 1))
  if alive "silo-$i"; then echo "silo $i is already running (pid $(cat "$dir/silo-$i.pid"))"; return; fi
  for p in "$port" "$proxy"; do
    if port_in_use "$p"; then echo "silo $i: port $p is in use (choose others with --silo-port / --orleans-gateway-port)" >&2; exit 1; fi
  done
  # Truncate here, not in the background job: wait_up must not find the previous run's " is up".
  : >"$dir/silo-$i.log"
  ConnectionStrings__Postgres="$(connection_string)" Cluster__Membership=postgres Cluster__Hostname=127.0.0.1 \
    Cluster__SiloPort="$port" Cluster__GatewayPort="$proxy" \
    nohup dotnet "$silo_dll" >>"$dir/silo-$i.log" 2>&1 &
  echo $! >"$dir/silo-$i.pid"
  wait_up "silo-$i"
  echo "silo $i: 127.0.0.1:$port, Orleans clients 127.0.0.1:$proxy (pid $(cat "$dir/silo-$i.pid"), log ${dir#"$root"/}/silo-$i.log)"
}

start_gateway() {
  local i=$1 http
  http=$(($(config_get gateway_port) + i - 1))
  if alive "gateway-$i"; then echo "gateway $i is already running"; return; fi
  if port_in_use "$http"; then echo "gateway $i: port $http is in use (choose another with --gateway-port)" >&2; exit 1; fi
  # An Orleans client: it finds the silos' client ports in the membership table. A cluster on this
  # machine's loopback for development: served without keys, as the default project (docs/security.md).
  : >"$dir/gateway-$i.log"
  ConnectionStrings__Postgres="$(connection_string)" Cluster__Membership=postgres Gateway__HostsSilo=false Security__AllowAnonymous=true \
    nohup dotnet "$gateway_dll" --urls "http://127.0.0.1:$http" >>"$dir/gateway-$i.log" 2>&1 &
  echo $! >"$dir/gateway-$i.pid"
  wait_up "gateway-$i"
  echo "gateway $i: http://127.0.0.1:$http (pid $(cat "$dir/gateway-$i.pid"), log ${dir#"$root"/}/gateway-$i.log)"
}

stop_process() {
  local name=$1 signal=${2:-TERM}
  if ! alive "$name"; then rm -f "$dir/$name.pid"; return; fi
  local pid
  pid="$(cat "$dir/$name.pid")"
  kill "-$signal" "$pid"
  for _ in $(seq 1 120); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
  rm -f "$dir/$name.pid"
  echo "$name stopped ($signal)"
}

cmd="${1:-}"
[[ -n "$cmd" ]] || usage
shift

case "$cmd" in
  start)
    silos=3 gateways=1 gateway_port=5000 silo_port=11111 orleans_gateway_port=30000 build=1
    while [[ $# -gt 0 ]]; do
      case "$1" in
        --silos) silos=$2; shift 2 ;;
        --gateways) gateways=$2; shift 2 ;;
        --gateway-port) gateway_port=$2; shift 2 ;;
        --silo-port) silo_port=$2; shift 2 ;;
        --orleans-gateway-port) orleans_gateway_port=$2; shift 2 ;;
        --no-build) build=0; shift ;;
        *) usage ;;
      esac
    done
    [[ "$silos" =~ ^[1-9][0-9]*$ && "$gateways" =~ ^[1-9][0-9]*$ ]] || { echo "--silos and --gateways must be at least 1" >&2; exit 2; }
    for p in "$gateway_port" "$silo_port" "$orleans_gateway_port"; do
      [[ "$p" =~ ^[1-9][0-9]*$ && "$p" -le 65535 ]] || { echo "ports must be from 1 to 65535: $p" >&2; exit 2; }
    done
    # Silo i takes silo_port+i-1 and orleans_gateway_port+i-1: the two ranges must not overlap.
    if (( silo_port < orleans_gateway_port + silos && orleans_gateway_port < silo_port + silos )); then
      echo "--silo-port $silo_port and --orleans-gateway-port $orleans_gateway_port overlap for $silos silos" >&2; exit 2
    fi
    mkdir -p "$dir"
    if ls "$dir"/*.pid >/dev/null 2>&1 && [[ -n "$(for f in "$dir"/silo-*.pid "$dir"/gateway-*.pid; do [[ -f "$f" ]] && kill -0 "$(cat "$f")" 2>/dev/null && echo x; done)" ]]; then
      echo "a local cluster is already running: scripts/local-cluster.sh stop" >&2
      exit 1
    fi
    if [[ $build -eq 1 ]]; then
      dotnet build "$root/src/Silo" -c "$configuration" -v q -nologo >/dev/null
      dotnet build "$root/src/Gateway" -c "$configuration" -v q -nologo >/dev/null
    fi
    start_postgres
    # (akka_port: a state directory left by the Akka.NET version of this script)
    { grep -vE '^(silos|gateways|gateway_port|silo_port|orleans_gateway_port|akka_port)=' "$dir/cluster.env" || true
      printf 'silos=%s\ngateways=%s\ngateway_port=%s\nsilo_port=%s\norleans_gateway_port=%s\n' \
        "$silos" "$gateways" "$gateway_port" "$silo_port" "$orleans_gateway_port"; } >"$dir/cluster.env.new"
    mv "$dir/cluster.env.new" "$dir/cluster.env"
    echo "postgres: $(connection_string | sed 's/Password=[^;]*/Password=***/')"
    for i in $(seq 1 "$silos"); do start_silo "$i"; done
    for i in $(seq 1 "$gateways"); do start_gateway "$i"; done
    first="http://127.0.0.1:$gateway_port"
    for _ in $(seq 1 60); do
      [[ "$(curl -s -o /dev/null -w '%{http_code}' "$first/health" || true)" == 200 ]] && break
      sleep 0.5
    done
    echo "ready: curl $first/health; stop with scripts/local-cluster.sh stop"
    ;;
  status)
    [[ -f "$dir/cluster.env" ]] || { echo "no local cluster"; exit 0; }
    for f in "$dir"/silo-*.log "$dir"/gateway-*.log; do
      [[ -f "$f" ]] || continue
      name="$(basename "$f" .log)"
      if alive "$name"; then echo "$name: running (pid $(cat "$dir/$name.pid"))"; else echo "$name: stopped"; fi
    done
    if [[ -f "$(pg_data)/postmaster.pid" ]]; then
      echo "membership (Orleans; status 3 = active, 6 = dead):"
      PGPASSWORD="$(config_get pg_password)" "$PG_BIN/psql" -h 127.0.0.1 -p "$(config_get pg_port)" -U postgres \
        -d session_insights -tA -F ' ' -c "SELECT '  ' || address || ':' || port, 'gen', generation, 'status', status,
          'client port', proxyport, siloname FROM orleansmembershiptable ORDER BY status, port, generation" 2>/dev/null || true
    fi
    curl -s "http://127.0.0.1:$(config_get gateway_port)/health" && echo
    ;;
  kill-silo) stop_process "silo-${1:?silo number}" KILL ;;
  stop-silo) stop_process "silo-${1:?silo number}" TERM ;;
  start-silo) start_silo "${1:?silo number}" ;;
  stop)
    purge=0
    [[ "${1:-}" == "--purge" ]] && purge=1
    for f in "$dir"/gateway-*.pid "$dir"/silo-*.pid; do
      [[ -f "$f" ]] && stop_process "$(basename "$f" .pid)" TERM
    done
    data="$(pg_data)"
    if [[ -f "$data/postmaster.pid" ]]; then
      as_pg "$PG_BIN/pg_ctl" -D "$data" -m fast -w stop >/dev/null && echo "postgres stopped"
    fi
    rm -f "$dir/postgres.pid"
    if [[ $purge -eq 1 ]]; then rm -rf "$dir" "$data"; echo "deleted $dir"; fi
    ;;
  *) usage ;;
esac
