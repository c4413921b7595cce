#!/bin/sh
# `make install` and `make uninstall` under a scratch DESTDIR: every file in its place, the
# scenarios' tree whole (a layered file finds its base, track its bills), the staged binary
# working from elsewhere, the bash completion loading and completing, and nothing left
# behind by uninstall.  usage: tests/install.sh RUNRATE
# RUNRATE is installed as it is (INSTALL_BIN): nothing is rebuilt for PREFIX=/usr.
# Prints one line per failure and finally "install: N passed, M failed".
R=${1:-./runrate}
. "$(dirname "$0")/lib.sh"
cd "$(dirname "$0")/.." || exit 1
case $R in /*) ;; *) R=$(pwd)/$R ;; esac
# check DESCRIPTION TEST-ARGS...: one assertion.
check() { what=$1; shift; if "$@"; then ok; else bad "$what"; fi; }
# mk TARGET...: the checkout's make, not the one that may be running tests/run.sh.
mk() { env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS make -s "$@" DESTDIR="$D" PREFIX=/usr INSTALL_BIN="$R"; }

D=$T/stage
mkdir -p "$D"
if mk install >"$T/out" 2>&1; then ok; else bad "make install failed"; cat "$T/out"; fi

U=$D/usr
check "the binary" test -x "$U/bin/runrate"
check "runrate.1" test -f "$U/share/man/man1/runrate.1"
check "runrate-scenario.5" test -f "$U/share/man/man5/runrate-scenario.5"
check "the bash completion" test -f "$U/share/bash-completion/completions/runrate"
if [ -f docs/scenario.schema.json ]; then
    check "the JSON Schema" cmp -s docs/scenario.schema.json "$U/share/runrate/scenario.schema.json"
fi
check "a scenario" cmp -s scenarios/support-agent.yaml "$U/share/runrate/scenarios/support-agent.yaml"
# Every file of scenarios/ in the same place (the catalog in share/runrate/catalog).
n=0
for f in $(find scenarios -name '.*' -prune -o -type f ! -name '*~' -print); do
    case $f in
        scenarios/catalog/*) t=$U/share/runrate/catalog/${f#scenarios/catalog/} ;;
        *) t=$U/share/runrate/$f ;;
    esac
    cmp -s "$f" "$t" || { bad "$f not installed as $t"; n=$((n + 1)); }
done
[ "$n" -eq 0 ] && ok
check "no catalog under scenarios/" test ! -e "$U/share/runrate/scenarios/catalog"
if [ -d scenarios/catalog ]; then
    check "the catalog" test -f "$(ls "$U"/share/runrate/catalog/*.yaml 2>/dev/null | head -n 1)"
fi
check "modes 755/644" test "$(stat -c %a "$U/bin/runrate" "$U/share/man/man1/runrate.1" \
    "$U/share/runrate/scenarios/support-agent.yaml" | tr '\n' ' ')" = "755 644 644 "

# The staged tree works from elsewhere: every shipped scenario validates (a layered one
# finds its base beside it), with the staged catalog.
if (cd / && RUNRATE_CATALOG=$U/share/runrate/catalog "$U/bin/runrate" validate \
        "$U"/share/runrate/scenarios/*.yaml) >"$T/out" 2>&1; then ok
else bad "the installed scenarios do not validate"; cat "$T/out"; fi

# The completion loads in bash and completes.
if command -v bash >/dev/null 2>&1; then
    cat >"$T/comp.bash" <<'B'
. "$1"
complete -p runrate | grep -q -- '-F _runrate' || echo "not registered"
c() { COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _runrate 2>/dev/null
      printf '%s ' "${COMPREPLY[@]}"; echo; }
[ "$(c runrate r)" = "run " ] || echo "runrate r: $(c runrate r)"
[ "$(c runrate run --form)" = "--format " ] || echo "runrate run --form: $(c runrate run --form)"
[ "$(c runrate prices --format '')" = "table json " ] || echo "prices --format: $(c runrate prices --format '')"
p=$(c runrate run scenarios/support-agent.yaml --set costs.chat-model.price_per_million.in)
[ "$p" = "costs.chat-model.price_per_million.input= " ] || echo "--set path: $p"
B
    bash "$T/comp.bash" "$U/share/bash-completion/completions/runrate" >"$T/out" 2>&1
    if [ -s "$T/out" ]; then bad "completion:"; cat "$T/out"; else ok; fi
fi

if mk uninstall >"$T/out" 2>&1; then ok; else bad "make uninstall failed"; cat "$T/out"; fi
left=$(find "$D" -type f -o -type l)
check "uninstall leaves no file" test -z "$left"
[ -z "$left" ] || echo "$left"
check "uninstall removes share/runrate" test ! -e "$U/share/runrate"

summary install
