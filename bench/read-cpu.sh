#!/bin/bash
# CPU the ledger spends per read: GET /programs/{id} and GET /vouchers/{id}, HTTP Basic (national:demo), 16 connections
# of wrk for 15 s after an 8 s warm-up each, on the embedded default store. The ledger's own CPU time (utime + stime
# of its process, from /proc) over the measured run, divided by the requests answered. Starts the given jar on port
# 18181 in a scratch directory with one program and one voucher.
# usage: bench/read-cpu.sh JAR LABEL     (run it for two jars in turn, and again, to compare them)
set -eu
JAR=$(realpath "$1"); LABEL=$2; PORT=18181
D=$(mktemp -d); cd "$D"
java -jar "$JAR" --server.port=$PORT --ledger.kafka.broker.port=19092 --ledger.kafka.broker.controller-port=19093 \
  > "$D/ledger.log" 2>&1 &
PID=$!
for i in $(seq 120); do curl -s -o /dev/null localhost:$PORT/actuator/health && break; sleep 1; done
B=http://localhost:$PORT/api/v1; U=national:demo; J='Content-Type: application/json'
M() { echo "{\"amount\":\"$1\",\"currency\":\"CNY\"}"; }
curl -sf -o /dev/null -u $U -H "$J" -X POST $B/programs -d '{"programId":"cpu-p","name":"CPU","kind":"COMPUTE_VOUCHER",
  "province":"CN-ZJ","city":"Hangzhou","currency":"CNY","rules":{"coverageRatio":"0.30","maxVoucherValue":'"$(M 8000000.00)"',
  "capPerBeneficiaryPerYear":'"$(M 8000000.00)"',"validityDays":365,"eligibleSectors":["software"],"payee":"BENEFICIARY"}}'
curl -sf -o /dev/null -u $U -H "$J" -X POST $B/programs/cpu-p/appropriations -d '{"amount":'"$(M 1000000.00)"',"reference":"a1"}'
curl -sf -o /dev/null -u $U -H "$J" -X POST $B/programs/cpu-p/vouchers -d '{"voucherId":"cpu-v","beneficiary":{
  "id":"91330106MA27XK1A0B","name":"Hangzhou Robotics","sector":"software"},"faceValue":'"$(M 1000.00)"'}'
AUTH="Authorization: Basic $(printf '%s' $U | base64)"
cpu() { awk '{print $14 + $15}' /proc/$PID/stat; }
for path in programs/cpu-p vouchers/cpu-v; do
  wrk -t2 -c16 -d8s -H "$AUTH" $B/$path > /dev/null
  t0=$(cpu); out=$(wrk -t2 -c16 -d15s -H "$AUTH" $B/$path); t1=$(cpu)
  requests=$(echo "$out" | awk '/requests in/{print $1}')
  others=$(echo "$out" | awk '/Non-2xx/{print $NF}')
  ticks=$(getconf CLK_TCK)
  echo "$LABEL GET /$path: $requests answered (${others:-0} not 2xx), $(echo "$out" | awk '/Requests\/sec/{print $2}')/s," \
    "ledger CPU $(echo "scale=3; ($t1 - $t0) * 1000 / $ticks / $requests" | bc) ms per request"
done
kill $PID; wait $PID 2>/dev/null || true; rm -rf "$D"
