# Shared by the benchmark scripts (source it): the built apps, and waiting for a gateway to serve.

# The Release builds the benchmarks run; exits with the build command when one is missing.
bench_apps() { # $1 = repository root; sets $gateway and $cli
  gateway="$1/src/Gateway/bin/Release/net10.0/SessionInsights.Gateway.dll"
  cli="$1/src/Cli/bin/Release/net10.0/session-insights.dll"
  local f
  for f in "$gateway" "$cli"; do
    [[ -f "$f" ]] || { echo "$f is missing: dotnet build -c Release src/Gateway && dotnet build -c Release src/Cli" >&2; exit 2; }
  done
}

# Waits until $1/health answers 200; if process $2 exits first, prints its log $3 and exits.
bench_wait_healthy() {
  local url="$1" pid="$2" log="$3"
  for _ in $(seq 1 120); do
    [[ "$(curl -s -o /dev/null -w '%{http_code}' "$url/health" || true)" == 200 ]] && return 0
    kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; exit 1; }
    sleep 0.5
  done
  echo "the gateway at $url did not become healthy" >&2
  exit 1
}

# A scratch directory $work removed at exit, $out for the JSON figures ($BENCH_OUT, else /tmp/NAME),
# and stop_gateway for the gateway whose pid is in $gw (stopped at exit too).
bench_workspace() { # $1 = NAME
  out="${BENCH_OUT:-/tmp/$1}"
  mkdir -p "$out"
  work="$(mktemp -d "${TMPDIR:-/tmp}/$1.XXXXXX")"
  gw=""
  trap 'stop_gateway; rm -rf "$work"' EXIT
}

stop_gateway() {
  if [[ -n "${gw:-}" ]]; then kill "$gw" 2>/dev/null || true; wait "$gw" 2>/dev/null || true; gw=""; fi
}

# psql on the database of $SESSIONINSIGHTS_TEST_POSTGRES (an Npgsql connection string), quiet,
# unaligned, stopping at the first error.
bench_psql() {
  local -A pg
  local key value
  while IFS='=' read -r key value; do [[ -n "$key" ]] && pg[$key]="$value"; done < <(tr ';' '\n' <<<"$SESSIONINSIGHTS_TEST_POSTGRES")
  PGPASSWORD="${pg[Password]}" "${PG_BIN:-/usr/lib/postgresql/15/bin}/psql" -h "${pg[Host]}" -p "${pg[Port]}" -U "${pg[Username]}" \
    -d "${pg[Database]}" -v ON_ERROR_STOP=1 -qtA "$@"
}
