#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The Python SDK's benchmark against a real Servitor from $SERVITOR_JAR (not run by CI):
#   SERVITOR_JAR=server/target/servitor-0.1.0-SNAPSHOT.jar bash sdk-python/bench/bench.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source ../integrations/lib.sh
servitor_start
PYTHONDONTWRITEBYTECODE=1 /usr/bin/python3 bench/bench_verify.py
