#!/usr/bin/env bash
# bench/outcomes: outcome-report on scored people (the people of bench/mdt, generated the first time).
#   PEOPLE=1000000 PRACTICES=200 bench/outcomes/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=bench/out
BIN=.build/release
mkdir -p "$OUT"
. bench/lib.sh
scored_bench outcome-report
echo "input: $PEOPLE scored people in $PRACTICES practices, $((BYTES / 1000000)) MB ($(nproc) cores), as of $AS_OF"
table_header
measure "outcome-report (HTML)" $BIN/outcome-report "$SCORED" --as-of "$AS_OF" -q -o "$OUT/outcome-report.html"
measure "outcome-report --threads 1 (HTML)" $BIN/outcome-report "$SCORED" --as-of "$AS_OF" --threads 1 -q -o /dev/null
measure "outcome-report --format csv" $BIN/outcome-report "$SCORED" --as-of "$AS_OF" --format csv -q -o /dev/null
