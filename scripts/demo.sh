#!/bin/sh
# demo.sh - `make demo`: a ledger under ./demo/ with generated keys, a
# sample of entries, a published checkpoint, then `tfaudit verify`.
# Everything is printed as it is done.  Safe to run again: it starts over.
set -eu
BUILD=${BUILD:-build}
T="$BUILD/tfledger -L demo/ledger"
A="$BUILD/tfaudit -L demo/ledger"
# A demo passphrase; a real fund keeps its own in a 0600 file or types it.
TFLEDGER_PASSPHRASE=demo-only-passphrase
export TFLEDGER_PASSPHRASE

say() { printf '\n$ %s\n' "$*"; }
# Run a command, show it and its output; keep its last line for T_last.
run() {
	say "$*"
	"$@" >demo/.out || exit 1
	cat demo/.out
}
T_last() { tail -n 1 demo/.out; }

rm -rf demo
mkdir -p demo/keys
for k in admin recorder approver; do
	run $BUILD/tfledger key generate --name "$k.unvtf" \
	    --out "demo/keys/$k.key"
	T_last >"demo/keys/$k.vk"
done
run $T init --origin unodc.org/unvtf/demo \
    --fund-name "UN Voluntary Trust Fund for Victims of Trafficking in Persons" \
    --currency USD -k demo/keys/admin.key
run $T key enroll --verifier "$(cat demo/keys/recorder.vk)" --role recorder \
    -k demo/keys/admin.key
run $T key enroll --verifier "$(cat demo/keys/approver.vk)" --role approver \
    -k demo/keys/admin.key
. ./scripts/demo-fund.sh
run $T checkpoint -k demo/keys/admin.key --out demo/checkpoint.txt
run $T log
run $T status
run $A verify --checkpoint demo/checkpoint.txt
rm -f demo/.out
printf '\nThe demo ledger is in demo/ledger, its keys in demo/keys.\n'
