#!/usr/bin/env bash
# HTTP benchmark of the running ledger: redemptions on one voucher (one program aggregate: the serialized, worst case)
# and program reads. Needs wrk (Debian package) and a ledger started with ./ledger on a FRESH ./data directory.
# Usage: bench/http-throughput.sh [base-url] [seconds] [connections]
set -euo pipefail
BASE=${1:-http://127.0.0.1:8080}; SECONDS_RUN=${2:-20}; CONNECTIONS=${3:-8}
AUTH_USER=${LEDGER_USER:-national:demo}
AUTH="Basic $(printf '%s' "$AUTH_USER" | base64)"
J='Content-Type: application/json'
post() { curl -sf -o /dev/null -H "$J" -H "Authorization: $AUTH" -XPOST "$BASE/api/v1$1" -d "$2"; }
post /programs '{"programId":"bench-p","name":"Benchmark program","kind":"COMPUTE_VOUCHER","province":"CN-ZJ",
 "currency":"CNY","rules":{"coverageRatio":"0.30","maxVoucherValue":{"amount":"900000000.00","currency":"CNY"},
 "capPerBeneficiaryPerYear":{"amount":"900000000.00","currency":"CNY"},"validityDays":365,"eligibleSectors":["software"],
 "payee":"BENEFICIARY"}}'
post /programs/bench-p/appropriations '{"amount":{"amount":"900000000.00","currency":"CNY"},"reference":"bench"}'
post /providers '{"providerId":"bench-cloud","name":"Bench Cloud","id":"91330100MA2CFN0D1B","kind":"COMPUTE"}'
post /programs/bench-p/vouchers '{"voucherId":"bench-v-1","beneficiary":{"id":"91330106MA27XK1A0B","name":"Bench Firm",
 "sector":"software"},"faceValue":{"amount":"900000000.00","currency":"CNY"}}'
here=$(cd "$(dirname "$0")" && pwd)
echo "== redemptions on one voucher (POST, each appends one event)"
wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_RUN}s" --latency -s "$here/redeem.lua" "$BASE" -- bench-v-1 "$AUTH"
echo "== program view (GET, aggregate read)"
wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_RUN}s" --latency -H "Authorization: $AUTH" "$BASE/api/v1/programs/bench-p"
