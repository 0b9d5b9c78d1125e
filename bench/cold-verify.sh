#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Cold verification on a large PostgreSQL store: POST /v1/verify of keys never verified by the
# running server (key-cache and principal-cache misses), with wrk and bench/cold-verify.lua.
# The store is filled beforehand by dev.servitor.bench.GenerateData (docs/benchmarks.md, "Scale").
# For each concurrency a fresh server is started (empty caches), warmed up with the last WARM_KEYS
# lines of the key file, then measured for DURATION with the other lines, each key sent once.
#
# Settings (environment):
#   SERVITOR_DB_URL (required), SERVITOR_DB_USER, SERVITOR_DB_PASSWORD   the PostgreSQL store
#   SERVITOR_BENCH_GATEWAY (required)  a key holding `verify` (e.g. the bootstrap admin's)
#   SERVITOR_MASTER_KEY                as given to the server that bootstrapped the store
#   KEYS=bench/target/sample-keys.txt  the sample file GenerateData wrote
#   CONNECTIONS="1 8 32"  THREADS=2  DURATION=10s  WARMUP=10s  WARM_KEYS=20000  PORT=18210
#   JAVA=java  JAVA_OPTS="-Xmx256m -Xms16m -XX:+ExitOnOutOfMemoryError"  SERVITOR_DB_POOL_SIZE (server default 10)
#   PG_POSTMASTER_PID  if set (a local server), the CPU time of its processes is reported per request too
#
# Besides what wrk sees, each row gives the time the server itself took (its servitor_checks
# histogram, from the request's arrival in the handler to the answer's hand-off to Jetty): the
# share answered within 1 ms and 2 ms, and the smallest bucket bound holding 99 %. The last
# column is the p99 wrk sees for GET /healthz (no store, no credential) at the same concurrency
# on the same server: the floor this machine's scheduler and loopback put under any request.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
: "${SERVITOR_DB_URL:?set SERVITOR_DB_URL}" "${SERVITOR_BENCH_GATEWAY:?set SERVITOR_BENCH_GATEWAY}"
KEYS="${KEYS:-$ROOT/bench/target/sample-keys.txt}"
CONNECTIONS="${CONNECTIONS:-1 8 32}" THREADS="${THREADS:-2}" DURATION="${DURATION:-10s}" WARMUP="${WARMUP:-10s}"
WARM_KEYS="${WARM_KEYS:-20000}" PORT="${PORT:-18210}" JAVA="${JAVA:-java}"
JAVA_OPTS="${JAVA_OPTS:--Xmx256m -Xms16m -XX:+ExitOnOutOfMemoryError}"
JAR="$(ls "$ROOT"/server/target/servitor-[0-9]*.jar | grep -v original | head -n 1)"
BASE="http://127.0.0.1:$PORT"
WORK="$(mktemp -d -t servitor-cold-XXXXXX)"
PID=""
stop() { if [[ -n "$PID" ]]; then kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; PID=""; fi; }
trap 'stop; rm -rf "$WORK"' EXIT
total="$(wc -l <"$KEYS")"
(( total > WARM_KEYS )) || { echo "cold-verify: $KEYS has $total keys, need more than WARM_KEYS=$WARM_KEYS" >&2; exit 2; }
head -n "$((total - WARM_KEYS))" "$KEYS" >"$WORK/measure.txt"
tail -n "$WARM_KEYS" "$KEYS" >"$WORK/warm.txt"
chmod 600 "$WORK"/*.txt
export SERVITOR_BENCH_GATEWAY
echo "# $("$JAVA" -version 2>&1 | head -n 1); $(nproc) CPUs; load average $(cut -d' ' -f1-3 /proc/loadavg)"
# CPU time (clock ticks) of a process, or of the children of PG_POSTMASTER_PID
ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
pg_ticks() {
  local sum=0 p
  [[ -n "${PG_POSTMASTER_PID:-}" ]] || { echo 0; return; }
  for p in $PG_POSTMASTER_PID $(pgrep -P "$PG_POSTMASTER_PID"); do sum=$(( sum + $(ticks "$p") )); done
  echo "$sum"
}
HZ="$(getconf CLK_TCK)"
# "le count" lines of the verify histogram in the server's /metrics
buckets() { curl -sf "$BASE/metrics" | sed -nE 's/^servitor_checks_seconds_bucket\{endpoint="verify",le="([^"]+)"\} (.*)$/\1 \2/p'; }
echo "| conns | req/s | p50 | p90 | p99 | max | in server ≤ 1 ms | ≤ 2 ms | in-server p99 ≤ | requests | not VALID | wrapped | server CPU µs/req | PostgreSQL CPU µs/req | /healthz p99 |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
for c in $CONNECTIONS; do
  # shellcheck disable=SC2086
  SERVITOR_LOG_LEVEL=warn SERVITOR_DATA_DIR="$WORK/data" "$JAVA" $JAVA_OPTS -jar "$JAR" serve --host 127.0.0.1 --port "$PORT" \
    >"$WORK/server.log" 2>&1 &
  PID=$!
  for _ in $(seq 1 300); do curl -sf -o /dev/null "$BASE/readyz" && break; sleep 0.1; done
  curl -sf -o /dev/null "$BASE/readyz" || { echo "cold-verify: server not ready" >&2; cat "$WORK/server.log" >&2; exit 1; }
  t=$(( c < THREADS ? c : THREADS ))
  export WRK_THREADS="$t"
  SERVITOR_BENCH_KEYS="$WORK/warm.txt" wrk -t"$t" -c"$c" -d"$WARMUP" -s "$HERE/cold-verify.lua" "$BASE" >/dev/null
  buckets >"$WORK/before.txt"
  s0="$(ticks "$PID")" p0="$(pg_ticks)"
  out="$(SERVITOR_BENCH_KEYS="$WORK/measure.txt" wrk -t"$t" -c"$c" -d"$DURATION" --latency -s "$HERE/cold-verify.lua" "$BASE")"
  s1="$(ticks "$PID")" p1="$(pg_ticks)"
  buckets >"$WORK/after.txt"
  # shares within 1 ms and 2 ms, and the first bound holding 99 % of the measured requests
  inserver="$(awk 'NR == FNR { before[$1] = $2; next }
    { d = $2 - before[$1]; n[FNR] = d; le[FNR] = $1; total = d }
    END { for (i = 1; i <= FNR; i++) { if (le[i] == "0.001") one = n[i]; if (le[i] == "0.002") two = n[i];
            if (p == "" && n[i] >= 0.99 * total) p = (le[i] == "+Inf" ? "> 2.5 s" : le[i] * 1000 " ms") }
          printf "%.2f %% | %.2f %% | %s", 100 * one / total, 100 * two / total, p }' "$WORK/before.txt" "$WORK/after.txt")"
  floor="$(wrk -t"$t" -c"$c" -d5s --latency "$BASE/healthz" | awk '$1 == "99%" {print $2}')"
  echo "$out" >"$WORK/wrk-$c.txt"
  rps="$(awk '/Requests\/sec/ {print $2}' <<<"$out")"
  lat() { awk -v p="$1" '$1 == p {print $2}' <<<"$out"; }
  max="$(awk '/Latency/ && !/Distribution/ {print $4; exit}' <<<"$out")"
  line="$(grep '^cold-verify:' <<<"$out")"
  reqs="$(sed -E 's/cold-verify: ([0-9]+) requests.*/\1/' <<<"$line")"
  bad="$(sed -E 's/.*, ([0-9]+) not VALID.*/\1/' <<<"$line")"
  wrapped="$(sed -E 's/.*wrapped ([0-9]+) time.*/\1/' <<<"$line")"
  scpu=$(( (s1 - s0) * 1000000 / HZ / (reqs > 0 ? reqs : 1) ))
  pcpu="—"; [[ -n "${PG_POSTMASTER_PID:-}" ]] && pcpu=$(( (p1 - p0) * 1000000 / HZ / (reqs > 0 ? reqs : 1) ))
  echo "| $c | $rps | $(lat 50%) | $(lat 90%) | $(lat 99%) | $max | $inserver | $reqs | $bad | $wrapped | $scpu | $pcpu | $floor |"
  grep -q 'Non-2xx\|Socket errors' <<<"$out" && grep 'Non-2xx\|Socket errors' <<<"$out" | sed 's/^/#   /'
  stop
done
echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
