# test_core.sh - the ledger core through the tools: keys, init, append,
# show, log, checkpoints, verify, and tampering with the files.

t_init_creates_a_ledger_that_verifies() {
	make_ledger
	expect 0 A verify
	out_has '^ok: 3 entries'
}

t_init_twice_is_refused_and_writes_nothing() {
	make_ledger
	expect 2 T init --origin x --fund-name y --currency USD -k admin.key
	err_has 'already initialised'
	same "$(ledger_size)" 3 "size"
}

t_init_names_a_missing_option() {
	make_keys
	expect 2 T init --fund-name y --currency USD -k admin.key
	err_has 'missing required option --origin'
	[ ! -e "$L" ] || bad "ledger directory was created"
}

t_init_refuses_an_unknown_currency() {
	make_keys
	expect 2 T init --origin o --fund-name y --currency XYZ -k admin.key
	err_has 'currency "XYZ"'
}

t_appending_prints_the_new_seq_last() {
	make_ledger
	# a renamed verifier has a wrong key hash, so it is invalid input
	expect 2 T key enroll --verifier "$(sed 's/approver/approver2/;' \
	    approver.vk)" --role approver -k admin.key
	err_has 'must be a verifier key'
	"$TFLEDGER" key generate --name second.unvtf --out second.key \
	    >second.out 2>err
	expect 0 T key enroll --verifier "$(tail -n 1 second.out)" \
	    --role approver -k admin.key
	same "$(last_line)" 3 "new seq"
}

t_key_generate_writes_a_private_file_and_prints_the_verifier() {
	expect 0 "$TFLEDGER" key generate --name officer.unvtf --out k.key
	out_has '^officer\.unvtf\+[0-9a-f]{8}\+[A-Za-z0-9+/]{44}$'
	same "$(stat -c %a k.key)" 600 "mode"
	grep -q 'ENCRYPTED PRIVATE KEY' k.key || bad "key is not encrypted"
	expect 2 "$TFLEDGER" key generate --name officer.unvtf --out k.key
}

t_passphrase_never_on_the_command_line() {
	expect 2 "$TFLEDGER" key generate --name a.b --out k.key \
	    --passphrase secret
	[ ! -e k.key ] || bad "key written"
}

t_wrong_passphrase_is_exit_2_without_detail() {
	make_ledger
	TFLEDGER_PASSPHRASE=wrong-one expect 2 T key enroll \
	    --verifier "$(cat approver.vk)" --role approver -k admin.key
	err_has 'wrong passphrase'
	err_lacks 'wrong-one|correct horse'
	same "$(ledger_size)" 3 "size"
}

t_group_readable_key_is_refused() {
	make_ledger
	chmod 640 admin.key
	expect 2 T key revoke --name recorder.unvtf -k admin.key
	err_has 'group|others'
}

t_passphrase_file_is_used_and_must_be_private() {
	make_keys
	printf '%s\n' "$TFLEDGER_PASSPHRASE" >pass
	chmod 600 pass
	TFLEDGER_PASSPHRASE= expect 0 "$TFLEDGER" -L "$L" \
	    --passphrase-file pass init --origin o --fund-name f \
	    --currency USD -k admin.key
	chmod 644 pass
	TFLEDGER_PASSPHRASE= expect 2 "$TFLEDGER" -L "$L" \
	    --passphrase-file pass checkpoint -k admin.key
	err_has 'readable by group or others'
}

t_a_recorder_cannot_enroll_keys() {
	make_ledger
	expect 4 T key enroll --verifier "$(cat admin.vk)" \
	    --role recorder -k recorder.key
	err_has 'role recorder'
	same "$(ledger_size)" 3 "size"
}

t_an_unenrolled_key_cannot_sign() {
	make_ledger
	"$TFLEDGER" key generate --name stranger.unvtf --out s.key >/dev/null
	expect 4 T key revoke --name recorder.unvtf -k s.key
	err_has 'not enrolled'
}

t_a_key_with_an_enrolled_name_but_other_bytes_cannot_sign() {
	make_ledger
	mkdir other
	(cd other && "$TFLEDGER" key generate --name admin.unvtf \
	    --out admin.key >/dev/null)
	expect 4 T key revoke --name recorder.unvtf -k other/admin.key
	err_has 'not the key enrolled'
}

t_revoked_keys_cannot_sign_from_their_revocation_on() {
	make_ledger
	expect 0 T key revoke --name approver.unvtf --reason "left the fund" \
	    -k admin.key
	expect 4 T key revoke --name approver.unvtf -k admin.key
	err_has 'already revoked'
	"$TFLEDGER" key generate --name admin2.unvtf --out a2.key >a2.out
	expect 0 T key enroll --verifier "$(tail -n 1 a2.out)" --role admin \
	    -k admin.key
	expect 0 T key revoke --name admin.unvtf -k a2.key
	expect 4 T key revoke --name recorder.unvtf -k admin.key
	err_has 'revoked at seq'
	expect 0 A verify
}

t_the_last_admin_key_cannot_be_revoked() {
	make_ledger
	expect 4 T key revoke --name admin.unvtf -k admin.key
	err_has 'last admin'
}

t_key_list_shows_roles_and_revocations() {
	make_ledger
	T key revoke --name approver.unvtf -k admin.key >/dev/null
	expect 0 T key list
	out_has '^admin\.unvtf +admin +enrolled 0 +active'
	out_has '^approver\.unvtf +approver +enrolled 2 +revoked 3'
	expect 0 T key list --json
	out_has '"revoked_seq": 3'
}

t_show_raw_prints_the_exact_stored_bytes() {
	make_ledger
	T show 1 --raw >raw
	expect 0 T show 1 --json
	want=$(sed -n 's/.*"leaf_hash": "\([0-9a-f]*\)".*/\1/p' out)
	got=$( (printf '\000'; cat raw) | sha256sum | cut -d' ' -f1)
	same "$got" "$want" "leaf hash of the raw bytes"
	grep -q '^tfledger entry v2$' raw || bad "raw lacks header"
	grep -q "^— admin.unvtf " raw || bad "raw lacks signature line"
}

t_show_beyond_the_end_is_exit_2() {
	make_ledger
	expect 2 T show 3
	err_has 'beyond the end'
	expect 2 T show 01
	expect 2 T show -- -1
}

t_log_lists_every_entry() {
	make_ledger
	expect 0 T log
	same "$(wc -l <out | tr -d ' ')" 3 "lines"
	out_has '^0 +[0-9-]+T[0-9:]+[+-][0-9]{4} +genesis'
	expect 0 T log --json --from 1 --limit 1
	out_has '"type": "key-enroll"'
	out_lacks '"genesis"'
}

t_checkpoint_is_a_signed_tlog_checkpoint() {
	make_ledger
	expect 0 T checkpoint -k admin.key --out cp
	same "$(sed -n 1p cp)" "unodc.org/unvtf/test" "origin line"
	same "$(sed -n 2p cp)" 3 "size line"
	sed -n 3p cp | grep -Eq '^[A-Za-z0-9+/]{43}=$' || bad "root line"
	sed -n 4p cp | grep -Eq '^tfledger-state [0-9a-f]{64}$' || bad "state line"
	sed -n 5p cp | grep -q '^$' || bad "blank line"
	sed -n 6p cp | grep -q '^— admin.unvtf ' || bad "signature line"
	expect 0 A verify --checkpoint cp
	out_has '2 checkpoints|1 checkpoints'
}

t_checkpoint_needs_the_log_key() {
	make_ledger
	expect 4 T checkpoint -k recorder.key
	err_has "log key"
}

t_a_forged_checkpoint_is_detected() {
	make_ledger
	T checkpoint -k admin.key >cp
	sed '2s/3/2/' cp >forged
	expect 1 A verify --checkpoint forged
	err_has 'checkpoint of size 2'
	# the same origin and key name, another key: an impostor's checkpoint
	mkdir other
	(cd other && "$TFLEDGER" key generate --name admin.unvtf \
	    --out admin.key >/dev/null &&
	    "$TFLEDGER" -L led init --origin unodc.org/unvtf/test \
	    --fund-name "Test Fund" --currency USD -k admin.key >/dev/null &&
	    "$TFLEDGER" -L led checkpoint -k admin.key >cp)
	expect 1 A verify --checkpoint other/cp
	err_has 'checkpoint of size 1'
}

t_verify_pins_the_genesis_admin_key() {
	make_ledger
	expect 0 A verify --trust "$(cat admin.vk)"
	expect 1 A verify --trust "$(cat recorder.vk)"
	err_has 'seq 0: genesis admin key is not a trusted key'
}

t_verify_works_on_a_read_only_copy() {
	make_ledger
	cp -r "$L" copy
	chmod -R a-w copy
	expect 0 "$TFAUDIT" -L copy verify
	chmod -R u+w copy
}

t_verify_json_reports_the_result() {
	make_ledger
	expect 0 A verify --json
	out_has '"ok": true'
	out_has '"size": 3'
	"$TAMPER" "$L" flip 1 40
	expect 1 A verify --json
	out_has '"ok": false'
	out_has '"seq": 1'
}

t_changing_one_byte_of_an_entry_is_detected() {
	make_ledger
	"$TAMPER" "$L" flip 2 60 || bad "tamper"
	expect 1 A verify
	err_has '^tfaudit: seq 2: '
}

t_deleting_an_entry_is_detected() {
	make_ledger
	T key revoke --name approver.unvtf -k admin.key >/dev/null
	"$TAMPER" "$L" delete 2 || bad "tamper"
	expect 1 A verify
	err_has '^tfaudit: seq 2: missing'
}

t_swapping_two_entries_is_detected() {
	make_ledger
	"$TAMPER" "$L" swap 1 2 || bad "tamper"
	expect 1 A verify
	err_has '^tfaudit: seq 1: '
}

t_replacing_a_signature_is_detected() {
	make_ledger
	"$TAMPER" "$L" badsig 2 || bad "tamper"
	expect 1 A verify
	err_has '^tfaudit: seq 2: .*signature'
}

# Entry 4 signed again by another admin key, its tree nodes made to agree
# and every checkpoint dropped: the next entry's prev, which names who
# signed entry 4, still gives it away.  Putting the original bytes back
# the same way verifies, so the chain is what catches the change.
t_re_signing_an_entry_with_another_key_breaks_the_chain() {
	make_ledger
	"$TFLEDGER" key generate --name admin2.unvtf --out admin2.key \
	    >admin2.out 2>&1 || bad "key generate"
	T key enroll --verifier "$(tail -n 1 admin2.out)" --role admin \
	    -k admin.key >/dev/null || bad "enroll admin2"
	T key revoke --name approver.unvtf -k admin.key >/dev/null
	T key revoke --name recorder.unvtf -k admin.key >/dev/null
	T checkpoint -k admin.key >/dev/null
	T show 4 --raw >orig || bad "show"
	"$FORGE" "$L" admin2.key resign 4 >resigned || bad "forge"
	cmp -s orig resigned && bad "the note did not change"
	"$TAMPER" "$L" put 4 orig || bad "tamper"
	expect 0 A verify
	"$TAMPER" "$L" put 4 resigned || bad "tamper"
	expect 1 A verify
	err_has '^tfaudit: seq 5: prev hash does not match the previous entry'
}

# A second signature line, even a valid one, makes a note no entry: the
# audit names it, and no command appends after it.
t_an_entry_with_two_signature_lines_is_refused() {
	make_ledger
	T key revoke --name approver.unvtf -k admin.key >/dev/null
	"$TAMPER" "$L" dupsig 2 || bad "tamper"
	expect 1 A verify
	err_has '^tfaudit: seq 2: an entry has exactly one signature line$'
	"$TAMPER" "$L" dupsig 3 || bad "tamper"
	expect 1 T key revoke --name recorder.unvtf -k admin.key
	err_has 'the last entry \(seq 3\) is damaged \(an entry has exactly one signature line, not 2\): run tfaudit verify'
	same "$(ledger_size)" 4 "entries after the refused append"
}

t_replaying_an_old_entry_at_a_new_seq_is_detected() {
	make_ledger
	T key revoke --name approver.unvtf -k admin.key >/dev/null
	"$TAMPER" "$L" copy 1 3 || bad "tamper"
	expect 1 A verify
	err_has '^tfaudit: seq 3: '
}

t_truncating_the_tail_is_detected() {
	make_ledger
	T checkpoint -k admin.key >/dev/null
	T key revoke --name approver.unvtf -k admin.key >/dev/null
	T checkpoint -k admin.key >cp
	"$TAMPER" "$L" truncate 3 || bad "tamper"
	expect 1 A verify --checkpoint cp
	err_has 'truncated|does not match'
}

t_rolling_back_to_an_old_copy_is_caught_by_a_kept_checkpoint() {
	make_ledger
	cp -r "$L" old
	T key revoke --name approver.unvtf -k admin.key >/dev/null
	T checkpoint -k admin.key >cp
	rm -rf "$L"
	mv old "$L"
	expect 0 A verify
	expect 1 A verify --checkpoint cp
	err_has "the auditor's checkpoint of size 4: the ledger has only 3"
}

t_a_forked_ledger_is_detected_by_its_checkpoint() {
	make_ledger
	cp -r "$L" fork
	T key revoke --name approver.unvtf -k admin.key >/dev/null
	T checkpoint -k admin.key >cp
	"$TFLEDGER" -L fork key revoke --name recorder.unvtf -k admin.key \
	    >/dev/null
	expect 0 "$TFAUDIT" -L fork verify
	expect 1 "$TFAUDIT" -L fork verify --checkpoint cp
	err_has "root does not match"
}

t_an_entry_signed_by_the_wrong_role_is_detected() {
	make_ledger
	"$FORGE" "$L" recorder.key key-enroll key="$(cat admin.vk | \
	    sed 's/admin/x/;s/+[0-9a-f]*+/+00000000+/')" role=admin \
	    >/dev/null 2>&1
	"$FORGE" "$L" recorder.key key-revoke name=approver.unvtf \
	    >/dev/null || bad "forge"
	expect 1 A verify
	err_has '^tfaudit: seq 3: breaks a rule: key "recorder.unvtf" has role recorder'
}

t_an_entry_signed_by_a_revoked_key_is_detected() {
	make_ledger
	T key revoke --name recorder.unvtf -k admin.key >/dev/null
	"$FORGE" "$L" recorder.key key-revoke name=approver.unvtf \
	    >/dev/null || bad "forge"
	expect 1 A verify
	err_has '^tfaudit: seq 4: breaks a rule: key "recorder.unvtf": revoked at seq 3'
}

t_unknown_commands_suggest_the_nearest() {
	expect 2 "$TFLEDGER" chekpoint
	err_has 'did you mean: checkpoint'
	expect 2 "$TFAUDIT" verfy
	err_has 'did you mean: verify'
}

t_every_command_has_help() {
	for cmd in checkpoint init key log show; do
		expect 0 "$TFLEDGER" "$cmd" --help
		out_has '^usage: tfledger'
		out_has 'example:'
	done
	expect 0 "$TFAUDIT" verify --help
	out_has '^usage: tfaudit verify'
	expect 0 "$TFLEDGER" --help
	out_has 'exit codes'
}

t_config_file_names_the_ledger_and_key() {
	make_ledger
	printf 'ledger = "%s";\nkey = "admin.key";\n' "$L" >tfledger.conf
	expect 0 "$TFLEDGER" key revoke --name approver.unvtf
	same "$(last_line)" 3 "seq"
}

t_a_malformed_config_is_an_error_naming_the_line() {
	printf 'ledger = "x";\nthreads = ;\n' >bad.conf
	expect 2 "$TFLEDGER" -c bad.conf log
	err_has 'bad.conf:2'
	printf 'ledgr = "x";\n' >typo.conf
	expect 2 "$TFLEDGER" -c typo.conf log
	err_has 'unknown setting "ledgr"'
}

t_the_sample_config_is_valid() {
	cp "$ROOT/config/tfledger.conf" .
	expect 2 "$TFLEDGER" log
	err_lacks 'tfledger.conf'
}

t_concurrent_officers_get_dense_seqs() {
	make_ledger
	i=0
	while [ $i -lt 12 ]; do
		"$TFLEDGER" key generate --name "k$i.unvtf" --out "k$i.key" \
		    >"k$i.out" 2>/dev/null
		i=$((i + 1))
	done
	for p in 0 1 2 3; do
		(for j in 0 1 2; do
			T key enroll --verifier "$(tail -n 1 k$((p * 3 + j)).out)" \
			    --role recorder -k admin.key >/dev/null || exit 1
		done) &
	done
	wait
	same "$(ledger_size)" 15 "size"
	expect 0 A verify
	T log | awk '{print $1}' >seqs
	same "$(seq 0 14 | tr '\n' ' ')" "$(tr '\n' ' ' <seqs)" "dense seqs"
}

t_a_revoked_log_key_signs_no_more_checkpoints() {
	make_ledger
	"$TFLEDGER" key generate --name admin2.unvtf --out a2.key >a2.out
	T key enroll --verifier "$(tail -n 1 a2.out)" --role admin \
	    -k admin.key >/dev/null
	T checkpoint -k admin.key >/dev/null
	expect 0 T key revoke --name admin.unvtf -k a2.key
	expect 4 T checkpoint -k admin.key
	err_has 'log key was revoked at seq 4'
	expect 0 A verify
}
