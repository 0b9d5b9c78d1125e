#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Gateway forward auth through real proxies: starts Servitor ($SERVITOR_JAR), an upstream that echoes what
# reached it (deploy/testing/echo-upstream.py, with a request log), Debian's nginx configured from
# deploy/nginx/ and Caddy from deploy/caddy/Caddyfile (the files a person copies: nginx's get only the
# addresses and the key written in, each replacement checked; Caddy's is used unchanged, through its
# environment), and drives both as a client of the platform would:
#   a valid key -> the upstream sees who it stands for; a bad or missing one -> 401 from the proxy and the
#   upstream untouched; a key without the location's permission -> 403; a client's own X-Servitor-* headers
#   never reach the upstream; a flood of bad keys from one address -> 429 with Retry-After.
# Run alone: SERVITOR_JAR=server/target/servitor-0.1.0-SNAPSHOT.jar bash deploy/gateway-test.sh
# Needs nginx (with auth_request, as Debian's), caddy, python3 and curl: apt-get install nginx caddy.
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in nginx caddy python3 curl; do
  command -v "$tool" >/dev/null || { echo "gateway-test: $tool is not installed (apt-get install nginx caddy)" >&2; exit 1; }
done
source integrations/lib.sh

# Five failed authentications a minute per client address, so that the 429 is cheap to provoke; every other
# case speaks from its own loopback address (curl --interface 127.0.0.x), so none shares that budget.
servitor_start SERVITOR_AUTH_FAILURES_PER_MINUTE_PER_IP=5
GW_WORK="$(mktemp -d)"
PIDS=()
cleanup() {
  local p
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$GW_WORK"
  servitor_stop
}
trap cleanup EXIT

field() { python3 -c 'import json, sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }

wait_port() {
  local i
  for i in $(seq 1 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  echo "gateway-test: nothing listens on port $1 ($2); its log:" >&2
  cat "$3" >&2 || true
  return 1
}

# --- Servitor: the gateway's key (verify only), a customer's service account, one that holds platform:admin
api POST /v1/roles '{"name":"gateway","permissions":["verify"]}' >/dev/null
api POST /v1/roles '{"name":"platform-admin","permissions":["platform:admin","*:read"]}' >/dev/null
api POST /v1/service-accounts '{"name":"edge-gateway","role":"gateway"}' >/dev/null
GATEWAY_KEY="$(api POST /v1/service-accounts/edge-gateway/keys '{"name":"gateways"}' | field key)"
CI_ID="$(api POST /v1/service-accounts '{"name":"ci-bot"}' | field id)"
KEY="$(api POST /v1/service-accounts/ci-bot/keys '{"name":"k"}' | field key)"
OPS_ID="$(api POST /v1/service-accounts '{"name":"ops-bot","role":"platform-admin"}' | field id)"
OPS_KEY="$(api POST /v1/service-accounts/ops-bot/keys '{"name":"k"}' | field key)"
ADMIN_ID="$(api GET /v1/whoami | python3 -c 'import json, sys; print(json.load(sys.stdin)["principal"]["id"])')"
SERVITOR_ADDRESS="${SERVITOR_URL#http://}"

# --- the upstream
UP_PORT="$(free_port)"
UP_LOG="$GW_WORK/upstream.log"
: >"$UP_LOG"
python3 deploy/testing/echo-upstream.py "$UP_PORT" "$UP_LOG" >"$GW_WORK/upstream.out" 2>&1 &
PIDS+=($!)
wait_port "$UP_PORT" upstream "$GW_WORK/upstream.out"

# --- nginx, from deploy/nginx/ with the addresses and the key written in
NGINX_PORT="$(free_port)"
N="$GW_WORK/nginx"
mkdir -p "$N/conf.d" "$N/tmp"
cp deploy/nginx/servitor-auth.conf "$N/"
python3 - deploy/nginx/servitor-gateway.conf "$N/conf.d/servitor-gateway.conf" \
  "server 127.0.0.1:8080;" "server $SERVITOR_ADDRESS;" \
  "server 127.0.0.1:3000;" "server 127.0.0.1:$UP_PORT;" \
  "listen 127.0.0.1:8000;" "listen 127.0.0.1:$NGINX_PORT;" \
  "svt_REPLACE_WITH_THE_GATEWAYS_VERIFY_KEY" "$GATEWAY_KEY" <<'EOF'
import sys
src, dst, pairs = sys.argv[1], sys.argv[2], sys.argv[3:]
text = open(src).read()
for old, new in zip(pairs[::2], pairs[1::2]):
    if text.count(old) != 1:
        sys.exit(f"gateway-test: {src} must hold '{old}' exactly once (it holds it {text.count(old)} times)")
    text = text.replace(old, new)
open(dst, "w").write(text)
EOF
chmod 600 "$N/conf.d/servitor-gateway.conf"
cat >"$N/nginx.conf" <<EOF
$( [ "$(id -u)" = 0 ] && echo "user root;" )
worker_processes 1;
pid $N/nginx.pid;
error_log $N/error.log notice;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $N/tmp/body;
    proxy_temp_path $N/tmp/proxy;
    fastcgi_temp_path $N/tmp/fastcgi;
    uwsgi_temp_path $N/tmp/uwsgi;
    scgi_temp_path $N/tmp/scgi;
    include conf.d/*.conf;
}
EOF
nginx -t -q -p "$N/" -c "$N/nginx.conf"
nginx -p "$N/" -c "$N/nginx.conf" -g 'daemon off;' >"$N/stdout.log" 2>&1 &
PIDS+=($!)
wait_port "$NGINX_PORT" nginx "$N/error.log"

# --- Caddy, from deploy/caddy/Caddyfile unchanged; the key from the environment
CADDY_PORT="$(free_port)"
C="$GW_WORK/caddy"
mkdir -p "$C"
env SERVITOR_GATEWAY_KEY="$GATEWAY_KEY" SERVITOR_ADDRESS="$SERVITOR_ADDRESS" APP_ADDRESS="127.0.0.1:$UP_PORT" \
    GATEWAY_ADDRESS="127.0.0.1:$CADDY_PORT" CADDY_ADMIN=off XDG_DATA_HOME="$C/data" XDG_CONFIG_HOME="$C/config" HOME="$C" \
    caddy run --config deploy/caddy/Caddyfile --adapter caddyfile >"$C/caddy.log" 2>&1 &
PIDS+=($!)
wait_port "$CADDY_PORT" caddy "$C/caddy.log"

# --- the checks
FAILED=0
PASSED=0
ok() { PASSED=$((PASSED + 1)); }
bad() { FAILED=$((FAILED + 1)); echo "FAIL [$GATEWAY] $*" >&2; }
expect() { # expect DESCRIPTION ACTUAL EXPECTED
  if [ "$2" = "$3" ]; then ok; else bad "$1: got '$2', expected '$3'"; fi
}

# call SOURCE_ADDRESS METHOD PATH [curl args...]: the client's request through the gateway under test;
# sets STATUS, BODY (file) and HEADERS (file); UPSTREAM_SEEN is how many requests reached the upstream.
call() {
  local from="$1" method="$2" path="$3"; shift 3
  BODY="$GW_WORK/body" HEADERS="$GW_WORK/headers"
  STATUS="$(curl -sS --interface "$from" -X "$method" -o "$BODY" -D "$HEADERS" -w '%{http_code}' "$@" "$BASE$path")"
  UPSTREAM_SEEN="$(wc -l <"$UP_LOG")"
}
header() { tr -d '\r' <"$HEADERS" | awk -v n="$(echo "$1" | tr 'A-Z' 'a-z')" -F': ' 'tolower($1) == n { print $2 }' | tail -1; }
problem_code() { python3 -c 'import json, sys; print(json.load(open(sys.argv[1])).get("code"))' "$BODY" 2>/dev/null || echo "not a problem document"; }
# What the upstream echoed: a header's value (empty when absent or empty), or the method.
seen() { python3 -c '
import json, sys
echo = json.load(open(sys.argv[1]))
if sys.argv[2] == ":method": print(echo["method"])
else: print(next((v for k, v in echo["headers"] if k.lower() == sys.argv[2].lower()), ""))' "$BODY" "$1"; }

exercise() {
  GATEWAY="$1" BASE="$2"
  local net="$3" before
  echo "--- $GATEWAY at $BASE"

  call "$net.1" GET "/v1/models?page=2" -H "Authorization: Bearer $KEY"
  expect "a valid key passes" "$STATUS" 200
  expect "the upstream sees the principal id" "$(seen X-Servitor-Principal-Id)" "$CI_ID"
  expect "the upstream sees the principal name" "$(seen X-Servitor-Principal-Name)" ci-bot
  expect "the upstream sees the principal type" "$(seen X-Servitor-Principal-Type)" service_account
  expect "the upstream sees the organization" "$(seen X-Servitor-Org)" default
  expect "the upstream sees the credential type" "$(seen X-Servitor-Credential-Type)" read_write
  expect "the upstream sees the credential kind" "$(seen X-Servitor-Credential-Kind)" api_key
  expect "the upstream sees the permissions" "$(seen X-Servitor-Permissions)" '*:read,*:write'
  expect "no actor without an impersonation" "$(seen X-Servitor-Actor-Id)" ""
  expect "the credential stops at the gateway" "$(seen Authorization)" ""

  call "$net.2" POST /v1/jobs -H "X-Api-Key: $KEY" -H 'Content-Type: application/json' -d '{"run":true}'
  expect "a key in X-Api-Key passes, with any method" "$STATUS $(seen :method)" "200 POST"
  expect "... and names its principal" "$(seen X-Servitor-Principal-Id)" "$CI_ID"

  before="$(wc -l <"$UP_LOG")"
  call "$net.3" GET /v1/models -H "Authorization: Bearer svt_not_a_key_anyone_holds"
  expect "a bad key is 401 from the proxy" "$STATUS $(problem_code)" "401 unauthenticated"
  expect "... with WWW-Authenticate" "$(header WWW-Authenticate)" 'Bearer realm="servitor"'
  expect "... once" "$(grep -ci '^www-authenticate:' "$HEADERS")" 1
  expect "... as a problem document" "$(header Content-Type)" application/problem+json
  expect "... and the upstream untouched" "$UPSTREAM_SEEN" "$before"
  call "$net.3" GET /v1/models
  expect "no credential is 401" "$STATUS $(problem_code)" "401 unauthenticated"
  expect "... and the upstream untouched" "$UPSTREAM_SEEN" "$before"

  call "$net.4" GET /admin/users -H "Authorization: Bearer $KEY"
  expect "a key without the location's permission is 403" "$STATUS $(problem_code)" "403 forbidden"
  expect "... and the upstream untouched" "$UPSTREAM_SEEN" "$before"
  call "$net.4" GET /admin/users -H "Authorization: Token $OPS_KEY"
  expect "a key holding it passes" "$STATUS $(seen X-Servitor-Principal-Id)" "200 $OPS_ID"

  local token
  token="$(api POST /v1/service-accounts/ci-bot/impersonate | field access_token)"
  call "$net.5" GET /v1/models -H "Authorization: Bearer $token"
  expect "an impersonation token passes as the account" "$STATUS $(seen X-Servitor-Principal-Id)" "200 $CI_ID"
  expect "... naming the acting admin" "$(seen X-Servitor-Actor-Id) $(seen X-Servitor-Credential-Kind)" "$ADMIN_ID access_token"

  # A client writing its own identity: the forged values never reach the upstream. nginx cannot drop headers by
  # prefix, so Servitor refuses such a request (403); Caddy drops them first (request_header -X-Servitor-*).
  call "$net.6" GET /v1/models -H "Authorization: Bearer $KEY" -H 'X-Servitor-Principal-Id: sa_forged' \
    -H 'X-Servitor-Actor-Id: sa_forged' -H 'X-Servitor-Permissions: org_admin' -H 'X-Servitor-Shadow: forged'
  case "$STATUS" in
    200) expect "forged identity headers are replaced" "$(seen X-Servitor-Principal-Id) $(seen X-Servitor-Actor-Id)" "$CI_ID " ;;
    403) expect "forged identity headers are refused" "$(problem_code)" forbidden ;;
    *) bad "forged identity headers: status $STATUS" ;;
  esac
  call "$net.6" GET /admin/users -H "Authorization: Bearer svt_nobody" -H 'X-Servitor-Principal-Id: sa_forged'
  expect "forged headers with a bad key are 401" "$STATUS" 401
  if grep -qi 'sa_forged\|X-Servitor-Shadow\|"org_admin"' "$UP_LOG"; then bad "a forged X-Servitor-* value reached the upstream"; else ok; fi

  before="$(wc -l <"$UP_LOG")"
  local i
  for i in 1 2 3 4 5; do call "$net.9" GET /v1/models -H "Authorization: Bearer svt_flood_$i"; done
  expect "five bad keys from one address are 401" "$STATUS" 401
  call "$net.9" GET /v1/models -H "Authorization: Bearer svt_flood_6"
  expect "the sixth is 429" "$STATUS $(problem_code)" "429 rate_limited"
  local retry; retry="$(header Retry-After)"
  if [[ "$retry" =~ ^[0-9]+$ ]] && [ "$retry" -ge 1 ] && [ "$retry" -le 60 ]; then ok; else bad "429 without a Retry-After of 1-60 s: '$retry'"; fi
  expect "... once" "$(grep -ci '^retry-after:' "$HEADERS")" 1
  expect "... and the upstream untouched" "$UPSTREAM_SEEN" "$before"
  call "$net.10" GET /v1/models -H "Authorization: Bearer $KEY"
  expect "another address goes on" "$STATUS" 200
}

exercise nginx "http://127.0.0.1:$NGINX_PORT" 127.0.0
exercise caddy "http://127.0.0.1:$CADDY_PORT" 127.0.1
echo "gateway-test: $PASSED checks passed, $FAILED failed"
[ "$FAILED" = 0 ]
