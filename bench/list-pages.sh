#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# List-page latency at scale: GET /v1/service-accounts first page against a deep keyset page
# (page_token of AFTER) and the role- and disabled-filtered lists, each with wrk at one
# connection on a running server (e.g. on the store GenerateData filled; docs/benchmarks.md, "Scale").
#   BASE=http://127.0.0.1:18210  SERVITOR_BENCH_GATEWAY (required: an org admin's key)
#   AFTER=gen-0049999 (with page_size 50: the start of page 1,001)  DURATION=10s  PAGE_SIZE=50
set -euo pipefail
: "${SERVITOR_BENCH_GATEWAY:?set SERVITOR_BENCH_GATEWAY}"
BASE="${BASE:-http://127.0.0.1:18210}" AFTER="${AFTER:-gen-0049999}" DURATION="${DURATION:-10s}" PAGE_SIZE="${PAGE_SIZE:-50}"
token="$(printf '%s' "$AFTER" | base64 -w0 | tr '+/' '-_' | tr -d '=')"
echo "| list | req/s | p50 | p99 | rows |"
echo "|---|---|---|---|---|"
for q in "" "&page_token=$token" "&role=viewer" "&role=viewer&page_token=$token" "&disabled=true" "&disabled=false&page_token=$token"; do
  url="$BASE/v1/service-accounts?page_size=$PAGE_SIZE$q"
  rows="$(curl -sf -H "Authorization: Bearer $SERVITOR_BENCH_GATEWAY" "$url" | { grep -o "\"id\":\"sa_" || true; } | wc -l)"
  out="$(wrk -t1 -c1 -d"$DURATION" --latency -H "Authorization: Bearer $SERVITOR_BENCH_GATEWAY" "$url")"
  grep -q 'Non-2xx' <<<"$out" && { echo "list-pages: non-2xx answers for $url" >&2; exit 1; }
  echo "| \`?page_size=$PAGE_SIZE${q//$token/<$AFTER>}\` | $(awk '/Requests\/sec/ {print $2}' <<<"$out") | $(awk '$1 == "50%" {print $2}' <<<"$out") | $(awk '$1 == "99%" {print $2}' <<<"$out") | $rows |"
done
