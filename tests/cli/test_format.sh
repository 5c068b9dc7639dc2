# Tests of tool_fmtverify, a verifier written from docs/FORMAT.md alone.
# Sourced by run.sh; see lib.sh for make_ledger, T, expect, out_has, ...

# Dump entries 0..N-1 of $L as e0, e1, ... with "show --raw".
fv_dump() {
	i=0
	while [ "$i" -lt "$1" ]; do
		T show "$i" --raw > "e$i" || bad "show $i --raw failed"
		i=$((i + 1))
	done
}

# make_ledger, revoke the approver (entry 3), checkpoint at size 4.
fv_ledger4() {
	make_ledger
	expect 0 T key revoke --name approver.unvtf -k admin.key
	expect 0 T checkpoint -k admin.key --out cp
	fv_dump 4
}

t_format_verifier_accepts_a_real_ledger() {
	fv_ledger4
	expect 0 "$BUILD/tests/tool_fmtverify" cp e0 e1 e2 e3
	out_has '^ok: 4 entries, root [0-9a-f]{64}$'
}

t_format_verifier_accepts_a_prefix_checkpoint() {
	make_ledger
	expect 0 T checkpoint -k admin.key --out cp3
	expect 0 T key revoke --name approver.unvtf -k admin.key
	fv_dump 4
	expect 0 "$BUILD/tests/tool_fmtverify" cp3 e0 e1 e2 e3
	out_has '^ok: 4 entries'
}

t_format_verifier_rejects_a_changed_entry() {
	fv_ledger4
	# A valid value, but not the one that was signed.
	sed 's/^role: approver$/role: recorder/' e2 > e2.bad
	cmp -s e2 e2.bad && bad "sed changed nothing in e2"
	expect 1 "$BUILD/tests/tool_fmtverify" cp e0 e1 e2.bad e3
	err_has '^tool_fmtverify: entry 2: '
	# One byte of entry 1 flipped in place (a letter of its first line).
	cp e1 e1.bad
	printf 'T' | dd of=e1.bad bs=1 seek=0 conv=notrunc 2>/dev/null
	cmp -s e1 e1.bad && bad "dd changed nothing in e1"
	expect 1 "$BUILD/tests/tool_fmtverify" cp e0 e1.bad e2 e3
	err_has '^tool_fmtverify: entry 1: '
}

t_format_verifier_rejects_a_dropped_entry() {
	fv_ledger4
	expect 1 "$BUILD/tests/tool_fmtverify" cp e0 e1 e3
	err_has '^tool_fmtverify: entry 2: '
	# The last entry dropped: the chain holds, the checkpoint does not.
	expect 1 "$BUILD/tests/tool_fmtverify" cp e0 e1 e2
	err_has '^tool_fmtverify: checkpoint: '
}

t_format_verifier_rejects_a_changed_checkpoint_size() {
	fv_ledger4
	sed '2s/^4$/3/' cp > cp.bad
	cmp -s cp cp.bad && bad "sed changed nothing in cp"
	expect 1 "$BUILD/tests/tool_fmtverify" cp.bad e0 e1 e2 e3
	err_has '^tool_fmtverify: checkpoint: '
}

t_format_verifier_usage() {
	expect 2 "$BUILD/tests/tool_fmtverify"
	expect 2 "$BUILD/tests/tool_fmtverify" cp
}
