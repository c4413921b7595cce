# Shared by the shell test scripts (sourced, not run): a scratch folder removed on exit, the
# pass/fail counters and the closing line "NAME: N passed, M failed" that tests/run.sh reads.
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
# summary NAME: print the closing line; the script's exit status follows the failures.
summary() {
    echo "$1: $pass passed, $fail failed"
    [ "$fail" -eq 0 ]
}
