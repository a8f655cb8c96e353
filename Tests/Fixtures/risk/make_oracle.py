#!/usr/bin/env python3
"""Expected Charlson, Elixhauser and HFRS scores from an independent implementation.

Writes comorbidipy-0.8.0.csv: one row per generated person with the ICD-10 codes it carries (as a
hospital would write them: some with dots, some lower case) and the scores comorbidipy 0.8.0
computes for them. CareRiskTests/OracleTests.swift scores the same codes with risk-score's models
and compares, so CI needs no Python.

comorbidipy 0.8.0 needs Python >= 3.13 (older Pythons only get 0.5.0):
    PYENV_VERSION=3.13.0 pyenv exec python -m venv /tmp/cmb
    /tmp/cmb/bin/pip install comorbidipy==0.8.0
    /tmp/cmb/bin/python Tests/Fixtures/risk/make_oracle.py

Known difference: comorbidipy 0.8.0 weighs AIDS/HIV 2 in Quan 2011 (Quan 2011 Table 2 says 4;
fixed in the R comorbidity package, PR #44). The `aids` column says whom it affects; the test
adds the missing 2 points for them.

Known difference: comorbidipy 0.8.0 counts an HFRS category once per distinct code (I95.4 and
I95.6 score I95 twice); Gilbert 2018 counts each category once per person. The
`hfrs_repeats` column holds the points comorbidipy adds that way (worked out here from
comorbidipy's own table); the test takes them off.
"""
import csv
import os
import random

import comorbidipy
import polars as pl
from comorbidipy import hfrs
from comorbidipy.codemaps.mapping import hfrs_mapping, mapping

assert comorbidipy.__version__ == "0.8.0", comorbidipy.__version__

HERE = os.path.dirname(os.path.abspath(__file__))
rng = random.Random(20261122)

charlson_prefixes = sorted({p for ps in mapping["charlson_icd10_quan"].values() for p in ps})
elix_prefixes = sorted({p for ps in mapping["elixhauser_icd10_quan"].values() for p in ps})
hfrs_codes = sorted(hfrs_mapping)


def extend(prefix):
    """A full code that starts with prefix: ICD-10 codes are 3 to 5 characters."""
    code = prefix
    while len(code) < 3 or (len(code) < 5 and rng.random() < 0.5):
        code += str(rng.randrange(10))
    return code


def noise():
    return rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ") + "".join(str(rng.randrange(10)) for _ in range(rng.choice((2, 3, 4))))


def as_written(code):
    """How a hospital extract might write it: dotted after 3 characters, sometimes lower case."""
    if len(code) > 3 and rng.random() < 0.4:
        code = code[:3] + "." + code[3:]
    if rng.random() < 0.2:
        code = code.lower()
    return code


people = []
for i in range(400):
    n = rng.choice((1, 1, 2, 3, 4, 5, 6, 8, 12))
    codes = []
    for _ in range(n):
        pick = rng.random()
        if pick < 0.35:
            codes.append(extend(rng.choice(charlson_prefixes)))
        elif pick < 0.65:
            codes.append(extend(rng.choice(elix_prefixes)))
        elif pick < 0.9:
            codes.append(extend(rng.choice(hfrs_codes)))
        else:
            codes.append(noise())
    people.append((f"oracle-{i:03d}", codes))

rows = [{"id": pid, "code": code} for pid, codes in people for code in codes]
df = pl.DataFrame(rows)

charlson = comorbidipy.comorbidity(df, score="charlson", icd="icd10", variant="quan", weighting="quan")
charlson1987 = comorbidipy.comorbidity(df, score="charlson", icd="icd10", variant="quan", weighting="charlson")
elix = comorbidipy.comorbidity(df, score="elixhauser", icd="icd10", variant="quan", weighting="van_walraven")
frail = hfrs(df)


def by_id(frame, column):
    return {r["id"]: r[column] for r in frame.select("id", column).to_dicts()}


quan = by_id(charlson, "comorbidity_score")
aids = by_id(charlson, "aids") if "aids" in charlson.columns else {}
original = by_id(charlson1987, "comorbidity_score")
vw = by_id(elix, "comorbidity_score")
hf = by_id(frail, "hfrs_score")


def hfrs_repeats(codes):
    """Tenths comorbidipy adds by scoring a category once per distinct code rather than once."""
    seen = {}
    for code in set(codes):
        category = code[:3].upper()
        if category in hfrs_mapping:
            seen[category] = seen.get(category, 0) + 1
    return sum(round(hfrs_mapping[c] * 10) * (n - 1) for c, n in seen.items())

with open(os.path.join(HERE, "comorbidipy-0.8.0.csv"), "w", newline="") as f:
    f.write("# Expected scores from comorbidipy 0.8.0 (PyPI), made by make_oracle.py beside this file.\n")
    f.write("# charlson_quan: Quan 2005 mapping, Quan 2011 weights (AIDS = 2 here: a comorbidipy bug; aids = 1 marks the people affected).\n")
    f.write("# charlson_1987: Charlson 1987 weights. elixhauser_vw: van Walraven weights. hfrs: Gilbert 2018 as comorbidipy sums it\n")
    f.write("# (a category once per distinct code; hfrs_repeats = the points that adds over once per person).\n")
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["id", "codes", "charlson_quan", "aids", "charlson_1987", "elixhauser_vw", "hfrs", "hfrs_repeats"])
    for pid, codes in people:
        w.writerow([pid, " ".join(as_written(c) for c in codes), int(quan[pid]), int(aids.get(pid) or 0),
                    int(original[pid]), int(vw[pid]), f"{hf[pid]:.1f}", f"{hfrs_repeats(codes) / 10:.1f}"])
print(f"wrote {len(people)} people")
