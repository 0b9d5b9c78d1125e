#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Mixed soak (not in CI): for DURATION seconds, one Servitor server on SQLite or PostgreSQL takes
# at the same time
#   (a) wrk -c 8: POST /v1/verify of 20 warm keys of one account (bench/soak-verify.lua, warm),
#   (b) wrk -c 8: POST /v1/verify of keys and access tokens minted while it runs, each first seen
#       cold, then again while their account is patched, their keys revoked and the account deleted
#       (soak-verify.lua, new), fed by a minter loop (one /v1/sql script creating an account and
#       40 keys, a client secret, 8 more keys through REST and a token every 2, then delete the
#       account of the cycle before),
#   a patcher loop: PATCH the description of the minter's newest account back to back, and every
#       10th time the warm account's; each evicts the account from the principal cache while its
#       warm and new keys are verified (the SQLite lock cycle of issue 14, item 3, showed so),
#   (c) ADMIN_LOOPS shell loops of admin calls through the REST API: create an account, mint two
#       keys, PATCH its description, disable and enable it, rotate one key, revoke the other,
#       generate a client secret, get a token at /oauth/token and call /v1/whoami with it, /v1/sql
#       (CREATE SERVICE ACCOUNT; SHOW SERVICE ACCOUNTS; then SHOW API KEYS; DROP), list accounts,
#       keys and audit events, delete the account.
# Every 10 s it prints the server's resident memory (VmRSS), heap used and committed, non-heap
# used, live threads and the requests answered so far; at 60 s (DURATION/2 if shorter than 120 s)
# and 10 s before the end it prints the live heap (jcmd GC.class_histogram: a full GC, then what is
# left; both histograms stay in the work directory). At the end it prints the server's answers by
# status class (servitor_http_requests_seconds_count), wrk's counts, the shell loops' calls and
# unexpected answers, ERROR lines and stack traces in the server log, and memory first/last/max.
#
# Exit status 1 if any 5xx (server metric, wrk or shell loops), any stack trace or ERROR line,
# any wrk socket timeout (30 s), any unexpected answer or call slower than SLOW_SECONDS in the
# shell loops, if a warm key does not verify VALID, if the server dies, or if memory grew from the
# first minute to the end by more than
#   LIVE_GROWTH_MB  the live heap, at DURATION-10 s against at 60 s, both measured under
#                   load: the leak check (caches drop entries 60 s after writing them, so after the
#                   first minute the live set is steady)
#   RSS_GROWTH_MB   resident memory, the last sample against the largest of the first minute: it
#                   follows G1's heap sizing (up to -Xmx) as well, hence the wide default
# The server runs through the ./servitor launcher with its JVM options (-Xmx256m,
# -XX:+ExitOnOutOfMemoryError; JAVA_OPTS overrides them), so memory is judged as in production.
#
# Settings (environment):
#   STORE=sqlite|postgres  DURATION=180 (seconds)  PORT=18450  ADMIN_LOOPS=3
#   RSS_GROWTH_MB=64  LIVE_GROWTH_MB=16  SLOW_SECONDS=10
#   SERVITOR_SOAK_PG_URL  with STORE=postgres: the JDBC URL of an EMPTY database (credentials in the
#     URL or in SERVITOR_DB_USER / SERVITOR_DB_PASSWORD); unset, a throwaway PostgreSQL 15 cluster
#     is started (Debian's /usr/lib/postgresql/15/bin, run as user nobody, trust auth, on a free
#     loopback port) and removed on exit. PG_BIN overrides the directory.
#   KEEP=1  keep the work directory (server log, loop logs) instead of removing it
# Needs: java 17 with jcmd, curl, wrk (apt-get install -y wrk); mvn if the jar must be built;
# runuser and PostgreSQL's initdb/pg_ctl for the throwaway cluster. See docs/benchmarks.md, "Soak".
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
STORE="${STORE:-sqlite}"
DURATION="${DURATION:-180}"
PORT="${PORT:-18450}"
ADMIN_LOOPS="${ADMIN_LOOPS:-3}"
RSS_GROWTH_MB="${RSS_GROWTH_MB:-64}"
LIVE_GROWTH_MB="${LIVE_GROWTH_MB:-16}"
SLOW_SECONDS="${SLOW_SECONDS:-10}"
PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
BASE="http://127.0.0.1:$PORT"
unset SERVITOR_DB_URL # STORE alone chooses the store

die() { echo "soak: $*" >&2; exit 2; }
[[ "$STORE" == sqlite || "$STORE" == postgres ]] || die "STORE must be sqlite or postgres"
if [[ ! "$DURATION" =~ ^[0-9]+$ ]] || (( DURATION < 30 )); then die "DURATION must be a number of seconds, at least 30"; fi
for tool in java jcmd curl wrk; do
  command -v "$tool" >/dev/null || die "'$tool' is required (wrk: apt-get install -y wrk)"
done
if [[ "$STORE" == postgres && -z "${SERVITOR_SOAK_PG_URL:-}" ]]; then
  [[ -x "$PG_BIN/initdb" && -x "$PG_BIN/pg_ctl" ]] || die "no PostgreSQL in $PG_BIN (set PG_BIN or SERVITOR_SOAK_PG_URL)"
  command -v runuser >/dev/null || die "'runuser' is required to run PostgreSQL as nobody"
fi

# shellcheck disable=SC2010 # the build's file names are plain
find_jar() { ls "$ROOT"/server/target/servitor-[0-9]*.jar 2>/dev/null | grep -v original | head -n 1 || true; }
JAR="$(find_jar)"
if [[ -z "$JAR" ]]; then
  echo "== building the server jar (mvn -o -q package -DskipTests -pl server -am)"
  (cd "$ROOT" && mvn -o -q package -DskipTests -pl server -am)
  JAR="$(find_jar)"
  [[ -n "$JAR" ]] || die "no server/target/servitor-<version>.jar after the build"
fi

WORK="$(mktemp -d -t servitor-soak-XXXXXX)"
chmod 700 "$WORK"
SERVER_PID="" PG_DIR="" LOAD_PIDS=()
cleanup() {
  local p
  for p in "${LOAD_PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  if [[ -n "$PG_DIR" ]]; then
    runuser -u nobody -- "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$PG_DIR"
  fi
  if [[ "${KEEP:-0}" == 1 ]]; then echo "soak: kept $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if curl -s -o /dev/null "$BASE/healthz"; then die "something already answers on $BASE; set PORT"; fi

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
DB_ENV=()
if [[ "$STORE" == postgres ]]; then
  if [[ -n "${SERVITOR_SOAK_PG_URL:-}" ]]; then
    DB_ENV=("SERVITOR_DB_URL=$SERVITOR_SOAK_PG_URL")
    echo "== PostgreSQL: $SERVITOR_SOAK_PG_URL (must be an empty database)"
  else
    PG_DIR="$(mktemp -d -t servitor-soak-pg-XXXXXX)"
    chown nobody "$PG_DIR"
    PG_PORT=""
    for _ in $(seq 1 50); do
      p=$(( 20000 + RANDOM % 20000 ))
      if port_free "$p"; then PG_PORT="$p"; break; fi
    done
    [[ -n "$PG_PORT" ]] || die "no free port for PostgreSQL"
    echo "== PostgreSQL 15: a throwaway cluster in $PG_DIR on 127.0.0.1:$PG_PORT (user nobody, trust auth)"
    runuser -u nobody -- "$PG_BIN/initdb" -D "$PG_DIR/data" -U servitor -A trust -E UTF8 >"$PG_DIR/initdb.log" 2>&1 \
      || { cat "$PG_DIR/initdb.log" >&2; die "initdb failed"; }
    runuser -u nobody -- "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/postgres.log" -w -t 60 \
      -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c max_connections=50" start >/dev/null \
      || { cat "$PG_DIR/postgres.log" >&2; die "PostgreSQL did not start"; }
    DB_ENV=("SERVITOR_DB_URL=jdbc:postgresql://127.0.0.1:$PG_PORT/postgres?user=servitor")
  fi
fi

# The launcher writes its class-data archive once per jar build (a training run); do it now so the
# training run's output stays out of the server log that is checked for errors.
SERVITOR_CDS="${SERVITOR_CDS:-1}" "$ROOT/servitor" serve --train-and-exit >"$WORK/train.log" 2>&1 || true

ADMIN="$(java -jar "$JAR" admin-token)"
echo "== starting the server through ./servitor on $BASE ($STORE, data dir $WORK/data, JAVA_OPTS: ${JAVA_OPTS:-launcher defaults})"
env SERVITOR_ADMIN_TOKEN="$ADMIN" "${DB_ENV[@]}" \
  "$ROOT/servitor" serve --host 127.0.0.1 --port "$PORT" --data-dir "$WORK/data" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 1200); do
  curl -sf -o /dev/null "$BASE/readyz" && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.log" >&2; echo "soak: the server exited before it was ready" >&2; exit 1; }
  sleep 0.5
done
curl -sf -o /dev/null "$BASE/readyz" || { cat "$WORK/server.log" >&2; echo "soak: the server did not become ready" >&2; exit 1; }

# ---- calls of the shell loops ------------------------------------------------------------------
# call TAG EXPECTED METHOD PATH [BODY] [AUTH] -> the answer's body on stdout, or status 1 when the
# status is not EXPECTED (a regex); every call is counted in $WORK/calls-TAG, unexpected ones are
# written to $WORK/unexpected.log (with a 4xx/5xx answer; never a request body or a 2xx answer,
# which may hold a secret), calls slower than SLOW_SECONDS to $WORK/slow.log. BODY starting with
# "form:" is sent as a form, "sql:" as text; AUTH is a whole Authorization header value (default:
# the admin's key).
call() {
  local tag="$1" want="$2" method="$3" path="$4" body="${5-}" auth="${6:-Bearer $ADMIN}"
  local out="$WORK/body-$tag" ctype=application/json meta code secs
  case "$body" in
    form:*) ctype=application/x-www-form-urlencoded; body="${body#form:}" ;;
    sql:*) ctype=text/plain; body="${body#sql:}" ;;
  esac
  : >"$out"
  if [[ -n "$body" ]]; then
    meta="$(curl -sS -o "$out" -w '%{http_code} %{time_total}' --max-time 60 -X "$method" "$BASE$path" \
      -H "Authorization: $auth" -H "Content-Type: $ctype" --data-binary "$body" 2>>"$WORK/curl-errors.log")" || true
  else
    meta="$(curl -sS -o "$out" -w '%{http_code} %{time_total}' --max-time 60 -X "$method" "$BASE$path" \
      -H "Authorization: $auth" 2>>"$WORK/curl-errors.log")" || true
  fi
  code="${meta%% *}" secs="${meta#* }"
  [[ -n "$code" ]] || code=000
  echo "$code" >>"$WORK/calls-$tag"
  if awk -v s="$secs" -v m="$SLOW_SECONDS" 'BEGIN { exit !(s > m) }'; then
    echo "$(date -u +%FT%TZ) $tag: $method $path -> $code in ${secs}s" >>"$WORK/slow.log"
  fi
  if [[ ! "$code" =~ ^($want)$ ]]; then
    local shown="(answer not shown: it may hold a secret)"
    [[ "$code" =~ ^[45] ]] && shown="$(head -c 400 "$out")"
    echo "$(date -u +%FT%TZ) $tag: $method $path -> $code (expected $want): $shown" >>"$WORK/unexpected.log"
    return 1
  fi
  cat "$out"
}
field() { sed -n "s/.*\"$1\":\"\\([^\"]*\\)\".*/\\1/p" | head -n 1; } # first string member NAME of a JSON answer
END_AT=0
running() { (( $(date +%s) < END_AT )); }

admin_loop() { # l: ADMIN_LOOPS of these run side by side
  local l="$1" i=0 sa k1 k2 answer cid sec tok
  while running; do
    i=$((i + 1)) sa="soak-l$l-$i"
    call "l$l" 201 POST /v1/service-accounts "{\"name\": \"$sa\", \"description\": \"bench/soak.sh loop $l\"}" >/dev/null || continue
    {
      k1="$(call "l$l" 201 POST "/v1/service-accounts/$sa/keys" '{"name": "one"}' | field id)" && [[ -n "$k1" ]] &&
      k2="$(call "l$l" 201 POST "/v1/service-accounts/$sa/keys" '{"name": "two", "expires_in_days": 30}' | field id)" && [[ -n "$k2" ]] &&
      call "l$l" 200 PATCH "/v1/service-accounts/$sa" "{\"description\": \"patched in iteration $i\"}" >/dev/null &&
      call "l$l" 200 POST "/v1/service-accounts/$sa/disable" >/dev/null &&
      call "l$l" 200 POST "/v1/service-accounts/$sa/enable" >/dev/null &&
      call "l$l" 201 POST "/v1/service-accounts/$sa/keys/$k1/rotate" '{"grace_seconds": 0}' >/dev/null &&
      call "l$l" 204 DELETE "/v1/service-accounts/$sa/keys/$k2" >/dev/null &&
      answer="$(call "l$l" 201 POST "/v1/service-accounts/$sa/secret")" &&
      cid="$(field client_id <<<"$answer")" && sec="$(field client_secret <<<"$answer")" &&
      tok="$(call "l$l" 200 POST /oauth/token form:grant_type=client_credentials \
        "Basic $(printf '%s:%s' "$cid" "$sec" | base64 -w 0)" | field access_token)" && [[ -n "$tok" ]] &&
      call "l$l" 200 GET /v1/whoami "" "Bearer $tok" >/dev/null &&
      call "l$l" 200 POST /v1/sql "sql:CREATE SERVICE ACCOUNT soak_sql_${l}_$i WITH DESCRIPTION = 'loop $l'; SHOW SERVICE ACCOUNTS;" >/dev/null &&
      call "l$l" 200 POST /v1/sql "sql:SHOW API KEYS FOR SERVICE ACCOUNT \"$sa\"; DROP SERVICE ACCOUNT soak_sql_${l}_$i;" >/dev/null &&
      call "l$l" 200 GET "/v1/service-accounts?page_size=100" >/dev/null &&
      call "l$l" 200 GET "/v1/service-accounts/$sa/keys" >/dev/null &&
      call "l$l" 200 GET "/v1/audit-events?page_size=50" >/dev/null &&
      call "l$l" 200 GET "/v1/audit-events?action=key.create&page_size=20" >/dev/null
    } || true
    call "l$l" 204 DELETE "/v1/service-accounts/$sa" >/dev/null || true
  done
}

minter() { # keys and tokens for wrk (b), appended to $WORK/new.txt as "<credential> ."
  local g=0 sa prev="" j script answer cid sec key tok
  while running; do
    g=$((g + 1)) sa="soak-new-$g"
    # one /v1/sql script: the account and 40 keys, verified by wrk (b) within milliseconds
    script="CREATE SERVICE ACCOUNT \"$sa\" WITH DESCRIPTION = 'bench/soak.sh minter';"
    for j in $(seq 1 40); do script+=" CREATE API KEY s$j FOR SERVICE ACCOUNT \"$sa\";"; done
    answer="$(call mint 200 POST /v1/sql "sql:$script")" || continue
    grep -o '"[0-9A-Za-z]\{1,16\}_[0-9A-Za-z]\{49\}"' <<<"$answer" | sed 's/"//g; s/$/ ./' >>"$WORK/new.txt" || true
    echo "$sa" >"$WORK/current.tmp" && mv "$WORK/current.tmp" "$WORK/current"
    answer="$(call mint 201 POST "/v1/service-accounts/$sa/secret")" || answer=""
    cid="$(field client_id <<<"$answer")" sec="$(field client_secret <<<"$answer")"
    for j in $(seq 1 8); do
      running || break
      key="$(call mint 201 POST "/v1/service-accounts/$sa/keys" "{\"name\": \"k$j\"}" | field key)" || true
      [[ -n "$key" ]] && echo "$key ." >>"$WORK/new.txt"
      if (( j % 2 == 0 )) && [[ -n "$cid" ]]; then
        tok="$(call mint 200 POST /oauth/token form:grant_type=client_credentials \
          "Basic $(printf '%s:%s' "$cid" "$sec" | base64 -w 0)" | field access_token)" || true
        [[ -n "$tok" ]] && echo "$tok ." >>"$WORK/new.txt"
      fi
    done
    if [[ -n "$prev" ]]; then call mint 204 DELETE "/v1/service-accounts/$prev" >/dev/null || true; fi
    prev="$sa"
  done
  if [[ -n "$prev" ]]; then call mint 204 DELETE "/v1/service-accounts/$prev" >/dev/null || true; fi
}

patcher() { # PATCHes the description of the minter's newest account back to back, every 10th time the warm one's
  local i=0 sa
  while running; do
    i=$((i + 1))
    sa="$(cat "$WORK/current" 2>/dev/null || true)"
    # 404: the minter may have deleted it meanwhile
    [[ -n "$sa" ]] && { call patch '200|404' PATCH "/v1/service-accounts/$sa" "{\"description\": \"patched $i\"}" >/dev/null || true; }
    if (( i % 10 == 0 )); then
      call patch 200 PATCH /v1/service-accounts/soak-warm "{\"description\": \"warm, patched $i\"}" >/dev/null || true
    fi
  done
}

# ---- seed: the warm account and its keys, the gateway is the admin ------------------------------
END_AT=$(( $(date +%s) + 3600 ))
: >"$WORK/unexpected.log"; : >"$WORK/slow.log"
call seed 201 POST /v1/service-accounts '{"name": "soak-warm", "description": "bench/soak.sh warm keys"}' >/dev/null \
  || { cat "$WORK/unexpected.log" >&2; echo "soak: could not seed the store (SERVITOR_SOAK_PG_URL must name an empty database)" >&2; exit 1; }
: >"$WORK/warm.txt"
for j in $(seq 1 20); do
  key="$(call seed 201 POST /v1/service-accounts/soak-warm/keys "{\"name\": \"w$j\"}" | field key)" \
    || { cat "$WORK/unexpected.log" >&2; echo "soak: could not create the warm keys" >&2; exit 1; }
  echo "$key ." >>"$WORK/warm.txt"
done
: >"$WORK/new.txt"
chmod 600 "$WORK/warm.txt" "$WORK/new.txt"
export SERVITOR_BENCH_GATEWAY="$ADMIN" WRK_THREADS=2

echo "== machine: $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg), $(java -version 2>&1 | head -n 1)"
echo "== soak: $DURATION s on $STORE: wrk warm verify c=8, wrk new verify c=8, a minter, a patcher, $ADMIN_LOOPS admin loops"
START=$(date +%s)
END_AT=$(( START + DURATION ))
minter & LOAD_PIDS+=($!)
patcher & LOAD_PIDS+=($!)
for l in $(seq 1 "$ADMIN_LOOPS"); do admin_loop "$l" & LOAD_PIDS+=($!); done
sleep 2 # a few new credentials before wrk (b) starts
SOAK_MODE=warm SOAK_KEYS="$WORK/warm.txt" wrk -t 2 -c 8 -d "$((DURATION - 2))s" --timeout 30s -s "$HERE/soak-verify.lua" "$BASE" \
  >"$WORK/wrk-warm.txt" 2>&1 & LOAD_PIDS+=($!)
SOAK_MODE=new SOAK_KEYS="$WORK/new.txt" wrk -t 2 -c 8 -d "$((DURATION - 2))s" --timeout 30s -s "$HERE/soak-verify.lua" "$BASE" \
  >"$WORK/wrk-new.txt" 2>&1 & LOAD_PIDS+=($!)

# ---- samples every 10 s -------------------------------------------------------------------------
metric_sum() { # metric-name-and-labels regex, scrape on stdin -> sum of the matching samples
  awk -v re="$1" '$0 ~ "^" re { s += $NF } END { printf "%.0f", s }'
}
mib() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1048576 }'; }
SAMPLES="$WORK/samples.txt" LIVE="$WORK/live.txt"
: >"$SAMPLES"; : >"$LIVE"
live_heap() { # t: the live set, from a class histogram (jcmd runs a full GC first and counts what is left)
  jcmd "$SERVER_PID" GC.class_histogram >"$WORK/histogram-$1.txt" 2>&1 || return 0
  local live; live="$(awk '$1 == "Total" { print $3 }' "$WORK/histogram-$1.txt")"
  [[ -n "$live" ]] || return 0
  echo "$1 $live" >>"$LIVE"
  echo "   t=$1 s: live heap $(mib "$live") MiB (jcmd GC.class_histogram, after a full GC)"
}
DIED=""
printf '%6s %9s %10s %15s %14s %8s %9s\n' 't (s)' 'RSS MiB' 'heap MiB' 'heap committed' 'non-heap MiB' threads requests
next=10 live_done=0
LIVE_AT=$(( DURATION >= 120 ? 60 : DURATION / 2 )) # when the first live-heap measurement is taken
while (( next <= DURATION )); do
  sleep "$(( START + next - $(date +%s) > 0 ? START + next - $(date +%s) : 0 ))"
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then DIED="at about $next s"; break; fi
  rss_kb="$(awk '/^VmRSS:/ {print $2}' "/proc/$SERVER_PID/status" 2>/dev/null || echo 0)"
  if m="$(curl -s --max-time 10 "$BASE/metrics")"; then
    heap="$(metric_sum 'jvm_memory_used_bytes.area="heap"' <<<"$m")"
    committed="$(metric_sum 'jvm_memory_committed_bytes.area="heap"' <<<"$m")"
    nonheap="$(metric_sum 'jvm_memory_used_bytes.area="nonheap"' <<<"$m")"
    threads="$(metric_sum 'jvm_threads_live_threads' <<<"$m")"
    reqs="$(metric_sum 'servitor_http_requests_seconds_count' <<<"$m")"
  else
    heap=0 committed=0 nonheap=0 threads=- reqs="no /metrics answer within 10 s"
  fi
  echo "$next $((rss_kb * 1024)) $heap" >>"$SAMPLES"
  printf '%6s %9s %10s %15s %14s %8s %9s\n' "$next" "$(mib $((rss_kb * 1024)))" "$(mib "$heap")" "$(mib "$committed")" \
    "$(mib "$nonheap")" "$threads" "$reqs"
  # both live-heap measurements under load: at LIVE_AT and at the second-last sample
  if (( live_done == 0 && next >= LIVE_AT )); then live_heap "$next"; live_done=$next
  elif (( live_done > 0 && next > live_done && next >= DURATION - 10 && $(wc -l <"$LIVE") == 1 )); then live_heap "$next"; fi
  next=$((next + 10))
done
if [[ -n "$DIED" ]]; then for p in "${LOAD_PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; fi
for p in "${LOAD_PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
LOAD_PIDS=()
kill -0 "$SERVER_PID" 2>/dev/null || DIED="${DIED:-at the end}"

# ---- summary ------------------------------------------------------------------------------------
echo
echo "== summary: $STORE, $DURATION s, $(date -u +%FT%TZ)"
FAIL=()
if [[ -n "$DIED" ]]; then
  echo "the server DIED $DIED; the end of its log:"
  tail -n 40 "$WORK/server.log"
  FAIL+=("the server died")
else
  m="$(curl -s --max-time 30 "$BASE/metrics")"
  declare -A answers
  for cls in 2xx 3xx 4xx 5xx; do answers[$cls]="$(metric_sum "servitor_http_requests_seconds_count.status=\"$cls\"" <<<"$m")"; done
  echo "server answers (servitor_http_requests_seconds_count): 2xx ${answers[2xx]}, 3xx ${answers[3xx]}, 4xx ${answers[4xx]}, 5xx ${answers[5xx]}"
  (( answers[5xx] == 0 )) || FAIL+=("${answers[5xx]} 5xx counted by the server")
fi
for w in warm new; do
  line="$(grep '^soak-verify' "$WORK/wrk-$w.txt" || true)"
  echo "wrk $w: ${line:-no summary}; $(awk '/Requests\/sec/ {print $2 " req/s"}' "$WORK/wrk-$w.txt")"
  [[ -n "$line" ]] || { FAIL+=("wrk $w gave no summary"); cat "$WORK/wrk-$w.txt"; continue; }
  [[ "$line" =~ 5xx\ ([0-9]+) ]] && (( BASH_REMATCH[1] > 0 )) && FAIL+=("wrk $w saw ${BASH_REMATCH[1]} 5xx")
  [[ "$line" =~ timeout\ ([0-9]+) ]] && (( BASH_REMATCH[1] > 0 )) && FAIL+=("wrk $w had ${BASH_REMATCH[1]} requests time out (30 s)")
  if [[ $w == warm ]]; then
    n="$(sed -n 's/.*requests \([0-9]*\) .*/\1/p' <<<"$line")" valid="$(sed -n 's/.*| VALID \([0-9]*\) .*/\1/p' <<<"$line")"
    [[ "$n" == "$valid" ]] || FAIL+=("only $valid of $n warm-key verifications were VALID")
  fi
done
calls="$(cat "$WORK"/calls-l* "$WORK"/calls-mint "$WORK"/calls-patch 2>/dev/null | wc -l)"
unexpected="$(wc -l <"$WORK/unexpected.log" 2>/dev/null || echo 0)"
loop5xx="$(cat "$WORK"/calls-l* "$WORK"/calls-mint "$WORK"/calls-patch 2>/dev/null | grep -c '^5' || true)"
slow="$(wc -l <"$WORK/slow.log" 2>/dev/null || echo 0)"
echo "shell loops: $calls calls ($(cat "$WORK"/calls-l* "$WORK"/calls-mint "$WORK"/calls-patch 2>/dev/null | sort | uniq -c | awk '{printf "%s%s x%s", sep, $2, $1; sep=", "}')), unexpected answers $unexpected, 5xx $loop5xx, slower than $SLOW_SECONDS s $slow"
if (( unexpected > 0 )); then echo "  first unexpected answers:"; head -n 10 "$WORK/unexpected.log" | sed 's/^/    /'; FAIL+=("$unexpected unexpected answers in the shell loops"); fi
if (( slow > 0 )); then echo "  slow calls:"; head -n 10 "$WORK/slow.log" | sed 's/^/    /'; FAIL+=("$slow calls slower than $SLOW_SECONDS s"); fi
errors="$(grep -c ' ERROR ' "$WORK/server.log" || true)"
traces="$(awk '/^[ \t]+at / && prev !~ /^[ \t]+at |^[ \t]*\.\.\. [0-9]+ more|^[ \t]*(Caused by|Suppressed):/ { n++ } { prev = $0 } END { print n + 0 }' "$WORK/server.log")"
warns="$(grep -c ' WARN ' "$WORK/server.log" || true)"
echo "server log: $(wc -l <"$WORK/server.log") lines, ERROR $errors, WARN $warns, stack traces $traces"
if (( errors + traces > 0 )); then
  echo "  first ERROR lines and traces:"; grep -n -m 10 -A 12 ' ERROR \|^[[:alnum:]_.$]*\(Exception\|Error\)' "$WORK/server.log" | head -n 60 | sed 's/^/    /'
  FAIL+=("$errors ERROR lines, $traces stack traces in the server log")
fi
if [[ -s "$SAMPLES" ]]; then
  read -r rss_first heap_first < <(awk 'NR == 1 { print $2, $3 }' "$SAMPLES")
  read -r rss_last heap_last < <(awk 'END { print $2, $3 }' "$SAMPLES")
  read -r rss_max heap_max < <(awk '$2 > r { r = $2 } $3 > h { h = $3 } END { print r + 0, h + 0 }' "$SAMPLES")
  rss_min1="$(awk '$1 <= 60 && $2 > r { r = $2 } END { print r + 0 }' "$SAMPLES")"
  echo "memory: RSS first $(mib "$rss_first") / last $(mib "$rss_last") / max $(mib "$rss_max") MiB (largest in the first minute $(mib "$rss_min1")); heap used first $(mib "$heap_first") / last $(mib "$heap_last") / max $(mib "$heap_max") MiB"
  growth=$(( (rss_last - rss_min1) / 1048576 ))
  (( growth <= RSS_GROWTH_MB )) || FAIL+=("resident memory grew by $growth MiB after the first minute (limit RSS_GROWTH_MB=$RSS_GROWTH_MB)")
fi
if (( $(wc -l <"$LIVE") == 2 )); then
  read -r live1 live2 < <(awk '{ v[NR] = $2 } END { print v[1], v[2] }' "$LIVE")
  echo "live heap (after a full GC): at $(awk 'NR == 1 {print $1}' "$LIVE") s $(mib "$live1") MiB, at $(awk 'NR == 2 {print $1}' "$LIVE") s $(mib "$live2") MiB"
  growth=$(( (live2 - live1) / 1048576 ))
  if (( growth > LIVE_GROWTH_MB )); then
    FAIL+=("the live heap grew by $growth MiB after the first minute (limit LIVE_GROWTH_MB=$LIVE_GROWTH_MB)")
    echo "  classes that grew most (bytes, instances):"
    read -r t1 t2 < <(awk '{ t[NR] = $1 } END { print t[1], t[2] }' "$LIVE")
    awk 'NR == FNR { if ($1 ~ /^[0-9]+:$/) { b[$4] = $3; n[$4] = $2 }; next }
         $1 ~ /^[0-9]+:$/ { printf "%12d %10d %s\n", $3 - b[$4], $2 - n[$4], $4 }' \
      "$WORK/histogram-$t1.txt" "$WORK/histogram-$t2.txt" | sort -rn | head -n 12 | sed 's/^/    /'
  fi
elif [[ -z "$DIED" ]]; then
  FAIL+=("no live-heap measurement (jcmd GC.class_histogram failed?)")
fi
if (( ${#FAIL[@]} > 0 )); then
  KEEP=1
  printf 'soak: FAILED: %s\n' "${FAIL[@]}" >&2
  exit 1
fi
echo "soak: passed (no 5xx, no stack trace, memory flat)"
