#!/usr/bin/env bash
# bench/impact: impact-report on generated people with a planted MDT review (synth-extract
# --plant-mdt=-0.15), made and joined the first time: time, memory, how many matched, the
# estimate against the planted effect, and the balance after matching.
#   PEOPLE=1000000 bench/impact/run.sh
# Needs a release build (make release).
set -euo pipefail
cd "$(dirname "$0")/../.."
PEOPLE=${PEOPLE:-1000000}
EFFECT=${EFFECT:--0.15}
OUT=bench/out
BIN=${BIN:-.build/release}
DATA=$OUT/planted-$PEOPLE
PEOPLE_FILE=$OUT/planted-$PEOPLE.jsonl
mkdir -p "$OUT"
[ -x "$BIN/impact-report" ] || { echo "bench: build first (make release)"; exit 69; }
if [ ! -f "$PEOPLE_FILE" ]; then
  echo "generating $PEOPLE people with a planted review (effect $EFFECT) and joining them ..." >&2
  "$BIN/synth-extract" --people "$PEOPLE" --seed 42 --plant-mdt="$EFFECT" --out "$DATA" -q
  "$BIN/ingest-gp" "$DATA" -q -o "$PEOPLE_FILE"
fi
. bench/lib.sh
COUNT=$PEOPLE
UNIT=people
IN_BYTES=$(wc -c < "$PEOPLE_FILE")
echo "input: $PEOPLE people, $((IN_BYTES / 1000000)) MB ($(nproc) cores), planted effect $EFFECT"
table_header
ARGS=(--intervention 'events where kind = "mdt-review"' --from 2024-04-01 --to 2025-03-31 --eligible 'age >= 65')
measure "impact-report (JSON Lines)" "$BIN/impact-report" "$PEOPLE_FILE" "${ARGS[@]}" --format jsonl -o "$OUT/impact.jsonl"
measure "impact-report --threads 1" "$BIN/impact-report" "$PEOPLE_FILE" "${ARGS[@]}" --threads 1 --format jsonl -o /dev/null
measure "impact-report --ratio 2 --exact sex (HTML)" "$BIN/impact-report" "$PEOPLE_FILE" "${ARGS[@]}" --ratio 2 --exact sex -o "$OUT/impact.html"
grep "impact-report:" "$OUT/stderr.log" | tail -3
python3 - "$OUT/impact.jsonl" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
e = next(r for r in rows if r["table"] == "effect" and r["outcome"] == "emergency_admissions")
cf = e["treated_before"] + (e["control_after"] - e["control_before"])
print(f"emergency admissions per person-year: matched {e['effect']:.3f} ({e['effect_lower']:.3f} to {e['effect_upper']:.3f}); "
      f"naive {e['naive']:.3f}; the planted effect on this scale about {cf:.3f} x effect")
b = [r for r in rows if r["table"] == "balance"]
worst = max(b, key=lambda r: abs(r["smd_after"] or 0))
print(f"balance: {sum(1 for r in b if abs(r['smd_after'] or 0) < 0.1)} of {len(b)} features |SMD| < 0.1 after matching; "
      f"largest {worst['feature']} {worst['smd_after']:.3f} (before {worst['smd_before']:.3f})")
PY
