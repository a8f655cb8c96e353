#!/usr/bin/env bash
# bench/model: risk-model fitting and validating the admission model, and what scoring it adds
# to risk-score, on the generated people of bench/mdt (1,000,000 by default, made the first time).
#   PEOPLE=1000000 bench/model/run.sh
#   SCORED=/path/scored.jsonl PEOPLE=1000000 bench/model/run.sh   (people already made)
# The fit day is a year before AS_OF and the validation day AS_OF minus the horizon, so the
# outcome windows end inside the generated records. Needs a release build (make release).
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=bench/out
BIN=${BIN:-.build/release}
mkdir -p "$OUT"
. bench/lib.sh
scored_bench risk-model
FIT=${FIT:-2024-04-01}
VALIDATE=${VALIDATE:-2025-04-01}
echo "input: $PEOPLE people, $((BYTES / 1000000)) MB ($(nproc) cores); fit on $FIT, validated on $VALIDATE, scored on $AS_OF"
table_header
measure "risk-model: features and fit" $BIN/risk-model "$SCORED" --as-of "$FIT" -q -o "$OUT/admission-model.json"
measure "risk-model: fit, temporal validation, HTML card" $BIN/risk-model "$SCORED" --as-of "$FIT" --validate-as-of "$VALIDATE" \
  -q -o "$OUT/admission-model.json" --card "$OUT/model-card.html"
measure "risk-model --threads 1: features and fit" $BIN/risk-model "$SCORED" --as-of "$FIT" --threads 1 -q -o /dev/null
# What scoring the model adds to risk-score (the issue's bound: 10 %).
for i in 1 2; do
  measure "risk-score efi,hfrs,charlson" $BIN/risk-score "$SCORED" --models efi,hfrs,charlson --as-of "$AS_OF" -q -o /dev/null
  measure "risk-score efi,hfrs,charlson,admission" $BIN/risk-score "$SCORED" --models "efi,hfrs,charlson,admission:$OUT/admission-model.json" \
    --as-of "$AS_OF" -q -o /dev/null
done
