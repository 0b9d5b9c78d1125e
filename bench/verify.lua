-- SPDX-License-Identifier: Apache-2.0
-- wrk script for POST /v1/verify: a gateway (the Bearer credential) asks about a service
-- account's key. Both secrets come from the environment so they never land in a file:
--   SERVITOR_BENCH_GATEWAY  the caller's key (holds the `verify` permission)
--   SERVITOR_BENCH_KEY      the key being verified
-- Used by bench/http-load.sh; by hand: wrk -s bench/verify.lua http://127.0.0.1:PORT/v1/verify
local gateway = os.getenv("SERVITOR_BENCH_GATEWAY")
local key = os.getenv("SERVITOR_BENCH_KEY")
if gateway == nil or key == nil then
  error("set SERVITOR_BENCH_GATEWAY and SERVITOR_BENCH_KEY")
end

wrk.method = "POST"
wrk.body = '{"credential": "' .. key .. '"}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. gateway

-- No request() function: wrk then formats this request once and sends it as is (no Lua
-- per request), the same cost on the client as the plain GET /healthz run.
