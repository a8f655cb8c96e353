#!/usr/bin/env bash
# The Spark job (examples/spark/nightly.py) in local mode against the single-machine pipe, on the
# bundled example data, two nights running: the people, the lists, the pathway history and the
# report must be byte-identical. Then the job must fail when a program in it fails.
#
#   scripts/check-spark.sh BIN_DIR
#
# BIN_DIR holds the programs the job ships to its tasks (CI: the static build,
# `swift build -c release --static-swift-stdlib`). PySpark comes from a Python that has it
# (JOINEDUP_SPARK_PYTHON, the CI virtual environment) or from a virtual environment this script
# makes (pip install pyspark, about 500 MB). Exit 77 (skipped, with the reason) when Java or
# PySpark cannot be had.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=$(cd "${1:?usage: check-spark.sh BIN_DIR}" && pwd)
cd "$ROOT"

command -v java >/dev/null || { echo "skipped: no java on PATH (apt-get install openjdk-17-jre-headless; .ci/run installs it)"; exit 77; }
PY=${JOINEDUP_SPARK_PYTHON:-}
if [ -z "$PY" ]; then
    for candidate in /tmp/joinedup-ci-venv/bin/python /tmp/joinedup-spark-venv/bin/python python3; do
        if "$candidate" -c 'import pyspark' >/dev/null 2>&1; then PY=$candidate; break; fi
    done
fi
if [ -z "$PY" ]; then
    VENV=/tmp/joinedup-spark-venv
    if python3 -m venv "$VENV" >/dev/null 2>&1 && "$VENV/bin/pip" install -q pyspark >/dev/null 2>&1; then
        PY=$VENV/bin/python
    else
        echo "skipped: pyspark could not be installed in a virtual environment (python3-venv and network needed)"; exit 77
    fi
fi
SUBMIT=$(dirname "$PY")/spark-submit
[ -x "$SUBMIT" ] || SUBMIT="$PY -m pyspark.bin.spark-submit"
export PYSPARK_PYTHON=$PY PYSPARK_DRIVER_PYTHON=$PY SPARK_LOCAL_IP=127.0.0.1

WORK=$(mktemp -d "${TMPDIR:-/tmp}/joinedup-spark-check.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/single" "$WORK/spark"
LIST_ARGS=(--where 'age >= 65 and (risk.efi.category >= mild or risk.hfrs.score >= 3)' --rank-by risk.hfrs.score,risk.efi.score --top-percent 20)
LIST="${LIST_ARGS[*]@Q}"
fails=0
ICS="examples/data/ics/gp examples/data/ics/hospital examples/data/ics/council"
same() {   # same WHAT A B
    if cmp -s "$2" "$3"; then echo "spark: $1 identical ($(wc -l < "$2") lines)"; else echo "spark: $1 DIFFER: $2 $3"; diff <(head -c 2000 "$2") <(head -c 2000 "$3") | head -20; fails=$((fails + 1)); fi
}
job() {   # job OUT AS_OF PARTITIONS [more options]
    local out=$1 day=$2 parts=$3; shift 3
    $SUBMIT --master 'local[2]' --conf spark.ui.enabled=false --conf spark.sql.shuffle.partitions=4 \
        examples/spark/nightly.py $ICS --out "$out" --as-of "$day" --ship "$BIN" --partitions "$parts" \
        --pathways examples/pathways --history "$WORK/spark/history.csv" --list-options "$LIST" "$@" \
        2> "$out.log" || { echo "spark: the job failed on $day:"; tail -30 "$out.log"; exit 1; }
    grep -E '^\[partition 0\] |^nightly.py: ' "$out.log" || true
}
single() {   # single OUT AS_OF [PREVIOUS]
    local out=$1 day=$2 previous=()
    mkdir -p "$out"
    [ -n "${3:-}" ] && previous=(--previous "$3")
    "$BIN/ingest-gp" examples/data/ics/gp examples/data/ics/hospital examples/data/ics/council -q -o "$out/people.jsonl"
    "$BIN/risk-score" "$out/people.jsonl" --as-of "$day" -q \
        | "$BIN/pathway-audit" - --pathways examples/pathways --as-of "$day" --history "$WORK/single/history.csv" -q -o "$out/audited.jsonl"
    "$BIN/mdt-list" "$out/audited.jsonl" --as-of "$day" --group-by practice "${LIST_ARGS[@]}" ${previous[@]+"${previous[@]}"} -q -o "$out/lists.jsonl"
}

# Night 1: no history, no previous list; 7 partitions for 300 people.
single "$WORK/single/n1" 2026-04-01
"$BIN/outcome-report" "$WORK/single/n1/audited.jsonl" --as-of 2026-04-01 -q -o "$WORK/single/n1/report.html"
job "$WORK/spark/n1" 2026-04-01 7
sort "$WORK/spark/n1/people/"part-* > "$WORK/spark/n1/people.jsonl"
same "night 1 people" "$WORK/single/n1/audited.jsonl" "$WORK/spark/n1/people.jsonl"
same "night 1 lists" "$WORK/single/n1/lists.jsonl" "$WORK/spark/n1/lists.jsonl"
same "night 1 report (HTML)" "$WORK/single/n1/report.html" "$WORK/spark/n1/report.html"
same "night 1 pathway history" "$WORK/single/history.csv" "$WORK/spark/history.csv"
[ "$(ls "$WORK/spark/n1/tallies" | wc -l)" -ge 2 ] || { echo "spark: fewer than 2 tallies files: nothing was merged"; fails=$((fails + 1)); }

# Night 2, a week later: last night's list and the history carried; 3 partitions; the report
# as JSON Lines with targets and costs.
# Last night's list also holds a practice gone from tonight's extract (ZZ0008's entries moved to
# ZZ0099): its people are listed as left, as a single run lists them.
sed -i 's/"group":"ZZ0008"/"group":"ZZ0099"/' "$WORK/single/n1/lists.jsonl" "$WORK/spark/n1/lists.jsonl"
grep -q '"group":"ZZ0099"' "$WORK/spark/n1/lists.jsonl" || { echo "spark: no ZZ0008 entry to move"; fails=$((fails + 1)); }
single "$WORK/single/n2" 2026-04-08 "$WORK/single/n1/lists.jsonl"
"$BIN/outcome-report" "$WORK/single/n2/audited.jsonl" --as-of 2026-04-08 --format jsonl --targets examples/outcomes/targets.csv \
    --unit-costs examples/outcomes/unit-costs.csv -q -o "$WORK/single/n2/report.jsonl"
job "$WORK/spark/n2" 2026-04-08 3 --previous "$WORK/spark/n1/lists.jsonl" --report-format jsonl \
    --report-options "--targets examples/outcomes/targets.csv --unit-costs examples/outcomes/unit-costs.csv"
sort "$WORK/spark/n2/people/"part-* > "$WORK/spark/n2/people.jsonl"
same "night 2 people" "$WORK/single/n2/audited.jsonl" "$WORK/spark/n2/people.jsonl"
same "night 2 lists (with --previous)" "$WORK/single/n2/lists.jsonl" "$WORK/spark/n2/lists.jsonl"
grep -q '"status":"continuing"' "$WORK/spark/n2/lists.jsonl" || { echo "spark: night 2 has no continuing entry: --previous was not used"; fails=$((fails + 1)); }
grep -q '"group":"ZZ0099".*"status":"left"' "$WORK/spark/n2/lists.jsonl" || { echo "spark: night 2 does not list the gone practice's people as left"; fails=$((fails + 1)); }
same "night 2 report (JSON Lines, targets, costs)" "$WORK/single/n2/report.jsonl" "$WORK/spark/n2/report.jsonl"
same "night 2 pathway history" "$WORK/single/history.csv" "$WORK/spark/history.csv"

# Pseudonymised: rows keyed by the HMAC pseudonym ingest-gp gives, so the history (by id) meets
# its people; the people and the history as a pseudonymising single run's.
head -c 48 /dev/urandom > "$WORK/key"; chmod 600 "$WORK/key"
rm -f "$WORK/single/history.csv" "$WORK/spark/history.csv"
"$BIN/ingest-gp" $ICS --pseudonymise "$WORK/key" -q \
    | "$BIN/risk-score" - --as-of 2026-04-01 -q \
    | "$BIN/pathway-audit" - --pathways examples/pathways --as-of 2026-04-01 --history "$WORK/single/history.csv" -q -o "$WORK/single/pseudo.jsonl"
job "$WORK/spark/pseudo" 2026-04-01 4 --pseudonymise "$WORK/key"
sort "$WORK/spark/pseudo/people/"part-* > "$WORK/spark/pseudo/people.jsonl"
same "pseudonymised people" "$WORK/single/pseudo.jsonl" "$WORK/spark/pseudo/people.jsonl"
same "pseudonymised pathway history" "$WORK/single/history.csv" "$WORK/spark/history.csv"
! grep -q '"nhs_number"' "$WORK/spark/pseudo/people.jsonl" || { echo "spark: NHS numbers in pseudonymised output"; fails=$((fails + 1)); }

# Rejects from every partition gathered into one file: two bad rows (of two people, in two
# tables) planted in a copy of the extract; the same rejects as the single run's, by table,
# field, reason and value.
cp -r examples/data/ics "$WORK/bad"
echo "9991619577,2025-13-45,27113001,74.3,kg" >> "$WORK/bad/gp/clinical_events.csv"
echo "9997463803,99,2026-01-30,2026-01-02,21,19,E86,E86" >> "$WORK/bad/hospital/apcs.csv"
"$BIN/ingest-gp" "$WORK/bad/gp" "$WORK/bad/hospital" "$WORK/bad/council" -q --rejects "$WORK/single/rejects.jsonl" -o /dev/null
$SUBMIT --master 'local[2]' --conf spark.ui.enabled=false examples/spark/nightly.py "$WORK/bad/gp" "$WORK/bad/hospital" "$WORK/bad/council" --out "$WORK/spark/bad" \
    --as-of 2026-04-01 --ship "$BIN" --partitions 5 --pathways examples/pathways > "$WORK/bad.log" 2>&1 \
    || { echo "spark: the job failed on the extract with bad rows:"; tail -20 "$WORK/bad.log"; exit 1; }
rejects() { "$PY" -c 'import json,sys,os; [print(os.path.basename(r["source"]), r["field"], r["reason"], r["value"]) for r in map(json.loads, open(sys.argv[1]))]' "$1" | sort; }
rejects "$WORK/single/rejects.jsonl" > "$WORK/single/rejects.txt"
rejects "$WORK/spark/bad/rejects.jsonl" > "$WORK/spark/rejects.txt"
[ "$(wc -l < "$WORK/single/rejects.txt")" = 2 ] || { echo "spark: the planted rows were not both rejected by the single run"; fails=$((fails + 1)); }
same "rejects (table, field, reason, value)" "$WORK/single/rejects.txt" "$WORK/spark/rejects.txt"

# A failing program fails the job: risk-score exiting 70 after a few lines, and one that exits 0
# without reading its input (ingest-gp before it then ends quietly on the broken pipe, as it
# should under `| head`: the summaries' counts catch it).
for fault in 'head -c 100 >/dev/null; echo "risk-score: planted failure" >&2; exit 70' 'exit 0'; do
    mkdir -p "$WORK/broken"
    for p in ingest-gp pathway-audit mdt-list outcome-report; do ln -sf "$BIN/$p" "$WORK/broken/$p"; done
    rm -f "$WORK/broken/risk-score"
    printf '#!/bin/sh\n%s\n' "$fault" > "$WORK/broken/risk-score"
    chmod +x "$WORK/broken/risk-score"
    rm -rf "$WORK/spark/broken" "$WORK/spark/history.csv"
    if $SUBMIT --master 'local[2]' --conf spark.ui.enabled=false --conf spark.task.maxFailures=1 examples/spark/nightly.py $ICS --out "$WORK/spark/broken" \
        --as-of 2026-04-01 --bin "$WORK/broken" --partitions 2 --pathways examples/pathways > "$WORK/broken.log" 2>&1; then
        echo "spark: the job succeeded with a failing risk-score ($fault)"; fails=$((fails + 1))
    elif grep -q 'risk-score exited 70\|risk-score stopped reading its input early' "$WORK/broken.log"; then
        echo "spark: a failing risk-score fails the job: $(grep -o 'partition [0-9]*: risk-score exited [0-9]*\|partition [0-9]*: risk-score stopped reading its input early' "$WORK/broken.log" | head -1)"
    else
        echo "spark: the job failed, but without naming risk-score:"; tail -20 "$WORK/broken.log"; fails=$((fails + 1))
    fi
    [ ! -e "$WORK/spark/broken/lists.jsonl" ] || { echo "spark: a failed job wrote lists"; fails=$((fails + 1)); }
done
[ "$fails" = 0 ] && echo "spark: all identical to the single-machine pipe" || { echo "spark: $fails differences"; exit 1; }
