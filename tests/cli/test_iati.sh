# test_iati.sh - tfaudit export --format iati: a small fund year through
# the CLI, exported as IATI 2.03, validated with xmllint against the
# schema in ../shared/data/iati, its codes looked up in the codelists
# there, its transactions summed per type and compared with the ledger's
# own figures (`tfledger balance --json`), and the Standard's rules the
# schema cannot check (no future dates, percentages) checked by hand.

IATI=${SHARED:-$ROOT/../shared}/data/iati

# Donors whose names need escaping, an anonymous one and NGOs.
ia_people() {
	rec_seq donor add --id DEU --name Germany --kind government \
	    --country DE >/dev/null
	rec_seq donor add --id SMITH \
	    --name "Smith & Sons <Trading> \"Ltd\" 'UK'" --kind private \
	    --country GB >/dev/null
	rec_seq donor add --id JDOE --name "Jane Q. Secret" --kind individual \
	    --anonymous >/dev/null
	rec_seq donor add --id ACME --name "Acme Foundation" --kind foundation \
	    --country US >/dev/null
	rec_seq donor add --id OPEC --name "OPEC Fund" \
	    --kind intergovernmental >/dev/null
	rec_seq grantee add --id ngo-1 --name "Safe Haven & Shelter <NG>" \
	    --country NG >/dev/null
	rec_seq grantee add --id ngo-2 --name "Casa Libre" --country MX \
	    >/dev/null
}

# Pledges, receipts in EUR and USD, a write-down, a refund to a donor,
# interest (not an aid flow) and an approved reversal of a receipt.
ia_income() {
	rec_seq pledge --donor DEU --amount 100000 --currency EUR \
	    --rate 0.926 --ref DEU-2026-1 --date 2026-01-20 >/dev/null
	rec_seq pledge --donor JDOE --amount 5000 --currency USD \
	    --ref JDOE-2026-1 --date 2026-02-01 >/dev/null
	rec_seq pledge --donor SMITH --amount 10000 --currency USD \
	    --ref SMITH-2026-1 --date 2026-02-05 >/dev/null
	rec_seq receipt --donor DEU --amount 50000 --currency EUR --rate 0.93 \
	    --pledge DEU-2026-1 --ref BNK-88121 --date 2026-02-20 >/dev/null
	rec_seq receipt --donor JDOE --amount 5000 --currency USD \
	    --pledge JDOE-2026-1 --ref BNK-JD-77 --date 2026-03-01 >/dev/null
	rec_seq receipt --donor SMITH --amount 8000 --currency USD \
	    --pledge SMITH-2026-1 --ref BNK-88410 --date 2026-04-01 >/dev/null
	rec_seq receipt --donor ACME --amount 12000 --currency USD \
	    --ref BNK-88500 --date 2026-04-03 >/dev/null
	rec_seq receipt --donor OPEC --amount 7000 --currency USD \
	    --ref BNK-88501 --date 2026-04-04 >/dev/null
	rec_seq pledge writedown --pledge SMITH-2026-1 --amount 2000.00 \
	    --reason "agreement amended" --date 2026-06-30 >/dev/null
	rec_seq interest --amount 312.40 --ref INT-2026-06 --date 2026-06-30 \
	    >/dev/null
	rec_seq receipt --donor DEU --amount 50000 --currency EUR --rate 0.92 \
	    --pledge DEU-2026-1 --ref BNK-88502 --date 2026-07-15 >/dev/null
	rec_seq refund --donor ACME --receipt BNK-88500 --amount 1000.00 \
	    --currency USD --ref RF-ACME-1 --reason "overpaid" \
	    --date 2026-08-01 >/dev/null
	wrong=$(rec_seq receipt --donor DEU --amount 1000 --currency EUR \
	    --rate 0.93 --ref BNK-88999 --date 2026-09-01)
	rec_approved reverse "$wrong" --reason "booked to the wrong donor" \
	    --date 2026-09-05
}

# Two grants in two countries: awards, tranches (one approved), spending,
# an NGO's refund, a deobligation and PSC.
ia_grants() {
	rec_approved grant award --id G-2026-01 --grantee ngo-1 \
	    --amount 20000 --start 2026-04-15 --end 2026-12-31 \
	    --purpose shelter,medical --country NG --date 2026-04-10
	rec_approved grant award --id G-2026-02 --grantee ngo-2 \
	    --amount 15000 --start 2026-04-15 --end 2027-03-31 \
	    --purpose shelter --date 2026-04-12
	rec_approved grant disburse --id G-2026-01 --amount 12000 \
	    --ref TR-1 --date 2026-05-02
	rec_seq grant disburse --id G-2026-02 --amount 9000 --ref TR-2 \
	    --date 2026-05-04 >/dev/null
	rec_seq grant disburse --id G-2026-01 --amount 5000 --ref TR-3 \
	    --date 2026-07-20 >/dev/null
	rec_seq grant expenditure --id G-2026-01 --amount 11000 --ref REP-1 \
	    --women 20 --girls 12 --men 3 --boys 5 --sexual 15 --labour 10 \
	    --other-form 4 --date 2026-09-30 >/dev/null
	rec_seq grant expenditure --id G-2026-02 --amount 8000 --ref REP-2 \
	    --women 9 --girls 14 --sexual 18 --labour 3 --date 2026-09-30 \
	    >/dev/null
	rec_seq grant refund --id G-2026-01 --amount 1500 --ref RF-NGO-1 \
	    --date 2026-10-15 >/dev/null
	rec_seq grant deobligate --id G-2026-01 --amount 3000 \
	    --reason "project ended early" --date 2026-10-20 >/dev/null
	rec_seq psc --date 2026-10-31 >/dev/null
}

ia_fund_year() {
	make_ledger
	ia_people
	ia_income
	ia_grants
}

# Validate file against the IATI 2.03 activity schema, offline.
ia_valid() {
	xmllint --noout --nonet --schema \
	    "$IATI/schemas/iati-activities-schema.xsd" "$1" >xl.out 2>&1 ||
	    bad "xmllint: $(head -n 5 xl.out)"
}

# Run python3 with the script on stdin over the export (iati.xml), the
# codelists and the ledger's figures (*.json); failures name the check.
ia_py() {
	python3 - iati.xml "$IATI/codelists/csv" "$@" >py.out 2>&1 ||
	    bad "$(tail -n 3 py.out)"
}

t_iati_export_validates_against_the_schema() {
	ia_fund_year
	expect 0 A export --format iati --out iati.xml
	[ -s iati.xml ] || bad "no file written"
	[ ! -s out ] || bad "stdout not empty with --out"
	ia_valid iati.xml
	# and to stdout, the same document but for the time of export
	expect 0 A export --format iati
	sed 's/generated-datetime="[^"]*"//' out >a
	sed 's/generated-datetime="[^"]*"//' iati.xml >b
	cmp -s a b || bad "stdout and --out differ"
}

t_iati_codes_are_in_the_codelists() {
	ia_fund_year
	A export --format iati --out iati.xml 2>err || bad "export"
	ia_py <<'EOF'
import csv, os, sys
import xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
def codes(name):
    with open(os.path.join(sys.argv[2], name + ".csv"), newline="") as f:
        return {r["code"] for r in csv.DictReader(f)
                if r["status"] == "active"}
XML = "{http://www.w3.org/XML/1998/namespace}"
uses = [  # (xpath, attribute, codelist)
    ("iati-activity", XML + "lang", "Language"),
    ("iati-activity", "default-currency", "Currency"),
    ("iati-activity/reporting-org", "type", "OrganisationType"),
    ("iati-activity/description", "type", "DescriptionType"),
    ("iati-activity/participating-org", "role", "OrganisationRole"),
    ("iati-activity/participating-org", "type", "OrganisationType"),
    ("iati-activity/activity-status", "code", "ActivityStatus"),
    ("iati-activity/activity-date", "type", "ActivityDateType"),
    ("iati-activity/recipient-country", "code", "Country"),
    ("iati-activity/recipient-region", "code", "Region"),
    ("iati-activity/recipient-region", "vocabulary", "RegionVocabulary"),
    ("iati-activity/sector", "code", "Sector"),
    ("iati-activity/sector", "vocabulary", "SectorVocabulary"),
    (".//transaction/transaction-type", "code", "TransactionType"),
    (".//transaction/value", "currency", "Currency"),
    (".//transaction/provider-org", "type", "OrganisationType"),
    (".//transaction/receiver-org", "type", "OrganisationType"),
    (".//transaction/flow-type", "code", "FlowType"),
    (".//transaction/finance-type", "code", "FinanceType"),
    (".//transaction/aid-type", "code", "AidType"),
    (".//transaction/aid-type", "vocabulary", "AidTypeVocabulary"),
]
seen = 0
for path, attr, name in uses:
    ok = codes(name)
    for el in root.findall(path):
        v = el.get(attr)
        if v is None:
            continue
        seen += 1
        assert v in ok, "%s/@%s=%r is not in %s" % (path, attr, v, name)
# every coded element was looked at
assert seen > 100, seen
assert root.find("iati-activity/recipient-country") is not None
want = {"1", "2", "3", "4", "11"}
got = {e.get("code") for e in root.findall(".//transaction-type")}
assert got == want, got
aid = {e.get("code") for e in root.findall(".//transaction/aid-type")}
assert aid == {"B032", "C01", "G01"}, aid
EOF
}

t_iati_transactions_equal_the_ledgers_figures() {
	ia_fund_year
	A export --format iati --out iati.xml 2>err || bad "export"
	T balance --json >fund.json 2>err || bad "balance"
	for d in DEU SMITH JDOE ACME OPEC; do
		T balance --donor $d --json >donor-$d.json 2>err ||
		    bad "balance $d"
	done
	for g in G-2026-01 G-2026-02; do
		T balance --grant $g --json >grant-$g.json 2>err ||
		    bad "balance $g"
	done
	ia_py <<'EOF'
import glob, json, sys
from decimal import Decimal as D
import xml.etree.ElementTree as ET
act = ET.parse(sys.argv[1]).getroot().find("iati-activity")
txns = []
for t in act.findall("transaction"):
    txns.append((t.find("transaction-type").get("code"),
                 D(t.find("value").text),
                 t.find("provider-org/narrative").text,
                 t.find("receiver-org/narrative").text,
                 t.find("description/narrative").text))
def total(code, who=None, side=2, text=None):
    return sum((v for c, v, p, r, d in txns if c == code and
                (who is None or (p, r)[side - 2] == who) and
                (text is None or text in d)), D(0))
def count(code):
    return sum(1 for t in txns if t[0] == code)
# transactions per type, worked out from the fund year: 3 pledges and
# a write-down; 7 receipts, a refund and a reversal; 2 awards and a
# deobligation; 3 tranches and an NGO's refund; 2 reports and PSC
assert [count(c) for c in ("11", "1", "2", "3", "4")] == [4, 9, 3, 4, 3], \
    [count(c) for c in ("11", "1", "2", "3", "4")]
names = {"DEU": "Germany", "SMITH": "Smith & Sons <Trading> \"Ltd\" 'UK'",
         "JDOE": "Anonymous donor", "ACME": "Acme Foundation",
         "OPEC": "OPEC Fund"}
for d, name in names.items():
    b = json.load(open("donor-%s.json" % d))
    want = D(b["pledged"]) - D(b["written_down"])
    assert total("11", name, 2) == want, (d, "11", total("11", name), want)
    want = D(b["received"]) - D(b["refunded"])
    assert total("1", name, 2) == want, (d, "1", total("1", name), want)
for g in ("G-2026-01", "G-2026-02"):
    b = json.load(open("grant-%s.json" % g))
    grant = "grant %s," % g
    assert total("2", text=grant) == D(b["award"]) - D(b["deobligated"]), g
    assert total("3", text=grant) == D(b["disbursed"]) - D(b["refunded"]), g
    assert total("4", text=grant) == D(b["spent"]), g
f = json.load(open("fund.json"))
unodc = "United Nations Office on Drugs and Crime"
assert total("4", unodc, 3) == D(f["psc"]), (total("4", unodc, 3), f["psc"])
assert total("4", unodc, 3) > 0
# spending by NGOs and PSC make up the fund's expenditure
assert total("4") == D(f["expenditure"]) + D(f["psc"])
# worked by hand: EUR 50000 at 0.93 and 0.92, less the reversed 1000 at
# 0.93; USD 5000 + 8000 + 12000 + 7000 - 1000 refunded
assert total("1") == D("53763.44") + D("54347.83") + D("31000.00"), \
    total("1")
# the reversal is the negation of its receipt, under the same type
rev = [t for t in txns if t[4].startswith("reversal")]
assert len(rev) == 1 and rev[0][0] == "1" and rev[0][1] == D("-1075.27"), rev
assert rev[0][4].endswith(": 1000.00 EUR at 0.93 EUR per USD"), rev
# interest is not an aid flow
assert not [t for t in txns if "interest" in t[4]]
EOF
}

t_iati_anonymous_donor_is_never_named() {
	ia_fund_year
	A export --format iati --out iati.xml 2>err || bad "export"
	! grep -q 'Jane' iati.xml || bad "the anonymous donor is named"
	! grep -q 'JDOE' iati.xml || bad "the anonymous donor's id is written"
	! grep -q 'BNK-' iati.xml || bad "a bank reference is written"
	grep -q '<narrative>Anonymous donor</narrative>' iati.xml ||
	    bad "no anonymous donor"
	ia_py <<'EOF'
import sys
import xml.etree.ElementTree as ET
act = ET.parse(sys.argv[1]).getroot().find("iati-activity")
anon = [o for o in act.iter() if o.tag in ("provider-org",
        "participating-org") and o.find("narrative").text ==
        "Anonymous donor"]
# its pledge and its receipt, and once among the funders
assert len(anon) == 3, len(anon)
# no type either: an anonymous government would be narrowed down
assert all(o.get("type") is None and o.get("ref") is None
           for o in anon), [o.attrib for o in anon]
EOF
}

t_iati_names_are_escaped() {
	ia_fund_year
	A export --format iati --out iati.xml 2>err || bad "export"
	esc='Smith &amp; Sons &lt;Trading&gt; &quot;Ltd&quot; &apos;UK&apos;'
	grep -q "$esc" iati.xml || bad "donor name not escaped"
	grep -q 'Safe Haven &amp; Shelter &lt;NG&gt;' iati.xml ||
	    bad "NGO name not escaped"
	ia_py <<'EOF'
import sys
import xml.etree.ElementTree as ET
act = ET.parse(sys.argv[1]).getroot().find("iati-activity")
names = {o.find("narrative").text for o in act.findall("participating-org")}
want = {"United Nations Office on Drugs and Crime", "Germany",
        "Smith & Sons <Trading> \"Ltd\" 'UK'", "Anonymous donor",
        "Acme Foundation", "OPEC Fund", "Safe Haven & Shelter <NG>",
        "Casa Libre"}
assert names == want, names ^ want
types = {o.find("narrative").text: (o.get("role"), o.get("type"))
         for o in act.findall("participating-org")}
assert types["Germany"] == ("1", "10"), types
assert types["OPEC Fund"] == ("1", "40"), types
assert types["Acme Foundation"] == ("1", "60"), types
assert types["Casa Libre"] == ("4", "22"), types
assert types["United Nations Office on Drugs and Crime"] == ("2", "40")
EOF
}

t_iati_follows_the_rules_the_schema_cannot_check() {
	ia_fund_year
	A export --format iati --out iati.xml 2>err || bad "export"
	ia_py "$(date -u +%Y-%m-%dT%H:%M:%SZ)" <<'EOF'
import sys
from decimal import Decimal as D
import xml.etree.ElementTree as ET
top = ET.parse(sys.argv[1]).getroot()
act = top.find("iati-activity")
now = sys.argv[3]
# 11.1.1, 11.1.4, 11.2.1, 11.2.2: nothing in the future
assert top.get("generated-datetime") <= now, top.get("generated-datetime")
assert act.get("last-updated-datetime") <= now
dates = [e.get("iso-date") for e in act.iter() if e.get("iso-date")]
dates += [e.get("value-date") for e in act.iter("value")]
assert dates and max(dates) <= now[:10], max(dates)
# 6.11.1: an actual start, no later than the first transaction
start = act.find("activity-date[@type='2']").get("iso-date")
assert start <= min(e.get("iso-date") for e in
                    act.findall("transaction/transaction-date"))
# 1.1.3 and 1.1.21: the activity id is the org's, extended
org = act.find("reporting-org").get("ref")
ident = act.find("iati-identifier").text
assert org == "XM-DAC-41128" and ident == org + "-UNVTF", (org, ident)
# 3.6.2, 6.6.2: country and sector at activity level only
assert not act.findall("transaction/recipient-country")
assert not act.findall("transaction/recipient-region")
assert not act.findall("transaction/sector")
# 3.1.2: percentages of the countries sum to 100: the net awards,
# NG 17000 (20000 less 3000 deobligated) and MX 15000 (the grantee's
# country): 53.125 and 46.875, the tie in hundredths going to the first
# by code, as tfl_money_split does
cc = {e.get("code"): D(e.get("percentage"))
      for e in act.findall("recipient-country")}
assert cc == {"MX": D("46.88"), "NG": D("53.12")}, cc
assert sum(cc.values()) == 100
# 2.1.2: sector percentages per vocabulary sum to 100
sec = act.findall("sector")
assert [(s.get("vocabulary"), s.get("code")) for s in sec] == [("1", "15180")]
assert sum(D(s.get("percentage")) for s in sec) == 100
# 7.8.1: a default currency; every value also names it
assert act.get("default-currency") == "USD"
assert all(v.get("currency") == "USD" for v in act.iter("value"))
# 6.9.1, 6.9.2: every provider and receiver has a ref or a name
for el in act.findall("transaction/provider-org") + \
        act.findall("transaction/receiver-org"):
    assert el.get("ref") or el.find("narrative").text.strip(), el.attrib
# 4.1.1: a default language
assert act.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
EOF
}

t_iati_of_a_fund_without_money_is_valid() {
	make_ledger
	expect 0 A export --format iati --out iati.xml
	ia_valid iati.xml
	region='<recipient-region code="998" vocabulary="1" percentage="100"/>'
	grep -q "$region" iati.xml || bad "no region for a fund without grants"
	! grep -q '<transaction' iati.xml || bad "transactions in an empty fund"
}

t_iati_identifiers_come_from_options_then_config() {
	make_ledger
	expect 0 A export --format iati
	out_has '<iati-identifier>XM-DAC-41128-UNVTF</iati-identifier>'
	out_has '<reporting-org ref="XM-DAC-41128" type="40">'
	printf 'iati_org = "XM-TEST-1";\n' >tf.conf
	expect 0 A -c tf.conf export --format iati
	out_has '<iati-identifier>XM-TEST-1-UNVTF</iati-identifier>'
	out_has '<reporting-org ref="XM-TEST-1" type="40">'
	printf 'iati_org = "XM-TEST-1";\niati_activity = "XM-TEST-1-A";\n' \
	    >tf.conf
	expect 0 A -c tf.conf export --format iati
	out_has '<iati-identifier>XM-TEST-1-A</iati-identifier>'
	expect 0 A -c tf.conf export --format iati --iati-org XM-TEST-2 \
	    --iati-activity XM-TEST-2-B --out iati.xml
	grep -q '<iati-identifier>XM-TEST-2-B</iati-identifier>' iati.xml ||
	    bad "--iati-activity ignored"
	grep -q 'ref="XM-TEST-2"' iati.xml || bad "--iati-org ignored"
	ia_valid iati.xml
}

t_iati_bad_identifiers_are_refused() {
	make_ledger
	expect 2 A export --format iati --iati-org 'XM/DAC'
	err_has 'iati org "XM/DAC"'
	[ ! -s out ] || bad "output for a bad identifier"
	expect 2 A export --format iati --iati-org 'XM DAC'
	expect 2 A export --format iati --iati-org ''
	expect 2 A export --format iati --iati-activity 'A&B'
	err_has 'iati activity "A&B"'
	expect 2 A export --format iati --iati-org X-1 --iati-activity X-1
	err_has 'must differ'
	expect 2 A export --format csv --iati-org XM-DAC-41128
	err_has 'only with --format iati'
}

t_iati_of_a_tampered_ledger_fails_and_leaves_no_file() {
	ia_fund_year
	"$TAMPER" "$L" flip 12 60 || bad "tamper"
	expect 1 A export --format iati --out iati.xml
	err_has 'seq 12'
	[ ! -e iati.xml ] || bad "a file was left"
}
