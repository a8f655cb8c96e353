#!/usr/bin/env python3
"""The joinedup nightly job on Apache Spark (docs/scale-out.md).

The programs run unchanged, each as the command of a Spark partition; Spark only moves rows
so that each program sees whole people (and, for the lists, whole practices):

  1. ingest   the extract tables, read with Spark's CSV reader, keyed by person (the NHS number,
              or the pseudonym ingest-gp will give with --pseudonymise) and hash-partitioned, so
              every row of a person lands in one partition; each partition's rows are written as
              the same tables (same folder and file names, same headers, rows in file order) in a
              task-local folder, and ingest-gp reads that folder;
  2. enrich   ingest-gp's output straight into risk-score | pathway-audit, in the same pipe (with
              the partition's people's rows of the pathway history, when --history is given);
  3. lists    people repartitioned by their list group (practice by default), so each group is
              whole in one partition; mdt-list per partition: the lists are a single run's;
  4. report   outcome-report --format tallies per partition, and outcome-report --merge of them
              all on the driver: the report is a single run's, byte for byte.

Every program's exit status is checked: any non-zero exit fails the task (and so the stage and
the job) with the program's stderr in the error; each program's summary line (read, emitted,
filtered, rejected) goes to the executor's log. Rejects from every ingest partition are gathered
into one file.

Usage (local mode, or any cluster manager):

  spark-submit --master yarn examples/spark/nightly.py extracts/gp extracts/hospital extracts/council \\
      --out OUT --as-of 2026-04-01 --bin /opt/joinedup/bin --partitions 200 \\
      --pathways /opt/joinedup/pathways --history OUT/pathway-history.csv --previous OUT/lists.jsonl \\
      --list-options "--where 'age >= 65' --rank-by risk.hfrs.score,risk.efi.score --top-percent 5" \\
      --report-options "--targets targets.csv"

The FOLDERs are the organisations' folders of CSV tables (each with an nhs_number column), as
ingest-gp and examples/cron/nightly.sh take them. OUT receives people/ (the audited person
records, one part file per partition), lists.jsonl, report.html (or --report-format), tallies/,
rejects.jsonl, and the pathway history where --history names it.

The programs must be on every node: --bin DIR names where (an absolute path: Spark's pipe does
not inherit PATH), or --ship BUILD_DIR sends them with the job (SparkContext.addFile; build them
with `swift build -c release --static-swift-stdlib` so the nodes need no Swift runtime, only
libcsv and libxml2).
"""

import argparse
import csv
import hashlib
import hmac
import io
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import threading

PROGRAMS = ["ingest-gp", "risk-score", "pathway-audit", "mdt-list", "outcome-report"]
# mdt-list options that need the whole run and so cannot be given to a partition.
WHOLE_RUN_LIST_OPTIONS = {
    "--min-people": "the job checks the number of people itself (--min-people of this script)",
    "--max-left": "it compares the whole of last night's list; run mdt-list --previous on lists.jsonl to apply it",
    "--out-dir": "the job writes lists.jsonl (JSON Lines); it does not make HTML agendas yet (docs/scale-out.md)",
    "--lock": "the job is one run; use the scheduler's lock",
    "--format": "the job writes JSON Lines (lists.jsonl)",
    "--group-by": "give --list-group-by to this script, which partitions by it",
    "--previous": "give --previous to this script, which hands each partition its groups' entries",
    "--teams": "not supported by the Spark job yet: group by a record field (--list-group-by)",
    "-o": "the job writes lists.jsonl", "--output": "the job writes lists.jsonl",
}
WHOLE_RUN_REPORT_OPTIONS = {"--as-of", "--baseline", "--period", "--group-by", "--imd", "--threads", "--merge", "-o", "--output"}


class ProgramFailed(RuntimeError):
    """A program in a partition's pipe exited non-zero (or stopped reading its input early)."""


# --------------------------------------------------------------------------------------------
# Running the programs on a partition


def run_pipe(commands, lines, label, cwd=None):
    """Runs `commands` (each an argv) as a pipe, feeding `lines` (str, without newlines) to the
    first and yielding the last one's output lines. Every exit status is checked: a non-zero one,
    or a program that stopped reading its input before the end (BrokenPipe in the writer),
    raises ProgramFailed with the programs' stderr. Each program's stderr goes to this worker's
    stderr (the executor log), prefixed with `label`."""
    procs = []
    errs = []
    for i, argv in enumerate(commands):
        err = tempfile.TemporaryFile()
        errs.append(err)
        procs.append(subprocess.Popen(argv, stdin=subprocess.PIPE if i == 0 else procs[-1].stdout,
                                      stdout=subprocess.PIPE, stderr=err, cwd=cwd))
        if i > 0:
            procs[-2].stdout.close()   # the next program owns the read end now
    writer_error = []

    def write():
        try:
            for line in lines:
                procs[0].stdin.write(line.encode("utf-8"))
                procs[0].stdin.write(b"\n")
        except BrokenPipeError as e:
            writer_error.append(e)
        except BaseException as e:   # an error reading the partition's input
            writer_error.append(e)
        finally:
            try:
                procs[0].stdin.close()
            except BrokenPipeError:
                pass

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    for raw in procs[-1].stdout:
        yield raw.decode("utf-8").rstrip("\n")
    procs[-1].stdout.close()
    writer.join()
    codes = [p.wait() for p in procs]
    texts = []
    for argv, err in zip(commands, errs):
        err.seek(0)
        text = err.read().decode("utf-8", "replace")
        err.close()
        texts.append(text)
        for line in text.splitlines():
            print(f"[{label}] {line}", file=sys.stderr, flush=True)
    names = [os.path.basename(argv[0]) for argv in commands]
    failed = [(name, code) for name, code in zip(names, codes) if code != 0]
    if failed or writer_error:
        what = ", ".join(f"{name} exited {code}" for name, code in failed) or \
            f"{names[0]} stopped reading its input ({writer_error[0]!r})"
        raise ProgramFailed(f"{label}: {what}\n" + "\n".join(t.strip() for t in texts if t.strip()))
    # Exit codes cannot show a program in the middle of a pipe that stopped reading early: the
    # one before it ends quietly on the broken pipe, as `| head` asks. Each program's summary
    # can: what one emitted, the next must have read.
    counts = []
    for i, (name, text) in enumerate(zip(names, texts)):
        m = re.search(rf"^{re.escape(name)}: read (\d+) [a-z ]+; emitted (\d+);", text, re.M)
        if not m and i + 1 < len(names):
            # A program whose output is closed ends quietly, with no summary.
            raise ProgramFailed(f"{label}: {names[i + 1]} stopped reading its input early ({name} before it "
                                f"ended on the broken pipe)\n" + "\n".join(t.strip() for t in texts if t.strip()))
        if not m:
            raise ProgramFailed(f"{label}: {name} gave no summary line (read …; emitted …): was it run with -q?\n{text.strip()}")
        lines_out = int(m.group(2))
        if name == "ingest-gp":   # it counts rows emitted into records; its lines are the people
            people = re.search(r"^ingest-gp: read .*; (\d+) people", text, re.M)
            if not people:
                raise ProgramFailed(f"{label}: ingest-gp's summary does not say how many people it wrote\n{text.strip()}")
            lines_out = int(people.group(1))
        counts.append((int(m.group(1)), lines_out))
    for (a, (_, emitted)), (b, (read, _)) in zip(zip(names, counts), zip(names[1:], counts[1:])):
        if emitted != read:
            raise ProgramFailed(f"{label}: {b} read {read} of the {emitted} records {a} emitted: "
                                f"it stopped reading its input early\n" + "\n".join(t.strip() for t in texts if t.strip()))


def binary(args, name):
    """The absolute path of a program on this node."""
    if args.ship:
        from pyspark import SparkFiles
        path = SparkFiles.get(name)
        if not os.access(path, os.X_OK):
            os.chmod(path, 0o755)
        return path
    return os.path.join(args.bin, name)


# --------------------------------------------------------------------------------------------
# Keys and partitions


def normalise_nhs_number(text):
    return "".join(ch for ch in (text or "") if not ch.isspace() and ch != "-")


def person_key(nhs_number, key):
    """The id the person's record will carry: the NHS number, or its HMAC-SHA256 pseudonym
    (ingest-gp --pseudonymise: lower-case hex) — so history rows, keyed by id, meet their person."""
    n = normalise_nhs_number(nhs_number)
    if key is None or not n:
        return n
    return hmac.new(key, n.encode("utf-8"), hashlib.sha256).hexdigest()


def stable_partition(key, partitions):
    """A partition number from a key, the same on every node and run (Python's hash() of a str is
    salted per process)."""
    digest = hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big") % partitions


# --------------------------------------------------------------------------------------------
# Stages 1 and 2: ingest and enrich, one pipe of the three programs per partition


def discover_tables(folders):
    """The organisations' folders (as given to ingest-gp) and their CSV tables, with each
    table's header, in order. Each folder is copied under its own name, as ingest-gp names a
    source by its folder."""
    names = [os.path.basename(os.path.normpath(f)) for f in folders]
    if len(set(names)) != len(names):
        raise SystemExit(f"nightly.py: the folders' names must differ (ingest-gp names each source by its folder): {names}")
    tables = []
    for folder, name in zip(folders, names):
        if not os.path.isdir(folder):
            raise SystemExit(f"nightly.py: {folder}: not a folder of CSV tables")
        for table in sorted(os.listdir(folder)):
            if not table.lower().endswith(".csv"):
                continue
            path = os.path.join(folder, table)
            with open(path, newline="", encoding="utf-8-sig") as f:
                header = next(csv.reader(f), None)
            if not header:
                raise SystemExit(f"nightly.py: {path}: empty (no header line)")
            tables.append((name, table, header, os.path.abspath(path)))
        if not any(t[0] == name for t in tables):
            raise SystemExit(f"nightly.py: {folder}: no CSV tables")
    return names, tables


def csv_cell(column):
    """A cell as CSV text, in Spark SQL (on the JVM, not row by row in Python): quoted when it
    holds a comma, a quote or a line break, as Python's csv module would write it."""
    from pyspark.sql import functions as F
    text = F.coalesce(column, F.lit(""))
    return F.when(text.rlike('[",\r\n]'), F.concat(F.lit('"'), F.regexp_replace(text, '"', '""'), F.lit('"'))).otherwise(text)


def read_tables(spark, tables, key_column, key):
    """Every table's rows as one DataFrame of (key, kind "t", table number, row number, line):
    the person key, and the row as CSV text, in file order."""
    from pyspark.sql import functions as F
    from pyspark.sql.types import StringType
    frames = []
    pseudonym = None
    if key is not None:
        pseudonym = F.udf(lambda n: person_key(n, key), StringType(), useArrow=False)
    for t, (folder, name, header, path) in enumerate(tables):
        if key_column not in header:
            raise SystemExit(f"nightly.py: {folder}/{name}: no {key_column} column to key its rows by person")
        # Every cell as text, exactly as written (no schema inferred, no trimming); quoted line
        # breaks kept (multiLine); a malformed row fails the job rather than being dropped.
        df = (spark.read.option("header", True).option("multiLine", True).option("escape", '"')
              .option("mode", "FAILFAST").option("inferSchema", False).option("encoding", "UTF-8")
              .option("ignoreLeadingWhiteSpace", False).option("ignoreTrailingWhiteSpace", False)
              .option("nullValue", None).option("emptyValue", "").csv(path))
        columns = df.columns
        if [c.lstrip("\ufeff") for c in columns] != header:
            raise SystemExit(f"nightly.py: {folder}/{name}: Spark read the header as {columns}, not {header}")
        k = df[columns[header.index(key_column)]]
        nhs = F.regexp_replace(F.coalesce(k, F.lit("")), "[\\s-]", "")
        frames.append(df.select(
            (pseudonym(nhs) if pseudonym else nhs).alias("key"), F.lit("t").alias("kind"), F.lit(t).alias("tbl"),
            F.monotonically_increasing_id().alias("row"),   # file order
            F.concat_ws(",", *[csv_cell(df[c]) for c in columns]).alias("line")))
    out = frames[0]
    for f in frames[1:]:
        out = out.unionByName(f)
    return out


def ingest_and_enrich_partition(index, items, args, folders, tables, key_file, history_header):
    """Writes the partition's rows as the extract's tables and runs
    ingest-gp | risk-score | pathway-audit on them: one pipe of the three programs, so the
    records pass from one to the next as on one machine, never through Python or Spark between
    them. Yields ("p", audited person line), ("r", reject line) and ("h", tonight's history row)."""
    work = tempfile.mkdtemp(prefix=f"joinedup-partition-{index}-")
    try:
        for folder in folders:
            os.makedirs(os.path.join(work, folder), exist_ok=True)
        files = []
        for folder, name, header, _ in tables:
            f = open(os.path.join(work, folder, name), "w", newline="", encoding="utf-8")
            csv.writer(f, lineterminator="\n").writerow(header)
            files.append(f)
        history = []
        rows = 0
        # Sorted by (key, kind, table, row): each person's rows of a table stay in file order.
        for _key, kind, t, _row, line in items:
            if kind == "h":
                history.append(line)
                continue
            files[t].write(line)
            files[t].write("\n")
            rows += 1
        for f in files:
            f.close()
        if rows == 0:
            return   # history rows of people gone from the extract leave it, as on one machine
        ingest = [binary(args, "ingest-gp")] + [os.path.join(work, f) for f in folders] + \
            ["--rejects", os.path.join(work, "rejects.jsonl")]
        if key_file:
            ingest += ["--pseudonymise", key_file]
        ingest += args.ingest_option
        score = [binary(args, "risk-score"), "-", "--as-of", args.as_of] + args.risk_option
        audit = [binary(args, "pathway-audit"), "-", "--as-of", args.as_of]
        for p in args.pathways:
            audit += ["--pathways", p]
        history_path = os.path.join(work, "pathway-history.csv")
        if args.history:
            if history_header is not None:
                with open(history_path, "w", encoding="utf-8", newline="") as f:
                    f.write(history_header)
                    for line in history:
                        f.write(line + "\n")
            audit += ["--history", history_path]
        audit += args.audit_option
        for line in run_pipe([ingest, score, audit], [], f"partition {index}"):
            yield ("p", line)
        # Each reject names the table as the extract does (gp/apcs.csv) and where in this
        # partition's copy of it the row was: its line there, not in the original file.
        with open(os.path.join(work, "rejects.jsonl"), encoding="utf-8") as f:
            for line in f:
                reject = json.loads(line)
                source = reject.get("source", "")
                if source.startswith(work + os.sep):
                    reject["source"] = os.path.relpath(source, work)
                    if "line" in reject:
                        reject["partition_line"] = reject.pop("line")
                    reject["partition"] = index
                yield ("r", json.dumps(reject, ensure_ascii=False, separators=(",", ":")))
        if args.history:
            with open(history_path, encoding="utf-8", newline="") as f:
                body = [line.rstrip("\n") for line in f if not line.startswith("#")]
            for line in body[1:]:
                yield ("h", line)
    finally:
        shutil.rmtree(work, ignore_errors=True)


# --------------------------------------------------------------------------------------------
# Stage 3: lists


def field(record, path):
    value = record
    for part in path.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def top_level_string(line, name):
    """The text of a top-level string field of a person line, without parsing the whole line
    (the lists stage reads every person): found only before the first nested object or array
    and where no string before it could hide one; None when not found that way (the caller then
    parses the line)."""
    key = '"' + name + '":'
    at = line.find(key)
    if at <= 0:
        return None
    before = line[1:at]
    if "[" in before or "{" in before or "\\" in before:
        return None
    if line[at - 1] not in "{,":
        return None
    try:
        value, _ = json.JSONDecoder().raw_decode(line, at + len(key))
    except ValueError:
        return None
    return value if isinstance(value, str) else None


def group_name(record, path):
    """The name of the list group mdt-list puts a person in (its --group-by), as mdt-list writes
    it in each entry's "group": so last night's entries meet tonight's people."""
    value = field(record, path)
    if value is None:
        return f"(no {path})"
    if isinstance(value, str):
        return value
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def list_partition(index, items, args, list_options, partitions):
    lines, previous = [], []
    for kind, value in items:
        (lines if kind == "p" else previous).append(value)
    if not lines and not previous:
        return
    work = tempfile.mkdtemp(prefix=f"joinedup-lists-{index}-")
    try:
        argv = [binary(args, "mdt-list"), "-", "--as-of", args.as_of, "--group-by", args.list_group_by] + list_options
        if not lines:
            # Only last night's entries of groups with nobody tonight (a practice gone from the
            # extract): they are listed as left, as a single run lists them. The job's own
            # --min-people guard has already checked the whole run.
            argv += ["--min-people", "0"]
        if args.previous:
            path = os.path.join(work, "previous.jsonl")
            with open(path, "w", encoding="utf-8") as f:
                for line in previous:
                    f.write(line + "\n")
            argv += ["--previous", path]
        for n, line in enumerate(run_pipe([argv], lines, f"lists {index}")):
            group = json.loads(line).get("group", "")
            # A person who moved group is also here, for their old group's "left" reason; their
            # new group's entry comes from its own partition.
            if stable_partition(group, partitions) == index:
                yield (group, index, n, line)
    finally:
        shutil.rmtree(work, ignore_errors=True)


# --------------------------------------------------------------------------------------------
# Stage 4: report


def tallies_partition(index, lines, args):
    lines = list(lines)
    if not lines:
        return
    argv = [binary(args, "outcome-report"), "-", "--as-of", args.as_of, "--format", "tallies"] + args.tally_option
    yield "".join(line + "\n" for line in run_pipe([argv], lines, f"tallies {index}"))


# --------------------------------------------------------------------------------------------


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter,
                                epilog="docs/scale-out.md explains the partitioning and what is exact.")
    p.add_argument("folders", nargs="+", metavar="FOLDER", help="the organisations' folders of CSV tables, as ingest-gp takes them")
    p.add_argument("--out", required=True, help="output folder (created; its people/ and tallies/ are replaced)")
    p.add_argument("--as-of", required=True, help="the day the run is computed for (YYYY-MM-DD)")
    p.add_argument("--bin", default=os.environ.get("JOINEDUP_BIN"), help="absolute path of the programs on every node")
    p.add_argument("--ship", metavar="BUILD_DIR", help="send the programs from this folder with the job instead of --bin")
    p.add_argument("--partitions", type=int, default=0, help="partitions for ingest and enrich (default: Spark's default parallelism × 2)")
    p.add_argument("--list-partitions", type=int, default=0, help="partitions for the lists (default: as --partitions)")
    p.add_argument("--key-column", default="nhs_number", help="the column every table keys its rows by (default: nhs_number)")
    p.add_argument("--pseudonymise", metavar="KEYFILE", help="ingest-gp --pseudonymise KEYFILE (shipped with the job)")
    p.add_argument("--pathways", action="append", default=[], help="pathway-audit --pathways (repeatable; on every node)")
    p.add_argument("--history", help="pathway-audit --history: read (when it exists) and rewritten")
    p.add_argument("--previous", help="last night's lists.jsonl, for mdt-list --previous")
    p.add_argument("--list-group-by", default="practice", help="the record field a list is per (mdt-list --group-by; default practice)")
    p.add_argument("--list-options", default="", help="mdt-list options, as one shell-quoted string")
    p.add_argument("--min-people", type=int, default=1, help="stop, writing no lists or report, when fewer people come out of ingest")
    p.add_argument("--report-format", default="html", choices=["html", "markdown", "csv", "jsonl"])
    p.add_argument("--report-options", default="", help="outcome-report --merge options (--targets, --unit-costs, --population, …)")
    p.add_argument("--tally-options", default="", help="outcome-report options fixed in the tallies (--baseline, --period, --group-by, --imd)")
    p.add_argument("--ingest-option", action="append", default=[], help="one more ingest-gp argument (repeatable)")
    p.add_argument("--risk-option", action="append", default=[], help="one more risk-score argument (repeatable)")
    p.add_argument("--audit-option", action="append", default=[], help="one more pathway-audit argument (repeatable)")
    args = p.parse_args(argv)
    if not args.bin and not args.ship:
        p.error("--bin DIR (the programs on every node) or --ship BUILD_DIR is required")
    if args.bin and not os.path.isabs(args.bin):
        p.error("--bin must be an absolute path (Spark's workers do not share the driver's working folder or PATH)")
    args.pathways = [os.path.abspath(x) for x in args.pathways]
    args.list_options = shlex.split(args.list_options)
    args.tally_option = shlex.split(args.tally_options)
    args.report_option = shlex.split(args.report_options)
    for o in args.list_options:
        name = o.split("=", 1)[0]
        if name in WHOLE_RUN_LIST_OPTIONS:
            p.error(f"--list-options: {name} cannot be given to each partition: {WHOLE_RUN_LIST_OPTIONS[name]}")
    for o in args.report_option:
        if o.split("=", 1)[0] in WHOLE_RUN_REPORT_OPTIONS:
            p.error(f"--report-options: {o} is fixed in the tallies (give it in --tally-options) or set by the job")
    return args


def main(argv):
    args = parse_args(argv)
    from pyspark.sql import SparkSession
    spark = SparkSession.builder.appName("joinedup-nightly").getOrCreate()
    sc = spark.sparkContext
    partitions = args.partitions or max(2, sc.defaultParallelism * 2)
    list_partitions = args.list_partitions or partitions
    if args.ship:
        for name in PROGRAMS:
            sc.addFile(os.path.join(os.path.abspath(args.ship), name))
    key = None
    if args.pseudonymise:
        with open(args.pseudonymise, "rb") as f:
            key = f.read()
        sc.addFile(os.path.abspath(args.pseudonymise))
        key_name = os.path.basename(args.pseudonymise)

    os.makedirs(args.out, exist_ok=True)
    folders, tables = discover_tables(args.folders)
    rows = read_tables(spark, tables, args.key_column, key)

    # The pathway history, keyed by id (the id a record carries, so the key above).
    history_header = None
    history_rows = []
    if args.history and os.path.exists(args.history):
        with open(args.history, encoding="utf-8", newline="") as f:
            text = f.read()
        comments = [line for line in text.splitlines(keepends=True) if line.startswith("#")]
        body = [line for line in text.splitlines(keepends=True) if not line.startswith("#")]
        history_header = "".join(comments) + (body[0] if body else "pathway,id,entered\n")
        # Rows keyed by id (the second column; ids and pathway ids are written verbatim).
        history_rows = [(line.split(",")[1], "h", 0, 0, line.rstrip("\r\n")) for line in body[1:] if line.strip()]
    elif args.history:
        print(f"nightly.py: no history yet at {args.history}: everyone in an 'entered' group enters tonight", file=sys.stderr)

    # 1. ingest: each person's rows, from every table, in one partition, in file order.
    # The history's rows join the tables' in the same hash partitioning (Spark's, by key).
    if history_rows:
        rows = rows.unionByName(spark.createDataFrame(history_rows, rows.schema))
    parts = rows.repartition(partitions, "key").sortWithinPartitions("key", "kind", "tbl", "row").rdd

    # 2. enrich, in the same partitions and the same pipe: ingest-gp | risk-score | pathway-audit.
    def ingest_and_enrich(index, items):
        key_file = None
        if args.pseudonymise:
            from pyspark import SparkFiles
            key_file = SparkFiles.get(key_name)
            os.chmod(key_file, 0o600)   # ingest-gp refuses a key others can read
        return ingest_and_enrich_partition(index, items, args, folders, tables, key_file, history_header)
    enriched = parts.mapPartitionsWithIndex(ingest_and_enrich)
    from pyspark import StorageLevel
    enriched.persist(StorageLevel.MEMORY_AND_DISK)
    people = enriched.filter(lambda kv: kv[0] == "p").map(lambda kv: kv[1])
    count = people.count()
    if count < args.min_people:
        raise SystemExit(f"nightly.py: only {count} people came out of ingest (--min-people {args.min_people}): "
                         "a broken extract? Nothing written")

    people_dir = os.path.join(args.out, "people")
    if os.path.exists(people_dir):
        shutil.rmtree(people_dir)
    people.saveAsTextFile(people_dir)

    rejects = enriched.filter(lambda kv: kv[0] == "r").map(lambda kv: kv[1]).collect()
    write_atomically(os.path.join(args.out, "rejects.jsonl"), "".join(r + "\n" for r in rejects))
    if args.history:
        rows_out = enriched.filter(lambda kv: kv[0] == "h").map(lambda kv: kv[1]).collect()
        # Sorted as pathway-audit writes them: by pathway, then id.
        rows_out.sort(key=lambda line: tuple(line.split(",")[:2]))
        out = io.StringIO()
        out.write(f"# as_of: {args.as_of}\n# When each person entered the group of a pathway dated 'entered' (pathway-audit --history).\npathway,id,entered\n")
        for line in rows_out:
            out.write(line + "\n")
        history_out = args.history
    # 3. lists: whole groups per partition.
    group_path = args.list_group_by
    previous_groups = {}
    previous_rdd = sc.emptyRDD()
    if args.previous:
        with open(args.previous, encoding="utf-8") as f:
            previous = [(json.loads(line), line.rstrip("\n")) for line in f if line.strip()]
        # Last night's entries go to their group's partition (mdt-list writes each entry's group
        # as text: the same as group_name gives), and each listed person's old group is known,
        # so a person who moved is also sent to their old group's partition: mdt-list there says
        # why they left it (moved to …) as a single run does.
        for e, _ in previous:
            if e.get("status") != "left":
                previous_groups[e["id"]] = e.get("group", "")
        previous_rdd = sc.parallelize([(e.get("group", ""), ("q", line)) for e, line in previous])
    moved = sc.broadcast(previous_groups)

    simple_path = "." not in group_path

    def to_groups(line):
        group = top_level_string(line, group_path) if simple_path else None
        ident = top_level_string(line, "id")
        if group is None or ident is None:
            record = json.loads(line)
            group, ident = group_name(record, group_path), record.get("id")
        yield (group, ("p", line))
        old = moved.value.get(ident)
        if old is not None and old != group:
            yield (old, ("p", line))
    lists = people.flatMap(to_groups).union(previous_rdd) \
        .partitionBy(list_partitions, lambda g: stable_partition(g, list_partitions)) \
        .map(lambda kv: kv[1]) \
        .mapPartitionsWithIndex(lambda i, it: list_partition(i, it, args, args.list_options, list_partitions)).collect()
    # mdt-list writes groups in order of name, each group's entries in its own order.
    lists.sort(key=lambda e: (e[0], e[1], e[2]))
    write_atomically(os.path.join(args.out, "lists.jsonl"), "".join(e[3] + "\n" for e in lists))

    # 4. report: tallies per partition, merged on the driver.
    tallies = people.mapPartitionsWithIndex(lambda i, it: tallies_partition(i, it, args)).collect()
    tallies_dir = os.path.join(args.out, "tallies")
    shutil.rmtree(tallies_dir, ignore_errors=True)
    os.makedirs(tallies_dir)
    files = []
    for n, text in enumerate(tallies):
        path = os.path.join(tallies_dir, f"part-{n:05d}.tallies")
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        files.append(path)
    report = os.path.join(args.out, "report." + {"markdown": "md"}.get(args.report_format, args.report_format))
    merge = [binary_on_driver(args, "outcome-report"), "--merge"] + files + \
        ["--format", args.report_format, "-o", report] + args.report_option
    result = subprocess.run(merge, stderr=subprocess.PIPE, text=True)
    sys.stderr.write(result.stderr)
    if result.returncode != 0:
        raise SystemExit(f"nightly.py: outcome-report --merge exited {result.returncode}")
    if args.history:
        write_atomically(history_out, out.getvalue())
    enriched.unpersist()
    print(f"nightly.py: {count} people in {partitions} partitions; {len(lists)} list entries; "
          f"{len(rejects)} rejects; report from {len(files)} tallies files; in {args.out}", file=sys.stderr)
    spark.stop()


def binary_on_driver(args, name):
    """The path of a program on the driver, which reads a shipped folder where it is (SparkFiles
    serves the executors)."""
    return os.path.join(os.path.abspath(args.ship), name) if args.ship else os.path.join(args.bin, name)


def write_atomically(path, text):
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".nightly-")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


if __name__ == "__main__":
    main(sys.argv[1:])
