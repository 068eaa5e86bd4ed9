#!/usr/bin/env bash
# The whole test run: installs what is missing, then builds every module and runs all tests
# (unit tests, the real git daemon, runc containers under installed profiles, the mock API server).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
mvn -B -ntp verify "$@"
