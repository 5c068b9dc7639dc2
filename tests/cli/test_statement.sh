# test_statement.sh - tfaudit statement and verify-statement: a small fund
# year recorded through the CLI, statements drawn from it in every
# format, checked in a directory with no ledger and the log key alone,
# and tampered with in every way the check must catch.
#
# Dates are explicit and in 2026, before the day these tests were written
# (2026-11-28).  The log key is the admin key (init's default).

# The year: DEU pledges EUR 100,000 at 0.926, pays 60,000 at 0.93 and
# 30,000 at 0.91 (recorded, reversed, recorded again), writes 10,000 down
# and gets EUR 1,000 back; NOR gives USD 250,000 and 50,000 for "africa";
# an anonymous donor gives 500; two grants are paid and partly spent.
st_year() {
	make_ledger
	rec_seq donor add --id DEU --name Germany --kind government \
	    --country DE >/dev/null
	rec_seq donor add --id NOR --name Norway --kind government \
	    --country NO >/dev/null
	rec_seq donor add --id ANON --name "Secret Philanthropist" \
	    --kind individual --anonymous >/dev/null
	rec_seq grantee add --id ngo-ng --name "Safe Haven Lagos" \
	    --country NG >/dev/null
	rec_seq grantee add --id ngo-ph --name "Bahay Kanlungan" \
	    --country PH >/dev/null
	rec_seq pledge --donor DEU --amount 100000 --currency EUR \
	    --rate 0.926 --ref DEU-2026-1 --due 2026-09-30 \
	    --date 2026-01-15 >/dev/null
	rec_seq receipt --donor DEU --amount 60000 --currency EUR --rate 0.93 \
	    --pledge DEU-2026-1 --ref BNK-1001 --date 2026-02-10 >/dev/null
	rec_seq receipt --donor NOR --amount 250000 --currency USD \
	    --ref BNK-1002 --date 2026-02-12 >/dev/null
	rec_seq receipt --donor ANON --amount 500 --currency USD \
	    --ref BNK-1003 --date 2026-03-20 >/dev/null
	rec_seq receipt --donor NOR --amount 50000 --currency USD \
	    --earmark africa --ref BNK-1004 --date 2026-03-01 >/dev/null
	st_grants
	rec_seq receipt --donor DEU --amount 30000 --currency EUR --rate 0.91 \
	    --pledge DEU-2026-1 --ref BNK-1101 --date 2026-06-15 >/dev/null
	rec_approved reverse "$(last_line_of rec.out)" \
	    --reason "keyed wrongly" --date 2026-06-16
	rec_seq receipt --donor DEU --amount 30000 --currency EUR --rate 0.91 \
	    --pledge DEU-2026-1 --ref BNK-1101 --date 2026-06-16 >/dev/null
	rec_seq pledge writedown --pledge DEU-2026-1 --amount 10000.00 \
	    --reason "budget cut" --date 2026-06-20 >/dev/null
	st_spending
	rec_seq refund --donor DEU --receipt BNK-1001 --amount 1000 \
	    --currency EUR --rate 0.95 --ref RF-D1 --reason overpaid \
	    --date 2026-07-01 >/dev/null
}

last_line_of() { tail -n 1 "$1"; }

st_grants() {
	rec_approved grant award --id G1 --grantee ngo-ng --amount 20000 \
	    --start 2026-04-01 --end 2026-12-31 --cycle 2026 \
	    --earmark africa --purpose shelter,medical --date 2026-03-25
	rec_approved grant award --id G2 --grantee ngo-ph --amount 60000 \
	    --start 2026-04-01 --end 2027-12-31 --cycle 2026 \
	    --purpose shelter,psychosocial,legal --date 2026-03-25
	rec_seq grant disburse --id G1 --amount 10000 --ref TR1 \
	    --date 2026-04-05 >/dev/null
	rec_approved grant disburse --id G2 --amount 30000 --ref TR2 \
	    --date 2026-04-06
}

st_spending() {
	rec_seq grant expenditure --id G1 --amount 9000 --ref RP1 --women 18 \
	    --girls 7 --sexual 20 --labour 3 --services shelter:25,medical:14 \
	    --date 2026-06-30 >/dev/null
	rec_seq grant expenditure --id G2 --amount 25000 --ref RP2 --women 31 \
	    --girls 12 --men 4 --boys 2 --sexual 25 --labour 18 \
	    --other-form 4 --services shelter:20,psychosocial:40,legal:16 \
	    --date 2026-06-30 >/dev/null
	rec_seq grant refund --id G1 --amount 1000 --ref RF1 \
	    --date 2026-06-30 >/dev/null
	rec_seq psc --date 2026-06-30 >/dev/null
}

# The year, checkpointed, with DEU's JSON statement in deu.json; $ST_VK
# is the log key's file.
st_json() {
	ST_VK=$(pwd)/admin.vk
	st_year
	T checkpoint -k admin.key >/dev/null 2>err || bad "checkpoint"
	expect 0 A statement --donor DEU --format json --out deu.json
}

# Check FILE in the current directory with the log key (and more args).
st_check() {
	st_f=$1
	shift
	run "$TFAUDIT" verify-statement "$st_f" --log-key "$(cat "$ST_VK")" \
	    "$@"
}

# st_tamper FILE PYTHON: a copy of FILE changed by PYTHON (acting on the
# parsed statement d) into t.json.
st_tamper() {
	python3 - "$1" >t.json 2>err <<EOF || bad "tamper: $2"
import json, sys
d = json.load(open(sys.argv[1]))
$2
json.dump(d, sys.stdout)
EOF
}

t_statement_verifies_with_the_log_key_alone() {
	st_json
	mkdir elsewhere
	cp deu.json elsewhere/
	(
		cd elsewhere || exit 1
		st_check deu.json
		[ "$rc" -eq 0 ] || bad "exit $rc: $(cat err)"
		grep -Eq '^ok: statement DEU-2026[0-9]{4}-[0-9]+ of donor '\
'DEU: 12 entries' out || bad "stdout: $(cat out)"
		grep -q 'not signed' out || bad "signature state"
		[ ! -e led ] || bad "a ledger here"
	)
}

t_statement_tampering_fails_verification() {
	st_json
	mkdir elsewhere
	cd elsewhere || return
	# an amount inside an entry's signed note
	st_tamper ../deu.json "e = d['entries'][5]
e['note'] = e['note'].replace('amount: 60000.00', 'amount: 60001.00')"
	st_check t.json
	[ "$rc" -eq 1 ] || bad "note amount: exit $rc"
	err_has "not in the checkpoint's tree"
	# a figure of the statement
	st_tamper ../deu.json \
	    "d['contributions']['to_date']['received'] = '97483.17'"
	st_check t.json
	[ "$rc" -eq 1 ] || bad "figure: exit $rc"
	err_has 'contributions.to_date.received: the statement says '\
'"97483.17", its entries give "97483.16"'
	# a line's amount
	st_tamper ../deu.json \
	    "d['contributions']['receipts'][0]['amount'] = '60001.00'"
	st_check t.json
	[ "$rc" -eq 1 ] || bad "line: exit $rc"
	err_has 'contributions.receipts\[0\].amount'
	# a dropped receipt, a dropped key enrolment, a dropped donor record
	st_tamper ../deu.json "del d['entries'][9]"
	st_check t.json
	[ "$rc" -eq 1 ] || bad "dropped receipt: exit $rc"
	st_tamper ../deu.json "del d['entries'][1]"
	st_check t.json
	[ "$rc" -eq 1 ] || bad "dropped enrolment: exit $rc"
	err_has 'signed by no key'
	st_tamper ../deu.json "del d['entries'][3]"
	st_check t.json
	[ "$rc" -eq 1 ] || bad "dropped donor: exit $rc"
	err_has 'no donor record'
	# an altered proof hash
	st_tamper ../deu.json "p = d['entries'][4]['proof']
p[0] = ('1' if p[0][0] == '0' else '0') + p[0][1:]"
	st_check t.json
	[ "$rc" -eq 1 ] || bad "proof: exit $rc"
	err_has "seq [0-9]+: the entry is not in the checkpoint's tree"
	# not JSON at all: bad input, not a failed statement
	printf '{"version": ' >t.json
	st_check t.json
	[ "$rc" -eq 2 ] || bad "garbage: exit $rc"
	err_has 'statement: not JSON: line 1'
	# the untouched file still verifies
	st_check ../deu.json
	[ "$rc" -eq 0 ] || bad "original: exit $rc"
}

t_statement_with_another_log_key_fails() {
	st_json
	run "$TFAUDIT" verify-statement deu.json --log-key "$(cat recorder.vk)"
	[ "$rc" -eq 1 ] || bad "exit $rc"
	err_has 'checkpoint'
	expect 2 "$TFAUDIT" verify-statement deu.json
	err_has 'missing required option --log-key'
	expect 2 "$TFAUDIT" verify-statement --log-key "$(cat admin.vk)"
	expect 2 "$TFAUDIT" verify-statement nothing.json \
	    --log-key "$(cat admin.vk)"
}

t_statement_needs_a_checkpoint() {
	st_year
	expect 2 A statement --donor DEU --format json --out s.json
	err_has 'run `tfledger checkpoint`'
	[ ! -e s.json ] || bad "file written"
}

t_statement_usage_errors() {
	st_year
	T checkpoint -k admin.key >/dev/null
	expect 2 A statement --format json
	err_has 'missing required option --donor'
	expect 2 A statement --donor DEU --format docx
	err_has 'must be text, csv, json or pdf'
	expect 2 A statement --donor XYZ --format text
	err_has 'donor "XYZ"'
	expect 2 A statement --donor DEU --format text --sign-key admin.key
	err_has 'only the json format is signed'
	expect 2 A statement --donor DEU --format text --from 2026-07-01 \
	    --to 2026-06-01
	expect 2 A statement --donor DEU --format text --from 2026-13-01
}

t_statement_signed_with_a_key_checked_with_signer() {
	st_json
	"$TFLEDGER" key generate --name auditor.unvtf --out auditor.key \
	    >aud.out 2>&1 || bad "key generate"
	tail -n 1 aud.out >auditor.vk
	expect 0 A statement --donor DEU --format json --out signed.json \
	    --sign-key auditor.key
	grep -q '"signature": "— auditor.unvtf ' signed.json ||
	    bad "no signature member"
	st_check_here() {
		run "$TFAUDIT" verify-statement "$@" --log-key "$(cat admin.vk)"
	}
	st_check_here signed.json --signer "$(cat auditor.vk)"
	[ "$rc" -eq 0 ] || bad "signed: exit $rc: $(cat err)"
	out_has 'signed by auditor\.unvtf'
	st_check_here signed.json --signer "$(cat recorder.vk)"
	[ "$rc" -eq 1 ] || bad "wrong signer: exit $rc"
	err_has "statement's signature"
	st_check_here deu.json --signer "$(cat auditor.vk)"
	[ "$rc" -eq 1 ] || bad "unsigned with --signer: exit $rc"
	err_has 'not signed'
	# re-indented: the signature is over the canonical bytes
	python3 -c 'import json, sys
print(json.dumps(json.load(open(sys.argv[1])), indent=5))' \
	    signed.json >pretty.json
	st_check_here pretty.json --signer "$(cat auditor.vk)"
	[ "$rc" -eq 0 ] || bad "re-indented: exit $rc"
	# a section the entries cannot prove is covered by the signature
	st_tamper signed.json "d['fund_figures']['surplus'] = '0.01'"
	st_check_here t.json
	[ "$rc" -eq 0 ] || bad "unsigned check of a changed section: exit $rc"
	st_check_here t.json --signer "$(cat auditor.vk)"
	[ "$rc" -eq 1 ] || bad "changed section: exit $rc"
}

t_statement_of_an_anonymous_donor() {
	st_json
	expect 0 A statement --donor ANON --format text
	out_has '^  Donor +anonymous donor \(ANON\)$'
	out_lacks 'Secret Philanthropist'
	expect 0 A statement --donor ANON --format json --out anon.json
	st_check_here() {
		run "$TFAUDIT" verify-statement "$@" --log-key "$(cat admin.vk)"
	}
	st_check_here anon.json
	[ "$rc" -eq 0 ] || bad "anon: exit $rc: $(cat err)"
	# other donors' statements show the fund only in aggregate
	for f in text csv; do
		expect 0 A statement --donor NOR --format $f
		out_lacks 'ANON|Secret|BNK-1003|DEU|Germany'
	done
	python3 - deu.json >texts 2>err <<'EOF' || bad "python"
import json, sys
d = json.load(open(sys.argv[1]))
del d['checkpoint']
for e in d['entries']:
    e['note'] = e['note'].split('\n\n')[0]
    del e['proof']
print(json.dumps(d))
EOF
	grep -Eq 'ANON|Secret|BNK-1003|NOR|Norway' texts &&
	    bad "DEU's json names another donor"
	true
}

t_statement_text_and_csv_show_the_figures() {
	st_json
	expect 0 A statement --donor DEU --format text --out deu.txt
	for want in '^DONOR STATEMENT DEU-' 'Germany \(DEU\), government, DE' \
	    'EUR 100,000.00 at 0.926 = USD 107,991.36' \
	    'receivable cleared 64,794.82' \
	    'REVERSED by seq [0-9]+ on 2026-06-16' \
	    'received +97,483.16 +97,483.16' 'written down +10,799.14' \
	    'refunded +1,052.63' 'Bahay Kanlungan \(PH\)' '8,338.60' \
	    'women 31, girls 12, men 4, boys 2' '13% of expenditure'; do
		grep -Eq -- "$want" deu.txt || bad "text lacks /$want/"
	done
	grep -q 'Safe Haven' deu.txt && bad "DEU's money did not go to G1"
	expect 0 A statement --donor DEU --format csv --out deu.csv
	for want in '^section,item,seq,date,reference,currency,amount,detail$' \
	    '^pledge,base_amount,[0-9]+,,DEU-2026-1,USD,107991.36,$' \
	    '^receipt,exchange_difference,[0-9]+,,BNK-1001,USD,-278.69,$' \
	    '^to_date,received,,,,USD,97483.16,$' \
	    '^refund,base_amount,[0-9]+,,RF-D1,USD,1052.63,$' \
	    '^grant,attributed,,,G2,USD,8338.60,$' '^results,women,,,,,31,'; do
		grep -Eq -- "$want" deu.csv || bad "csv lacks /$want/"
	done
	expect 0 A statement --donor NOR --format text
	out_has 'Earmark africa: your net contribution USD 50,000.00'
	out_has 'Safe Haven Lagos \(NG\)'
	expect 0 A statement --donor NOR --format csv
	out_has '^grant,attributed,,,G1,USD,9000.00,$'
	out_has '^use,psc,,,africa,USD,1170.00,$'
}

t_statement_leaves_out_entries_after_the_checkpoint() {
	st_json
	rec_seq receipt --donor DEU --amount 1 --currency USD --ref BNK-9 \
	    --date 2026-11-01 >/dev/null
	expect 0 A statement --donor DEU --format csv
	err_has 'the latest checkpoint covers [0-9]+ of [0-9]+ entries'
	out_lacks 'BNK-9'
	expect 0 A -q statement --donor DEU --format csv
	[ -s err ] && bad "-q printed a note"
	T checkpoint -k admin.key >/dev/null
	expect 0 A statement --donor DEU --format csv
	out_has 'BNK-9'
	[ -s err ] && bad "a note with a current checkpoint"
	true
}

t_statement_period_shows_opening_receivable() {
	st_json
	expect 0 A statement --donor DEU --format csv --from 2026-06-01 \
	    --to 2026-06-30
	out_has '^header,number,,,,,,DEU-20260630-'
	out_has '^receivable,opening,,,,USD,43196.54,$'
	out_has '^period,received,,,,USD,32967.03,$'
	out_lacks 'BNK-1001'
	expect 0 A statement --donor DEU --format json --from 2026-06-01 \
	    --to 2026-06-30 --out june.json
	run "$TFAUDIT" verify-statement june.json --log-key "$(cat admin.vk)"
	[ "$rc" -eq 0 ] || bad "june: exit $rc: $(cat err)"
}

# Thousands of receipts by import: every donor's statement verifies.
t_statement_of_thousands_of_entries_verifies() {
	st_year
	python3 - >bulk.csv <<'EOF'
print("date,donor,amount,currency,reference,rate,pledge,earmark")
for i in range(3000):
    d = ("DEU", "NOR", "ANON")[i % 3]
    day = "2026-%02d-%02d" % (8 + i // 1000, 1 + i % 28)
    if d == "DEU":
        print("%s,DEU,%d.%02d,EUR,BULK-%d,0.9%d,," % (day, 1 + i * 7 % 9000,
              i % 100, i, 1 + i % 9))
    else:
        print("%s,%s,%d.%02d,USD,BULK-%d,,,%s" % (day, d, 1 + i % 5000,
              i % 100, i, "africa" if i % 2 else ""))
EOF
	expect 0 T import --type receipt bulk.csv -k recorder.key
	err_has '3000 rows appended'
	T checkpoint -k admin.key >/dev/null
	for d in DEU NOR ANON; do
		expect 0 A statement --donor $d --format json --out $d.json
		run "$TFAUDIT" verify-statement $d.json \
		    --log-key "$(cat admin.vk)"
		[ "$rc" -eq 0 ] || bad "$d: exit $rc: $(cat err)"
		out_has "of donor $d: [0-9]{4} entries"
	done
	st_tamper NOR.json "d['entries'][700]['proof'][3] = '00' * 32"
	run "$TFAUDIT" verify-statement t.json --log-key "$(cat admin.vk)"
	[ "$rc" -eq 1 ] || bad "tampered proof: exit $rc"
}

# --audited: after one audit, statements drawn at the checkpoint it
# covered are the statements a full audit gives, byte for byte.
# The year, checkpointed into cp, which a passing audit covers.
st_audited() {
	st_year
	T checkpoint -k admin.key --out cp >/dev/null 2>err || bad "checkpoint"
	expect 0 A verify --checkpoint cp
}

t_statement_audited_is_the_audits_statement() {
	st_audited
	for d in DEU NOR ANON; do
		expect 0 A statement --donor $d --format json --out $d.full
		expect 0 A statement --donor $d --format json --out $d.fast \
		    --audited cp
		cmp -s $d.full $d.fast || bad "$d: --audited differs"
	done
	expect 0 A statement --donor DEU --format csv --from 2026-06-01 \
	    --to 2026-06-30 --audited cp
	out_has '^receivable,opening,,,,USD,43196.54,$'
	# Entries after it are left out, and said to be.
	rec_seq receipt --donor DEU --amount 1 --currency USD --ref BNK-9 \
	    --date 2026-11-01 >/dev/null
	expect 0 A statement --donor DEU --format json --out late.json \
	    --audited cp
	err_has 'the audited checkpoint covers [0-9]+ of [0-9]+ entries'
	cmp -s DEU.full late.json || bad "an entry after the checkpoint counted"
	run "$TFAUDIT" verify-statement late.json --log-key "$(cat admin.vk)"
	[ "$rc" -eq 0 ] || bad "verify-statement: exit $rc: $(cat err)"
}

# It reads the donor's entries only: another donor's entry damaged after
# the audit stops a full audit's statement, not this one, which still
# checks with the log key alone.  What it relies on is the audit.
t_statement_audited_reads_only_the_donors_entries() {
	st_audited
	nor=$(T log | awk '/ref=BNK-1002/ { print $1 }')
	"$TAMPER" "$L" flip "$nor" 60 || bad "tamper"
	expect 1 A statement --donor DEU --format json --out full.json
	expect 0 A statement --donor DEU --format json --out deu.json \
	    --audited cp
	run "$TFAUDIT" verify-statement deu.json --log-key "$(cat admin.vk)"
	[ "$rc" -eq 0 ] || bad "verify-statement: exit $rc: $(cat err)"
	expect 1 A statement --donor NOR --format json --out nor.json \
	    --audited cp
	err_has "seq $nor"
}

t_statement_audited_checkpoint_must_be_this_ledgers() {
	st_year
	T checkpoint -k admin.key --out cp >/dev/null 2>err || bad "checkpoint"
	# another ledger's checkpoint of the same size: another root
	mkdir other
	(cd other && st_year && T checkpoint -k admin.key --out ../cp2 \
	    >/dev/null) 2>/dev/null
	expect 1 A statement --donor DEU --format text --audited cp2
	err_has 'has another root than the one this ledger stores'
	# a size this ledger has no checkpoint of
	rec_seq interest --amount 1.00 --ref I-9 >/dev/null
	(cd other && rec_seq interest --amount 1.00 --ref I-9 >/dev/null &&
	    rec_seq interest --amount 1.00 --ref I-10 >/dev/null &&
	    T checkpoint -k admin.key --out ../cp3 >/dev/null)
	expect 1 A statement --donor DEU --format text --audited cp3
	err_has 'is not one this ledger stores'
	# not signed by the log key: the signature's first character changed
	# (an A to a B, anything else to an A; t ends the line's script once
	# the first has matched, so an A is not turned back)
	sed 's/^\(— [^ ]* \)A/\1B/; t; s/^\(— [^ ]* \)[^A]/\1A/' cp >cp4
	cmp -s cp cp4 && bad "the signature was not changed"
	expect 1 A statement --donor DEU --format text --audited cp4
	err_has '^tfaudit: the audited checkpoint'
	expect 2 A statement --donor DEU --format text --audited /dev/null
	expect 2 A statement --donor DEU --format text --audited no-such-file
	expect 0 A statement --donor DEU --format text --audited cp
}

# The index of a donor's entries is state: an entry left out of it (and
# of the snapshots) fails the audit, so no statement can skip it.
t_statement_a_donors_entry_missing_from_its_index_fails_the_audit() {
	st_year
	T checkpoint -k admin.key >/dev/null 2>err || bad "checkpoint"
	expect 0 A verify
	seq=$(T log | awk '/ref=BNK-1101/ { print $1; exit }')
	key=$(printf 'dx/DEU:%016x' "$seq")
	"$TAMPER" "$L" forget "$key" || bad "tamper"
	expect 1 A verify
	err_has 'has [0-9]+ records, the replayed entries give [0-9]+'
	expect 1 A statement --donor DEU --format text
}

# A damaged entry of the donor that still parses is not the one the
# audited checkpoint covers: --audited checks each carried entry's leaf.
t_statement_audited_refuses_a_donors_entry_changed_since() {
	st_audited
	seq=$(T log | awk '/ref=BNK-1001/ { print $1; exit }')
	"$TAMPER" "$L" badsig "$seq" || bad "tamper"
	expect 1 A statement --donor DEU --format text --audited cp
	err_has "seq $seq: not the entry the checkpoint of size [0-9]+ covers"
	expect 0 A statement --donor NOR --format text --audited cp
}

# Ids may hold '/' and '-': donor A's statement is not A/B's, A's bank
# reference B/R1 is not A/B's R1, and a pool earmarked "-" is not the
# unearmarked one.
t_statement_ids_that_look_like_key_parts() {
	make_ledger
	for d in A A/B; do
		T donor add --id "$d" --name "Donor $d" --kind private \
		    -k recorder.key >/dev/null 2>err || bad "donor $d"
	done
	T receipt --donor A --amount 100.00 --currency USD --ref R1 \
	    --date 2026-03-01 -k recorder.key >/dev/null 2>err || bad "R1"
	T receipt --donor A --amount 30.00 --currency USD --ref R2 \
	    --earmark - --date 2026-03-02 -k recorder.key >/dev/null 2>err ||
	    bad "R2: $(cat err)"
	T receipt --donor A/B --amount 50.00 --currency USD --ref R1 \
	    --date 2026-03-01 -k recorder.key >/dev/null 2>err || bad "A/B R1"
	# A's bank reference B/R1 is not A/B's R1
	T receipt --donor A --amount 7.00 --currency USD --ref B/R1 \
	    --date 2026-03-03 -k recorder.key >/dev/null 2>err ||
	    bad "A B/R1: $(cat err)"
	T checkpoint -k admin.key --out cp >/dev/null 2>err || bad "checkpoint"
	for how in "" "--audited cp"; do
		expect 0 A statement --donor A --format json --out a.json $how
		python3 - a.json >got 2>err <<'PY' || bad "A ($how): $(cat err)"
import json, sys
d = json.load(open(sys.argv[1]))
c = d["contributions"]
use = {u["earmark"]: u["contributed"] for u in d["use"]["pools"]}
print(c["to_date"]["received"], len(c["receipts"]), use.get(None),
      use.get("-"))
PY
		same "$(cat got)" "137.00 3 107.00 30.00" "A's statement ($how)"
		expect 0 A statement --donor A/B --format csv $how
		out_has '^period,received,,,,USD,50.00,$'
	done
}
