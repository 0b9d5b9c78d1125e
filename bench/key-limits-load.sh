#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# HTTP load run for per-key rate limits and usage credits (docs/key-limits.md): GET /healthz
# against POST /v1/verify of an unrestricted key, a key restricted by permissions and addresses, a key with a rate limit it never reaches
# (every use counted), a key far past its rate limit (every answer RATE_LIMITED), and a key
# with remaining_uses (every use one write). One server, wrk with the same settings for each
# case, one case after another, after a warm-up of each. Prints req/s, p50, p99, the ratio to
# /healthz, and the verify answers by code as the server counted them.
#
# Settings (environment):
#   STORE=sqlite      sqlite, or postgres: a throwaway PostgreSQL (initdb/pg_ctl run as the
#                     'postgres' user when started as root) in a temporary directory
#   PORT=18080 PG_PORT=15432   loopback ports
#   THREADS=2 CONNECTIONS=32 DURATION=15s WARMUP=5s ROUNDS=3 (the summary is each case's median round)
#   JAVA_OPTS="-Xms256m -Xmx512m"
#   SERVITOR_JAR      the server jar (default: server/target/servitor-<version>.jar)
# Needs: java 17, curl, wrk; for postgres: initdb, pg_ctl, psql.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
STORE="${STORE:-sqlite}"
PORT="${PORT:-18080}"
PG_PORT="${PG_PORT:-15432}"
THREADS="${THREADS:-2}"
CONNECTIONS="${CONNECTIONS:-32}"
DURATION="${DURATION:-15s}"
WARMUP="${WARMUP:-5s}"
ROUNDS="${ROUNDS:-3}"
declare -A ROUND
JAVA_OPTS="${JAVA_OPTS:--Xms256m -Xmx512m}"
BASE="http://127.0.0.1:$PORT"

for tool in java curl wrk; do
  command -v "$tool" >/dev/null || { echo "key-limits-load: '$tool' is required" >&2; exit 2; }
done
JAR="${SERVITOR_JAR:-$(ls "$ROOT"/server/target/servitor-[0-9]*.jar 2>/dev/null | grep -v original | head -n 1 || true)}"
[[ -n "$JAR" && -f "$JAR" ]] || { echo "key-limits-load: build the jar first (mvn -o -q -pl server -am package -DskipTests)" >&2; exit 2; }

DATA="$(mktemp -d -t servitor-keylimits-XXXXXX)"
SERVER_PID=""
PGDATA_DIR=""
as_pg() { if [[ "$(id -u)" == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }
cleanup() {
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  if [[ -n "$PGDATA_DIR" ]]; then as_pg pg_ctl -D "$PGDATA_DIR" -m fast -w stop >/dev/null 2>&1 || true; rm -rf "$PGDATA_DIR"; fi
  rm -rf "$DATA"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

DB_ENV=()
if [[ "$STORE" == postgres ]]; then
  PGDATA_DIR="$(mktemp -d -t servitor-keylimits-pg-XXXXXX)"
  [[ "$(id -u)" == 0 ]] && chown postgres "$PGDATA_DIR"
  as_pg initdb -D "$PGDATA_DIR" -A trust -U postgres >/dev/null
  as_pg pg_ctl -D "$PGDATA_DIR" -o "-p $PG_PORT -k $PGDATA_DIR -c listen_addresses=127.0.0.1 -c max_connections=50" \
    -l "$PGDATA_DIR/log" -w start >/dev/null
  psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -qc 'CREATE DATABASE servitor' >/dev/null
  DB_ENV=(SERVITOR_DB_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/servitor?user=postgres")
fi

ADMIN="$(java -jar "$JAR" admin-token)"
echo "== starting $(basename "$JAR") on $BASE, store $STORE"
# shellcheck disable=SC2086
env "${DB_ENV[@]}" SERVITOR_ADMIN_TOKEN="$ADMIN" SERVITOR_LOG_LEVEL=warn \
  java $JAVA_OPTS -jar "$JAR" serve --host 127.0.0.1 --port "$PORT" --data-dir "$DATA" >"$DATA/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 300); do
  curl -sf -o /dev/null "$BASE/healthz" && break
  kill -0 "$SERVER_PID" 2>/dev/null || { echo "key-limits-load: the server exited:" >&2; cat "$DATA/server.log" >&2; exit 1; }
  sleep 0.1
done

api() { curl -sS --fail-with-body -X "$1" "$BASE$2" -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' -d "$3"; }
key_with() { # name restrictions-json -> secret
  api POST /v1/service-accounts "{\"name\": \"$1\"}" >/dev/null
  api POST "/v1/service-accounts/$1/keys" "{\"name\": \"load\", \"restrictions\": $2}" | sed -n 's/.*"key":"\([^"]*\)".*/\1/p'
}
api POST /v1/service-accounts '{"name": "plain"}' >/dev/null
declare -A KEYS
KEYS[plain]="$(api POST /v1/service-accounts/plain/keys '{"name": "load"}' | sed -n 's/.*"key":"\([^"]*\)".*/\1/p')"
KEYS[restricted]="$(key_with restricted '{"permissions": ["deployments:read", "models:*"], "allowed_ips": ["10.0.0.0/8", "127.0.0.0/8", "::1"]}')"
KEYS[rate]="$(key_with rate '{"rate_limit": {"limit": 1000000, "period_seconds": 1}}')"
KEYS[rate_refused]="$(key_with rate-refused '{"rate_limit": {"limit": 10, "period_seconds": 3600}}')"
KEYS[credits]="$(key_with credits '{"remaining_uses": 1000000000000}')"
CASES="healthz plain restricted rate rate_refused credits"

echo "== machine: $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg) before the runs (other work on it skews every number)"
run() { # case duration
  if [[ "$1" == healthz ]]; then
    wrk -t "$THREADS" -c "$CONNECTIONS" -d "$2" --latency "$BASE/healthz"
  else
    SERVITOR_BENCH_GATEWAY="$ADMIN" SERVITOR_BENCH_KEY="${KEYS[$1]}" \
      wrk -t "$THREADS" -c "$CONNECTIONS" -d "$2" --latency -s "$HERE/verify.lua" "$BASE/v1/verify"
  fi
}
for c in $CASES; do run "$c" "$WARMUP" >/dev/null; done

# ROUNDS rounds, each running every case once, so a change in the machine's other load falls on
# every case alike; the summary takes each case's median round (by req/s)
declare -A RPS P50 P99
for r in $(seq 1 "$ROUNDS"); do
  for c in $CASES; do
    out="$(run "$c" "$DURATION")"
    if grep -q 'Non-2xx' <<<"$out"; then echo "key-limits-load: $c answered non-2xx:" >&2; echo "$out" >&2; exit 1; fi
    line="$(awk '/^Requests\/sec:/ {r = $2} $1 == "50%" {p = $2} $1 == "99%" {q = $2} END {print r, p, q}' <<<"$out")"
    echo "round $r $c: $line"
    ROUND[$c]+="$line"$'\n'
  done
done
for c in $CASES; do
  read -r RPS[$c] P50[$c] P99[$c] < <(printf '%s' "${ROUND[$c]}" | sort -n | awk '{a[NR] = $0} END {print a[int((NR + 1) / 2)]}')
done

echo
echo "== summary: store $STORE, wrk -t $THREADS -c $CONNECTIONS -d $DURATION, median of $ROUNDS rounds, loopback (server and wrk share the machine)"
printf '%-14s %10s %10s %10s %8s\n' case 'req/s' p50 p99 ratio
for c in $CASES; do
  printf '%-14s %10s %10s %10s %8s\n' "$c" "${RPS[$c]}" "${P50[$c]}" "${P99[$c]}" \
    "$(awk -v v="${RPS[$c]}" -v h="${RPS[healthz]}" 'BEGIN { printf "%.2f", v / h }')"
done
echo "verify answers by code (servitor_verifications_total):"
curl -sf "$BASE/metrics" | awk '/^servitor_verifications_total\{/ && $2 > 0 {print "  " $1, $2}'
echo "credits left on the credits key: $(curl -sf "$BASE/v1/service-accounts/credits/keys" -H "Authorization: Bearer $ADMIN" \
  | sed -n 's/.*"remaining":\([0-9]*\).*/\1/p') of 1000000000000"
