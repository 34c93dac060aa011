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
exec bash scripts/with-postgres.sh \
  dotnet test SessionInsights.sln -c Release --no-build --logger "console;verbosity=normal" "$@"
