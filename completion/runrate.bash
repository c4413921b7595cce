# bash completion for runrate(1): commands, each command's options and their values,
# scenario files, and for --set, --sweep and --break-even the dotted paths of the values in
# the scenario file(s) already on the command line (and the files they extend).
# Installed as PREFIX/share/bash-completion/completions/runrate; needs nothing from the
# bash-completion package, so `source completion/runrate.bash` works on its own too.

# _runrate_paths FILE: the dotted paths of FILE's values, one a line ("demand.noise",
# "costs.chat-model.price_per_million.input", "variables.adoption"), and "@extends BASE"
# for its base.  An awk over the YAML's indentation and flow mappings: costs are named by
# their `name`, a distribution, schedule or catalog reference counts as one value (but a
# model's catalog prices, which stay settable one by one), lists are values, and comments,
# correlations and actuals are skipped.
_runrate_paths()
{
    awk '
    function trim(s) { sub(/^[ \t]+/, "", s); sub(/[ \t\r]+$/, "", s); return s }
    function unq(s) {
        s = trim(s)
        if (s ~ /^".*"$/ || s ~ /^\047.*\047$/) s = substr(s, 2, length(s) - 2)
        return s
    }
    # A quote opens a quoted scalar only where a value or a key starts.
    function opens(s, i,    p) {
        p = substr(s, 1, i - 1); sub(/[ \t]+$/, "", p)
        return p == "" || p ~ /[:,\[{-]$/
    }
    # The line without its comment: a # at the start or after a blank, outside quotes.
    function nocomment(s,    i, c, q) {
        q = ""
        for (i = 1; i <= length(s); i++) {
            c = substr(s, i, 1)
            if (q != "") { if (c == q) q = "" }
            else if ((c == "\"" || c == "\047") && opens(s, i)) q = c
            else if (c == "#" && (i == 1 || substr(s, i - 1, 1) ~ /[ \t]/))
                return substr(s, 1, i - 1)
        }
        return s
    }
    # Open brackets minus closed ones, outside quotes.
    function depth(s,    i, c, q, d) {
        q = ""; d = 0
        for (i = 1; i <= length(s); i++) {
            c = substr(s, i, 1)
            if (q != "") { if (c == q) q = "" }
            else if ((c == "\"" || c == "\047") && opens(s, i)) q = c
            else if (c == "{" || c == "[") d++
            else if (c == "}" || c == "]") d--
        }
        return d
    }
    function emit(p) { if (p != "") out[++nout] = p }
    # price_per_million: {catalog: MODEL}: each price it becomes can be set on its own.
    function prices(p) {
        emit(p ".input"); emit(p ".output"); emit(p ".cached_input"); emit(p ".cache_write")
        emit(p ".batch_discount")
    }
    function path(    k, p) {
        p = ""
        for (k = 1; k <= sp; k++) p = p (p == "" ? "" : ".") skey[k]
        return p
    }
    function push(ind, key, item, skip) {
        sp++; sind[sp] = ind; skey[sp] = key; sitem[sp] = item
        sskip[sp] = skip || (sp > 1 && sskip[sp - 1])
    }
    # key: value of one entry (text up to the first ": " or a final ":"), in K and V.
    function keyval(s,    i, j) {
        K = ""; V = ""
        if (s ~ /^"/ || s ~ /^\047/) {
            j = index(substr(s, 2), substr(s, 1, 1))
            if (!j) return 0
            K = substr(s, 2, j - 1); s = substr(s, j + 2)
            if (s !~ /^[ \t]*:([ \t]|$)/) return 0
            sub(/^[ \t]*:/, "", s); V = trim(s)
            return 1
        }
        i = index(s, ": ")
        if (!i && s ~ /:$/) i = length(s)
        if (!i) return 0
        K = trim(substr(s, 1, i - 1)); V = trim(substr(s, i + 1))
        return K != "" && K !~ /[{}\[\],]/
    }
    # A flow mapping "{k: v, ...}" under prefix p; item: the costs item it names, or 0.
    function flowmap(s, p, item,    inner, n, ents, i, c, q, d, start, e) {
        s = trim(s); inner = substr(s, 2); sub(/}[ \t]*$/, "", inner)
        n = 0; q = ""; d = 0; start = 1
        for (i = 1; i <= length(inner) + 1; i++) {
            c = i <= length(inner) ? substr(inner, i, 1) : ","
            if (q != "") { if (c == q) q = ""; continue }
            if ((c == "\"" || c == "\047") && opens(inner, i)) q = c
            else if (c == "{" || c == "[") d++
            else if (c == "}" || c == "]") d--
            else if (c == "," && d == 0) {
                e = trim(substr(inner, start, i - start)); start = i + 1
                if (e != "") ents[++n] = e
            }
        }
        for (i = 1; i <= n; i++)
            if (keyval(ents[i]) && (K in MOD) && p != "variables" && !item) {
                if (K == "catalog" && p ~ /[.]price_per_million$/) { prices(p); break }
                emit(p); return
            }
        for (i = 1; i <= n; i++) {
            if (!keyval(ents[i])) continue
            if (item && K == "name") { name[item] = unq(V); continue }
            if (K == "catalog") continue
            if (V ~ /^{/) flowmap(V, p "." K, 0)
            else emit(p "." K)
        }
    }
    function line(l,    ind, s, top, key, val, parent, full) {
        match(l, /^[ ]*/); ind = RLENGTH; s = substr(l, ind + 1)
        if (blockind >= 0) { if (ind > blockind) return; blockind = -1 }
        # "- " items, nested ones too: an item of costs is named by its name; an item
        # of another list makes that list one value.
        while (s ~ /^-([ \t]|$)/) {
            while (sp > 0 && (sind[sp] > ind || (sind[sp] == ind && sitem[sp]))) sp--
            parent = path()
            if (parent == "costs" && !(sp > 0 && sskip[sp])) {
                nitems++; push(ind, "\001" nitems "\002", nitems, 0)
            } else {
                if (!(sp > 0 && sskip[sp])) emit(parent)
                push(ind, "-", -1, 1)
            }
            s = substr(s, 2); match(s, /^[ \t]*/); ind += 1 + RLENGTH; s = substr(s, RLENGTH + 1)
            if (s == "") return
        }
        if (sp > 0 && sitem[sp] && sind[sp] < ind && s ~ /^{/) {
            if (!sskip[sp]) flowmap(s, path(), sitem[sp] > 0 ? sitem[sp] : 0)
            return
        }
        if (!keyval(s)) return
        key = K; val = V
        while (sp > 0 && sind[sp] >= ind) sp--
        if (sp > 0 && sskip[sp]) { push(ind, key, 0, 1); return }
        parent = path(); full = parent == "" ? key : parent "." key
        if (parent == "" && key == "extends") { print "@extends " unq(val); return }
        if (parent == "" && (key == "correlations" || key == "actuals")) {
            push(ind, key, 0, 1); return
        }
        if (sp > 0 && sitem[sp] > 0 && key == "name") { name[sitem[sp]] = unq(val); return }
        if (key == "catalog" && parent ~ /[.]price_per_million$/) { prices(parent); return }
        if ((key in MOD) && parent != "" && parent != "variables") {
            emit(parent); push(ind, key, 0, 1); return
        }
        if (val == "") { push(ind, key, 0, 0); return }
        if (val ~ /^[|>]/) { emit(full); blockind = ind; return }
        if (val ~ /^{/) { flowmap(val, full, 0); return }
        emit(full)
    }
    BEGIN {
        split("normal lognormal uniform triangular pert beta gamma poisson bernoulli " \
              "discrete schedule catalog vary clamp", m, " ")
        for (i in m) MOD[m[i]] = 1
        sp = 0; blockind = -1; buf = ""
    }
    {
        l = nocomment($0)
        if (buf != "") { buf = buf " " trim(l); if (depth(buf) > 0) next; l = buf; buf = "" }
        else if (depth(l) > 0) { buf = l; next }
        if (l ~ /^[ \t]*$/ || l ~ /^(---|\.\.\.)/) next
        line(l)
    }
    END {
        for (i = 1; i <= nout; i++) {
            p = out[i]
            if ((a = index(p, "\001"))) {
                b = index(p, "\002"); id = substr(p, a + 1, b - a - 1)
                if (!(id in name) || name[id] == "") continue
                p = substr(p, 1, a - 1) name[id] substr(p, b + 1)
            }
            if (p != "costs" && !(p in seen)) { seen[p] = 1; print p }
        }
    }' "$1" 2>/dev/null
}

# _runrate_scenario_paths WORDS...: the paths of every *.yaml among WORDS that is a file,
# and of the files they extend (relative to their own folder, 16 deep at most).
_runrate_scenario_paths()
{
    local w f base dir n line
    for w in "$@"; do
        case $w in *.yaml|*.yml) ;; *) continue ;; esac
        f=$w
        # shellcheck disable=SC2088 # a ~/ typed on the line, not expanded by bash there
        case $f in "~/"*) f=$HOME/${f#"~/"} ;; esac
        n=0
        while [ -f "$f" ] && [ -r "$f" ] && [ "$n" -lt 16 ]; do
            base=
            while IFS= read -r line; do
                case $line in "@extends "*) base=${line#@extends } ;; *) printf '%s\n' "$line" ;; esac
            done < <(_runrate_paths "$f")
            [ -n "$base" ] || break
            case $base in /*) f=$base ;; *) dir=${f%/*}; [ "$dir" = "$f" ] && dir=.; f=$dir/$base ;; esac
            n=$((n + 1))
        done
    done | LC_ALL=C sort -u
}

_runrate()
{
    local cur prev opt cmd opts
    COMPREPLY=()
    cur=${COMP_WORDS[COMP_CWORD]}
    prev=
    [ "$COMP_CWORD" -gt 0 ] && prev=${COMP_WORDS[COMP_CWORD - 1]}
    # --opt=value: bash splits the word at "=" (COMP_WORDBREAKS).
    opt=$prev
    if [ "$cur" = "=" ]; then
        cur=
    elif [ "$prev" = "=" ] && [ "$COMP_CWORD" -gt 1 ]; then
        opt=${COMP_WORDS[COMP_CWORD - 2]}
    fi

    if [ "$COMP_CWORD" -eq 1 ]; then
        mapfile -t COMPREPLY < <(compgen -W "run compare validate track prices schema --help --version" -- "$cur")
        return 0
    fi
    cmd=${COMP_WORDS[1]}

    case $opt in
        --format)
            if [ "$cmd" = prices ]; then opts="table json"; else opts="table json csv md html"; fi
            mapfile -t COMPREPLY < <(compgen -W "$opts" -- "$cur")
            return 0 ;;
        --catalog)
            compopt -o filenames 2>/dev/null
            mapfile -t COMPREPLY < <(compgen -d -- "$cur")
            return 0 ;;
        --out)
            compopt -o filenames 2>/dev/null
            mapfile -t COMPREPLY < <(compgen -f -- "$cur")
            return 0 ;;
        --actuals|--demand)
            compopt -o filenames 2>/dev/null
            mapfile -t COMPREPLY < <(compgen -f -X '!*.[cC][sS][vV]' -- "$cur"; compgen -d -- "$cur")
            return 0 ;;
        --cost-column)
            mapfile -t COMPREPLY < <(compgen -W "EffectiveCost BilledCost ListCost ContractedCost" -- "$cur")
            return 0 ;;
        --on)
            mapfile -t COMPREPLY < <(compgen -W "mean quantile" -- "$cur")
            return 0 ;;
        --set|--sweep|--break-even)
            # PATH and then "=", with no space after it; the value is not completed.
            mapfile -t COMPREPLY < <(compgen -W "$(_runrate_scenario_paths "${COMP_WORDS[@]:2}")" \
                                             -S = -- "$cur")
            compopt -o nospace 2>/dev/null
            return 0 ;;
        --paths|--seed|--threads|--percentiles|--precision|--max-paths|--swings|--through|--tolerance)
            return 0 ;;
    esac
    # the value after "--set PATH=" and the like
    [ "$prev" = "=" ] && return 0

    case $cmd in
        run) opts="--paths --seed --threads --format --out --percentiles --precision --max-paths
                   --quiet --no-warnings --strict --catalog --swings --partial --set --sweep
                   --break-even --on --help" ;;
        compare) opts="--paths --seed --threads --format --out --set --sweep --break-even --on
                       --quiet --no-warnings --strict --catalog --help" ;;
        validate) opts="--strict --no-warnings --catalog --help" ;;
        track) opts="--actuals --demand --through --tolerance --cost-column --paths --max-paths
                     --seed --threads --format --out --set --quiet --no-warnings --strict
                     --catalog --help" ;;
        prices) opts="--format --catalog --help" ;;
        schema) opts="--out --help" ;;
        *) return 0 ;;
    esac
    if [[ $cur == -* ]]; then
        mapfile -t COMPREPLY < <(compgen -W "$opts" -- "$cur")
        return 0
    fi
    case $cmd in
        run|compare|validate|track)
            compopt -o filenames 2>/dev/null
            mapfile -t COMPREPLY < <(compgen -f -X '!*.yaml' -- "$cur"; compgen -f -X '!*.yml' -- "$cur"
                                     compgen -d -- "$cur") ;;
    esac
    return 0
}
complete -F _runrate runrate
