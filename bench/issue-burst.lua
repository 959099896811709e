-- wrk script: each request issues a new voucher (unique id and beneficiary) in one of N programs (burst-p-0 ..
-- burst-p-{N-1}), round robin; counts answers by status and prints them at the end.
local counter = 0
local thread_id = 0
local threads = {}
function setup(thread)
  thread_id = thread_id + 1
  thread:set("tid", thread_id)
  table.insert(threads, thread)
end
function init(args)
  programs = tonumber(args[1] or "8")
  auth = args[2] or ""
  statuses = {}
end
-- A Unified Social Credit Code (GB 32100-2015 check character) for beneficiary number n.
local ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
local WEIGHTS = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}
local function uscc(n)
  local first17 = "9133010" .. string.format("%010d", n)
  local sum = 0
  for i = 1, 17 do
    sum = sum + (string.find(ALPHABET, string.sub(first17, i, i), 1, true) - 1) * WEIGHTS[i]
  end
  local check = (31 - sum % 31) % 31
  return first17 .. string.sub(ALPHABET, check + 1, check + 1)
end
function request()
  counter = counter + 1
  local n = tid * 1000000 + counter
  local body = '{"voucherId":"bv-' .. n .. '","beneficiary":{"id":"' .. uscc(n) ..
      '","name":"Burst firm","sector":"software"},"faceValue":{"amount":"100.00","currency":"CNY"}}'
  return wrk.format("POST", "/api/v1/programs/burst-p-" .. (counter % programs) .. "/vouchers",
      {["Content-Type"] = "application/json", ["Authorization"] = auth}, body)
end
function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end
function done(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    local s = thread:get("statuses")
    for code, count in pairs(s) do
      total[code] = (total[code] or 0) + count
    end
  end
  local line = "answers by status:"
  for code, count in pairs(total) do
    line = line .. " " .. code .. "=" .. count
  end
  print(line)
  print(string.format("timeouts/errors: connect=%d read=%d write=%d timeout=%d", summary.errors.connect,
      summary.errors.read, summary.errors.write, summary.errors.timeout))
end
