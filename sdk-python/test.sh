#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The Python SDK's suite against a real Servitor from $SERVITOR_JAR (run by integrations/run.sh):
# Debian's python3 with python3-cryptography, the standard library's unittest, nothing from PyPI.
set -euo pipefail
cd "$(dirname "$0")"
PY=/usr/bin/python3
"$PY" -c 'import cryptography' 2>/dev/null || { echo "sdk-python: needs Debian's python3-cryptography" >&2; exit 1; }
source ../integrations/lib.sh
servitor_start
PYTHONDONTWRITEBYTECODE=1 "$PY" -m unittest discover -s tests -t . "$@"
