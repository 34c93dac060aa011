#!/usr/bin/env bash
# Runs every test: builds, starts a throwaway PostgreSQL (scripts/with-postgres.sh), runs all test
# projects against it, and tears it down. Needs only the .NET SDK and PostgreSQL 15's server binaries.
set -euo pipefail
cd "$(dirname "$0")/.."

dotnet build SessionInsights.sln -c Release -warnaserror
exec bash scripts/with-postgres.sh \
  dotnet test SessionInsights.sln -c Release --no-build --logger "console;verbosity=normal" "$@"
