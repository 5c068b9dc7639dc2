#!/bin/sh
# run-long.sh - the long reliability tests (`make check-long`): processes
# killed, power cuts, officers at work together, backups under load, full
# disks and maps, each many times over.  The framework of run.sh, on the
# t_* of tests/cli/long/test_*.sh; prints each test's figures and the
# time taken.  Under 10 minutes on two cores.
#
#	BUILD=build sh tests/cli/run-long.sh [PATTERN]
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
. "$ROOT/tests/cli/lib.sh"
TEST_FILES="$ROOT/tests/cli/long/test_*.sh"
for f in $TEST_FILES; do
	. "$f"
done
RL_STATS=$(mktemp /tmp/tflstats.XXXXXX)
export RL_STATS
start=$(date +%s)
run_all "${1:-}"
rc=$?
echo "figures:"
cat "$RL_STATS"
rm -f "$RL_STATS"
echo "check-long: $(($(date +%s) - start)) s"
exit $rc
