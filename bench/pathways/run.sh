#!/usr/bin/env bash
# bench/pathways: pathway-audit with every bundled pathway on scored people.
#   PEOPLE=1000000 bench/pathways/run.sh
# Needs a release build (make release). Uses the scored people of bench/mdt (generating them the
# first time, as bench/mdt/run.sh does); prints a results table.
set -euo pipefail
cd "$(dirname "$0")/../.."
PEOPLE=${PEOPLE:-1000000}
PRACTICES=${PRACTICES:-200}
AS_OF=${AS_OF:-2026-04-01}
OUT=bench/out
BIN=.build/release
mkdir -p "$OUT"
[ -x $BIN/pathway-audit ] || { echo "bench: build first (make release)"; exit 69; }
. bench/lib.sh
SCORED=$(scored_people "$PEOPLE" "$PRACTICES" "$AS_OF")
BYTES=$(wc -c < "$SCORED")
echo "input: $PEOPLE scored people, $((BYTES / 1000000)) MB ($(nproc) cores), $(ls examples/pathways/*.yaml | wc -l) pathways, as of $AS_OF"

COUNT=$PEOPLE
UNIT=people
IN_BYTES=$BYTES
printf "%-52s %10s %19s %13s %15s\n" "program" "wall" "people/s" "MB/s" "peak RSS"
measure "pathway-audit, all pathways (to /dev/null)" $BIN/pathway-audit "$SCORED" --pathways examples/pathways --as-of "$AS_OF" -q -o /dev/null
measure "pathway-audit --threads 1 (to /dev/null)" $BIN/pathway-audit "$SCORED" --pathways examples/pathways --as-of "$AS_OF" --threads 1 -q -o /dev/null
measure "pathway-audit --summary" $BIN/pathway-audit "$SCORED" --pathways examples/pathways --as-of "$AS_OF" --summary -q -o "$OUT/pathway-summary.jsonl"
