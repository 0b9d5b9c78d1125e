#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The container image, built and run as a person would, on a machine that reaches no container registry:
#  1. a runtime base from Debian's packages (mmdebstrap, then podman import), kept in a store of this test's own
#     and reused while the package set below is the same;
#  2. deploy/Containerfile built on it with $SERVITOR_JAR (the class-data archive written by the training run);
#  3. a container on a named volume and a free loopback port: /readyz, non-root, the archive mapped, the
#     HEALTHCHECK, a key and an access token minted through the API and verified;
#  4. that container removed and a new one, with a read-only root, started on the same volume: the same key and
#     token still verify and the store was not bootstrapped again.
# Run by integrations/run.sh (mvn verify), or alone:
#   SERVITOR_JAR=server/target/servitor-0.1.0-SNAPSHOT.jar bash deploy/image-test.sh
# Needs root, podman, runc and mmdebstrap (.ci/run installs them); the store and its settings: deploy/image-lib.sh.
# Containers, the volume and the test image are removed at the end; the base image (about 290 MB) stays.
set -euo pipefail
cd "$(dirname "$0")/.."
source integrations/lib.sh
: "${SERVITOR_JAR:?set SERVITOR_JAR to the server jar (mvn -pl server -am package)}"

fail() { echo "image-test: FAIL: $*" >&2; exit 1; }
step() { echo "image-test: $* ($(( $(date +%s) - test_started )) s)"; }
test_started=$(date +%s)

for c in java curl python3; do command -v "$c" >/dev/null || fail "$c is missing"; done
source deploy/image-lib.sh
image_store || fail "no podman store"
step "podman $(podman --version | awk '{print $3}'), storage driver $image_driver"
image_base || fail "no base image"
step "base $image_base_ref"

run_id="servitor-image-test-$$"
image="localhost/servitor:$run_id"
volume="$run_id-data"
work="$(mktemp -d)"
containers=()
cleanup() {
  local c
  for c in "${containers[@]}"; do pm rm -f -v -t 0 "$c" >/dev/null 2>&1 || true; done
  pm volume rm -f "$volume" >/dev/null 2>&1 || true
  pm rmi -f "$image" >/dev/null 2>&1 || true
  pm image prune -f >/dev/null 2>&1 || true   # the training stage and other intermediate images
  rm -rf "$work"
}
trap cleanup EXIT
# What a run that was killed before its cleanup left in this store (its own names only).
for c in $(pm ps -a --filter name='^servitor-image-test-' --format '{{.Names}}'); do pm rm -f -v -t 0 "$c" >/dev/null 2>&1 || true; done
for v in $(pm volume ls --filter name='^servitor-image-test-' --format '{{.Name}}'); do pm volume rm -f "$v" >/dev/null 2>&1 || true; done
for i in $(pm images --format '{{.Repository}}:{{.Tag}}' | grep '^localhost/servitor:servitor-image-test-' || true); do
  pm rmi -f "$i" >/dev/null 2>&1 || true
done
image_build "$image" "$SERVITOR_JAR" "$work" || fail "the image did not build"
step "built $image"

config="$(pm image inspect --format '{{.Config.User}}|{{json .Config.Healthcheck}}|{{json .Config.Volumes}}|{{json .Config.Env}}' "$image")"
[[ "$config" == "10001:10001|"* ]] || fail "the image's USER is not 10001:10001: $config"
[[ "$config" == *'/readyz'* ]] || fail "the image has no HEALTHCHECK on /readyz: $config"
[[ "$config" == *'"/var/lib/servitor":{}'* ]] || fail "the image declares no volume /var/lib/servitor: $config"
[[ "$config" == *'SERVITOR_HOST=0.0.0.0'* ]] || fail "the image does not set SERVITOR_HOST=0.0.0.0: $config"

# 3. A container on a named volume, published on a free loopback port.
port="$(free_port)"
export SERVITOR_URL="http://127.0.0.1:$port"
SERVITOR_TOKEN="$(java -jar "$SERVITOR_JAR" admin-token)"
export SERVITOR_TOKEN

# start_container NAME [ENV=VALUE...] -> the container runs; ready_ms = milliseconds from `podman run` to /readyz 200.
# run_opts: more options for `podman run`.
run_opts=()
start_container() {
  local name="$1"; shift
  local envs=() e
  for e in "$@"; do envs+=(-e "$e"); done
  containers+=("$name")
  local t0; t0=$(date +%s%N)
  pm run -d --name "$name" --runtime runc "${ulimits[@]}" -p "127.0.0.1:$port:8080" -v "$volume:/var/lib/servitor" \
    ${run_opts[@]+"${run_opts[@]}"} -e SERVITOR_PUBLIC_URL="$SERVITOR_URL" ${envs[@]+"${envs[@]}"} "$image" >"$work/$name.run.log" 2>&1 \
    || { cat "$work/$name.run.log" >&2; fail "podman run $name failed"; }
  for _ in $(seq 1 600); do
    if curl -fsS "$SERVITOR_URL/readyz" >/dev/null 2>&1; then
      ready_ms=$(( ($(date +%s%N) - t0) / 1000000 )); return 0
    fi
    [ "$(pm inspect --format '{{.State.Running}}' "$name")" = true ] || break
    sleep 0.1
  done
  pm logs "$name" >&2 || true
  fail "$name did not become ready"
}

# verify CREDENTIAL -> the `code` of /v1/verify's answer
verify() {
  api POST /v1/verify "{\"credential\": \"$1\"}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["code"])'
}
json_field() { python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }

# in_container NAME COMMAND: what the server's process (PID 1: the launcher execs java) is and has mapped.
in_container() { local name="$1"; shift; pm exec "$name" bash -c "$*"; }

check_process() {
  local name="$1"
  local uid; uid="$(in_container "$name" "awk '/^Uid:/ {print \$2}' /proc/1/status")"
  [ "$uid" != 0 ] || fail "$name: the server runs as root"
  # shellcheck disable=SC2016 # expanded inside the container
  in_container "$name" 'awk "{print \$6}" /proc/1/maps | grep -q "^/opt/servitor/servitor-.*\.jsa$"' \
    || fail "$name: the class-data archive from the build is not mapped (cmdline: $(in_container "$name" 'tr "\0" " " </proc/1/cmdline'))"
  echo "image-test: $name: ready $ready_ms ms after podman run, server uid $uid, class-data archive mapped"
}

step "first container"
start_container "$run_id-1" SERVITOR_ADMIN_TOKEN="$SERVITOR_TOKEN"
first_ready_ms=$ready_ms
check_process "$run_id-1"
health="$(pm healthcheck run "$run_id-1" 2>&1)" || fail "the HEALTHCHECK failed on a ready server: $health"

api POST /v1/service-accounts '{"name": "image-test", "description": "deploy/image-test.sh"}' >/dev/null
key="$(api POST /v1/service-accounts/image-test/keys '{"name": "k1"}' | json_field key)"
secret_answer="$(api POST /v1/service-accounts/image-test/secret '{}')"
client_id="$(json_field client_id <<<"$secret_answer")"
client_secret="$(json_field client_secret <<<"$secret_answer")"
access_token="$(curl -fsS -u "$client_id:$client_secret" -d grant_type=client_credentials "$SERVITOR_URL/oauth/token" | json_field access_token)"
[ "$(verify "$key")" = VALID ] || fail "a key minted through the API does not verify"
[ "$(verify "$access_token")" = VALID ] || fail "an access token from /oauth/token does not verify"
other=x; [ "${key: -1}" = x ] && other=y
[ "$(verify "${key%?}$other")" != VALID ] || fail "a key with its last character changed verifies"

# 4. A new container on the same volume, without the admin token: the store, the master key and the signing key
# are the volume's, not the container's. Its root file system is read-only: nothing but the volume (and the
# tmpfs podman puts on /tmp, where the JVM and SQLite's native library go) needs writing.
step "second container on the same volume"
pm stop -t 20 "$run_id-1" >/dev/null 2>&1 || fail "podman stop did not stop the first container"
pm rm "$run_id-1" >/dev/null 2>&1
run_opts=(--read-only)
start_container "$run_id-2"
check_process "$run_id-2"
[ "$(verify "$key")" = VALID ] || fail "after the restart, the key does not verify"
[ "$(verify "$access_token")" = VALID ] || fail "after the restart, the access token does not verify"
if pm logs "$run_id-2" 2>/dev/null | grep -q "Created organization"; then fail "the second container bootstrapped the store again"; fi
pm logs "$run_id-2" 2>/dev/null | grep -q "SQLite store" || fail "the second container's log does not say it serves the SQLite store"

step "passed: first start ready in $first_ready_ms ms (new volume), second in $ready_ms ms"
