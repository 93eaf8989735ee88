#!/usr/bin/env python3
"""Server process CPU per round of bench/run-paired.sh (all of a round's steps: ramps, settles, holds), per server: the
median over the rounds and the median of same-round ratios to nginx-rtmp. Unlike the core busy share it counts only the
server's own processes, so it stays meaningful on a machine whose core 0 others use too (it misses softirq work the
kernel does for the server outside its process context). Usage: bench/paired-cpu.py LABELS_FILE CPU_FILE CLK_TCK
CPU lines are 'round|server index|ticks'."""
import statistics
import sys

labels = [l.rstrip('\n') for l in open(sys.argv[1]) if l.strip()]
tck = float(sys.argv[3])
cpu = {}  # server -> {round: seconds}
for line in open(sys.argv[2]):
    rnd, server, ticks = (int(x) for x in line.strip().split('|'))
    cpu.setdefault(server, {})[rnd] = ticks / tck
nginx = next((i for i, l in enumerate(labels) if l.startswith('nginx')), None)
print()
print('| server | rounds | process CPU s per round, median (min–max) | median same-round ratio to nginx-rtmp (min–max) |')
print('|---|---|---|---|')
for s, label in enumerate(labels):
    per = cpu.get(s, {})
    if not per:
        continue
    v = list(per.values())
    ratio = '1' if s == nginx else 'n/a'
    if s != nginx and nginx is not None:
        r = [per[k] / cpu[nginx][k] for k in per if cpu.get(nginx, {}).get(k)]
        if r:
            ratio = f'**{statistics.median(r):.2f}** ({min(r):.2f}–{max(r):.2f})'
    print(f'| {label} | {len(v)} | {statistics.median(v):.1f} ({min(v):.1f}–{max(v):.1f}) | {ratio} |')
