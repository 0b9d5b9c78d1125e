-- SPDX-License-Identifier: Apache-2.0
-- wrk script for bench/soak.sh: POST /v1/verify of credentials (API keys or access tokens) read
-- from a file, one per line, each line ending in " ." (a line without it is still being written).
--   SOAK_MODE=warm  the file is read once; every thread cycles through all of it (cache hits)
--   SOAK_MODE=new   the file grows while wrk runs (bench/soak.sh mints keys and tokens into it);
--                   thread t of n verifies lines t, t+n, ... as soon as they appear (a cold
--                   verification), and otherwise cycles through its last 32 credentials, some of
--                   which get revoked or lose their account meanwhile
--   SERVITOR_BENCH_GATEWAY  the caller's key (holds `verify`), SOAK_KEYS  the file,
--   WRK_THREADS             the -t given to wrk (default 2)
-- done() prints one line: answers by status class and /v1/verify codes.
local gateway = os.getenv("SERVITOR_BENCH_GATEWAY")
local file = os.getenv("SOAK_KEYS")
local mode = os.getenv("SOAK_MODE") or "warm"
if gateway == nil or file == nil then error("set SERVITOR_BENCH_GATEWAY and SOAK_KEYS") end

local threads = {}
function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end

local headers = { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. gateway }
s2xx, s4xx, s5xx, sother = 0, 0, 0, 0
valid, revoked, not_found, disabled, expired, other = 0, 0, 0, 0, 0, 0
fresh = 0

local creds = {}     -- warm: every credential; new: the last RECENT ones of this thread
local RECENT = 32
local pending = {}   -- new: credentials not verified yet
local n, f, pos, line_no, next_cred, calls = 2, nil, 0, 0, 1, 0

local function complete(line)
  return line ~= nil and #line > 2 and string.sub(line, -2) == " ."
end

-- Reads the lines appended since the last call; a partial last line is read again next time.
local function poll()
  f:seek("set", pos) -- also clears a previous end of file
  while true do
    local line = f:read("*l")
    if not complete(line) then return end
    pos = f:seek()
    if line_no % n == tid then pending[#pending + 1] = string.sub(line, 1, -3) end
    line_no = line_no + 1
  end
end

function init(args)
  n = tonumber(os.getenv("WRK_THREADS") or "2")
  f = assert(io.open(file, "r"))
  if mode == "warm" then
    for line in f:lines() do
      if complete(line) then creds[#creds + 1] = string.sub(line, 1, -3) end
    end
    f:close()
    if #creds == 0 then error("no credentials in " .. file) end
    next_cred = tid % #creds + 1
  else
    poll()
  end
end

local function body(c)
  return wrk.format("POST", "/v1/verify", headers, '{"credential": "' .. c .. '"}')
end

function request()
  if mode == "new" then
    calls = calls + 1
    if #pending == 0 and calls % 10 == 0 then poll() end
    if #pending > 0 then
      local c = table.remove(pending, 1)
      if #creds >= RECENT then table.remove(creds, 1) end
      creds[#creds + 1] = c
      fresh = fresh + 1
      return body(c)
    end
    if #creds == 0 then poll(); if #pending == 0 then return body("svt_none") end; return request() end
  end
  if next_cred > #creds then next_cred = 1 end
  local c = creds[next_cred]
  next_cred = next_cred + 1
  return body(c)
end

function response(status, hdrs, b)
  if status >= 200 and status < 300 then s2xx = s2xx + 1
  elseif status >= 400 and status < 500 then s4xx = s4xx + 1
  elseif status >= 500 then s5xx = s5xx + 1
  else sother = sother + 1 end
  local code = string.match(b, '"code":"(%u[%u_]*)"')
  if code == "VALID" then valid = valid + 1
  elseif code == "REVOKED" then revoked = revoked + 1
  elseif code == "NOT_FOUND" then not_found = not_found + 1
  elseif code == "DISABLED" then disabled = disabled + 1
  elseif code == "EXPIRED" then expired = expired + 1
  else other = other + 1 end
end

function done(summary, latency, requests)
  local t = {}
  for _, name in ipairs({ "s2xx", "s4xx", "s5xx", "sother", "valid", "revoked", "not_found", "disabled", "expired", "other", "fresh" }) do
    t[name] = 0
    for _, th in ipairs(threads) do t[name] = t[name] + th:get(name) end
  end
  local e = summary.errors
  io.write(string.format("soak-verify %s: requests %d 2xx %d 4xx %d 5xx %d other %d | VALID %d REVOKED %d NOT_FOUND %d DISABLED %d EXPIRED %d unknown %d | first-time %d | max %.0f ms | socket errors connect %d read %d write %d timeout %d\n",
    mode, summary.requests, t.s2xx, t.s4xx, t.s5xx, t.sother, t.valid, t.revoked, t.not_found, t.disabled, t.expired,
    t.other, t.fresh, latency.max / 1000, e.connect, e.read, e.write, e.timeout))
end
