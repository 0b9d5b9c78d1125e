# SPDX-License-Identifier: Apache-2.0
# Sourced by the integration suites: start a real Servitor from $SERVITOR_JAR on a free loopback port with a
# fresh SQLite store, and stop it when the suite's shell exits.
#   source integrations/lib.sh; servitor_start
#   -> SERVITOR_URL (http://127.0.0.1:<port>) and SERVITOR_TOKEN (the bootstrap admin's key) exported.
# Extra environment for the server can be passed as arguments: servitor_start SERVITOR_KEY_PREFIX=acme
# SERVITOR_JAVA_OPTS adds options to the server's java command (e.g. a flight recording while benchmarking).

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

servitor_start() {
  : "${SERVITOR_JAR:?set SERVITOR_JAR to the server jar}"
  SERVITOR_WORK="$(mktemp -d)"
  local port; port="$(free_port)"
  SERVITOR_TOKEN="$(java -jar "$SERVITOR_JAR" admin-token)"
  env SERVITOR_PORT="$port" SERVITOR_HOST=127.0.0.1 SERVITOR_DATA_DIR="$SERVITOR_WORK/data" \
      SERVITOR_ADMIN_TOKEN="$SERVITOR_TOKEN" "$@" \
      java -Xmx256m ${SERVITOR_JAVA_OPTS:-} -jar "$SERVITOR_JAR" serve >"$SERVITOR_WORK/server.log" 2>&1 &
  SERVITOR_PID=$!
  trap servitor_stop EXIT
  export SERVITOR_URL="http://127.0.0.1:$port" SERVITOR_TOKEN SERVITOR_PID
  local i
  for i in $(seq 1 300); do
    if curl -fsS --max-time 2 "$SERVITOR_URL/readyz" >/dev/null 2>&1; then return 0; fi
    if ! kill -0 "$SERVITOR_PID" 2>/dev/null; then break; fi
    sleep 0.1
  done
  echo "servitor did not become ready; its log:" >&2; cat "$SERVITOR_WORK/server.log" >&2; return 1
}

servitor_stop() {
  local status=$?
  if [ -n "${SERVITOR_PID:-}" ] && [ "$status" -ne 0 ] && kill -0 "$SERVITOR_PID" 2>/dev/null; then
    # a failed suite: what every server thread was doing, so a stall can be told from a test's mistake
    echo "servitor_stop: the suite failed ($status); the server's threads and its log:" >&2
    jstack "$SERVITOR_PID" >&2 2>/dev/null || true
    tail -n 50 "$SERVITOR_WORK/server.log" >&2 || true
  fi
  if [ -n "${SERVITOR_PID:-}" ]; then kill "$SERVITOR_PID" 2>/dev/null || true; wait "$SERVITOR_PID" 2>/dev/null || true; fi
  [ -n "${SERVITOR_WORK:-}" ] && rm -rf "$SERVITOR_WORK"
  SERVITOR_PID=""
}

# An admin API call: api METHOD PATH [JSON] -> the answer's body on stdout; fails on a non-2xx status, or
# after SERVITOR_API_TIMEOUT seconds (default 30) without an answer: a call the server never answers fails
# the suite (and servitor_stop then dumps the server's threads) instead of stalling it.
api() {
  curl -fsS --max-time "${SERVITOR_API_TIMEOUT:-30}" -X "$1" "$SERVITOR_URL$2" -H "Authorization: Bearer $SERVITOR_TOKEN" \
       -H 'Content-Type: application/json' ${3:+-d "$3"}
}
