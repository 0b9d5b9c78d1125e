#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Runs every suite that is not Java, each against the built server jar ($SERVITOR_JAR), and fails if any fails.
# A suite is an executable `test.sh` in an `sdk-<language>/` directory or a `deploy/*-test.sh` script; each
# starts the servers it needs and stops them. `mvn verify` runs this (module `integrations`); run one suite
# alone with e.g. `SERVITOR_JAR=server/target/servitor-0.1.0-SNAPSHOT.jar bash sdk-go/test.sh`.
# INTEGRATIONS_ONLY=sdk-go,deploy/gateway-test.sh picks suites by path prefix.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${SERVITOR_JAR:?set SERVITOR_JAR to the server jar (mvn -pl server -am package)}"
export SERVITOR_JAR="$(cd "$(dirname "$SERVITOR_JAR")" && pwd)/$(basename "$SERVITOR_JAR")"
[ -f "$SERVITOR_JAR" ] || { echo "integrations: no jar at $SERVITOR_JAR" >&2; exit 1; }

suites=()
for s in sdk-*/test.sh deploy/*-test.sh; do
  [ -f "$s" ] || continue
  if [ -n "${INTEGRATIONS_ONLY:-}" ]; then
    keep=0; IFS=, read -ra picks <<< "$INTEGRATIONS_ONLY"
    for p in "${picks[@]}"; do [[ "$s" == "$p"* ]] && keep=1; done
    [ $keep = 1 ] || continue
  fi
  suites+=("$s")
done

failed=()
for s in "${suites[@]}"; do
  echo "=== integrations: $s"
  start=$(date +%s)
  if bash "$s"; then echo "=== integrations: $s passed in $(( $(date +%s) - start )) s"
  else echo "=== integrations: $s FAILED"; failed+=("$s"); fi
done
echo "=== integrations: ${#suites[@]} suites, ${#failed[@]} failed ${failed[*]:-}"
[ ${#failed[@]} -eq 0 ]
