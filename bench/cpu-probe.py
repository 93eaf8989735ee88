#!/usr/bin/env python3
"""Where a server's core goes over a window: core 0's /proc/stat shares and the process's threads' user/system time.
Usage: bench/cpu-probe.py PID[,PID...] SECONDS   (used by bench/run-steady.sh; reads /proc only)"""
import sys, time, os, glob
pids = [int(p) for p in sys.argv[1].split(',')]
dur = float(sys.argv[2])
hz = os.sysconf('SC_CLK_TCK')
def threads():
    out = {}
    for pid in pids:
        for t in glob.glob(f'/proc/{pid}/task/*'):
            try:
                s = open(t + '/stat').read()
                comm = s[s.index('(')+1:s.rindex(')')]
                f = s[s.rindex(')')+2:].split()
                out[t] = (comm, int(f[11]), int(f[12]))
            except Exception:
                pass
    return out
def core0():
    for line in open('/proc/stat'):
        if line.startswith('cpu0 '):
            return [int(x) for x in line.split()[1:]]
a, c0 = threads(), core0()
time.sleep(dur)
b, c1 = threads(), core0()
d = [y - x for x, y in zip(c0, c1)]
tot = sum(d)
names = ['user','nice','system','idle','iowait','irq','softirq','steal']
print('core0: ' + ' '.join(f'{n}={100*v/tot:.1f}%' for n, v in zip(names, d)) + f' busy={100*(tot-d[3]-d[4])/tot:.1f}%')
agg = {}
for t, (comm, u, s) in b.items():
    if t in a:
        du, ds = u - a[t][1], s - a[t][2]
        k = comm
        x = agg.setdefault(k, [0, 0])
        x[0] += du; x[1] += ds
tu = sum(v[0] for v in agg.values()); ts = sum(v[1] for v in agg.values())
print(f'process: user={100*tu/hz/dur:.1f}% sys={100*ts/hz/dur:.1f}%')
for k, v in sorted(agg.items(), key=lambda kv: -(kv[1][0]+kv[1][1]))[:8]:
    if v[0] + v[1] > 0:
        print(f'  {k:24s} user={100*v[0]/hz/dur:.1f}% sys={100*v[1]/hz/dur:.1f}%')
