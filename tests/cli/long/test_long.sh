# test_long.sh - the reliability tests of test_reliability.sh many times
# over, at the scale of a fund's working day (`make check-long`, run by
# tests/cli/run-long.sh; CI runs it after the sanitizer build).  Each test
# adds its figures to the summary printed at the end.

. "$ROOT/tests/cli/lib_reliability.sh"

# Rounds of a dozen commands (imports of 1500 receipts, single appends),
# each killed up to three times at random moments: on every fresh ledger
# the kills land before, inside and after the commits.
t_long_sigkill_at_random_moments_many_times() {
	rl_ledger
	mv "$L" template
	before=0
	after=0
	exits=0
	round=1
	while [ "$round" -le 4 ] && [ "$test_ok" -eq 1 ]; do
		rm -rf "$L"
		cp -a template "$L"
		rl_crash 12 1500 3
		before=$((before + RL_BEFORE))
		after=$((after + RL_AFTER))
		exits=$((exits + RL_EXITS))
		round=$((round + 1))
	done
	rl_stat "$((before + after)) kills ($before before a commit took" \
	    "effect, $after after), $exits commands ran to their end;" \
	    "every ledger verified and held whole commands in order"
}

# Freeze a writer of imports and appends at 100 random moments and check
# both copies of each (data.mdb alone, with lock.mdb).
t_long_power_cuts_at_random_moments() {
	rl_ledger
	rl_powercut 40 10 500
	r1=$RL_SNAPS
	t1=$RL_TORN
	rm -rf snap.*
	rl_ledger_again
	rl_powercut 60 60 20
	rl_stat "$((r1 + RL_SNAPS)) copies verified, $((t1 + RL_TORN))" \
	    "of the freezes inside a commit (its pages written, its meta" \
	    "page not)"
}

# A second ledger in the same directory for a second run.
rl_ledger_again() {
	rm -rf "$L"
	T init --origin unodc.org/unvtf/test --fund-name "Test Fund" \
	    --currency USD -k admin.key >/dev/null 2>err || bad "init"
	T key enroll --verifier "$(cat recorder.vk)" --role recorder \
	    -k admin.key >/dev/null 2>err || bad "enroll recorder"
	T donor add --id D1 --name "First donor" --kind government \
	    -k recorder.key >/dev/null 2>err || bad "donor D1"
	RL_BASE=$(ledger_size)
}

t_long_eight_officers_and_an_auditor() {
	rl_ledger
	start=$(date +%s)
	rl_officers 8 200
	rl_stat "8 x 200 entries in $(($(date +%s) - start)) s, all once," \
	    "dense, verified; $RL_AUDITS audits during the writes, none failed"
}

t_long_backups_while_officers_import_and_append() {
	rl_ledger
	rl_writer 2 1000 writer.stop >writer.sh
	sh writer.sh >writer.out 2>writer.err &
	w=$!
	k=0
	while kill -0 "$w" 2>/dev/null && [ "$k" -lt 12 ]; do
		k=$((k + 1))
		"$TFLEDGER" -q -L "$L" backup --out "bk.$k" 2>>err ||
		    bad "backup $k"
		sleep 0.1
	done
	touch writer.stop
	wait "$w" || bad "writer: $(cat writer.err)"
	[ "$k" -eq 12 ] || bad "only $k backups while writing"
	rl_entries "$L" >final
	i=1
	set --
	while [ "$i" -le "$k" ]; do
		set -- "$@" "bk.$i"
		i=$((i + 1))
	done
	rl_verify_copies "$@"
	sizes=""
	for b in "$@"; do
		rl_entries "$b" >"$b.entries"
		rl_prefix_of final "$b.entries" 1000
		sizes="$sizes $(wc -l <"$b.entries")"
	done
	n=$(echo "$sizes" | tr ' ' '\n' | sort -u | grep -c .)
	[ "$n" -ge 3 ] || bad "the backups hold only $n different sizes"
	rl_stat "$k backups while $(grep -c ' ref=R-' final) receipts came" \
	    "in: each verified, a prefix in whole commands; $n different sizes"
}

# Auditors killed inside their read transaction while an officer keeps
# the ledger open: their lock-table slots must not run out.
t_long_killed_auditors_leave_no_stale_readers() {
	rl_ledger
	rl_csv R-1 3000 >r.csv
	T import --type receipt r.csv -k recorder.key >/dev/null 2>err
	rl_waiting pp -L "$L" interest --amount 1.00 --ref HOLD \
	    -k recorder.key || return 0
	i=0
	killed=0
	while [ "$i" -lt 140 ]; do
		"$RL_CHAOS" kill 20000 60000 "$TFAUDIT" -L "$L" verify \
		    >k.out 2>&1
		grep -q '^chaos: killed' k.out && killed=$((killed + 1))
		i=$((i + 1))
	done
	[ "$killed" -ge 127 ] || bad "only $killed auditors killed"
	expect 0 A verify
	rl_answer pp
	same "$RL_RC" 0 "exit of the officer who held the ledger open"
	expect 0 A verify
	rl_stat "$killed auditors killed while the ledger stayed open;" \
	    "audits and appends went on"
}

# A map that must grow (more than half of it used) in a process whose
# address space forbids it: exit 3, nothing written, and the import
# succeeds once the limit is gone.
t_long_a_map_that_cannot_grow_is_exit_3() {
	case $BUILD in
	*-san)
		echo "SKIP $test_name: ASan needs an unlimited address space"
		return 0
		;;
	esac
	rl_ledger
	c=0
	while :; do
		set -- $("$RL_CHAOS" meta "$L")
		[ "$4" -le $(($2 / 2)) ] || break
		c=$((c + 1))
		[ "$c" -le 20 ] || { bad "the map never filled: $*"; return 0; }
		rl_csv "R-$c" 12000 >big.csv
		T -q import --type receipt big.csv -k recorder.key >/dev/null ||
		    bad "import $c"
	done
	map=$2
	size=$(ledger_size)
	rl_csv R-S 100 >small.csv
	echo "threads = 1;" >tfledger.conf
	# what a tfledger with the ledger open takes, its map included
	rl_waiting pp -L "$L" interest --amount 1.00 --ref VM \
	    -k recorder.key || return 0
	kb=$(awk '/^VmSize:/ { print $2 }' "/proc/$RL_PID/status")
	kill "$RL_PID"
	wait "$RL_PID"
	exec 9>&-
	# half the map more: not the whole map more that doubling needs
	vm=$( (ulimit -v $((kb + map / 2048)) && T -q import --type receipt \
	    small.csv -k recorder.key) 2>&1)
	code=$?
	same "$code" 3 "exit under the limit ($vm)"
	echo "$vm" | grep -q "map cannot grow to $((map >> 19)) MiB" ||
	    bad "not a map that cannot grow: $vm"
	same "$(ledger_size)" "$size" "size after the refused import"
	rm tfledger.conf
	expect 0 T -q import --type receipt small.csv -k recorder.key
	expect 0 A verify
	rl_stat "$size entries, over half of a $((map >> 20)) MiB map:" \
	    "growth refused under ulimit -v, exit 3, nothing written; then" \
	    "imported"
}

# A disk that fills up again and again under imports: every refusal is
# exit 3 naming the full disk, with nothing of the import written.
t_long_a_disk_filling_up_again_and_again() {
	rl_mount disk 6m || return 0
	L=disk/led
	rl_ledger
	dd if=/dev/zero of=disk/fill bs=64k count=60 2>/dev/null
	full=0
	c=1
	while [ "$c" -le 40 ] && [ "$full" -lt 6 ] && [ "$test_ok" -eq 1 ]; do
		rl_csv "R-$c" 300 >i.csv
		size=$(ledger_size)
		run T -q import --type receipt i.csv -k recorder.key
		case $rc in
		0) ;;
		3)
			err_has 'the file system is full'
			same "$(ledger_size)" "$size" "size after a refusal"
			expect 0 A verify
			full=$((full + 1))
			# make room: a 640 KiB piece of the filler goes
			n=$(($(stat -c %s disk/fill) - 655360))
			[ "$n" -gt 0 ] || n=0
			truncate -s "$n" disk/fill
			run T -q import --type receipt i.csv -k recorder.key
			[ "$rc" -eq 0 ] || [ "$rc" -eq 3 ] ||
			    bad "retry: exit $rc"
			;;
		*) bad "import $c: exit $rc" ;;
		esac
		c=$((c + 1))
	done
	[ "$full" -ge 3 ] || bad "the disk was full only $full times"
	expect 0 A verify
	rl_entries "$L" | awk '$2 ~ /^ref=R-/ { split($2, p, "-"); n[p[2]]++ }
	    END { for (r in n) if (n[r] != 300) exit 1 }' ||
	    bad "part of an import is in the ledger"
	rl_stat "the disk was full $full times: exit 3, no partial import," \
	    "the ledger verified each time"
	rl_umount disk
}
