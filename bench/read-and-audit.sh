#!/usr/bin/env bash
# Times the read side and the audit endpoints of a running ledger that holds the demo history:
#   ./ledger --demo            (in another terminal, on a fresh ./data)
#   bench/read-and-audit.sh http://127.0.0.1:8080 5
# Each request runs RUNS times (default 5); the median, min and max of curl's time_total are printed, then the same for
# the offline verifier on the export. Needs curl, awk and the built jar.
set -euo pipefail
base=${1:-http://127.0.0.1:8080}
runs=${2:-5}
jar=${JAR:-ledger-api/target/ledger-api.jar}
api=$base/api/v1
export_file=$(mktemp --suffix=.ndjson)
trap 'rm -f "$export_file"' EXIT

stats() { # reads seconds, one per line; prints median/min/max in ms
  sort -n | awk '{ v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2;
    printf "median %7.0f ms   min %7.0f ms   max %7.0f ms\n", m * 1000, v[1] * 1000, v[NR] * 1000 }'
}

timed() { # label, method, path, user
  local label=$1 method=$2 path=$3 user=$4
  printf '%-44s ' "$label"
  local body=()
  [ "$method" = POST ] && body=(-H 'Content-Type: application/json' -d '{}')
  for _ in $(seq "$runs"); do
    curl -s -o /dev/null -w '%{time_total}\n' -u "$user" -X "$method" "${body[@]}" "$api$path"
  done | stats
}

entries=$(curl -s -u auditor:demo "$api/audit/verify" | sed -E 's/.*"events":([0-9]+).*/\1/')
echo "log: $entries entries"
timed "GET /provinces/CN-GD/budget (read model)" GET "/provinces/CN-GD/budget" national:demo
timed "GET /provinces/CN-GD/budget?asOf (fold)" GET "/provinces/CN-GD/budget?asOf=2026-01-01T00:00:00Z" national:demo
timed "GET /alerts" GET "/alerts" national:demo
timed "GET /audit/events (full export)" GET "/audit/events" auditor:demo
timed "GET /audit/verify" GET "/audit/verify" auditor:demo
timed "POST /audit/replays" POST "/audit/replays" auditor:demo

curl -s -u auditor:demo "$api/audit/events" > "$export_file"
printf '%-44s ' "offline verify ($(du -h "$export_file" | cut -f1) export)"
for _ in $(seq "$runs"); do
  start=$(date +%s.%N); java -jar "$jar" verify "$export_file" > /dev/null; end=$(date +%s.%N)
  awk -v s="$start" -v e="$end" 'BEGIN { print e - s }'
done | stats
