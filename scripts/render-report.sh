#!/usr/bin/env bash
# Renders an outcome-report HTML file to PNG in a real headless browser (Debian's chromium) and
# checks the result: chromium must load it without network access and the picture must not be
# blank (a test runs it so). The README's pictures are printed pages: scripts/render-pages.sh, make pictures.
#   scripts/render-report.sh [REPORT.html] [OUT.png]      (apt-get install chromium)
set -euo pipefail
cd "$(dirname "$0")/.."
HTML=${1:-out/outcome-report.html}
PNG=${2:-out/outcome-report.png}
case "$HTML" in /*) ;; *) HTML="$PWD/$HTML" ;; esac
case "$PNG" in /*) ;; *) PNG="$PWD/$PNG" ;; esac
BROWSER=$(command -v chromium || command -v chromium-browser || true)
[ -n "$BROWSER" ] || { echo "render-report: chromium is missing (apt-get install chromium)" >&2; exit 69; }
[ -f "$HTML" ] || { echo "render-report: no $HTML (make demo writes out/outcome-report.html)" >&2; exit 66; }
PROFILE=$(mktemp -d)
trap 'rm -rf "$PROFILE"' EXIT
# No network: the report must be self-contained (a proxy that does not exist blocks every fetch).
"$BROWSER" --headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$PROFILE" \
    --proxy-server=127.0.0.1:9 --window-size=900,2400 --screenshot="$PNG" "file://$HTML" 2>"$PROFILE/log" \
    || { cat "$PROFILE/log" >&2; exit 70; }
SIZE=$(wc -c < "$PNG")
[ "$SIZE" -gt 20000 ] || { echo "render-report: $PNG is only $SIZE bytes: is the page blank?" >&2; exit 70; }
echo "render-report: $HTML rendered to $PNG ($SIZE bytes)"
