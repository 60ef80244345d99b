#!/usr/bin/env bash
# Installs the database servers the local fixtures start (and the peer scanners the benchmark
# compares against), only when missing. Debian/Ubuntu; uses sudo when not root.
set -euo pipefail
wanted=(postgresql mariadb-server openssl sslscan nmap)
missing=()
for package in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
if ((${#missing[@]} == 0)); then
  echo "dbcomply: Debian packages present: ${wanted[*]}"
  exit 0
fi
as_root=()
[[ $(id -u) -eq 0 ]] || as_root=(sudo)
echo "dbcomply: installing ${missing[*]}"
"${as_root[@]}" apt-get update -qq
# policy-rc.d keeps the packages from starting system-wide servers; dbcomply starts its own.
DEBIAN_FRONTEND=noninteractive RUNLEVEL=1 "${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
