#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Start-to-ready of the container image with and without its class-data archive (SERVITOR_CDS=0), interleaved
# round by round so that the machine's drift hits both alike: each round and variant runs a container on a new
# named volume (first start: schema, organization, admin, signing key) and then a new container on that same
# volume (restart), each timed from `podman run` to the first 200 from GET /readyz, polled every 20 ms.
# Builds the image from the jar first, on the Debian base of deploy/image-lib.sh (root, podman, mmdebstrap).
# Prints each variant's times sorted and their medians. docs/container.md, docs/benchmarks.md.
#   SERVITOR_JAR=server/target/servitor-0.1.0-SNAPSHOT.jar bench/image-startup.sh [ROUNDS, default 5]
set -euo pipefail
cd "$(dirname "$0")/.."
source integrations/lib.sh   # free_port
source deploy/image-lib.sh
: "${SERVITOR_JAR:=$(ls server/target/servitor-[0-9]*.jar | head -n 1)}"
rounds="${1:-5}"
image_store
image_base
image="localhost/servitor:bench-$$" container="bench-$$" work="$(mktemp -d)" port="$(free_port)"
cleanup() {
  pm rm -f -v -t 0 "$container" >/dev/null 2>&1
  pm volume rm -f "bench-$$-cds" "bench-$$-nocds" >/dev/null 2>&1
  pm rmi -f "$image" >/dev/null 2>&1; pm image prune -f >/dev/null 2>&1; rm -rf "$work"
}
trap cleanup EXIT
image_build "$image" "$SERVITOR_JAR" "$work"
admin="$(java -jar "$SERVITOR_JAR" admin-token)"

# start VOLUME CDS -> prints milliseconds from `podman run` to /readyz 200; leaves the container running.
start() {
  local t0; t0=$(date +%s%N)
  pm run -d --name "$container" --runtime runc "${ulimits[@]}" -p "127.0.0.1:$port:8080" -v "$1:/var/lib/servitor" \
    -e SERVITOR_ADMIN_TOKEN="$admin" -e SERVITOR_CDS="$2" -e SERVITOR_LOG_LEVEL=warn "$image" >/dev/null 2>&1
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/readyz" || true)" = 200 ]; do
    [ "$(pm inspect --format '{{.State.Running}}' "$container")" = true ] || { pm logs "$container" >&2; exit 1; }
    sleep 0.02
  done
  echo $(( ($(date +%s%N) - t0) / 1000000 ))
}
stop() { pm rm -f -v -t 10 "$container" >/dev/null 2>&1; }

declare -A times
for _ in $(seq 1 "$rounds"); do
  for variant in cds nocds; do
    cds=1; [ "$variant" = nocds ] && cds=0
    volume="bench-$$-$variant"
    pm volume rm -f "$volume" >/dev/null 2>&1 || true
    times[$variant-first]+=" $(start "$volume" "$cds")"; stop
    times[$variant-restart]+=" $(start "$volume" "$cds")"; stop
  done
done
for key in cds-first nocds-first cds-restart nocds-restart; do
  sorted="$(tr ' ' '\n' <<<"${times[$key]}" | grep . | sort -n)"
  echo "$key: $(tr '\n' ' ' <<<"$sorted")ms, median $(awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}' <<<"$sorted") ms"
done
