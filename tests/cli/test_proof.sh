# test_proof.sh - inclusion proofs (prove, verify-proof), consistency
# between checkpoints and the incremental audit (verify --since), on
# grown, rolled-back, forked and tampered ledgers.  The log key of
# make_ledger's ledger is the admin key.

# Flip the first hex digit of the first proof hash of a proof file.
flip_proof_hash() {
	awk '!done && /^    "[0-9a-f]+",?$/ {
		c = substr($0, 6, 1)
		$0 = substr($0, 1, 5) (c == "f" ? "0" : "f") substr($0, 7)
		done = 1
	} { print }' "$1"
}

# A ledger of 3 entries with a checkpoint (cp3), grown to 4 (cp4).
grown_ledger() {
	make_ledger
	T checkpoint -k admin.key >cp3 2>err || bad "checkpoint 3"
	T key revoke --name approver.unvtf -k admin.key >/dev/null 2>err ||
	    bad "revoke"
	T checkpoint -k admin.key >cp4 2>err || bad "checkpoint 4"
}

# grown_ledger, plus a fork: a copy taken at 3 entries that diverged
# to 5 entries, with its own checkpoint (fork.cp).
forked_ledger() {
	make_ledger
	T checkpoint -k admin.key >cp3 2>err || bad "checkpoint 3"
	cp -r "$L" fork
	T key revoke --name approver.unvtf -k admin.key >/dev/null 2>err ||
	    bad "revoke"
	T checkpoint -k admin.key >cp4 2>err || bad "checkpoint 4"
	"$TFLEDGER" key generate --name extra.unvtf --out extra.key \
	    >extra.out 2>err || bad "key generate"
	"$TFLEDGER" -L fork key revoke --name recorder.unvtf -k admin.key \
	    >/dev/null 2>err || bad "fork revoke"
	"$TFLEDGER" -L fork key enroll --verifier "$(tail -n 1 extra.out)" \
	    --role recorder -k admin.key >/dev/null 2>err || bad "fork enroll"
	"$TFLEDGER" -L fork checkpoint -k admin.key >fork.cp 2>err ||
	    bad "fork checkpoint"
}

t_proof_prove_prints_a_proof_that_verify_proof_accepts() {
	make_ledger
	T checkpoint -k admin.key >/dev/null
	expect 0 A prove 1
	out_has '^seq: 1$'
	out_has '^tree-size: 3$'
	out_has '^root: [0-9a-f]{64}$'
	out_has '^proof: [0-9a-f]{64}$'
	# the leaf hash is SHA-256(0x00 || the entry's stored bytes)
	T show 1 --raw >raw
	want=$( (printf '\000'; cat raw) | sha256sum | cut -d' ' -f1)
	same "$(sed -n 's/^leaf-hash: //p' out)" "$want" "leaf hash"
	expect 0 A prove 1 --json
	cp out proof.json
	out_has '"tree_size": 3'
	out_has '"note": "tfledger entry v2\\norigin: unodc.org/unvtf/test'
	out_has '"checkpoint": "unodc.org/unvtf/test\\n3\\n'
	expect 0 "$TFAUDIT" verify-proof proof.json --log-key "$(cat admin.vk)"
	out_has '^ok: seq 1 is in the tree of size 3 signed by admin\.unvtf$'
	expect 0 "$TFAUDIT" verify-proof proof.json --log-key \
	    "$(cat admin.vk)" --json
	out_has '"name": "inclusion"'
	out_lacks '"ok": false'
}

t_proof_prove_uses_the_checkpoint_it_is_given() {
	grown_ledger
	expect 0 A prove 2 --checkpoint cp3
	out_has '^tree-size: 3$'
	expect 0 A prove 3
	out_has '^tree-size: 4$'
	expect 2 A prove 3 --checkpoint cp3
	err_has '^tfaudit: seq 3: not in the tree of checkpoint size 3'
	expect 2 A prove x
	err_has 'must be a seq number'
}

t_proof_prove_without_a_checkpoint_names_the_problem() {
	make_ledger
	expect 2 A prove 0
	err_has 'no checkpoint has been published'
}

t_proof_prove_refuses_a_checkpoint_of_another_history() {
	forked_ledger
	expect 1 "$TFAUDIT" -L fork prove 1 --checkpoint cp4
	err_has 'checkpoint of size 4: root does not match'
	expect 1 A prove 1 --checkpoint fork.cp --json
	err_has 'checkpoint of size 5: the ledger has only 4 entries'
	out_has '"ok": false'
	out_has '"name": "ledger"'
}

t_proof_a_modified_proof_file_fails_verify_proof() {
	make_ledger
	T checkpoint -k admin.key >/dev/null
	A prove 2 --json >proof.json
	vk=$(cat admin.vk)
	flip_proof_hash proof.json >bad-hash.json
	cmp -s proof.json bad-hash.json && bad "proof hash not changed"
	expect 1 "$TFAUDIT" verify-proof bad-hash.json --log-key "$vk"
	err_has '^tfaudit: seq 2: .*root does not match'
	sed 's/role: approver/role: admin/' proof.json >bad-note.json
	cmp -s proof.json bad-note.json && bad "note not changed"
	expect 1 "$TFAUDIT" verify-proof bad-note.json --log-key "$vk"
	err_has "seq 2: the note's leaf hash is not the one the proof states"
	sed 's|unvtf/test\\n3\\n|unvtf/test\\n4\\n|' proof.json >bad-cp.json
	cmp -s proof.json bad-cp.json && bad "checkpoint not changed"
	expect 1 "$TFAUDIT" verify-proof bad-cp.json --log-key "$vk" --json
	err_has '^tfaudit: checkpoint: .*invalid signature'
	out_has '"name": "checkpoint"'
	out_has '"ok": false'
	sed 's/"seq": 2/"seq": 1/' proof.json >bad-seq.json
	expect 1 "$TFAUDIT" verify-proof bad-seq.json --log-key "$vk"
	err_has 'entry: its seq is 2'
	expect 1 "$TFAUDIT" verify-proof proof.json \
	    --log-key "$(cat recorder.vk)"
	err_has 'not signed by the log key recorder\.unvtf'
	grep -v '"note"' proof.json >no-note.json
	expect 1 "$TFAUDIT" verify-proof no-note.json --log-key "$vk"
	err_has '"note" is missing'
	echo 'not json' >junk.json
	expect 1 "$TFAUDIT" verify-proof junk.json --log-key "$vk"
	expect 2 "$TFAUDIT" verify-proof proof.json
	err_has 'missing required option --log-key'
}

t_proof_consistency_holds_for_a_grown_ledger() {
	grown_ledger
	expect 0 A consistency --old cp3
	out_has '^old-size: 3$'
	out_has '^new-size: 4$'
	out_has '^proof: [0-9a-f]{64}$'
	out_has '^ok: the tree of size 4 extends the tree of size 3$'
	expect 0 A consistency --old cp3 --new cp4 --json
	out_has '"ok": true'
	out_has '"name": "consistency"'
	out_has '"old_size": 3'
	expect 0 A consistency --old cp4
	out_has 'size 4 extends the tree of size 4'
	expect 2 A consistency
	err_has 'missing required option --old'
}

t_proof_consistency_fails_for_a_rolled_back_ledger() {
	make_ledger
	T checkpoint -k admin.key >cp3
	cp -r "$L" old-copy
	T key revoke --name approver.unvtf -k admin.key >/dev/null
	T checkpoint -k admin.key >cp4
	rm -rf "$L"
	mv old-copy "$L"
	expect 0 A verify
	expect 1 A consistency --old cp4
	err_has '^tfaudit: old checkpoint of size 4: the ledger has only 3 entries \(truncated or rolled back\)'
	expect 1 A consistency --old cp4 --json
	out_has '"ok": false'
	expect 0 A consistency --old cp3
}

t_proof_consistency_fails_for_a_forked_ledger() {
	forked_ledger
	expect 0 "$TFAUDIT" -L fork verify
	expect 0 "$TFAUDIT" -L fork consistency --old cp3
	expect 1 "$TFAUDIT" -L fork consistency --old cp4
	err_has 'old checkpoint of size 4: the tree of size 5 does not extend it'
	expect 1 "$TFAUDIT" -L fork consistency --old cp4 --json
	out_has '"name": "consistency"'
	out_has '"ok": false'
	# the fork's checkpoint is not this ledger's
	expect 1 A consistency --old cp4 --new fork.cp
	err_has 'new checkpoint of size 5: the ledger has only 4 entries'
}

t_proof_verify_since_checks_only_what_was_appended() {
	grown_ledger
	T key revoke --name recorder.unvtf -k admin.key >/dev/null
	expect 0 A verify --since cp3
	out_has '^ok: 5 entries, .*entries below 3 trusted \(--since, not read: the fund state from its snapshot\), 2 signatures checked$'
	expect 0 A verify --since cp3 --json
	out_has '"since": 3'
	out_has '"from": 3'
	out_has '"signatures": 2'
	out_has '"name": "consistency"'
	out_lacks '"ok": false'
	expect 0 A verify --json
	out_has '"signatures": 5'
	expect 0 A verify --since cp4 --checkpoint cp3
}

t_proof_verify_since_detects_a_tampered_entry_after_the_checkpoint() {
	grown_ledger
	"$TAMPER" "$L" badsig 3 || bad "tamper"
	expect 1 A verify --since cp3
	err_has '^tfaudit: seq 3: .*signature'
	expect 1 A verify --since cp3 --json
	out_has '"seq": 3'
	out_has '"name": "entries"'
}

t_proof_verify_since_does_not_read_the_entries_it_trusts() {
	grown_ledger
	"$TAMPER" "$L" badsig 1 || bad "tamper"
	# what the trusted checkpoint covers is not read again ...
	expect 0 A verify --since cp3
	out_has 'entries below 3 trusted \(--since, not read'
	# ... a full audit reads it
	expect 1 A verify
	err_has '^tfaudit: seq 1: '
}

t_proof_verify_since_replays_when_the_snapshot_is_gone() {
	grown_ledger
	# three more checkpoints: the four newest snapshots are kept, not 3's
	for i in 1 2 3; do
		T donor add --id "D-$i" --name "Donor $i" --kind other \
		    -k recorder.key >/dev/null 2>err || bad "donor $i"
		T checkpoint -k admin.key >/dev/null 2>err || bad "checkpoint $i"
	done
	expect 0 A verify --since cp3
	out_has '^ok: 7 entries, .*entries below 3 trusted \(--since, replayed: no snapshot of its fund state\), 4 signatures checked$'
	expect 0 A verify --since cp4
	out_has 'entries below 4 trusted \(--since, not read'
	# replayed from seq 0, the entries it trusts are hashed again
	"$TAMPER" "$L" badsig 1 || bad "tamper"
	expect 1 A verify --since cp3
	err_has '^tfaudit: seq 1: stored tree node does not match'
}

t_proof_verify_since_detects_a_tampered_snapshot() {
	grown_ledger
	"$TAMPER" "$L" snapflip 3 || bad "tamper"
	expect 1 A verify --since cp3
	err_has "^tfaudit: the stored snapshot of the fund state at size 3 does not match the trusted checkpoint's state digest$"
	expect 1 A verify
	err_has '^tfaudit: the snapshot of the fund state at size 3: record ".*" does not match the replayed entries$'
	# the other snapshot is intact
	expect 0 A verify --since cp4
}

t_proof_verify_since_from_a_snapshot_still_pins_the_genesis_key() {
	grown_ledger
	expect 0 A verify --since cp3 --trust "$(cat admin.vk)"
	out_has 'not read'
	expect 1 A verify --since cp3 --trust "$(cat recorder.vk)"
	err_has '^tfaudit: seq 0: genesis admin key is not a trusted key$'
}

t_proof_verify_since_reads_older_entries_with_their_proofs() {
	fd_fund
	fd_ok receipt --donor USA --amount 100 --currency USD --ref BNK-1 \
	    --date 2026-02-01 -k recorder.key
	fd_ok reverse "$S" --reason "wrong amount" --date 2026-02-02 \
	    -k recorder.key
	v=$S
	T checkpoint -k admin.key >cp 2>err || bad "checkpoint"
	fd_ok approve "$v" -k approver.key
	expect 0 A verify --since cp
	out_has 'not read'
	# the approval reads the pending reversal, below the checkpoint
	"$TAMPER" "$L" flip "$v" 200 || bad "tamper"
	expect 1 A verify --since cp
	err_has "^tfaudit: seq $v: not the entry the trusted checkpoint covers$"
}

t_proof_a_missing_snapshot_of_a_new_checkpoint_is_named() {
	grown_ledger
	"$TAMPER" "$L" snapdrop 4 || bad "tamper"
	expect 1 A verify
	err_has '^tfaudit: the snapshot of the fund state at size 4 is missing'
	# checkpoint 4 is checked again when a new one is signed at its size
	expect 0 T checkpoint -k admin.key
	expect 0 A verify
}

t_proof_verify_since_checks_the_snapshots_after_it() {
	grown_ledger
	"$TAMPER" "$L" snapflip 4 || bad "tamper"
	expect 1 A verify --since cp3
	err_has '^tfaudit: the snapshot of the fund state at size 4: record ".*" does not match the replayed entries$'
}

t_proof_verify_since_checks_the_stored_state() {
	grown_ledger
	"$TAMPER" "$L" stateflip 2 || bad "tamper"
	expect 1 A verify --since cp3
	err_has '^tfaudit: stored state ".*" does not match the replayed entries$'
	expect 1 A verify
	err_has '^tfaudit: stored state ".*" does not match the replayed entries$'
}

t_proof_verify_since_detects_rewritten_history() {
	forked_ledger
	expect 1 "$TFAUDIT" -L fork verify --since cp4
	err_has "the trusted checkpoint of size 4: the ledger's tree of size 5 does not extend it"
	expect 1 "$TFAUDIT" -L fork verify --since cp4 --json
	out_has '"name": "consistency"'
	out_has '"ok": false'
	"$TAMPER" "$L" truncate 3 || bad "tamper"
	expect 1 A verify --since cp4
	err_has 'the trusted checkpoint of size 4: the ledger has only 3 entries'
	echo junk >junk.cp
	expect 2 A verify --since junk.cp
	err_has 'the trusted checkpoint'
}

t_proof_commands_have_help() {
	for cmd in prove consistency verify-proof; do
		expect 0 "$TFAUDIT" "$cmd" --help
		out_has "^usage: tfaudit $cmd"
		out_has 'example:'
	done
	expect 0 "$TFAUDIT" verify --help
	out_has '--since FILE'
}
