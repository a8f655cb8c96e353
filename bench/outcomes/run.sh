#!/usr/bin/env bash
# bench/outcomes: outcome-report on scored people (the people of bench/mdt, generated the first time).
#   PEOPLE=1000000 PRACTICES=200 bench/outcomes/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
PEOPLE=${PEOPLE:-1000000}
PRACTICES=${PRACTICES:-200}
AS_OF=${AS_OF:-2026-04-01}
OUT=bench/out
BIN=.build/release
mkdir -p "$OUT"
[ -x $BIN/outcome-report ] || { echo "bench: build first (make release)"; exit 69; }
. bench/lib.sh
SCORED=$(scored_people "$PEOPLE" "$PRACTICES" "$AS_OF")
BYTES=$(wc -c < "$SCORED")
echo "input: $PEOPLE scored people in $PRACTICES practices, $((BYTES / 1000000)) MB ($(nproc) cores), as of $AS_OF"
COUNT=$PEOPLE
UNIT=people
IN_BYTES=$BYTES
printf "%-52s %10s %19s %13s %15s\n" "program" "wall" "people/s" "MB/s" "peak RSS"
measure "outcome-report (HTML)" $BIN/outcome-report "$SCORED" --as-of "$AS_OF" -q -o "$OUT/outcome-report.html"
measure "outcome-report --threads 1 (HTML)" $BIN/outcome-report "$SCORED" --as-of "$AS_OF" --threads 1 -q -o /dev/null
measure "outcome-report --format csv" $BIN/outcome-report "$SCORED" --as-of "$AS_OF" --format csv -q -o /dev/null
