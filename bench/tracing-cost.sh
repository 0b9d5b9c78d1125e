#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# What tracing costs (docs/observability.md, "Cost"), against a jar without it, round by round so
# that the machine's drift hits every variant alike:
#   start-up: launch to the first 200 from GET /readyz on an empty SQLite data dir, each jar with its
#     own class-data archive (written first by the training run, as ./servitor does), and the JVM's
#     CPU time until then (user + system, steadier than the wall time on a busy machine);
#   hot path: POST /v1/verify of a cached key under wrk -t2 -c8, requests/s and the server's CPU
#     time per request.
# Variants: base (BASE_JAR), off (this build), on (this build, SERVITOR_OTEL_ENDPOINT set: the
# collector is a closed port, so spans are made and dropped), sampled (on, and every request
# carries a sampled traceparent; hot path only).
#   bench/tracing-cost.sh BASE_JAR      ROUNDS=8 (start-up) HOT_ROUNDS=5 DURATION=8s PORT=18391
# Needs java 17, curl, wrk.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BASE_JAR="$(realpath "${1:?usage: bench/tracing-cost.sh BASE_JAR}")"
# shellcheck disable=SC2010 # as bench/startup.sh finds it
NEW_JAR="$(ls "$ROOT"/server/target/servitor-[0-9]*.jar | grep -v original | head -n 1)"
ROUNDS="${ROUNDS:-8}" HOT_ROUNDS="${HOT_ROUNDS:-5}" DURATION="${DURATION:-8s}" PORT="${PORT:-18391}"
OPTS="-Xmx256m -Xms16m -XX:+ExitOnOutOfMemoryError -XX:Tier4InvocationThreshold=50000 -XX:Tier4CompileThreshold=60000 -XX:Tier4BackEdgeThreshold=400000"
WORK="$(mktemp -d -t servitor-tracing-cost-XXXXXX)"
PID=""
trap '[[ -n "$PID" ]] && kill "$PID" 2>/dev/null; rm -rf "$WORK"' EXIT
cp "$BASE_JAR" "$WORK/base.jar"
cp "$NEW_JAR" "$WORK/new.jar"
cd "$WORK"
for j in base new; do
  # shellcheck disable=SC2086 # an option list
  java $OPTS -XX:ArchiveClassesAtExit=$j.jsa -Xlog:cds=off,cds+dynamic=off -jar $j.jar serve --train-and-exit >/dev/null 2>&1
done
ADMIN="$(java -jar base.jar admin-token)"

# start VARIANT [extra JVM options]: a server of VARIANT on an empty data dir; sets PID, ELAPSED (ms to ready)
start() {
  local variant="$1" jar="${1%%-*}" envs="X=1"; shift
  [[ "$variant" == base ]] || jar=new
  [[ "$variant" == on || "$variant" == sampled ]] && envs="SERVITOR_OTEL_ENDPOINT=http://127.0.0.1:9"
  rm -rf data
  local t0=$(( $(date +%s%N) / 1000000 ))
  # shellcheck disable=SC2086 # option lists
  env $envs SERVITOR_ADMIN_TOKEN="$ADMIN" SERVITOR_LOG_LEVEL=warn java $OPTS "$@" -jar $jar.jar serve --port "$PORT" --data-dir data >log 2>&1 &
  PID=$!
  until [[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/readyz" || true)" == 200 ]]; do
    kill -0 "$PID" 2>/dev/null || { cat log >&2; exit 1; }
    sleep 0.02
  done
  ELAPSED=$(( $(date +%s%N) / 1000000 - t0 ))
}
stop() { kill "$PID"; wait "$PID" 2>/dev/null || true; PID=""; }
cpu_ms() { awk '{print ($14 + $15) * 10}' "/proc/$PID/stat"; }
median() { tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {printf "%s (of %d: %s … %s)", a[int((NR+1)/2)], NR, a[1], a[NR]}'; }

echo "# $(java -version 2>&1 | head -n 1); load average $(cut -d' ' -f1-3 /proc/loadavg)"
declare -A wall cpu
for _ in $(seq 1 "$ROUNDS"); do
  for v in base off on; do
    j=new; [[ $v == base ]] && j=base
    start "$v" -XX:SharedArchiveFile=$j.jsa -Xlog:cds=off,cds+dynamic=off
    wall[$v]+=" $ELAPSED"; cpu[$v]+=" $(cpu_ms)"
    stop
  done
done
for v in base off on; do
  echo "start-up $v: ready in $(median <<<"${wall[$v]}") ms; CPU until ready $(median <<<"${cpu[$v]}") ms"
done

declare -A rate per
for _ in $(seq 1 "$HOT_ROUNDS"); do
  for v in base off on sampled; do
    j=new; [[ $v == base ]] && j=base
    start "$v" -XX:SharedArchiveFile=$j.jsa -Xlog:cds=off,cds+dynamic=off
    args=(-t2 -c8 -s "$ROOT/bench/verify.lua")
    [[ $v == sampled ]] && args+=(-H "traceparent: 00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
    SERVITOR_BENCH_GATEWAY="$ADMIN" SERVITOR_BENCH_KEY="$ADMIN" wrk "${args[@]}" -d 4s "http://127.0.0.1:$PORT/v1/verify" >/dev/null
    c0=$(cpu_ms)
    out="$(SERVITOR_BENCH_GATEWAY="$ADMIN" SERVITOR_BENCH_KEY="$ADMIN" wrk "${args[@]}" -d "$DURATION" "http://127.0.0.1:$PORT/v1/verify")"
    c1=$(cpu_ms)
    n="$(awk '/requests in/ {print $1}' <<<"$out")"
    rate[$v]+=" $(awk '/Requests\/sec/ {printf "%d", $2}' <<<"$out")"
    per[$v]+=" $(( (c1 - c0) * 1000 / n ))"
    stop
  done
done
for v in base off on sampled; do
  echo "hot path $v: $(median <<<"${rate[$v]}") req/s; server CPU $(median <<<"${per[$v]}") µs per request"
done
echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
