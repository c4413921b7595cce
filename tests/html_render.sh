#!/bin/sh
# HTML render test: a real browser draws the HTML report of the support-agent scenario, and
# checks that no label overlaps another or is crossed by a marker line on any page.
# Headless Chromium (Debian's `chromium` package, installed here when missing) takes a
# screenshot and dumps the DOM it built; the screenshot must not be blank and the DOM must
# hold the six SVG charts, each with shapes drawn in it.  test_html.c checks the text of the
# page; this checks that a browser makes a page of it.
# usage: tests/html_render.sh RUNRATE
# Prints one line per failure and finally "html render: N passed, M failed".
R=${1:-./runrate}
. "$(dirname "$0")/lib.sh"
finish() {
    summary "html render"
    exit
}

# A 1280x3000 screenshot of an empty page is 17,430 bytes (Chromium 156, Debian 12), an
# empty page with the report's background and card 18,168, a few lines of text 24,434; the
# report itself is about 300,000.  100,000 is far above anything blank or nearly so, and
# far enough below the report that a font or antialiasing change cannot trip it.  A blank
# page rendered by the same browser is measured too, in case a future one compresses
# differently: the report must be at least five times larger.
MIN_PNG=100000

if ! command -v chromium >/dev/null 2>&1; then
    echo "html render: installing chromium (Debian package)"
    if [ "$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi
    $SUDO apt-get update -qq >/dev/null 2>&1
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null 2>&1
fi
if ! command -v chromium >/dev/null 2>&1; then
    bad "chromium is not installed and could not be installed"
    finish
fi

# The flags keep the browser from reaching out (updates, sync, metrics) and from needing a
# GPU or a sandbox, which containers lack; a fresh profile keeps runs independent.
browse() {
    chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --user-data-dir="$(mktemp -d "$T/profile.XXXXXX")" --window-size=1280,3000 "$@" \
        2>>"$T/chromium.log"
}
size() { wc -c <"$1" | tr -d ' '; }

if "$R" run scenarios/support-agent.yaml --paths 20000 --format html --out "$T/r.html" \
    2>"$T/err"; then ok; else bad "runrate run --format html failed: $(head -n 3 "$T/err")"; finish; fi

browse --screenshot="$T/r.png" "file://$T/r.html" >/dev/null
browse --dump-dom "file://$T/r.html" >"$T/dom.html"
printf '<!DOCTYPE html><html><body></body></html>\n' >"$T/blank.html"
browse --screenshot="$T/blank.png" "file://$T/blank.html" >/dev/null

if [ -s "$T/r.png" ]; then
    ok
    png=$(size "$T/r.png")
    [ "$png" -gt "$MIN_PNG" ] && ok || bad "screenshot is $png bytes, a blank page's size (min $MIN_PNG)"
    if [ -s "$T/blank.png" ]; then
        blank=$(size "$T/blank.png")
        [ "$png" -gt $((5 * blank)) ] && ok ||
            bad "screenshot is $png bytes, under five times a blank page's $blank"
    fi
    # Keep the picture for a person to look at when asked to.
    [ -n "$HTML_RENDER_KEEP" ] && cp "$T/r.png" "$T/r.html" "$HTML_RENDER_KEEP"/ 2>/dev/null
else
    bad "no screenshot (chromium: $(tail -n 2 "$T/chromium.log"))"
fi

[ -s "$T/dom.html" ] && ok || bad "chromium dumped no DOM"
grep -q '<h2>Economics</h2>' "$T/dom.html" && ok || bad "the DOM has no Economics section"
# Each chart: its <svg> element in the DOM the browser built, and at least a few shapes in
# it (an empty or misparsed chart has none: the parser moves stray elements out of it).
for id in fan exceedance stacked tornado spikes unit; do
    awk -v id="$id" '
        index($0, "<svg") && index($0, "id=\"" id "\"") { on = 1 }
        on { print }
        on && index($0, "</svg>") { exit }' "$T/dom.html" >"$T/svg-$id"
    if [ ! -s "$T/svg-$id" ]; then
        bad "no <svg id=\"$id\"> in the rendered DOM"
        continue
    fi
    n=$(grep -o '<\(path\|rect\|polygon\|polyline\|line\|circle\)[ />]' "$T/svg-$id" | wc -l)
    [ "$n" -ge 3 ] && ok || bad "chart $id has $n drawn elements, expected at least 3"
done

# No label over another, nor a budget, recommended or zero line through a label: every
# shipped scenario's report, a comparison with differences of both signs, and a sweep.  The
# browser measures the text boxes itself (tests/html_overlap.js, run on a copy of the page
# without its Content-Security-Policy, which forbids scripts); the page writes what it found
# into a <pre id="rr-overlaps"> of the DOM it dumps.
overlaps() {
    sed -e 's#<meta http-equiv="Content-Security-Policy"[^>]*>##' \
        -e 's#</body>#<script src="html_overlap.js"></script></body>#' "$1" >"$T/o.html"
    cp "$(dirname "$0")/html_overlap.js" "$T/html_overlap.js"
    browse --dump-dom "file://$T/o.html" | sed -n '/id="rr-overlaps"/,/<\/pre>/p' >"$T/o.txt"
    if grep -q 'OVERLAPS 0' "$T/o.txt"; then
        ok
    elif [ -s "$T/o.txt" ]; then
        bad "$2: labels overlap: $(sed 's/<[^>]*>//g' "$T/o.txt" | tr '\n' ';' | cut -c1-400)"
    else
        bad "$2: the overlap check did not run"
    fi
}
for s in scenarios/*.yaml; do
    "$R" run "$s" --paths 5000 --format html --quiet --no-warnings --out "$T/p.html" 2>/dev/null &&
        overlaps "$T/p.html" "$s" || bad "run $s --format html failed"
done
"$R" compare scenarios/support-agent.yaml scenarios/rag-assistant.yaml \
    scenarios/doc-processing.yaml scenarios/support-agent-selfhosted.yaml --paths 5000 \
    --format html --no-warnings --out "$T/p.html" 2>/dev/null &&
    overlaps "$T/p.html" "compare of the shipped scenarios" || bad "compare --format html failed"
"$R" run scenarios/support-agent.yaml --paths 5000 --format html --no-warnings \
    --sweep 'costs.chat-model.price_per_million.input=0.5,1,2,3,4,5,6,8,10,12,15,20,30' \
    --out "$T/p.html" 2>/dev/null &&
    overlaps "$T/p.html" "sweep of 13 values" || bad "run --sweep --format html failed"
# The track page: its two charts drawn, no label overlaps.
if "$R" track scenarios/support-agent.yaml --actuals scenarios/actuals/support-agent-2027q1.focus.csv \
    --actuals scenarios/actuals/support-agent-2027q1.invoices.csv --paths 5000 --max-paths 5000 \
    --format html --no-warnings --out "$T/t.html" 2>/dev/null; then
    overlaps "$T/t.html" "track of the shipped example"
    browse --dump-dom "file://$T/t.html" >"$T/tdom.html"
    for id in track-fan track-burnup; do
        n=$(awk -v id="$id" 'index($0, "<svg") && index($0, "id=\"" id "\"") { on = 1 }
            on { print } on && index($0, "</svg>") { exit }' "$T/tdom.html" |
            grep -o '<\(path\|rect\|polygon\|polyline\|line\|circle\)[ />]' | wc -l)
        [ "$n" -ge 3 ] && ok || bad "track chart $id has $n drawn elements, expected at least 3"
    done
else
    bad "track --format html failed"
fi

finish
