#!/bin/sh
# The repository stands alone: no tracked file points at material outside it, so that every
# source a user reads can be followed from a clone.  A relative path ("../NAME...") must
# resolve, from the file's own folder, to something inside the repository that exists (the
# scenarios once cited ../shared/DOMAIN.md, a file beside the checkout that users do not
# have); absolute paths of a developer's machine (/work, /home, /Users, /root) fail too.
# usage: tests/self_contained.sh
cd "$(dirname "$0")/.." || exit 2
. tests/lib.sh

# outside ROOT FILE: print FILE:LINE: PATH for each path in FILE that leaves ROOT or names
# nothing there.
outside() {
    root=$1 f=$2
    dir=$(dirname "$f")
    grep -n -o -E '(\.\./)+[A-Za-z0-9._/-]*[A-Za-z0-9_-]' "$root/$f" | while IFS=: read -r line m; do
        # Resolve against the file's folder, lexically, refusing to climb above the root.
        p="$dir/$m" out=
        parts=
        for seg in $(printf '%s\n' "$p" | tr '/' ' '); do
            case $seg in
                .) ;;
                ..) if [ -z "$parts" ]; then out=1; break; fi
                    parts=$(printf '%s\n' "$parts" | sed 's#/*[^/]*$##') ;;
                *) parts="${parts:+$parts/}$seg" ;;
            esac
        done
        if [ -n "$out" ] || [ ! -e "$root/$parts" ]; then echo "$f:$line: $m"; fi
    done
    grep -n -E '(^|[^A-Za-z0-9_.$])/(work|home|Users|root)/' "$root/$f" | sed "s#^#$f:#"
}

if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    git ls-files >"$T/files"
else
    find . -type f ! -path './.git/*' ! -path './build*' | sed 's#^\./##' >"$T/files"
fi
while read -r f; do
    [ -f "$f" ] || continue
    case $f in tests/self_contained.sh) continue ;; esac
    grep -Iq . "$f" 2>/dev/null || continue   # binary: nothing to follow
    outside . "$f"
done <"$T/files" >"$T/found"
if [ -s "$T/found" ]; then
    bad "paths outside the repository:"
    sed 's/^/    /' "$T/found"
else
    ok
fi

# The check finds what it must, and passes what it must, on a small tree of its own.
mkdir -p "$T/probe/scenarios" "$T/probe/bench"
printf '# all figures checked against ../shared/DOMAIN.md\n' >"$T/probe/scenarios/a.yaml"
printf 'S=$HERE/../scenarios/a.yaml\n' >"$T/probe/bench/b.sh"
printf 'see /work/main/README.md\n' >"$T/probe/c.md"
[ -n "$(outside "$T/probe" scenarios/a.yaml)" ] && ok || bad "../shared/DOMAIN.md not found"
[ -z "$(outside "$T/probe" bench/b.sh)" ] && ok || bad "a path inside the repository was flagged"
[ -n "$(outside "$T/probe" c.md)" ] && ok || bad "an absolute /work path not found"
summary "self-contained"
