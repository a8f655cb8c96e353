#!/usr/bin/env bash
# bench/pathways: pathway-audit with every bundled pathway on scored people.
#   PEOPLE=1000000 bench/pathways/run.sh
# Needs a release build (make release). Uses the scored people of bench/mdt (generating them the
# first time, as bench/mdt/run.sh does); prints a results table.
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=bench/out
BIN=.build/release
mkdir -p "$OUT"
. bench/lib.sh
scored_bench pathway-audit
echo "input: $PEOPLE scored people, $((BYTES / 1000000)) MB ($(nproc) cores), $(ls examples/pathways/*.yaml | wc -l) pathways, as of $AS_OF"

table_header
measure "pathway-audit, all pathways (to /dev/null)" $BIN/pathway-audit "$SCORED" --pathways examples/pathways --as-of "$AS_OF" -q -o /dev/null
measure "pathway-audit --threads 1 (to /dev/null)" $BIN/pathway-audit "$SCORED" --pathways examples/pathways --as-of "$AS_OF" --threads 1 -q -o /dev/null
measure "pathway-audit --summary" $BIN/pathway-audit "$SCORED" --pathways examples/pathways --as-of "$AS_OF" --summary -q -o "$OUT/pathway-summary.jsonl"
