#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# The cost of forward auth in a gateway: the same nginx, in the same run, proxying to an upstream straight
# and through `auth_request` to Servitor's /v1/forward-auth (deploy/nginx/, with the addresses and the key
# written in, as deploy/gateway-test.sh does). The upstream is a `return 200` server block in that nginx, so
# that what differs between the two is the sub-request and Servitor's answer alone. Runs wrk --latency on
# both at each concurrency, alternating ROUNDS times, and prints req/s, p50, p99, the ratio authed/straight
# and the added time per request (1/authed - 1/straight at saturation, in µs of the whole machine).
# See docs/benchmarks.md and bench/LOG.md ("Gateway forward auth through nginx").
#
# Settings (environment):
# Then Servitor alone: /v1/forward-auth against /v1/verify (bench/verify.lua), the same check without nginx.
#   THREADS=2  CONNECTIONS="8 32"  DURATION=15s  WARMUP=10s  ROUNDS=2  NGINX_WORKERS=1
#   SERVITOR_JAR=server/target/servitor-0.1.0-SNAPSHOT.jar (started by integrations/lib.sh: SQLite, -Xmx256m)
# Needs: java 17, nginx (with auth_request), wrk, curl, python3.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
cd "$ROOT"
THREADS="${THREADS:-2}"
CONNECTIONS="${CONNECTIONS:-8 32}"
DURATION="${DURATION:-15s}"
WARMUP="${WARMUP:-10s}"
ROUNDS="${ROUNDS:-2}"
NGINX_WORKERS="${NGINX_WORKERS:-1}"
export SERVITOR_JAR="${SERVITOR_JAR:-$ROOT/server/target/servitor-0.1.0-SNAPSHOT.jar}"
for tool in java nginx wrk curl python3; do
  command -v "$tool" >/dev/null || { echo "gateway-load: '$tool' is required" >&2; exit 2; }
done
[ -f "$SERVITOR_JAR" ] || { echo "gateway-load: no jar at $SERVITOR_JAR (mvn -o -q -pl server -am package -DskipTests)" >&2; exit 2; }

source integrations/lib.sh
servitor_start # java -Xmx256m, the launcher's default heap
W="$(mktemp -d)"
NGINX_PID=""
cleanup() {
  [ -n "$NGINX_PID" ] && kill "$NGINX_PID" 2>/dev/null && wait "$NGINX_PID" 2>/dev/null
  rm -rf "$W"
  servitor_stop
}
trap cleanup EXIT
field() { python3 -c 'import json, sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }

api POST /v1/roles '{"name":"gateway","permissions":["verify"]}' >/dev/null
api POST /v1/service-accounts '{"name":"edge-gateway","role":"gateway"}' >/dev/null
GATEWAY_KEY="$(api POST /v1/service-accounts/edge-gateway/keys '{"name":"gw"}' | field key)"
api POST /v1/service-accounts '{"name":"load-bot"}' >/dev/null
KEY="$(api POST /v1/service-accounts/load-bot/keys '{"name":"k"}' | field key)"

AUTHED="$(free_port)" STRAIGHT="$(free_port)" APP="$(free_port)"
mkdir -p "$W/conf.d" "$W/tmp"
cp deploy/nginx/servitor-auth.conf "$W/"
python3 - deploy/nginx/servitor-gateway.conf "$W/conf.d/servitor-gateway.conf" \
  "server 127.0.0.1:8080;" "server ${SERVITOR_URL#http://};" \
  "server 127.0.0.1:3000;" "server 127.0.0.1:$APP;" \
  "listen 127.0.0.1:8000;" "listen 127.0.0.1:$AUTHED;" \
  "svt_REPLACE_WITH_THE_GATEWAYS_VERIFY_KEY" "$GATEWAY_KEY" <<'EOF'
import sys
src, dst, pairs = sys.argv[1], sys.argv[2], sys.argv[3:]
text = open(src).read()
for old, new in zip(pairs[::2], pairs[1::2]):
    if text.count(old) != 1:
        sys.exit(f"gateway-load: {src} must hold '{old}' exactly once")
    text = text.replace(old, new)
open(dst, "w").write(text)
EOF
cat >"$W/conf.d/bench.conf" <<EOF
# the upstream: answers at once
server { listen 127.0.0.1:$APP; location / { default_type text/plain; return 200 "ok\n"; } }
# the same proxying as servitor-gateway.conf's location /, without auth_request
server {
    listen 127.0.0.1:$STRAIGHT;
    location / {
        proxy_set_header Host \$host;
        proxy_set_header X-Real-IP \$remote_addr;
        proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
        proxy_http_version 1.1;
        proxy_set_header Connection "";
        proxy_pass http://app;
    }
}
EOF
cat >"$W/nginx.conf" <<EOF
$( [ "$(id -u)" = 0 ] && echo "user root;" )
worker_processes $NGINX_WORKERS;
pid $W/nginx.pid;
error_log $W/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path $W/tmp/body; proxy_temp_path $W/tmp/proxy; fastcgi_temp_path $W/tmp/fastcgi;
    uwsgi_temp_path $W/tmp/uwsgi; scgi_temp_path $W/tmp/scgi;
    include conf.d/*.conf;
}
EOF
nginx -p "$W/" -c "$W/nginx.conf" -g 'daemon off;' &
NGINX_PID=$!
for i in $(seq 1 50); do curl -fsS -o /dev/null "http://127.0.0.1:$STRAIGHT/" 2>/dev/null && break; sleep 0.1; done

# sanity: the authed path must really authenticate
[ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $KEY" "http://127.0.0.1:$AUTHED/v1/x")" = 200 ]
[ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer svt_wrong" "http://127.0.0.1:$AUTHED/v1/x")" = 401 ]

run() { # run NAME URL CONNECTIONS DURATION [wrk args] -> "req/s p50 p99"
  local out name="$1" url="$2" c="$3" d="$4"; shift 4
  [ $# -gt 0 ] || set -- -H "Authorization: Bearer $KEY"
  out="$(wrk -t"$THREADS" -c"$c" -d"$d" --latency "$@" "$url")"
  if grep -q "Non-2xx" <<<"$out"; then echo "gateway-load: $name had non-2xx answers:" >&2; echo "$out" >&2; exit 1; fi
  echo "$(awk '/Requests\/sec/ {print $2}' <<<"$out") $(awk '$1=="50%" {print $2}' <<<"$out") $(awk '$1=="99%" {print $2}' <<<"$out")"
}

echo "== warm-up ($WARMUP each)"
run straight "http://127.0.0.1:$STRAIGHT/v1/models" 8 "$WARMUP" >/dev/null
run authed "http://127.0.0.1:$AUTHED/v1/models" 8 "$WARMUP" >/dev/null
echo "== load average: $(cut -d' ' -f1-3 /proc/loadavg); nproc $(nproc); nginx workers $NGINX_WORKERS; $(java -version 2>&1 | head -1)"
printf '%-6s %-5s %-9s %-12s %-9s %-9s\n' round c path req/s p50 p99
for r in $(seq 1 "$ROUNDS"); do
  for c in $CONNECTIONS; do
    read -r s_rate s_p50 s_p99 <<<"$(run straight "http://127.0.0.1:$STRAIGHT/v1/models" "$c" "$DURATION")"
    read -r a_rate a_p50 a_p99 <<<"$(run authed "http://127.0.0.1:$AUTHED/v1/models" "$c" "$DURATION")"
    printf '%-6s %-5s %-9s %-12s %-9s %-9s\n' "$r" "$c" straight "$s_rate" "$s_p50" "$s_p99"
    printf '%-6s %-5s %-9s %-12s %-9s %-9s\n' "$r" "$c" authed "$a_rate" "$a_p50" "$a_p99"
    python3 -c "import sys; s, a = float(sys.argv[1]), float(sys.argv[2]); print(f'       ratio authed/straight {a/s:.2f}, added {1e6/a - 1e6/s:.1f} µs per request')" "$s_rate" "$a_rate"
  done
done
# Servitor alone, without nginx: /v1/forward-auth (GET, headers) against /v1/verify (POST, JSON), the same check
export SERVITOR_BENCH_GATEWAY="$GATEWAY_KEY" SERVITOR_BENCH_KEY="$KEY"
for c in $CONNECTIONS; do
  read -r f_rate f_p50 f_p99 <<<"$(run forward-auth "$SERVITOR_URL/v1/forward-auth" "$c" "$DURATION" \
    -H "Servitor-Gateway-Key: $GATEWAY_KEY" -H "Authorization: Bearer $KEY" -H "X-Forwarded-For: 192.0.2.1")"
  read -r v_rate v_p50 v_p99 <<<"$(run verify "$SERVITOR_URL/v1/verify" "$c" "$DURATION" -s "$HERE/verify.lua")"
  printf '%-6s %-5s %-13s %-12s %-9s %-9s\n' servitor "$c" forward-auth "$f_rate" "$f_p50" "$f_p99"
  printf '%-6s %-5s %-13s %-12s %-9s %-9s\n' servitor "$c" verify "$v_rate" "$v_p50" "$v_p99"
done
echo "== load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
