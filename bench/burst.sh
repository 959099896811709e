#!/usr/bin/env bash
# Burst of voucher issues from many clients over several programs (issue 11): run against a ledger started on a FRESH
# database. Sets up N programs with money to spare, then runs wrk with the given connections and prints the answers by
# status and the latency distribution. Needs wrk; AUTH is the Authorization header value (a bearer token keeps the
# password hash out of the measurement; default: HTTP Basic national:demo).
# Usage: bench/burst.sh [base-url] [seconds] [connections] [programs]
set -euo pipefail
BASE=${1:-http://127.0.0.1:8080}; SECONDS_RUN=${2:-20}; CONNECTIONS=${3:-64}; PROGRAMS=${4:-8}
AUTH=${AUTH:-"Basic $(printf '%s' "${LEDGER_USER:-national:demo}" | base64)"}
J='Content-Type: application/json'
post() { curl -sf -o /dev/null -H "$J" -H "Authorization: $AUTH" -XPOST "$BASE/api/v1$1" -d "$2"; }
for p in $(seq 0 $((PROGRAMS - 1))); do
  post /programs '{"programId":"burst-p-'"$p"'","name":"Burst program '"$p"'","kind":"COMPUTE_VOUCHER",
   "province":"CN-ZJ","currency":"CNY","rules":{"coverageRatio":"0.30","maxVoucherValue":{"amount":"1000.00",
   "currency":"CNY"},"capPerBeneficiaryPerYear":{"amount":"1000.00","currency":"CNY"},"validityDays":365,
   "eligibleSectors":["software"],"payee":"BENEFICIARY"}}'
  post /programs/burst-p-$p/appropriations '{"amount":{"amount":"900000000.00","currency":"CNY"},"reference":"burst"}'
done
here=$(cd "$(dirname "$0")" && pwd)
echo "== $CONNECTIONS clients issuing vouchers over $PROGRAMS programs for ${SECONDS_RUN}s (uptime: $(uptime))"
wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_RUN}s" --timeout 30s --latency -s "$here/issue-burst.lua" "$BASE" \
  -- "$PROGRAMS" "$AUTH"
