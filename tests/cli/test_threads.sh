# test_threads.sh - the config's `threads` never changes what the tools
# say: an audit with 1 thread and with many prints the same bytes, on an
# intact ledger and on one tampered with.  (tests/check_threads.c does
# the same for the library, in more cases.)

# A ledger of 303 entries: more than one of the audit's batches.
threads_ledger() {
	make_ledger
	printf 'id,name,kind\nD-1,One,government\n' >donors.csv
	T import --type donor donors.csv -k recorder.key 2>err ||
	    bad "import donors"
	printf 'date,donor,amount,currency,reference\n' >r.csv
	i=0
	while [ $i -lt 299 ]; do
		echo "2026-11-02,D-1,$((i + 10)).00,USD,R$i"
		i=$((i + 1))
	done >>r.csv
	T import --type receipt r.csv -k recorder.key 2>err ||
	    bad "import receipts"
	printf 'threads = 1;\n' >one.conf
	printf 'threads = 5;\n' >many.conf
}

# Both thread counts print the same, exit the same; $1 names the case.
threads_agree() {
	"$TFAUDIT" -c one.conf -L "$L" verify --json >one.out 2>one.err
	one=$?
	"$TFAUDIT" -c many.conf -L "$L" verify --json >many.out 2>many.err
	many=$?
	same "$one" "$many" "$1: exit codes"
	cmp -s one.out many.out || bad "$1: stdout differs"
	cmp -s one.err many.err || bad "$1: stderr differs"
}

t_audits_with_one_and_many_threads_print_the_same() {
	threads_ledger
	same "$(ledger_size)" 303 "ledger size"
	threads_agree "intact"
	grep -q '"size": 303' one.out || bad "intact: no size 303"
	"$TAMPER" "$L" badsig 200 || bad "tamper"
	threads_agree "bad signature"
	grep -q '"seq": 200' one.out || bad "bad signature: not seq 200"
	"$TAMPER" "$L" flip 100 60 || bad "tamper"
	threads_agree "flipped byte"
	grep -q '"seq": 100' one.out || bad "flipped byte: not seq 100"
}
