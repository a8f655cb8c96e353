#!/usr/bin/env python3
"""A peer for the FHIR NDJSON row of bench/xml: Python's json module reading every line of a Bulk
Data export and grouping each Observation's codes under its Patient reference (in a dict: it
holds everything, where ingest-gp spills to disk), then writing one JSON line per patient.

    python3 bench/xml/peer_ndjson.py DIR OUT.jsonl
"""
import glob
import json
import sys


def main():
    people = {}
    for path in sorted(glob.glob(sys.argv[1] + "/*.ndjson")):
        with open(path) as f:
            for line in f:
                r = json.loads(line)
                if r["resourceType"] == "Patient":
                    people.setdefault("Patient/" + r["id"], {"events": []})["birth_date"] = r.get("birthDate")
                elif "subject" in r:
                    codes = [[c.get("system"), c.get("code")] for c in r.get("code", {}).get("coding", [])]
                    people.setdefault(r["subject"]["reference"], {"events": []})["events"].append(
                        {"date": r.get("effectiveDateTime", "")[:10], "codes": codes, "value": r.get("valueQuantity", {}).get("value")})
    with open(sys.argv[2], "w") as out:
        for key in sorted(people):
            p = people[key]
            p["events"].sort(key=lambda e: e["date"])
            out.write(json.dumps({"id": key, **p}) + "\n")


if __name__ == "__main__":
    main()
