#!/bin/sh
# Layers: data flows one way (docs/architecture.md, "What may include what"), and this
# checks the #include lines that say so, so that a shortcut shows up as a failing test:
#   engine/scenario  its own headers; sample/dist.h and sample/rng.h (an input holds a
#                    distribution); models/model.h (the component types it validates)
#   models           its own; scenario/{category,check,diag,input,node}.h; sample/simd.h
#                    and sample/vexp.h (arithmetic only: never a draw)
#   engine/sample    its own, scenario/, models/
#   engine/run       its own, sample/, scenario/, models/, stats/
#   engine/stats     its own, scenario/{category,diag,warn}.h: no model, no scenario
#   engine/actuals   its own, scenario/ (a bill is read against a validated scenario)
#   engine/report    its own, stats/{summary,decision,track}.h, scenario/{diag,warn}.h, version.h
# and OpenMP pragmas and MPI only in engine/run, no printing or exit() below engine/cli.c.
# usage: tests/layers.sh
cd "$(dirname "$0")/.." || exit 2
. tests/lib.sh

# allowed DIR PATTERN: every project #include of the files in DIR matches PATTERN (grep -E).
allowed() {
    dir=$1 pattern=$2
    found=$(grep -Hn '^#include "' "$dir"/*.[ch] | grep -v -E "#include \"($pattern)\"")
    if [ -n "$found" ]; then
        bad "$dir includes what its layer may not:"
        echo "$found" | sed 's/^/    /'
    else
        ok
    fi
}

allowed engine/scenario 'scenario/[a-z_]+\.h|sample/(dist|rng)\.h|models/model\.h'
allowed models 'models/[a-z_]+\.h|scenario/(category|check|diag|input|node)\.h|sample/(simd|vexp)\.h'
allowed engine/sample 'sample/[a-z_]+\.h|scenario/[a-z_]+\.h|models/model\.h'
allowed engine/run '(run|sample|scenario|stats)/[a-z_]+\.h|models/model\.h'
allowed engine/stats 'stats/[a-z_]+\.h|scenario/(category|diag|periods|warn)\.h'
allowed engine/report 'report/[a-z_]+\.h|stats/(summary|decision|track)\.h|scenario/(diag|warn)\.h|version\.h'
allowed engine/actuals 'actuals/[a-z_]+\.h|scenario/[a-z_]+\.h|models/model\.h'

found=$(grep -ln 'pragma omp\|<omp\.h>\|<mpi\.h>' engine/*/*.[ch] models/*.[ch] | grep -v '^engine/run/')
if [ -n "$found" ]; then bad "OpenMP or MPI outside engine/run: $found"; else ok; fi

found=$(grep -n '\b\(exit\|printf\|fprintf\|puts\|fputs\|perror\|abort\) *(' \
        engine/*/*.c models/*.c)
if [ -n "$found" ]; then
    bad "printing or exit() below engine/cli.c:"
    echo "$found" | sed 's/^/    /'
else
    ok
fi

summary layers
