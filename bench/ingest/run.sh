#!/usr/bin/env bash
# bench/ingest: ingest-gp against peers on the same generated extract.
#   PEOPLE=1000000 bench/ingest/run.sh      (default 1,000,000 people; ~44 rows each)
#   PEERS=0 bench/ingest/run.sh             (ingest-gp only)
# Needs a release build (make release), Miller (apt-get install miller) and python3.
# Writes data and outputs under bench/out/ (git-ignored) and a results table to stdout.
set -euo pipefail
cd "$(dirname "$0")/../.."
PEOPLE=${PEOPLE:-1000000}
OUT=bench/out
DATA=$OUT/tables-$PEOPLE
BIN=.build/release
mkdir -p "$OUT"
command -v mlr >/dev/null || { echo "bench: Miller is missing (apt-get install miller)"; exit 69; }
[ -x $BIN/ingest-gp ] || { echo "bench: build first (make release)"; exit 69; }

if [ ! -f "$DATA/patients.csv" ]; then
  echo "generating $PEOPLE people in $DATA ..." >&2
  $BIN/synth-extract --people "$PEOPLE" --seed 42 --out "$DATA" -q
fi
ROWS=$(( $(cat "$DATA"/*.csv | wc -l) - $(ls "$DATA"/*.csv | wc -l) ))
BYTES=$(cat "$DATA"/*.csv | wc -c)
echo "input: $PEOPLE people, $ROWS rows, $((BYTES / 1000000)) MB in $(ls "$DATA"/*.csv | wc -l) tables ($(nproc) cores)"

. bench/lib.sh
COUNT=$ROWS
UNIT=rows
IN_BYTES=$BYTES

table_header
measure "ingest-gp (to file)" $BIN/ingest-gp "$DATA" -q -o "$OUT/people.jsonl"; T_FILE=$(cat $OUT/last.secs)
measure "ingest-gp (to /dev/null)" $BIN/ingest-gp "$DATA" -q -o /dev/null; T_NULL=$(cat $OUT/last.secs)
measure "ingest-gp --memory 64M" $BIN/ingest-gp "$DATA" -q --memory 64M -o /dev/null
[ "${PEERS:-1}" = 0 ] && exit 0
measure "mlr --icsv --ojsonl cat (no grouping)" bash -c "for f in $DATA/*.csv; do mlr --icsv --ojsonl cat \$f; done > $OUT/mlr.jsonl"; T_MLR=$(cat $OUT/last.secs)
measure "python3 group_csv.py" python3 bench/ingest/group_csv.py "$DATA" "$OUT/python.jsonl"; T_PY=$(cat $OUT/last.secs)
echo
echo "ratios (peer wall / ingest-gp wall, to file): Miller $(echo "$T_MLR / $T_FILE" | bc -l | cut -c1-4)x, Python $(echo "$T_PY / $T_FILE" | bc -l | cut -c1-4)x"
echo "output: $(wc -l < $OUT/people.jsonl) people, $(( $(wc -c < $OUT/people.jsonl) / 1000000 )) MB"
