#!/usr/bin/env bash
# bench/spark: the nightly job on Spark in local[2] mode (examples/spark/nightly.py) against the
# same job as a plain single-machine pipe, on the same generated extract, in the same run: wall
# time, CPU time (user + system of the whole process tree), and the overhead Spark adds. The
# outputs are compared (people, lists, report) so the two measured the same work.
#   PEOPLE=1000000 PARTITIONS=8 bench/spark/run.sh
# Needs Java 17 and PySpark (a virtual environment is made the first time, as scripts/check-spark.sh
# makes it), and a release build (make release).
set -euo pipefail
cd "$(dirname "$0")/../.."
. bench/lib.sh
release_bench ingest-gp risk-score pathway-audit mdt-list outcome-report synth-extract
PEOPLE=${PEOPLE:-1000000}
PARTITIONS=${PARTITIONS:-8}
AS_OF=${AS_OF:-2026-04-01}
command -v java >/dev/null || { echo "bench: needs java (apt-get install openjdk-17-jre-headless)"; exit 69; }
PY=${JOINEDUP_SPARK_PYTHON:-/tmp/joinedup-spark-venv/bin/python}
if ! "$PY" -c 'import pyspark' 2>/dev/null; then
    python3 -m venv /tmp/joinedup-spark-venv && /tmp/joinedup-spark-venv/bin/pip install -q pyspark
    PY=/tmp/joinedup-spark-venv/bin/python
fi
export PYSPARK_PYTHON=$PY PYSPARK_DRIVER_PYTHON=$PY SPARK_LOCAL_IP=127.0.0.1
EXTRACT=$(extract_tables "$PEOPLE")
ROWS=$(cat "$EXTRACT/"*.csv | wc -l)
echo "input: $PEOPLE people, $ROWS rows, $(du -sm "$EXTRACT" | cut -f1) MB of tables ($(nproc) cores); $PARTITIONS partitions; as of $AS_OF"
LIST=(--where 'age >= 65 and (risk.efi.category >= mild or risk.hfrs.score >= 5)' --rank-by risk.hfrs.score,risk.efi.score --top-percent 5)
WORK=$OUT/spark-run
rm -rf "$WORK"; mkdir -p "$WORK/single" "$WORK/spark"

# timed NAME COMMAND...: wall and whole-machine CPU seconds (bench/lib.sh), kept for the ratios.
timed() {
    run_timed "$@"
    printf "%-44s %8.1f s wall %8.1f s CPU %8.0f MB peak RSS (one process)\n" "$1" "$WALL" "$CPU" "$RSS_MB"
    echo "$WALL $CPU" > "$WORK/$1.secs"
}

# The single-machine nightly job, as a script so its whole process tree is timed.
LIST_TEXT="${LIST[*]@Q}"
cat > "$WORK/single.sh" <<SCRIPT
set -euo pipefail
"$BIN/ingest-gp" "$EXTRACT" -q \\
    | "$BIN/risk-score" - --as-of "$AS_OF" -q \\
    | "$BIN/pathway-audit" - --pathways examples/pathways --as-of "$AS_OF" --history "$WORK/single/history.csv" -q -o "$WORK/single/audited.jsonl"
"$BIN/mdt-list" "$WORK/single/audited.jsonl" --as-of "$AS_OF" --group-by practice $LIST_TEXT -q -o "$WORK/single/lists.jsonl"
"$BIN/outcome-report" "$WORK/single/audited.jsonl" --as-of "$AS_OF" -q -o "$WORK/single/report.html"
SCRIPT
timed "single machine (the pipe)" bash "$WORK/single.sh"
timed "Spark local[2] (nightly.py)" "$(dirname "$PY")/spark-submit" --master 'local[2]' --driver-memory 4g \
    --conf spark.ui.enabled=false --conf spark.sql.shuffle.partitions="$PARTITIONS" \
    examples/spark/nightly.py "$EXTRACT" --out "$WORK/spark" --as-of "$AS_OF" --bin "$BIN" --partitions "$PARTITIONS" \
    --pathways examples/pathways --history "$WORK/spark/history.csv" --list-options "$LIST_TEXT"
read -r w1 c1 < "$WORK/single machine (the pipe).secs"
read -r w2 c2 < "$WORK/Spark local[2] (nightly.py).secs"
printf "Spark's overhead: %.2f× the wall time, %.2f× the CPU time (%.1f CPU-µs per person on Spark, %.1f on one machine)\n" \
    "$(echo "$w2 / $w1" | bc -l)" "$(echo "$c2 / $c1" | bc -l)" "$(echo "$c2 * 1000000 / $PEOPLE" | bc -l)" "$(echo "$c1 * 1000000 / $PEOPLE" | bc -l)"
# The same work: people, lists and report identical.
if cmp -s <(sort "$WORK/spark/people/"part-*) "$WORK/single/audited.jsonl" && cmp -s "$WORK/spark/lists.jsonl" "$WORK/single/lists.jsonl" \
    && cmp -s "$WORK/spark/report.html" "$WORK/single/report.html"; then
    echo "outputs: people, lists ($(wc -l < "$WORK/single/lists.jsonl") entries) and report identical"
else
    echo "outputs DIFFER between Spark and the single machine"; exit 1
fi
# The person files are gigabytes: only the lists and the reports are kept.
rm -rf "$WORK/spark/people" "$WORK/single/audited.jsonl"
