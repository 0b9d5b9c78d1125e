#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Start-to-ready time and idle RSS of Servitor (SQLite): the time from launching the JVM to the
# first 200 from GET /readyz, for a first start on an empty data dir and for RUNS restarts on
# it, then VmRSS of the JVM IDLE_SETTLE seconds after the last start (no requests but /readyz).
#   JAVA=java  JAVA_OPTS="-Xmx256m -Xms16m -XX:+ExitOnOutOfMemoryError -XX:Tier4…Threshold=…" (the ./servitor launcher's default)
#   RUNS=5  IDLE_SETTLE=10  PORT=18320  LAUNCHER=0 (1: start through ./servitor instead of java -jar,
#   so that the launcher's defaults and its class-data sharing archive apply; an empty JAVA_OPTS
#   then means the launcher's default JVM options. The archive is deleted first and the launcher's
#   training run that rewrites it is timed on its own, before the first start)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAVA="${JAVA:-java}" RUNS="${RUNS:-5}" IDLE_SETTLE="${IDLE_SETTLE:-10}" PORT="${PORT:-18320}" LAUNCHER="${LAUNCHER:-0}"
JAVA_OPTS="${JAVA_OPTS--Xmx256m -Xms16m -XX:+ExitOnOutOfMemoryError -XX:Tier4InvocationThreshold=50000 -XX:Tier4CompileThreshold=60000 -XX:Tier4BackEdgeThreshold=400000}"
JAR="$(ls "$ROOT"/server/target/servitor-[0-9]*.jar | grep -v original | head -n 1)"
DATA="$(mktemp -d -t servitor-start-XXXXXX)"
PID=""
stop() { if [[ -n "$PID" ]]; then kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; PID=""; fi; }
trap 'stop; rm -rf "$DATA"' EXIT
ADMIN="$("$JAVA" -jar "$JAR" admin-token)"
start() {
  local t0=$(( $(date +%s%N) / 1000000 ))
  if [[ "$LAUNCHER" == 1 ]]; then
    # shellcheck disable=SC2086
    PATH="$(dirname "$(command -v "$JAVA")"):$PATH" SERVITOR_ADMIN_TOKEN="$ADMIN" SERVITOR_LOG_LEVEL=warn \
      JAVA_OPTS="$JAVA_OPTS" "$ROOT/servitor" serve --port "$PORT" --data-dir "$DATA/data" >>"$DATA/log" 2>&1 &
  else
    # shellcheck disable=SC2086
    SERVITOR_ADMIN_TOKEN="$ADMIN" SERVITOR_LOG_LEVEL=warn "$JAVA" $JAVA_OPTS -jar "$JAR" serve --port "$PORT" \
      --data-dir "$DATA/data" >>"$DATA/log" 2>&1 &
  fi
  PID=$!
  until [[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/readyz" || true)" == 200 ]]; do
    kill -0 "$PID" 2>/dev/null || { cat "$DATA/log" >&2; exit 1; }
    sleep 0.02
  done
  ELAPSED=$(( $(date +%s%N) / 1000000 - t0 ))
}
echo "# $("$JAVA" -version 2>&1 | head -n 1); JAVA_OPTS: ${JAVA_OPTS:-(launcher default)}; launcher: $LAUNCHER; load average $(cut -d' ' -f1-3 /proc/loadavg)"
if [[ "$LAUNCHER" == 1 ]]; then
  rm -f "${JAR%.jar}"-jdk*.jsa
  t0=$(( $(date +%s%N) / 1000000 ))
  # shellcheck disable=SC2086
  PATH="$(dirname "$(command -v "$JAVA")"):$PATH" JAVA_OPTS="$JAVA_OPTS" "$ROOT/servitor" serve --train-and-exit >>"$DATA/log" 2>&1
  echo "launcher's training run (writes the class-data archive, once per build and JDK): $(( $(date +%s%N) / 1000000 - t0 )) ms"
fi
start; first="$ELAPSED"; stop
restarts=()
for i in $(seq 1 "$RUNS"); do start; restarts+=("$ELAPSED"); if (( i < RUNS )); then stop; fi; done
sleep "$IDLE_SETTLE"
jvm="$PID"; [[ "$(cat /proc/$PID/comm)" == java ]] || jvm="$(pgrep -P "$PID" java | head -n 1)"
echo "first start: ${first} ms; restarts: ${restarts[*]} ms (sorted: $(printf '%s\n' "${restarts[@]}" | sort -n | tr '\n' ' '))"
echo "idle RSS ${IDLE_SETTLE} s after ready: $(awk '/^VmRSS/ {printf "%d MiB", $2 / 1024}' "/proc/$jvm/status")"
echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
