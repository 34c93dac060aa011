#!/usr/bin/env bash
# Runs every test: builds, starts a throwaway PostgreSQL (scripts/with-postgres.sh), runs all test
# projects against it, and tears it down. Needs only the .NET SDK and PostgreSQL 15's server binaries.
set -euo pipefail
cd "$(dirname "$0")/.."

# A fresh Debian machine may lack PostgreSQL's server binaries: install them when we can.
if [[ ! -x "${PG_BIN:-/usr/lib/postgresql/15/bin}/initdb" && "$(id -u)" -eq 0 ]] && command -v apt-get >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15 >/dev/null
fi

dotnet build SessionInsights.sln -c Release -warnaserror

log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
# -m:1: one test project at a time (dotnet test runs one per core by default); README, "Tests".
bash scripts/with-postgres.sh dotnet test SessionInsights.sln -c Release --no-build -m:1 "$@" 2>&1 | tee "$log" || status=$?

# One plain closing line over all test projects.
awk '/^(Passed|Failed)!/ { for (i = 1; i <= NF; i++) { if ($i == "Passed:") p += $(i+1); if ($i == "Failed:") f += $(i+1) } }
     END { printf "Tests: %d passed, %d failed\n", p, f }' FS='[ ,]+' "$log"
exit "$status"
