#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Workload identity federation (issue 16): exchanges/s of a workload JWT whose issuer key is cached, against
# client_credentials grants/s of the same server in the same run, at c=8 and c=32, in alternated rounds
# (grants, exchanges, grants, ...) so that outside load hits both alike. The credential pins subject and a CEL
# condition, as a real one on a shared issuer must. The workload's issuer is bench/oidc-issuer.py on loopback.
#   GRANT=token-exchange (the default): RFC 8693 (bench/exchange.lua), the issuer's key found by discovery and
#                                       fetched from its JWKS (once: then cached);
#   GRANT=jwt-bearer:                   RFC 7523 (bench/federation.lua), the issuer's key set given inline
#                                       (the issuer is never fetched).
# Needs: curl, wrk, python3 with python3-cryptography; the server jar (mvn -o -q -pl server -am package -DskipTests).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PORT="${PORT:-18470}" ISSUER_PORT="${ISSUER_PORT:-18471}" DURATION="${DURATION:-10s}" WARMUP="${WARMUP:-5s}"
CONNECTIONS="${CONNECTIONS:-8 32}" ROUNDS="${ROUNDS:-3}" GRANT="${GRANT:-token-exchange}"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
jar="${SERVITOR_JAR:-$(ls "$here"/server/target/servitor-[0-9]*.jar | head -n 1)}"
data="$(mktemp -d)"
admin="$("$JAVA" -jar "$jar" admin-token)"
case "$GRANT" in token-exchange | jwt-bearer) ;; *) echo "GRANT must be token-exchange or jwt-bearer" >&2; exit 2 ;; esac
python3 "$here/bench/oidc-issuer.py" --port "$ISSUER_PORT" --audience https://servitor.bench --token-file "$data/token.jwt" \
  --jwks-file "$data/jwks.json" >"$data/issuer.log" 2>&1 &
ipid=$!
SERVITOR_ADMIN_TOKEN="$admin" SERVITOR_LOG_LEVEL=warn SERVITOR_FEDERATION_ALLOW_HTTP=true \
  "$JAVA" ${JAVA_OPTS:--Xmx512m} -jar "$jar" serve --port "$PORT" --data-dir "$data/store" >"$data/server.log" 2>&1 &
pid=$!
trap 'kill $pid $ipid 2>/dev/null; wait $pid $ipid 2>/dev/null; rm -rf "$data"' EXIT
url="http://127.0.0.1:$PORT"
for _ in $(seq 150); do curl -sf "$url/readyz" >/dev/null && [ -s "$data/token.jwt" ] && break; sleep 0.2; done
auth=(-H "Authorization: Bearer $admin" -H 'Content-Type: application/json')

curl -sf -X POST "$url/v1/service-accounts" "${auth[@]}" -d '{"name":"bench"}' >/dev/null
secret="$(curl -sf -X POST "$url/v1/service-accounts/bench/secret" "${auth[@]}")"
id="$(echo "$secret" | sed -n 's/.*"client_id":"\([^"]*\)".*/\1/p')"
cs="$(echo "$secret" | sed -n 's/.*"client_secret":"\([^"]*\)".*/\1/p')"
export BASIC="$(printf '%s:%s' "$id" "$cs" | base64 -w0)"
keys=""
[ "$GRANT" = jwt-bearer ] && keys=",\"jwks\":$(cat "$data/jwks.json")"
curl -sf -X POST "$url/v1/federation/issuers" "${auth[@]}" \
  -d "{\"name\":\"bench-issuer\",\"issuer_url\":\"http://127.0.0.1:$ISSUER_PORT\"$keys}" >/dev/null
curl -sf -X POST "$url/v1/service-accounts/bench/federated-credentials" "${auth[@]}" \
  -d "{\"name\":\"main\",\"issuer\":\"bench-issuer\",\"audience\":\"https://servitor.bench\",\"subject\":\"repo:acme/web:ref:refs/heads/main\",\"condition\":\"claims.repository_owner_id == '4242' && claims.ref == 'refs/heads/main'\"}" >/dev/null
token="$(cat "$data/token.jwt")"
export CLIENT_ID="$id" ASSERTION="$token"
export EXCHANGE_FORM="grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Atoken-exchange&subject_token_type=urn%3Aietf%3Aparams%3Aoauth%3Atoken-type%3Ajwt&subject_token=$token&client_id=$id"
case "$GRANT" in
  token-exchange) lua=exchange.lua; form="$EXCHANGE_FORM" ;;
  jwt-bearer) lua=federation.lua; form="grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&client_id=$id&assertion=$token" ;;
esac
first="$(curl -s -X POST "$url/oauth/token" -H 'Content-Type: application/x-www-form-urlencoded' --data "$form")"
case "$first" in *access_token*) ;; *) echo "the exchange failed: $first" >&2; exit 1 ;; esac

echo "# GRANT=$GRANT; $("$JAVA" -version 2>&1 | sed -n 1p); load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
run() { # name script path c -> prints "name c rate p99"
  local out; out="$(wrk -t2 -c"$4" -d"$DURATION" --latency -s "$here/bench/$2" "$url$3")"
  if echo "$out" | grep -q "Non-2xx"; then echo "$1: non-2xx answers: $(echo "$out" | grep Non-2xx)" >&2; exit 1; fi
  echo "$1 c=$4 $(echo "$out" | awk '/Requests\/sec/ {print $2}') $(echo "$out" | awk '$1=="99%" {print $2}')"
}
for c in $CONNECTIONS; do
  wrk -t2 -c"$c" -d"$WARMUP" -s "$here/bench/grant.lua" "$url/oauth/token" >/dev/null
  wrk -t2 -c"$c" -d"$WARMUP" -s "$here/bench/$lua" "$url/oauth/token" >/dev/null
  for r in $(seq "$ROUNDS"); do
    run grant grant.lua /oauth/token "$c"
    run exchange "$lua" /oauth/token "$c"
  done
done | tee "$data/results"
echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg); issuer fetches: $(grep -c 'issuer fetch' "$data/issuer.log")"
awk '{rate[$1" "$2]=rate[$1" "$2]" "$3} END {for (k in rate) print "# " k ":" rate[k]}' "$data/results" | sort
awk '{n[$1" "$2]++; s[$1" "$2]+=$3} END {for (c in n) if (c ~ /^grant/) {split(c, p, " "); e="exchange " p[2];
  printf "# %s: mean grants/s %.0f, mean exchanges/s %.0f, ratio %.2f\n", p[2], s[c]/n[c], s[e]/n[e], (s[e]/n[e])/(s[c]/n[c])}}' "$data/results"
