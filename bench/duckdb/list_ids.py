#!/usr/bin/env python3
"""mdt-list's CSV as group,rank,id lines (what bench/duckdb/top_hfrs.py writes), to compare."""
import csv
import sys

with open(sys.argv[1], newline="", encoding="utf-8") as f, open(sys.argv[2], "w", encoding="utf-8") as out:
    for row in csv.DictReader(f):
        out.write(",".join([row["group"], row["rank"], row["id"]]) + "\n")
