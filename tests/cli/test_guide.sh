# test_guide.sh - docs/GUIDE.md runs as written: every "$ " line of its
# code blocks, in order, in one directory, with the files its
# "<!-- file: NAME -->" blocks give; where the guide shows the seq a
# command prints (its first line of output), the command must print that
# seq.  bash for -o pipefail: "tfledger ... | tee" must fail when tfledger
# does.

# The guide as a shell script on stdout.  Before each command it notes
# the command's line in the guide on stderr.
guide_script() {
	cat <<'EOF'
check_seq() {
	got=$(printf '%s\n' "$2" | tail -n 1)
	[ "$got" = "$1" ] || {
		echo "printed seq $got, the guide says $1" >&2
		exit 1
	}
}
EOF
	awk '
	function flush() {
		if (cmd == "")
			return
		printf "echo GUIDE.md:%d >&2\n", line
		if (seq != "")
			printf "got=$(%s)\ncheck_seq %s \"$got\"\n", cmd, seq
		else
			print cmd
		cmd = ""
	}
	/^<!-- file: [^ ]+ -->$/ { file = $3; next }
	/^```/ {
		if (!inblock && file != "") {
			printf "cat >%s <<\"GUIDE_EOF\"\n", file
			writing = 1
		} else if (inblock && writing) {
			print "GUIDE_EOF"
			writing = 0
			file = ""
		} else if (inblock) {
			flush()
		}
		inblock = !inblock
		next
	}
	!inblock { next }
	writing { print; next }
	/^\$ / { flush(); cmd = substr($0, 3); line = NR; seq = ""; first = 1
		next }
	first && /^[0-9]+$/ { seq = $0 }
	{ first = 0 }
	' "$ROOT/docs/GUIDE.md"
}

t_guide_commands_run_as_written() {
	guide_script >guide.sh
	[ "$(grep -c '^echo GUIDE' guide.sh)" -gt 50 ] || bad "too few commands"
	grep -q '^cat >tfledger.conf' guide.sh || bad "no files"
	PATH="$BUILD:$PATH" bash -e -o pipefail guide.sh >out 2>err
	rc=$?
	at=$(grep '^GUIDE.md:' err | tail -n 1 | cut -d: -f2)
	[ "$rc" -eq 0 ] || bad "GUIDE.md line $at failed:" \
	    "$(sed -n "${at}p" "$ROOT/docs/GUIDE.md")" \
	    "$(grep -v '^GUIDE.md:' err | tail -n 1)"
}
