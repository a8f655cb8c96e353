#!/usr/bin/env python3
"""Peer for bench/ingest: the straightforward Python way to turn a tables folder into one JSON
line per person. Reads every CSV with the csv module, groups rows by nhs_number in a dict (so
memory grows with the input), writes JSON Lines sorted by NHS number. No validation, no code
mapping: it does less than ingest-gp, which makes it a generous baseline."""
import csv, json, os, sys
from collections import defaultdict

def main(folder, out):
    people = defaultdict(lambda: {"events": [], "encounters": [], "care": []})
    rows = 0
    for name in sorted(os.listdir(folder)):
        if not name.endswith(".csv"):
            continue
        table = name[:-4]
        with open(os.path.join(folder, name), newline="", encoding="utf-8") as f:
            for row in csv.DictReader(f):
                rows += 1
                person = people[row["nhs_number"]]
                if table == "patients":
                    person.update(id=row["nhs_number"], birth_date=row["date_of_birth"], sex=row["sex"], practice=row["practice"])
                elif table in ("clinical_events", "medications"):
                    person["events"].append({"date": row["date"], "code": row.get("snomedct_code") or row.get("dmd_code")})
                elif table == "social_care":
                    person["care"].append({"kind": row["service_type"], "start": row["start_date"]})
                else:
                    person["encounters"].append({"kind": table, "start": row.get("admission_date") or row.get("arrival_date") or row.get("appointment_date")})
    with open(out, "w", encoding="utf-8") as f:
        for key in sorted(people):
            p = people[key]
            for k in ("events", "encounters", "care"):
                p[k].sort(key=lambda e: e.get("date") or e.get("start") or "")
            f.write(json.dumps(p, separators=(",", ":")) + "\n")
    print(f"group_csv.py: {rows} rows, {len(people)} people", file=sys.stderr)

if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
