# tfledger - GNU make build.  `make`, `make check`, `make demo`.
# Variables: BUILD (output dir), SANITIZE=1 (ASan+UBSan), WERROR=0, OPT.

BUILD	?= build
CC	?= cc
OPT	?= -O2 -g
PKGS	:= lmdb openssl libconfig jansson cairo

ifeq ($(SANITIZE),1)
  override BUILD := $(BUILD)-san
  OPT	:= -O1 -g -fno-omit-frame-pointer
  SANFLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all
  # fontconfig (behind cairo's text) hides pointers from LeakSanitizer
  LSAN_SUPP := $(CURDIR)/tests/lsan.supp
  export LSAN_OPTIONS := suppressions=$(LSAN_SUPP):print_suppressions=0
endif

WARN	:= -Wall -Wextra -Wpedantic -Wstrict-prototypes -Wmissing-prototypes \
	   -Wshadow -Wformat=2 -Wvla
ifneq ($(WERROR),0)
  WARN	+= -Werror
endif

DEPS_OK	:= $(BUILD)/.deps-ok
PKGCONFIG = $(shell pkg-config $(1) $(PKGS) 2>/dev/null)

CPPFLAGS += -Iledger/include -D_POSIX_C_SOURCE=200809L
CFLAGS	+= -std=c11 $(OPT) $(WARN) $(SANFLAGS) -MMD -MP -pthread
LDFLAGS	+= $(SANFLAGS) -pthread

LIB_SRC	:= $(sort $(wildcard ledger/src/*.c))
LIB_OBJ	:= $(LIB_SRC:%.c=$(BUILD)/%.o)
LIB	:= $(BUILD)/libtfledger.a
CLI_SRC	:= $(sort $(wildcard cli/*.c))
AUD_SRC	:= $(sort $(wildcard audit/*.c)) cli/common.c
TESTS	:= $(patsubst tests/%.c,$(BUILD)/tests/%,$(sort $(wildcard tests/check_*.c)))
HELPERS	:= $(patsubst tests/%.c,$(BUILD)/tests/%,$(sort $(wildcard tests/tool_*.c)))
HEADERS	:= $(sort $(wildcard ledger/include/tfledger/*.h))
HDRTEST	:= $(HEADERS:ledger/include/%.h=$(BUILD)/hdr/%.o)

all: $(BUILD)/tfledger $(BUILD)/tfaudit

$(DEPS_OK): scripts/install-deps
	@./scripts/install-deps
	@mkdir -p $(@D) && touch $@

$(BUILD)/%.o: %.c $(DEPS_OK)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(call PKGCONFIG,--cflags) $(CFLAGS) -c -o $@ $<

$(LIB): $(LIB_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

LIBS	= $(LIB) $(call PKGCONFIG,--libs) -lm

$(BUILD)/tfledger: $(CLI_SRC:%.c=$(BUILD)/%.o) $(LIB)
	$(CC) $(LDFLAGS) -o $@ $(filter %.o,$^) $(LIBS)

$(BUILD)/tfaudit: $(AUD_SRC:%.c=$(BUILD)/%.o) $(LIB)
	$(CC) $(LDFLAGS) -o $@ $(filter %.o,$^) $(LIBS)

$(BUILD)/tests/%: $(BUILD)/tests/%.o $(BUILD)/tests/testutil.o $(LIB)
	$(CC) $(LDFLAGS) -o $@ $(filter %.o,$^) $(LIBS) \
	    $(shell pkg-config --libs check)

$(BUILD)/tests/check_%.o: CFLAGS += $(shell pkg-config --cflags check 2>/dev/null)

# Each public header must compile on its own.
$(BUILD)/hdr/%.o: ledger/include/%.h $(DEPS_OK)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -x c -c -o $@ $<

check: all $(TESTS) $(HELPERS) $(HDRTEST)
	@rc=0; for t in $(TESTS); do \
	    SHARED=$(CURDIR)/../shared $$t || rc=1; done; \
	BUILD=$(BUILD) SHARED=$(CURDIR)/../shared \
	    sh tests/cli/run.sh || rc=1; exit $$rc

# The long reliability tests: kills, power cuts, concurrency, backups
# under load, full disks and maps, many times over (under 10 minutes).
check-long: all $(HELPERS)
	@BUILD=$(BUILD) SHARED=$(CURDIR)/../shared sh tests/cli/run-long.sh

demo: all
	@BUILD=$(BUILD) sh scripts/demo.sh

format:
	clang-format -i $(LIB_SRC) $(CLI_SRC) $(AUD_SRC) $(HEADERS) \
	    $(wildcard tests/*.c tests/*.h ledger/src/*.h cli/*.h audit/*.h)

# ---- hardening: make fuzz, fuzz-ci, valgrind, lint -------------------------
# Fuzzing: libFuzzer targets fuzz/fuzz_*.c, built by clang with ASan and
# UBSan into FUZZ_BUILD (the library too, with -fsanitize=fuzzer-no-link),
# each run FUZZ_SECONDS on a copy of its seeds in fuzz/corpus/.  fuzz-ci
# is the short run CI can afford.  Only these targets install clang.
FUZZ_CC		?= clang
FUZZ_BUILD	?= build-fuzz
FUZZ_SECONDS	?= 60
FUZZ_FLAGS	?=
FUZZ_SAN	:= -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_CFLAGS	:= -std=c11 -O1 -g -fno-omit-frame-pointer $(WARN) -MMD -MP \
		   $(FUZZ_SAN) -fsanitize=fuzzer-no-link
FUZZ_BINS	:= $(patsubst fuzz/%.c,$(FUZZ_BUILD)/%,\
		   $(sort $(wildcard fuzz/fuzz_*.c)))
FUZZ_LIB	:= $(FUZZ_BUILD)/libtfledger.a

$(FUZZ_BUILD)/.deps-ok: scripts/install-deps
	@./scripts/install-deps fuzz
	@mkdir -p $(@D) && touch $@

$(FUZZ_BUILD)/%.o: %.c $(FUZZ_BUILD)/.deps-ok
	@mkdir -p $(@D)
	$(FUZZ_CC) $(CPPFLAGS) $(call PKGCONFIG,--cflags) $(FUZZ_CFLAGS) \
	    -c -o $@ $<

$(FUZZ_LIB): $(LIB_SRC:%.c=$(FUZZ_BUILD)/%.o)
	@rm -f $@
	$(AR) rcs $@ $^

$(FUZZ_BUILD)/fuzz_%: $(FUZZ_BUILD)/fuzz/fuzz_%.o $(FUZZ_LIB)
	$(FUZZ_CC) $(FUZZ_SAN) -fsanitize=fuzzer -pthread -o $@ $^ \
	    $(call PKGCONFIG,--libs) -lm

fuzz: $(FUZZ_BINS)
	@sh fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_SECONDS) $(FUZZ_FLAGS)

fuzz-ci:
	@$(MAKE) --no-print-directory -j2 $(FUZZ_BINS)
	@sh fuzz/run.sh $(FUZZ_BUILD) 10 $(FUZZ_FLAGS)

# valgrind memcheck over every Check suite (CK_FORK=no: one process per
# suite, so memcheck sees the tests themselves) and over the CLI tests,
# whose binaries run through wrappers in $(BUILD)/vg.  Any report, error
# or leak, fails the run (scripts/valgrind-check).  Leaks are reported,
# not counted as errors, and forked children are silent: a test's child
# that _exits with its parent's memory (check_store, check_reliability)
# must keep its exit code, which --error-exitcode would replace.
VG_FLAGS	:= --error-exitcode=99 --leak-check=full \
		   --show-leak-kinds=definite,indirect,possible \
		   --errors-for-leak-kinds=none --child-silent-after-fork=yes \
		   --suppressions=$(CURDIR)/tests/valgrind.supp \
		   --num-callers=30 --quiet

# VG_TESTS (suites) and VG_CLI (a CLI test name pattern) narrow a run,
# VG_JOBS sets the CLI tests' parallel shards (default: one per core).
VG_TESTS	?= $(TESTS)
VG_CLI		?=
VG_JOBS		?= $(shell getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)

valgrind: all $(TESTS) $(HELPERS)
	@./scripts/install-deps valgrind
	@BUILD=$(BUILD) TESTS="$(VG_TESTS)" VG_FLAGS="$(VG_FLAGS)" \
	    VG_JOBS=$(VG_JOBS) SHARED=$(CURDIR)/../shared sh scripts/valgrind-check $(VG_CLI)

# Static analysis: cppcheck and clang-tidy (checks in .clang-tidy) over
# the library and both tools; suppressions, each with its reason, are in
# .cppcheck-suppressions and .clang-tidy.  Any finding fails.
LINT_SRC	:= $(LIB_SRC) $(CLI_SRC) $(sort $(wildcard audit/*.c))

lint:
	@./scripts/install-deps lint
	cppcheck --quiet --error-exitcode=1 --std=c11 --inline-suppr \
	    --enable=warning,style,performance,portability \
	    --suppressions-list=.cppcheck-suppressions \
	    -Iledger/include -D_POSIX_C_SOURCE=200809L -D__GNUC__ \
	    $(LINT_SRC)
	@echo "clang-tidy over $(words $(LINT_SRC)) files"
	@out=$$(clang-tidy --quiet $(LINT_SRC) -- $(CPPFLAGS) -std=c11 \
	    $(call PKGCONFIG,--cflags) 2>&1); rc=$$?; \
	printf '%s\n' "$$out" | grep -Ev \
	    '^[0-9]+ warnings? (and [0-9]+ errors? )?generated\.$$' || true; \
	exit $$rc

.PHONY: fuzz fuzz-ci valgrind lint
# ---- end of hardening targets ----------------------------------------------

# ---- bench: make bench (not part of make check) -------------------------
# Builds with optimisation into BENCH_BUILD and runs bench/bench.c, which
# prints every figure beside the machine limit it is a ratio of, both
# measured in the same run, and writes them as JSON.  Its ledgers live in
# BENCH_BUILD/data; the 1,000,000-entry one is made once and reused
# (BENCH_SIZE changes its size, e.g. for a quick run).
BENCH_BUILD	?= build-bench
BENCH_SIZE	?= 1000000

bench:
	@$(MAKE) --no-print-directory BUILD=$(BENCH_BUILD) OPT="-O2 -g" \
	    SANITIZE= $(BENCH_BUILD)/tfledger $(BENCH_BUILD)/bench/bench
	$(BENCH_BUILD)/bench/bench --dir $(BENCH_BUILD)/data \
	    --tfledger $(BENCH_BUILD)/tfledger --size $(BENCH_SIZE) \
	    --json $(BENCH_BUILD)/results.json

$(BUILD)/bench/bench: $(BUILD)/bench/bench.o $(LIB)
	$(CC) $(LDFLAGS) -o $@ $(filter %.o,$^) $(LIBS)

.PHONY: bench
# ---- end of bench -----------------------------------------------------------

# ---- install: make install [PREFIX=/usr/local] [DESTDIR=] ---------------
# GNU conventions: PREFIX and each directory under it can be set on its
# own (debian/rules sets LIBDIR to the multiarch one); DESTDIR stages the
# tree for a package.  `make uninstall` with the same variables removes
# what install put there, file by file, then the directories it made if
# they are left empty.
PREFIX		?= /usr/local
BINDIR		?= $(PREFIX)/bin
LIBDIR		?= $(PREFIX)/lib
INCLUDEDIR	?= $(PREFIX)/include
DATADIR		?= $(PREFIX)/share
MANDIR		?= $(DATADIR)/man
DOCDIR		?= $(DATADIR)/doc/tfledger
PKGCONFIGDIR	?= $(LIBDIR)/pkgconfig
BASHCOMPDIR	?= $(DATADIR)/bash-completion/completions
INSTALL		?= install
VERSION		:= $(shell sed -n 's/.*TFL_VERSION "\(.*\)".*/\1/p' \
		   ledger/include/tfledger/tfledger.h)
MAN1		:= docs/man/tfledger.1 docs/man/tfaudit.1
MAN5		:= docs/man/tfledger.conf.5
DOCS		:= README.md docs/GUIDE.md docs/FORMAT.md docs/FUND.md \
		   docs/AUDIT.md docs/STATEMENT.md config/tfledger.conf
D		 = $(DESTDIR)

install: all
	$(INSTALL) -d $(D)$(BINDIR) $(D)$(LIBDIR) $(D)$(PKGCONFIGDIR) \
	    $(D)$(INCLUDEDIR)/tfledger $(D)$(MANDIR)/man1 $(D)$(MANDIR)/man5 \
	    $(D)$(DOCDIR) $(D)$(BASHCOMPDIR)
	$(INSTALL) -m 755 $(BUILD)/tfledger $(BUILD)/tfaudit $(D)$(BINDIR)
	$(INSTALL) -m 644 $(LIB) $(D)$(LIBDIR)
	$(INSTALL) -m 644 $(HEADERS) $(D)$(INCLUDEDIR)/tfledger
	$(INSTALL) -m 644 $(MAN1) $(D)$(MANDIR)/man1
	$(INSTALL) -m 644 $(MAN5) $(D)$(MANDIR)/man5
	$(INSTALL) -m 644 $(DOCS) $(D)$(DOCDIR)
	$(INSTALL) -m 644 completions/tfledger $(D)$(BASHCOMPDIR)/tfledger
	$(INSTALL) -m 644 completions/tfledger $(D)$(BASHCOMPDIR)/tfaudit
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' \
	    -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' -e 's|@VERSION@|$(VERSION)|' \
	    -e 's|@REQUIRES@|$(PKGS)|' ledger/tfledger.pc.in \
	    >$(D)$(PKGCONFIGDIR)/tfledger.pc
	chmod 644 $(D)$(PKGCONFIGDIR)/tfledger.pc

uninstall:
	rm -f $(D)$(BINDIR)/tfledger $(D)$(BINDIR)/tfaudit \
	    $(D)$(LIBDIR)/libtfledger.a $(D)$(PKGCONFIGDIR)/tfledger.pc \
	    $(addprefix $(D)$(INCLUDEDIR)/tfledger/,$(notdir $(HEADERS))) \
	    $(addprefix $(D)$(MANDIR)/man1/,$(notdir $(MAN1))) \
	    $(addprefix $(D)$(MANDIR)/man5/,$(notdir $(MAN5))) \
	    $(addprefix $(D)$(DOCDIR)/,$(notdir $(DOCS))) \
	    $(D)$(BASHCOMPDIR)/tfledger $(D)$(BASHCOMPDIR)/tfaudit
	rmdir $(D)$(INCLUDEDIR)/tfledger $(D)$(DOCDIR) 2>/dev/null || true

.PHONY: install uninstall
# ---- end of install ---------------------------------------------------------

clean:
	rm -rf build build-san build-fuzz build-bench demo

.PHONY: all check check-long demo format clean
.SECONDARY:

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
-include $(shell find $(FUZZ_BUILD) -name '*.d' 2>/dev/null)
