#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Start-to-ready of several variants of the JVM options, interleaved round by round so that the
# machine's drift hits them alike: each start is `java -Xmx256m -Xms16m <options> -jar … serve`
# on an empty SQLite data dir (or, with KEEP=1 in the variant's environment, on the data dir the
# previous start left), timed from launch to the first 200 from GET /readyz. Prints each variant's
# times sorted and its median. docs/benchmarks.md, "Start-up and memory".
#   bench/startup-ab.sh ROUNDS 'label|ENV=value …|JVM options' …
# e.g. bench/startup-ab.sh 6 'defaults|X=1|' 'c1-only|X=1|-XX:TieredStopAtLevel=1' \
#        "archive|X=1|-XX:SharedArchiveFile=$(ls -t server/target/*.jsa | head -n 1) -Xlog:cds=off,cds+dynamic=off"
# (an archive is only used by the JDK and the jar build it was written for: run ./servitor serve
# --train-and-exit after a build; a stale one is silently ignored and that variant runs without)
#   JAVA=java  PORT=18330
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAVA="${JAVA:-java}" PORT="${PORT:-18330}"
JAR="$(ls "$ROOT"/server/target/servitor-[0-9]*.jar | grep -v original | head -n 1)"
WORK="$(mktemp -d -t servitor-startup-ab-XXXXXX)"
PID=""
trap '[[ -n "$PID" ]] && kill "$PID" 2>/dev/null; rm -rf "$WORK"' EXIT
ADMIN="$("$JAVA" -jar "$JAR" admin-token)"
rounds="$1"; shift
declare -A times
for _ in $(seq 1 "$rounds"); do
  for variant in "$@"; do
    IFS='|' read -r label envs opts <<<"$variant"
    [[ "$envs" == *KEEP=1* ]] || rm -rf "$WORK/data"
    t0=$(( $(date +%s%N) / 1000000 ))
    # shellcheck disable=SC2086 # envs and opts are lists
    env $envs SERVITOR_ADMIN_TOKEN="$ADMIN" SERVITOR_LOG_LEVEL=warn "$JAVA" -Xmx256m -Xms16m $opts -jar "$JAR" serve \
      --port "$PORT" --data-dir "$WORK/data" >"$WORK/log" 2>&1 &
    PID=$!
    until [[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/readyz" || true)" == 200 ]]; do
      kill -0 "$PID" 2>/dev/null || { cat "$WORK/log" >&2; exit 1; }
      sleep 0.02
    done
    times[$label]+=" $(( $(date +%s%N) / 1000000 - t0 ))"
    kill "$PID"; wait "$PID" 2>/dev/null || true; PID=""
  done
done
for variant in "$@"; do
  label="${variant%%|*}"
  sorted="$(tr ' ' '\n' <<<"${times[$label]}" | grep . | sort -n)"
  echo "$label: $(tr '\n' ' ' <<<"$sorted") ms, median $(awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}' <<<"$sorted")"
done
