# lib_reliability.sh - helpers of the reliability tests, sourced by
# test_reliability.sh (`make check`) and long/test_*.sh (`make
# check-long`): crashes, power cuts, officers at work together, backups.
# Names start with rl_.  The random delays are tool_chaos's; it reports
# each, and a failing test shows them in its log.

RL_CHAOS=$BUILD/tests/tool_chaos
# An audit that hangs fails its test instead of the run.
RL_AUDIT="timeout 300 $TFAUDIT"
# Sanitizers slow every process down: widen the windows for kills.
case $BUILD in *-san) RL_SLOW=4 ;; *) RL_SLOW=1 ;; esac

# A figure for the summary of `make check-long` (make check drops it),
# with the seconds since the test's first rl_ledger.
rl_stat() {
	[ -z "${RL_STATS:-}" ] || echo "  $test_name" \
	    "($(($(date +%s) - ${RL_T0:-0})) s): $*" >>"$RL_STATS"
}

# make_ledger, and donor D1 for receipts.  RL_BASE: the size before the
# test's own entries.
rl_ledger() {
	: "${RL_T0:=$(date +%s)}"
	make_ledger
	T donor add --id D1 --name "First donor" --kind government \
	    -k recorder.key >/dev/null 2>err || bad "donor D1"
	RL_BASE=$(ledger_size)
}

# The entries of ledger $1 from RL_BASE on, one "type ref=|id=" a line.
rl_entries() {
	"$TFLEDGER" -L "$1" log --from "$RL_BASE" | awk '{
		k = "-"
		for (i = 5; i <= NF; i++)
			if ($i ~ /^(ref|id)=/) { k = $i; break }
		print $3, k
	}'
}

# A receipts CSV: N rows from donor D1 with references PREFIX-1..N.
rl_csv() {
	awk -v p="$1" -v n="$2" 'BEGIN {
		print "date,donor,amount,currency,reference"
		for (i = 1; i <= n; i++)
			printf "2026-01-03,D1,%d.00,USD,%s-%d\n", i, p, i
	}'
}

# rl_mount DIR SIZE: a tmpfs of SIZE at DIR; false, saying why, where
# this system does not allow it (not root, or no mount in a container).
rl_mount() {
	mkdir -p "$1"
	if [ "$(id -u)" -ne 0 ] ||
	    ! mount -t tmpfs -o "size=$2" tmpfs "$1" 2>/dev/null; then
		echo "SKIP $test_name: cannot mount a tmpfs (needs root)"
		return 1
	fi
}

rl_umount() { umount "$1" 2>/dev/null || umount -l "$1"; }

# rl_waiting FIFO ARGS...: start tfledger ARGS in the background with
# --passphrase-file FIFO (a named pipe made here, held open by this
# shell on fd 9) and no passphrase in its environment, and return once it
# waits for the passphrase: it has opened FIFO, after the ledger and after
# turning core dumps off.  RL_PID; its output goes to FIFO.out, FIFO.err.
rl_waiting() {
	f=$1
	shift
	mkfifo -m 600 "$f"
	exec 9<>"$f"
	env -u TFLEDGER_PASSPHRASE "$TFLEDGER" --passphrase-file "$f" "$@" \
	    >"$f.out" 2>"$f.err" 9>&- &
	RL_PID=$!
	i=0
	# tfledger itself, not the shell that forked it, which has fd 9 open
	# (under `make valgrind`, tfledger runs as valgrind's memcheck tool,
	# and takes far longer to get there: up to 30 s)
	while ! case $(readlink "/proc/$RL_PID/exe") in */tfledger) ;;
	    */memcheck-*) ;; *) false ;; esac ||
	    ! ls -l "/proc/$RL_PID/fd" 2>/dev/null | grep -q -- "/$f\$"; do
		i=$((i + 1))
		if [ "$i" -gt 1500 ]; then
			bad "tfledger $* never read its passphrase: $(cat "$f.err")"
			return 1
		fi
		sleep 0.02
	done
}

# rl_answer FIFO: give the waiting tfledger its passphrase; RL_RC: its
# exit code.
rl_answer() {
	printf '%s\n' "$TFLEDGER_PASSPHRASE" >&9
	wait "$RL_PID"
	RL_RC=$?
	exec 9>&-
}

# Command $1 of a submitted sequence: RL_ARGS (the tfledger arguments),
# add.$1 (the entries it appends, as rl_entries prints them) and
# RL_WINDOW (how long it may run, in us, for a kill).  Every third is an
# import of $2 receipts, the others single appends.
rl_command() {
	case $(($1 % 3)) in
	1)
		rl_csv "R-$1" "$2" >"imp$1.csv"
		RL_ARGS="import --type receipt imp$1.csv -k recorder.key"
		awk -F, 'NR > 1 { print "receipt ref=" $5 }' "imp$1.csv" \
		    >"add.$1"
		RL_WINDOW=$((($2 * 120 + 30000) * RL_SLOW))
		;;
	2)
		RL_ARGS="interest --amount 1.00 --ref I-$1 -k recorder.key"
		echo "interest ref=I-$1" >"add.$1"
		RL_WINDOW=$((25000 * RL_SLOW))
		;;
	*)
		RL_ARGS="donor add --id DN-$1 --name Donor --kind private"
		RL_ARGS="$RL_ARGS -k recorder.key"
		echo "donor id=DN-$1" >"add.$1"
		RL_WINDOW=$((25000 * RL_SLOW))
		;;
	esac
}

# rl_crash N ROWS KILLS: submit commands 1..N; each is SIGKILLed at a
# random moment up to KILLS times, then run to its end.  After every
# attempt the ledger must verify and hold exactly the entries of the
# commands before it, with or without all of this one's.  RL_BEFORE,
# RL_AFTER: kills that left nothing of the command, kills that came after
# its commit; RL_EXITS: commands that ended by themselves.  The window
# for a kill is 6/5 of how long the last command of the kind ran.
rl_crash() {
	rl_ran_1=
	rl_ran_0=
	: >want
	RL_BEFORE=0
	RL_AFTER=0
	RL_EXITS=0
	c=1
	while [ "$c" -le "$1" ] && [ "$test_ok" -eq 1 ]; do
		rl_command "$c" "$2"
		kind=$((c % 3 == 1))
		eval "ran=\$rl_ran_$kind"
		[ -z "$ran" ] || RL_WINDOW=$((ran * 6 / 5))
		cat want "add.$c" >want.next
		try=0
		while [ "$test_ok" -eq 1 ]; do
			try=$((try + 1))
			if [ "$try" -le "$3" ]; then
				"$RL_CHAOS" kill 0 "$RL_WINDOW" "$TFLEDGER" -q \
				    -L "$L" $RL_ARGS >run.out 2>run.err
			else
				"$TFLEDGER" -q -L "$L" $RL_ARGS >run.out \
				    2>run.err
				echo "chaos: exit $? (not killed)" >>run.out
			fi
			verdict=$(tail -n 1 run.out)
			case $verdict in
			*", ran "*)
				ran=${verdict##*, ran }
				eval "rl_ran_$kind=${ran% us}"
				;;
			esac
			expect 0 $RL_AUDIT -L "$L" verify
			rl_entries "$L" >got
			if cmp -s got want.next; then
				case $verdict in
				*killed*) RL_AFTER=$((RL_AFTER + 1)) ;;
				*"exit 0 "*) RL_EXITS=$((RL_EXITS + 1)) ;;
				*) bad "command $c ($RL_ARGS): $verdict" ;;
				esac
				mv want.next want
				break
			elif cmp -s got want; then
				case $verdict in
				*killed*) RL_BEFORE=$((RL_BEFORE + 1)) ;;
				*) bad "command $c ($RL_ARGS): $verdict," \
				    "and none of it is in the ledger"
				   sed 's/^/    /' run.err >&2 ;;
				esac
			else
				bad "command $c ($RL_ARGS, $verdict):" \
				    "the ledger is not a prefix of what was" \
				    "submitted"
				diff want.next got | head -5 >&2
			fi
		done
		c=$((c + 1))
	done
}

# A writer: ROUNDS times an import of ROWS receipts (R-round-row) and
# three single appends (I-round-n).  Exits 1 on the first failure.  With
# STOP, it goes on after ROUNDS until the file STOP exists, so that a test
# gets what it waits for however fast the ledger writes; at most 20 x
# ROUNDS rounds, so that it ends even if STOP never comes.
rl_writer() {
	cat <<EOF
set -e
r=1
while [ \$r -le $1 ] ||
    { [ -n "${3-}" ] && [ ! -e "${3-}" ] && [ \$r -le $(($1 * 20)) ]; }; do
	awk -v r=\$r 'BEGIN { print "date,donor,amount,currency,reference"
	    for (i = 1; i <= $2; i++)
		printf "2026-01-03,D1,%d.00,USD,R-%d-%d\\n", i, r, i }' >w.csv
	"$TFLEDGER" -q -L "$L" import --type receipt w.csv -k recorder.key \
	    >/dev/null
	for n in 1 2 3; do
		"$TFLEDGER" -L "$L" interest --amount 1.00 --ref I-\$r-\$n \
		    -k recorder.key >/dev/null
	done
	r=\$((r + 1))
done
EOF
}

# rl_prefix_of FINAL GOT ROWS: GOT (rl_entries of a copy) is a prefix of
# FINAL and holds whole imports of ROWS rows only.
rl_prefix_of() {
	head -n "$(wc -l <"$2")" "$1" | cmp -s - "$2" ||
	    bad "$2: not a prefix of the final ledger"
	awk -v rows="$3" '$2 ~ /^ref=R-/ { split($2, p, "-"); n[p[2]]++ }
	    END { for (r in n) if (n[r] != rows) exit 1 }' "$2" ||
	    bad "$2: holds part of an import"
}

# rl_verify_copies DIR...: tfaudit verify of each ledger must pass; two
# at a time, one a core.
rl_verify_copies() {
	while [ $# -gt 0 ]; do
		$RL_AUDIT -L "$1" verify >"$1.v" 2>&1 &
		v1=$!
		v2=
		if [ $# -gt 1 ]; then
			$RL_AUDIT -L "$2" verify >"$2.v" 2>&1 &
			v2=$!
		fi
		wait "$v1" || bad "tfaudit -L $1 verify: $(cat "$1.v")"
		if [ -n "$v2" ]; then
			wait "$v2" || bad "tfaudit -L $2 verify: $(cat "$2.v")"
			shift
		fi
		shift
	done
}

# rl_powercut N ROUNDS ROWS: while rl_writer runs, freeze it N times and
# copy the files (data.mdb alone, and with lock.mdb); every copy must
# verify and hold a prefix of the final ledger, in whole commands.  The
# writer goes on until the last snapshot is taken (its directory is made
# while the writer is frozen).  RL_SNAPS: copies checked; RL_TORN: frozen
# inside a commit.
rl_powercut() {
	rl_writer "$2" "$3" "snap.$1-lock" >writer.sh
	"$RL_CHAOS" snap "$1" 2000 $((30000 * RL_SLOW)) "$L" snap \
	    sh writer.sh >snap.out 2>snap.err
	grep -q '^chaos: .* exit 0$' snap.out ||
	    bad "writer: $(tail -n 1 snap.out) $(head -n 3 snap.err)"
	RL_TORN=$(awk '/^chaos-snap/ && $4 + 0 > $6 + 0 { n++ }
	    END { print n + 0 }' snap.out)
	rl_entries "$L" >final
	RL_SNAPS=0
	for d in snap.*; do
		[ -d "$d" ] || continue
		case $d in *-lock) continue ;; esac
		rl_verify_copies "$d" "$d-lock"
		for c in "$d" "$d-lock"; do
			rl_entries "$c" >"$c.entries"
			rl_prefix_of final "$c.entries" "$3"
			RL_SNAPS=$((RL_SNAPS + 1))
		done
	done
	[ "$RL_SNAPS" -eq $(($1 * 2)) ] ||
	    bad "only $RL_SNAPS copies, of $1 x 2"
}

# One officer: $2 entries, in turn donor add, receipt, interest, with
# references W$1-i.  Failures go to officers.fail.
rl_officer() {
	i=1
	while [ "$i" -le "$2" ]; do
		r="W$1-$i"
		case $((i % 3)) in
		0) T donor add --id "$r" --name Officer --kind private \
		    -k recorder.key ;;
		1) T receipt --donor D1 --amount 10.00 --currency USD \
		    --ref "$r" -k recorder.key ;;
		*) T interest --amount 1.00 --ref "$r" -k recorder.key ;;
		esac >/dev/null 2>"off.$1.err" ||
		    echo "officer $1, entry $i: $(cat "off.$1.err")" \
		    >>officers.fail
		i=$((i + 1))
	done
}

# What rl_officer $1 $2 appends, as rl_entries prints it.
rl_officer_entries() {
	awk -v p="$1" -v n="$2" 'BEGIN { for (i = 1; i <= n; i++) {
		t = i % 3 == 0 ? "donor id=" : \
		    i % 3 == 1 ? "receipt ref=" : "interest ref="
		print t "W" p "-" i } }'
}

# rl_officers P N: P officers append N entries each at once while an
# auditor runs tfaudit verify over and over.  Then every entry is there
# once, the seqs are dense, the ledger verifies and no audit ever failed.
# RL_AUDITS: audits run while the officers worked.
rl_officers() {
	pids=""
	p=1
	: >expected
	while [ "$p" -le "$1" ]; do
		rl_officer "$p" "$2" &
		pids="$pids $!"
		rl_officer_entries "$p" "$2" >>expected
		p=$((p + 1))
	done
	(
		n=0
		while [ ! -e officers.done ]; do
			$RL_AUDIT -L "$L" verify >audit.out 2>audit.err ||
			    cat audit.err >>audit.fail
			n=$((n + 1))
		done
		echo "$n" >audit.count
	) &
	auditor=$!
	wait $pids
	touch officers.done
	wait "$auditor"
	RL_AUDITS=$(cat audit.count)
	[ ! -s officers.fail ] || bad "officers: $(head -n 3 officers.fail)"
	[ ! -s audit.fail ] || bad "an audit failed while officers worked:" \
	    "$(head -n 3 audit.fail)"
	[ "$RL_AUDITS" -ge 1 ] || bad "no audit ran"
	rl_entries "$L" | sort >got
	sort expected | cmp -s - got ||
	    bad "entries missing or twice: $(sort expected | diff - got |
	    head -n 4 | tr '\n' ' ')"
	T log | awk '$1 != NR - 1 { exit 1 }' || bad "seqs are not dense"
	expect 0 A verify
}
