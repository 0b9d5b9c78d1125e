-- SPDX-License-Identifier: Apache-2.0
-- wrk script: POST /v1/service-accounts with a new name each request (a change with an audit event, and a
-- lifecycle event when webhooks subscribe). SERVITOR_BENCH_GATEWAY is the org admin's key; RUN names the run,
-- so two runs against one server never collide. Used by bench/webhook-load.sh.
local admin = os.getenv("SERVITOR_BENCH_GATEWAY")
local run = os.getenv("RUN") or "r"
if admin == nil then error("set SERVITOR_BENCH_GATEWAY") end
local counter = 0
local thread_id = 0
local threads = 0

function setup(thread)
  thread:set("id", threads)
  threads = threads + 1
end

function init(args)
  thread_id = id
end

function request()
  counter = counter + 1
  return wrk.format("POST", "/v1/service-accounts",
    {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. admin},
    '{"name":"' .. run .. '-' .. thread_id .. '-' .. counter .. '"}')
end
