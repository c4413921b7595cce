# runrate: a plain Makefile.  `make run` and `make test` install missing libraries first
# (Debian packages, through the `deps` step), so they work on a fresh machine as written.

CC      ?= cc
BUILD   ?= build
# make MPI=1: the same program against Open MPI (mpicc), objects in build-mpi/.
ifeq ($(MPI),1)
CC      := mpicc
BUILD   := build-mpi
MPI_DEF := -DRR_MPI
endif
PKGS    := gsl yaml-0.1
DEBS    := pkg-config libgsl-dev libyaml-dev libcmocka-dev
SCENARIO ?= scenarios/support-agent.yaml
# Where `make install` puts things; the binary looks for its price catalog in
# $(PREFIX)/share/runrate/catalog when neither --catalog nor $$RUNRATE_CATALOG names one.
PREFIX  ?= /usr/local
# apt-get install through sudo unless root, for the steps that install what is missing.
APT_INSTALL = if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
    $$SUDO apt-get update -qq && \
    $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq

WARN    := -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes -Wmissing-prototypes
ifeq ($(CI),true)
WERROR  ?= 1
endif
ifeq ($(WERROR),1)
WARN    += -Werror
endif
OPT     ?= -O3 -g
# No code here reads errno after a libm call, nor enables floating-point traps: without them
# sqrt is one instruction and loops with selects (triangular draws) become vectors.  Neither
# changes a value.
MATH    := -fno-math-errno -fno-trapping-math -ffp-contract=off
SAN     ?=
# pkg-config is asked when a recipe runs, after `deps` has had its chance to install it.
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CMOCKA_CFLAGS = $(shell pkg-config --cflags cmocka 2>/dev/null)
CMOCKA_LIBS   = $(shell pkg-config --libs cmocka 2>/dev/null)
CFLAGS  ?=
ALL_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L $(MPI_DEF) $(OPT) $(MATH) $(WARN) -fopenmp $(SAN) -MMD -MP \
             -Iengine -I. -DRR_DATADIR='"$(PREFIX)/share/runrate"' $(PKG_CFLAGS) $(CFLAGS)
LDLIBS_ALL = -fopenmp $(SAN) $(PKG_LIBS) -lm

LIB_SRC := $(wildcard engine/*/*.c) $(wildcard models/*.c)
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/%.o)
LIB     := $(BUILD)/librunrate.a
TEST_SRC := $(wildcard tests/test_*.c)
TEST_BIN := $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)

.PHONY: all deps test-deps run test unit asan valgrind lint bench bench-deps mpi-test fuzz fuzz-deps clean FORCE

all: runrate

deps:
	@if [ "$(MPI)" = 1 ] && ! command -v mpicc >/dev/null 2>&1; then \
	    echo "runrate: installing Open MPI (libopenmpi-dev openmpi-bin)"; \
	    $(APT_INSTALL) libopenmpi-dev openmpi-bin >/dev/null; \
	fi
	@if ! command -v $(CC) >/dev/null 2>&1; then \
	    echo "runrate: installing a C compiler (gcc)"; \
	    $(APT_INSTALL) gcc libc6-dev >/dev/null; \
	fi
	@if ! command -v pkg-config >/dev/null 2>&1 || ! pkg-config --exists $(PKGS) cmocka; then \
	    echo "runrate: installing missing Debian packages: $(DEBS)"; \
	    $(APT_INSTALL) $(DEBS) >/dev/null; \
	fi

# What only the tests use: a JSON Schema validator and a YAML reader for tests/schema.sh.
test-deps:
	@if ! python3 -c 'import jsonschema, yaml' >/dev/null 2>&1; then \
	    echo "runrate: installing the tests' Debian packages: python3-jsonschema python3-yaml"; \
	    $(APT_INSTALL) python3 python3-jsonschema python3-yaml >/dev/null; \
	fi

$(BUILD)/%.o: %.c | deps
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(LIB): $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

# The binary lives at the top for `./runrate` (the plain or the MPI build, whichever was
# made last: it is relinked every time, which costs nothing); sanitizer builds keep theirs
# in $(BUILD).
ifneq ($(filter $(BUILD),build build-mpi),)
RUNRATE := runrate
else
RUNRATE := $(BUILD)/runrate
endif

CLI_SRC := $(wildcard engine/cli*.c)
CLI_OBJ := $(CLI_SRC:%.c=$(BUILD)/%.o)

$(RUNRATE): $(CLI_OBJ) $(LIB) FORCE
	$(CC) -o $@ $(CLI_OBJ) $(LIB) $(LDLIBS_ALL)

FORCE:

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
test: $(RUNRATE) $(TEST_BIN) | test-deps
	@sh tests/run.sh $(BUILD) ./$(RUNRATE)

# The same tests under AddressSanitizer and UndefinedBehaviorSanitizer, but for the report
# checksums (same_numbers: the plain build's numbers, bit for bit, and most of the sanitized
# run's time) and the browser's drawing of the HTML.
asan:
	RR_TESTS_SKIP="tests/same_numbers.sh tests/html_render.sh" \
	$(MAKE) BUILD=build-asan OPT="-O1 -g -fno-omit-frame-pointer" \
	    SAN="-fsanitize=address,undefined -fno-sanitize-recover=all" test

# Valgrind on the unit tests and a short run (single thread: libgomp's pool reads as leaks).
valgrind: $(RUNRATE) $(TEST_BIN)
	@sh tests/valgrind.sh $(BUILD) ./$(RUNRATE)

# Static analysis: cppcheck and clang-tidy (checks in .clang-tidy), both clean or failing.
LINT_SRC := $(LIB_SRC) $(CLI_SRC)
lint: | deps
	cppcheck --enable=warning,portability,performance --std=c11 --inline-suppr --quiet \
	    --error-exitcode=1 -Iengine -I. engine models
	clang-tidy --quiet $(LINT_SRC) -- -std=c11 -D_POSIX_C_SOURCE=200809L -Iengine -I. \
	    $(PKG_CFLAGS)

# Benchmarks (bench/README.md): throughput and parallel efficiency of every scenario at 1, 2,
# 4 ... nproc threads, the whole run against its random draws alone, the numpy and C+GSL
# peers, peak memory at BENCH_SIZES paths.  BENCH_ARGS=--json writes JSON lines instead of
# the tables; BENCH_PATHS, BENCH_THREADS, BENCH_SIZES, BENCH_SECTIONS, ... (bench/bench.sh)
# pass through the environment.
BENCH_ARGS ?=
bench: $(RUNRATE) $(BUILD)/bench/peak_rss $(BUILD)/bench/peer_gsl bench-deps
	@sh bench/bench.sh $(BENCH_ARGS) ./$(RUNRATE) $(BUILD)/bench/peak_rss $(BUILD)/bench/peer_gsl

$(BUILD)/bench/peak_rss: bench/peak_rss.c | deps
	@mkdir -p $(@D)
	$(CC) -std=c11 -D_DEFAULT_SOURCE $(OPT) $(WARN) -o $@ $<

# The hand-written C+GSL peer, with runrate's optimisation flags.
$(BUILD)/bench/peer_gsl: bench/peer_gsl.c | deps
	@mkdir -p $(@D)
	$(CC) -std=c11 -D_POSIX_C_SOURCE=200809L $(OPT) $(WARN) $$(pkg-config --cflags gsl) \
	    -o $@ $< $$(pkg-config --libs gsl) -lm

# The numpy peer needs a python3 that imports numpy: when no python3 on PATH nor
# /usr/bin/python3 does, install Debian's python3-numpy (as root or with sudo).  Without it
# the numpy peer is reported as not run.
bench-deps:
	@ok=; IFS=:; for d in $$PATH; do \
	    if [ -n "$$d" ] && [ -x "$$d/python3" ] && "$$d/python3" -c 'import numpy' >/dev/null 2>&1; then \
	        ok=1; break; \
	    fi; \
	done; unset IFS; \
	if [ -z "$$ok" ] && ! /usr/bin/python3 -c 'import numpy' >/dev/null 2>&1; then \
	    echo "runrate: installing Debian's python3-numpy for the numpy peer"; \
	    { $(APT_INSTALL) python3-numpy >/dev/null; } || \
	    echo "runrate: could not install python3-numpy: the numpy peer will not run" >&2; \
	fi

# libFuzzer on the scenario loader and validator (tests/fuzz_scenario.c), for FUZZ_SECONDS.
# clang builds the engine (no cli.c) and the models straight into the fuzzer, with
# -fsanitize=fuzzer,address,undefined and no OpenMP (the engine builds without it).  The
# corpus in build-fuzz/corpus is seeded from the scenarios, the bad inputs and the fuzz
# regressions, and keeps what the fuzzer finds between runs; a crash, leak or timeout is
# written to build-fuzz/crash-*, leak-*, timeout-* and fails the target.
FUZZ_CC      ?= clang
FUZZ_DIR     := build-fuzz
FUZZ_SECONDS ?= 60
FUZZ_FLAGS   ?=
FUZZ_SAN     := -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
FUZZ_CFLAGS   = -std=c11 -D_POSIX_C_SOURCE=200809L -g -O1 -fno-omit-frame-pointer $(WARN) \
                -Iengine -I. $(PKG_CFLAGS)
FUZZ_OBJ     := $(LIB_SRC:%.c=$(FUZZ_DIR)/obj/%.o)
FUZZ_BIN     := $(FUZZ_DIR)/fuzz_scenario
FUZZ_BILL    := $(FUZZ_DIR)/fuzz_bill
FUZZ_SEEDS    = $(wildcard scenarios/*.yaml) bench/large.yaml $(wildcard tests/bad/*.yaml) \
                $(wildcard tests/fuzz_regressions/*)

fuzz: $(FUZZ_BIN) $(FUZZ_BILL)
	@mkdir -p $(FUZZ_DIR)/corpus $(FUZZ_DIR)/corpus-bill
	@for f in scenarios/actuals/*.csv; do \
	    cp "$$f" "$(FUZZ_DIR)/corpus-bill/seed-$$(echo "$$f" | tr '/' '-')"; \
	done
	ASAN_OPTIONS=detect_leaks=1 ./$(FUZZ_BILL) -max_total_time=$$(( $(FUZZ_SECONDS) / 4 + 1 )) \
	    -max_len=16384 -timeout=10 -rss_limit_mb=2048 -artifact_prefix=$(FUZZ_DIR)/bill- \
	    -print_final_stats=1 $(FUZZ_FLAGS) $(FUZZ_DIR)/corpus-bill
	@for f in $(FUZZ_SEEDS); do \
	    cp "$$f" "$(FUZZ_DIR)/corpus/seed-$$(echo "$$f" | tr '/' '-')"; \
	done
	ASAN_OPTIONS=detect_leaks=1 ./$(FUZZ_BIN) -max_total_time=$(FUZZ_SECONDS) \
	    -max_len=65536 -timeout=10 -rss_limit_mb=2048 -dict=tests/fuzz_scenario.dict \
	    -artifact_prefix=$(FUZZ_DIR)/ -print_final_stats=1 $(FUZZ_FLAGS) $(FUZZ_DIR)/corpus

# clang with libFuzzer: try a tiny fuzzer link, and install clang and compiler-rt when it fails.
fuzz-deps: | deps
	@t=$$(mktemp -d); \
	printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n);\nint LLVMFuzzerTestOneInput(const char *d, unsigned long n) { (void)d; (void)n; return 0; }\n' >$$t/t.c; \
	if ! $(FUZZ_CC) -fsanitize=fuzzer,address,undefined -o $$t/t $$t/t.c >/dev/null 2>&1; then \
	    v=$$($(FUZZ_CC) -dumpversion 2>/dev/null | cut -d. -f1); \
	    pkgs="clang libclang-rt-dev"; \
	    if [ -n "$$v" ]; then pkgs="clang-$$v libclang-rt-$$v-dev"; fi; \
	    echo "runrate: installing libFuzzer (clang's compiler-rt): $$pkgs"; \
	    $(APT_INSTALL) $$pkgs >/dev/null; \
	    if ! $(FUZZ_CC) -fsanitize=fuzzer,address,undefined -o $$t/t $$t/t.c; then \
	        rm -rf $$t; echo "runrate: $(FUZZ_CC) cannot link a libFuzzer target" >&2; exit 1; \
	    fi; \
	fi; \
	rm -rf $$t

$(FUZZ_DIR)/obj/%.o: %.c | fuzz-deps
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_SAN) -MMD -MP -c $< -o $@

$(FUZZ_BIN): tests/fuzz_scenario.c $(FUZZ_OBJ) | fuzz-deps
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_SAN) -o $@ $< $(FUZZ_OBJ) $(PKG_LIBS) -lm

$(FUZZ_BILL): tests/fuzz_bill.c $(FUZZ_OBJ) | fuzz-deps
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_SAN) -o $@ $< $(FUZZ_OBJ) $(PKG_LIBS) -lm

# The MPI build, and its output against the single process's at 1, 2 and 3 ranks.
mpi-test:
	$(MAKE) runrate
	cp runrate build/runrate-single
	$(MAKE) MPI=1 runrate
	@sh tests/mpi.sh ./runrate build/runrate-single

# Install: `make PREFIX=/usr && sudo make install PREFIX=/usr` (DESTDIR=DIR stages the tree
# under DIR, as packages do; debian/ builds the .deb with `dpkg-buildpackage -us -uc -b`).
#   $(PREFIX)/bin/runrate
#   $(PREFIX)/share/man/man1/runrate.1, man5/runrate-scenario.5
#   $(PREFIX)/share/runrate/scenarios/...     scenarios/ but its catalog, in the same shape
#                                             (extends: and actuals CSVs are relative paths)
#   $(PREFIX)/share/runrate/catalog/...       scenarios/catalog/: the price catalog
#   $(PREFIX)/share/runrate/scenario.schema.json
#   $(PREFIX)/share/bash-completion/completions/runrate
# The binary compiles in RR_DATADIR, $(PREFIX)/share/runrate, to find the catalog.  So that
# it never installs a binary built for another PREFIX, install depends on the binary, and
# $(BUILD)/prefix records the PREFIX its objects were built with: the objects that read
# RR_DATADIR are rebuilt when PREFIX changes.  INSTALL_BIN=FILE installs FILE as it is and
# builds nothing (tests/install.sh stages the tested binary under a scratch DESTDIR).
DESTDIR     ?=
INSTALL     ?= install
INSTALL_BIN ?=
BINDIR      := $(PREFIX)/bin
MANDIR      := $(PREFIX)/share/man
DATADIR     := $(PREFIX)/share/runrate
BASHCOMPDIR := $(PREFIX)/share/bash-completion/completions
# Every file of scenarios/ (scenarios/catalog apart), of scenarios/catalog, as paths from
# the top; dot files and editors' backups stay behind.
SHIP_FIND    = find $(1) -name '.*' -prune -o -type f ! -name '*~' -print 2>/dev/null | LC_ALL=C sort
SCENARIO_FILES = $(shell $(call SHIP_FIND,scenarios -path scenarios/catalog -prune -o))
CATALOG_FILES  = $(shell $(call SHIP_FIND,scenarios/catalog))
SCHEMA_FILE    = $(wildcard docs/scenario.schema.json)

# Packagers' flags (dpkg-buildflags: CPPFLAGS for _FORTIFY_SOURCE, LDFLAGS for relro/now).
CPPFLAGS ?=
LDFLAGS  ?=
ALL_CFLAGS += $(CPPFLAGS)
$(RUNRATE): LDLIBS_ALL += $(LDFLAGS)

PREFIX_STAMP := $(BUILD)/prefix
$(PREFIX_STAMP): FORCE
	@mkdir -p $(@D)
	@if [ "$$(cat $@ 2>/dev/null)" != "$(PREFIX)" ]; then \
	    if [ -f $@ ]; then echo "runrate: PREFIX is now $(PREFIX) (was $$(cat $@)): rebuilding what compiles it in"; fi; \
	    echo "$(PREFIX)" >$@; \
	fi
DATADIR_SRC := $(shell grep -l RR_DATADIR $(LIB_SRC) $(CLI_SRC) 2>/dev/null)
$(DATADIR_SRC:%.c=$(BUILD)/%.o): $(PREFIX_STAMP)

.PHONY: install uninstall
install: $(if $(INSTALL_BIN),,$(RUNRATE))
	$(INSTALL) -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 \
	    $(DESTDIR)$(DATADIR) $(DESTDIR)$(BASHCOMPDIR)
	$(INSTALL) -m 755 $(or $(INSTALL_BIN),$(RUNRATE)) $(DESTDIR)$(BINDIR)/runrate
	$(INSTALL) -m 644 man/runrate.1 $(DESTDIR)$(MANDIR)/man1/runrate.1
	$(INSTALL) -m 644 man/runrate-scenario.5 $(DESTDIR)$(MANDIR)/man5/runrate-scenario.5
	$(INSTALL) -m 644 completion/runrate.bash $(DESTDIR)$(BASHCOMPDIR)/runrate
	$(if $(SCHEMA_FILE),$(INSTALL) -m 644 $(SCHEMA_FILE) $(DESTDIR)$(DATADIR)/scenario.schema.json)
	@set -e; for f in $(SCENARIO_FILES) $(CATALOG_FILES); do \
	    case $$f in scenarios/catalog/*) t="$(DESTDIR)$(DATADIR)/catalog/$${f#scenarios/catalog/}" ;; \
	                *) t="$(DESTDIR)$(DATADIR)/$$f" ;; esac; \
	    echo "$(INSTALL) -m 644 $$f $$t"; \
	    $(INSTALL) -d "$${t%/*}"; $(INSTALL) -m 644 "$$f" "$$t"; \
	done

# Removes the files install puts, then the folders under $(DATADIR) that are left empty.
uninstall:
	rm -f $(DESTDIR)$(BINDIR)/runrate $(DESTDIR)$(MANDIR)/man1/runrate.1 \
	    $(DESTDIR)$(MANDIR)/man5/runrate-scenario.5 $(DESTDIR)$(BASHCOMPDIR)/runrate \
	    $(DESTDIR)$(DATADIR)/scenario.schema.json
	@set -e; dirs=; for f in $(SCENARIO_FILES) $(CATALOG_FILES); do \
	    case $$f in scenarios/catalog/*) r="catalog/$${f#scenarios/catalog/}" ;; *) r=$$f ;; esac; \
	    echo "rm -f $(DESTDIR)$(DATADIR)/$$r"; rm -f "$(DESTDIR)$(DATADIR)/$$r"; \
	    d=$${r%/*}; while [ "$$d" != "$$r" ] && [ -n "$$d" ]; do dirs="$$dirs $$d"; r=$$d; d=$${d%/*}; done; \
	done; \
	for d in $$(printf '%s\n' $$dirs | LC_ALL=C sort -ru); do \
	    rmdir "$(DESTDIR)$(DATADIR)/$$d" 2>/dev/null || true; \
	done; \
	rmdir "$(DESTDIR)$(DATADIR)" 2>/dev/null || true

clean:
	rm -rf build build-asan build-mpi build-fuzz runrate

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(BUILD)/tests/support.d
-include $(FUZZ_OBJ:.o=.d)
