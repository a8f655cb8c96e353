#!/usr/bin/env bash
# Nightly MDT lists: join the extracts, score, audit the pathways, list. Run from cron (see crontab.txt).
#
#   examples/cron/nightly.sh EXTRACTS_DIR LISTS_DIR [AS_OF]
#
# EXTRACTS_DIR holds one folder per organisation (gp/, hospital/, council/) as the nightly
# extracts land; LISTS_DIR receives one HTML agenda and one CSV per team, an index, and
# last-night.jsonl (tomorrow's --previous), and pathway-history.csv (the day each person entered the
# high-risk group, for the MDT-review pathway's clock: pathway-audit --history). PATHWAYS names the
# pathway folder (default: the bundled examples/pathways). Every step writes atomically; a failing step stops
# the script with its exit code, leaving yesterday's lists in place. The script holds
# LISTS_DIR/.nightly.lock (and each mdt-list run LISTS_DIR/.mdt-list.lock), so a run that
# overlaps the previous one exits 75 (EX_TEMPFAIL: cron mails it; the next night runs normally).
set -euo pipefail
EXTRACTS=${1:?usage: nightly.sh EXTRACTS_DIR LISTS_DIR [AS_OF]}
LISTS=${2:?usage: nightly.sh EXTRACTS_DIR LISTS_DIR [AS_OF]}
AS_OF=${3:-$(date -u +%F)}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BIN=${JOINEDUP_BIN:-$ROOT/.build/release}
PATHWAYS=${PATHWAYS:-$ROOT/examples/pathways}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/joinedup-nightly.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$LISTS"
exec 9>"$LISTS/.nightly.lock"
flock -n 9 || { echo "nightly.sh: another run holds $LISTS/.nightly.lock; try again when it has finished" >&2; exit 75; }

"$BIN/ingest-gp" "$EXTRACTS/gp" "$EXTRACTS/hospital" "$EXTRACTS/council" -q \
    --rejects "$LISTS/rejects.jsonl" -o "$WORK/people.jsonl"
"$BIN/risk-score" "$WORK/people.jsonl" --as-of "$AS_OF" -q -o "$WORK/scored.jsonl"
# The history is worked on in $WORK and moved in with last-night.jsonl at the end, so a night
# stopped by a guard (a broken extract) cannot make everyone leave the high-risk group.
[ -f "$LISTS/pathway-history.csv" ] && cp "$LISTS/pathway-history.csv" "$WORK/pathway-history.csv"
"$BIN/pathway-audit" "$WORK/scored.jsonl" --pathways "$PATHWAYS" --as-of "$AS_OF" -q \
    --history "$WORK/pathway-history.csv" -o "$WORK/audited.jsonl"

PREVIOUS=()
[ -f "$LISTS/last-night.jsonl" ] && PREVIOUS=(--previous "$LISTS/last-night.jsonl")
# Deceased, unregistered, opted-out and recently reviewed people are left out by mdt-list itself.
# The guards: tonight's run stops, writing nothing (and leaving last night's lists and
# last-night.jsonl as they were), when ingest-gp emits nobody or a source has every record
# rejected (exit 65), when fewer than MIN_PEOPLE people are read, or when more than MAX_LEFT %
# of last night's list would leave at once: a broken extract, not a night of recoveries.
MIN_PEOPLE=${MIN_PEOPLE:-50}
MAX_LEFT=${MAX_LEFT:-50}
LIST_OPTIONS=(--as-of "$AS_OF" --min-people "$MIN_PEOPLE" --max-left "$MAX_LEFT" --group-by practice --top-percent 5 --rank-by risk.hfrs.score,risk.efi.score
              --where 'age >= 65 and (risk.efi.category >= mild or risk.hfrs.score >= 5 or count(encounters where kind = "admission" and method = "emergency" in last 365d) >= 2)')
# The agendas, then the CSVs, then tonight's list for tomorrow's comparison.
"$BIN/mdt-list" "$WORK/audited.jsonl" "${LIST_OPTIONS[@]}" "${PREVIOUS[@]}" --format html --out-dir "$LISTS"
"$BIN/mdt-list" "$WORK/audited.jsonl" "${LIST_OPTIONS[@]}" "${PREVIOUS[@]}" --format csv --out-dir "$LISTS" -q
"$BIN/mdt-list" "$WORK/audited.jsonl" "${LIST_OPTIONS[@]}" "${PREVIOUS[@]}" --lock "$LISTS/.mdt-list.lock" -q -o "$WORK/tonight.jsonl"
mv "$WORK/tonight.jsonl" "$LISTS/last-night.jsonl"
mv "$WORK/pathway-history.csv" "$LISTS/pathway-history.csv"
