#!/usr/bin/env bash
# Installs the database servers the local fixtures start (with pgaudit for the hardened PostgreSQL; and the peer scanners the benchmark
# compares against, and the network lab's namespaces and firewall), only when missing. Debian/Ubuntu;
# uses sudo when not root.
set -euo pipefail
wanted=(postgresql postgresql-15-pgaudit mariadb-server mariadb-backup openssl sslscan nmap testssl.sh iproute2 nftables)
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
# dbcomply starts its own servers on free ports; keep the packages from starting system-wide ones
# (on 5432 and 3306) by refusing service starts while they install, unless a policy already exists.
policy=/usr/sbin/policy-rc.d
added_policy=false
if [[ ! -e $policy ]]; then
  printf '#!/bin/sh\nexit 101\n' | "${as_root[@]}" tee "$policy" >/dev/null
  "${as_root[@]}" chmod +x "$policy"
  added_policy=true
fi
remove_policy() { if $added_policy; then "${as_root[@]}" rm -f "$policy"; fi; }
trap remove_policy EXIT
echo "dbcomply: installing ${missing[*]}"
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
