#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turn the BENCH lines of a `kmm.mode=bench` console log into tables,
data files and (with gnuplot) plots.

Every figure is a ratio against a baseline timed in the same guest boot;
each ratio is taken per repetition and the median is reported with the
range over the repetitions.

Usage: bench-report.py LOG OUTDIR
"""
import collections
import os
import statistics
import sys


def parse(path):
    rows = collections.defaultdict(list)
    with open(path, errors='replace') as f:
        for line in f:
            line = line.strip()
            if not line.startswith('BENCH '):
                continue
            fields = line.split()[1:]
            group, pairs = fields[0], dict(p.split('=', 1) for p in fields[1:])
            rows[group].append(pairs)
    return rows


def summary(values):
    med = statistics.median(values)
    return med, min(values), max(values)


def fmt(stat):
    med, lo, hi = stat
    return f'{med:5.2f} ({lo:.2f}-{hi:.2f})'


def report_scullp(rows, out):
    keyed = collections.defaultdict(list)
    for r in rows:
        keyed[(int(r['order']), int(r['bs']))].append(r)
    print('scullp: dd throughput as a ratio to the same dd on tmpfs '
          '(and read against /dev/zero -> /dev/null),')
    print('median of the repetitions, range in brackets; > 1 means scullp is faster')
    print(f'{"order":>5} {"bs":>8} {"read/tmpfs":>18} {"write/tmpfs":>18} '
          f'{"read/zero-null":>18} {"read MB/s":>9}')
    goals = []
    dat = os.path.join(out, 'scullp_ratio.dat')
    with open(dat, 'w') as f:
        f.write('# order bs read_ratio write_ratio read_vs_zero\n')
        for (order, bs), reps in sorted(keyed.items()):
            read = summary([int(r['tmpfs_read']) / int(r['scullp_read']) for r in reps])
            write = summary([int(r['tmpfs_write']) / int(r['scullp_write']) for r in reps])
            zero = summary([int(r['zero_null']) / int(r['scullp_read']) for r in reps])
            mbs = statistics.median(int(r['bytes']) / int(r['scullp_read']) * 1000
                                    for r in reps)
            print(f'{order:>5} {bs:>8} {fmt(read):>18} {fmt(write):>18} '
                  f'{fmt(zero):>18} {mbs:9.0f}')
            f.write(f'{order} {bs} {read[0]:.4f} {write[0]:.4f} {zero[0]:.4f}\n')
            if bs >= 65536:
                goals.append((f'read at order {order}, bs {bs} >= 0.9x tmpfs', read[0] >= 0.9))
                goals.append((f'write at order {order}, bs {bs} >= 0.8x tmpfs', write[0] >= 0.8))
    print()
    for desc, held in goals:
        print(f'  goal {"holds " if held else "MISSED"}: {desc}')
    print()


def report_growth(rows, out):
    keyed = collections.defaultdict(list)
    for r in rows:
        keyed[int(r['size_mib'])].append(int(r['scullp_read']) / (int(r['bytes']) >> 20))
    if not keyed:
        return
    base = statistics.median(keyed[min(keyed)])
    print('scullp: cost per MiB of reading the last 16 MiB as the device grows, '
          f'as a ratio to the {min(keyed)} MiB device (flat is right)')
    print(f'{"MiB":>6} {"ratio":>18} {"us/MiB":>9}')
    dat = os.path.join(out, 'scullp_growth.dat')
    with open(dat, 'w') as f:
        f.write('# size_mib ratio_to_smallest\n')
        for size, per in sorted(keyed.items()):
            ratio = summary([p / base for p in per])
            print(f'{size:>6} {fmt(ratio):>18} {statistics.median(per) / 1000:9.0f}')
            f.write(f'{size} {ratio[0]:.4f}\n')
    worst = max(statistics.median(p) / base for p in keyed.values())
    print(f'\n  goal {"holds " if worst < 1.5 else "MISSED"}: '
          f'cost per MiB stays within 1.5x of the smallest device (worst {worst:.2f}x)\n')


def main():
    log, out = sys.argv[1:3]
    os.makedirs(out, exist_ok=True)
    rows = parse(log)
    print('Absolute numbers come from a QEMU guest under software emulation (TCG):')
    print('they are not hardware numbers. Ratios compare runs in the same boot.\n')
    if rows.get('scullp'):
        report_scullp(rows['scullp'], out)
    if rows.get('scullp_growth'):
        report_growth(rows['scullp_growth'], out)
    if not rows:
        print('no BENCH lines in the log')
        sys.exit(1)


if __name__ == '__main__':
    main()
