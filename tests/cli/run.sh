#!/bin/sh
# run.sh - tests of tfledger and tfaudit as processes: exit codes, stdout,
# stderr and the ledger left behind.  Every function t_* in test_*.sh is a
# test, run in a fresh directory.  Ends with "N passed, N failed".
#
#	BUILD=build sh tests/cli/run.sh [PATTERN]
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
. "$ROOT/tests/cli/lib.sh"
for f in "$ROOT"/tests/cli/test_*.sh; do
	. "$f"
done
run_all "${1:-}"
