#!/usr/bin/env bash
# Unpacks the PostgreSQL builds pinned in lab-versions.json (13, 14, 16, 17, 18; 15 is Debian's)
# into DBCOMPLY_POSTGRES_CACHE (default ~/.cache/dbcomply/postgres/<major>) for the version matrix
# (test/acceptance/postgres-versions.test.ts). Each tarball comes through `npm pack` and must match
# the pinned sha512 integrity. Idempotent; arguments pick majors (default: all). `npm ci` never
# downloads these: only CI and whoever runs this script do.
set -euo pipefail
cd "$(dirname "$0")/.."
[[ -f dist/src/lab/fetch-postgres-versions-main.js ]] || npx tsc -p tsconfig.json
exec node dist/src/lab/fetch-postgres-versions-main.js "$@"
