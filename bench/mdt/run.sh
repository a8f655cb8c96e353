#!/usr/bin/env bash
# bench/mdt: mdt-list on scored people of many practices (the nightly job's last step).
#   PEOPLE=1000000 PRACTICES=200 bench/mdt/run.sh
# Needs a release build (make release). Generates the people (synth-extract → ingest-gp →
# risk-score) under bench/out/ (git-ignored) the first time; prints a results table.
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=bench/out
BIN=.build/release
mkdir -p "$OUT"
. bench/lib.sh
scored_bench mdt-list
echo "input: $PEOPLE scored people in $PRACTICES practices, $((BYTES / 1000000)) MB ($(nproc) cores), as of $AS_OF"

table_header
measure "mdt-list --top 20 (jsonl)" $BIN/mdt-list "$SCORED" --as-of "$AS_OF" --top 20 -q -o "$OUT/mdt.jsonl"
measure "mdt-list --where … --top 20" $BIN/mdt-list "$SCORED" --as-of "$AS_OF" --top 20 -q -o /dev/null \
  --where 'age >= 65 and (risk.efi.category >= mild or risk.hfrs.score >= 5 or count(encounters where kind = "admission" and method = "emergency" in last 365d) >= 2)'
measure "mdt-list --top-percent 2 (reads the input twice)" $BIN/mdt-list "$SCORED" --as-of "$AS_OF" --top-percent 2 -q -o /dev/null
measure "mdt-list --top 20 --format html --out-dir" $BIN/mdt-list "$SCORED" --as-of "$AS_OF" --top 20 -q --format html --out-dir "$OUT/mdt-lists"
measure "cat (the floor)" cat "$SCORED"
echo "lists: $(grep -c . "$OUT/mdt.jsonl") people in $(ls "$OUT/mdt-lists" | grep -c html) files"
