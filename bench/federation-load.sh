#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Workload identity federation's exchange (issue 16's benchmark): jwt-bearer exchanges/s of one workload
# token (RS256, its issuer's key cached: an inline JWKS, so nothing is fetched), against client_credentials
# grants/s in the same run, on one server on loopback, with p50 and p99. Target: exchanges >= 0.5x grants.
#   SERVITOR_JAR=server/target/servitor-0.1.0-SNAPSHOT.jar bench/federation-load.sh
# Settings: DURATION=15s, WARMUP=5s, CONNECTIONS=8, THREADS=2, ROUNDS=2 (alternated). Needs java, curl, wrk,
# openssl, python3.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
DURATION="${DURATION:-15s}" WARMUP="${WARMUP:-5s}" CONNECTIONS="${CONNECTIONS:-8}" THREADS="${THREADS:-2}" ROUNDS="${ROUNDS:-2}"
: "${SERVITOR_JAR:?set SERVITOR_JAR to the server jar}"
# shellcheck source=../integrations/lib.sh
source "$ROOT/integrations/lib.sh"
work="$(mktemp -d)"
servitor_start SERVITOR_LOG_LEVEL=warn
trap 'servitor_stop; rm -rf "$work"' EXIT

# the workload's signing key and its public JWK
openssl genrsa -out "$work/key.pem" 2048 2>/dev/null
modulus="$(openssl rsa -in "$work/key.pem" -noout -modulus | cut -d= -f2)"
b64u() { python3 -c 'import base64,sys; print(base64.urlsafe_b64encode(sys.stdin.buffer.read()).rstrip(b"=").decode())'; }
n="$(printf '%s' "$modulus" | python3 -c 'import sys; sys.stdout.buffer.write(bytes.fromhex(sys.stdin.read().strip()))' | b64u)"
jwks="{\"keys\":[{\"kty\":\"RSA\",\"kid\":\"bench\",\"use\":\"sig\",\"alg\":\"RS256\",\"n\":\"$n\",\"e\":\"AQAB\"}]}"
now="$(date +%s)"
header="$(printf '{"alg":"RS256","typ":"JWT","kid":"bench"}' | b64u)"
payload="$(printf '{"iss":"https://ci.bench.example","sub":"repo:acme/app:ref:refs/heads/main","aud":"bench","iat":%s,"exp":%s,"repository_owner":"acme","ref":"refs/heads/main"}' "$now" "$((now + 3000))" | b64u)"
signature="$(printf '%s.%s' "$header" "$payload" | openssl dgst -sha256 -sign "$work/key.pem" | b64u)"
export ASSERTION="$header.$payload.$signature"

api POST /v1/federation/issuers "{\"name\":\"bench\",\"issuer_url\":\"https://ci.bench.example\",\"jwks\":$jwks}" >/dev/null
api POST /v1/service-accounts '{"name":"bench"}' >/dev/null
api POST /v1/service-accounts/bench/federated-credentials \
  '{"name":"main","issuer":"bench","audience":"bench","subject":"repo:acme/app:ref:refs/heads/main","condition":"claims.repository_owner == '"'"'acme'"'"'"}' >/dev/null
secret="$(api POST /v1/service-accounts/bench/secret '{}')"
id="$(sed -n 's/.*"client_id":"\([^"]*\)".*/\1/p' <<<"$secret")"
cs="$(sed -n 's/.*"client_secret":"\([^"]*\)".*/\1/p' <<<"$secret")"
export CLIENT_ID="$id" BASIC="$(printf '%s:%s' "$id" "$cs" | base64 -w0)"
curl -sf -d "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&client_id=$id&assertion=$ASSERTION" "$SERVITOR_URL/oauth/token" >/dev/null \
  || { echo "federation-load: the exchange is refused; nothing to measure" >&2; exit 1; }

run() { # lua -> "req/s p50 p99"
  local out
  out="$(wrk -t "$THREADS" -c "$CONNECTIONS" -d "$DURATION" --latency -s "$HERE/$1" "$SERVITOR_URL/oauth/token")"
  if grep -q 'Non-2xx' <<<"$out"; then echo "federation-load: $1 got non-2xx answers" >&2; echo "$out" >&2; exit 1; fi
  echo "$(awk '/^Requests\/sec:/ {print $2}' <<<"$out") $(awk '$1=="50%" {print $2}' <<<"$out") $(awk '$1=="99%" {print $2}' <<<"$out")"
}
wrk -t "$THREADS" -c "$CONNECTIONS" -d "$WARMUP" -s "$HERE/grant.lua" "$SERVITOR_URL/oauth/token" >/dev/null
wrk -t "$THREADS" -c "$CONNECTIONS" -d "$WARMUP" -s "$HERE/federation.lua" "$SERVITOR_URL/oauth/token" >/dev/null
echo "== load average: $(cut -d' ' -f1-3 /proc/loadavg); c=$CONNECTIONS, $DURATION per run"
for round in $(seq 1 "$ROUNDS"); do
  echo "round $round grants    (req/s p50 p99): $(run grant.lua)"
  echo "round $round exchanges (req/s p50 p99): $(run federation.lua)"
done
echo "== load average: $(cut -d' ' -f1-3 /proc/loadavg)"
