#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# HTTP load run: GET /healthz against POST /v1/verify on one Servitor server, with wrk.
# Builds the server jar if it is missing, starts it on loopback with a fresh SQLite data dir,
# creates a service account and a key through the REST API, warms both endpoints up, then
# runs wrk --latency at each concurrency and prints a summary (req/s, p50, p99, the ratio
# verify/healthz). Stops the server and removes the data dir on exit. See docs/benchmarks.md.
#
# Settings (environment):
#   PORT=18080        loopback port of the server
#   THREADS=2         wrk threads
#   CONNECTIONS="8 32" concurrencies to measure
#   DURATION=25s      each measured run
#   WARMUP=10s        each endpoint, once, before the measured runs
#   JAVA_OPTS="-Xms256m -Xmx512m"  server JVM options (e.g. add
#     -XX:StartFlightRecording=filename=/tmp/servitor.jfr,settings=profile to profile the server)
# Needs: java 17, curl, wrk (apt-get install -y wrk); mvn only if the jar must be built.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
PORT="${PORT:-18080}"
THREADS="${THREADS:-2}"
CONNECTIONS="${CONNECTIONS:-8 32}"
DURATION="${DURATION:-25s}"
WARMUP="${WARMUP:-10s}"
JAVA_OPTS="${JAVA_OPTS:--Xms256m -Xmx512m}"
BASE="http://127.0.0.1:$PORT"

for tool in java curl wrk; do
  command -v "$tool" >/dev/null || { echo "http-load: '$tool' is required (wrk: apt-get install -y wrk)" >&2; exit 2; }
done

find_jar() { ls "$ROOT"/server/target/servitor-[0-9]*.jar 2>/dev/null | grep -v original | head -n 1 || true; }
JAR="$(find_jar)"
if [[ -z "$JAR" ]]; then
  echo "== building the server jar (mvn -o -q package -DskipTests -pl core,server)"
  (cd "$ROOT" && mvn -o -q package -DskipTests -pl core,server)
  JAR="$(find_jar)"
  [[ -n "$JAR" ]] || { echo "http-load: no server/target/servitor-<version>.jar after the build" >&2; exit 1; }
fi

DATA="$(mktemp -d -t servitor-load-XXXXXX)"
SERVER_PID=""
cleanup() {
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$DATA"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if curl -s -o /dev/null "$BASE/healthz"; then
  echo "http-load: something already answers on $BASE; set PORT" >&2
  exit 2
fi

ADMIN="$(java -jar "$JAR" admin-token)"
echo "== starting $(basename "$JAR") on $BASE (data dir $DATA, JAVA_OPTS: $JAVA_OPTS)"
# shellcheck disable=SC2086 # JAVA_OPTS is a list of options
SERVITOR_ADMIN_TOKEN="$ADMIN" SERVITOR_LOG_LEVEL=warn \
  java $JAVA_OPTS -jar "$JAR" serve --host 127.0.0.1 --port "$PORT" --data-dir "$DATA" >"$DATA/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 300); do
  curl -sf -o /dev/null "$BASE/healthz" && break
  kill -0 "$SERVER_PID" 2>/dev/null || { echo "http-load: the server exited:" >&2; cat "$DATA/server.log" >&2; exit 1; }
  sleep 0.1
done
curl -sf -o /dev/null "$BASE/healthz" || { echo "http-load: the server did not come up" >&2; cat "$DATA/server.log" >&2; exit 1; }

api() { # method path body -> response body; fails on a non-2xx answer
  curl -sS --fail-with-body -X "$1" "$BASE$2" -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' -d "$3"
}
api POST /v1/service-accounts '{"name": "load-gateway-target", "description": "bench/http-load.sh"}' >/dev/null
KEY="$(api POST /v1/service-accounts/load-gateway-target/keys '{"name": "load"}' | sed -n 's/.*"key":"\([^"]*\)".*/\1/p')"
[[ -n "$KEY" ]] || { echo "http-load: no key in the create answer" >&2; exit 1; }
CHECK="$(api POST /v1/verify "{\"credential\": \"$KEY\"}")"
[[ "$CHECK" == *'"valid":true'* ]] || { echo "http-load: the new key does not verify: $CHECK" >&2; exit 1; }
export SERVITOR_BENCH_GATEWAY="$ADMIN" SERVITOR_BENCH_KEY="$KEY"

echo "== machine: $(nproc) CPUs, $(java -version 2>&1 | head -n 1), $(wrk --version 2>&1 | head -n 1 | cut -d' ' -f1-2)"
echo "== load average before the runs: $(cut -d' ' -f1-3 /proc/loadavg) (anything else running skews these numbers)"

run() { # name connections duration -> wrk output on stdout
  local name="$1" c="$2" d="$3"
  if [[ "$name" == verify ]]; then
    wrk -t "$THREADS" -c "$c" -d "$d" --latency -s "$HERE/verify.lua" "$BASE/v1/verify"
  else
    wrk -t "$THREADS" -c "$c" -d "$d" --latency "$BASE/healthz"
  fi
}

# CPU time (user + system, in clock ticks) of a process: a shared machine's other load changes
# req/s, much less the CPU each request costs, so the summary also prints CPU per request.
TICK_US=$((1000000 / $(getconf CLK_TCK)))
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
children_ticks() { awk '{print $16 + $17}' "/proc/$$/stat"; } # reaped children (wrk) of this shell

echo "== warm-up: $WARMUP each endpoint (not measured)"
run healthz 32 "$WARMUP" >/dev/null
run verify 32 "$WARMUP" >/dev/null

declare -A RPS P50 P99 SCPU WCPU
for c in $CONNECTIONS; do
  for name in healthz verify; do
    echo
    echo "== $name: wrk -t $THREADS -c $c -d $DURATION --latency"
    s0="$(cpu_ticks "$SERVER_PID")"
    w0="$(children_ticks)"
    run "$name" "$c" "$DURATION" >"$DATA/wrk.out"
    s1="$(cpu_ticks "$SERVER_PID")"
    w1="$(children_ticks)"
    out="$(cat "$DATA/wrk.out")"
    echo "$out"
    n="$(awk '/requests in/ {print $1}' <<<"$out")"
    SCPU[$name,$c]="$(awk -v t=$((s1 - s0)) -v n="$n" -v u="$TICK_US" 'BEGIN { printf "%.1f", t * u / n }')"
    WCPU[$name,$c]="$(awk -v t=$((w1 - w0)) -v n="$n" -v u="$TICK_US" 'BEGIN { printf "%.1f", t * u / n }')"
    if grep -q 'Non-2xx' <<<"$out"; then echo "http-load: $name answered non-2xx responses (see above)" >&2; fi
    RPS[$name,$c]="$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")"
    P50[$name,$c]="$(awk '$1 == "50%" {print $2}' <<<"$out")"
    P99[$name,$c]="$(awk '$1 == "99%" {print $2}' <<<"$out")"
  done
done

# Every /v1/verify answer was counted by outcome: all of them must have been VALID.
METRICS="$(curl -sf "$BASE/metrics")"
valid="$(awk -F' ' '/^servitor_verifications_total\{.*code="VALID"/ {printf "%.0f", $2}' <<<"$METRICS")"
other="$(awk -F' ' '/^servitor_verifications_total\{/ && !/code="VALID"/ {s += $2} END {printf "%.0f", s}' <<<"$METRICS")"

echo
echo "== summary ($THREADS wrk threads, $DURATION per run, loopback; server and wrk share the machine)"
echo "(server/wrk CPU: microseconds of CPU time per request, user + system; ceiling: $(nproc) CPUs divided by"
echo " their sum, the req/s these CPUs could serve if nothing else ran on them)"
printf '%-6s %-8s %10s %10s %10s %9s %12s %9s %8s\n' conns endpoint 'req/s' p50 p99 ratio 'server CPU' 'wrk CPU' ceiling
for c in $CONNECTIONS; do
  ratio="$(awk -v v="${RPS[verify,$c]}" -v h="${RPS[healthz,$c]}" 'BEGIN { if (h > 0) printf "%.2f", v / h; else print "-" }')"
  for name in healthz verify; do
    ceil="$(awk -v s="${SCPU[$name,$c]}" -v w="${WCPU[$name,$c]}" -v p="$(nproc)" 'BEGIN { if (s + w > 0) printf "%.0f", p * 1e6 / (s + w); else print "-" }')"
    printf '%-6s %-8s %10s %10s %10s %9s %12s %9s %8s\n' "$c" "$name" "${RPS[$name,$c]}" "${P50[$name,$c]}" "${P99[$name,$c]}" \
      "$([[ $name == verify ]] && echo "$ratio" || echo "")" "${SCPU[$name,$c]}" "${WCPU[$name,$c]}" "$ceil"
  done
done
echo "verify answers counted by the server: VALID $valid, other $other"
[[ "${other:-0}" == 0 ]] || { echo "http-load: some verifications were not VALID" >&2; exit 1; }
