#!/usr/bin/env bash
# bench/jsonl: the person JSON Lines record path (read, validate, write) against Python peers.
#   PEOPLE=100000 bench/jsonl/run.sh
# Input: ingest-gp's output for a generated extract (made here if missing, under bench/out/).
set -euo pipefail
cd "$(dirname "$0")/../.."
PEOPLE=${PEOPLE:-100000}
OUT=bench/out
BIN=.build/release
mkdir -p "$OUT"
[ -x $BIN/jsonl-passthrough ] || { echo "bench: build first (make release)"; exit 69; }
IN=$OUT/people-$PEOPLE.jsonl
if [ ! -f "$IN" ]; then
  [ -f "$OUT/tables-$PEOPLE/patients.csv" ] || $BIN/synth-extract --people "$PEOPLE" --seed 42 --out "$OUT/tables-$PEOPLE" -q
  $BIN/ingest-gp "$OUT/tables-$PEOPLE" -q -o "$IN"
fi
BYTES=$(wc -c < "$IN"); LINES=$(wc -l < "$IN")
echo "input: $LINES people, $((BYTES / 1000000)) MB of person JSON Lines ($(nproc) cores)"
printf "%-44s %8s %10s %12s %10s\n" "program" "wall" "MB/s" "people/s" "peak RSS"
measure() {
  local name=$1; shift
  local log; log=$(mktemp)
  /usr/bin/time -f "%e %M" -o "$log" "$@" > /dev/null
  read -r secs rss < "$log"; rm -f "$log"
  printf "%-44s %7.2fs %10.0f %12.0f %7.0f MB\n" "$name" "$secs" "$(echo "$BYTES / 1000000 / $secs" | bc -l)" \
    "$(echo "$LINES / $secs" | bc -l)" "$(echo "$rss / 1024" | bc -l)"
}
measure "jsonl-passthrough (validate, copy)" $BIN/jsonl-passthrough "$IN"
measure "jsonl-passthrough --splice (add a key)" $BIN/jsonl-passthrough --splice "$IN"
measure "cat (the floor)" cat "$IN"
python3 -c "import orjson" 2>/dev/null && measure "python3 orjson loads+dumps" python3 bench/jsonl/passthrough.py orjson "$IN"
measure "python3 json loads+dumps" python3 bench/jsonl/passthrough.py json "$IN"
