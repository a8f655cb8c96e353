#!/usr/bin/env bash
# Builds the libFuzzer targets (Fuzz/) with -sanitize=fuzzer,address and runs each for
# FUZZ_SECONDS on a corpus seeded from the repository's fixtures and examples.
#   scripts/fuzz.sh [SECONDS] [TARGET...]     (make fuzz; FUZZ_SECONDS=600 make fuzz for a long run)
#   scripts/fuzz.sh ci                        (CI: a fixed seed and a fixed number of runs per
#                                              target, about 30 s each, so the run is repeatable)
# A crash, a leak, a sanitizer report or a time-out leaves its input in fuzz-crashes/ and exits
# non-zero: turn each into a regression test (Tests/EndToEndTests/HostileInputTests.swift).
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH=${1:-${FUZZ_SECONDS:-60}}
shift || true
TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=(expression record pathway csv fhir gp2gp)
SCRATCH=.build-fuzz
CORPUS=$SCRATCH/corpus
mkdir -p fuzz-crashes
for t in "${TARGETS[@]}"; do
    JOINEDUP_FUZZ=1 swift build --scratch-path "$SCRATCH" -Xswiftc -sanitize=fuzzer,address --product "fuzz-$t" 2>&1 | grep -E "error|warning: unre" || true
    [ -x "$SCRATCH/debug/fuzz-$t" ] || { echo "fuzz: fuzz-$t did not build" >&2; exit 1; }
done

# Seeds: the inputs the tests and examples already use.
seed() { mkdir -p "$CORPUS/$1"; }
seed expression; n=0
for e in 'age >= 65 and risk.efi.category >= mild' 'count(encounters where kind = "admission" and method = "emergency" in last 365d) >= 2' \
         'risk.hfrs.score > 15 or not deceased' 'age between 65 and 80 and sex in (female, male)' 'start > as_of - 90d' \
         'exists(death_date) and registered' 'risk.lace.band = "High"' '((age > 1))'; do
    printf '%s' "$e" > "$CORPUS/expression/seed-$n"; n=$((n + 1))
done
seed record; n=0
while IFS= read -r line; do printf '%s' "$line" > "$CORPUS/record/seed-$n"; n=$((n + 1)); done < Tests/Fixtures/mdt/scored.jsonl
seed pathway; cp examples/pathways/*.yaml "$CORPUS/pathway/"
seed csv
for folder in examples/data/ics/gp; do
    { head -20 "$folder/patients.csv"; printf '\0'; head -40 "$folder/clinical_events.csv"; } > "$CORPUS/csv/seed-gp"
done
seed fhir; cp examples/data/fhir/*.json examples/data/fhir/*.xml examples/data/fhir/bulk/*.ndjson Tests/Fixtures/repro/*.json "$CORPUS/fhir/"
seed gp2gp; cp examples/data/gp2gp/*.xml Tests/Fixtures/repro/gp2gp-discontinue.xml Tests/Fixtures/hostile/*.xml "$CORPUS/gp2gp/"

status=0
for t in "${TARGETS[@]}"; do
    if [ "$SECONDS_EACH" = ci ]; then
        # Runs per target for about 30 s on this machine (their speeds differ a hundredfold).
        case $t in expression|pathway) runs=30000 ;; record) runs=400000 ;; csv) runs=2000 ;; fhir) runs=4000 ;; *) runs=12000 ;; esac
        limit=(-seed=1 -runs="$runs")
        echo "fuzz: fuzz-$t, $runs runs from seed 1"
    else
        limit=(-max_total_time="$SECONDS_EACH")
        echo "fuzz: fuzz-$t for ${SECONDS_EACH} s"
    fi
    if ! "$SCRATCH/debug/fuzz-$t" "${limit[@]}" -timeout=20 -rss_limit_mb=2048 -max_len=65536 \
         -artifact_prefix="fuzz-crashes/$t-" -print_final_stats=1 "$CORPUS/$t" > "$SCRATCH/fuzz-$t.log" 2>&1; then
        echo "fuzz: fuzz-$t found a problem (input in fuzz-crashes/; log in $SCRATCH/fuzz-$t.log):" >&2
        grep -E "ERROR|SUMMARY|Test unit written" "$SCRATCH/fuzz-$t.log" | head -5 >&2
        status=1
    else
        grep -E "stat::number_of_executed_units|stat::peak_rss_mb" "$SCRATCH/fuzz-$t.log" | tr '\n' ' '; echo
    fi
done
exit $status
