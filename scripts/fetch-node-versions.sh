#!/usr/bin/env bash
# Unpacks the Node.js releases pinned under "node" in lab-versions.json (22 and 24: what users run,
# besides the machines' own 20) from their npm packages into DBCOMPLY_NODE_CACHE (default
# ~/.cache/dbcomply/node/<major>), refusing a tarball whose sha512 differs from the pin, and prints
# the path of each node binary, one per line. Idempotent; arguments pick majors (default: all).
set -euo pipefail
cd "$(dirname "$0")/.."
cache="${DBCOMPLY_NODE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/dbcomply/node}"
majors=("$@")
if ((${#majors[@]} == 0)); then
  mapfile -t majors < <(node -e 'for (const major of Object.keys(require("./lab-versions.json").node)) console.log(major)')
fi
for major in "${majors[@]}"; do
  read -r package version integrity < <(node -e '
    const pin = require("./lab-versions.json").node[process.argv[1]];
    if (!pin) { console.error(`no Node ${process.argv[1]} is pinned in lab-versions.json`); process.exit(2); }
    console.log(pin.package, pin.version, pin.integrity);' "$major")
  target="$cache/$major"
  if [[ -x "$target/bin/node" && "$("$target/bin/node" --version)" == "v$version" ]]; then
    echo "$target/bin/node"
    continue
  fi
  work="$(mktemp -d "${TMPDIR:-/tmp}/dbcomply-node-$major-XXXXXX")"
  trap 'rm -rf "$work"' EXIT
  (cd "$work" && npm pack --silent "$package@$version" >/dev/null)
  tarball="$(ls "$work"/*.tgz)"
  actual="sha512-$(openssl dgst -sha512 -binary "$tarball" | base64 -w0)"
  if [[ "$actual" != "$integrity" ]]; then
    echo "dbcomply: $package@$version does not match the pinned integrity (got $actual)" >&2
    exit 1
  fi
  mkdir -p "$work/unpacked" && tar -xzf "$tarball" -C "$work/unpacked" --no-same-owner
  [[ "$("$work/unpacked/package/bin/node" --version)" == "v$version" ]] || { echo "dbcomply: the unpacked node is not v$version" >&2; exit 1; }
  rm -rf "$target" && mkdir -p "$cache" && mv "$work/unpacked/package" "$target"
  rm -rf "$work"
  trap - EXIT
  echo "$target/bin/node"
done
