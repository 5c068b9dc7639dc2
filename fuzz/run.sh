#!/bin/sh
# run.sh - run each libFuzzer target for a bounded time (make fuzz).
#
#	sh fuzz/run.sh FUZZ_BUILD SECONDS [EXTRA LIBFUZZER FLAGS]
#
# Each target FUZZ_BUILD/fuzz_X runs on FUZZ_BUILD/corpus/fuzz_X (new
# inputs go there, so the checked-in seeds in fuzz/corpus/fuzz_X stay as
# they are) with fuzz/fuzz_X.dict when there is one.  A crash, leak,
# timeout or sanitizer report stops the run: the input that did it is
# FUZZ_BUILD/crashes/fuzz_X-*, and the log is FUZZ_BUILD/fuzz_X.log.
# Replay one with `FUZZ_BUILD/fuzz_X FILE`; fix the library, then add
# the case to the module's tests/check_*.c.  fuzz/make-seeds.sh rebuilds
# the seeds from `make demo` and the shared vectors.
set -u
build=$1
seconds=$2
shift 2
mkdir -p "$build/crashes"
rc=0
for bin in "$build"/fuzz_*; do
	case $bin in *.o | *.d | *.log) continue ;; esac
	[ -x "$bin" ] || continue
	t=$(basename "$bin")
	mkdir -p "$build/corpus/$t"
	dict=""
	[ -f "fuzz/$t.dict" ] && dict="-dict=fuzz/$t.dict"
	# shellcheck disable=SC2086
	"$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
	    -max_len=16384 -print_final_stats=1 \
	    -artifact_prefix="$build/crashes/$t-" $dict "$@" \
	    "$build/corpus/$t" "fuzz/corpus/$t" >"$build/$t.log" 2>&1
	code=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' \
	    "$build/$t.log")
	cov=$(grep -o 'cov: [0-9]*' "$build/$t.log" | tail -n 1)
	if [ $code -ne 0 ]; then
		echo "fuzz: $t FAILED (exit $code), see $build/$t.log"
		grep -E '^(==[0-9]+==ERROR|SUMMARY|.*runtime error)' \
		    "$build/$t.log" | head -5
		ls "$build/crashes/$t-"* 2>/dev/null | head -3
		rc=1
	else
		echo "fuzz: $t ok, ${execs:-?} runs in ${seconds}s, $cov"
	fi
done
exit $rc
