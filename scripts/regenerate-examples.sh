#!/usr/bin/env bash
# Regenerates the bundled synthetic example data (examples/data/ics and examples/data/synthea)
# with synth-extract, seed 7. Run after changing the simulation (Sources/CareSynth), then run
# the tests: several check figures on this data.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-.build/debug}
swift build --product synth-extract >/dev/null
rm -rf examples/data/ics examples/data/synthea
"$BIN/synth-extract" --people 300 --seed 7 --split --out examples/data/ics
"$BIN/synth-extract" --format synthea --people 50 --seed 7 --out examples/data/synthea
