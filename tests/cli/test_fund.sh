# test_fund.sh - the fund rules of docs/FUND.md through the tools.
#
# For every rule: the CLI refuses to break it (exit 4, or 2 for malformed
# input), names the rule or the value, and writes nothing; and the same
# breaking entry, forged straight into the store with the right key (so
# that only the fund rule can catch it), makes `tfaudit verify` exit 1
# naming its seq.  Then the positive side: exact conversions, a small
# year whose balances are computed by hand, balances as of a date, per
# donor and per grant, and the pending list.
#
# Dates are explicit and in 2026, before the day these tests were written
# (2026-11-28), so that they are never in the future.

# fd_ok CMD...: T CMD must succeed; $S is the seq it printed.
fd_ok() {
	run T "$@"
	[ "$rc" -eq 0 ] || bad "exit $rc, wanted 0: $*"
	S=$(last_line)
}

# fd_refused CODE REGEX CMD...: T CMD exits CODE, its stderr matches REGEX
# and the ledger keeps its size.
fd_refused() {
	fd_code=$1
	fd_re=$2
	shift 2
	fd_size=$(ledger_size)
	expect "$fd_code" T "$@"
	err_has "$fd_re"
	same "$(ledger_size)" "$fd_size" "ledger size after a refused $1"
}

# fd_forge KEY TYPE FIELD=VALUE...: append a signed entry without the
# rules; $S is its seq.
fd_forge() {
	S=$("$FORGE" "$L" "$@" 2>err) || bad "forge $*"
}

# fd_caught REGEX: tfaudit verify fails at the forged entry $S, naming the
# broken rule.
fd_caught() {
	expect 1 A verify
	err_has "seq $S: breaks a rule: .*$1"
}

# fd_no_rule_broken: a forged entry that keeps the rules breaks none (the
# audit still finds that the stored state was not updated with it).
fd_no_rule_broken() {
	run A verify
	err_lacks 'breaks a rule'
}

# A copy of the ledger to forge on more than once.
fd_save() { rm -rf saved && cp -r "$L" saved; }
fd_restore() { rm -rf "$L" && cp -r saved "$L"; }

# fd_get PATH: a value of the pretty-printed JSON in out, by its path of
# keys joined with "/" (e.g. earmarks/sahel/cash, fields/base-amount).
fd_get() {
	awk -v want="$1" '
	function key() {
		match($0, /"[^"]*"/)
		return substr($0, RSTART + 1, RLENGTH - 2)
	}
	/^ *"[^"]*": \{\},?$/ { next }
	/^ *"[^"]*": \{$/ { path = path key() "/"; next }
	/^ *"[^"]*": \[$/ { path = path key() "/"; next }
	/^ +\{$/ { path = path "[]/"; next }
	/^ *[\]\}],?$/ { sub(/[^\/]*\/$/, "", path); next }
	/^ *"[^"]*": / {
		k = key()
		v = $0
		sub(/^ *"[^"]*": /, "", v)
		sub(/,$/, "", v)
		gsub(/"/, "", v)
		if (path k == want)
			print v
	}' out
}

# fd_is PATH WANT: the JSON value at PATH in out is WANT.
fd_is() { same "$(fd_get "$1")" "$2" "$1"; }

# The ledger of make_ledger (seqs 0-2) with donors (3-6) and NGOs (7-8).
fd_fund() {
	make_ledger
	fd_ok donor add --id DEU --name Germany --kind government \
	    --country DE -k recorder.key
	fd_ok donor add --id JPN --name Japan --kind government --country JP \
	    -k recorder.key
	fd_ok donor add --id KWT --name Kuwait --kind government --country KW \
	    -k recorder.key
	fd_ok donor add --id USA --name "United States" --kind government \
	    --country US -k recorder.key
	fd_ok grantee add --id ngo-1 --name "Safe Haven" --country NG \
	    -k recorder.key
	fd_ok grantee add --id ngo-2 --name "Casa Libre" --country PH \
	    -k recorder.key
}

# fd_cash AMOUNT [EARMARK]: USD received from USA on 2026-01-15.
fd_cash() {
	fd_nref=$((${fd_nref:-0} + 1))
	fd_ok receipt --donor USA --amount "$1" --currency USD \
	    --ref "BNK-US-$fd_nref" --date 2026-01-15 ${2:+--earmark "$2"} \
	    -k recorder.key
}

# fd_grant ID AMOUNT [EARMARK]: awarded to ngo-1 on 2026-02-01 for
# 2026-02-01 to 2026-12-31, and approved; $GS is the award's seq.
fd_grant() {
	fd_ok grant award --id "$1" --grantee ngo-1 --amount "$2" \
	    --start 2026-02-01 --end 2026-12-31 --date 2026-02-01 \
	    ${3:+--earmark "$3"} -k recorder.key
	GS=$S
	fd_ok approve "$GS" -k approver.key
}

# The day after today (UTC).
fd_tomorrow() {
	date -u -d "@$(($(date -u +%s) + 86400))" +%Y-%m-%d
}

# ---------------------------------------------------------------- roles

t_fund_each_entry_type_needs_its_role() {
	fd_fund
	fd_cash 100000.00
	fd_refused 4 'key "recorder.unvtf" has role recorder; policy entries need role admin' \
	    policy set --approval-threshold 5000 --psc-rate 13 -k recorder.key
	fd_refused 4 'key "approver.unvtf" has role approver; donor entries need role recorder' \
	    donor add --id NOR --name Norway --kind government -k approver.key
	fd_refused 4 'key "admin.unvtf" has role admin; receipt entries need role recorder' \
	    receipt --donor USA --amount 10 --currency USD --ref B-9 \
	    --date 2026-02-01 -k admin.key
	fd_refused 4 'key "admin.unvtf" has role admin; grant entries need role recorder' \
	    grant award --id G-1 --grantee ngo-1 --amount 100 \
	    --start 2026-02-01 --end 2026-12-31 --date 2026-02-01 -k admin.key
	fd_refused 4 'key "recorder.unvtf" has role recorder; period-close entries need role admin' \
	    period close --date 2026-03-31 -k recorder.key
	fd_refused 4 'key "approver.unvtf" has role approver; reversal entries need role recorder' \
	    reverse "$S" --reason mistake --date 2026-02-01 -k approver.key
	fd_ok grant award --id G-1 --grantee ngo-1 --amount 100 \
	    --start 2026-02-01 --end 2026-12-31 --date 2026-02-01 \
	    -k recorder.key
	fd_refused 4 'key "admin.unvtf" has role admin; approval entries need role approver' \
	    approve "$S" -k admin.key
	expect 0 A verify
}

t_fund_forged_entries_signed_by_the_wrong_role_are_caught() {
	fd_fund
	fd_save
	fd_forge admin.key receipt date=2026-02-01 donor=USA ref=B-1 \
	    amount=10.00 currency=USD base-amount=10.00
	fd_caught 'key "admin.unvtf" has role admin; receipt entries need role recorder'
	fd_restore
	fd_forge recorder.key policy approval-threshold=5000.00 psc-rate=13
	fd_caught 'key "recorder.unvtf" has role recorder; policy entries need role admin'
	fd_restore
	fd_forge approver.key period-close date=2026-03-31
	fd_caught 'key "approver.unvtf" has role approver; period-close entries need role admin'
}

# ---------------------------------------------------------- dual control

t_fund_an_award_takes_effect_only_once_approved() {
	fd_fund
	fd_cash 100000.00
	fd_ok grant award --id G-1 --grantee ngo-1 --amount 50000 \
	    --start 2026-02-01 --end 2026-12-31 --date 2026-02-01 \
	    -k recorder.key
	g=$S
	expect 0 T balance --json
	fd_is committed 0.00
	fd_is available 100000.00
	expect 0 T balance --grant G-1 --json
	fd_is status "pending approval"
	fd_refused 4 'grant "G-1": not approved' grant disburse --id G-1 \
	    --amount 100 --ref TR-1 --date 2026-02-02 -k recorder.key
	fd_refused 4 'grant "G-1": not approved' grant deobligate --id G-1 \
	    --amount 100 --date 2026-02-02 -k recorder.key
	fd_ok approve "$g" -k approver.key
	expect 0 T balance --json
	fd_is committed 50000.00
	fd_is available 50000.00
	expect 0 T balance --grant G-1 --json
	fd_is status active
	fd_ok grant disburse --id G-1 --amount 100 --ref TR-1 --date 2026-02-02 \
	    -k recorder.key
	expect 0 A verify
}

t_fund_a_forged_tranche_to_an_award_not_yet_approved_is_caught() {
	fd_fund
	fd_cash 100000.00
	fd_ok grant award --id G-1 --grantee ngo-1 --amount 50000 \
	    --start 2026-02-01 --end 2026-12-31 --date 2026-02-01 \
	    -k recorder.key
	fd_forge recorder.key disbursement date=2026-02-02 grant=G-1 ref=TR-1 \
	    amount=100.00
	fd_caught 'grant "G-1": not approved'
}

t_fund_the_signer_of_an_entry_cannot_approve_it() {
	fd_fund
	fd_cash 100000.00
	fd_ok grant award --id G-1 --grantee ngo-1 --amount 500 \
	    --start 2026-02-01 --end 2026-12-31 --date 2026-02-01 \
	    -k recorder.key
	g=$S
	# the recorder who signed the award is not an approver
	fd_refused 4 'key "recorder.unvtf" has role recorder; approval entries need role approver' \
	    approve "$g" -k recorder.key
	fd_save
	fd_forge recorder.key approval approves="$g"
	fd_caught 'key "recorder.unvtf" has role recorder; approval entries'
	fd_restore
	# nor can an approver sign what it would approve
	fd_forge approver.key grant date=2026-02-01 id=G-2 grantee=ngo-1 \
	    start=2026-02-01 end=2026-12-31 amount=500.00
	fd_caught 'key "approver.unvtf" has role approver; grant entries'
}

# The recorder's own key, enrolled a second time under another name with
# role approver: one person would then approve their own entries.
t_fund_one_key_under_two_names_cannot_approve_its_own_entries() {
	fd_fund
	fd_cash 100000.00
	sed '1s/.*/tfledger-key-name: alias.unvtf/' recorder.key >alias.key
	chmod 600 alias.key
	b64=$(cut -d+ -f3- recorder.vk)
	h=$( (printf 'alias.unvtf\n'; printf '%s' "$b64" | base64 -d) |
	    sha256sum | cut -c1-8)
	run T key enroll --verifier "alias.unvtf+$h+$b64" --role approver \
	    -k admin.key
	fd_ok grant award --id G-1 --grantee ngo-1 --amount 500 \
	    --start 2026-02-01 --end 2026-12-31 --date 2026-02-01 \
	    -k recorder.key
	g=$S
	fd_size=$(ledger_size)
	expect 4 T approve "$g" -k alias.key
	same "$(ledger_size)" "$fd_size" "ledger size after a self-approval"
	expect 0 T balance --grant G-1 --json
	fd_is status "pending approval"
}

t_fund_an_entry_is_approved_once() {
	fd_fund
	fd_cash 100000.00
	fd_grant G-1 500.00
	fd_refused 4 "approves $GS: no entry awaits approval there" \
	    approve "$GS" -k approver.key
	fd_forge approver.key approval approves="$GS"
	fd_caught "approves $GS: no entry awaits approval there"
}

t_fund_only_an_entry_awaiting_approval_can_be_approved() {
	fd_fund
	fd_cash 100000.00
	r=$S
	fd_refused 4 "approves $r: no entry awaits approval there" \
	    approve "$r" -k approver.key
	fd_refused 4 'approves 99: no entry awaits approval there' \
	    approve 99 -k approver.key
	fd_forge approver.key approval approves="$r"
	fd_caught "approves $r: no entry awaits approval there"
}

# ------------------------------------------------------ approval threshold

t_fund_a_tranche_above_the_threshold_waits_for_approval() {
	fd_fund
	fd_cash 100000.00
	fd_grant G-1 50000.00
	# default threshold 10,000.00: at it, in effect at once
	fd_ok grant disburse --id G-1 --amount 10000.00 --ref TR-1 \
	    --date 2026-02-02 -k recorder.key
	expect 0 T pending
	same "$(wc -l <out | tr -d ' ')" 0 "pending lines"
	fd_ok grant disburse --id G-1 --amount 10000.01 --ref TR-2 \
	    --date 2026-02-03 -k recorder.key
	t=$S
	expect 0 T pending
	out_has "^$t +disbursement +recorder.unvtf"
	expect 0 T balance --grant G-1 --json
	fd_is disbursed 10000.00
	fd_ok approve "$t" -k approver.key
	expect 0 T balance --grant G-1 --json
	fd_is disbursed 20000.01
	# a lower threshold from its seq on
	fd_ok policy set --approval-threshold 5000 --psc-rate 13 -k admin.key
	fd_ok grant disburse --id G-1 --amount 5000.00 --ref TR-3 \
	    --date 2026-02-04 -k recorder.key
	fd_ok grant disburse --id G-1 --amount 5000.01 --ref TR-4 \
	    --date 2026-02-04 -k recorder.key
	t=$S
	expect 0 T pending
	out_has "^$t +disbursement"
	expect 0 T balance --grant G-1 --json
	fd_is disbursed 25000.01
	expect 0 A verify
}

# Rules are checked again when an entry is approved.
t_fund_two_pending_tranches_cannot_both_exceed_the_award() {
	fd_fund
	fd_cash 100000.00
	fd_grant G-1 30000.00
	fd_ok grant disburse --id G-1 --amount 20000 --ref TR-1 \
	    --date 2026-02-02 -k recorder.key
	t1=$S
	fd_ok grant disburse --id G-1 --amount 15000 --ref TR-2 \
	    --date 2026-02-02 -k recorder.key
	t2=$S
	fd_ok approve "$t1" -k approver.key
	fd_refused 4 'amount "15000.00": grant "G-1" has less than that left of its award' \
	    approve "$t2" -k approver.key
	fd_forge approver.key approval approves="$t2"
	fd_caught 'amount "15000.00": grant "G-1" has less than that left'
}

# A forged tranche above the threshold stays pending in the audit too: a
# report spending it is caught.
t_fund_a_forged_tranche_above_the_threshold_is_not_in_effect() {
	fd_fund
	fd_cash 100000.00
	fd_grant G-1 50000.00
	fd_forge recorder.key disbursement date=2026-02-02 grant=G-1 ref=TR-1 \
	    amount=10000.01
	fd_no_rule_broken
	fd_forge recorder.key expenditure date=2026-02-03 grant=G-1 \
	    amount=10000.01 women=1 girls=0 men=0 boys=0 sexual=0 labour=0 \
	    other-form=0
	fd_caught "amount \"10000.01\": more than grant \"G-1\"'s advance outstanding"
}

# ------------------------------------------------------------------ dates

t_fund_a_value_date_after_today_is_refused() {
	fd_fund
	tomorrow=$(fd_tomorrow)
	fd_refused 4 "date \"$tomorrow\": in the future" receipt --donor USA \
	    --amount 10 --currency USD --ref B-1 --date "$tomorrow" \
	    -k recorder.key
	fd_refused 4 "date \"$tomorrow\": in the future" \
	    period close --date "$tomorrow" -k admin.key
	fd_forge recorder.key receipt date="$tomorrow" donor=USA ref=B-1 \
	    amount=10.00 currency=USD base-amount=10.00
	fd_caught "date \"$tomorrow\": in the future"
}

t_fund_nothing_is_dated_in_a_closed_period() {
	fd_fund
	fd_cash 100000.00
	fd_ok period close --date 2026-06-30 -k admin.key
	fd_refused 4 'date: the period through 2026-06-30 is closed' \
	    receipt --donor USA --amount 10 --currency USD --ref B-2 \
	    --date 2026-06-30 -k recorder.key
	fd_refused 4 'date: the period through 2026-06-30 is closed' \
	    grant award --id G-1 --grantee ngo-1 --amount 100 \
	    --start 2026-02-01 --end 2026-12-31 --date 2026-03-01 \
	    -k recorder.key
	fd_refused 4 'date: the period through 2026-06-30 is closed' \
	    interest --amount 5 --ref INT-1 --date 2026-01-31 -k recorder.key
	fd_ok receipt --donor USA --amount 10 --currency USD --ref B-2 \
	    --date 2026-07-01 -k recorder.key
	fd_forge recorder.key receipt date=2026-06-15 donor=USA ref=B-3 \
	    amount=10.00 currency=USD base-amount=10.00
	fd_caught 'date: the period through 2026-06-30 is closed'
}

t_fund_each_period_close_is_after_the_previous_one() {
	fd_fund
	fd_ok period close --date 2026-06-30 -k admin.key
	fd_refused 4 'period through 2026-06-30 is closed' \
	    period close --date 2026-03-31 -k admin.key
	fd_refused 4 'period through 2026-06-30 is closed' \
	    period close --date 2026-06-30 -k admin.key
	fd_ok period close --date 2026-09-30 -k admin.key
	fd_forge admin.key period-close date=2026-08-31
	fd_caught 'period through 2026-09-30 is closed'
}

t_fund_an_approval_cannot_bring_a_closed_period_entry_into_effect() {
	fd_fund
	fd_cash 100000.00
	fd_ok grant award --id G-1 --grantee ngo-1 --amount 500 \
	    --start 2026-02-01 --end 2026-12-31 --date 2026-06-15 \
	    -k recorder.key
	g=$S
	fd_ok period close --date 2026-06-30 -k admin.key
	fd_refused 4 "approves $g: the period through 2026-06-30 is closed" \
	    approve "$g" -k approver.key
	expect 0 T pending
	out_has "^$g +grant"
	fd_forge approver.key approval approves="$g"
	fd_caught "approves $g: the period through 2026-06-30 is closed"
}

# ------------------------------------------------ unknown names and refs

t_fund_income_from_an_unknown_donor_is_refused() {
	fd_fund
	fd_refused 4 'donor "NOPE": unknown' pledge --donor NOPE \
	    --amount 100 --currency USD --ref P-1 --date 2026-02-01 \
	    -k recorder.key
	fd_refused 4 'donor "NOPE": unknown' receipt --donor NOPE \
	    --amount 100 --currency USD --ref B-1 --date 2026-02-01 \
	    -k recorder.key
	fd_refused 4 'donor "NOPE": unknown' refund --donor NOPE \
	    --receipt B-1 --amount 100 --currency USD --ref RF-1 \
	    --date 2026-02-01 -k recorder.key
	fd_save
	fd_forge recorder.key pledge date=2026-02-01 donor=NOPE ref=P-1 \
	    amount=100.00 currency=USD base-amount=100.00
	fd_caught 'donor "NOPE": unknown'
	fd_restore
	fd_forge recorder.key receipt date=2026-02-01 donor=NOPE ref=B-1 \
	    amount=100.00 currency=USD base-amount=100.00
	fd_caught 'donor "NOPE": unknown'
}

t_fund_a_grant_to_an_unknown_grantee_is_refused() {
	fd_fund
	fd_cash 100000.00
	fd_refused 4 'grantee "ngo-9": unknown' grant award --id G-1 \
	    --grantee ngo-9 --amount 100 --start 2026-02-01 --end 2026-12-31 \
	    --date 2026-02-01 -k recorder.key
	fd_forge recorder.key grant date=2026-02-01 id=G-1 grantee=ngo-9 \
	    start=2026-02-01 end=2026-12-31 amount=100.00
	fd_caught 'grantee "ngo-9": unknown'
}

t_fund_entries_for_an_unknown_grant_are_refused() {
	fd_fund
	fd_cash 100000.00
	fd_refused 4 'grant "G-9": unknown' grant disburse --id G-9 \
	    --amount 100 --ref TR-1 --date 2026-02-02 -k recorder.key
	fd_refused 4 'grant "G-9": unknown' grant expenditure --id G-9 \
	    --amount 100 --women 1 --date 2026-02-02 -k recorder.key
	fd_refused 4 'grant "G-9": unknown' grant refund --id G-9 \
	    --amount 100 --ref RF-1 --date 2026-02-02 -k recorder.key
	fd_refused 4 'grant "G-9": unknown' grant deobligate --id G-9 \
	    --amount 100 --date 2026-02-02 -k recorder.key
	fd_save
	fd_forge recorder.key disbursement date=2026-02-02 grant=G-9 ref=TR-1 \
	    amount=100.00
	fd_caught 'grant "G-9": unknown'
	fd_restore
	fd_forge recorder.key deobligation date=2026-02-02 grant=G-9 \
	    amount=100.00
	fd_caught 'grant "G-9": unknown'
}

t_fund_a_grant_id_is_used_once() {
	fd_fund
	fd_cash 100000.00
	fd_grant G-1 500.00
	fd_refused 4 "grant \"G-1\": id already used at seq $GS" grant award \
	    --id G-1 --grantee ngo-2 --amount 100 --start 2026-02-01 \
	    --end 2026-12-31 --date 2026-02-01 -k recorder.key
	fd_forge recorder.key grant date=2026-02-01 id=G-1 grantee=ngo-2 \
	    start=2026-02-01 end=2026-12-31 amount=100.00
	fd_caught "grant \"G-1\": id already used at seq $GS"
}

t_fund_a_grant_ends_on_or_after_its_start() {
	fd_fund
	fd_cash 100000.00
	fd_refused 4 'end "2026-01-31": before start "2026-02-01"' \
	    grant award --id G-1 --grantee ngo-1 --amount 100 \
	    --start 2026-02-01 --end 2026-01-31 --date 2026-02-01 \
	    -k recorder.key
	fd_ok grant award --id G-1 --grantee ngo-1 --amount 100 \
	    --start 2026-02-01 --end 2026-02-01 --date 2026-02-01 \
	    -k recorder.key
	fd_forge recorder.key grant date=2026-02-01 id=G-2 grantee=ngo-1 \
	    start=2026-02-01 end=2026-01-31 amount=100.00
	fd_caught 'end "2026-01-31": before start "2026-02-01"'
}

t_fund_receipts_and_writedowns_of_an_unknown_pledge_are_refused() {
	fd_fund
	fd_refused 4 'pledge "P-9": unknown' receipt --donor USA \
	    --amount 100 --currency USD --pledge P-9 --ref B-1 \
	    --date 2026-02-01 -k recorder.key
	fd_refused 4 'pledge "P-9": unknown' pledge writedown --pledge P-9 \
	    --amount 100 --reason "budget cut" --date 2026-02-01 \
	    -k recorder.key
	fd_save
	fd_forge recorder.key receipt date=2026-02-01 donor=USA ref=B-1 \
	    amount=100.00 currency=USD base-amount=100.00 pledge=P-9
	fd_caught 'pledge "P-9": unknown'
	fd_restore
	fd_forge recorder.key pledge-writedown date=2026-02-01 pledge=P-9 \
	    amount=100.00 reason=cut
	fd_caught 'pledge "P-9": unknown'
}

t_fund_a_receipt_against_another_donors_pledge_is_refused() {
	fd_fund
	fd_ok pledge --donor DEU --amount 1000 --currency USD --ref P-1 \
	    --date 2026-01-10 -k recorder.key
	fd_refused 4 "pledge \"P-1\": is donor \"DEU\"'s" receipt --donor USA \
	    --amount 100 --currency USD --pledge P-1 --ref B-1 \
	    --date 2026-02-01 -k recorder.key
	fd_forge recorder.key receipt date=2026-02-01 donor=USA ref=B-1 \
	    amount=100.00 currency=USD base-amount=100.00 pledge=P-1
	fd_caught "pledge \"P-1\": is donor \"DEU\"'s"
}

t_fund_master_data_is_corrected_by_a_new_entry() {
	fd_fund
	fd_ok donor add --id DEU --name "Federal Republic of Germany" \
	    --kind government --country DE -k recorder.key
	fd_ok grantee add --id ngo-1 --name "Safe Haven Lagos" --country NG \
	    -k recorder.key
	expect 0 T balance --donor DEU --json
	fd_is name "Federal Republic of Germany"
	expect 0 A verify
}

# -------------------------------------------------------------- income

t_fund_a_pledge_reference_is_used_once() {
	fd_fund
	fd_ok pledge --donor DEU --amount 1000 --currency EUR --rate 0.926 \
	    --ref P-1 --date 2026-01-10 -k recorder.key
	p=$S
	fd_refused 4 "pledge \"P-1\": reference already recorded at seq $p" \
	    pledge --donor JPN --amount 1000 --currency USD --ref P-1 \
	    --date 2026-01-11 -k recorder.key
	fd_forge recorder.key pledge date=2026-01-11 donor=JPN ref=P-1 \
	    amount=1000.00 currency=USD base-amount=1000.00
	fd_caught "pledge \"P-1\": reference already recorded at seq $p"
}

t_fund_a_donors_bank_reference_is_used_once() {
	fd_fund
	fd_ok receipt --donor USA --amount 100 --currency USD --ref BNK-1 \
	    --date 2026-02-01 -k recorder.key
	r=$S
	fd_refused 4 "receipt \"BNK-1\": already recorded at seq $r" \
	    receipt --donor USA --amount 200 --currency USD --ref BNK-1 \
	    --date 2026-02-02 -k recorder.key
	# the same bank reference from another donor is another transfer
	fd_ok receipt --donor DEU --amount 100 --currency USD --ref BNK-1 \
	    --date 2026-02-02 -k recorder.key
	fd_forge recorder.key receipt date=2026-02-03 donor=USA ref=BNK-1 \
	    amount=200.00 currency=USD base-amount=200.00
	fd_caught "receipt \"BNK-1\": already recorded at seq $r"
}

t_fund_a_reversed_receipt_frees_its_bank_reference() {
	fd_fund
	fd_ok receipt --donor USA --amount 100 --currency USD --ref BNK-1 \
	    --date 2026-02-01 -k recorder.key
	r=$S
	fd_ok reverse "$r" --reason "wrong amount" --date 2026-02-02 \
	    -k recorder.key
	v=$S
	# pending, the reversal frees nothing yet
	fd_refused 4 "receipt \"BNK-1\": already recorded at seq $r" \
	    receipt --donor USA --amount 110 --currency USD --ref BNK-1 \
	    --date 2026-02-02 -k recorder.key
	fd_ok approve "$v" -k approver.key
	fd_ok receipt --donor USA --amount 110 --currency USD --ref BNK-1 \
	    --date 2026-02-02 -k recorder.key
	expect 0 T balance --json
	fd_is cash 110.00
	fd_is contributions 110.00
	expect 0 A verify
}

t_fund_a_receipt_never_exceeds_its_pledges_outstanding() {
	fd_fund
	fd_ok pledge --donor DEU --amount 1000 --currency EUR --rate 0.926 \
	    --ref P-1 --date 2026-01-10 -k recorder.key
	fd_ok receipt --donor DEU --amount 600 --currency EUR --rate 0.926 \
	    --pledge P-1 --ref B-1 --date 2026-02-01 -k recorder.key
	fd_refused 4 'pledge "P-1": only 40000 minor units of EUR outstanding' \
	    receipt --donor DEU --amount 400.01 --currency EUR --rate 0.926 \
	    --pledge P-1 --ref B-2 --date 2026-02-02 -k recorder.key
	fd_save
	fd_forge recorder.key receipt date=2026-02-02 donor=DEU ref=B-2 \
	    amount=400.01 currency=EUR rate=0.926 base-amount=431.98 \
	    pledge=P-1
	fd_caught 'pledge "P-1": only 40000 minor units of EUR outstanding'
	fd_restore
	fd_ok receipt --donor DEU --amount 400 --currency EUR --rate 0.926 \
	    --pledge P-1 --ref B-2 --date 2026-02-02 -k recorder.key
	expect 0 T balance --json
	fd_is receivable 0.00
	expect 0 A verify
}

t_fund_a_receipt_is_in_its_pledges_currency() {
	fd_fund
	fd_ok pledge --donor DEU --amount 1000 --currency EUR --rate 0.926 \
	    --ref P-1 --date 2026-01-10 -k recorder.key
	fd_refused 4 'currency "USD": pledge "P-1" is in EUR' receipt \
	    --donor DEU --amount 100 --currency USD --pledge P-1 --ref B-1 \
	    --date 2026-02-01 -k recorder.key
	fd_refused 4 'currency "JPY": pledge "P-1" is in EUR' receipt \
	    --donor DEU --amount 100 --currency JPY --rate 150 --pledge P-1 \
	    --ref B-1 --date 2026-02-01 -k recorder.key
	fd_forge recorder.key receipt date=2026-02-01 donor=DEU ref=B-1 \
	    amount=100.00 currency=USD base-amount=100.00 pledge=P-1
	fd_caught 'currency "USD": pledge "P-1" is in EUR'
}

t_fund_a_receipt_keeps_its_pledges_earmark() {
	fd_fund
	fd_ok pledge --donor JPN --amount 1000000 --currency JPY --rate 156.25 \
	    --earmark sahel --ref P-1 --date 2026-01-10 -k recorder.key
	fd_ok pledge --donor DEU --amount 1000 --currency USD --ref P-2 \
	    --date 2026-01-10 -k recorder.key
	fd_refused 4 'earmark "asia": the pledge is earmarked "sahel"' \
	    receipt --donor JPN --amount 1000 --currency JPY --rate 156.25 \
	    --pledge P-1 --earmark asia --ref B-1 --date 2026-02-01 \
	    -k recorder.key
	fd_refused 4 'earmark "sahel": the pledge is earmarked ""' \
	    receipt --donor DEU --amount 100 --currency USD --pledge P-2 \
	    --earmark sahel --ref B-1 --date 2026-02-01 -k recorder.key
	# without an earmark of its own, a receipt takes its pledge's
	fd_ok receipt --donor JPN --amount 1000 --currency JPY --rate 156.25 \
	    --pledge P-1 --ref B-1 --date 2026-02-01 -k recorder.key
	expect 0 T balance --json
	fd_is earmarks/sahel/cash 6.40
	fd_is 'earmarks/(unearmarked)/cash' 0.00
	fd_forge recorder.key receipt date=2026-02-01 donor=JPN ref=B-2 \
	    amount=1000 currency=JPY rate=156.25 base-amount=6.40 pledge=P-1 \
	    earmark=asia
	fd_caught 'earmark "asia": the pledge is earmarked "sahel"'
}

t_fund_a_donor_refund_never_exceeds_what_is_left_of_its_receipt() {
	fd_fund
	fd_ok receipt --donor USA --amount 1000 --currency USD --ref BNK-1 \
	    --date 2026-02-01 -k recorder.key
	fd_ok refund --donor USA --receipt BNK-1 --amount 600 --currency USD \
	    --ref RF-1 --date 2026-02-02 -k recorder.key
	fd_refused 4 'amount "400.01": more than receipt "BNK-1" left to refund' \
	    refund --donor USA --receipt BNK-1 --amount 400.01 --currency USD \
	    --ref RF-2 --date 2026-02-03 -k recorder.key
	fd_refused 4 'receipt "BNK-9": unknown for donor "USA"' \
	    refund --donor USA --receipt BNK-9 --amount 1 --currency USD \
	    --ref RF-2 --date 2026-02-03 -k recorder.key
	fd_refused 4 'receipt "BNK-1": unknown for donor "DEU"' \
	    refund --donor DEU --receipt BNK-1 --amount 1 --currency USD \
	    --ref RF-2 --date 2026-02-03 -k recorder.key
	fd_forge recorder.key donor-refund date=2026-02-03 donor=USA ref=RF-2 \
	    amount=400.01 currency=USD base-amount=400.01 receipt=BNK-1
	fd_caught 'amount "400.01": more than receipt "BNK-1" left to refund'
}

t_fund_a_donor_refund_is_in_its_receipts_currency() {
	fd_fund
	fd_ok receipt --donor DEU --amount 1000 --currency EUR --rate 0.926 \
	    --ref BNK-1 --date 2026-02-01 -k recorder.key
	fd_refused 4 'currency "USD": receipt "BNK-1" was in EUR' \
	    refund --donor DEU --receipt BNK-1 --amount 100 --currency USD \
	    --ref RF-1 --date 2026-02-02 -k recorder.key
	fd_refused 4 'currency "JPY": receipt "BNK-1" was in EUR' \
	    refund --donor DEU --receipt BNK-1 --amount 100 --currency JPY \
	    --rate 150 --ref RF-1 --date 2026-02-02 -k recorder.key
	fd_ok refund --donor DEU --receipt BNK-1 --amount 100 --currency EUR \
	    --rate 0.95 --ref RF-1 --date 2026-02-02 -k recorder.key
	fd_forge recorder.key donor-refund date=2026-02-03 donor=DEU ref=RF-2 \
	    amount=100.00 currency=USD base-amount=100.00 receipt=BNK-1
	fd_caught 'currency "USD": receipt "BNK-1" was in EUR'
}

t_fund_a_writedown_never_exceeds_the_pledge_outstanding() {
	fd_fund
	# JPY 1,000,000 at 156.25 = USD 6,400.00
	fd_ok pledge --donor JPN --amount 1000000 --currency JPY --rate 156.25 \
	    --ref P-1 --date 2026-01-10 -k recorder.key
	fd_ok receipt --donor JPN --amount 600000 --currency JPY --rate 150 \
	    --pledge P-1 --ref B-1 --date 2026-02-01 -k recorder.key
	fd_refused 4 'pledge "P-1": only 400000 minor units of JPY outstanding' \
	    pledge writedown --pledge P-1 --amount 400001 --reason "budget cut" \
	    --date 2026-03-01 -k recorder.key
	fd_refused 2 '400\.5' pledge writedown --pledge P-1 --amount 400.5 \
	    --reason "budget cut" --date 2026-03-01 -k recorder.key
	fd_save
	fd_forge recorder.key pledge-writedown date=2026-03-01 pledge=P-1 \
	    amount=400001 reason=cut
	fd_caught 'pledge "P-1": only 400000 minor units of JPY outstanding'
	fd_restore
	# the receipt cleared round(6400.00 x 0.6) = 3840.00; the rest, 2560.00
	fd_ok pledge writedown --pledge P-1 --amount 400000 \
	    --reason "budget cut" --date 2026-03-01 -k recorder.key
	expect 0 T balance --donor JPN --json
	fd_is pledged 6400.00
	fd_is receivable 0.00
	fd_is written_down 2560.00
	expect 0 T balance --json
	fd_is receivable 0.00
	fd_is contributions 3840.00
	expect 0 A verify
}

# ------------------------------------------------------------------ cash

t_fund_cash_never_falls_below_what_is_committed() {
	fd_fund
	fd_cash 1000.00
	r=$S
	# 800.00 + PSC 104.00 <= 1000.00; the PSC the award will cost stays
	# reserved: 96.00 is free
	fd_grant G-1 800.00
	fd_refused 4 'cost would be -0.01 USD' refund \
	    --donor USA --receipt BNK-US-1 --amount 96.01 --currency USD \
	    --ref RF-1 --date 2026-02-02 -k recorder.key
	fd_refused 4 'cost would be -904.00 USD' \
	    reverse "$r" --reason mistake --date 2026-02-02 -k recorder.key
	fd_save
	fd_forge recorder.key donor-refund date=2026-02-02 donor=USA ref=RF-1 \
	    amount=96.01 currency=USD base-amount=96.01 receipt=BNK-US-1
	fd_caught 'cost would be -0.01 USD'
	fd_restore
	fd_ok refund --donor USA --receipt BNK-US-1 --amount 96 --currency USD \
	    --ref RF-1 --date 2026-02-02 -k recorder.key
	expect 0 T balance --json
	fd_is available 104.00
	expect 0 A verify
}

t_fund_cash_never_goes_negative() {
	fd_fund
	fd_cash 1000.00
	fd_grant G-1 800.00
	fd_ok grant disburse --id G-1 --amount 800 --ref TR-1 --date 2026-02-02 \
	    -k recorder.key
	fd_ok grant expenditure --id G-1 --amount 800 --women 3 \
	    --date 2026-02-03 -k recorder.key
	fd_ok psc --date 2026-02-04 -k recorder.key
	# 1000.00 - 800.00 - PSC 104.00 = 96.00
	expect 0 T balance --json
	fd_is cash 96.00
	fd_refused 4 'cash would be -0.01 USD' refund --donor USA \
	    --receipt BNK-US-1 --amount 96.01 --currency USD --ref RF-1 \
	    --date 2026-02-05 -k recorder.key
	fd_forge recorder.key donor-refund date=2026-02-05 donor=USA ref=RF-1 \
	    amount=96.01 currency=USD base-amount=96.01 receipt=BNK-US-1
	fd_caught 'cash would be -0.01 USD'
}

# ---------------------------------------------------------- award funding

t_fund_an_award_needs_cash_for_itself_and_its_psc() {
	fd_fund
	fd_cash 1000.00
	# 884.97 + PSC round(115.0461) = 115.05 = 1000.02 > 1000.00, though
	# the award alone would fit; 884.96 + 115.04 = 1000.00 fits
	fd_refused 4 'grant "G-1": not fully funded: 1000.00 USD available, award and PSC need more' \
	    grant award --id G-1 --grantee ngo-1 --amount 884.97 \
	    --start 2026-02-01 --end 2026-12-31 --date 2026-02-01 \
	    -k recorder.key
	fd_save
	fd_forge recorder.key grant date=2026-02-01 id=G-1 grantee=ngo-1 \
	    start=2026-02-01 end=2026-12-31 amount=884.97
	fd_caught 'grant "G-1": not fully funded: 1000.00 USD available'
	fd_restore
	fd_grant G-1 884.96
	expect 0 T balance --json
	fd_is committed 884.96
	expect 0 A verify
}

t_fund_two_pending_awards_cannot_both_use_the_same_money() {
	fd_fund
	fd_cash 1000.00
	fd_ok grant award --id G-1 --grantee ngo-1 --amount 800 \
	    --start 2026-02-01 --end 2026-12-31 --date 2026-02-01 \
	    -k recorder.key
	g1=$S
	fd_ok grant award --id G-2 --grantee ngo-2 --amount 800 \
	    --start 2026-02-01 --end 2026-12-31 --date 2026-02-01 \
	    -k recorder.key
	g2=$S
	fd_ok approve "$g1" -k approver.key
	fd_refused 4 'grant "G-2": not fully funded: 96.00 USD available' \
	    approve "$g2" -k approver.key
	expect 0 T pending
	out_has "^$g2 +grant"
	fd_forge approver.key approval approves="$g2"
	fd_caught 'grant "G-2": not fully funded: 96.00 USD available'
}

t_fund_an_earmarked_award_uses_only_its_earmarks_money() {
	fd_fund
	fd_cash 5000.00
	fd_cash 3000.00 sahel
	# 3000.00 + 390.00 > 3000.00 in sahel, though the fund has 8000.00
	fd_refused 4 'grant "G-1": not fully funded: 3000.00 USD available in earmark sahel' \
	    grant award --id G-1 --grantee ngo-1 --amount 3000 --earmark sahel \
	    --start 2026-02-01 --end 2026-12-31 --date 2026-02-01 \
	    -k recorder.key
	fd_refused 4 'grant "G-1": not fully funded: 0.00 USD available in earmark asia' \
	    grant award --id G-1 --grantee ngo-1 --amount 100 --earmark asia \
	    --start 2026-02-01 --end 2026-12-31 --date 2026-02-01 \
	    -k recorder.key
	fd_save
	fd_forge recorder.key grant date=2026-02-01 id=G-1 grantee=ngo-1 \
	    start=2026-02-01 end=2026-12-31 amount=3000.00 earmark=sahel
	fd_caught 'not fully funded: 3000.00 USD available in earmark sahel'
	fd_restore
	# 2600.00 + 338.00 = 2938.00 <= 3000.00
	fd_grant G-1 2600.00 sahel
	expect 0 T balance --json
	fd_is earmarks/sahel/committed 2600.00
	fd_is earmarks/sahel/available 400.00
	fd_is 'earmarks/(unearmarked)/available' 5000.00
	expect 0 A verify
}

t_fund_an_unearmarked_award_cannot_use_earmarked_money() {
	fd_fund
	fd_cash 5000.00 sahel
	fd_refused 4 'grant "G-1": not fully funded: 0.00 USD available, award' \
	    grant award --id G-1 --grantee ngo-1 --amount 100 \
	    --start 2026-02-01 --end 2026-12-31 --date 2026-02-01 \
	    -k recorder.key
	fd_save
	fd_forge recorder.key grant date=2026-02-01 id=G-1 grantee=ngo-1 \
	    start=2026-02-01 end=2026-12-31 amount=100.00
	fd_caught 'grant "G-1": not fully funded: 0.00 USD available,'
	fd_restore
	# interest is unearmarked: 100.00 + 13.00 <= 113.00
	fd_ok interest --amount 113 --ref INT-1 --date 2026-01-31 \
	    -k recorder.key
	fd_grant G-1 100.00
	expect 0 T balance --json
	fd_is 'earmarks/(unearmarked)/available' 13.00
	fd_is earmarks/sahel/available 5000.00
	expect 0 A verify
}

# ------------------------------------------------------------ tranches

t_fund_a_tranche_is_dated_within_its_grant() {
	fd_fund
	fd_cash 100000.00
	fd_ok grant award --id G-1 --grantee ngo-1 --amount 5000 \
	    --start 2026-03-01 --end 2026-08-31 --date 2026-02-01 \
	    -k recorder.key
	fd_ok approve "$S" -k approver.key
	fd_refused 4 'date "2026-02-28": grant "G-1" is not active then' \
	    grant disburse --id G-1 --amount 100 --ref TR-1 --date 2026-02-28 \
	    -k recorder.key
	fd_refused 4 'date "2026-09-01": grant "G-1" is not active then' \
	    grant disburse --id G-1 --amount 100 --ref TR-1 --date 2026-09-01 \
	    -k recorder.key
	fd_ok grant disburse --id G-1 --amount 100 --ref TR-1 \
	    --date 2026-03-01 -k recorder.key
	fd_ok grant disburse --id G-1 --amount 100 --ref TR-2 \
	    --date 2026-08-31 -k recorder.key
	fd_forge recorder.key disbursement date=2026-09-01 grant=G-1 ref=TR-3 \
	    amount=100.00
	fd_caught 'date "2026-09-01": grant "G-1" is not active then'
}

t_fund_tranches_never_exceed_the_award_net_of_deobligations() {
	fd_fund
	fd_cash 100000.00
	fd_grant G-1 5000.00
	fd_ok grant deobligate --id G-1 --amount 1000 --reason "smaller project" \
	    --date 2026-02-02 -k recorder.key
	fd_refused 4 'amount "4000.01": grant "G-1" has less than that left of its award' \
	    grant disburse --id G-1 --amount 4000.01 --ref TR-1 \
	    --date 2026-02-03 -k recorder.key
	fd_ok grant disburse --id G-1 --amount 3000 --ref TR-1 \
	    --date 2026-02-03 -k recorder.key
	fd_ok grant refund --id G-1 --amount 500 --ref RF-1 --date 2026-02-04 \
	    -k recorder.key
	# the NGO's refund does not restore the award: 1000.00 is left
	fd_refused 4 'amount "1000.01": grant "G-1" has less than that left of its award' \
	    grant disburse --id G-1 --amount 1000.01 --ref TR-2 \
	    --date 2026-02-05 -k recorder.key
	fd_save
	fd_forge recorder.key disbursement date=2026-02-05 grant=G-1 ref=TR-2 \
	    amount=1000.01
	fd_caught 'amount "1000.01": grant "G-1" has less than that left'
	fd_restore
	fd_ok grant disburse --id G-1 --amount 1000 --ref TR-2 \
	    --date 2026-02-05 -k recorder.key
	expect 0 T balance --grant G-1 --json
	fd_is disbursed 4000.00
	fd_is committed 0.00
	expect 0 A verify
}

t_fund_a_tranche_reference_is_used_once_per_grant() {
	fd_fund
	fd_cash 100000.00
	fd_grant G-1 5000.00
	fd_grant G-2 5000.00
	fd_ok grant disburse --id G-1 --amount 100 --ref TR-1 \
	    --date 2026-02-03 -k recorder.key
	d=$S
	fd_refused 4 "ref \"TR-1\": already recorded for grant \"G-1\" at seq $d" \
	    grant disburse --id G-1 --amount 200 --ref TR-1 --date 2026-02-04 \
	    -k recorder.key
	fd_ok grant disburse --id G-2 --amount 100 --ref TR-1 \
	    --date 2026-02-03 -k recorder.key
	fd_forge recorder.key disbursement date=2026-02-04 grant=G-1 ref=TR-1 \
	    amount=200.00
	fd_caught "ref \"TR-1\": already recorded for grant \"G-1\" at seq $d"
}

# --------------------------------------------------- advances, deobligation

t_fund_spending_and_ngo_refunds_never_exceed_the_advance() {
	fd_fund
	fd_cash 100000.00
	fd_grant G-1 5000.00
	fd_ok grant disburse --id G-1 --amount 2000 --ref TR-1 \
	    --date 2026-02-02 -k recorder.key
	fd_ok grant expenditure --id G-1 --amount 1500 --women 4 --girls 2 \
	    --date 2026-02-03 -k recorder.key
	fd_refused 4 "amount \"500.01\": more than grant \"G-1\"'s advance outstanding" \
	    grant expenditure --id G-1 --amount 500.01 --women 1 \
	    --date 2026-02-04 -k recorder.key
	fd_refused 4 "amount \"500.01\": more than grant \"G-1\"'s advance outstanding" \
	    grant refund --id G-1 --amount 500.01 --ref RF-1 --date 2026-02-04 \
	    -k recorder.key
	fd_save
	fd_forge recorder.key expenditure date=2026-02-04 grant=G-1 \
	    amount=500.01 women=1 girls=0 men=0 boys=0 sexual=0 labour=0 \
	    other-form=0
	fd_caught "amount \"500.01\": more than grant \"G-1\"'s advance outstanding"
	fd_restore
	fd_forge recorder.key grantee-refund date=2026-02-04 grant=G-1 ref=RF-1 \
	    amount=500.01
	fd_caught "amount \"500.01\": more than grant \"G-1\"'s advance outstanding"
	fd_restore
	fd_ok grant refund --id G-1 --amount 500 --ref RF-1 --date 2026-02-04 \
	    -k recorder.key
	fd_refused 4 "amount \"0.01\": more than grant \"G-1\"'s advance outstanding" \
	    grant expenditure --id G-1 --amount 0.01 --women 1 \
	    --date 2026-02-05 -k recorder.key
	expect 0 T balance --grant G-1 --json
	fd_is advances 0.00
	fd_is spent 1500.00
	fd_is refunded 500.00
	expect 0 A verify
}

t_fund_a_deobligation_never_exceeds_the_undisbursed_award() {
	fd_fund
	fd_cash 100000.00
	fd_grant G-1 5000.00
	fd_ok grant disburse --id G-1 --amount 2000 --ref TR-1 \
	    --date 2026-02-02 -k recorder.key
	fd_refused 4 "amount \"3000.01\": more than grant \"G-1\"'s undisbursed award" \
	    grant deobligate --id G-1 --amount 3000.01 --date 2026-02-03 \
	    -k recorder.key
	fd_save
	fd_forge recorder.key deobligation date=2026-02-03 grant=G-1 \
	    amount=3000.01
	fd_caught "amount \"3000.01\": more than grant \"G-1\"'s undisbursed award"
	fd_restore
	fd_ok grant deobligate --id G-1 --amount 3000 --date 2026-02-03 \
	    -k recorder.key
	fd_refused 4 'amount "0.01": grant "G-1" has less than that left' \
	    grant disburse --id G-1 --amount 0.01 --ref TR-2 \
	    --date 2026-02-04 -k recorder.key
	expect 0 T balance --json
	fd_is committed 0.00
	fd_is available 98000.00
	expect 0 A verify
}

t_fund_forms_of_exploitation_never_exceed_the_people_assisted() {
	fd_fund
	fd_cash 100000.00
	fd_grant G-1 5000.00
	fd_ok grant disburse --id G-1 --amount 2000 --ref TR-1 \
	    --date 2026-02-02 -k recorder.key
	fd_refused 4 'forms of exploitation count 5 people, more than the 3 assisted' \
	    grant expenditure --id G-1 --amount 100 --women 2 --girls 1 \
	    --sexual 2 --labour 2 --other-form 1 --date 2026-02-03 \
	    -k recorder.key
	fd_ok grant expenditure --id G-1 --amount 100 --women 2 --girls 1 \
	    --sexual 2 --labour 1 --services shelter:3,medical:1 \
	    --date 2026-02-03 -k recorder.key
	fd_forge recorder.key expenditure date=2026-02-03 grant=G-1 \
	    amount=100.00 women=2 girls=1 men=0 boys=0 sexual=2 labour=2 \
	    other-form=1
	fd_caught 'forms of exploitation count 5 people, more than the 3 assisted'
}

# -------------------------------------------------------------------- PSC

t_fund_psc_is_computed_by_the_ledger() {
	fd_fund
	fd_cash 100000.00
	fd_cash 10000.00 sahel
	fd_grant G-1 5000.00
	fd_grant G-2 5000.00 sahel
	fd_ok grant disburse --id G-1 --amount 5000 --ref TR-1 \
	    --date 2026-02-02 -k recorder.key
	fd_ok grant disburse --id G-2 --amount 5000 --ref TR-1 \
	    --date 2026-02-02 -k recorder.key
	fd_refused 4 'no PSC is due' psc --date 2026-02-28 -k recorder.key
	fd_ok grant expenditure --id G-1 --amount 1000.50 --women 1 \
	    --date 2026-03-01 -k recorder.key
	# 13% of 1000.50 = 130.065, half to even: 130.06
	fd_ok psc --date 2026-03-02 -k recorder.key
	expect 0 T show "$S" --json
	fd_is type psc
	fd_is fields/rate 13
	fd_is fields/basis 1000.50
	fd_is fields/amount 130.06
	[ -z "$(fd_get fields/earmark)" ] || bad "unearmarked psc has an earmark"
	fd_refused 4 'no PSC is due' psc --date 2026-03-02 -k recorder.key
	# cumulative: 13% of 1234.57 = 160.4941 -> 160.49, less 130.06
	fd_ok grant expenditure --id G-1 --amount 234.07 --women 1 \
	    --date 2026-03-03 -k recorder.key
	x=$S
	fd_ok grant expenditure --id G-2 --amount 2000 --girls 1 \
	    --date 2026-03-03 -k recorder.key
	fd_ok psc --date 2026-03-04 -k recorder.key
	expect 0 T show "$((S - 1))" --json
	fd_is fields/basis 1234.57
	fd_is fields/amount 30.43
	expect 0 T show "$S" --json
	fd_is fields/earmark sahel
	fd_is fields/basis 2000.00
	fd_is fields/amount 260.00
	# reversing expenditure makes the PSC due negative
	fd_ok reverse "$x" --reason "wrong report" --date 2026-03-05 \
	    -k recorder.key
	fd_ok approve "$S" -k approver.key
	fd_ok psc --date 2026-03-06 -k recorder.key
	expect 0 T show "$S" --json
	fd_is fields/basis 1000.50
	fd_is fields/amount -30.43
	expect 0 T balance --json
	fd_is psc 390.06
	fd_is 'earmarks/(unearmarked)/psc' 130.06
	fd_is earmarks/sahel/psc 260.00
	expect 0 A verify
}

t_fund_a_forged_psc_that_differs_from_the_computation_is_caught() {
	fd_fund
	fd_cash 100000.00
	fd_grant G-1 5000.00
	fd_ok grant disburse --id G-1 --amount 5000 --ref TR-1 \
	    --date 2026-02-02 -k recorder.key
	fd_ok grant expenditure --id G-1 --amount 1000 --women 1 \
	    --date 2026-03-01 -k recorder.key
	fd_save
	fd_forge recorder.key psc date=2026-03-02 rate=13 basis=1000.00 \
	    amount=129.99
	fd_caught 'psc: the policy rate 13% on expenditure makes 13000 minor units due, not 129.99'
	fd_restore
	fd_forge recorder.key psc date=2026-03-02 rate=13 basis=999.00 \
	    amount=130.00
	fd_caught 'psc: the policy rate 13%'
	fd_restore
	fd_forge recorder.key psc date=2026-03-02 rate=12 basis=1000.00 \
	    amount=120.00
	fd_caught 'psc: the policy rate 13%'
	fd_restore
	fd_forge recorder.key psc date=2026-03-02 rate=13 basis=1000.00 \
	    amount=130.00 earmark=sahel
	fd_caught 'psc: the policy rate 13% on expenditure makes 0 minor units due'
	fd_restore
	# the right one passes
	fd_forge recorder.key psc date=2026-03-02 rate=13 basis=1000.00 \
	    amount=130.00
	fd_no_rule_broken
}

t_fund_the_psc_rate_changes_only_once_its_psc_is_charged() {
	fd_fund
	fd_cash 100000.00
	fd_cash 10000.00 sahel
	fd_grant G-1 5000.00
	fd_grant G-2 5000.00 sahel
	fd_ok grant disburse --id G-1 --amount 5000 --ref TR-1 \
	    --date 2026-02-02 -k recorder.key
	fd_ok grant disburse --id G-2 --amount 5000 --ref TR-1 \
	    --date 2026-02-02 -k recorder.key
	fd_ok grant expenditure --id G-2 --amount 1000 --women 1 \
	    --date 2026-03-01 -k recorder.key
	fd_refused 4 'psc-rate: charge the PSC due in earmark sahel first' \
	    policy set --approval-threshold 10000 --psc-rate 7 -k admin.key
	# the threshold alone may change
	fd_ok policy set --approval-threshold 8000 --psc-rate 13 -k admin.key
	fd_save
	fd_forge admin.key policy approval-threshold=10000.00 psc-rate=7
	fd_caught 'psc-rate: charge the PSC due in earmark sahel first'
	fd_restore
	fd_ok psc --date 2026-03-02 -k recorder.key
	fd_ok policy set --approval-threshold 10000 --psc-rate 7 -k admin.key
	# the new rate on expenditure from then on: 7% of 2000.00
	fd_ok grant expenditure --id G-2 --amount 2000 --women 1 \
	    --date 2026-03-03 -k recorder.key
	fd_ok psc --date 2026-03-04 -k recorder.key
	expect 0 T show "$S" --json
	fd_is fields/rate 7
	fd_is fields/basis 2000.00
	fd_is fields/amount 140.00
	expect 0 T balance --json
	fd_is earmarks/sahel/psc 270.00
	expect 0 A verify
}

# -------------------------------------------------------------- reversals

t_fund_only_money_entries_can_be_reversed() {
	fd_fund
	fd_cash 100000.00
	fd_grant G-1 5000.00
	a=$S
	fd_ok grant disburse --id G-1 --amount 5000 --ref TR-1 \
	    --date 2026-02-02 -k recorder.key
	fd_ok grant expenditure --id G-1 --amount 1000 --women 1 \
	    --date 2026-03-01 -k recorder.key
	fd_ok psc --date 2026-03-02 -k recorder.key
	p=$S
	fd_ok policy set --approval-threshold 5000 --psc-rate 13 -k admin.key
	pol=$S
	fd_ok period close --date 2026-01-31 -k admin.key
	pc=$S
	fd_refused 4 'reverses 3: a donor entry cannot be reversed' \
	    reverse 3 --reason x --date 2026-03-03 -k recorder.key
	fd_refused 4 'reverses 7: a grantee entry cannot be reversed' \
	    reverse 7 --reason x --date 2026-03-03 -k recorder.key
	fd_refused 4 "reverses $GS: a grant entry cannot be reversed" \
	    reverse "$GS" --reason x --date 2026-03-03 -k recorder.key
	fd_refused 4 "reverses $a: a approval entry cannot be reversed" \
	    reverse "$a" --reason x --date 2026-03-03 -k recorder.key
	fd_refused 4 "reverses $p: a psc entry cannot be reversed" \
	    reverse "$p" --reason x --date 2026-03-03 -k recorder.key
	fd_refused 4 "reverses $pol: a policy entry cannot be reversed" \
	    reverse "$pol" --reason x --date 2026-03-03 -k recorder.key
	fd_refused 4 "reverses $pc: a period-close entry cannot be reversed" \
	    reverse "$pc" --reason x --date 2026-03-03 -k recorder.key
	fd_refused 4 'reverses 1: a key-enroll entry cannot be reversed' \
	    reverse 1 --reason x --date 2026-03-03 -k recorder.key
	fd_refused 4 'reverses 99: not an earlier entry' \
	    reverse 99 --reason x --date 2026-03-03 -k recorder.key
	# nor a reversal
	fd_ok interest --amount 10 --ref INT-1 --date 2026-03-03 \
	    -k recorder.key
	fd_ok reverse "$S" --reason x --date 2026-03-03 -k recorder.key
	v=$S
	fd_refused 4 "reverses $v: a reversal entry cannot be reversed" \
	    reverse "$v" --reason x --date 2026-03-03 -k recorder.key
	fd_save
	fd_forge recorder.key reversal date=2026-03-03 reverses=3 reason=x
	fd_caught 'reverses 3: a donor entry cannot be reversed'
	fd_restore
	fd_forge recorder.key reversal date=2026-03-03 reverses="$p" reason=x
	fd_caught "reverses $p: a psc entry cannot be reversed"
}

t_fund_a_pending_entry_cannot_be_reversed() {
	fd_fund
	fd_cash 100000.00
	fd_grant G-1 50000.00
	fd_ok grant disburse --id G-1 --amount 20000 --ref TR-1 \
	    --date 2026-02-02 -k recorder.key
	d=$S
	fd_refused 4 "reverses $d: not in effect \\(awaits approval\\)" \
	    reverse "$d" --reason x --date 2026-02-03 -k recorder.key
	fd_forge recorder.key reversal date=2026-02-03 reverses="$d" reason=x
	fd_caught "reverses $d: not in effect \\(awaits approval\\)"
}

t_fund_an_entry_is_reversed_once() {
	fd_fund
	fd_cash 1000.00
	r=$S
	fd_ok reverse "$r" --reason duplicate --date 2026-02-01 -k recorder.key
	v1=$S
	# a second reversal while the first waits: only one can take effect
	fd_ok reverse "$r" --reason duplicate --date 2026-02-01 -k recorder.key
	v2=$S
	fd_ok approve "$v1" -k approver.key
	fd_refused 4 "reverses $r: already reversed" approve "$v2" \
	    -k approver.key
	fd_refused 4 "reverses $r: already reversed" reverse "$r" \
	    --reason again --date 2026-02-02 -k recorder.key
	expect 0 T balance --json
	fd_is cash 0.00
	fd_save
	fd_forge recorder.key reversal date=2026-02-02 reverses="$r" reason=x
	fd_caught "reverses $r: already reversed"
	fd_restore
	fd_forge approver.key approval approves="$v2"
	fd_caught "reverses $r: already reversed"
}

t_fund_a_spent_tranche_cannot_be_reversed() {
	fd_fund
	fd_cash 100000.00
	fd_grant G-1 5000.00
	fd_ok grant disburse --id G-1 --amount 2000 --ref TR-1 \
	    --date 2026-02-02 -k recorder.key
	d=$S
	fd_ok reverse "$d" --reason "wrong grant" --date 2026-02-03 \
	    -k recorder.key
	v=$S
	fd_ok grant expenditure --id G-1 --amount 1500 --women 2 \
	    --date 2026-02-04 -k recorder.key
	# spent while the reversal waited: its approval is refused
	fd_refused 4 'grant "G-1": the tranche was already spent or refunded' \
	    approve "$v" -k approver.key
	fd_refused 4 'grant "G-1": the tranche was already spent or refunded' \
	    reverse "$d" --reason "wrong grant" --date 2026-02-05 \
	    -k recorder.key
	fd_save
	fd_forge approver.key approval approves="$v"
	fd_caught 'grant "G-1": the tranche was already spent or refunded'
	fd_restore
	fd_forge recorder.key reversal date=2026-02-05 reverses="$d" reason=x
	fd_caught 'grant "G-1": the tranche was already spent or refunded'
}

t_fund_a_refunded_receipt_cannot_be_reversed() {
	fd_fund
	fd_ok receipt --donor USA --amount 1000 --currency USD --ref BNK-1 \
	    --date 2026-02-01 -k recorder.key
	r=$S
	fd_ok refund --donor USA --receipt BNK-1 --amount 100 --currency USD \
	    --ref RF-1 --date 2026-02-02 -k recorder.key
	f=$S
	fd_refused 4 'receipt "BNK-1": has refunds; reverse those first' \
	    reverse "$r" --reason x --date 2026-02-03 -k recorder.key
	fd_save
	fd_forge recorder.key reversal date=2026-02-03 reverses="$r" reason=x
	fd_caught 'receipt "BNK-1": has refunds; reverse those first'
	fd_restore
	fd_ok reverse "$f" --reason x --date 2026-02-03 -k recorder.key
	fd_ok approve "$S" -k approver.key
	fd_ok reverse "$r" --reason x --date 2026-02-03 -k recorder.key
	fd_ok approve "$S" -k approver.key
	expect 0 T balance --json
	fd_is cash 0.00
	fd_is contributions 0.00
	expect 0 A verify
}

# FUND.md: "In an entry an amount is written with exactly its currency's
# decimals ... the CLI writes it so" - for a write-down too, in the
# pledge's currency.
t_fund_the_cli_writes_a_writedown_in_the_pledges_decimals() {
	fd_fund
	fd_ok pledge --donor DEU --amount 1000 --currency EUR --rate 0.926 \
	    --ref P-1 --date 2026-01-10 -k recorder.key
	fd_ok pledge --donor KWT --amount 1000 --currency KWD --rate 0.307 \
	    --ref P-2 --date 2026-01-10 -k recorder.key
	fd_ok pledge writedown --pledge P-1 --amount 50 --reason cut \
	    --date 2026-02-01 -k recorder.key
	expect 0 T show "$S" --json
	fd_is fields/amount 50.00
	fd_ok pledge writedown --pledge P-2 --amount 12.5 --reason cut \
	    --date 2026-02-01 -k recorder.key
	expect 0 T show "$S" --json
	fd_is fields/amount 12.500
	fd_refused 2 '1\.001' pledge writedown --pledge P-1 --amount 1.001 \
	    --reason cut --date 2026-02-01 -k recorder.key
}

t_fund_a_paid_pledge_cannot_be_reversed() {
	fd_fund
	fd_ok pledge --donor DEU --amount 1000 --currency EUR --rate 0.926 \
	    --ref P-1 --date 2026-01-10 -k recorder.key
	p=$S
	fd_ok receipt --donor DEU --amount 100 --currency EUR --rate 0.93 \
	    --pledge P-1 --ref B-1 --date 2026-02-01 -k recorder.key
	fd_refused 4 'pledge "P-1": has receipts or write-downs; reverse those first' \
	    reverse "$p" --reason x --date 2026-02-02 -k recorder.key
	fd_ok pledge --donor DEU --amount 500 --currency USD --ref P-2 \
	    --date 2026-01-10 -k recorder.key
	p2=$S
	fd_ok pledge writedown --pledge P-2 --amount 1.00 --reason cut \
	    --date 2026-02-01 -k recorder.key
	fd_refused 4 'pledge "P-2": has receipts or write-downs' \
	    reverse "$p2" --reason x --date 2026-02-02 -k recorder.key
	fd_forge recorder.key reversal date=2026-02-02 reverses="$p" reason=x
	fd_caught 'pledge "P-1": has receipts or write-downs; reverse those first'
}

t_fund_an_approved_reversal_applies_the_exact_negation() {
	fd_fund
	fd_ok pledge --donor DEU --amount 1000 --currency EUR --rate 0.926 \
	    --ref P-1 --date 2026-01-10 -k recorder.key
	T balance --json >before
	T balance --donor DEU --json >dbefore
	fd_ok receipt --donor DEU --amount 333.33 --currency EUR --rate 0.91 \
	    --pledge P-1 --ref B-1 --date 2026-02-01 -k recorder.key
	fd_ok reverse "$S" --reason "wrong rate" --date 2026-02-02 \
	    -k recorder.key
	v=$S
	expect 0 T balance --json
	out_lacks '"receivable": "1079.91"' # the receipt is in effect
	fd_ok approve "$v" -k approver.key
	T balance --json >after
	T balance --donor DEU --json >dafter
	cmp -s before after || bad "balance after the reversal differs"
	cmp -s dbefore dafter || bad "donor balance after the reversal differs"
	# the pledge is open again, to its last cent
	fd_ok receipt --donor DEU --amount 1000 --currency EUR --rate 0.926 \
	    --pledge P-1 --ref B-1 --date 2026-02-03 -k recorder.key
	expect 0 T balance --json
	fd_is receivable 0.00
	fd_is exchange_differences 0.00
	fd_is cash 1079.91
	expect 0 A verify
}

t_fund_every_money_entry_is_reversed_exactly() {
	fd_fund
	fd_cash 10000.00
	fd_grant G-1 5000.00
	T balance --json >b0
	T balance --grant G-1 --json >g0
	T balance --donor DEU --json >d0
	T balance --donor USA --json >u0
	fd_ok interest --amount 50 --ref INT-1 --date 2026-02-01 -k recorder.key
	s1=$S
	fd_ok pledge --donor DEU --amount 1000 --currency USD --ref P-1 \
	    --date 2026-02-01 -k recorder.key
	s2=$S
	fd_ok pledge writedown --pledge P-1 --amount 100.00 --reason cut \
	    --date 2026-02-02 -k recorder.key
	s3=$S
	fd_ok grant disburse --id G-1 --amount 3000 --ref TR-1 \
	    --date 2026-02-03 -k recorder.key
	s4=$S
	fd_ok grant expenditure --id G-1 --amount 1000 --ref REP-1 --women 2 \
	    --sexual 1 --date 2026-02-04 -k recorder.key
	s5=$S
	fd_ok grant refund --id G-1 --amount 500 --ref RF-1 --date 2026-02-05 \
	    -k recorder.key
	s6=$S
	fd_ok grant deobligate --id G-1 --amount 1000 --date 2026-02-06 \
	    -k recorder.key
	s7=$S
	fd_ok refund --donor USA --receipt BNK-US-1 --amount 200 \
	    --currency USD --ref DRF-1 --date 2026-02-07 -k recorder.key
	s8=$S
	for x in $s8 $s7 $s6 $s5 $s4 $s3 $s2 $s1; do
		fd_ok reverse "$x" --reason "test" --date 2026-02-08 \
		    -k recorder.key
		fd_ok approve "$S" -k approver.key
	done
	T balance --json >b1
	T balance --grant G-1 --json >g1
	T balance --donor DEU --json >d1
	T balance --donor USA --json >u1
	cmp -s b0 b1 || bad "fund balance differs after the reversals"
	cmp -s g0 g1 || bad "grant balance differs after the reversals"
	cmp -s d0 d1 || bad "DEU balance differs after the reversals"
	cmp -s u0 u1 || bad "USA balance differs after the reversals"
	# and every reference is free again
	fd_ok grant disburse --id G-1 --amount 3000 --ref TR-1 \
	    --date 2026-02-09 -k recorder.key
	fd_ok pledge --donor DEU --amount 1000 --currency USD --ref P-1 \
	    --date 2026-02-09 -k recorder.key
	expect 0 A verify
}

# ----------------------------------------------------------- currencies

t_fund_a_foreign_amount_needs_a_rate() {
	fd_fund
	fd_refused 2 'rate: required for EUR' receipt --donor DEU \
	    --amount 100 --currency EUR --ref B-1 --date 2026-02-01 \
	    -k recorder.key
	fd_refused 2 'rate: required for EUR' pledge --donor DEU \
	    --amount 100 --currency EUR --ref P-1 --date 2026-02-01 \
	    -k recorder.key
	fd_forge recorder.key receipt date=2026-02-01 donor=DEU ref=B-1 \
	    amount=100.00 currency=EUR base-amount=100.00
	fd_caught 'rate: required for EUR'
}

t_fund_the_base_currency_takes_no_rate() {
	fd_fund
	fd_refused 2 'rate "1": not for the base currency USD' receipt \
	    --donor USA --amount 100 --currency USD --rate 1 --ref B-1 \
	    --date 2026-02-01 -k recorder.key
	fd_forge recorder.key receipt date=2026-02-01 donor=USA ref=B-1 \
	    amount=100.00 currency=USD rate=1 base-amount=100.00
	fd_caught 'rate "1": no rate for the base currency USD'
}

t_fund_a_forged_base_amount_must_match_the_rate() {
	fd_fund
	fd_save
	fd_forge recorder.key receipt date=2026-02-01 donor=DEU ref=B-1 \
	    amount=100000.00 currency=EUR rate=0.926 base-amount=107991.37
	fd_caught 'base-amount "107991.37": amount at the rate is 107991.36'
	fd_restore
	fd_forge recorder.key pledge date=2026-02-01 donor=KWT ref=P-1 \
	    amount=1000.000 currency=KWD rate=0.307 base-amount=3257.32
	fd_caught 'base-amount "3257.32": amount at the rate is 3257.33'
	fd_restore
	fd_forge recorder.key receipt date=2026-02-01 donor=DEU ref=B-1 \
	    amount=100000.00 currency=EUR rate=0.926 base-amount=107991.36
	fd_no_rule_broken
}

t_fund_amounts_with_too_many_decimals_are_refused() {
	fd_fund
	fd_refused 2 '10\.001' receipt --donor USA --amount 10.001 \
	    --currency USD --ref B-1 --date 2026-02-01 -k recorder.key
	fd_refused 2 '100\.5' receipt --donor JPN --amount 100.5 \
	    --currency JPY --rate 150 --ref B-1 --date 2026-02-01 \
	    -k recorder.key
	fd_refused 2 '1\.0001' pledge --donor KWT --amount 1.0001 \
	    --currency KWD --rate 0.307 --ref P-1 --date 2026-02-01 \
	    -k recorder.key
	fd_refused 2 '99\.999' interest --amount 99.999 --ref INT-1 \
	    --date 2026-02-01 -k recorder.key
	fd_refused 2 '100\.001' grant award --id G-1 --grantee ngo-1 \
	    --amount 100.001 --start 2026-02-01 --end 2026-12-31 \
	    --date 2026-02-01 -k recorder.key
	fd_refused 2 'XAU' receipt --donor USA --amount 1 --currency XAU \
	    --rate 0.0005 --ref B-1 --date 2026-02-01 -k recorder.key
	fd_save
	fd_forge recorder.key receipt date=2026-02-01 donor=USA ref=B-1 \
	    amount=100 currency=USD base-amount=100.00
	fd_caught 'amount "100": write it as "100.00" \(exactly 2 decimals for USD\)'
	fd_restore
	fd_forge recorder.key receipt date=2026-02-01 donor=KWT ref=B-1 \
	    amount=1000.00 currency=KWD rate=0.307 base-amount=3257.33
	fd_caught 'amount "1000.00": write it as "1000.000" \(exactly 3 decimals for KWD\)'
	fd_restore
	fd_forge recorder.key interest date=2026-02-01 ref=INT-1 amount=10.5
	fd_caught 'amount "10.5": write it as "10.50"'
}

t_fund_bad_identifiers_and_text_are_refused() {
	fd_fund
	fd_refused 2 'DE U' donor add --id "DE U" --name Germany \
	    --kind government -k recorder.key
	fd_refused 2 'DEU!' donor add --id 'DEU!' --name Germany \
	    --kind government -k recorder.key
	fd_refused 2 'id' donor add --id "$(printf 'x%.0s' $(seq 65))" \
	    --name Germany --kind government -k recorder.key
	fd_refused 2 'name' donor add --id NOR --name " Norway" \
	    --kind government -k recorder.key
	fd_refused 2 'name' donor add --id NOR --name "$(printf 'Nor\tway')" \
	    --kind government -k recorder.key
	fd_refused 2 'state' donor add --id NOR --name Norway --kind state \
	    -k recorder.key
	fd_refused 2 'no' donor add --id NOR --name Norway --kind government \
	    --country no -k recorder.key
	fd_refused 2 'B:1' receipt --donor USA --amount 1 --currency USD \
	    --ref B:1 --date 2026-02-01 -k recorder.key
	fd_refused 2 '2026-02-30' receipt --donor USA --amount 1 \
	    --currency USD --ref B-1 --date 2026-02-30 -k recorder.key
	fd_refused 2 'food' grant award --id G-1 --grantee ngo-1 --amount 100 \
	    --purpose shelter,food --start 2026-02-01 --end 2026-12-31 \
	    --date 2026-02-01 -k recorder.key
	fd_refused 2 'reason' reverse 3 --reason "$(printf 'two\nlines')" \
	    --date 2026-02-01 -k recorder.key
	fd_cash 1000.00
	fd_grant G-1 500.00
	fd_ok grant disburse --id G-1 --amount 500 --ref TR-1 \
	    --date 2026-02-02 -k recorder.key
	fd_refused 2 'shelter:x' grant expenditure --id G-1 --amount 10 \
	    --women 1 --services shelter:x --date 2026-02-03 -k recorder.key
	fd_refused 2 'medical:1,shelter:1' grant expenditure --id G-1 \
	    --amount 10 --women 1 --services medical:1,shelter:1 \
	    --date 2026-02-03 -k recorder.key
	fd_refused 2 '-1' grant expenditure --id G-1 --amount 10 --women -1 \
	    --date 2026-02-03 -k recorder.key
	expect 0 A verify
}

# ------------------------------------------------------------- positives

t_fund_conversions_to_the_base_currency_are_exact() {
	fd_fund
	# EUR 100,000.00 / 0.926 = 107,991.3606... -> 107,991.36
	fd_ok pledge --donor DEU --amount 100000 --currency EUR --rate 0.926 \
	    --ref P-DEU --date 2026-01-10 -k recorder.key
	expect 0 T show "$S" --json
	fd_is fields/amount 100000.00
	fd_is fields/rate 0.926
	fd_is fields/base-amount 107991.36
	# JPY 1,000,000 / 156.250 = 6,400.00 (the rate in canonical form)
	fd_ok receipt --donor JPN --amount 1000000 --currency JPY \
	    --rate 156.250 --ref B-JPN --date 2026-01-11 -k recorder.key
	expect 0 T show "$S" --json
	fd_is fields/amount 1000000
	fd_is fields/rate 156.25
	fd_is fields/base-amount 6400.00
	# KWD 1,000.000 / 0.307 = 3,257.3289... -> 3,257.33
	fd_ok receipt --donor KWT --amount 1000 --currency KWD --rate 0.307 \
	    --earmark sahel --ref B-KWT --date 2026-01-12 -k recorder.key
	expect 0 T show "$S" --json
	fd_is fields/amount 1000.000
	fd_is fields/base-amount 3257.33
	# JPY 5 / 200 = 0.025 -> 0.02, half to even (half up: 0.03)
	fd_ok receipt --donor JPN --amount 5 --currency JPY --rate 200 \
	    --ref B-JPN-2 --date 2026-01-11 -k recorder.key
	expect 0 T show "$S" --json
	fd_is fields/base-amount 0.02
	expect 0 T balance --json
	fd_is currency USD
	fd_is receivable 107991.36
	fd_is cash 9657.35
	fd_is contributions 117648.71
	fd_is 'earmarks/(unearmarked)/cash' 6400.02
	fd_is earmarks/sahel/cash 3257.33
	expect 0 T balance --donor DEU --json
	fd_is pledged 107991.36
	fd_is receivable 107991.36
	expect 0 A verify
}

t_fund_pledges_clear_receivable_by_the_cumulative_method() {
	fd_fund
	# EUR 1000.00 / 0.9254 = 1080.6137... -> 1080.61 receivable
	fd_ok pledge --donor DEU --amount 1000 --currency EUR --rate 0.9254 \
	    --ref P-1 --date 2026-01-10 -k recorder.key
	# half: base 500 / 0.9 = 555.56; clears round(1080.61 / 2) =
	# round(540.305), half to even, = 540.30 (half up would be 540.31);
	# exchange gain 555.56 - 540.30 = 15.26
	fd_ok receipt --donor DEU --amount 500 --currency EUR --rate 0.9 \
	    --pledge P-1 --ref B-1 --date 2026-02-01 -k recorder.key
	expect 0 T balance --json
	fd_is receivable 540.31
	fd_is exchange_differences 15.26
	# the rest: base 500 / 0.95 = 526.32; clears 1080.61 - 540.30 =
	# 540.31, so that the whole clears exactly; exchange loss 13.99
	fd_ok receipt --donor DEU --amount 500 --currency EUR --rate 0.95 \
	    --pledge P-1 --ref B-2 --date 2026-03-01 -k recorder.key
	expect 0 T balance --json
	fd_is receivable 0.00
	fd_is cash 1081.88
	fd_is contributions 1080.61
	fd_is exchange_differences 1.27
	expect 0 T balance --donor DEU --json
	fd_is pledged 1080.61
	fd_is received 1081.88
	fd_is receivable 0.00
	expect 0 A verify
}

# A year of the fund.  Every figure below is computed by hand in the
# comments; t_fund_year_* check them.
fd_year() {
	fd_fund
	# Germany pledges EUR 100,000.00 at 0.926: base 107,991.36
	fd_ok pledge --donor DEU --amount 100000 --currency EUR --rate 0.926 \
	    --ref P-DEU --due 2026-06-30 --date 2026-01-05 -k recorder.key
	# Japan pledges JPY 1,000,000 at 156.25, earmarked sahel: 6,400.00
	fd_ok pledge --donor JPN --amount 1000000 --currency JPY --rate 156.25 \
	    --earmark sahel --ref P-JPN --date 2026-01-10 -k recorder.key
	# the United States gives USD 50,000.00 without a pledge
	fd_ok receipt --donor USA --amount 50000 --currency USD --ref BNK-US1 \
	    --date 2026-01-20 -k recorder.key
	# Germany pays EUR 60,000.00 at 0.93: base 64,516.13 (64,516.129);
	# clears round(107,991.36 x 0.6) = 64,794.82 (64,794.816);
	# exchange difference 64,516.13 - 64,794.82 = -278.69
	fd_ok receipt --donor DEU --amount 60000 --currency EUR --rate 0.93 \
	    --pledge P-DEU --ref BNK-DE1 --date 2026-02-01 -k recorder.key
	# Japan pays all at 150: base 6,666.67 (6,666.666); clears 6,400.00;
	# exchange difference +266.67, in sahel
	fd_ok receipt --donor JPN --amount 1000000 --currency JPY --rate 150 \
	    --pledge P-JPN --ref BNK-JP1 --date 2026-02-15 -k recorder.key
	# Kuwait gives KWD 1,000.000 at 0.307 to sahel: 3,257.33
	fd_ok receipt --donor KWT --amount 1000 --currency KWD --rate 0.307 \
	    --earmark sahel --ref BNK-KW1 --date 2026-03-01 -k recorder.key
	fd_ok interest --amount 312.40 --ref INT-Q1 --date 2026-03-10 \
	    -k recorder.key
	# unearmarked cash 50,000.00 + 64,516.13 + 312.40 = 114,828.53
	# sahel cash 6,666.67 + 3,257.33 = 9,924.00
	# G-1: 60,000.00 + PSC 7,800.00 <= 114,828.53
	fd_ok grant award --id G-1 --grantee ngo-1 --amount 60000 \
	    --start 2026-04-01 --end 2026-12-31 --purpose shelter,medical \
	    --cycle 2026 --decision BOT-2026-03 --date 2026-03-15 \
	    -k recorder.key
	fd_ok approve "$S" -k approver.key
	# G-2: 8,000.00 + PSC 1,040.00 <= 9,924.00 in sahel
	fd_ok grant award --id G-2 --grantee ngo-2 --amount 8000 \
	    --earmark sahel --start 2026-04-01 --end 2026-09-30 \
	    --purpose legal --date 2026-03-20 -k recorder.key
	fd_ok approve "$S" -k approver.key
	# above the 10,000.00 threshold: approved
	fd_ok grant disburse --id G-1 --amount 20000 --ref TR-1 \
	    --date 2026-04-01 -k recorder.key
	fd_ok approve "$S" -k approver.key
	fd_ok grant disburse --id G-2 --amount 5000 --ref TR-1 \
	    --date 2026-04-01 -k recorder.key
	fd_ok grant expenditure --id G-1 --amount 15000 --ref REP-1 \
	    --women 40 --girls 12 --men 5 --boys 3 --sexual 30 --labour 20 \
	    --other-form 5 --services shelter:40,medical:25 --date 2026-06-30 \
	    -k recorder.key
	fd_ok grant expenditure --id G-2 --amount 4000 --ref REP-1 \
	    --women 10 --girls 5 --sexual 10 --labour 5 --date 2026-06-30 \
	    -k recorder.key
	# PSC 13%: 1,950.00 on 15,000.00; 520.00 on 4,000.00 in sahel
	fd_ok psc --date 2026-07-01 -k recorder.key
	fd_ok period close --date 2026-06-30 -k admin.key
	# at the threshold: in effect at once
	fd_ok grant disburse --id G-1 --amount 10000 --ref TR-2 \
	    --date 2026-07-05 -k recorder.key
	fd_ok grant refund --id G-1 --amount 2000 --ref RF-1 \
	    --date 2026-08-01 -k recorder.key
	fd_ok grant expenditure --id G-1 --amount 12000 --ref REP-2 \
	    --women 30 --girls 10 --sexual 25 --labour 10 --date 2026-09-30 \
	    -k recorder.key
	fd_ok grant expenditure --id G-2 --amount 1000 --ref REP-2 \
	    --women 3 --sexual 3 --date 2026-09-30 -k recorder.key
	fd_ok grant deobligate --id G-2 --amount 3000 --reason "project closed" \
	    --date 2026-10-01 -k recorder.key
	fd_ok grant deobligate --id G-1 --amount 20000 --reason "smaller scope" \
	    --date 2026-10-05 -k recorder.key
	# a receipt recorded twice by mistake, reversed
	fd_ok receipt --donor USA --amount 1500 --currency USD --ref BNK-US2 \
	    --date 2026-10-10 -k recorder.key
	fd_ok reverse "$S" --reason "recorded twice" --date 2026-10-12 \
	    -k recorder.key
	fd_ok approve "$S" -k approver.key
	# EUR 1,000.00 back to Germany at 0.95: 1,052.63 (1,052.631)
	fd_ok refund --donor DEU --receipt BNK-DE1 --amount 1000 --currency EUR \
	    --rate 0.95 --ref DRF-1 --reason "unused balance" --date 2026-10-15 \
	    -k recorder.key
	# EUR 5,000.00 of the pledge written down: cleared 65,000.00 of
	# 100,000.00 -> round(107,991.36 x 0.65) = 70,194.38 (70,194.384)
	# less 64,794.82 = 5,399.56
	fd_ok pledge writedown --pledge P-DEU --amount 5000.00 \
	    --reason "budget cut" --date 2026-10-20 -k recorder.key
	# PSC on 27,000.00: 3,510.00 - 1,950.00 = 1,560.00;
	# on 5,000.00 in sahel: 650.00 - 520.00 = 130.00
	fd_ok psc --date 2026-10-31 -k recorder.key
}

t_fund_year_ends_with_exact_balances() {
	fd_year
	expect 0 A verify
	expect 0 T pending
	same "$(wc -l <out | tr -d ' ')" 0 "pending lines"
	expect 0 T balance --json
	fd_is as_of null
	# unearmarked cash: 114,828.53 - 20,000.00 (TR-1) - 1,950.00 (PSC)
	# - 10,000.00 (TR-2) + 2,000.00 (NGO refund) + 1,500.00 - 1,500.00
	# (reversed) - 1,052.63 (donor refund) - 1,560.00 (PSC) = 82,265.90
	fd_is 'earmarks/(unearmarked)/cash' 82265.90
	# 60,000.00 - 20,000.00 - 10,000.00 - 20,000.00 = 10,000.00
	fd_is 'earmarks/(unearmarked)/committed' 10000.00
	fd_is 'earmarks/(unearmarked)/available' 72265.90
	# 107,991.36 - 64,794.82 - 5,399.56
	fd_is 'earmarks/(unearmarked)/receivable' 37796.98
	# 30,000.00 - 15,000.00 - 2,000.00 - 12,000.00
	fd_is 'earmarks/(unearmarked)/advances' 1000.00
	fd_is 'earmarks/(unearmarked)/expenditure' 27000.00
	fd_is 'earmarks/(unearmarked)/psc' 3510.00
	# 107,991.36 + 50,000.00 - 1,052.63 - 5,399.56
	fd_is 'earmarks/(unearmarked)/contributions' 151539.17
	fd_is 'earmarks/(unearmarked)/interest' 312.40
	fd_is 'earmarks/(unearmarked)/exchange_differences' -278.69
	# sahel: 9,924.00 - 5,000.00 - 520.00 - 130.00
	fd_is earmarks/sahel/cash 4274.00
	fd_is earmarks/sahel/committed 0.00
	fd_is earmarks/sahel/available 4274.00
	fd_is earmarks/sahel/receivable 0.00
	fd_is earmarks/sahel/advances 0.00
	fd_is earmarks/sahel/expenditure 5000.00
	fd_is earmarks/sahel/psc 650.00
	# 6,400.00 + 3,257.33
	fd_is earmarks/sahel/contributions 9657.33
	fd_is earmarks/sahel/interest 0.00
	fd_is earmarks/sahel/exchange_differences 266.67
	# the fund: sums of the two
	fd_is cash 86539.90
	fd_is receivable 37796.98
	fd_is committed 10000.00
	fd_is available 76539.90
	fd_is advances 1000.00
	fd_is expenditure 32000.00
	fd_is psc 4160.00
	fd_is contributions 161196.50
	fd_is interest 312.40
	fd_is exchange_differences -12.02
	# assets 86,539.90 + 37,796.98 + 1,000.00 = 125,336.88 = income
	# 161,196.50 + 312.40 - 12.02 less expenses 32,000.00 + 4,160.00
}

t_fund_year_psc_entries_are_those_computed() {
	fd_year
	T log >log
	grep ' psc ' log | sed 's/^[0-9]* *[^ ]* *psc *[^ ]* *//' >pscs
	same "$(sed -n 1p pscs)" "date=2026-07-01 rate=13 basis=15000.00 amount=1950.00" "psc 1"
	same "$(sed -n 2p pscs)" "date=2026-07-01 earmark=sahel rate=13 basis=4000.00 amount=520.00" "psc 2"
	same "$(sed -n 3p pscs)" "date=2026-10-31 rate=13 basis=27000.00 amount=1560.00" "psc 3"
	same "$(sed -n 4p pscs)" "date=2026-10-31 earmark=sahel rate=13 basis=5000.00 amount=130.00" "psc 4"
	same "$(wc -l <pscs | tr -d ' ')" 4 "psc entries"
}

t_fund_year_balance_as_of_an_earlier_date_gives_the_earlier_figures() {
	fd_year
	# 2026-03-31: income and the two awards, nothing disbursed
	expect 0 T balance --as-of 2026-03-31 --json
	fd_is as_of 2026-03-31
	fd_is 'earmarks/(unearmarked)/cash' 114828.53
	fd_is 'earmarks/(unearmarked)/committed' 60000.00
	fd_is 'earmarks/(unearmarked)/available' 54828.53
	fd_is 'earmarks/(unearmarked)/receivable' 43196.54
	fd_is 'earmarks/(unearmarked)/contributions' 157991.36
	fd_is 'earmarks/(unearmarked)/exchange_differences' -278.69
	fd_is earmarks/sahel/cash 9924.00
	fd_is earmarks/sahel/committed 8000.00
	fd_is earmarks/sahel/available 1924.00
	fd_is cash 124752.53
	fd_is receivable 43196.54
	fd_is committed 68000.00
	fd_is available 56752.53
	fd_is advances 0.00
	fd_is expenditure 0.00
	fd_is psc 0.00
	fd_is contributions 167648.69
	fd_is interest 312.40
	fd_is exchange_differences -12.02
	# 2026-06-30: the first tranches and reports, PSC not yet charged
	# cash 124,752.53 - 20,000.00 - 5,000.00; committed 68,000.00 -
	# 25,000.00; advances 25,000.00 - 19,000.00
	expect 0 T balance --as-of 2026-06-30 --json
	fd_is cash 99752.53
	fd_is committed 43000.00
	fd_is advances 6000.00
	fd_is expenditure 19000.00
	fd_is psc 0.00
	# 2026-07-01: PSC 1,950.00 + 520.00
	expect 0 T balance --as-of 2026-07-01 --json
	fd_is cash 97282.53
	fd_is psc 2470.00
	# 2026-10-11: the mistaken receipt is in, its reversal not yet
	expect 0 T balance --as-of 2026-10-11 --json
	fd_is 'earmarks/(unearmarked)/contributions' 159491.36
	expect 0 T balance --as-of 2026-10-12 --json
	fd_is 'earmarks/(unearmarked)/contributions' 157991.36
	# as of today: the figures now
	expect 0 T balance --json
	mv out now
	expect 0 T balance --as-of "$(date -u +%Y-%m-%d)" --json
	sed '/"as_of"/d' out >o1
	sed '/"as_of"/d' now >o2
	cmp -s o1 o2 || bad "balance as of today differs from the balance now"
}

t_fund_year_balance_for_a_donor_and_a_grant() {
	fd_year
	expect 0 T balance --donor DEU --json
	fd_is id DEU
	fd_is pledged 107991.36
	fd_is received 64516.13
	fd_is receivable 37796.98
	fd_is refunded 1052.63
	fd_is written_down 5399.56
	expect 0 T balance --donor USA --json
	# the reversed receipt does not count
	fd_is received 50000.00
	fd_is pledged 0.00
	expect 0 T balance --donor JPN --json
	fd_is pledged 6400.00
	fd_is received 6666.67
	fd_is receivable 0.00
	expect 0 T balance --donor DEU --as-of 2026-03-31 --json
	fd_is pledged 107991.36
	fd_is received 64516.13
	fd_is receivable 43196.54
	fd_is refunded 0.00
	fd_is written_down 0.00
	expect 0 T balance --grant G-1 --json
	fd_is grantee ngo-1
	fd_is status active
	fd_is award 60000.00
	fd_is deobligated 20000.00
	fd_is disbursed 30000.00
	fd_is spent 27000.00
	fd_is refunded 2000.00
	fd_is committed 10000.00
	fd_is advances 1000.00
	expect 0 T balance --grant G-2 --json
	fd_is earmark sahel
	fd_is award 8000.00
	fd_is deobligated 3000.00
	fd_is disbursed 5000.00
	fd_is spent 5000.00
	fd_is committed 0.00
	fd_is advances 0.00
	expect 0 T balance --grant G-1 --as-of 2026-06-30 --json
	fd_is award 60000.00
	fd_is deobligated 0.00
	fd_is disbursed 20000.00
	fd_is spent 15000.00
	fd_is refunded 0.00
	fd_is committed 40000.00
	fd_is advances 5000.00
	expect 2 T balance --grant G-9
	err_has 'grant "G-9": unknown'
	expect 2 T balance --donor NOPE
	err_has 'donor "NOPE": unknown'
	expect 2 T balance --donor DEU --grant G-1
	err_has 'exclude each other'
	err_lacks 'as-of'
}

t_fund_pending_lists_what_waits_until_approved() {
	fd_fund
	fd_cash 100000.00
	r=$S
	expect 0 T pending
	same "$(wc -l <out | tr -d ' ')" 0 "pending lines"
	fd_ok grant award --id G-1 --grantee ngo-1 --amount 50000 \
	    --start 2026-02-01 --end 2026-12-31 --date 2026-02-01 \
	    -k recorder.key
	g=$S
	fd_ok reverse "$r" --reason "wrong donor" --date 2026-02-01 \
	    -k recorder.key
	v=$S
	expect 0 T pending
	same "$(wc -l <out | tr -d ' ')" 2 "pending lines"
	out_has "^$g +grant +recorder\\.unvtf +.*\"id\":\"G-1\""
	out_has "^$v +reversal +recorder\\.unvtf +.*\"reverses\":\"$r\""
	expect 0 T pending --json
	out_has '"type": "grant"'
	out_has '"type": "reversal"'
	fd_ok approve "$g" -k approver.key
	fd_ok grant disburse --id G-1 --amount 10000.01 --ref TR-1 \
	    --date 2026-02-02 -k recorder.key
	d=$S
	expect 0 T pending
	out_lacks "^$g "
	out_has "^$v +reversal"
	out_has "^$d +disbursement"
	fd_ok approve "$d" -k approver.key
	expect 0 T pending
	same "$(wc -l <out | tr -d ' ')" 1 "pending lines"
	out_has "^$v +reversal"
	# the reversal would leave cash below the commitment: it waits on
	expect 4 T approve "$v" -k approver.key
	err_has 'cash would be -10000.01 USD'
	expect 0 T pending
	out_has "^$v +reversal"
	expect 0 A verify
}

t_fund_the_psc_an_award_will_cost_stays_reserved() {
	# Cash 1000, an award of 800 (PSC 104 reserved): a refund may not take
	# the reserve, so that the PSC on the award's spending can be charged.
	fd_fund
	fd_cash 1000.00
	fd_grant G-1 800.00
	fd_refused 4 'cost would be -104.00 USD' refund --donor USA \
	    --receipt BNK-US-1 --amount 200 --currency USD --ref RF-1 \
	    --date 2026-02-02 -k recorder.key
	fd_ok grant disburse --id G-1 --amount 800 --ref TR-1 \
	    --date 2026-02-02 -k recorder.key
	fd_ok grant expenditure --id G-1 --amount 800 --women 3 \
	    --date 2026-02-03 -k recorder.key
	fd_ok psc --date 2026-02-03 -k recorder.key
	expect 0 T balance --json
	fd_is psc 104.00
	fd_is cash 96.00
}

t_fund_psc_is_never_dated_before_the_spending_it_charges() {
	fd_fund
	fd_cash 1000.00
	fd_grant G-1 800.00
	fd_ok grant disburse --id G-1 --amount 800 --ref TR-1 \
	    --date 2026-02-02 -k recorder.key
	fd_ok grant expenditure --id G-1 --amount 100 --women 1 \
	    --date 2026-03-01 -k recorder.key
	fd_refused 4 'before the expenditure it charges' psc --date 2026-02-28 \
	    -k recorder.key
	fd_ok psc --date 2026-03-01 -k recorder.key
}
