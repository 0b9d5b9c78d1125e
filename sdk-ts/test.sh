#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The TypeScript SDK's suite against a real Servitor ($SERVITOR_JAR): installs from the lock file, builds
# with tsc, starts a server, creates the fixtures of sdk-cases/cases.json through the API, and runs the
# node:test files in test/ (they read the fixtures from $SDK_FIXTURES).
#   SERVITOR_JAR=server/target/servitor-0.1.0-SNAPSHOT.jar bash sdk-ts/test.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here"
source ../integrations/lib.sh

npm ci --prefer-offline --no-audit --no-fund --loglevel=error
npm run --silent build

servitor_start

# field PATH: the value at a dotted path of the JSON on stdin.
field() { node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{let v=JSON.parse(s);for(const k of process.argv[1].split("."))v=v[k];process.stdout.write(String(v))})' "$1"; }

# The platform's own key: a service account whose role grants only 'verify'.
api POST /v1/roles '{"name":"gateway","permissions":["verify"]}' >/dev/null
gateway_key="$(api POST /v1/service-accounts '{"name":"gateway","role":"gateway","issue_key":true}' | field key.key)"
# The customer's account: its keys hold deployments:write, not billing:read (nor verify).
api POST /v1/roles '{"name":"deployer","permissions":["deployments:write"]}' >/dev/null
api POST /v1/service-accounts '{"name":"deploy-bot","role":"deployer"}' >/dev/null
live="$(api POST /v1/service-accounts/deploy-bot/keys '{"name":"live"}')"
revoked="$(api POST /v1/service-accounts/deploy-bot/keys '{"name":"revoked"}')"
api DELETE "/v1/service-accounts/deploy-bot/keys/$(echo "$revoked" | field id)" >/dev/null
doomed="$(api POST /v1/service-accounts/deploy-bot/keys '{"name":"doomed"}')"
secret="$(api POST /v1/service-accounts/deploy-bot/secret)"
token="$(curl -fsS --max-time 30 -u "$(echo "$secret" | field client_id):$(echo "$secret" | field client_secret)" \
          -d grant_type=client_credentials "$SERVITOR_URL/oauth/token" | field access_token)"

export SDK_FIXTURES="$SERVITOR_WORK/fixtures.json"
node -e 'require("fs").writeFileSync(process.argv[1], JSON.stringify({
  url: process.env.SERVITOR_URL, admin_key: process.env.SERVITOR_TOKEN, gateway_key: process.argv[2],
  account: "deploy-bot", live_key: process.argv[3], revoked_key: process.argv[4],
  doomed_key: process.argv[5], doomed_key_id: process.argv[6], access_token: process.argv[7]}, null, 1))' \
  "$SDK_FIXTURES" "$gateway_key" "$(echo "$live" | field key)" "$(echo "$revoked" | field key)" \
  "$(echo "$doomed" | field key)" "$(echo "$doomed" | field id)" "$token"

# SDK_TS_TESTS=test/verify.test.mjs runs one file.
node --test --test-reporter=spec ${SDK_TS_TESTS:-test/}
