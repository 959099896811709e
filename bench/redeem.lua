-- wrk script: each request redeems a new invoice (its own redemptionId, contract and invoice reference) on one voucher.
local counter = 0
local thread_id = 0
function setup(thread)
  thread_id = thread_id + 1
  thread:set("tid", thread_id)
end
function request()
  counter = counter + 1
  local n = tid .. "-" .. counter
  local body = '{"redemptionId":"r-' .. n .. '","contractRef":"C-' .. n .. '","invoiceRef":"INV-' .. n ..
      '","providerId":"bench-cloud","invoiceAmount":{"amount":"10.00","currency":"CNY"}}'
  return wrk.format("POST", "/api/v1/vouchers/" .. voucher .. "/compute-redemptions",
      {["Content-Type"] = "application/json", ["Authorization"] = auth}, body)
end
function init(args)
  voucher = args[1] or "bench-v-1"
  auth = args[2] or ""
end
