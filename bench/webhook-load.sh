#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# What lifecycle events cost (issue 17's benchmark): service-account creation and POST /v1/verify rates with
# no webhook endpoint, then with 3 endpoints subscribed to every event (bench/receiver, a Go receiver on
# loopback that counts what it gets), on one server, in one run. Each change writes its audit event (the outbox) as it does anyway; the node's delivery
# worker relays it into 3 deliveries and sends them, after the burst when the node is busy (at most
# SERVITOR_WEBHOOKS_MAX_DEFER late); verification writes nothing and should not move. After each creation run
# with endpoints the script waits until the receiver has every event of it, and reports how long that took
# and the server's CPU per creation with that sending included.
#   SERVITOR_JAR=server/target/servitor-0.1.0-SNAPSHOT.jar bench/webhook-load.sh
# Settings: DURATION=20s, CONNECTIONS=8, THREADS=2, ROUNDS=2 (alternated none/three),
#   MAX_DEFER=seconds (the server's SERVITOR_WEBHOOKS_MAX_DEFER; 0 sends while the burst goes on),
#   STORE=sqlite|postgres (postgres: a throwaway PostgreSQL 15 cluster from PG_BIN, default
#   /usr/lib/postgresql/15/bin, run as user nobody on a free loopback port, removed on exit).
# Needs java, curl, wrk, python3, go.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
DURATION="${DURATION:-20s}"
CONNECTIONS="${CONNECTIONS:-8}"
THREADS="${THREADS:-2}"
: "${SERVITOR_JAR:?set SERVITOR_JAR to the server jar}"
# shellcheck source=../integrations/lib.sh
source "$ROOT/integrations/lib.sh"

STORE="${STORE:-sqlite}"
command -v go >/dev/null || { echo "webhook-load: needs go (the receiver in bench/receiver counts what it gets)" >&2; exit 2; }
PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
PG_DIR="" RECEIVER_PID="" BUILD_DIR=""
cleanup() {
  [ -n "$RECEIVER_PID" ] && kill "$RECEIVER_PID" 2>/dev/null || true
  servitor_stop
  if [ -n "$PG_DIR" ]; then
    runuser -u nobody -- "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$PG_DIR"
  fi
  [ -n "$BUILD_DIR" ] && rm -rf "$BUILD_DIR"
  return 0
}
trap cleanup EXIT

DB_ENV=()
if [ "$STORE" = postgres ]; then
  PG_DIR="$(mktemp -d -t webhook-load-pg-XXXXXX)"
  chown nobody "$PG_DIR"
  PG_PORT="$(free_port)"
  runuser -u nobody -- "$PG_BIN/initdb" -D "$PG_DIR/data" -U servitor -A trust -E UTF8 >"$PG_DIR/initdb.log" 2>&1 \
    || { cat "$PG_DIR/initdb.log" >&2; exit 1; }
  runuser -u nobody -- "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/postgres.log" -w -t 60 \
    -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c max_connections=50" start >/dev/null \
    || { cat "$PG_DIR/postgres.log" >&2; exit 1; }
  DB_ENV=("SERVITOR_DB_URL=jdbc:postgresql://127.0.0.1:$PG_PORT/postgres?user=servitor")
elif [ "$STORE" != sqlite ]; then
  echo "webhook-load: STORE must be sqlite or postgres" >&2; exit 2
fi

[ -n "${MAX_DEFER:-}" ] && DB_ENV+=("SERVITOR_WEBHOOKS_MAX_DEFER=$MAX_DEFER")
servitor_start SERVITOR_WEBHOOKS_ALLOW_HTTP=true SERVITOR_LOG_LEVEL=warn "${DB_ENV[@]}"
RECEIVER_PORT="$(free_port)"
BUILD_DIR="$(mktemp -d)"
(cd "$HERE/receiver" && go build -o "$BUILD_DIR/receiver" .)
"$BUILD_DIR/receiver" "$RECEIVER_PORT" &
RECEIVER_PID=$!
trap cleanup EXIT # servitor_start set its own
echo "== store $STORE"

api PATCH /v1/org '{"quotas":{"max_service_accounts":1000000}}' >/dev/null # the runs create up to ~150,000 accounts
api POST /v1/service-accounts '{"name":"bench-target"}' >/dev/null
KEY="$(api POST /v1/service-accounts/bench-target/keys '{"name":"k"}' | sed -n 's/.*"key":"\([^"]*\)".*/\1/p')"
export SERVITOR_BENCH_GATEWAY="$SERVITOR_TOKEN" SERVITOR_BENCH_KEY="$KEY"

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; } # utime + stime, in clock ticks
TICK_US=$(( 1000000 / $(getconf CLK_TCK) ))
rate() { # name lua path -> "req/s server-CPU-µs-per-request receiver-CPU-µs-per-request requests"
  local out s0 r0 s1 r1 n
  s0="$(cpu_ticks "$SERVITOR_PID")"; r0="$(cpu_ticks "$RECEIVER_PID")"
  out="$(RUN="$1" wrk -t "$THREADS" -c "$CONNECTIONS" -d "$DURATION" -s "$HERE/$2" "$SERVITOR_URL$3")"
  s1="$(cpu_ticks "$SERVITOR_PID")"; r1="$(cpu_ticks "$RECEIVER_PID")"
  if grep -q 'Non-2xx' <<<"$out"; then echo "webhook-load: $1 got non-2xx answers: the rate would not be of the work" >&2; echo "$out" >&2; exit 1; fi
  n="$(awk '/requests in/ {print $1}' <<<"$out")"
  echo "$(awk '/^Requests\/sec:/ {print $2}' <<<"$out") $(( (s1 - s0) * TICK_US / n )) $(( (r1 - r0) * TICK_US / n )) $n"
}
received() { curl -fsS "http://127.0.0.1:$RECEIVER_PORT/count"; } # the Go receiver counts what it got

subscribe_three() {
  for i in 1 2 3; do
    api POST /v1/webhooks "{\"url\":\"http://127.0.0.1:$RECEIVER_PORT/hook-$i\",\"events\":[\"*\"]}" >/dev/null
  done
}
unsubscribe_all() {
  for id in $(api GET /v1/webhooks | python3 -c 'import json,sys; print(" ".join(w["id"] for w in json.load(sys.stdin)["webhooks"]))'); do
    api DELETE "/v1/webhooks/$id" >/dev/null
  done
}
await_received() { # count -> seconds until the receiver had that many deliveries (fails after 600 s)
  local start; start=$(date +%s)
  while [ "$(received)" -lt "$1" ]; do
    if [ $(( $(date +%s) - start )) -ge 600 ]; then echo "webhook-load: $(received) of $1 deliveries after 600 s" >&2; exit 1; fi
    sleep 1
  done
  echo $(( $(date +%s) - start ))
}

echo "== warm-up (the delivery path included, so that no measured run pays for its compilation)"
RUN=warm wrk -t "$THREADS" -c "$CONNECTIONS" -d 10s -s "$HERE/create-sa.lua" "$SERVITOR_URL/v1/service-accounts" >/dev/null
wrk -t "$THREADS" -c "$CONNECTIONS" -d 10s -s "$HERE/verify.lua" "$SERVITOR_URL/v1/verify" >/dev/null
subscribe_three
out="$(RUN=warm3 wrk -t "$THREADS" -c "$CONNECTIONS" -d 10s -s "$HERE/create-sa.lua" "$SERVITOR_URL/v1/service-accounts")"
expected=$(( 3 * $(awk '/requests in/ {print $1}' <<<"$out") ))
await_received "$expected" >/dev/null
unsubscribe_all

echo "== load average: $(cut -d' ' -f1-3 /proc/loadavg)"
# Alternated, ROUNDS times, so that warming up does not favour whichever variant runs last. The three-endpoint
# verify run comes after the creation run's events were all received: it measures verification with endpoints
# subscribed, not the machine's CPUs shared with the sending of a backlog (whose cost is reported apart).
ROUNDS="${ROUNDS:-2}"
create0=(); verify0=(); create3=(); verify3=(); cpu0=(); cpu3=(); rcpu3=(); vcpu0=(); vcpu3=(); drains=(); total3=()
for round in $(seq 1 "$ROUNDS"); do
  read -r r c _ <<<"$(rate "none$round" create-sa.lua /v1/service-accounts)"; create0+=("$r"); cpu0+=("$c")
  read -r r c _ <<<"$(rate "none$round" verify.lua /v1/verify)"; verify0+=("$r"); vcpu0+=("$c")
  subscribe_three
  read -r r c3 rc n <<<"$(rate "three$round" create-sa.lua /v1/service-accounts)"; create3+=("$r"); cpu3+=("$c3"); rcpu3+=("$rc")
  expected=$((expected + 3 * n))
  d0="$(cpu_ticks "$SERVITOR_PID")"; r0="$(cpu_ticks "$RECEIVER_PID")"
  drains+=("$(await_received "$expected")")
  total3+=("$(( c3 + ($(cpu_ticks "$SERVITOR_PID") - d0) * TICK_US / n ))") # the creation run's CPU and the sending after it
  rcpu3[-1]=$(( rcpu3[-1] + ($(cpu_ticks "$RECEIVER_PID") - r0) * TICK_US / n ))
  read -r r c _ <<<"$(rate "three$round" verify.lua /v1/verify)"; verify3+=("$r"); vcpu3+=("$c")
  unsubscribe_all
  echo "round $round: creation ${create0[-1]} -> ${create3[-1]}/s (server CPU ${cpu0[-1]} -> ${cpu3[-1]} µs each, ${total3[-1]} µs with" \
    "the sending; receiver ${rcpu3[-1]} µs), every event received ${drains[-1]} s after the run;" \
    "verify ${verify0[-1]} -> ${verify3[-1]}/s (${vcpu0[-1]} -> ${vcpu3[-1]} µs); load $(cut -d' ' -f1 /proc/loadavg)"
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
create0="$(median "${create0[@]}")"; verify0="$(median "${verify0[@]}")"
create3="$(median "${create3[@]}")"; verify3="$(median "${verify3[@]}")"
echo
echo "(medians of $ROUNDS alternated rounds)"
printf '%-28s %12s %12s %8s\n' "" "no webhooks" "3 webhooks" ratio
printf '%-28s %12s %12s %8s\n' "service-account creation/s" "$create0" "$create3" "$(awk -v a="$create0" -v b="$create3" 'BEGIN {printf "%.2f", b / a}')"
printf '%-28s %12s %12s %8s\n' "/v1/verify/s" "$verify0" "$verify3" "$(awk -v a="$verify0" -v b="$verify3" 'BEGIN {printf "%.2f", b / a}')"
printf '%-28s %12s %12s\n' "server CPU µs per creation" "$(median "${cpu0[@]}")" "$(median "${cpu3[@]}")"
printf '%-28s %12s %12s\n' "server CPU µs per verify" "$(median "${vcpu0[@]}")" "$(median "${vcpu3[@]}")"
printf '%-28s %12s %12s\n' "receiver CPU µs per creation" "" "$(median "${rcpu3[@]}")"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-28s %12s %12s\n' "… with its deliveries' CPU" "" "$(median "${total3[@]}")"
echo "every event of a round received, seconds after its creation run: ${drains[*]}"
