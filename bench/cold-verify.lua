-- SPDX-License-Identifier: Apache-2.0
-- wrk script: POST /v1/verify of keys read from a file (one per line, e.g. the sample file of
-- dev.servitor.bench.GenerateData), each key once. wrk thread t of n takes lines t, t+n, t+2n...,
-- so no key is sent twice while the file lasts: on a freshly started server every request is
-- a key-cache miss (and, with GenerateData's samples, a principal-cache miss too). done() prints
-- how many requests wrapped around (sent a key a second time) and how many were not VALID.
--   SERVITOR_BENCH_GATEWAY  the caller's key (holds `verify`), from the environment
--   SERVITOR_BENCH_KEYS     the key file
--   WRK_THREADS             the -t given to wrk (default 2)
-- Used by bench/cold-verify.sh.
local gateway = os.getenv("SERVITOR_BENCH_GATEWAY")
local file = os.getenv("SERVITOR_BENCH_KEYS")
if gateway == nil or file == nil then error("set SERVITOR_BENCH_GATEWAY and SERVITOR_BENCH_KEYS") end

local threads = {}
function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end

local keys = {}
local nextKey = 1
local headers = { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. gateway }
wrapped = 0
invalid = 0

function init(args)
  local n = tonumber(os.getenv("WRK_THREADS") or "2")
  local i = 0
  for line in io.lines(file) do
    if i % n == tid and #line > 0 then keys[#keys + 1] = line end
    i = i + 1
  end
  if #keys == 0 then error("no keys for thread " .. tid .. " in " .. file) end
end

function request()
  if nextKey > #keys then
    nextKey = 1
    wrapped = wrapped + 1
  end
  local k = keys[nextKey]
  nextKey = nextKey + 1
  return wrk.format("POST", "/v1/verify", headers, '{"credential": "' .. k .. '"}')
end

function response(status, hdrs, body)
  if status ~= 200 or not string.find(body, '"VALID"', 1, true) then invalid = invalid + 1 end
end

function done(summary, latency, requests)
  local w, bad = 0, 0
  for _, t in ipairs(threads) do
    w = w + t:get("wrapped")
    bad = bad + t:get("invalid")
  end
  io.write(string.format("cold-verify: %d requests, %d not VALID, key file wrapped %d time(s)\n",
    summary.requests, bad, w))
end
