# runrate: a plain Makefile.  `make run` and `make test` install missing libraries first
# (Debian packages, through the `deps` step), so they work on a fresh machine as written.

CC      ?= cc
BUILD   ?= build
PKGS    := gsl yaml-0.1
DEBS    := pkg-config libgsl-dev libyaml-dev libcmocka-dev
SCENARIO ?= scenarios/support-agent.yaml

WARN    := -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes -Wmissing-prototypes
ifeq ($(CI),true)
WERROR  ?= 1
endif
ifeq ($(WERROR),1)
WARN    += -Werror
endif
OPT     ?= -O2 -g
SAN     ?=
# pkg-config is asked when a recipe runs, after `deps` has had its chance to install it.
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CMOCKA_CFLAGS = $(shell pkg-config --cflags cmocka 2>/dev/null)
CMOCKA_LIBS   = $(shell pkg-config --libs cmocka 2>/dev/null)
CFLAGS  ?=
ALL_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L $(OPT) $(WARN) -fopenmp $(SAN) -MMD -MP \
             -Iengine -Imodels $(PKG_CFLAGS) $(CFLAGS)
LDLIBS_ALL = -fopenmp $(SAN) $(PKG_LIBS) -lm

LIB_SRC := $(filter-out engine/cli.c,$(wildcard engine/*.c)) $(wildcard models/*.c)
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/%.o)
LIB     := $(BUILD)/librunrate.a
TEST_SRC := $(wildcard tests/test_*.c)
TEST_BIN := $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)

.PHONY: all deps run test unit asan valgrind bench clean

all: runrate

deps:
	@if ! command -v $(CC) >/dev/null 2>&1; then \
	    echo "runrate: installing a C compiler (gcc)"; \
	    if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	    $$SUDO apt-get update -qq && \
	    $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gcc libc6-dev >/dev/null; \
	fi
	@if ! command -v pkg-config >/dev/null 2>&1 || ! pkg-config --exists $(PKGS) cmocka; then \
	    echo "runrate: installing missing Debian packages: $(DEBS)"; \
	    if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	    $$SUDO apt-get update -qq && \
	    $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(DEBS) >/dev/null; \
	fi

$(BUILD)/%.o: %.c | deps
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(LIB): $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

# The binary lives at the top for `./runrate`; sanitizer builds keep theirs in $(BUILD).
ifeq ($(BUILD),build)
RUNRATE := runrate
else
RUNRATE := $(BUILD)/runrate
endif

$(RUNRATE): $(BUILD)/engine/cli.o $(LIB)
	$(CC) -o $@ $^ $(LDLIBS_ALL)

$(BUILD)/tests/support.o: tests/support.c | deps
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(CMOCKA_CFLAGS) -c $< -o $@

$(BUILD)/tests/%: tests/%.c $(BUILD)/tests/support.o $(LIB) | deps
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(CMOCKA_CFLAGS) -o $@ $< $(BUILD)/tests/support.o $(LIB) $(CMOCKA_LIBS) $(LDLIBS_ALL)

run: $(RUNRATE)
	./$(RUNRATE) run $(SCENARIO)

# Unit tests (cmocka, one program per module) and the command-line tests; the last line
# reads "tests: N passed, M failed".
test: $(RUNRATE) $(TEST_BIN)
	@sh tests/run.sh $(BUILD) ./$(RUNRATE)

# The same tests under AddressSanitizer and UndefinedBehaviorSanitizer.
asan:
	$(MAKE) BUILD=build-asan OPT="-O1 -g -fno-omit-frame-pointer" \
	    SAN="-fsanitize=address,undefined -fno-sanitize-recover=all" test

# Valgrind on the unit tests and a short run (single thread: libgomp's pool reads as leaks).
valgrind: $(RUNRATE) $(TEST_BIN)
	@sh tests/valgrind.sh $(BUILD) ./$(RUNRATE)

bench: $(RUNRATE) $(BUILD)/bench/peak_rss
	@sh bench/bench.sh ./$(RUNRATE) $(BUILD)/bench/peak_rss

$(BUILD)/bench/peak_rss: bench/peak_rss.c | deps
	@mkdir -p $(@D)
	$(CC) -std=c11 -D_DEFAULT_SOURCE $(OPT) $(WARN) -o $@ $<

clean:
	rm -rf build build-asan runrate

-include $(LIB_OBJ:.o=.d) $(BUILD)/engine/cli.d $(BUILD)/tests/support.d
