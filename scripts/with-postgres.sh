#!/usr/bin/env bash
# Runs a command against a throwaway PostgreSQL server:
#
#   bash scripts/with-postgres.sh dotnet test tests/Storage.Tests
#
# Starts PostgreSQL (default: the 15 binaries in /usr/lib/postgresql/15/bin, override with PG_BIN)
# in a fresh temporary directory, listening on 127.0.0.1 only on a free port, with password auth;
# creates a database; exports SESSIONINSIGHTS_TEST_POSTGRES (an Npgsql connection string to it,
# as a user allowed to create more databases); runs the command; then stops the server and
# deletes the directory, also when the command fails or the script is interrupted.
# Exits with the command's exit code. fsync stays on: the tests measure durable writes.
# WITH_POSTGRES_OPTIONS adds server options (scripts/bench.sh loads pg_stat_statements with it).
set -euo pipefail

if [[ $# -eq 0 ]]; then
  echo "usage: $0 <command> [args...]" >&2
  exit 2
fi

PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
for tool in initdb pg_ctl pg_isready psql; do
  if [[ ! -x "$PG_BIN/$tool" ]]; then
    echo "with-postgres: $PG_BIN/$tool not found (set PG_BIN to PostgreSQL's bin directory)" >&2
    exit 2
  fi
done

# initdb and postgres refuse to run as root: as root, run them as the postgres user.
if [[ "$(id -u)" -eq 0 ]]; then
  PG_USER=postgres
  as_pg() { runuser -u "$PG_USER" -- "$@"; }
else
  PG_USER="$(id -un)"
  as_pg() { "$@"; }
fi

work_dir="$(mktemp -d "${TMPDIR:-/tmp}/with-postgres.XXXXXX")"
data_dir="$work_dir/data"
socket_dir="$work_dir/socket"
started=0
child=""

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if [[ $started -eq 1 ]]; then
    as_pg "$PG_BIN/pg_ctl" -D "$data_dir" -m fast -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$work_dir"
  exit "$rc"
}
# On INT/TERM: stop the command first (it may be using the server), then clean up via EXIT.
on_signal() {
  if [[ -n "$child" ]]; then
    kill -TERM "$child" 2>/dev/null || true
    wait "$child" 2>/dev/null || true
  fi
  exit "$1"
}
trap cleanup EXIT
trap 'on_signal 130' INT
trap 'on_signal 143' TERM

mkdir -p "$socket_dir"
if [[ "$(id -u)" -eq 0 ]]; then
  chown -R "$PG_USER": "$work_dir"
fi

password="$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
printf '%s\n' "$password" >"$work_dir/pwfile"
chmod 600 "$work_dir/pwfile"
if [[ "$(id -u)" -eq 0 ]]; then chown "$PG_USER": "$work_dir/pwfile"; fi

as_pg "$PG_BIN/initdb" -D "$data_dir" -U postgres --pwfile="$work_dir/pwfile" \
  --auth-host=scram-sha-256 --auth-local=scram-sha-256 -E UTF8 --locale=C.UTF-8 --no-instructions >"$work_dir/initdb.log" 2>&1 \
  || { cat "$work_dir/initdb.log" >&2; exit 1; }
rm -f "$work_dir/pwfile"

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()' 2>/dev/null \
    || echo $((20000 + RANDOM % 30000))
}

# Another process may take the port between choosing and binding it: try a few.
port=""
for attempt in 1 2 3 4 5; do
  candidate="$(free_port)"
  if as_pg "$PG_BIN/pg_ctl" -D "$data_dir" -l "$work_dir/server.log" -w -t 60 start \
      -o "-c listen_addresses=127.0.0.1 -p $candidate -c unix_socket_directories=$socket_dir -c max_connections=200 ${WITH_POSTGRES_OPTIONS:-}" >/dev/null 2>&1; then
    port="$candidate"
    started=1
    break
  fi
  echo "with-postgres: could not start on port $candidate (attempt $attempt), retrying" >&2
done
if [[ -z "$port" ]]; then
  cat "$work_dir/server.log" >&2 || true
  exit 1
fi

for _ in $(seq 1 60); do
  if "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$port"; then break; fi
  sleep 0.5
done
"$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$port" || { echo "with-postgres: server not ready" >&2; cat "$work_dir/server.log" >&2; exit 1; }

database=session_insights_test
PGPASSWORD="$password" "$PG_BIN/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 -q \
  -c "CREATE DATABASE $database"

export SESSIONINSIGHTS_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Database=$database;Username=postgres;Password=$password"
echo "with-postgres: PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (data in $work_dir)" >&2

# In the background so that a signal interrupts `wait` at once (bash delays traps until a
# foreground child ends); <&0 keeps the command's stdin, which & would otherwise replace.
set +e
"$@" <&0 &
child=$!
wait "$child"
rc=$?
child=""
set -e
exit "$rc"
