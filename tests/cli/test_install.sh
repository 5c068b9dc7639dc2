# test_install.sh - make install and make uninstall into a staging
# directory (DESTDIR), what they put where, the installed man pages, the
# pkg-config file, and the bash completion.

# make in the source tree with this run's build directory (and sanitizers
# when it is the sanitizer build), quietly, outside any parent make.
mk() {
	case $BUILD in
	*-san) set -- BUILD="${BUILD%-san}" SANITIZE=1 "$@" ;;
	*) set -- BUILD="$BUILD" "$@" ;;
	esac
	# a parent make (a package build) exports its command-line variables
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u MAKEOVERRIDES -u PREFIX \
	    -u BINDIR -u LIBDIR -u INCLUDEDIR -u DATADIR -u MANDIR -u DOCDIR \
	    -u PKGCONFIGDIR -u BASHCOMPDIR -u DESTDIR \
	    make -s -C "$ROOT" "$@"
}

INSTALLED="usr/bin/tfledger usr/bin/tfaudit usr/lib/libtfledger.a
usr/lib/pkgconfig/tfledger.pc usr/include/tfledger/tfledger.h
usr/include/tfledger/status.h usr/share/man/man1/tfledger.1
usr/share/man/man1/tfaudit.1 usr/share/man/man5/tfledger.conf.5
usr/share/doc/tfledger/tfledger.conf usr/share/doc/tfledger/GUIDE.md
usr/share/bash-completion/completions/tfledger
usr/share/bash-completion/completions/tfaudit"

t_install_puts_every_file_in_place_and_uninstall_removes_them() {
	stage=$(pwd)/stage
	mkdir -p stage/usr/bin stage/usr/share/doc/other
	echo keep >stage/usr/bin/other
	echo keep >stage/usr/share/doc/other/README
	expect 0 mk install DESTDIR="$stage" PREFIX=/usr
	for f in $INSTALLED; do
		[ -f "stage/$f" ] || bad "not installed: $f"
	done
	[ -x stage/usr/bin/tfledger ] || bad "tfledger not executable"
	same "$(stat -c %a stage/usr/share/man/man1/tfledger.1)" 644 "mode"
	grep -qx 'prefix=/usr' stage/usr/lib/pkgconfig/tfledger.pc ||
	    bad "pc prefix"
	expect 0 stage/usr/bin/tfledger --version
	same "$(cat out)" "tfledger $(sed -n \
	    's/^Version: //p' stage/usr/lib/pkgconfig/tfledger.pc)" "version"
	grep -rq "$stage" stage/usr/lib/pkgconfig stage/usr/share/man &&
	    bad "DESTDIR leaked into an installed file"
	expect 0 mk uninstall DESTDIR="$stage" PREFIX=/usr
	left=$(cd stage && find . -type f | sort | tr '\n' ' ')
	same "$left" "./usr/bin/other ./usr/share/doc/other/README " \
	    "files left"
	[ -d stage/usr/include/tfledger ] && bad "include dir left"
	return 0
}

t_installed_man_pages_render_without_warnings() {
	expect 0 mk install DESTDIR="$(pwd)/stage" PREFIX=/usr
	for m in stage/usr/share/man/man1/tfledger.1 \
	    stage/usr/share/man/man1/tfaudit.1 \
	    stage/usr/share/man/man5/tfledger.conf.5; do
		expect 0 mandoc -T lint -W warning "$m"
		[ -s out ] && bad "mandoc: $(head -3 out)"
		expect 0 mandoc -T html "$m"
		out_has "id=.DESCRIPTION"
	done
	# every command of each tool has its entry in its page
	for tool in tfledger tfaudit; do
		for c in $("$BUILD/$tool" --help | sed -n '/^commands:/,/^$/p' |
		    awk 'NF > 1 { print $1 }'); do
			grep -q "^\.It Ic $c\( \|$\)" \
			    "stage/usr/share/man/man1/$tool.1" ||
			    bad "$tool.1 lacks command $c"
		done
	done
	return 0
}

t_installed_library_links_through_pkg_config() {
	stage=$(pwd)/stage
	expect 0 mk install DESTDIR="$stage" PREFIX=/usr
	cat >v.c <<'EOF'
#include <stdio.h>
#include <tfledger/tfledger.h>

int
main(void)
{
	tfl_err err = TFL_ERR_INIT;
	const tfl_currency *c;

	if (tfl_currency_find(&c, "KWD", &err) != 0)
		return 1;
	printf("%s %s %d\n", TFL_VERSION, c->code, c->minor);
	return 0;
}
EOF
	flags=$(PKG_CONFIG_PATH="$stage/usr/lib/pkgconfig" \
	    PKG_CONFIG_SYSROOT_DIR="$stage" pkg-config --cflags --libs tfledger)
	case $BUILD in
	*-san) flags="$flags -fsanitize=address,undefined" ;;
	esac
	# shellcheck disable=SC2086
	expect 0 cc -std=c11 -o v v.c $flags
	expect 0 ./v
	out_has '^[0-9]+\.[0-9]+\.[0-9]+ KWD 3$'
}

# Complete the words given (the last one being completed) in bash with
# the source tree's completion; the candidates, one a line, into out.
complete_words() {
	PATH="$BUILD:$PATH" bash -c '
		. "$1/completions/tfledger"
		compopt() { :; }
		shift
		COMP_WORDS=("$@")
		COMP_CWORD=$(($# - 1))
		_tfledger
		printf "%s\n" "${COMPREPLY[@]}"' sh "$ROOT" "$@" >out 2>err
	rc=$?
}

t_bash_completion_knows_commands_verbs_options_and_ids() {
	make_ledger
	T donor add --id NOR --name Norway --kind government \
	    -k recorder.key >/dev/null 2>&1 || bad "donor"
	complete_words tfledger st
	same "$(cat out)" "status" "command"
	complete_words tfledger key ""
	same "$(tr '\n' ' ' <out)" "enroll generate list revoke " "verbs"
	complete_words tfledger key generate --
	same "$(sort out | tr '\n' ' ')" "--help --name --out " "options"
	complete_words tfledger -L "$L" balance --donor ""
	same "$(cat out)" "NOR" "donor ids"
	complete_words tfledger import --type ""
	same "$(tr '\n' ' ' <out)" "receipt pledge donor " "values"
	complete_words tfaudit ver
	out_has '^verify$'
	[ -s err ] && bad "completion wrote to stderr"
	return 0
}
