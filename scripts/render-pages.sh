#!/usr/bin/env bash
# Prints an HTML page (an outcome report or an MDT agenda) to PDF in headless chromium, as a
# reader's browser would print it to A4, and turns each page into a PNG:
#   scripts/render-pages.sh PAGE.html OUT_PREFIX
# writes OUT_PREFIX.pdf and OUT_PREFIX-1.png, OUT_PREFIX-2.png, … (pdftoppm, from poppler-utils),
# and prints the page count. No network: the page must be self-contained.
# The pictures in docs/ are made with `scripts/render-pages.sh` from `make demo` (docs/printing.md).
set -euo pipefail
HTML=${1:?usage: render-pages.sh PAGE.html OUT_PREFIX}
OUT=${2:?usage: render-pages.sh PAGE.html OUT_PREFIX}
case "$HTML" in /*) ;; *) HTML="$PWD/$HTML" ;; esac
BROWSER=$(command -v chromium || command -v chromium-browser || true)
[ -n "$BROWSER" ] || { echo "render-pages: chromium is missing (apt-get install chromium)" >&2; exit 69; }
command -v pdftoppm >/dev/null || { echo "render-pages: pdftoppm is missing (apt-get install poppler-utils)" >&2; exit 69; }
[ -f "$HTML" ] || { echo "render-pages: no $HTML" >&2; exit 66; }
PROFILE=$(mktemp -d)
trap 'rm -rf "$PROFILE"' EXIT
"$BROWSER" --headless --no-sandbox --disable-gpu --user-data-dir="$PROFILE" --proxy-server=127.0.0.1:9 \
    --no-pdf-header-footer --print-to-pdf="$OUT.pdf" "file://$HTML" 2>"$PROFILE/log" || { cat "$PROFILE/log" >&2; exit 70; }
rm -f "$OUT"-*.png
pdftoppm -r "${DPI:-60}" -png "$OUT.pdf" "$OUT"
# pdftoppm numbers pages with as many digits as the count needs (-01 for 10 or more); make it -1.
for f in "$OUT"-0*.png; do [ -e "$f" ] && mv "$f" "$(echo "$f" | sed -E 's/-0+([1-9][0-9]*)\.png$/-\1.png/')"; done
PAGES=$(ls "$OUT"-*.png | wc -l)
echo "render-pages: $HTML printed to $OUT.pdf: $PAGES pages"
