#!/usr/bin/env bash
# Renders an ORCA-J report.html in a real headless browser (Debian's chromium) and checks that it drew: the DOM
# after rendering must hold the comparison table and at least three SVG charts, and the screenshot must not be blank.
# Usage: docs/check-report-render.sh orca-runs/<run>/report.html [out.png]
# Not part of the CI test suite (it needs chromium: apt-get install chromium).
set -euo pipefail
html=$(readlink -f "$1"); png=${2:-/tmp/orca-report.png}
command -v chromium >/dev/null || { echo "chromium is not installed (apt-get install chromium)" >&2; exit 2; }
flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking
       --disable-component-update --disable-sync --user-data-dir="$(mktemp -d)")
dom=$(chromium "${flags[@]}" --dump-dom "file://$html" 2>/dev/null)
svgs=$(grep -o '<svg' <<<"$dom" | wc -l); tables=$(grep -o '<table' <<<"$dom" | wc -l); lines=$(grep -o '<polyline' <<<"$dom" | wc -l)
chromium "${flags[@]}" --window-size=1100,1400 --screenshot="$png" "file://$html" >/dev/null 2>&1
size=$(stat -c %s "$png")
echo "rendered $html: $tables table(s), $svgs svg chart(s), $lines line series; screenshot $png ($size bytes)"
[ "$tables" -ge 1 ] && [ "$svgs" -ge 3 ] && [ "$lines" -ge 1 ] && [ "$size" -gt 20000 ] || { echo "report did not render as expected" >&2; exit 1; }
