#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The Go verifier's suite against a real Servitor ($SERVITOR_JAR): starts the server, creates the fixtures of
# sdk-cases/cases.json through the API, then runs `go vet` and `go test` (standard library only: no module proxy).
# Extra arguments go to `go test`, e.g. `bash sdk-go/test.sh -run '^$' -bench . -benchmem` for the benchmarks.
set -euo pipefail
cd "$(dirname "$0")/.."
source integrations/lib.sh
servitor_start

json() { python3 -c 'import json,sys; d=json.load(sys.stdin)
for k in sys.argv[1].split("."): d=d[k]
print(d)' "$1"; }

api POST /v1/roles '{"name":"go-sdk-deployer","permissions":["deployments:write"]}' >/dev/null
api POST /v1/service-accounts '{"name":"go-sdk-bot","role":"go-sdk-deployer"}' >/dev/null
# The platform's own key holds "verify" and nothing else: the least a gateway needs.
api POST /v1/roles '{"name":"go-sdk-gateway","permissions":["verify"]}' >/dev/null
api POST /v1/service-accounts '{"name":"go-sdk-gateway","role":"go-sdk-gateway"}' >/dev/null
platform_key=$(api POST /v1/service-accounts/go-sdk-gateway/keys '{"name":"gateway"}' | json key)
live_key=$(api POST /v1/service-accounts/go-sdk-bot/keys '{"name":"live"}' | json key)
revoked=$(api POST /v1/service-accounts/go-sdk-bot/keys '{"name":"revoked"}')
api DELETE "/v1/service-accounts/go-sdk-bot/keys/$(echo "$revoked" | json id)" >/dev/null
secret=$(api POST /v1/service-accounts/go-sdk-bot/secret)
access_token=$(curl -fsS --max-time 30 -u "$(echo "$secret" | json client_id):$(echo "$secret" | json client_secret)" \
  -d grant_type=client_credentials "$SERVITOR_URL/oauth/token" | json access_token)

cd sdk-go
export GOFLAGS=-mod=mod GOPROXY=off
export GOCACHE="${GOCACHE:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/go-build}"
export SERVITOR_SDK_LIVE=1 SDK_PLATFORM_KEY="$platform_key" SDK_ACCOUNT=go-sdk-bot SDK_LIVE_KEY="$live_key" SDK_REVOKED_KEY="$(echo "$revoked" | json key)" \
  SDK_ACCESS_TOKEN="$access_token"
go vet ./...
# -timeout: a test that hangs fails (with every goroutine's stack) within 8 minutes; arguments after it override it.
go test -count=1 -timeout 8m "$@" ./...
