#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Servitor against Keycloak on the same machine, in one run: client_credentials grants/s and
# p99 at each concurrency, token introspection (RFC 7662, both servers) and Servitor's
# /v1/verify of an API key and of a JWT, start-to-ready time (first start on an empty data
# directory, and a restart), and resident memory (VmRSS of the JVM) idle and under load.
# Prints one markdown table (also written to OUT). Not part of the build or of CI.
#
# Keycloak: downloads org.keycloak:keycloak-quarkus-dist:$KC_VERSION (zip) from Maven Central
# once into CACHE, copies it to a temporary directory (so every run starts with an empty H2
# dev database), runs `kc.sh start-dev` on 127.0.0.1 with a bootstrap admin, and through the
# admin REST API creates realm `bench` (access tokens valid 1 h) and a confidential client with
# service accounts enabled and an audience mapper naming itself (Keycloak 26 answers
# introspection with active:false, "Client 'bench' is not in the token audience", without it).
# Its JVM options are kc.sh's own defaults (-Xms64m -Xmx512m, G1).
# Servitor: started by the ./servitor launcher (its JVM options, -Xmx256m, and its class-data
# sharing archive, which is removed first and rewritten by the launcher's training run, timed on
# its own as a once-per-build step; both starts then use it) on SQLite in a temporary data dir; a
# service account with a client secret and an API key.
# Each server runs alone; the other is stopped. Warm-up before measuring: WARMUP of grants,
# then WARMUP of introspection (and for Servitor WARMUP/2 of /v1/verify).
#
# Settings (environment), defaults in brackets:
#   WARMUP [120s]  DURATION [30s]  CONNECTIONS ["8 32"]  THREADS [2] (wrk)
#   IDLE_SETTLE [10] seconds after ready before the idle RSS is read
#   SYSTEMS ["keycloak servitor"]
#   JAVA [java]  the JDK that runs Servitor; SERVITOR_JAVAS ["$JAVA"] to run Servitor on several,
#                e.g. SERVITOR_JAVAS="java /usr/lib/jvm/temurin-25-jdk-amd64/bin/java"
#   SERVITOR_JAVA_OPTS [empty: the ./servitor launcher's default, -Xmx256m -Xms16m -XX:+ExitOnOutOfMemoryError
#                       and C2 thresholds ×10]
#   KC_VERSION [26.7.3]  KC_JAVA_HOME [unset: kc.sh uses `java` from PATH]  CACHE [~/.cache/servitor-bench]
#   KC_PORT [18300]  SV_PORT [18310]  OUT [bench/target/keycloak-compare-<time>.md]
# Quick run: WARMUP=10s DURATION=10s bench/keycloak-compare.sh
# Do not edit the sources while it runs: ./servitor rebuilds the jar when a source is newer than it.
# Needs: curl, unzip, wrk, ss (iproute2), base64, java; the jar (mvn -o -q package -DskipTests).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
WARMUP="${WARMUP:-120s}" DURATION="${DURATION:-30s}" CONNECTIONS="${CONNECTIONS:-8 32}" THREADS="${THREADS:-2}"
IDLE_SETTLE="${IDLE_SETTLE:-10}" SYSTEMS="${SYSTEMS:-keycloak servitor}"
JAVA="${JAVA:-java}" SERVITOR_JAVAS="${SERVITOR_JAVAS:-$JAVA}"
SERVITOR_JAVA_OPTS="${SERVITOR_JAVA_OPTS:-}"
KC_VERSION="${KC_VERSION:-26.7.3}" CACHE="${CACHE:-$HOME/.cache/servitor-bench}"
KC_PORT="${KC_PORT:-18300}" SV_PORT="${SV_PORT:-18310}"
mkdir -p "$ROOT/bench/target"
OUT="${OUT:-$ROOT/bench/target/keycloak-compare-$(date +%Y%m%d-%H%M%S).md}"

for tool in curl unzip wrk ss base64 java; do
  command -v "$tool" >/dev/null || { echo "keycloak-compare: '$tool' is required" >&2; exit 2; }
done
JAR="$(ls "$ROOT"/server/target/servitor-[0-9]*.jar 2>/dev/null | grep -v original | head -n 1 || true)"
[[ -n "$JAR" ]] || { echo "keycloak-compare: build first: mvn -o -q package -DskipTests" >&2; exit 2; }
# the launcher would rebuild a stale jar, and the build would count as start-up
if [[ -n "$(find "$ROOT/core/src/main" "$ROOT/sdk/src/main" "$ROOT/cli/src/main" "$ROOT/server/src/main" "$ROOT/pom.xml" \
      -newer "$JAR" -print -quit 2>/dev/null)" ]]; then
  echo "keycloak-compare: the jar is older than the sources; build first: mvn -o -q package -DskipTests" >&2; exit 2
fi

WORK="$(mktemp -d -t servitor-kc-XXXXXX)"
LAUNCHER=""   # pid of what we started (kc.sh or java)
stop_server() {
  if [[ -n "$LAUNCHER" ]]; then
    kill -TERM "$LAUNCHER" 2>/dev/null || true
    for _ in $(seq 1 300); do kill -0 "$LAUNCHER" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$LAUNCHER" 2>/dev/null || true
    wait "$LAUNCHER" 2>/dev/null || true
    LAUNCHER=""
  fi
}
trap 'stop_server; rm -rf "$WORK"' EXIT
trap 'exit 130' INT TERM

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
rss_mib() { awk '/^VmRSS/ {printf "%d", $2 / 1024}' "/proc/$1/status"; }
listener_pid() { ss -ltnpH "sport = :$1" | sed -n 's/.*pid=\([0-9]*\).*/\1/p' | head -n 1; }
json_field() { sed -n "s/.*\"$1\":\"\\([^\"]*\\)\".*/\\1/p"; }
port_free() { ! curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$1/"; }

# wait_ready URL LOG -> prints milliseconds since START_MS; fails if the launcher exits
wait_ready() {
  for _ in $(seq 1 1200); do
    if [[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$1" || true)" == 200 ]]; then
      echo $(( $(now_ms) - START_MS )); return 0
    fi
    kill -0 "$LAUNCHER" 2>/dev/null || { echo "keycloak-compare: server exited; log:" >&2; tail -n 40 "$2" >&2; return 1; }
    sleep 0.05
  done
  echo "keycloak-compare: not ready after 60 s" >&2; return 1
}

declare -A R   # R[system,metric] = value
COLS=()

# sample the max VmRSS of pid $1 into file $2 until it is removed
rss_sampler() { local max=0 v; while [[ -e "$2.on" ]]; do v="$(rss_mib "$1" 2>/dev/null || echo 0)"; (( v > max )) && max=$v && echo "$max" >"$2"; sleep 0.5; done; }

# measure SYSTEM METRIC-PREFIX CONNS SCRIPT URL: wrk --latency, records req/s and p99
measure() {
  local sys="$1" metric="$2" c="$3" script="$4" url="$5" out
  out="$(wrk -t"$THREADS" -c"$c" -d"$DURATION" --latency -s "$script" "$url")"
  echo "$out" >"$WORK/$sys-$metric-$c.txt"
  if grep -q 'Non-2xx\|Socket errors' <<<"$out"; then
    echo "keycloak-compare: $sys $metric c=$c: $(grep 'Non-2xx\|Socket errors' <<<"$out" | tr '\n' ' ')" >&2
    R[$sys,$metric-$c-errors]="$(grep 'Non-2xx\|Socket errors' <<<"$out" | tr -s ' ' | tr '\n' ' ')"
  fi
  R[$sys,$metric-$c]="$(awk '/Requests\/sec/ {printf "%.0f", $2}' <<<"$out")"
  R[$sys,$metric-$c-p99]="$(awk '$1 == "99%" {print $2}' <<<"$out")"
  echo "   $metric c=$c: ${R[$sys,$metric-$c]} req/s, p99 ${R[$sys,$metric-$c-p99]}"
}

run_keycloak() {
  local sys="keycloak" pw cs base="http://127.0.0.1:$KC_PORT" zip="$CACHE/keycloak-quarkus-dist-$KC_VERSION.zip"
  mkdir -p "$CACHE"
  if [[ ! -f "$zip" ]]; then
    echo "== downloading keycloak-quarkus-dist $KC_VERSION from Maven Central"
    curl -sSfL -o "$zip.part" "https://repo1.maven.org/maven2/org/keycloak/keycloak-quarkus-dist/$KC_VERSION/keycloak-quarkus-dist-$KC_VERSION.zip"
    mv "$zip.part" "$zip"
  fi
  [[ -d "$CACHE/keycloak-$KC_VERSION" ]] || unzip -q -o "$zip" -d "$CACHE"
  rm -rf "$WORK/kc" && cp -a "$CACHE/keycloak-$KC_VERSION" "$WORK/kc" && rm -rf "$WORK/kc/data"
  port_free "$KC_PORT" || { echo "keycloak-compare: port $KC_PORT is taken" >&2; exit 2; }
  pw="$(head -c 18 /dev/urandom | base64 | tr -d '/+=')" cs="$(head -c 24 /dev/urandom | base64 | tr -d '/+=')"
  COLS+=("$sys")
  R[$sys,name]="Keycloak $KC_VERSION (start-dev, H2)"
  local start=(env ${KC_JAVA_HOME:+JAVA_HOME=$KC_JAVA_HOME} KC_BOOTSTRAP_ADMIN_USERNAME=admin KC_BOOTSTRAP_ADMIN_PASSWORD="$pw"
    "$WORK/kc/bin/kc.sh" start-dev --http-host=127.0.0.1 --http-port="$KC_PORT")
  for phase in first restart; do
    START_MS="$(now_ms)"
    "${start[@]}" >"$WORK/kc-$phase.log" 2>&1 &
    LAUNCHER=$!
    R[$sys,ready-$phase]="$(wait_ready "$base/realms/master/.well-known/openid-configuration" "$WORK/kc-$phase.log")"
    echo "== keycloak $phase start: ready in ${R[$sys,ready-$phase]} ms"
    [[ "$phase" == first ]] && stop_server
  done
  local pid; pid="$(listener_pid "$KC_PORT")"
  R[$sys,jvm]="$(tr '\0' ' ' <"/proc/$pid/cmdline" | grep -o -- '-Xm[sx][^ ]*' | tr '\n' ' ')"
  R[$sys,jdk]="$("$(readlink -f "/proc/$pid/exe")" -version 2>&1 | head -n 1 | sed 's/.*version "\([^"]*\)".*/\1/')"
  R[$sys,name]="Keycloak $KC_VERSION (JDK ${R[$sys,jdk]}, start-dev, H2)"
  sleep "$IDLE_SETTLE"
  R[$sys,rss-idle]="$(rss_mib "$pid")"

  local admin_token
  admin_token="$(curl -sSf -d grant_type=password -d client_id=admin-cli -d username=admin --data-urlencode "password=$pw" \
    "$base/realms/master/protocol/openid-connect/token" | json_field access_token)"
  curl -sSf -X POST "$base/admin/realms" -H "Authorization: Bearer $admin_token" -H 'Content-Type: application/json' \
    -d '{"realm": "bench", "enabled": true, "accessTokenLifespan": 3600}'
  curl -sSf -X POST "$base/admin/realms/bench/clients" -H "Authorization: Bearer $admin_token" -H 'Content-Type: application/json' \
    -d "{\"clientId\": \"bench\", \"enabled\": true, \"publicClient\": false, \"serviceAccountsEnabled\": true,
         \"standardFlowEnabled\": false, \"directAccessGrantsEnabled\": false, \"clientAuthenticatorType\": \"client-secret\",
         \"secret\": \"$cs\", \"protocolMappers\": [{\"name\": \"audience-self\", \"protocol\": \"openid-connect\",
         \"protocolMapper\": \"oidc-audience-mapper\", \"config\": {\"included.client.audience\": \"bench\",
         \"access.token.claim\": \"true\", \"introspection.token.claim\": \"true\", \"id.token.claim\": \"false\"}}]}"
  BASIC="$(printf 'bench:%s' "$cs" | base64 -w0)"
  export BASIC BEARER=""
  local token_url="$base/realms/bench/protocol/openid-connect/token"
  INTROSPECT_TOKEN="$(curl -sSf -u "bench:$cs" -d grant_type=client_credentials "$token_url" | json_field access_token)"
  export INTROSPECT_TOKEN
  [[ "$(curl -sSf -u "bench:$cs" -d "token=$INTROSPECT_TOKEN" "$token_url/introspect")" == *'"active":true'* ]] \
    || { echo "keycloak-compare: keycloak introspection does not answer active" >&2; exit 1; }

  load_phase "$sys" "$pid" "$token_url" "$token_url/introspect" "" ""
  [[ "$(curl -sSf -u "bench:$cs" -d "token=$INTROSPECT_TOKEN" "$token_url/introspect")" == *'"active":true'* ]] \
    || { echo "keycloak-compare: the token went inactive during the run" >&2; exit 1; }
  stop_server
}

# load_phase SYSTEM PID GRANT-URL INTROSPECT-URL VERIFY-URL(optional) JWT-VERIFY(optional)
load_phase() {
  local sys="$1" pid="$2" grant_url="$3" introspect_url="$4" verify_url="$5"
  echo "== $sys: warm-up ($WARMUP grants, $WARMUP introspection)"
  wrk -t"$THREADS" -c32 -d"$WARMUP" -s "$HERE/grant.lua" "$grant_url" >/dev/null
  wrk -t"$THREADS" -c32 -d"$WARMUP" -s "$HERE/introspect.lua" "$introspect_url" >/dev/null
  if [[ -n "$verify_url" ]]; then
    local half=$(( ${WARMUP%s} / 2 )); (( half > 0 )) || half=1
    wrk -t"$THREADS" -c32 -d"${half}s" -s "$HERE/verify.lua" "$verify_url" >/dev/null
  fi
  : >"$WORK/rss-$sys"; touch "$WORK/rss-$sys.on"
  rss_sampler "$pid" "$WORK/rss-$sys" &
  local sampler=$!
  for c in $CONNECTIONS; do measure "$sys" grant "$c" "$HERE/grant.lua" "$grant_url"; done
  for c in $CONNECTIONS; do measure "$sys" introspect "$c" "$HERE/introspect.lua" "$introspect_url"; done
  if [[ -n "$verify_url" ]]; then
    for c in $CONNECTIONS; do measure "$sys" verify-key "$c" "$HERE/verify.lua" "$verify_url"; done
    local key="$SERVITOR_BENCH_KEY"
    export SERVITOR_BENCH_KEY="$INTROSPECT_TOKEN"
    for c in $CONNECTIONS; do measure "$sys" verify-jwt "$c" "$HERE/verify.lua" "$verify_url"; done
    export SERVITOR_BENCH_KEY="$key"
  fi
  R[$sys,rss-load-end]="$(rss_mib "$pid")"
  rm -f "$WORK/rss-$sys.on"; wait "$sampler" 2>/dev/null || true
  R[$sys,rss-load-max]="$(cat "$WORK/rss-$sys")"
  R[$sys,cpu-s]="$(awk '{printf "%.0f", ($14 + $15) / 100}' "/proc/$pid/stat")"
}

run_servitor() {
  local javabin="$1" n="$2" sys="servitor$2" base="http://127.0.0.1:$SV_PORT" data="$WORK/sv$2"
  port_free "$SV_PORT" || { echo "keycloak-compare: port $SV_PORT is taken" >&2; exit 2; }
  COLS+=("$sys")
  R[$sys,jdk]="$("$javabin" -version 2>&1 | head -n 1 | sed 's/.*version "\([^"]*\)".*/\1/')"
  R[$sys,name]="Servitor (JDK ${R[$sys,jdk]}, SQLite)"
  R[$sys,jvm]="${SERVITOR_JAVA_OPTS:-launcher default (-Xmx256m -Xms16m -XX:+ExitOnOutOfMemoryError, C2 thresholds ×10, AppCDS)}"
  local admin; admin="$("$javabin" -jar "$JAR" admin-token)"
  local jdir; jdir="$(dirname "$(command -v "$javabin")")"
  # the launcher's class-data sharing archive for this jar and JDK, rewritten by its training run
  rm -f "${JAR%.jar}-jdk$(readlink -f "$jdir/java" | cksum | cut -d' ' -f1).jsa"
  START_MS="$(now_ms)"
  PATH="$jdir:$PATH" JAVA_OPTS="$SERVITOR_JAVA_OPTS" "$ROOT/servitor" serve --train-and-exit >"$WORK/$sys-train.log" 2>&1
  R[$sys,train]="$(( $(now_ms) - START_MS ))"
  echo "== $sys training run (class-data archive): ${R[$sys,train]} ms"
  for phase in first restart; do
    START_MS="$(now_ms)"
    PATH="$jdir:$PATH" JAVA_OPTS="$SERVITOR_JAVA_OPTS" SERVITOR_ADMIN_TOKEN="$admin" SERVITOR_LOG_LEVEL=warn \
      "$ROOT/servitor" serve --host 127.0.0.1 --port "$SV_PORT" --data-dir "$data" >"$WORK/$sys-$phase.log" 2>&1 &
    LAUNCHER=$!
    R[$sys,ready-$phase]="$(wait_ready "$base/readyz" "$WORK/$sys-$phase.log")"
    echo "== $sys $phase start: ready in ${R[$sys,ready-$phase]} ms"
    [[ "$phase" == first ]] && stop_server
  done
  local pid="$LAUNCHER"
  sleep "$IDLE_SETTLE"
  R[$sys,rss-idle]="$(rss_mib "$pid")"

  api() { curl -sSf -X "$1" "$base$2" -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' ${3:+-d "$3"}; }
  api POST /v1/service-accounts '{"name": "bench", "description": "bench/keycloak-compare.sh"}' >/dev/null
  local secret id cs key
  secret="$(api POST /v1/service-accounts/bench/secret)"
  id="$(json_field client_id <<<"$secret")" cs="$(json_field client_secret <<<"$secret")"
  key="$(api POST /v1/service-accounts/bench/keys '{"name": "bench"}' | json_field key)"
  BASIC="$(printf '%s:%s' "$id" "$cs" | base64 -w0)"
  INTROSPECT_TOKEN="$(curl -sSf -u "$id:$cs" -d grant_type=client_credentials "$base/oauth/token" | json_field access_token)"
  export BASIC BEARER="" INTROSPECT_TOKEN SERVITOR_BENCH_GATEWAY="$admin" SERVITOR_BENCH_KEY="$key"
  [[ "$(curl -sSf -u "$id:$cs" -d "token=$INTROSPECT_TOKEN" "$base/oauth/introspect")" == *'"active":true'* ]] \
    || { echo "keycloak-compare: servitor introspection does not answer active" >&2; exit 1; }
  [[ "$(api POST /v1/verify "{\"credential\": \"$key\"}")" == *'"VALID"'* ]] || { echo "keycloak-compare: key does not verify" >&2; exit 1; }

  load_phase "$sys" "$pid" "$base/oauth/token" "$base/oauth/introspect" "$base/v1/verify"
  stop_server
}

echo "# keycloak-compare $(date -u +%Y-%m-%dT%H:%MZ); $(nproc) CPUs; load average $(cut -d' ' -f1-3 /proc/loadavg)"
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
i=0
for s in $SYSTEMS; do
  case "$s" in
    keycloak) run_keycloak ;;
    servitor) for j in $SERVITOR_JAVAS; do i=$((i + 1)); run_servitor "$j" "$i"; done ;;
    *) echo "keycloak-compare: unknown system $s" >&2; exit 2 ;;
  esac
done
LOAD_AFTER="$(cut -d' ' -f1-3 /proc/loadavg)"

v() { local x="${R[$1,$2]:-}"; echo "${x:-—}"; }
row() { # label metric [p99-metric]
  local line="| $1 |" s
  for s in "${COLS[@]}"; do
    if [[ -n "${3:-}" && -n "${R[$s,$2]:-}" ]]; then line+=" $(v "$s" "$2") (p99 $(v "$s" "$3")) |"; else line+=" $(v "$s" "$2") |"; fi
  done
  echo "$line"
}
{
  echo "Run $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) CPUs; load average before $LOAD_BEFORE, after $LOAD_AFTER;"
  echo "WARMUP=$WARMUP DURATION=$DURATION wrk -t$THREADS; each server alone on 127.0.0.1."
  echo
  header="| |" sep="|---|"
  for s in "${COLS[@]}"; do header+=" ${R[$s,name]} |"; sep+="---|"; done
  echo "$header"; echo "$sep"
  for c in $CONNECTIONS; do row "client_credentials grants/s, c=$c" "grant-$c" "grant-$c-p99"; done
  for c in $CONNECTIONS; do row "introspection/s (RFC 7662), c=$c" "introspect-$c" "introspect-$c-p99"; done
  for c in $CONNECTIONS; do row "\`/v1/verify\` API key/s, c=$c" "verify-key-$c" "verify-key-$c-p99"; done
  for c in $CONNECTIONS; do row "\`/v1/verify\` JWT/s, c=$c" "verify-jwt-$c" "verify-jwt-$c-p99"; done
  row "class-data archive training run, once per build and JDK (ms)" train
  row "start to ready, empty data dir (ms)" ready-first
  row "start to ready, restart (ms)" ready-restart
  row "RSS idle, ${IDLE_SETTLE} s after ready (MiB)" rss-idle
  row "RSS under load, max sampled (MiB)" rss-load-max
  row "RSS at the end of the load (MiB)" rss-load-end
  row "server CPU time over the whole run (s)" cpu-s
  row "JVM heap options" jvm
  for s in "${COLS[@]}"; do
    for k in "${!R[@]}"; do [[ "$k" == "$s,"*-errors ]] && echo "- ${R[$s,name]}: ${k#*,}: ${R[$k]}"; done
  done
  true
} | tee "$OUT"
echo "(written to $OUT)"
