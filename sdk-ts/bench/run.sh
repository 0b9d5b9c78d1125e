#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Starts a Servitor from $SERVITOR_JAR and runs bench/verify-bench.mjs against it (after a build).
#   SERVITOR_JAR=server/target/servitor-0.1.0-SNAPSHOT.jar bash sdk-ts/bench/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source ../integrations/lib.sh
[ -d node_modules ] || npm ci --prefer-offline --no-audit --no-fund --loglevel=error
npm run --silent build
servitor_start
node bench/verify-bench.mjs
