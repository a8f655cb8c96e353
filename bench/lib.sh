# Shared by the bench scripts (sourced, not run).
# measure NAME COMMAND... : runs COMMAND with stdout discarded and stderr appended to
# $OUT/stderr.log; prints wall seconds, $COUNT/s (as "$UNIT/s"), MB/s of $IN_BYTES and peak RSS;
# leaves the seconds in $OUT/last.secs.
measure() {
  local name=$1; shift
  local log; log=$(mktemp)
  /usr/bin/time -f "%e %M" -o "$log" "$@" > /dev/null 2>>"$OUT/stderr.log" || { echo "$name failed (see $OUT/stderr.log)"; return 1; }
  read -r secs rss < "$log"; rm -f "$log"
  printf "%-52s %8.2f s %10.0f $UNIT/s %8.1f MB/s %8.0f MB RSS\n" "$name" "$secs" \
    "$(echo "$COUNT / $secs" | bc -l)" "$(echo "$IN_BYTES / 1000000 / $secs" | bc -l)" "$(echo "$rss / 1024" | bc -l)"
  echo "$secs" > "$OUT/last.secs"
}

# scored_people PEOPLE PRACTICES AS_OF : the path of scored person records for the list and
# pathway benchmarks, generated (synth-extract → ingest-gp → risk-score) the first time.
scored_people() {
  local people=$1 practices=$2 as_of=$3
  local data=$OUT/tables-$people-p$practices scored=$OUT/scored-$people-p$practices.jsonl
  if [ ! -f "$scored" ]; then
    echo "generating $people people in $practices practices, joining and scoring them ..." >&2
    [ -f "$data/patients.csv" ] || $BIN/synth-extract --people "$people" --practices "$practices" --seed 42 --out "$data" -q
    $BIN/ingest-gp "$data" -q | $BIN/risk-score --as-of "$as_of" -q -o "$scored"
  fi
  echo "$scored"
}

# table_header: the results table's heading, in the units of $UNIT.
table_header() {
  printf "%-52s %10s %19s %13s %15s\n" "program" "wall" "$UNIT/s" "MB/s" "peak RSS"
}

# scored_bench PROGRAM: what the benches on scored people (mdt, pathways, outcomes) share:
# PEOPLE, PRACTICES and AS_OF (overridable), a release build of PROGRAM, the scored people
# ($SCORED, generated the first time unless given) and the units measure reports in.
scored_bench() {
  PEOPLE=${PEOPLE:-1000000}
  PRACTICES=${PRACTICES:-200}
  AS_OF=${AS_OF:-2026-04-01}
  [ -x "$BIN/$1" ] || { echo "bench: build first (make release)"; exit 69; }
  # SCORED=FILE uses scored people already made (PEOPLE must then say how many they are).
  SCORED=${SCORED:-$(scored_people "$PEOPLE" "$PRACTICES" "$AS_OF")}
  BYTES=$(wc -c < "$SCORED")
  COUNT=$PEOPLE
  UNIT=people
  IN_BYTES=$BYTES
}

# release_bench PROGRAM...: for a bench run from the repository's root (bench/spark,
# bench/duckdb): OUT (bench/out, made) and BIN (the release build, absolute paths, as Spark's
# tasks need), stopping with 69 unless every PROGRAM is built.
release_bench() {
  OUT=$(pwd)/bench/out
  BIN=$(pwd)/.build/release
  mkdir -p "$OUT"
  local p
  for p in "$@"; do [ -x "$BIN/$p" ] || { echo "bench: build first (make release)"; exit 69; }; done
}

# extract_tables PEOPLE: the path of a generated tables extract of PEOPLE people in PEOPLE/5000
# practices (synth-extract, seed 42), made the first time; shared by bench/spark and bench/duckdb.
extract_tables() {
  local people=$1 dir=$OUT/extract-$1
  if [ ! -f "$dir/patients.csv" ]; then
    echo "generating $people people in $dir ..." >&2
    $BIN/synth-extract --people "$people" --practices $((people / 5000 > 0 ? people / 5000 : 1)) --seed 42 --out "$dir" -q
  fi
  echo "$dir"
}

# run_timed NAME COMMAND...: runs COMMAND with its stderr appended to $WORK/stderr.log (stopping
# the bench, with the log's tail, when it fails) and sets WALL (seconds), CPU (the whole
# machine's busy CPU-seconds meanwhile, from /proc/stat: Spark's Python workers and the programs
# they start are not all children the JVM waits for, so rusage would undercount them; nothing
# else runs during a bench) and RSS_MB (peak RSS of the largest process).
busy() { awk '/^cpu /{print ($2 + $3 + $4 + $7 + $8 + $9) / 100}' /proc/stat; }
run_timed() {
  local name=$1; shift
  local before; before=$(busy)
  /usr/bin/time -f "%e %M" -o "$WORK/time" "$@" 2>> "$WORK/stderr.log" || { echo "$name failed (see $WORK/stderr.log)"; tail -20 "$WORK/stderr.log"; exit 1; }
  CPU=$(echo "$(busy) - $before" | bc -l)
  local rss; read -r WALL rss < "$WORK/time"
  RSS_MB=$(echo "$rss / 1024" | bc -l)
}
