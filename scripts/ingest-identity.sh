#!/usr/bin/env bash
# The outputs ingest-gp must keep byte for byte while its per-person path is made faster
# (bench/README.md, issue 21): one "sha256  case" line per output, on the bundled extracts and a
# generated 100,000-person extract. Tests/Fixtures/golden/ingest-identity.sha256 holds the lines
# the build before that work wrote; OutputIdentityTests compares.
#   scripts/ingest-identity.sh BIN_DIR WORK_DIR
set -euo pipefail
BIN=$(cd "${1:?usage: ingest-identity.sh BIN_DIR WORK_DIR}" && pwd)
WORK=${2:?usage: ingest-identity.sh BIN_DIR WORK_DIR}
cd "$(dirname "$0")/.."
mkdir -p "$WORK"
ICS=(examples/data/ics/gp examples/data/ics/hospital examples/data/ics/council)
cp Tests/Fixtures/golden/pseudonym.key "$WORK/key"; chmod 600 "$WORK/key"
[ -f "$WORK/x100k/patients.csv" ] || "$BIN/synth-extract" --people 100000 --seed 7 --out "$WORK/x100k" -q
mkdir -p "$WORK/x100k-patients"; ln -sf "$(cd "$WORK/x100k" && pwd)/patients.csv" "$WORK/x100k-patients/patients.csv"
run() {   # run CASE ARGS...: the people and the rejects of one ingest-gp run
    local name=$1; shift
    "$BIN/ingest-gp" "$@" -q --rejects "$WORK/$name.rejects" -o "$WORK/$name.jsonl"
    (cd "$WORK" && sha256sum "$name.jsonl" "$name.rejects")
}
run ics "${ICS[@]}"
run ics-threads-1 "${ICS[@]}" --threads 1
run ics-spilled "${ICS[@]}" --memory 64K
run ics-pseudonymised "${ICS[@]}" --pseudonymise "$WORK/key" --pseudonym-map "$WORK/map.csv" --memory 64K
(cd "$WORK" && sha256sum map.csv)
run gp2gp-fhir gp2gp:examples/data/gp2gp fhir:examples/data/fhir --demographics examples/data/gp2gp-demographics.csv
run synthea --format synthea examples/data/synthea
run x100k "$WORK/x100k"
run x100k-patients "$WORK/x100k-patients"
