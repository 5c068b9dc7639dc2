# test_export.sh - tfaudit export: a small fund year through the CLI,
# exported and read back by hledger (and ledger, when installed), whose
# figures must be exactly those of `tfledger balance`.

# A year of the fund: donors in EUR, JPY, KWD and USD, earmarked
# (SHELTER) and not, pledges, receipts at other rates than their
# pledges', a write-down, a refund to a donor, interest, two grants,
# tranches (one large enough to need approval), expenditure with counts,
# an NGO's refund, a deobligation, PSC, and an approved reversal of a
# receipt in euros.
ex_fund_year() {
	make_ledger
	ex_donors
	ex_income
	ex_grants
}

ex_donors() {
	rec_seq donor add --id DEU --name Germany --kind government \
	    --country DE >/dev/null
	rec_seq donor add --id JPN --name Japan --kind government \
	    --country JP >/dev/null
	rec_seq donor add --id KWT --name Kuwait --kind government \
	    --country KW >/dev/null
	rec_seq donor add --id BHC --name "Blue Heart, private donors" \
	    --kind private >/dev/null
	rec_seq donor add --id ACME --name "Acme Foundation" \
	    --kind foundation --country US >/dev/null
	rec_seq grantee add --id ngo-1 --name "Safe Haven" --country NG \
	    >/dev/null
	rec_seq grantee add --id ngo-2 --name "Casa Libre" --country MX \
	    >/dev/null
}

ex_income() {
	rec_seq pledge --donor DEU --amount 100000 --currency EUR \
	    --rate 0.926 --ref DEU-2026-1 --date 2026-01-20 >/dev/null
	rec_seq pledge --donor KWT --amount 1000 --currency KWD --rate 0.307 \
	    --earmark SHELTER --ref KWT-2026-1 --date 2026-02-01 >/dev/null
	rec_seq pledge --donor ACME --amount 10000 --currency USD \
	    --ref ACME-2026-1 --date 2026-02-05 >/dev/null
	rec_seq receipt --donor DEU --amount 50000 --currency EUR --rate 0.93 \
	    --pledge DEU-2026-1 --ref BNK-88121 --date 2026-02-20 >/dev/null
	rec_seq receipt --donor JPN --amount 1000000 --currency JPY \
	    --rate 156.250 --ref BNK-88200 --date 2026-03-02 >/dev/null
	rec_seq receipt --donor KWT --amount 1000 --currency KWD \
	    --rate 0.305 --pledge KWT-2026-1 --ref BNK-88230 \
	    --date 2026-03-10 >/dev/null
	rec_seq receipt --donor BHC --amount 25000 --currency USD \
	    --earmark SHELTER --ref BNK-88301 --date 2026-03-12 >/dev/null
	rec_seq receipt --donor ACME --amount 8000 --currency USD \
	    --pledge ACME-2026-1 --ref BNK-88410 --date 2026-04-01 >/dev/null
	# the CLI does not normalise a write-down's amount (yet): 2000.00
	rec_seq pledge writedown --pledge ACME-2026-1 --amount 2000.00 \
	    --reason "agreement amended; final" --date 2026-06-30 >/dev/null
	rec_seq interest --amount 312.40 --ref INT-2026-06 --date 2026-06-30 \
	    >/dev/null
	rec_seq receipt --donor DEU --amount 50000 --currency EUR --rate 0.92 \
	    --pledge DEU-2026-1 --ref BNK-88502 --date 2026-07-15 >/dev/null
	rec_seq refund --donor JPN --receipt BNK-88200 --amount 100000 \
	    --currency JPY --rate 155 --ref RF-JPN-1 --reason "overpaid" \
	    --date 2026-08-01 >/dev/null
	wrong=$(rec_seq receipt --donor DEU --amount 1000 --currency EUR \
	    --rate 0.93 --ref BNK-88999 --date 2026-09-01)
	rec_approved reverse "$wrong" --reason "booked to the wrong donor" \
	    --date 2026-09-05
}

ex_grants() {
	rec_approved grant award --id G-2026-01 --grantee ngo-1 \
	    --amount 20000 --start 2026-04-15 --end 2026-12-31 \
	    --purpose shelter,medical --country NG --date 2026-04-10
	rec_approved grant award --id G-2026-02 --grantee ngo-2 \
	    --amount 15000 --earmark SHELTER --start 2026-04-15 \
	    --end 2027-03-31 --purpose shelter --country MX --date 2026-04-12
	rec_approved grant disburse --id G-2026-01 --amount 12000 \
	    --ref TR-1 --date 2026-05-02
	rec_seq grant disburse --id G-2026-02 --amount 9000 --ref TR-2 \
	    --date 2026-05-04 >/dev/null
	rec_seq grant disburse --id G-2026-01 --amount 5000 --ref TR-3 \
	    --date 2026-07-20 >/dev/null
	rec_seq grant expenditure --id G-2026-01 --amount 11000 --ref REP-1 \
	    --women 20 --girls 12 --men 3 --boys 5 --sexual 15 --labour 10 \
	    --other-form 4 --services shelter:30,medical:12 \
	    --date 2026-09-30 >/dev/null
	rec_seq grant expenditure --id G-2026-02 --amount 8000 --ref REP-2 \
	    --women 9 --girls 14 --sexual 18 --labour 3 --date 2026-09-30 \
	    >/dev/null
	rec_seq grant refund --id G-2026-01 --amount 1500 --ref RF-NGO-1 \
	    --date 2026-10-15 >/dev/null
	rec_seq grant deobligate --id G-2026-01 --amount 3000 \
	    --reason "project ended early" --date 2026-10-20 >/dev/null
	rec_seq psc --date 2026-10-31 >/dev/null
}

# The balance of the accounts matching query, at cost, from hledger, as
# a decimal in USD ("0.00" for none); extra options may come first.
ex_hl() {
	v=$(hledger -f j.hledger bal -B -O csv "$@" | tail -n 1 |
	    sed 's/^"total","//; s/"$//; s/ USD$//')
	[ "$v" = 0 ] && v=0.00
	echo "$v"
}

# A figure from `tfledger balance --json` (saved in bal.json): key in
# the totals, or key of earmark when a second argument is given.
ex_tf() {
	python3 -c 'import json, sys
b = json.load(open("bal.json"))
if len(sys.argv) > 2:
    b = b["earmarks"][sys.argv[2]]
print(b[sys.argv[1]])' "$@"
}

# Compare the account groups of tfledger's pool figures, under an
# hledger query narrowing the postings (an earmark, or none).
ex_compare() {
	pool=$1
	shift
	same "$(ex_hl "$@" '^assets:cash')" "$(ex_tf cash $pool)" "cash $pool"
	same "$(ex_hl "$@" '^assets:receivable')" "$(ex_tf receivable $pool)" \
	    "receivable $pool"
	same "$(ex_hl "$@" '^assets:advances')" "$(ex_tf advances $pool)" \
	    "advances $pool"
	same "$(ex_hl "$@" '^expenses:grants')" "$(ex_tf expenditure $pool)" \
	    "expenditure $pool"
	same "$(ex_hl "$@" '^expenses:psc')" "$(ex_tf psc $pool)" "psc $pool"
	same "$(ex_hl "$@" '^memo:commitments')" "$(ex_tf committed $pool)" \
	    "committed $pool"
	same "$(ex_hl --invert "$@" '^income:contributions')" \
	    "$(ex_tf contributions $pool)" "contributions $pool"
	same "$(ex_hl --invert "$@" '^income:interest')" \
	    "$(ex_tf interest $pool)" "interest $pool"
	same "$(ex_hl --invert "$@" '^income:exchange-differences')" \
	    "$(ex_tf exchange_differences $pool)" "exchange differences $pool"
}

t_export_hledger_passes_hledger_strict_checks() {
	ex_fund_year
	expect 0 A export --format hledger --out j.hledger
	[ -s j.hledger ] || bad "no journal written"
	[ ! -s out ] || bad "stdout not empty with --out"
	hledger -f j.hledger check -s ordereddates >hl.out 2>&1 ||
	    bad "hledger check -s ordereddates: $(head -n 5 hl.out)"
}

t_export_hledger_balances_equal_tfledger_balance() {
	ex_fund_year
	A export --format hledger >j.hledger 2>err || bad "export"
	T balance --json >bal.json 2>err || bad "balance"
	ex_compare ""
	ex_compare SHELTER tag:earmark=SHELTER
	ex_compare "(unearmarked)" not:tag:earmark
	# worked by hand: receipts in four currencies at their rates, the
	# refund to Japan, tranches, the NGO's refund, interest and PSC
	same "$(ex_hl '^assets:cash')" 123487.20 "cash, worked by hand"
}

t_export_hledger_passes_ledger_pedantic() {
	if ! command -v ledger >/dev/null 2>&1; then
		echo "  skip: ledger is not installed" >&2
		return 0
	fi
	ex_fund_year
	A export --format hledger >j.hledger 2>err || bad "export"
	ledger -f j.hledger --pedantic bal >l.out 2>&1 ||
	    bad "ledger --pedantic bal: $(head -n 5 l.out)"
	# ledger's cost basis agrees with hledger's
	got=$(ledger -f j.hledger --pedantic -B bal '^assets:cash' \
	    --balance-format '%(display_total)\n' | tail -n 1)
	T balance --json >bal.json 2>err || bad "balance"
	same "$got" "$(ex_tf cash) USD" "ledger's cash at cost"
}

t_export_hledger_follows_the_journal_rules() {
	ex_fund_year
	expect 0 A export --format hledger
	out_has '^commodity USD$'
	grep -A1 '^commodity USD$' out | grep -q '^  format 1000\.00 USD$' ||
	    bad "USD format line"
	grep -A1 '^commodity KWD$' out | grep -q '^  format 1000\.000 KWD$' ||
	    bad "KWD format line"
	grep -A1 '^commodity JPY$' out | grep -q '^$' || bad "JPY not bare"
	grep -A1 '^account assets:cash$' out | grep -q '^  ; type: A$' ||
	    bad "assets:cash type"
	grep -A1 '^account income:interest$' out | grep -q '^  ; type: R$' ||
	    bad "income type"
	grep -A1 '^account expenses:psc$' out | grep -q '^  ; type: X$' ||
	    bad "expenses type"
	grep -A1 '^account memo:uncommitted$' out | grep -q '^account ' ||
	    bad "memo account has a type"
	for tag in seq approved-by reverses earmark; do
		out_has "^tag $tag\$"
	done
	out_has '^2026-02-20 \* receipt DEU BNK-88121$'
	out_has '^ +assets:cash +50000\.00 EUR @@ 53763\.44 USD$'
	out_has '^ +assets:cash +1000000 JPY @@ 6400\.00 USD$'
	out_has '^ +assets:cash +1000\.000 KWD @@ 3278\.69 USD$'
	out_has '^ +assets:cash +-100000 JPY @@ 645\.16 USD$'
	# the reversal: its own seq, the receipt it undoes, its approval
	out_has '^2026-09-05 \* reversal of [0-9]+ receipt DEU BNK-88999$'
	out_has '^ +assets:cash +-1000\.00 EUR @@ 1075\.27 USD$'
	out_has '^ +; reverses: [0-9]+$'
	out_has '^ +; approved-by: [0-9]+$'
	out_has '^ +; earmark: SHELTER$'
	out_lacks 'agreement amended'
	out_lacks '^[0-9-]+ \* .*[;|]'
	# dates ascend through the file
	grep -E '^[0-9]{4}-' out | cut -c1-10 >dates
	sort -c dates 2>/dev/null || bad "transactions not sorted by date"
}

t_export_csv_rows_balance_per_seq_and_match_cash() {
	ex_fund_year
	expect 0 A export --format csv
	same "$(head -n 1 out)" "date,seq,by_seq,type,account,amount,\
currency,orig_amount,orig_currency,earmark,reverses,description" "header"
	T balance --json >bal.json 2>err || bad "balance"
	python3 - out "$(ex_tf cash)" >csv.out 2>&1 <<'EOF' ||
import csv, sys
from decimal import Decimal
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
seqs = {}
cash = Decimal(0)
for r in rows:
    seqs[r["seq"]] = seqs.get(r["seq"], Decimal(0)) + Decimal(r["amount"])
    if r["account"] == "assets:cash":
        cash += Decimal(r["amount"])
    assert r["currency"] == "USD", r
    assert (r["orig_amount"] == "") == (r["orig_currency"] == ""), r
unbalanced = [s for s, v in seqs.items() if v != 0]
assert not unbalanced, "unbalanced seqs %s" % unbalanced
assert str(cash) == sys.argv[2], "cash %s != %s" % (cash, sys.argv[2])
print(len(seqs))
EOF
	    bad "csv: $(tail -n 3 csv.out)"
	grep -q ',KWD,SHELTER,,receipt KWT BNK-88230$' out ||
	    bad "KWD receipt row"
}

t_export_json_parses_and_agrees_with_csv() {
	ex_fund_year
	A export --format csv >csv 2>err || bad "export csv"
	expect 0 A export --format json
	python3 - out csv >json.out 2>&1 <<'EOF' ||
import csv, json, sys
from decimal import Decimal
txns = json.load(open(sys.argv[1]))
rows = list(csv.DictReader(open(sys.argv[2], newline="")))
flat = [(t["date"], str(t["seq"]), str(t["by_seq"]), t["type"],
         p["account"], p["amount"], p.get("orig_amount", ""),
         p.get("orig_currency", ""), p["earmark"])
        for t in txns for p in t["postings"]]
want = [(r["date"], r["seq"], r["by_seq"], r["type"], r["account"],
         r["amount"], r["orig_amount"], r["orig_currency"], r["earmark"])
        for r in rows]
assert flat == want, "json and csv differ"
for t in txns:
    assert sum(Decimal(p["amount"]) for p in t["postings"]) == 0, t
    assert isinstance(t["seq"], int) and isinstance(t["by_seq"], int)
    assert t["description"].startswith(t["type"]), t
rev = [t for t in txns if t["type"] == "reversal"]
assert len(rev) == 1 and rev[0]["reverses"] < rev[0]["seq"], rev
EOF
	    bad "json: $(tail -n 3 json.out)"
}

t_export_of_a_fund_without_money_is_valid() {
	make_ledger
	expect 0 A export --format json
	same "$(tr -d ' \n' <out)" "[]" "json"
	expect 0 A export --format csv
	same "$(wc -l <out | tr -d ' ')" 1 "csv lines"
	expect 0 A export --format hledger --out j.hledger
	hledger -f j.hledger check -s ordereddates >hl.out 2>&1 ||
	    bad "hledger check: $(head -n 3 hl.out)"
}

t_export_needs_a_known_format() {
	make_ledger
	expect 2 A export
	err_has 'missing required option --format'
	expect 2 A export --format xlsx
	err_has '--format "xlsx"'
	expect 2 A export --format csv extra
	err_has 'unexpected argument'
}

t_export_of_a_tampered_ledger_fails_and_leaves_no_file() {
	ex_fund_year
	"$TAMPER" "$L" flip 12 60 || bad "tamper"
	expect 1 A export --format hledger --out j.hledger
	err_has 'seq 12'
	[ ! -e j.hledger ] || bad "a partial journal was left"
	expect 1 A export --format csv
	[ ! -s out ] || bad "csv written for a ledger that does not verify"
}

t_export_reports_a_failed_write() {
	[ -w /dev/full ] || return 0
	ex_fund_year
	expect 3 A export --format csv --out /dev/full
	err_has '/dev/full: write error'
}
