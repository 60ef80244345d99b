#!/usr/bin/env bash
# Runs the unit tests (no lab server) and one demo run with another Node.js binary, the way a user
# on that release would: `bash scripts/test-on-node.sh ~/.cache/dbcomply/node/22/bin/node`.
# Expects dist/ built (npm test builds it). The demo must exit 1 (the legacy servers fail) with
# every hardened server's areas passed or skipped and every legacy server failing.
set -euo pipefail
cd "$(dirname "$0")/.."
node_bin="$(realpath "$1")"
export PATH="$(dirname "$node_bin"):$PATH"
echo "dbcomply: testing with Node $(node --version)"
mapfile -t units < <(for file in $(find dist/test/controls dist/test/probes dist/test/report dist/test/targets dist/test/tls dist/test/wire dist/test/vendor -name '*.test.js' | sort); do
  grep -qE "local-server|run-command|runTarget|network-lab" "$file" || echo "$file"
done)
node --test --test-concurrency=1 "${units[@]}"
out="$(mktemp -d "${TMPDIR:-/tmp}/dbcomply-demo-XXXXXX")"
status=0
node bin/dbcomply.js run --demo --out "$out" > "$out.log" 2>&1 || status=$?
cat "$out.log"
if [[ $status != 1 ]]; then echo "dbcomply: the demo on Node $(node --version) exited $status, not 1" >&2; exit 1; fi
# The demo stops what it started (servers, the Azure stand-in): nothing may be left holding the process.
if grep -q "still held open" "$out.log"; then echo "dbcomply: the demo on Node $(node --version) left connections open" >&2; exit 1; fi
node -e '
  const results = require(process.argv[1]);
  const bad = [];
  for (const target of results.targets) {
    const verdicts = Object.values(target.controls);
    const good = /-(hardened|compliant)$/.test(target.name);
    const weak = /-(legacy|noncompliant)$/.test(target.name);
    if (verdicts.length === 0) bad.push(`${target.name}: no verdicts`);
    if (good && verdicts.some((verdict) => verdict === "failed" || verdict === "undecided")) bad.push(`${target.name}: not every control passed or skipped`);
    if (weak && !verdicts.includes("failed")) bad.push(`${target.name}: nothing failed`);
  }
  if (bad.length > 0) { console.error(bad.join("\n")); process.exit(1); }
  console.log(`dbcomply: demo on Node ${process.version}: ${results.targets.length} targets as expected`);
' "$out/results.json"
rm -rf "$out" "$out.log"
