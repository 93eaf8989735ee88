#!/usr/bin/env python3
"""Summary of bench/run-paired.sh: per server and viewer count, the median core busy share over the rounds and the median
of the same-round ratios to nginx-rtmp. Usage: bench/paired-summary.py LABELS_FILE ROWS_FILE
ROWS lines are 'round|server index| viewers | failed | lagging | ... |' (the media bench's table rows)."""
import statistics
import sys

labels = [l.rstrip('\n') for l in open(sys.argv[1]) if l.strip()]
rows = {}  # (server, viewers) -> {round: cells}
for line in open(sys.argv[2]):
    cells = [c.strip() for c in line.split('|')]
    rnd, server, viewers = int(cells[0]), int(cells[1]), int(cells[2])
    rows.setdefault((server, viewers), {})[rnd] = cells[2:]

def busy(c):
    return float(c[9].rstrip('%'))

nginx = next((i for i, l in enumerate(labels) if l.startswith('nginx')), None)
print()
print('| viewers | server | rounds | failed / lagging | core busy, median (min–max) | median same-round ratio to nginx-rtmp (min–max) | delay p99 ms, median (end to end) | server delay p99 (rounds) |')
print('|---|---|---|---|---|---|---|---|')
for viewers in sorted({v for _, v in rows}):
    for s, label in enumerate(labels):
        per = rows.get((s, viewers), {})
        if not per:
            continue
        b = [busy(c) for c in per.values()]
        failed = sum(int(c[1]) for c in per.values())
        unmeasured = sum(1 for c in per.values() if c[2] == 'n/a')  # the bench could not match timestamps
        lagging = sum(int(c[2]) for c in per.values() if c[2] != 'n/a')
        if unmeasured:
            lagging = f'{lagging} (lag not measured in {unmeasured} rounds)'
        p99s = [float(c[5]) for c in per.values() if c[5] != 'NaN']
        p99 = statistics.median(p99s) if p99s else float('nan')
        server_delay = ' '.join(sorted({c[8].split('/')[-1].strip() for c in per.values() if c[8] != 'n/a'})) or 'n/a'
        ratio = 'n/a' if nginx is None or s == nginx else ''
        if nginx is not None and s != nginx:
            base = rows.get((nginx, viewers), {})
            rs = [busy(per[r]) / busy(base[r]) for r in per if r in base and busy(base[r]) > 0]
            ratio = f'**{statistics.median(rs):.2f}** ({min(rs):.2f}–{max(rs):.2f})' if rs else 'n/a'
        elif s == nginx:
            ratio = '1'
        print(f'| {viewers} | {label} | {len(b)} | {failed} / {lagging} | {statistics.median(b):.1f} % ({min(b):.1f}–{max(b):.1f}) '
              f'| {ratio} | {p99:.1f} | {server_delay} |')
