#!/usr/bin/env bash
# bench/duckdb: joinedup against what an analyst who knows SQL would pick instead — DuckDB over
# the same generated CSV tables — on "tonight's top 20 per practice among people 65 and over, by
# HFRS" (bench/duckdb/top_hfrs.py), the lists compared for equality and the ratios printed; then
# ingest-gp on a one-row-per-person table, and the whole nightly job against its stages run alone.
#   PEOPLE=1000000 bench/duckdb/run.sh
# Needs a release build (make release); DuckDB comes from PyPI, in a virtual environment made the
# first time (/tmp/joinedup-bench-venv).
set -euo pipefail
cd "$(dirname "$0")/../.."
. bench/lib.sh
release_bench ingest-gp risk-score pathway-audit mdt-list outcome-report synth-extract
PEOPLE=${PEOPLE:-1000000}
AS_OF=${AS_OF:-2026-04-01}
TOP=${TOP:-20}
VENV=/tmp/joinedup-bench-venv
if ! "$VENV/bin/python" -c 'import duckdb' 2>/dev/null; then
    python3 -m venv "$VENV" && "$VENV/bin/pip" install -q duckdb
fi
EXTRACT=$(extract_tables "$PEOPLE")
WORK=$OUT/duckdb-run
rm -rf "$WORK"; mkdir -p "$WORK/hospital" "$WORK/patients-only"
# The hospital question's folder: only the two tables it needs.
ln -s "$EXTRACT/patients.csv" "$WORK/hospital/patients.csv"; ln -s "$EXTRACT/apcs.csv" "$WORK/hospital/apcs.csv"
ln -s "$EXTRACT/patients.csv" "$WORK/patients-only/patients.csv"
ROWS=$(( $(cat "$EXTRACT"/*.csv | wc -l) - $(ls "$EXTRACT"/*.csv | wc -l) ))
echo "input: $PEOPLE people, $ROWS rows, $(( $(cat "$EXTRACT"/*.csv | wc -c) / 1000000 )) MB in $(ls "$EXTRACT"/*.csv | wc -l) tables ($(nproc) cores); DuckDB $("$VENV/bin/python" -c 'import duckdb; print(duckdb.__version__)'); as of $AS_OF"
grep -v '^#' Sources/CareRisk/Tables/hfrs.csv > "$WORK/hfrs.csv"
cat "$EXTRACT"/*.csv > /dev/null   # every run reads from the page cache

# timed NAME COMMAND...: a table row of wall seconds and peak RSS (bench/lib.sh); the seconds in
# $WORK/last.
timed() {
    run_timed "$@"
    printf "| %-62s | %8.2f s | %6.0f MB |\n" "$1" "$WALL" "$RSS_MB"
    echo "$WALL" > "$WORK/last"
}
# list CSV OUT: mdt-list's CSV as group,rank,id lines, to compare with DuckDB's.
list() { "$VENV/bin/python" bench/duckdb/list_ids.py "$1" "$2"; }
PIPE_LIST=(--where 'age >= 65' --rank-by risk.hfrs.score --top "$TOP" --format csv -q)
cat > "$WORK/pipe.sh" <<SCRIPT
set -euo pipefail
"$BIN/ingest-gp" "\$@" -q | "$BIN/risk-score" - --models hfrs --as-of "$AS_OF" -q | "$BIN/mdt-list" - --as-of "$AS_OF" ${PIPE_LIST[*]@Q}
SCRIPT

echo
echo "| job | wall | peak RSS |"
echo "|---|---:|---:|"
timed "DuckDB SQL over patients.csv and apcs.csv" "$VENV/bin/python" bench/duckdb/top_hfrs.py "$EXTRACT" "$WORK/hfrs.csv" "$AS_OF" "$TOP" "$WORK/duckdb.csv"
T_DUCK=$(cat "$WORK/last")
timed "the pipe, whole folder" bash -c "bash '$WORK/pipe.sh' '$EXTRACT' > '$WORK/whole.csv'"
T_WHOLE=$(cat "$WORK/last")
timed "the pipe, a folder of patients.csv and apcs.csv" bash -c "bash '$WORK/pipe.sh' '$WORK/hospital' > '$WORK/hospital.csv'"
T_HOSP=$(cat "$WORK/last")
timed "the pipe, whole folder, ingest-gp --only apcs" bash -c "bash '$WORK/pipe.sh' '$EXTRACT' --only apcs > '$WORK/only.csv'"
T_ONLY=$(cat "$WORK/last")
timed "ingest-gp on patients.csv alone ($PEOPLE rows)" "$BIN/ingest-gp" "$WORK/patients-only" -q -o /dev/null
T_PAT=$(cat "$WORK/last")

# The same lists: every entry.
for f in whole hospital only; do list "$WORK/$f.csv" "$WORK/$f.list"; done
for f in whole hospital only; do
    cmp -s "$WORK/duckdb.csv" "$WORK/$f.list" || { echo "lists DIFFER: DuckDB against the pipe ($f)"; diff "$WORK/duckdb.csv" "$WORK/$f.list" | head; exit 1; }
done
echo
echo "lists: identical, all $(wc -l < "$WORK/duckdb.csv") entries (DuckDB, and the pipe on the whole folder, the two tables, and --only apcs)"
ratio() { echo "$1 / $2" | bc -l | xargs printf "%.1f"; }
echo "ratios to DuckDB: whole folder $(ratio "$T_WHOLE" "$T_DUCK")× (target ≤ 10×), two-table folder $(ratio "$T_HOSP" "$T_DUCK")×, --only apcs $(ratio "$T_ONLY" "$T_DUCK")× (target ≤ 3×)"
echo "ingest-gp on a one-row-per-person table: $(echo "$PEOPLE / $T_PAT" | bc -l | xargs printf "%.0f") rows/s (target ≥ 1,000,000)"

# The whole nightly job (ingest, all five models, seven pathways, an HTML list per practice, the
# HTML report) as one pipe, against its stages run alone on the previous stage's output.
echo
echo "| nightly job, $PEOPLE people | wall | peak RSS |"
echo "|---|---:|---:|"
mkdir -p "$WORK/nightly"
NIGHT_LIST=(--as-of "$AS_OF" --group-by practice --top-percent 5 --rank-by risk.hfrs.score,risk.efi.score --where 'age >= 65 and (risk.efi.category >= mild or risk.hfrs.score >= 5)' -q)
cat > "$WORK/nightly.sh" <<SCRIPT
set -euo pipefail
"$BIN/ingest-gp" "$EXTRACT" -q | "$BIN/risk-score" - --as-of "$AS_OF" -q \\
    | "$BIN/pathway-audit" - --pathways examples/pathways --as-of "$AS_OF" -q -o "$WORK/nightly/audited.jsonl"
"$BIN/mdt-list" "$WORK/nightly/audited.jsonl" ${NIGHT_LIST[*]@Q} --format html --out-dir "$WORK/nightly/lists"
"$BIN/outcome-report" "$WORK/nightly/audited.jsonl" --as-of "$AS_OF" -q -o "$WORK/nightly/report.html"
SCRIPT
timed "the whole nightly job" bash "$WORK/nightly.sh"
T_NIGHT=$(cat "$WORK/last")
timed "  ingest-gp alone (to a file)" "$BIN/ingest-gp" "$EXTRACT" -q -o "$WORK/nightly/people.jsonl"
S1=$(cat "$WORK/last")
timed "  risk-score alone (all five models)" "$BIN/risk-score" "$WORK/nightly/people.jsonl" --as-of "$AS_OF" -q -o "$WORK/nightly/scored.jsonl"
S2=$(cat "$WORK/last")
timed "  pathway-audit alone (seven pathways)" "$BIN/pathway-audit" "$WORK/nightly/scored.jsonl" --pathways examples/pathways --as-of "$AS_OF" -q -o /dev/null
S3=$(cat "$WORK/last")
timed "  mdt-list alone (HTML per practice)" "$BIN/mdt-list" "$WORK/nightly/audited.jsonl" "${NIGHT_LIST[@]}" --format html --out-dir "$WORK/nightly/lists2"
S4=$(cat "$WORK/last")
timed "  outcome-report alone (HTML)" "$BIN/outcome-report" "$WORK/nightly/audited.jsonl" --as-of "$AS_OF" -q -o /dev/null
S5=$(cat "$WORK/last")
echo
echo "nightly: $(printf %.1f "$T_NIGHT") s (target < 60 s); its stages alone add up to $(echo "$S1 + $S2 + $S3 + $S4 + $S5" | bc -l | xargs printf %.1f) s (the pipe overlaps the first three)"
# The person files are gigabytes: only the lists and the report are kept.
rm -f "$WORK/nightly/people.jsonl" "$WORK/nightly/scored.jsonl" "$WORK/nightly/audited.jsonl"
