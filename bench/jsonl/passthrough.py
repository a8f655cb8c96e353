#!/usr/bin/env python3
"""Peer for bench/jsonl: read person JSON Lines, parse every line, write it back.
   python3 passthrough.py orjson|json FILE > out"""
import sys

def main(lib, path):
    out = sys.stdout.buffer
    if lib == "orjson":
        import orjson
        loads, dumps = orjson.loads, orjson.dumps
        with open(path, "rb") as f:
            for line in f:
                out.write(dumps(loads(line)) + b"\n")
    else:
        import json
        with open(path, "rb") as f:
            for line in f:
                out.write(json.dumps(json.loads(line), separators=(",", ":"), ensure_ascii=False).encode() + b"\n")

if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
