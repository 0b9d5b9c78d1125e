#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# What lifecycle events cost (issue 17's benchmark): service-account creation and POST /v1/verify rates with
# no webhook endpoint, then with 3 endpoints subscribed to every event (an echo receiver on loopback), on one
# server, in one run. Each change then writes one event and 3 deliveries in its own transaction, and the
# node's delivery worker sends them; verification writes nothing and should not move.
#   SERVITOR_JAR=server/target/servitor-0.1.0-SNAPSHOT.jar bench/webhook-load.sh
# Settings: DURATION=20s, CONNECTIONS=8, THREADS=2, ROUNDS=2 (alternated none/three). Needs java, curl, wrk, python3.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
DURATION="${DURATION:-20s}"
CONNECTIONS="${CONNECTIONS:-8}"
THREADS="${THREADS:-2}"
: "${SERVITOR_JAR:?set SERVITOR_JAR to the server jar}"
# shellcheck source=../integrations/lib.sh
source "$ROOT/integrations/lib.sh"

servitor_start SERVITOR_WEBHOOKS_ALLOW_HTTP=true SERVITOR_LOG_LEVEL=warn
RECEIVER_PORT="$(free_port)"
python3 "$ROOT/deploy/testing/echo-upstream.py" "$RECEIVER_PORT" /dev/null &
RECEIVER_PID=$!
trap 'kill $RECEIVER_PID 2>/dev/null || true; servitor_stop' EXIT

api PATCH /v1/org '{"quotas":{"max_service_accounts":1000000}}' >/dev/null # the runs create up to ~150,000 accounts
api POST /v1/service-accounts '{"name":"bench-target"}' >/dev/null
KEY="$(api POST /v1/service-accounts/bench-target/keys '{"name":"k"}' | sed -n 's/.*"key":"\([^"]*\)".*/\1/p')"
export SERVITOR_BENCH_GATEWAY="$SERVITOR_TOKEN" SERVITOR_BENCH_KEY="$KEY"

rate() { # name lua path -> req/s
  local out
  out="$(RUN="$1" wrk -t "$THREADS" -c "$CONNECTIONS" -d "$DURATION" -s "$HERE/$2" "$SERVITOR_URL$3")"
  if grep -q 'Non-2xx' <<<"$out"; then echo "webhook-load: $1 got non-2xx answers: the rate would not be of the work" >&2; echo "$out" >&2; exit 1; fi
  awk '/^Requests\/sec:/ {print $2}' <<<"$out"
}

echo "== warm-up"
RUN=warm wrk -t "$THREADS" -c "$CONNECTIONS" -d 10s -s "$HERE/create-sa.lua" "$SERVITOR_URL/v1/service-accounts" >/dev/null
wrk -t "$THREADS" -c "$CONNECTIONS" -d 10s -s "$HERE/verify.lua" "$SERVITOR_URL/v1/verify" >/dev/null

echo "== load average: $(cut -d' ' -f1-3 /proc/loadavg)"
# Alternated, ROUNDS times, so that warming up does not favour whichever variant runs last.
ROUNDS="${ROUNDS:-2}"
create0=(); verify0=(); create3=(); verify3=()
for round in $(seq 1 "$ROUNDS"); do
  for id in $(api GET /v1/webhooks | python3 -c 'import json,sys; print(" ".join(w["id"] for w in json.load(sys.stdin)["webhooks"]))'); do
    api DELETE "/v1/webhooks/$id" >/dev/null
  done
  create0+=("$(rate "none$round" create-sa.lua /v1/service-accounts)")
  verify0+=("$(rate "none$round" verify.lua /v1/verify)")
  for i in 1 2 3; do
    api POST /v1/webhooks "{\"url\":\"http://127.0.0.1:$RECEIVER_PORT/hook-$i\",\"events\":[\"*\"]}" >/dev/null
  done
  create3+=("$(rate "three$round" create-sa.lua /v1/service-accounts)")
  verify3+=("$(rate "three$round" verify.lua /v1/verify)")
  echo "round $round: creation ${create0[-1]} -> ${create3[-1]}/s, verify ${verify0[-1]} -> ${verify3[-1]}/s"
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
create0="$(median "${create0[@]}")"; verify0="$(median "${verify0[@]}")"
create3="$(median "${create3[@]}")"; verify3="$(median "${verify3[@]}")"
pending_count() { # deliveries not yet delivered, over every endpoint (newest 1000 each)
  local total=0 id n
  for id in $(api GET /v1/webhooks | python3 -c 'import json,sys; print(" ".join(w["id"] for w in json.load(sys.stdin)["webhooks"]))'); do
    n="$(api GET "/v1/webhooks/$id/deliveries?page_size=1000" | python3 -c 'import json,sys; print(sum(1 for d in json.load(sys.stdin)["deliveries"] if d["status"] != "delivered"))')"
    total=$((total + n))
  done
  echo "$total"
}
pending_at_end="$(pending_count)"
drain_start=$(date +%s)
pending="$pending_at_end"
while [ "$pending" -gt 0 ] && [ $(( $(date +%s) - drain_start )) -lt 300 ]; do sleep 2; pending="$(pending_count)"; done
drained_in=$(( $(date +%s) - drain_start ))
echo
echo "(medians of $ROUNDS alternated rounds)"
printf '%-28s %12s %12s %8s\n' "" "no webhooks" "3 webhooks" ratio
printf '%-28s %12s %12s %8s\n' "service-account creation/s" "$create0" "$create3" "$(awk -v a="$create0" -v b="$create3" 'BEGIN {printf "%.2f", b / a}')"
printf '%-28s %12s %12s %8s\n' "/v1/verify/s" "$verify0" "$verify3" "$(awk -v a="$verify0" -v b="$verify3" 'BEGIN {printf "%.2f", b / a}')"
echo "deliveries pending when the runs ended (newest 1000 per endpoint): $pending_at_end; drained in ${drained_in} s (${pending} left)"
