#!/usr/bin/env bash
# Applies the shard Job, waits for every index to finish, then applies the merge Job and waits for it.
# Usage: run-nightly.sh [namespace]   (from a CronJob with a service account, or a CI runner with kubectl)
set -euo pipefail
namespace=${1:-default}
run_id=$(date -u +%Y%m%d-%H%M)
manifest="$(dirname "$0")/dbcomply-nightly.yaml"
documents=$(sed "s/RUN_ID/$run_id/g" "$manifest")
# The claim and the shard Job first; the merge Job only after every shard completed.
printf '%s\n' "$documents" | awk 'BEGIN{RS="---\n"; ORS="---\n"} !/name: dbcomply-merge-/' | kubectl -n "$namespace" apply -f -
kubectl -n "$namespace" wait --for=condition=complete --timeout=2h "job/dbcomply-shards-$run_id"
printf '%s\n' "$documents" | awk 'BEGIN{RS="---\n"; ORS="---\n"} /name: dbcomply-merge-/' | kubectl -n "$namespace" apply -f -
# The merge Job fails when the fleet does (exit 1), so wait for either outcome and pass it on.
for _ in $(seq 180); do
  outcome=$(kubectl -n "$namespace" get "job/dbcomply-merge-$run_id" -o jsonpath='{.status.succeeded}/{.status.failed}')
  case "$outcome" in 1/*) echo "dbcomply: fleet passed ($run_id)"; exit 0 ;; */1) echo "dbcomply: fleet did not pass ($run_id); reports in the dbcomply-reports claim"; exit 1 ;; esac
  sleep 10
done
echo "dbcomply: merge did not finish within 30 minutes" >&2
exit 2
