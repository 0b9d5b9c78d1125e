#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# OAuth load: client_credentials grants/s at c=8 and c=32, and /v1/verify of a JWT (cached), on
# one server on loopback. JAVA_HOME picks the JDK (e.g. /usr/lib/jvm/temurin-25-jdk-amd64).
# Needs: curl, wrk, base64; the server jar (bench/http-load.sh builds it the same way).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PORT="${PORT:-18090}" DURATION="${DURATION:-15s}" WARMUP="${WARMUP:-5s}" CONNECTIONS="${CONNECTIONS:-8 32}"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
jar="$(ls "$here"/server/target/servitor-[0-9]*.jar | head -n 1)"
data="$(mktemp -d)"
admin="$("$JAVA" -jar "$jar" admin-token)"
SERVITOR_ADMIN_TOKEN="$admin" SERVITOR_LOG_LEVEL=warn "$JAVA" ${JAVA_OPTS:--Xmx512m} -jar "$jar" serve --port "$PORT" --data-dir "$data" >/dev/null 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$data"' EXIT
url="http://127.0.0.1:$PORT"
for _ in $(seq 100); do curl -sf "$url/readyz" >/dev/null && break; sleep 0.2; done
curl -sf -X POST "$url/v1/service-accounts" -H "Authorization: Bearer $admin" -d '{"name":"bench"}' >/dev/null
secret="$(curl -sf -X POST "$url/v1/service-accounts/bench/secret" -H "Authorization: Bearer $admin")"
id="$(echo "$secret" | sed -n 's/.*"client_id":"\([^"]*\)".*/\1/p')"
cs="$(echo "$secret" | sed -n 's/.*"client_secret":"\([^"]*\)".*/\1/p')"
export BASIC="$(printf '%s:%s' "$id" "$cs" | base64 -w0)"
jwt="$(curl -sf -u "$id:$cs" -d grant_type=client_credentials "$url/oauth/token" | sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p')"
export SERVITOR_BENCH_KEY="$jwt" SERVITOR_BENCH_GATEWAY="$admin"
echo "# $("$JAVA" -version 2>&1 | sed -n 1p)"
for c in $CONNECTIONS; do
  wrk -t2 -c"$c" -d"$WARMUP" -s "$here/bench/grant.lua" "$url/oauth/token" >/dev/null
  echo "## grants c=$c"; wrk -t2 -c"$c" -d"$DURATION" --latency -s "$here/bench/grant.lua" "$url/oauth/token" | grep -E "Requests/sec|50%|99%|Non-2xx"
  wrk -t2 -c"$c" -d"$WARMUP" -s "$here/bench/verify.lua" "$url/v1/verify" >/dev/null
  echo "## verify (JWT) c=$c"; wrk -t2 -c"$c" -d"$DURATION" --latency -s "$here/bench/verify.lua" "$url/v1/verify" | grep -E "Requests/sec|50%|99%|Non-2xx"
done
