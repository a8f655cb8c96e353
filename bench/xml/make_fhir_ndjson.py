#!/usr/bin/env python3
"""Writes a FHIR Bulk Data-shaped export for bench/xml: Patient.ndjson and Observation.ndjson
(one resource per line, body weights with SNOMED CT and LOINC codings, UCUM units).

    python3 bench/xml/make_fhir_ndjson.py PATIENTS OBSERVATIONS OUT_DIR
"""
import json
import os
import random
import sys


def main():
    patients, observations, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    os.makedirs(out, exist_ok=True)
    r = random.Random(1)
    with open(f"{out}/Patient.ndjson", "w") as f:
        for i in range(patients):
            f.write(json.dumps({"resourceType": "Patient", "id": f"p{i}", "gender": r.choice(["male", "female"]),
                                "birthDate": f"{r.randint(1930, 2000)}-0{r.randint(1, 9)}-1{r.randint(0, 9)}"}) + "\n")
    with open(f"{out}/Observation.ndjson", "w") as f:
        for i in range(observations):
            f.write(json.dumps({
                "resourceType": "Observation", "id": f"o{i}", "status": "final",
                "category": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/observation-category", "code": "vital-signs"}]}],
                "code": {"coding": [{"system": "http://snomed.info/sct", "code": "27113001", "display": "Body weight"},
                                    {"system": "http://loinc.org", "code": "29463-7"}]},
                "subject": {"reference": f"Patient/p{r.randint(0, patients - 1)}"},
                "effectiveDateTime": f"202{r.randint(0, 5)}-0{r.randint(1, 9)}-1{r.randint(0, 9)}T10:00:00Z",
                "valueQuantity": {"value": round(r.uniform(40, 120), 1), "unit": "kg", "system": "http://unitsofmeasure.org", "code": "kg"}}) + "\n")


if __name__ == "__main__":
    main()
