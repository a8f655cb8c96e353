#!/usr/bin/env python3
"""A peer for bench/xml: what an analyst might write with Python's standard library. It streams
a GP2GP file with xml.etree.ElementTree.iterparse, and writes one JSON line per EhrExtract with
every coded statement's codes and date (no date fallbacks, problems or medication kinds: less
than ingest-gp does, so it flatters the peer).

    python3 bench/xml/peer_iterparse.py IN.xml OUT.jsonl
"""
import json
import sys
import xml.etree.ElementTree as ET

H = "{urn:hl7-org:v3}"
STATEMENTS = {H + n for n in ("ObservationStatement", "RequestStatement", "PlanStatement", "MedicationStatement")}


def main():
    src, dst = sys.argv[1], sys.argv[2]
    with open(dst, "w") as out:
        person = None
        for event, el in ET.iterparse(src, events=("start", "end")):
            if event == "start":
                if el.tag == H + "EhrExtract":
                    person = {"id": None, "events": []}
                continue
            if el.tag == H + "recordTarget" and person is not None:
                pid = el.find(f"{H}patient/{H}id")
                person["id"] = pid.get("extension") if pid is not None else None
            elif el.tag in STATEMENTS and person is not None:
                code = el.find(H + "code")
                if code is None:
                    code = el.find(f"{H}consumable/{H}manufacturedProduct/{H}manufacturedMaterial/{H}code")
                codes = []
                if code is not None:
                    if code.get("code"):
                        codes.append([code.get("codeSystem"), code.get("code")])
                    codes += [[t.get("codeSystem"), t.get("code")] for t in code.findall(H + "translation")]
                t = el.find(f"{H}effectiveTime/{H}center")
                if t is None:
                    t = el.find(f"{H}effectiveTime/{H}low")
                person["events"].append({"date": t.get("value") if t is not None else None, "codes": codes})
            elif el.tag == H + "ehrComposition":
                el.clear()
            elif el.tag == H + "EhrExtract":
                out.write(json.dumps(person) + "\n")
                person = None
                el.clear()


if __name__ == "__main__":
    main()
