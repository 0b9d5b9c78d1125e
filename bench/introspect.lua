-- SPDX-License-Identifier: Apache-2.0
-- wrk script: RFC 7662 token introspection (POST, form body token=<jwt>), the same request for
-- Servitor (/oauth/introspect) and Keycloak (/realms/<realm>/protocol/openid-connect/token/introspect).
-- From the environment, never a file:
--   BASIC          base64 of client_id:client_secret (HTTP Basic client authentication), or
--   BEARER         a Bearer credential instead (Servitor: a key holding `verify`)
--   INTROSPECT_TOKEN  the access token asked about
-- Used by bench/keycloak-compare.sh.
local token = os.getenv("INTROSPECT_TOKEN")
if token == nil then error("set INTROSPECT_TOKEN") end
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
if os.getenv("BEARER") ~= nil and os.getenv("BEARER") ~= "" then
  wrk.headers["Authorization"] = "Bearer " .. os.getenv("BEARER")
else
  wrk.headers["Authorization"] = "Basic " .. os.getenv("BASIC")
end
wrk.body = "token=" .. token
