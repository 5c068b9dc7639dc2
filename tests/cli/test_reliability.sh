# test_reliability.sh - what the tools promise when things go wrong:
# processes killed at random moments, copies of files frozen mid-write as
# a power cut leaves them, officers and an auditor at work at once, a
# full disk, a read-only file system, lock.mdb missing or damaged,
# backups and their restore, and secrets kept out of argv, output and
# core dumps.  Each is run a few times here; tests/cli/long/ runs the
# same many times over (`make check-long`).

. "$ROOT/tests/cli/lib_reliability.sh"

t_killed_imports_and_appends_leave_whole_commands_in_order() {
	rl_ledger
	rl_crash 6 300 2
	[ $((RL_BEFORE + RL_AFTER)) -ge 1 ] || bad "no command was killed"
}

t_copies_frozen_while_writing_verify_as_a_power_cut_leaves_them() {
	rl_ledger
	rl_powercut 8 4 300
}

t_officers_appending_at_once_while_an_auditor_verifies() {
	rl_ledger
	rl_officers 4 12
}

# The audit's read-ahead ring (4 batches of 64 entries a thread) is full
# at the end of a ledger of 64 x k entries: that audit used to hang.
t_an_audit_ends_whatever_the_size_of_the_ledger() {
	rl_ledger
	rl_csv R-1 $((1024 - RL_BASE)) >r.csv
	T -q import --type receipt r.csv -k recorder.key >/dev/null 2>err
	for threads in 1 2; do
		echo "threads = $threads;" >tfledger.conf
		expect 0 timeout 30 "$TFAUDIT" -L "$L" verify
		out_has '^ok: 1024 entries'
	done
	rm tfledger.conf
}

t_a_revocation_takes_effect_at_its_seq_while_the_key_signs() {
	rl_ledger
	(
		i=1
		while [ "$i" -le 30 ]; do
			T interest --amount 1.00 --ref "V-$i" -k recorder.key \
			    >/dev/null 2>v.err
			echo "$i $? $(head -n 1 v.err)" >>tries
			i=$((i + 1))
		done
	) &
	w=$!
	sleep 0.1
	expect 0 T key revoke --name recorder.unvtf --reason "left the fund" \
	    -k admin.key
	rev=$(last_line)
	wait "$w"
	if awk '$2 != 0 && $2 != 4' tries | grep -q .; then
		bad "appends neither done nor refused: $(awk '$2 != 0' tries)"
	fi
	if awk -v rev="$rev" '$2 == 4 && $0 !~ "revoked at seq " rev' tries |
	    grep -q .; then
		bad "a refusal that does not name seq $rev"
	fi
	grep -q ' 4 ' tries || bad "no append came after the revocation"
	if T log | awk -v rev="$rev" '$4 == "recorder.unvtf" && $1 > rev' |
	    grep -q .; then
		bad "the revoked key signed after seq $rev"
	fi
	same "$(awk '$2 == 0' tries | wc -l | tr -d ' ')" \
	    "$(T log | grep -c ' interest ')" "appends done and recorded"
	expect 0 A verify
}

t_a_full_disk_is_exit_3_and_the_ledger_stays_whole() {
	rl_mount disk 2m || return 0
	L=disk/led
	rl_ledger
	rl_csv R-1 500 >r1.csv
	dd if=/dev/zero of=disk/fill bs=64k 2>/dev/null
	expect 3 T import --type receipt r1.csv -k recorder.key
	err_has 'r1.csv: ledger "disk/led": the file system is full'
	same "$(ledger_size)" "$RL_BASE" "size after the refused import"
	expect 0 A verify
	# appends fit in pages the failed commit left in data.mdb, or not
	for i in 1 2 3; do
		run T interest --amount 1.00 --ref "F-$i" -k recorder.key
		case $rc in
		0) echo "interest ref=F-$i" >>done ;;
		3) err_has 'file system is full' ;;
		*) bad "append F-$i: exit $rc" ;;
		esac
	done
	rl_entries "$L" >got
	cmp -s done got || bad "appends recorded are not those that succeeded"
	expect 3 T backup --out disk/bk
	[ ! -e disk/bk ] || bad "a failed backup left disk/bk behind"
	rm disk/fill
	expect 0 T import --type receipt r1.csv -k recorder.key
	expect 0 A verify
	same "$(rl_entries "$L" | grep -c '^receipt ')" 500 "receipts"
	rl_umount disk
}

t_a_read_only_file_system_refuses_writes_and_still_audits() {
	rl_mount ro 4m || return 0
	L=ro/led
	rl_ledger
	T checkpoint -k admin.key >cp
	mount -o remount,ro ro || bad "remount read-only"
	expect 3 T interest --amount 1.00 --ref RO-1 -k recorder.key
	err_has 'Read-only file system'
	expect 3 T checkpoint -k admin.key
	expect 0 A verify --checkpoint cp
	expect 0 T log
	expect 0 T backup --out bk
	expect 0 "$TFAUDIT" -L bk verify --checkpoint cp
	rl_umount ro
}

t_a_missing_or_damaged_lock_file_is_rebuilt_or_named() {
	rl_ledger
	rm "$L/lock.mdb"
	expect 0 T interest --amount 1.00 --ref K-1 -k recorder.key
	# with no process using it, LMDB starts a lock file afresh
	head -c 8192 /dev/urandom >"$L/lock.mdb"
	expect 0 T interest --amount 1.00 --ref K-2 -k recorder.key
	rm "$L/lock.mdb"
	mkdir "$L/lock.mdb"
	expect 3 T interest --amount 1.00 --ref K-3 -k recorder.key
	err_has 'lock.mdb is damaged or not a file'
	err_has 'data.mdb is not affected'
	expect 3 A verify
	err_has 'lock.mdb is damaged'
	rmdir "$L/lock.mdb"
	ln -s /nonexistent/lock "$L/lock.mdb"
	expect 3 T interest --amount 1.00 --ref K-4 -k recorder.key
	err_has 'lock.mdb is damaged or not a file'
	rm "$L/lock.mdb"
	expect 0 A verify
	out_has "^ok: $((RL_BASE + 2)) entries"
}

t_a_lock_file_damaged_or_removed_under_a_waiting_officer() {
	rl_ledger
	rl_waiting p1 -L "$L" interest --amount 1.00 --ref H-1 \
	    -k recorder.key || return 0
	printf 'XXXX' | dd of="$L/lock.mdb" bs=1 count=4 conv=notrunc \
	    2>/dev/null
	expect 3 T interest --amount 1.00 --ref H-2 -k recorder.key
	err_has 'lock.mdb is damaged'
	rl_answer p1
	same "$RL_RC" 0 "exit of the officer who opened the ledger first"
	expect 0 A verify
	rl_waiting p2 -L "$L" interest --amount 1.00 --ref H-3 \
	    -k recorder.key || return 0
	rm "$L/lock.mdb"
	expect 0 T interest --amount 1.00 --ref H-4 -k recorder.key
	rl_answer p2
	same "$RL_RC" 3 "exit of the officer whose lock.mdb was removed"
	grep -q 'lock.mdb was removed or replaced' p2.err ||
	    bad "p2: $(cat p2.err)"
	expect 0 A verify
	same "$(rl_entries "$L" | tr '\n' ' ')" \
	    "interest ref=H-1 interest ref=H-4 " "entries"
}

t_backup_writes_a_private_copy_that_verifies() {
	rl_ledger
	T checkpoint -k admin.key >cp
	expect 0 T backup --out bk
	err_has 'backup written to bk'
	same "$(stat -c %a bk)" 700 "mode of the backup directory"
	same "$(stat -c %a bk/data.mdb)" 600 "mode of the copy"
	same "$(ls bk)" data.mdb "files of the backup"
	expect 0 "$TFAUDIT" -L bk verify --checkpoint cp
	out_has "^ok: $RL_BASE entries"
	same "$(T log)" "$("$TFLEDGER" -L bk log)" "the copy's log"
	expect 0 T backup --help
	out_has '^usage: tfledger backup --out DIR'
	out_has 'example:'
}

t_backup_goes_only_into_a_new_or_empty_directory() {
	make_ledger
	mkdir used
	echo notes >used/notes
	expect 2 T backup --out used
	err_has 'backup "used": the directory is not empty'
	same "$(ls used)" notes "what is in used"
	touch afile
	expect 2 T backup --out afile
	err_has 'not a directory'
	expect 2 T backup --out nodir/bk
	err_has 'nodir/bk'
	expect 2 T backup
	err_has 'missing required option --out'
	expect 2 T backup --out x extra
	[ ! -e x ] || bad "x was made"
	mkdir empty
	expect 0 T -q backup --out empty
	[ ! -s err ] || bad "-q still wrote: $(cat err)"
	expect 0 "$TFAUDIT" -L empty verify
}

t_backups_taken_while_officers_append_are_whole_prefixes() {
	rl_ledger
	rl_writer 1 300 writer.stop >writer.sh
	sh writer.sh >writer.out 2>writer.err &
	w=$!
	k=0
	while kill -0 "$w" 2>/dev/null && [ "$k" -lt 4 ]; do
		k=$((k + 1))
		"$TFLEDGER" -q -L "$L" backup --out "bk.$k" 2>>err ||
		    bad "backup $k"
		sleep 0.05
	done
	touch writer.stop
	wait "$w" || bad "writer: $(cat writer.err)"
	[ "$k" -eq 4 ] || bad "only $k backups while writing"
	rl_entries "$L" >final
	i=1
	while [ "$i" -le "$k" ]; do
		expect 0 "$TFAUDIT" -L "bk.$i" verify
		rl_entries "bk.$i" >"e.$i"
		rl_prefix_of final "e.$i" 300
		i=$((i + 1))
	done
}

# README.md, "Backup and restore": stop the writers, move the copy in
# place, verify it, compare it with the last checkpoint.
t_a_restored_backup_is_checked_against_the_last_checkpoint() {
	rl_ledger
	T interest --amount 1.00 --ref Z-1 -k recorder.key >/dev/null
	T checkpoint -k admin.key --out cp1 >/dev/null
	expect 0 T backup --out bk
	T interest --amount 2.00 --ref Z-2 -k recorder.key >/dev/null
	T checkpoint -k admin.key --out cp2 >/dev/null
	rm -rf "$L"
	mv bk "$L"
	expect 0 A verify --checkpoint cp1
	expect 1 A verify --checkpoint cp2
	err_has "checkpoint of size $((RL_BASE + 2)): the ledger has only"
	err_has "only $((RL_BASE + 1)) entries \\(truncated or rolled back\\)"
	# work goes on from the copy; what takes the lost entry's seq is
	# another entry, a fork to whoever holds cp2
	expect 0 T interest --amount 3.00 --ref Z-3 -k recorder.key
	expect 0 A verify --checkpoint cp1
	expect 1 A verify --checkpoint cp2
	err_has 'root does not match'
}

t_passphrase_and_key_bytes_stay_out_of_argv_environment_and_output() {
	make_ledger
	pass=$TFLEDGER_PASSPHRASE
	rl_waiting pp -L "$L" key revoke --name approver.unvtf \
	    -k admin.key || return 0
	tr '\0' '\n' <"/proc/$RL_PID/cmdline" >cmdline
	tr '\0' '\n' <"/proc/$RL_PID/environ" >environ
	! grep -qF -- "$pass" cmdline || bad "passphrase in argv"
	! grep -q '^TFLEDGER_PASSPHRASE=' environ || bad "passphrase in environ"
	rl_answer pp
	same "$RL_RC" 0 "exit"
	cat pp.out pp.err >outputs
	# what a key file and a passphrase could leak into
	TFLEDGER_PASSPHRASE=wrong-one run T checkpoint -k admin.key
	cat out err >>outputs
	head -c 200 admin.key >cut.key
	chmod 600 cut.key
	run T checkpoint -k cut.key
	cat out err >>outputs
	for cmd in "key list --json" "show 0 --json" "log" \
	    "checkpoint -k admin.key"; do
		T $cmd >>outputs 2>&1
	done
	A verify --json >>outputs 2>&1
	! grep -qF -- "$pass" outputs || bad "the passphrase was printed"
	grep -v -- '-----' admin.key >pem
	! grep -qF -f pem outputs || bad "the encrypted key was printed"
	if command -v openssl >/dev/null 2>&1; then
		openssl pkey -in admin.key -passin env:TFLEDGER_PASSPHRASE \
		    -outform DER 2>/dev/null | tail -c 32 >seed
		[ "$(wc -c <seed)" -eq 32 ] || bad "no seed from openssl"
		base64 <seed | cut -c1-40 >seed.txt
		od -An -tx1 seed | tr -d ' \n' | cut -c1-40 >>seed.txt
		! grep -qF -f seed.txt outputs ||
		    bad "the private key was printed"
	fi
}

t_core_dumps_are_off_while_a_key_is_loaded() {
	make_ledger
	mkfifo -m 600 pp
	run "$RL_CHAOS" abort-control
	rm -f core core.*
	case $(last_line) in
	*"core dumped"*) dumps=1 ;;
	*) dumps=0 ;;
	esac
	# tfledger with dumps allowed, killed while it waits for a
	# passphrase: to load a key, and to save one it generates
	for cmd in "key revoke --name approver.unvtf -k admin.key" \
	    "key generate --name new.unvtf --out new.key"; do
		run env -u TFLEDGER_PASSPHRASE "$RL_CHAOS" abort "$TFLEDGER" \
		    -L "$L" --passphrase-file pp $cmd
		case $rc in
		0) out_has '^chaos: no core$' ;;
		4) echo "SKIP $test_name: the hard core limit is 0 here" ;;
		*) bad "$cmd: core dumps left on: $(last_line)" ;;
		esac
	done
	! ls core core.* >/dev/null 2>&1 || bad "a core file was written"
	[ "$dumps" -eq 1 ] || [ "$rc" -ne 0 ] ||
	    echo "NOTE $test_name: this system writes no core dumps;" \
	        "checked that tfledger turned them off"
}
