#!/usr/bin/env python3
"""TCP segments and bytes a server sends per viewer per second, from two `ss -tin` snapshots of its established
connections on PORT, SECONDS apart (connections that sent under 1 MB, such as the publisher's, are left out).
Usage: bench/segment-probe.py PORT SECONDS    (run while a media bench holds its viewers; reads ss only)"""
import re
import statistics
import subprocess
import sys
import time

FIELDS = ("data_segs_out", "segs_in", "bytes_sent")


def snapshot(port):
    out = subprocess.run(["ss", "-tinH", "state", "established", f"( sport = :{port} )"],
                         capture_output=True, text=True, check=True).stdout
    sockets, peer = {}, None
    for line in out.splitlines():
        if not line.strip():
            continue
        if not line[0].isspace():
            peer = line.split()[-1]
        elif peer is not None:
            sockets[peer] = {f: int(m.group(1)) for f in FIELDS if (m := re.search(rf"\b{f}:(\d+)", line))}
    return sockets


port, seconds = sys.argv[1], float(sys.argv[2])
before = snapshot(port)
time.sleep(seconds)
after = snapshot(port)
viewers = [p for p in before if p in after and before[p].get("bytes_sent", 0) > 1_000_000]
print(f"viewers {len(viewers)}")
for f in FIELDS:
    rates = [(after[p].get(f, 0) - before[p].get(f, 0)) / seconds for p in viewers]
    print(f"{f} per viewer per second, median: {statistics.median(rates):.1f}" if rates else f"{f}: no viewers")
