# test_status.sh - the officer's tools: status, ids, help texts, colour
# and progress only on a terminal.

# Run CMD... with stdout and stderr on a pseudo-terminal (script(1)),
# keeping what it wrote in out.
on_tty() {
	script -qec "$*" /dev/null >out 2>&1
	rc=$?
}

t_status_summarises_a_new_ledger() {
	make_ledger
	expect 0 T status
	out_has '^ledger +unodc\.org/unvtf/test \(Test Fund\)$'
	out_has '^entries +3, the last recorded [0-9-]{10} [0-9:]{5} UTC$'
	out_has '^checkpoint +none published$'
	out_has '^awaiting approval +none$'
	out_has '^  available +0\.00 USD$'
	out_has '! no checkpoint has been published'
	T checkpoint -k admin.key >/dev/null 2>&1 || bad "checkpoint"
	expect 0 T status
	out_has '^checkpoint +covers all 3 entries$'
	out_has '^nothing needs attention$'
	out_lacks '!'
}

# Two donors, a pledge past due, one due later, one paid, a reversal
# awaiting approval.
status_fixture() {
	make_ledger
	R="-k recorder.key"
	T donor add --id NOR --name Norway --kind government $R >/dev/null &&
	T donor add --id DEU --name Germany --kind government $R >/dev/null &&
	T donor add --id DEU --name "Germany (BMZ)" --kind government \
	    $R >/dev/null &&
	T pledge --donor DEU --amount 100000 --currency EUR --rate 0.926 \
	    --ref DEU-1 --due 2020-03-31 --date 2020-01-15 $R >/dev/null &&
	T pledge --donor NOR --amount 5000 --currency USD --ref NOR-1 \
	    --due 2099-12-31 --date 2020-01-20 $R >/dev/null &&
	T pledge --donor NOR --amount 1234567.89 --currency USD --ref NOR-0 \
	    --due 2020-01-31 --date 2020-01-20 $R >/dev/null &&
	T receipt --donor NOR --amount 1234567.89 --currency USD \
	    --pledge NOR-0 --ref BNK-1 --date 2020-02-01 $R >/dev/null &&
	T reverse 9 --reason "keyed twice" $R >/dev/null 2>err ||
	    bad "fixture"
}

t_status_shows_pledges_past_due_and_approvals_waiting() {
	status_fixture
	expect 0 T status
	out_has '^awaiting approval +1, the oldest seq 10 recorded today$'
	out_has '^  cash +1,234,567\.89 USD$'
	out_has '^  receivable +112,991\.36 USD$'
	out_has '^pledges past due: 1, owing 107,991\.36 USD$'
	out_has '^  DEU-1 +DEU +due 2020-03-31 +100,000\.00 EUR +107,991\.36 USD'
	out_lacks 'NOR-1|NOR-0'
	out_has '! 1 entry is awaiting approval, the oldest \(seq 10\)'
	out_has '! 1 pledge is past due'
}

t_status_json_is_stable() {
	status_fixture
	expect 0 T status --json
	for k in origin fund currency entries last_entry now checkpoint \
	    uncheckpointed pending period_closed money pledges_past_due \
	    warnings; do
		grep -q "^  \"$k\": " out || bad "no top-level key $k"
	done
	out_has '"entries": 11,'
	out_has '"oldest_seq": 10,'
	out_has '"past_due": "107991.36"'
	out_has '"outstanding": "100000.00"'
	out_has '"outstanding_base": "107991.36"'
	out_has '"code": "no-checkpoint"'
	out_has '"code": "approvals-waiting"'
	out_has '"code": "pledges-past-due"'
	out_lacks 'NOR-1'
	expect 2 T status --jsn
	err_has 'status: option "--jsn" is unknown'
}

t_ids_lists_each_id_once_in_order() {
	status_fixture
	expect 0 T ids --donors
	same "$(tr '\n' ' ' <out)" "NOR DEU " "donors"
	expect 0 T ids --pledges
	same "$(tr '\n' ' ' <out)" "DEU-1 NOR-1 NOR-0 " "pledges"
	expect 0 T ids --grants
	same "$(wc -c <out | tr -d ' ')" 0 "grants"
	expect 2 T ids
	err_has 'give one of --donors'
	expect 2 T ids --donors --grants
}

t_every_command_has_help_with_an_example() {
	for tool in "$TFLEDGER" "$TFAUDIT"; do
		cmds=$("$tool" --help | sed -n '/^commands:/,/^$/p' |
		    awk 'NF > 1 { print $1 }')
		[ -n "$cmds" ] || bad "$tool --help lists no command"
		for c in $cmds; do
			expect 0 "$tool" "$c" --help
			out_has '^usage: '
			out_has '^example: '
		done
	done
	for v in generate enroll revoke list; do
		expect 0 "$TFLEDGER" key "$v" --help
		out_has "^(usage:|      ) tfledger key $v"
	done
	expect 0 "$TFLEDGER" grant disburse --help
	out_has 'tfledger grant disburse'
}

t_mistyped_command_suggests_the_nearest() {
	expect 2 "$TFLEDGER" stauts
	err_has 'unknown command "stauts"; did you mean: status\?'
	expect 2 "$TFAUDIT" verfy
	err_has 'did you mean: verify'
	out_lacks '.'
}

t_missing_required_option_is_named() {
	make_ledger
	expect 2 T donor add --id X --kind government -k recorder.key
	err_has 'missing required option --name'
	expect 2 T pledge --donor X --amount 1 --currency USD -k recorder.key
	err_has 'missing required option --ref'
	expect 2 T import r.csv -k recorder.key
	err_has 'missing required option --type'
}

t_colour_only_on_a_terminal_and_never_with_no_color() {
	make_ledger
	expect 0 T status
	out_lacks "$(printf '\033')"
	command -v script >/dev/null 2>&1 || return 0
	on_tty "$TFLEDGER" -L "$L" status
	grep -q "$(printf '\033')\[33m" out || bad "no colour on a terminal"
	on_tty NO_COLOR=1 "$TFLEDGER" -L "$L" status
	grep -q "$(printf '\033')" out && bad "colour despite NO_COLOR"
	on_tty TERM=dumb "$TFLEDGER" -L "$L" status
	grep -q "$(printf '\033')" out && bad "colour on a dumb terminal"
	return 0
}

t_progress_only_on_a_terminal_and_not_with_quiet() {
	make_ledger
	expect 0 A verify
	[ -s err ] && bad "verify wrote to stderr when piped"
	command -v script >/dev/null 2>&1 || return 0
	on_tty "$TFAUDIT" -L "$L" verify
	grep -q 'verifying \[#*\] 3/3' out || bad "no progress bar"
	on_tty "$TFAUDIT" -q -L "$L" verify
	grep -q 'verifying' out && bad "progress despite --quiet"
	printf 'id,name,kind\nA,Alpha,government\nB,Beta,private\n' >d.csv
	on_tty "$TFLEDGER" -L "$L" import --type donor d.csv -k recorder.key
	grep -q 'importing \[#*\] 2/2' out || bad "no import progress"
	return 0
}
