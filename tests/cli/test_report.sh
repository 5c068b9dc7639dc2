# test_report.sh - tfaudit report (the fund report) in text, csv, json and
# pdf, and tfaudit statement --format pdf: a small fund year recorded
# through the CLI, whose figures were worked out by hand (below), and
# PDFs checked with poppler's pdfinfo and pdftotext: A4 pages, the title,
# the figures and chart labels, and no word outside the margins.
#
# Dates are explicit and in 2026, before the day these tests were written
# (2026-11-28).

# The year, all unearmarked (USD):
#   NOR gives 250,000.00 (no pledge); DEU pledges EUR 100,000 at 0.8 =
#   125,000.00, pays EUR 60,000 at 0.75 = 80,000.00 (clearing 75,000.00:
#   5,000.00 exchange gain) and writes EUR 10,000 down (12,500.00);
#   ACME gives 40,000.00 and gets 2,000.00 back; two anonymous donors
#   give 500.00 and 1,500.00; interest 1,200.00.
#   G1 NG 20,000 (shelter, medical; cycle 2026-1): paid 10,000, spent
#   9,000, 1,000 refunded.  G2 PH 60,000 (shelter, psychosocial, legal;
#   2026-1): paid 30,000, spent 25,000; a further report of 1,000 is
#   recorded in July and reversed.  G3 TH (grantee in PH) 15,000 (no
#   purpose; 2026-2): paid 5,000, spent 4,000, 5,000 deobligated in July.
#   PSC 13% of 38,000 = 4,940.00.
rp_year() {
	make_ledger
	rec_seq donor add --id NOR --name Norway --kind government \
	    --country NO >/dev/null
	rec_seq donor add --id DEU --name Germany --kind government \
	    --country DE >/dev/null
	rec_seq donor add --id ACME --name "Acme Foundation" --kind foundation \
	    --country US >/dev/null
	rec_seq donor add --id ANON --name "Secret Philanthropist" \
	    --kind individual --anonymous >/dev/null
	rec_seq donor add --id ANON2 --name "Hidden Giver" --kind private \
	    --anonymous >/dev/null
	rec_seq grantee add --id ngo-ng --name "Safe Haven Lagos" \
	    --country NG >/dev/null
	rec_seq grantee add --id ngo-ph --name "Bahay Kanlungan" \
	    --country PH >/dev/null
	rp_income
	rp_grants
	rp_july
}

rp_income() {
	rec_seq receipt --donor NOR --amount 250000 --currency USD \
	    --ref BNK-1 --date 2026-01-10 >/dev/null
	rec_seq pledge --donor DEU --amount 100000 --currency EUR --rate 0.8 \
	    --ref DEU-2026 --date 2026-01-15 >/dev/null
	rec_seq receipt --donor DEU --amount 60000 --currency EUR --rate 0.75 \
	    --pledge DEU-2026 --ref BNK-2 --date 2026-02-10 >/dev/null
	rec_seq receipt --donor ACME --amount 40000 --currency USD \
	    --ref BNK-3 --date 2026-02-20 >/dev/null
	rec_seq receipt --donor ANON --amount 500 --currency USD \
	    --ref BNK-4 --date 2026-03-01 >/dev/null
	rec_seq receipt --donor ANON2 --amount 1500 --currency USD \
	    --ref BNK-5 --date 2026-03-01 >/dev/null
	rec_seq interest --amount 1200 --ref INT-1 --date 2026-03-05 >/dev/null
}

rp_grants() {
	rec_approved grant award --id G1 --grantee ngo-ng --amount 20000 \
	    --start 2026-04-01 --end 2026-12-31 --cycle 2026-1 \
	    --purpose shelter,medical --date 2026-03-25
	rec_approved grant award --id G2 --grantee ngo-ph --amount 60000 \
	    --start 2026-04-01 --end 2027-12-31 --cycle 2026-1 \
	    --purpose shelter,psychosocial,legal --date 2026-03-25
	rec_approved grant award --id G3 --grantee ngo-ph --country TH \
	    --amount 15000 --start 2026-04-01 --end 2027-03-31 \
	    --cycle 2026-2 --date 2026-03-26
	rec_seq grant disburse --id G1 --amount 10000 --ref TR1 \
	    --date 2026-04-05 >/dev/null
	rec_approved grant disburse --id G2 --amount 30000 --ref TR2 \
	    --date 2026-04-06
	rec_seq grant disburse --id G3 --amount 5000 --ref TR3 \
	    --date 2026-04-07 >/dev/null
	rec_seq grant expenditure --id G1 --amount 9000 --ref RP1 --women 18 \
	    --girls 7 --sexual 20 --labour 3 --services shelter:25,medical:14 \
	    --date 2026-06-30 >/dev/null
	rec_seq grant expenditure --id G2 --amount 25000 --ref RP2 --women 31 \
	    --girls 12 --men 4 --boys 2 --sexual 25 --labour 18 \
	    --other-form 4 --services shelter:20,psychosocial:40,legal:16 \
	    --date 2026-06-30 >/dev/null
	rec_seq grant expenditure --id G3 --amount 4000 --ref RP3 --men 10 \
	    --boys 3 --labour 13 --services legal:5 --date 2026-06-30 \
	    >/dev/null
	rec_seq grant refund --id G1 --amount 1000 --ref RF1 \
	    --date 2026-06-30 >/dev/null
	rec_seq psc --date 2026-06-30 >/dev/null
}

rp_july() {
	rec_seq grant expenditure --id G2 --amount 1000 --ref RP4 --women 5 \
	    --sexual 5 --services legal:2 --date 2026-07-01 >/dev/null
	rec_approved reverse "$(tail -n 1 rec.out)" --reason "keyed twice" \
	    --date 2026-07-02
	rec_seq grant deobligate --id G3 --amount 5000 --reason "smaller need" \
	    --date 2026-07-15 >/dev/null
	rec_seq pledge writedown --pledge DEU-2026 --amount 10000.00 \
	    --reason "budget cut" --date 2026-07-20 >/dev/null
	rec_seq refund --donor ACME --receipt BNK-3 --amount 2000 \
	    --currency USD --ref RF-A1 --reason overpaid --date 2026-08-01 \
	    >/dev/null
}

# No anonymous donor's name or id in file $1 (what: its name).
rp_no_anonymous() {
	! grep -Eq 'Secret|Philanthropist|Hidden|Giver|ANON' "$1" ||
	    bad "$2 names an anonymous donor"
}

# Every word of PDF $1 within the A4 page's 50-point margins, by
# pdftotext -bbox (words in points from the top left).
rp_within_margins() {
	pdftotext -bbox "$1" bbox.html 2>err || bad "pdftotext -bbox $1"
	python3 - bbox.html >margins 2>&1 <<'EOF' || bad "$(cat margins)"
import re, sys
words = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" '
                   r'xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>',
                   open(sys.argv[1]).read())
assert len(words) > 100, "only %d words" % len(words)
for x0, y0, x1, y1, w in words:
    x0, y0, x1, y1 = map(float, (x0, y0, x1, y1))
    if x0 < 49.5 or x1 > 595.276 - 49.5 or y0 < 49.5 or y1 > 841.89 - 49.5:
        sys.exit("word %r at %.1f,%.1f-%.1f,%.1f: outside the margins"
                 % (w, x0, y0, x1, y1))
EOF
}

# pdfinfo: every page A4; $2 pages at least.
rp_a4() {
	pdfinfo "$1" >info 2>err || bad "pdfinfo $1"
	grep -Eq '^Page size: +595\.2[0-9]* x 841\.8[0-9]* pts \(A4\)' info ||
	    bad "not A4: $(grep 'Page size' info)"
	pdfinfo -f 1 -l 999 "$1" 2>/dev/null | grep '^Page .* size' |
	    grep -v '595\.2[0-9]* x 841\.8[0-9]*' >notA4
	[ ! -s notA4 ] || bad "pages not A4: $(head -1 notA4)"
	[ "$(sed -n 's/^Pages: *//p' info)" -ge "$2" ] ||
	    bad "$(grep Pages info), wanted $2 or more"
}

t_report_text_shows_the_figures() {
	rp_year
	expect 0 A report --from 2026-01-01 --to 2026-12-31 --format text
	for want in '^Test Fund$' '^FUND REPORT 2026-01-01 to 2026-12-31$' \
	    '^    Norway \(government\) +250,000\.00 +250,000\.00$' \
	    '^    Germany \(government\) +112,500\.00 +80,000\.00$' \
	    '^    Acme Foundation \(foundation\) +38,000\.00 +38,000\.00$' \
	    '^    anonymous donor \(2 donors\) +2,000\.00 +2,000\.00$' \
	    '^    total +402,500\.00 +370,000\.00$' \
	    '^    government +2 +362,500\.00 +330,000\.00$' \
	    '^    private +1 +1,500\.00 +1,500\.00$' \
	    '^    PH +1 +60,000\.00 +30,000\.00 +25,000\.00$' \
	    '^    NG +1 +20,000\.00 +9,000\.00 +9,000\.00$' \
	    '^    TH +1 +10,000\.00 +5,000\.00 +4,000\.00$' \
	    '^    shelter +2 +30,000\.00 +14,500\.00 +12,833\.34$' \
	    '^    psychosocial +1 +20,000\.00 +10,000\.00 +8,333\.33$' \
	    '^    \(not given\) +1 +10,000\.00 +5,000\.00 +4,000\.00$' \
	    '^    2026-1 +2 +80,000\.00 +39,000\.00 +34,000\.00$' \
	    '^    all grants +3 +90,000\.00 +44,000\.00 +38,000\.00$' \
	    'programme support cost \(PSC, 13%\) +4,940\.00$' \
	    '^    total expenditure +42,940\.00$' \
	    '^    contributions recognised +417,000\.00$' \
	    '^    less write-downs of pledges +-12,500\.00$' \
	    '^    exchange differences +5,000\.00$' \
	    '^    closing net assets \(at 2026-12-31\) +365,760\.00$' \
	    '^    cash +0\.00 +322,260\.00$' \
	    '^    receivables \(pledges due\) +0\.00 +37,500\.00$' \
	    '^    advances to NGOs +0\.00 +6,000\.00$' \
	    '^    committed to awards, not yet paid +0\.00 +45,000\.00$' \
	    '^    available for new awards +0\.00 +277,260\.00$' \
	    '^5\. People assisted \(3 reports from 3 grants\)$' \
	    '^    women +49$' '^    girls +19$' '^    men +14$' \
	    '^    boys +5$' '^    total +87$' \
	    '^    adults \(women and men\) +63$' \
	    '^    children \(girls and boys\) +24$' \
	    '^    sexual exploitation +45$' '^    forced labour +34$' \
	    '^    other forms +4$' '^    not recorded +4$' \
	    '^    shelter +45$' '^    legal +21$' '^    education +0$'; do
		grep -Eq -- "$want" out || bad "text lacks /$want/"
	done
	rp_no_anonymous out text
	awk 'length > 76 { exit 1 }' out || bad "a line over 76 columns"
}

t_report_csv_and_json_give_the_same_figures() {
	rp_year
	expect 0 A report --from 2026-01-01 --to 2026-12-31 --format csv
	for want in '^section,key,item,currency,value$' \
	    '^header,,period_from,,2026-01-01$' \
	    '^donor,DEU,contributions,USD,112500\.00$' \
	    '^donor,DEU,written_down,USD,12500\.00$' \
	    '^donor,ACME,refunded,USD,2000\.00$' \
	    '^donor,anonymous donor,donors,,2$' \
	    '^donor,anonymous donor,received,USD,2000\.00$' \
	    '^kind,individual,contributions,USD,500\.00$' \
	    '^country,TH,awarded,USD,10000\.00$' \
	    '^purpose,shelter,spent,USD,12833\.34$' \
	    '^purpose,,awarded,USD,10000\.00$' \
	    '^cycle,2026-2,grants,,1$' '^grants,,disbursed,USD,44000\.00$' \
	    '^expenditure,,psc,USD,4940\.00$' \
	    '^balance,movements,surplus,USD,365760\.00$' \
	    '^balance,closing,available,USD,277260\.00$' \
	    '^results,sex,women,,49$' '^results,age_group,children,,24$' \
	    '^results,form,not_recorded,,4$' \
	    '^results,service,psychosocial,,40$'; do
		grep -Eq -- "$want" out || bad "csv lacks /$want/"
	done
	rp_no_anonymous out csv
	expect 0 A report --from 2026-01-01 --to 2026-12-31 --format json \
	    --out r.json
	[ ! -s out ] || bad "json with --out wrote to stdout"
	python3 - r.json >py.out 2>&1 <<'EOF' || bad "json: $(cat py.out)"
import json, sys
d = json.load(open(sys.argv[1]))
assert d['version'] == 'tfledger fund report v1'
assert d['period'] == {'from': '2026-01-01', 'to': '2026-12-31'}
donors = d['contributions']['by_donor']
assert [x['name'] for x in donors] == ['Norway', 'Germany',
    'Acme Foundation', 'anonymous donor'], donors
anon = donors[3]
assert anon['anonymous'] and anon['donors'] == 2 and 'id' not in anon
assert anon['contributions'] == '2000.00'
assert donors[1]['pledged'] == '125000.00'
assert donors[1]['received'] == '80000.00'
kinds = [(k['kind'], k['donors'], k['contributions'])
         for k in d['contributions']['by_kind']]
assert kinds == [('government', 2, '362500.00'), ('private', 1, '1500.00'),
                 ('foundation', 1, '38000.00'),
                 ('individual', 1, '500.00')], kinds
g = d['grants']
assert [c['country'] for c in g['by_country']] == ['PH', 'NG', 'TH']
assert [p['purpose'] for p in g['by_purpose']] == ['shelter', 'medical',
    'psychosocial', 'legal', None]
assert g['by_purpose'][3]['spent'] == '8333.33'
assert g['total'] == {'grants': 3, 'awarded': '90000.00',
                      'disbursed': '44000.00', 'spent': '38000.00'}
assert d['expenditure'] == {'grants': '38000.00', 'psc': '4940.00',
                            'total': '42940.00', 'psc_rate': '13'}
b = d['fund_balance']
assert b['opening']['net_assets'] == '0.00'
assert b['closing'] == {'cash': '322260.00', 'receivable': '37500.00',
    'advances': '6000.00', 'net_assets': '365760.00',
    'committed': '45000.00', 'available': '277260.00'}, b['closing']
m = b['movements']
assert (m['contributions'], m['write_downs'], m['refunds_to_donors'],
        m['interest'], m['exchange_differences'], m['surplus']) == (
    '417000.00', '12500.00', '2000.00', '1200.00', '5000.00', '365760.00')
r = d['results']
assert (r['reports'], r['grants']) == (3, 3)
assert r['people'] == {'women': 49, 'girls': 19, 'men': 14, 'boys': 5,
                       'total': 87}
assert r['age_groups'] == {'adults': 63, 'children': 24}
assert r['forms'] == {'sexual': 45, 'labour': 34, 'other': 4,
                      'not_recorded': 4}
assert r['services']['shelter'] == 45 and r['services']['legal'] == 21
assert r['services']['medical'] == 14 and r['services']['education'] == 0
EOF
	rp_no_anonymous r.json json
}

t_report_period_has_an_opening_balance() {
	rp_year
	expect 0 A report --from 2026-07-01 --to 2026-12-31 --format csv
	for want in '^balance,opening,net_assets,USD,380260\.00$' \
	    '^balance,opening,cash,USD,324260\.00$' \
	    '^balance,opening,receivable,USD,50000\.00$' \
	    '^balance,opening,committed,USD,50000\.00$' \
	    '^balance,movements,contributions,USD,0\.00$' \
	    '^balance,movements,write_downs,USD,12500\.00$' \
	    '^balance,movements,refunds_to_donors,USD,2000\.00$' \
	    '^balance,movements,grant_expenditure,USD,0\.00$' \
	    '^balance,closing,net_assets,USD,365760\.00$' \
	    '^donor,DEU,contributions,USD,-12500\.00$' \
	    '^donor,ACME,contributions,USD,-2000\.00$' \
	    '^country,TH,awarded,USD,-5000\.00$' \
	    '^country,PH,spent,USD,0\.00$' \
	    '^results,,reports,,0$' '^results,sex,women,,0$'; do
		grep -Eq -- "$want" out || bad "csv lacks /$want/"
	done
	out_lacks '^donor,NOR,'
	# the default period: the earliest value date to the last entry's day
	expect 0 A report --format csv
	out_has '^header,,period_from,,2026-01-10$'
	out_has "^header,,period_to,,$(date -u +%Y-%m-%d)\$"
	out_has '^balance,closing,net_assets,USD,365760\.00$'
}

t_report_pdf_is_a4_with_the_figures_and_charts() {
	rp_year
	expect 0 A report --from 2026-01-01 --to 2026-12-31 --format pdf \
	    --out report.pdf
	[ ! -s out ] || bad "pdf went to stdout"
	rp_a4 report.pdf 2
	grep -q '^Title: *Test Fund: fund report 2026-01-01 to 2026-12-31$' \
	    info || bad "title: $(grep Title info)"
	pdftotext report.pdf report.txt 2>err || bad "pdftotext"
	for want in 'Test Fund' 'Fund report, 2026-01-01 to 2026-12-31' \
	    '250,000\.00' '112,500\.00' '402,500\.00' \
	    'anonymous donor \(2 donors\)' \
	    '12,833\.34' '277,260\.00' '365,760\.00' '4,940\.00' \
	    'Contributions recognised by donor \(USD\)' \
	    'Share of contributions by kind of donor' \
	    'Awarded by country \(USD\)' 'Awarded by purpose \(USD\)' \
	    'Expenditure by nature' 'By sex' 'By age group' \
	    'By form of exploitation' 'Services given' 'psychosocial' \
	    'children: 24 \(27\.6%\)' 'women: 49 \(56\.3%\)' \
	    'forced labour' 'page 2'; do
		grep -Eq -- "$want" report.txt || bad "pdf lacks /$want/"
	done
	rp_no_anonymous report.txt pdf
	rp_within_margins report.pdf
	# a failure leaves no file behind; pdf needs --out
	expect 2 A report --format pdf
	err_has 'give the file with --out'
}

t_statement_pdf_is_a4_with_the_figures() {
	rp_year
	T checkpoint -k admin.key >/dev/null 2>err || bad "checkpoint"
	expect 0 A statement --donor DEU --format pdf --out deu.pdf
	rp_a4 deu.pdf 2
	grep -q '^Title: *Test Fund: donor statement DEU-' info ||
	    bad "title: $(grep Title info)"
	pdftotext deu.pdf deu.txt 2>err || bad "pdftotext"
	for want in 'Donor statement DEU-' 'Germany \(DEU\), government, DE' \
	    'EUR 100,000\.00' '125,000\.00' '75,000\.00' '5,000\.00' \
	    'Your contributions to date \(USD\)' \
	    'Use of your contribution \(USD\)' 'Bahay Kanlungan \(PH\)' \
	    'People assisted by sex' 'Services given' '13% of expenditure' \
	    'Rate: EUR 0\.8 per USD \(pledge DEU-2026' \
	    'Rate: EUR 0\.75 per USD \(receipt BNK-2'; do
		grep -Eq -- "$want" deu.txt || bad "pdf lacks /$want/"
	done
	rp_within_margins deu.pdf
	expect 0 A statement --donor ANON --format pdf --out anon.pdf
	pdftotext anon.pdf anon.txt 2>err || bad "pdftotext"
	grep -q 'anonymous donor (ANON)' anon.txt || bad "anonymous header"
	grep -q 'Secret' anon.txt && bad "anonymous donor named"
	expect 2 A statement --donor DEU --format pdf
	err_has 'give the file with --out'
	expect 2 A statement --donor DEU --format pdf --out s.pdf \
	    --sign-key admin.key
	err_has 'only the json format is signed'
	[ ! -e s.pdf ] || bad "file written"
}

# Look at it: make a PNG of the report's first pages (not a check; for
# people, with RP_PNG=dir).
t_report_pdf_renders_to_png() {
	command -v pdftoppm >/dev/null || return 0
	rp_year
	expect 0 A report --from 2026-01-01 --to 2026-12-31 --format pdf \
	    --out report.pdf
	pdftoppm -png -r 50 report.pdf page 2>err || bad "pdftoppm"
	[ -s page-1.png ] || bad "no page-1.png"
	if [ -n "${RP_PNG:-}" ]; then cp page-*.png "$RP_PNG"/; fi
}

t_report_usage_errors_and_a_ledger_that_does_not_verify() {
	rp_year
	expect 2 A report
	err_has 'missing required option --format'
	expect 2 A report --format docx
	err_has 'must be text, json, csv or pdf'
	expect 2 A report --format text --from 2026-07-01 --to 2026-06-01
	err_has 'ends before it begins'
	expect 2 A report --format text --from 2026-02-30
	expect 2 A report --format text extra
	"$TAMPER" "$L" flip 9 60 || bad "tamper"
	expect 1 A report --format csv --out r.csv
	[ ! -e r.csv ] || bad "a report of a ledger that does not verify"
	[ ! -s out ] || bad "stdout: $(head -3 out)"
}
