#!/usr/bin/env bash
# bench/risk: risk-score on generated person records, against comorbidipy's CLI on the same people.
#   PEOPLE=1000000 bench/risk/run.sh     (default 1,000,000 people; ~4.8 KB each)
#   PEERS=0 bench/risk/run.sh            (risk-score only)
# Needs a release build (make release). The peer needs comorbidipy 0.8.0 under Python >= 3.13:
#   PYENV_VERSION=3.13.0 pyenv exec python -m venv bench/out/cmb && bench/out/cmb/bin/pip install comorbidipy==0.8.0
# Writes data and outputs under bench/out/ (git-ignored) and a results table to stdout.
set -euo pipefail
cd "$(dirname "$0")/../.."
PEOPLE=${PEOPLE:-1000000}
AS_OF=${AS_OF:-2026-04-01}
OUT=bench/out
DATA=$OUT/tables-$PEOPLE
JSONL=$OUT/people-$PEOPLE.jsonl
BIN=.build/release
CMB=${CMB:-$OUT/cmb/bin/comorbidipy}
mkdir -p "$OUT"
[ -x $BIN/risk-score ] || { echo "bench: build first (make release)"; exit 69; }

if [ ! -f "$JSONL" ]; then
  if [ ! -f "$DATA/patients.csv" ]; then
    echo "generating $PEOPLE people in $DATA ..." >&2
    $BIN/synth-extract --people "$PEOPLE" --seed 42 --out "$DATA" -q
  fi
  echo "joining them into $JSONL ..." >&2
  $BIN/ingest-gp "$DATA" -q -o "$JSONL"
fi
BYTES=$(wc -c < "$JSONL")
echo "input: $PEOPLE people, $((BYTES / 1000000)) MB of person JSON Lines ($(nproc) cores), as of $AS_OF"

. bench/lib.sh
COUNT=$PEOPLE
UNIT=people
IN_BYTES=$BYTES

table_header
measure "risk-score, all five models (to file)" $BIN/risk-score "$JSONL" --as-of "$AS_OF" -q -o "$OUT/scored.jsonl"
measure "risk-score, all five models (to /dev/null)" $BIN/risk-score "$JSONL" --as-of "$AS_OF" -q -o /dev/null
measure "risk-score --threads 1 (to /dev/null)" $BIN/risk-score "$JSONL" --as-of "$AS_OF" --threads 1 -q -o /dev/null
measure "risk-score charlson,elixhauser,hfrs (to file)" $BIN/risk-score "$JSONL" --models charlson,elixhauser,hfrs --as-of "$AS_OF" -q -o "$OUT/scored3.jsonl"
measure "risk-score charlson,elixhauser,hfrs --format csv" $BIN/risk-score "$JSONL" --models charlson,elixhauser,hfrs --format csv --as-of "$AS_OF" -q -o "$OUT/scores3.csv"
T_OURS=$(cat $OUT/last.secs)
[ "${PEERS:-1}" = 0 ] && exit 0
[ -x "$CMB" ] || { echo "bench: comorbidipy 0.8.0 is missing at $CMB (see the top of this script)"; exit 69; }

measure "python3 to_comorbidipy.py (its input, from the JSONL)" python3 bench/risk/to_comorbidipy.py "$JSONL" "$AS_OF" "$OUT/codes-5y.csv" "$OUT/codes-2y.csv"
T_PREP=$(cat $OUT/last.secs)
echo "comorbidipy input: $(( $(wc -l < $OUT/codes-5y.csv) - 1 )) codes in 5 years ($(( $(wc -c < $OUT/codes-5y.csv) / 1000000 )) MB), $(( $(wc -l < $OUT/codes-2y.csv) - 1 )) in 2 years"
IN_BYTES=$(wc -c < "$OUT/codes-5y.csv")
measure "comorbidipy charlson (quan weights)" "$CMB" -q charlson "$OUT/codes-5y.csv" "$OUT/cmb-charlson.csv"; T1=$(cat $OUT/last.secs)
measure "comorbidipy elixhauser (van_walraven)" "$CMB" -q elixhauser "$OUT/codes-5y.csv" "$OUT/cmb-elix.csv" --weights van_walraven; T2=$(cat $OUT/last.secs)
IN_BYTES=$(wc -c < "$OUT/codes-2y.csv")
measure "comorbidipy hfrs" "$CMB" -q hfrs-cmd "$OUT/codes-2y.csv" "$OUT/cmb-hfrs.csv"; T3=$(cat $OUT/last.secs)
T_PEER=$(echo "$T1 + $T2 + $T3" | bc -l)
echo
echo "comorbidipy, three scores: $(printf %.2f "$T_PEER") s = $(printf %.0f "$(echo "$PEOPLE / $T_PEER" | bc -l)") people/s"
echo "ratio, comorbidipy on its prepared CSV (three runs) / risk-score --format csv (one run): $(printf %.2f "$(echo "$T_PEER / $T_OURS" | bc -l)")x"
echo "ratio, preparation from the JSONL + comorbidipy / risk-score --format csv: $(printf %.2f "$(echo "($T_PREP + $T_PEER) / $T_OURS" | bc -l)")x"
