#!/bin/bash
# The dashboard's heaviest reads on the demo history: a province's 24-month budget series (by month and by week) and
# its budget as of an instant. Starts the given ledger jar with --demo on port 8097 in a scratch directory, waits for
# the demo history to finish loading, then times each request 30 times with curl after 10 warm-up requests.
# usage: bench/budget-queries.sh JAR LABEL     (run it for two jars in turn to compare them)
set -u
JAR=$(realpath "$1"); LABEL=$2; PORT=8097
D=$(mktemp -d); cd $D
java -jar $JAR --demo --server.port=$PORT > $D/ledger.log 2>&1 &
PID=$!
for i in $(seq 1 120); do sleep 2; curl -sf localhost:$PORT/actuator/health >/dev/null && break; done
# wait for the demo history to finish loading (event count stable)
prev=0; for i in $(seq 1 90); do sleep 3; n=$(curl -s -u auditor:demo localhost:$PORT/api/v1/audit/verify | python3 -c "import json,sys; print(json.load(sys.stdin)['events'])"); [ "$n" = "$prev" ] && break; prev=$n; done
echo "$LABEL events=$n"
for path in "/api/v1/provinces/CN-ZJ/budget/series" "/api/v1/provinces/CN-GD/budget/series?interval=week" "/api/v1/provinces/CN-GD/budget?asOf=2026-06-01T00:00:00Z"; do
  for i in $(seq 1 10); do curl -s -o /dev/null -u national:demo "localhost:$PORT$path"; done  # warm-up
  for i in $(seq 1 30); do curl -s -o /dev/null -w "%{time_total}\n" -u national:demo "localhost:$PORT$path"; done | sort -n | awk -v l="$LABEL" -v p="$path" '{a[NR]=$1} END {printf "%s %s median=%.0f ms p90=%.0f ms max=%.0f ms\n", l, p, a[int(NR/2)+1]*1000, a[int(NR*0.9)]*1000, a[NR]*1000}'
done
for i in $(seq 1 30); do curl -s -o /dev/null -w "%{time_total}\n" -u national:demo "localhost:$PORT/api/v1/provinces/CN-GD/budget"; done | sort -n | awk -v l="$LABEL" '{a[NR]=$1} END {printf "%s live budget (Basic, reference) median=%.0f ms\n", l, a[int(NR/2)+1]*1000}'
kill $PID; wait $PID 2>/dev/null; rm -rf $D
