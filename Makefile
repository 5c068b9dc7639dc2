# tfledger - GNU make build.  `make`, `make check`, `make demo`.
# Variables: BUILD (output dir), SANITIZE=1 (ASan+UBSan), WERROR=0, OPT.

BUILD	?= build
CC	?= cc
OPT	?= -O2 -g
PKGS	:= lmdb openssl libconfig jansson

ifeq ($(SANITIZE),1)
  override BUILD := $(BUILD)-san
  OPT	:= -O1 -g -fno-omit-frame-pointer
  SANFLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all
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

demo: all
	@BUILD=$(BUILD) sh scripts/demo.sh

format:
	clang-format -i $(LIB_SRC) $(CLI_SRC) $(AUD_SRC) $(HEADERS) \
	    $(wildcard tests/*.c tests/*.h ledger/src/*.h cli/*.h audit/*.h)

clean:
	rm -rf build build-san demo

.PHONY: all check demo format clean
.SECONDARY:

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
