# lib.sh - the CLI test framework and fixtures (sourced by run.sh).

# BIN: where the tools run from; `make valgrind` puts wrappers there.
BIN=${BIN:-$BUILD}
TFLEDGER=$BIN/tfledger
TFAUDIT=$BIN/tfaudit
TAMPER=$BIN/tests/tool_tamper
FORGE=$BIN/tests/tool_forge
export TFLEDGER_PASSPHRASE="correct horse battery staple"
unset TFLEDGER_CONFIG
passed=0
failed=0
failures=""

# Run a command, keeping its exit code in $rc and its output in out/err.
run() {
	"$@" >out 2>err
	rc=$?
}

# Mark the current test failed with a reason.
bad() {
	test_ok=0
	echo "  FAIL $test_name: $*" >&2
	if [ -s err ]; then sed 's/^/    stderr: /' err | head -5 >&2; fi
}

# expect CODE CMD...: run CMD and require exit code CODE.
expect() {
	want=$1
	shift
	run "$@"
	[ "$rc" -eq "$want" ] || bad "exit $rc, wanted $want: $*"
}

# Require a pattern (grep -E) in stdout or stderr of the last run.
out_has() { grep -Eq -- "$1" out || bad "stdout lacks /$1/"; }
err_has() { grep -Eq -- "$1" err || bad "stderr lacks /$1/"; }
out_lacks() { ! grep -Eq -- "$1" out || bad "stdout has /$1/"; }
err_lacks() { ! grep -Eq -- "$1" err || bad "stderr has /$1/"; }

# The last line of stdout.
last_line() { tail -n 1 out; }

# Require two values to be equal.
same() { [ "$1" = "$2" ] || bad "${3:-values differ}: '$1' != '$2'"; }

# Keys and a ledger with an admin, a recorder and an approver.
L=led
T() { "$TFLEDGER" -L "$L" "$@"; }
A() { "$TFAUDIT" -L "$L" "$@"; }

make_keys() {
	for k in admin recorder approver; do
		"$TFLEDGER" key generate --name "$k.unvtf" --out "$k.key" \
		    >"$k.out" 2>&1 || bad "key generate $k"
		tail -n 1 "$k.out" >"$k.vk"
	done
}

make_ledger() {
	make_keys
	T init --origin unodc.org/unvtf/test --fund-name "Test Fund" \
	    --currency USD -k admin.key >/dev/null 2>err || bad "init"
	T key enroll --verifier "$(cat recorder.vk)" --role recorder \
	    -k admin.key >/dev/null 2>err || bad "enroll recorder"
	T key enroll --verifier "$(cat approver.vk)" --role approver \
	    -k admin.key >/dev/null 2>err || bad "enroll approver"
}

# The ledger's size, from the log.
ledger_size() { T log | wc -l | tr -d ' '; }

# rec_seq CMD...: T CMD with the recorder key; prints the new seq, the
# last line of its stdout (all of which is left in rec.out).
rec_seq() {
	T "$@" -k recorder.key >rec.out 2>err || bad "$*"
	tail -n 1 rec.out
}

# rec_approved CMD...: rec_seq CMD, then approve the new entry with the
# approver key.
rec_approved() {
	rec_s=$(rec_seq "$@")
	T approve "$rec_s" -k approver.key >/dev/null 2>err ||
	    bad "approve $rec_s"
}

run_all() {
	# TEST_FILES: run-long.sh's tests instead of these.  TEST_SHARD=I/N:
	# only every Nth test from the Ith (0-based), for parallel runs.
	tests=$(grep -ho '^t_[a-z0-9_]*()' \
	    ${TEST_FILES:-"$ROOT"/tests/cli/test_*.sh} | tr -d '()')
	top=$(mktemp -d /tmp/tflcli.XXXXXX)
	shard=${TEST_SHARD:-0/1}
	shard_i=${shard%/*}
	shard_n=${shard#*/}
	index=-1
	for t in $tests; do
		index=$((index + 1))
		[ $((index % shard_n)) -eq "$shard_i" ] || continue
		case $t in *"$1"*) ;; *) continue ;; esac
		test_name=$t
		test_ok=1
		mkdir "$top/$t"
		(cd "$top/$t" && "$t") 2>"$top/$t.log"
		code=$?
		if grep -q "FAIL" "$top/$t.log" || [ $code -ne 0 ]; then
			failed=$((failed + 1))
			failures="$failures $t"
			echo "FAIL $t"
			cat "$top/$t.log"
		else
			passed=$((passed + 1))
		fi
	done
	rm -rf "$top"
	[ -z "$failures" ] || echo "failed:$failures"
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
}
