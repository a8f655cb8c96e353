#!/usr/bin/env python3
"""Person JSON Lines -> the (id, code) CSVs comorbidipy's CLI reads, for bench/risk.

Writes the ICD-10 codes of admissions (and ICD-10 events) dated in the same windows risk-score
reads at --as-of: 5 years for Charlson and Elixhauser, 2 years for HFRS, codes upper case without
dots. Preparation, not timed: it stands for the extract a comorbidipy user would start from.
Usage: to_comorbidipy.py PEOPLE.jsonl AS_OF OUT_5Y.csv OUT_2Y.csv
"""
import csv
import datetime
import json
import sys

people, as_of, out5, out2 = sys.argv[1], datetime.date.fromisoformat(sys.argv[2]), sys.argv[3], sys.argv[4]


def years_before(d, n):
    try:
        return d.replace(year=d.year - n)
    except ValueError:  # 29 February
        return d.replace(year=d.year - n, day=28)


from5, from2 = years_before(as_of, 5).isoformat(), years_before(as_of, 2).isoformat()
top = as_of.isoformat()
with open(people) as f, open(out5, "w", newline="") as a, open(out2, "w", newline="") as b:
    w5, w2 = csv.writer(a), csv.writer(b)
    w5.writerow(["id", "code"])
    w2.writerow(["id", "code"])
    for line in f:
        p = json.loads(line)
        pid = p["id"]
        dated = [(e.get("date", ""), e["code"]) for e in p.get("events", []) if e.get("system") == "icd10"]
        for enc in p.get("encounters", []):
            if enc.get("kind") == "admission":
                dated += [(enc.get("start", ""), d["code"]) for d in enc.get("diagnoses", []) if d.get("system") == "icd10"]
        for date, code in dated:
            code = code.replace(".", "").upper()
            if from5 <= date[:10] <= top:
                w5.writerow([pid, code])
            if from2 <= date[:10] <= top:
                w2.writerow([pid, code])
