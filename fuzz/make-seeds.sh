#!/bin/sh
# make-seeds.sh - rebuild the seed corpora in fuzz/corpus/ from real data:
# the entries and checkpoint of `make demo` (one entry of each type), the
# shared signed-note and checkpoint vectors, the demo's bank file and a
# few hand-written cases.  Run from the top directory after `make demo`;
# python3 reads the JSON vectors.
#
#	sh fuzz/make-seeds.sh [SHARED]
set -eu
shared=${1:-../shared}
led=demo/ledger
tfl=build/tfledger
c=fuzz/corpus
[ -d "$led" ] || { echo "make-seeds: run make demo first" >&2; exit 2; }
rm -rf "$c"
mkdir -p "$c/fuzz_entry" "$c/fuzz_note" "$c/fuzz_checkpoint" \
    "$c/fuzz_csv" "$c/fuzz_amount"

# The signed text of a note: everything up to the last blank line.
note_text() {
	python3 -c 'import sys
b = sys.stdin.buffer.read()
i = b.rfind(b"\n\n")
sys.stdout.buffer.write(b[:i + 1] if i >= 0 else b)'
}

# One entry of each type, as signed note and as entry text.
seen=" "
n=$("$tfl" -L "$led" log | wc -l)
i=0
while [ "$i" -lt "$n" ]; do
	type=$("$tfl" -L "$led" show "$i" --raw | sed -n 's/^type: //p')
	case $seen in *" $type "*) i=$((i + 1)); continue ;; esac
	seen="$seen$type "
	"$tfl" -L "$led" show "$i" --raw >"$c/fuzz_note/entry-$type"
	note_text <"$c/fuzz_note/entry-$type" >"$c/fuzz_entry/$type"
	i=$((i + 1))
done
cp demo/checkpoint.txt "$c/fuzz_note/demo-checkpoint"
note_text <demo/checkpoint.txt >"$c/fuzz_checkpoint/demo"

# Signed-note vectors, good and bad; the checkpoints among them.
for f in "$shared"/vectors/signed-note/*.note \
    "$shared"/vectors/signed-note/negative/*.note; do
	cp "$f" "$c/fuzz_note/vec-$(basename "$f" .note)"
done
for f in "$shared"/vectors/signed-note/*checkpoint*.note; do
	note_text <"$f" >"$c/fuzz_checkpoint/vec-$(basename "$f" .note)"
done
python3 - "$shared/vectors/checkpoint/checkpoint-parse-vectors.json" \
    "$c/fuzz_checkpoint" <<'PY'
import json, sys
cases = json.load(open(sys.argv[1]))["cases"]
for i, k in enumerate(cases):
    open("%s/parse-%02d" % (sys.argv[2], i), "wb").write(
        k["text"].encode("utf-8", "surrogatepass"))
PY
printf '%s%s' 'PeterNeumann+c74f20a3+' \
    'ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW' \
    >"$c/fuzz_note/vkey"

# Donor statements (JSON), when tfaudit draws them: one signed.
if [ -f fuzz/fuzz_statement.c ]; then
	mkdir -p "$c/fuzz_statement"
	aud=build/tfaudit
	for d in NOR anon-1 blue-heart JPN; do
		"$aud" -L "$led" statement --donor "$d" --format json \
		    --out "$c/fuzz_statement/$d.json"
	done
	TFLEDGER_PASSPHRASE=demo-only-passphrase "$aud" -L "$led" \
	    statement --donor NOR --format json --sign-key \
	    demo/keys/approver.key --out "$c/fuzz_statement/NOR-signed.json"
	printf '{"version":"tfledger statement v1"}\n' \
	    >"$c/fuzz_statement/minimal.json"
fi

# CSV: the demo's bank file and the shapes a bank export takes.
cp demo/bank-2026-q1.csv "$c/fuzz_csv/bank"
for f in ActivityStatus AidType-category; do
	cp "$shared/data/iati/codelists/csv/$f.csv" "$c/fuzz_csv/iati-$f"
done
printf '\357\273\277date,donor,amount\r\n2026-01-02,NOR,1.00\r\n' \
    >"$c/fuzz_csv/bom-crlf"
printf 'id,name,kind\nD1,"Smith, ""Jo""",individual\nD2,"two\nlines",other' \
    >"$c/fuzz_csv/quoted"
printf 'a,b\n1,2,3\n"x\n' >"$c/fuzz_csv/broken"
printf 'a,b\n\n\n' >"$c/fuzz_csv/blank-tail"

# Amounts: first byte picks currency (low 3 bits) and flags (next 2).
amt() { printf "\\$(printf '%03o' "$1")%s" "$2" >"$c/fuzz_amount/$3"; }
amt 0 1234.56 usd
amt 17 -0.01 usd-signed
amt 1 5000000 jpy
amt 2 1000.125 kwd
amt 3 0.0001 clf
amt 0 9223372036854775807 overflow
amt 0 '1,234.56' grouping
amt 0 1e5 exponent
amt 0 ' 12' space
amt 0 '250000.00|0.926' convert
amt 1 '5000000|156.25' convert-jpy
amt 0 0.000000000001 rate-small
amt 0 2026-02-29 date
amt 0 2026-11-28T13:46:52Z time
amt 0 XAU currency
chmod -R u+w "$c"
echo "make-seeds: $(find "$c" -type f | wc -l) seeds in $c"
