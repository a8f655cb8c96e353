#!/usr/bin/env bash
# bench/xml: ingest-gp reading GP2GP XML, against xmllint --stream (libxml2 reading the same
# file and building nothing: the floor) and a Python standard-library peer; then a FHIR Bulk
# Data (NDJSON) export against Python's json module.
#   MB=1000 bench/xml/run.sh        (default 1000 MB: about 5,000 extracts, 1.3 million entries)
#   PEERS=0 bench/xml/run.sh        (ingest-gp and the floor only)
# Needs a release build (make release), xmllint (apt-get install libxml2-utils) and python3.
# Writes data and outputs under bench/out/ (git-ignored) and a results table to stdout.
set -euo pipefail
cd "$(dirname "$0")/../.."
MB=${MB:-1000}
OUT=bench/out
DATA=$OUT/gp2gp-$MB.xml
SPLIT=$OUT/gp2gp-$MB-files
BIN=.build/release
mkdir -p "$OUT"
command -v xmllint >/dev/null || { echo "bench: xmllint is missing (apt-get install libxml2-utils)"; exit 69; }
[ -x $BIN/ingest-gp ] || { echo "bench: build first (make release)"; exit 69; }

if [ ! -f "$DATA" ]; then
  echo "generating $MB MB of GP2GP extracts in $DATA (and one file per extract in $SPLIT) ..." >&2
  rm -rf "$SPLIT"; mkdir -p "$SPLIT"
  python3 bench/xml/make_gp2gp.py "$MB" "$DATA" 42 --split "$SPLIT"
fi
IN_BYTES=$(wc -c < "$DATA")
$BIN/ingest-gp gp2gp:"$DATA" -o /dev/null 2> "$OUT/xml-summary.txt"
COUNT=$(sed -n 's/.*read \([0-9]*\) records.*/\1/p' "$OUT/xml-summary.txt")
PEOPLE=$(sed -n 's/.*; \([0-9]*\) people.*/\1/p' "$OUT/xml-summary.txt")
echo "input: $PEOPLE extracts, $COUNT entries (records), $((IN_BYTES / 1000000)) MB in one file ($(nproc) cores)"

. bench/lib.sh
UNIT=records
table_header
measure "xmllint --stream --noout (floor: parse only)" xmllint --stream --noout "$DATA"; T_FLOOR=$(cat $OUT/last.secs)
measure "ingest-gp gp2gp:FILE (to /dev/null)" $BIN/ingest-gp -q gp2gp:"$DATA" -o /dev/null; T_NULL=$(cat $OUT/last.secs)
measure "ingest-gp gp2gp:FILE (to file)" $BIN/ingest-gp -q gp2gp:"$DATA" -o "$OUT/gp2gp-people.jsonl"
measure "ingest-gp gp2gp:FILE --memory 32M" $BIN/ingest-gp -q --memory 32M gp2gp:"$DATA" -o /dev/null
measure "ingest-gp gp2gp:DIR (one file per extract, 2 readers)" $BIN/ingest-gp -q gp2gp:"$SPLIT" -o /dev/null; T_DIR=$(cat $OUT/last.secs)
echo
echo "ingest-gp / floor (one file): $(echo "$T_NULL / $T_FLOOR" | bc -l | cut -c1-4)x the time of parsing alone"
if [ "${PEERS:-1}" != 0 ]; then
  measure "python3 peer_iterparse.py (stdlib ElementTree)" python3 bench/xml/peer_iterparse.py "$DATA" "$OUT/gp2gp-peer.jsonl"; T_PY=$(cat $OUT/last.secs)
  echo "ratio (peer wall / ingest-gp wall, one file): Python $(echo "$T_PY / $T_NULL" | bc -l | cut -c1-4)x"
fi

# FHIR Bulk Data (NDJSON): 20,000 patients and 400,000 observations, one resource per line.
NDJSON=$OUT/fhir-ndjson
[ -f "$NDJSON/Observation.ndjson" ] || python3 bench/xml/make_fhir_ndjson.py 20000 400000 "$NDJSON"
IN_BYTES=$(cat "$NDJSON"/*.ndjson | wc -c)
COUNT=420000
echo
echo "input: FHIR NDJSON, 420,000 resources (20,000 Patients, 400,000 Observations), $((IN_BYTES / 1000000)) MB"
measure "ingest-gp fhir:DIR (NDJSON)" $BIN/ingest-gp -q fhir:"$NDJSON" -o /dev/null
[ "${PEERS:-1}" = 0 ] && exit 0
measure "python3 peer_ndjson.py (json module, in memory)" python3 bench/xml/peer_ndjson.py "$NDJSON" "$OUT/fhir-peer.jsonl"
