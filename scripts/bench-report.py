#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turn the BENCH lines of a `kmm.mode=bench` console log into tables,
data files and (with gnuplot) plots, and check the goals of GOALS.

Every figure is a ratio against a baseline timed in the same guest boot;
each ratio is taken per repetition and the median is reported with the
range over the repetitions.  Throughput counts the bytes each dd or tool
says it moved (a "<measure>_bytes" or "moved" field), never the bytes it
was asked for ("bytes="): a short transfer shows as slow, and is named.

GROUPS (comma-separated, default: those with BENCH lines in the log) are
the groups that were asked for.  Every goal of those groups is checked
from the measured medians and printed with its value; one whose data is
missing is a miss, not a skip.  The report ends "N goals, M met, ..."; N
is the number of goals GOALS defines for those groups.  The exit status
is 1 when a group failed in the guest (BENCH-FAILED), left no data or
data that cannot be read, or a goal was missed.

Usage: bench-report.py LOG OUTDIR [GROUPS]
"""
import collections
import math
import os
import statistics
import sys
from typing import NamedTuple


# The kinds of BENCH line each group of scripts/guest/bench.sh prints.
GROUP_ROWS = {
    'scullp': ('scullp', 'scullp_growth'),
    'vmalloc': ('vmalloc_dd', 'vmalloc_alloc'),
    'mmap': ('mmap',),
    'dma': ('dma', 'dma_map'),
    'zcopy': ('zcopy',),
    'scale': ('scale',),
}


class Goal(NamedTuple):
    group: str      # the group of scripts/guest/bench.sh that measures it
    metric: str     # the median a report function computes (METRICS)
    text: str       # what is measured, against what
    op: str         # '>=' or '<=': how the median must stand to the limit
    limit: float


KIB64, MIB1 = 65536, 1048576
MMAP_PAGES = (16, 64, 256, 1024, 4096, 16384, 65536)
MMAP_BIG = tuple(p for p in MMAP_PAGES if p >= 256)

# Every goal, with its group.  Each is a ratio against a baseline of the
# same boot, with room for the noise of a busy host under TCG, and each
# misses on a real regression (a lock around the copy, a walk from the
# head, a page per fault, a bounce, a zero-copy path that copies).
GOALS = (
    # scullp against tmpfs, large blocks (small ones measure dd itself)
    [Goal('scullp', f'scullp {way} order={o} bs={bs}',
          f'scullp {way} throughput at order {o}, bs {bs // 1024} KiB, against tmpfs',
          '>=', limit)
     for o in (0, 2, 4) for bs in (KIB64, MIB1)
     for way, limit in (('read', 0.9), ('write', 0.8))] +
    [Goal('scullp', 'growth worst',
          'scullp cost per MiB read at 32-256 MiB against the 16 MiB device, worst size',
          '<=', 1.5)] +
    # vmalloc_demo: a buffer in vmalloc space is read and written as fast
    # as a physically contiguous one; building it from pages costs little
    [Goal('vmalloc', f'vmalloc_dd {dev} {way} bs={bs}',
          f'vmalloc_demo ({dev} backend) {way} throughput, bs {bs // 1024} KiB, '
          'against a kmalloc()ed buffer', '>=', 0.8)
     for dev in ('vmalloc', 'vmap') for bs in (KIB64, MIB1) for way in ('read', 'write')] +
    [Goal('vmalloc', 'vmalloc_alloc vmap/vmalloc pages=1024',
          'alloc_page()+vmap() (the vmap backend) per page against vmalloc(), 1024 pages',
          '<=', 2.0)] +
    [Goal('mmap', f'mmap insert/remap pages={p}',
          f'mmap_demo insert time per page against remap, {p} pages', '<=', 1.2)
     for p in MMAP_PAGES] +
    [Goal('mmap', f'mmap fault@1/fault faults pages={p}',
          f'faults of mmap_demo fault at one page per fault against its default window '
          f'(how many fewer), {p} pages', '>=', 8)
     for p in MMAP_BIG] +
    [Goal('mmap', f'mmap fault/fault@1 time pages={p}',
          f'mmap_demo fault time per page, default window against one page per fault, '
          f'{p} pages', '<=', 0.5)
     for p in MMAP_BIG] +
    [Goal('mmap', 'mmap scullp@1/scullp-pmd faults',
          'faults of scullp at order 0, one page per fault, against scullp at the PMD '
          'order (how many fewer), 64 MiB', '>=', 100)] +
    # dma_demo: no strategy adds a cost of its own to the device's time
    [Goal('dma', f'dma {st}/coherent {size}',
          f'dma_demo {st} throughput against coherent, the {size} transfer', '>=', 0.9)
     for st in ('streaming', 'direct') for size in ('smallest', 'largest')] +
    [Goal('dma', 'dma_map map/memcpy bytes=65536',
          'dma_map_single()+dma_unmap_single() against memcpy() of 64 KiB', '<=', 0.25)] +
    # zero copy: the copy it saves is worth more than the noise
    [Goal('zcopy', f'zcopy {src} worst',
          f'{src}: O_DIRECT throughput from the mapping against copying first, '
          'worst of 64 KiB-4 MiB', '>=', 1.1)
     for src in ('vmalloc_demo', 'vmalloc_demo-dmabuf', 'dma_demo-dmabuf')] +
    [Goal('scale', f'scale {dev} gain/tmpfs gain',
          f'{dev}: two readers\' throughput over one\'s, against the same gain on tmpfs',
          '>=', 0.9)
     for dev in ('scullp', 'vmalloc_demo')]
)


def parse(path):
    """BENCH lines by kind, what went wrong: the guest's BENCH-FAILED
    lines and BENCH lines with a field that is not key=value (a line the
    console garbled), and the guest's notes by group ("BENCH-NOTE GROUP:
    text", what it left out and why).  An empty or garbled value fails its
    kind's report.
    """
    rows = collections.defaultdict(list)
    problems = []
    notes = collections.defaultdict(list)
    with open(path, errors='replace') as f:
        for line in f:
            line = line.strip()
            if line.startswith('BENCH-NOTE '):
                group, _, text = line.split(None, 1)[1].partition(' ')
                notes[group.rstrip(':')].append(text)
                continue
            if line.startswith('BENCH-FAILED'):
                problems.append(line)
                continue
            if not line.startswith('BENCH '):
                continue
            fields = line.split()[1:]
            if not fields or not all('=' in p for p in fields[1:]):
                problems.append(f'malformed line: {line}')
                continue
            rows[fields[0]].append(dict(p.split('=', 1) for p in fields[1:]))
    return rows, problems, notes


# The short transfers of the kind being reported, each once:
# (line, field) -> (what, moved, asked).
SHORT = {}


def moved(r, key, what, asked=None):
    """The bytes field KEY of line R says were moved; one that moved fewer
    than ASKED (default: the line's bytes=) goes to SHORT."""
    got = int(r[key])
    asked = int(r['bytes']) if asked is None else asked
    if got < asked:
        SHORT[(id(r), key)] = (what, got, asked)
    return got


def rate(r, measure, what, asked=None):
    """Bytes per ns of MEASURE (a dd's time) in line R, from the bytes it
    moved (MEASURE_bytes)."""
    return moved(r, f'{measure}_bytes', what, asked) / int(r[measure])


def ratio(a, b):
    """a / b; not a number when b is 0: a baseline that moved nothing
    measures nothing, and no goal holds against it."""
    return a / b if b else math.nan


def summary(values):
    """Median, least and most of VALUES; all three not a number if one
    is."""
    if any(math.isnan(v) for v in values):
        return math.nan, math.nan, math.nan
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
    metrics = {}
    dat = os.path.join(out, 'scullp_ratio.dat')
    with open(dat, 'w') as f:
        f.write('# order bs read_ratio write_ratio read_vs_zero\n')
        for (order, bs), reps in sorted(keyed.items()):
            def r8(r, m):
                return rate(r, m, f'{m} at order {order}, bs {bs}')
            read = summary([ratio(r8(r, 'scullp_read'), r8(r, 'tmpfs_read')) for r in reps])
            write = summary([ratio(r8(r, 'scullp_write'), r8(r, 'tmpfs_write')) for r in reps])
            zero = summary([ratio(r8(r, 'scullp_read'), r8(r, 'zero_null')) for r in reps])
            mbs = statistics.median(r8(r, 'scullp_read') * 1000 for r in reps)
            print(f'{order:>5} {bs:>8} {fmt(read):>18} {fmt(write):>18} '
                  f'{fmt(zero):>18} {mbs:9.0f}')
            f.write(f'{order} {bs} {read[0]:.4f} {write[0]:.4f} {zero[0]:.4f}\n')
            metrics[f'scullp read order={order} bs={bs}'] = read[0]
            metrics[f'scullp write order={order} bs={bs}'] = write[0]
    print()
    return metrics


def report_growth(rows, out):
    # rep -> size -> ns per MiB moved; each size is compared with the
    # smallest device of the same repetition (the guest grows it again
    # each time).  A read that moved nothing costs without end.
    per_rep = collections.defaultdict(dict)
    for r in rows:
        got = moved(r, 'scullp_read_bytes', f'read of the last 16 MiB at {r["size_mib"]} MiB')
        per_rep[r['rep']][int(r['size_mib'])] = \
            int(r['scullp_read']) / (got / (1 << 20)) if got else math.inf
    sizes = sorted({size for by_size in per_rep.values() for size in by_size})
    base = sizes[0]
    print('scullp: cost per MiB of reading the last 16 MiB as the device grows, '
          f'as a ratio to the {base} MiB device')
    print('of the same repetition, median (range); flat is right')
    print(f'{"MiB":>6} {"ratio":>18} {"us/MiB":>9}')
    worst = -math.inf
    dat = os.path.join(out, 'scullp_growth.dat')
    with open(dat, 'w') as f:
        f.write('# size_mib ratio_to_smallest min max\n')
        for size in sizes:
            reps = [by_size for by_size in per_rep.values()
                    if size in by_size and base in by_size]
            vals = [by_size[size] / by_size[base] if math.isfinite(by_size[base])
                    else math.inf for by_size in reps]
            stat = summary(vals)
            cost = statistics.median(by_size[size] for by_size in reps)
            print(f'{size:>6} {fmt(stat):>18} {cost / 1000:9.0f}')
            f.write(f'{size} {stat[0]:.4f} {stat[1]:.4f} {stat[2]:.4f}\n')
            worst = max(worst, stat[0])
    print()
    return {'growth worst': worst} if len(sizes) > 1 else {}


VMD_DEVS = ('vmalloc', 'vmap', 'kmalloc', 'scullp')


def report_vmalloc_dd(rows, out):
    # (dev, bs, rep) -> line; each device is compared with the baseline's
    # line of the same repetition and block size.
    by = {(r['dev'], int(r['bs']), r['rep']): r for r in rows}
    sizes = sorted({int(r['bs']) for r in rows})
    reps = sorted({r['rep'] for r in rows})
    mib = int(rows[0]['bytes']) >> 20
    print(f'vmalloc_demo: dd of a {mib} MiB buffer as a ratio to the same dd on '
          'a kmalloc()ed buffer (physically contiguous, kmm_bench)')
    print('and on scullp (order 0), paired by repetition; median, range in brackets; '
          '> 1 means faster than the baseline')
    print(f'{"device":>8} {"bs":>8} {"read/kmalloc":>18} {"write/kmalloc":>18} '
          f'{"read/scullp":>18} {"write/scullp":>18} {"read MB/s":>9} {"write MB/s":>10}')

    def speed(dev, bs, rep, key):
        return rate(by[(dev, bs, rep)], key, f'{dev} {key}, bs {bs}')

    def ratios(dev, bs, base, key):
        vals = [ratio(speed(dev, bs, r, key), speed(base, bs, r, key))
                for r in reps if (dev, bs, r) in by and (base, bs, r) in by]
        return summary(vals) if vals else None

    def cell(stat):
        return fmt(stat) if stat else '-'

    metrics = {}
    dat = os.path.join(out, 'vmalloc_dd.dat')
    with open(dat, 'w') as f:
        f.write('# dev bs read_vs_kmalloc write_vs_kmalloc read_vs_scullp write_vs_scullp\n')
        for dev in VMD_DEVS:
            for bs in sizes:
                mine = [r for r in reps if (dev, bs, r) in by]
                if not mine:
                    continue
                st = [None if dev == base else ratios(dev, bs, base, key)
                      for base in ('kmalloc', 'scullp') for key in ('read', 'write')]
                mbs = [statistics.median(speed(dev, bs, r, key) * 1000 for r in mine)
                       for key in ('read', 'write')]
                print(f'{dev:>8} {bs:>8} {cell(st[0]):>18} {cell(st[1]):>18} '
                      f'{cell(st[2]):>18} {cell(st[3]):>18} {mbs[0]:9.0f} {mbs[1]:10.0f}')
                f.write(f'{dev} {bs} ' + ' '.join(f'{s[0]:.4f}' if s else '1'
                                                 for s in st) + '\n')
                for key, stat in zip(('read', 'write'), st):
                    if stat:
                        metrics[f'vmalloc_dd {dev} {key} bs={bs}'] = stat[0]
    print()
    return metrics


def report_vmalloc_alloc(rows, out):
    keyed = collections.defaultdict(list)
    for r in rows:
        keyed[int(r['pages'])].append(r)

    def per_page(r, key):
        return int(r[key]) / (int(r['pages']) * int(r['reps']))

    print('vmalloc_demo: in-kernel cost per page (ns, median) of vmalloc()+vfree() and of '
          'alloc_page()+vmap()+vunmap()+__free_page(),')
    print('and the ratio of the two per repetition (> 1 means the vmap path costs more); '
          '"map" is vmap()+vunmap() alone over ready pages')
    print(f'{"pages":>6} {"vmalloc":>9} {"vmap path":>9} {"vmap/vmalloc":>18} '
          f'{"map":>7} {"map share":>18}')
    metrics = {}
    dat = os.path.join(out, 'vmalloc_alloc.dat')
    with open(dat, 'w') as f:
        f.write('# pages vmalloc_ns_per_page vmap_ns_per_page map_ns_per_page '
                'vmap_over_vmalloc\n')
        for pages, reps in sorted(keyed.items()):
            cost = {k: statistics.median(per_page(r, k) for r in reps)
                    for k in ('vmalloc_ns', 'vmap_ns', 'map_ns')}
            stat = summary([int(r['vmap_ns']) / int(r['vmalloc_ns']) for r in reps])
            share = summary([int(r['map_ns']) / int(r['vmap_ns']) for r in reps])
            print(f'{pages:>6} {cost["vmalloc_ns"]:9.0f} {cost["vmap_ns"]:9.0f} '
                  f'{fmt(stat):>18} {cost["map_ns"]:7.0f} {fmt(share):>18}')
            f.write(f'{pages} {cost["vmalloc_ns"]:.1f} {cost["vmap_ns"]:.1f} '
                    f'{cost["map_ns"]:.1f} {stat[0]:.4f}\n')
            metrics[f'vmalloc_alloc vmap/vmalloc pages={pages}'] = stat[0]
    print()
    return metrics


MMAP_SOURCES = ('remap', 'insert', 'fault@1', 'fault', 'anon', 'anon-thp')
# scullp's mmap, up to 64 MiB: order 0 with one page per fault and with the
# default window, and the PMD order (quanta of a PMD's span).
SCULLP_SOURCES = ('scullp@1', 'scullp', 'scullp-pmd')
SCULLP_RATIOS = (('scullp', 'scullp@1'), ('scullp-pmd', 'scullp@1'),
                 ('scullp-pmd', 'anon-thp'))


def mmap_source(name):
    """maptime's source name as the report calls it: a node with a window
    of 1 is NODE@1 (fault@1, scullp@1), with the default window (NODE@N)
    NODE; scullp-pmd has the default window."""
    base, at, value = name.partition('@')
    if base == 'scullp-pmd' or (at and value != '1'):
        return base
    return name


def report_mmap(rows, out):
    # (pages, rep) -> source -> (map+touch ns per page, munmap ns per page,
    # faults per MiB)
    cost = collections.defaultdict(dict)
    windows, order, page = {}, None, {}
    for r in rows:
        n = int(r['pages'])     # maptime prints the median of its loops
        src = mmap_source(r['src'])
        if '@' in r['src']:
            windows[src] = r['src'].split('@', 1)[1]
        if src == 'scullp-pmd':
            order = r['order']
        page[n] = int(r['page'])
        mib = n * page[n] / (1 << 20)
        cost[(n, r['rep'])][src] = (int(r['map_touch']) / n, int(r['unmap']) / n,
                                    int(r['faults']) / mib)
    sizes = sorted({pages for pages, _ in cost})
    per = {p: [c for (pages, _), c in cost.items()
               if pages == p and all(s in c for s in MMAP_SOURCES)] for p in sizes}
    # The scullp sources the guest ran (none at the PMD order without THP),
    # and the repetitions of each size that have them all.
    scullp = [s for s in SCULLP_SOURCES if any(s in c for c in cost.values())]
    sc_ratios = [(a, b) for a, b in SCULLP_RATIOS
                 if a in scullp and (b in scullp or b in MMAP_SOURCES)]
    sc_per = {p: [c for c in per[p] if all(s in c for s in scullp)] if scullp else []
              for p in sizes}

    def ratio(p, a, b, i=0, reps=per):
        return summary([c[a][i] / c[b][i] for c in reps[p]])

    def med(p, s, i, reps=per):
        return statistics.median(c[s][i] for c in reps[p])

    print('mmap: mmap() + one store to each page, ns per page (median); ratios per')
    print('repetition, median (range).  fault@1: one page per fault (LDD3);')
    print(f'fault: the default window ({windows.get("fault")} pages); anon: '
          'MAP_PRIVATE|MAP_ANONYMOUS')
    print('without THP, anon-thp: with MADV_HUGEPAGE')
    print(f'{"pages":>6} ' + ' '.join(f'{s:>8}' for s in MMAP_SOURCES) +
          f' {"insert/remap":>17} {"fault/fault@1":>17} {"fault/anon":>17}')
    metrics = {}
    nan = 'NaN'     # gnuplot leaves the point out
    with open(os.path.join(out, 'mmap_cost.dat'), 'w') as f:
        f.write('# pages ns_per_page(' + ' '.join(MMAP_SOURCES) + ') '
                'ratio(insert/remap fault/fault@1 fault/anon) '
                'faults_per_mib(' + ' '.join(MMAP_SOURCES) + ') '
                'ns_per_page(' + ' '.join(SCULLP_SOURCES) + ') '
                'ratio(' + ' '.join('/'.join(r) for r in SCULLP_RATIOS) + ') '
                'faults_per_mib(' + ' '.join(SCULLP_SOURCES) + '); NaN: not measured\n')
        for p in sizes:
            if not per[p]:
                continue
            ns = [med(p, s, 0) for s in MMAP_SOURCES]
            faults = [med(p, s, 2) for s in MMAP_SOURCES]
            ratios = [ratio(p, 'insert', 'remap'), ratio(p, 'fault', 'fault@1'),
                      ratio(p, 'fault', 'anon')]
            print(f'{p:>6} ' + ' '.join(f'{m:8.0f}' for m in ns) + ' ' +
                  ' '.join(f'{fmt(x):>17}' for x in ratios))
            sc = sc_per[p]
            sc_cols = ([f'{med(p, s, 0, sc_per):.1f}' if sc and s in scullp else nan
                        for s in SCULLP_SOURCES] +
                       [f'{ratio(p, a, b, 0, sc_per)[0]:.4f}' if sc and (a, b) in sc_ratios
                        else nan for a, b in SCULLP_RATIOS] +
                       [f'{med(p, s, 2, sc_per):.1f}' if sc and s in scullp else nan
                        for s in SCULLP_SOURCES])
            f.write(f'{p} ' + ' '.join(f'{m:.1f}' for m in ns) + ' ' +
                    ' '.join(f'{x[0]:.4f}' for x in ratios) + ' ' +
                    ' '.join(f'{m:.1f}' for m in faults) + ' ' + ' '.join(sc_cols) + '\n')
            metrics[f'mmap insert/remap pages={p}'] = ratios[0][0]
            metrics[f'mmap fault/fault@1 time pages={p}'] = ratios[1][0]
            metrics[f'mmap fault@1/fault faults pages={p}'] = \
                med(p, 'fault@1', 2) / max(med(p, 'fault', 2), 1e-9)

    info = []
    sc_sizes = [p for p in sizes if sc_per[p]]
    if sc_sizes:
        # The largest mapping the devices hold: 64 MiB, 16384 pages of 4 KiB.
        big = max(sc_sizes)
        mib = big * page[big] >> 20
        print(f'\nscullp: the same through scullp\'s mmap, up to {mib} MiB (devices of')
        print(f'{mib} MiB), ns per page (median); ratios per repetition, median (range).')
        print('scullp@1: order 0, one page per fault; scullp: order 0, the default')
        print(f'window ({windows.get("scullp")} pages); scullp-pmd: ', end='')
        if 'scullp-pmd' in scullp:
            print(f'order {order}, quanta of a PMD\'s span, one PMD')
            print('entry a fault where a span lies wholly inside the mapping, the window')
            print('elsewhere')
        else:
            print('not measured (see the note below)')
        labels = [f'{a.replace("scullp-", "")}/{b}' for a, b in sc_ratios]
        print(f'{"pages":>6} ' + ' '.join(f'{s:>10}' for s in scullp) +
              ''.join(f' {lab:>17}' for lab in labels))
        for p in sc_sizes:
            print(f'{p:>6} ' + ' '.join(f'{med(p, s, 0, sc_per):10.0f}' for s in scullp) +
                  ''.join(f' {fmt(ratio(p, a, b, 0, sc_per)):>17}' for a, b in sc_ratios))
        if 'scullp-pmd' in scullp:
            pmd = med(big, 'scullp-pmd', 2, sc_per)
            if mib == 64:
                metrics['mmap scullp@1/scullp-pmd faults'] = \
                    med(big, 'scullp@1', 2, sc_per) / max(pmd, 1e-9)
            fewer = med(big, 'scullp', 2, sc_per) / max(pmd, 1e-9)
            info.append(f'scullp at the PMD order takes {fewer:.1f}x fewer faults than '
                        f'scullp order 0 at the default window ({windows.get("scullp")} '
                        f'pages) for a {mib} MiB mapping ({big} pages)')

    def table(title, i, form):
        srcs = MMAP_SOURCES + tuple(scullp)
        print(f'\n{title}')
        print(f'{"pages":>6} ' + ' '.join(f'{s:>10}' for s in srcs))
        for p in sizes:
            if per[p]:
                print(f'{p:>6} ' + ' '.join(
                    format(med(p, s, i, sc_per if s in scullp else per), form)
                    if s not in scullp or sc_per[p] else f'{"-":>10}' for s in srcs))

    table('faults per MiB mapped and touched (median)', 2, '10.1f')
    table('munmap() of the same mappings, ns per page (median)', 1, '10.0f')
    print()
    for line in info:
        print(f'  info: {line}')
    return metrics


DMA_STRATEGIES = ('coherent', 'streaming', 'direct')


def report_dma(rows, out):
    # (bytes, rep) -> strategy -> (ns per transfer, bytes per ns); a
    # transfer is a write or a read, its bytes those pwrite() and pread()
    # returned (dmatime: the fewest of its loops, against the median time)
    per_xfer = collections.defaultdict(dict)
    for r in rows:
        what = f'{r["strategy"]} transfer of {r["bytes"]} bytes'
        got = moved(r, 'write_bytes', f'{what}, write') + moved(r, 'read_bytes', f'{what}, read')
        ns = int(r['write']) + int(r['read'])
        per_xfer[(int(r['bytes']), r['rep'])][r['strategy']] = (ns / 2, got / ns)
    sizes = sorted({b for b, _ in per_xfer})
    print('dma: transfers through /dev/dma_demo0 (pwrite then pread, page-aligned buffer);')
    print('transfers/s and KiB/s moved (median), throughput ratios to coherent per repetition,')
    print('median (range); > 1 means faster than coherent')
    print(f'{"bytes":>6} ' + ' '.join(f'{s[:9] + " xfer/s":>16} {"KiB/s":>7}'
                                      for s in DMA_STRATEGIES) +
          f' {"streaming/coh":>17} {"direct/coh":>17}')
    metrics = {}
    with open(os.path.join(out, 'dma_rate.dat'), 'w') as f:
        f.write('# bytes xfers_per_s(coherent streaming direct) '
                'kib_per_s(coherent streaming direct) ratio(streaming direct)\n')
        for b in sizes:
            reps = [c for (size, _), c in per_xfer.items()
                    if size == b and all(s in c for s in DMA_STRATEGIES)]
            if not reps:
                continue
            xfers = [statistics.median(1e9 / c[s][0] for c in reps) for s in DMA_STRATEGIES]
            kib = [statistics.median(c[s][1] * 1e9 / 1024 for c in reps)
                   for s in DMA_STRATEGIES]
            ratios = [summary([ratio(c[s][1], c['coherent'][1]) for c in reps])
                      for s in DMA_STRATEGIES[1:]]
            print(f'{b:>6} ' + ' '.join(f'{x:16.2f} {k:7.1f}' for x, k in zip(xfers, kib)) +
                  ' ' + ' '.join(f'{fmt(x):>17}' for x in ratios))
            f.write(f'{b} ' + ' '.join(f'{x:.3f}' for x in xfers) + ' ' +
                    ' '.join(f'{k:.2f}' for k in kib) + ' ' +
                    ' '.join(f'{x[0]:.4f}' for x in ratios) + '\n')
            for st, stat in zip(DMA_STRATEGIES[1:], ratios):
                if b == sizes[0]:
                    metrics[f'dma {st}/coherent smallest'] = stat[0]
                if b == sizes[-1]:
                    metrics[f'dma {st}/coherent largest'] = stat[0]
    print()
    return metrics


def report_dma_map(rows, out):
    keyed = collections.defaultdict(list)
    for r in rows:
        loops = int(r['loops'])
        keyed[int(r['bytes'])].append((int(r['map_unmap_ns']) / loops,
                                       int(r['memcpy_ns']) / loops))
    print('dma: one dma_map_single() + dma_unmap_single() against one memcpy() of the')
    print('same size, timed in the kernel (kmm_bench/dma_map), ns per call (median);')
    print('ratio per repetition, median (range); < 1 means mapping is cheaper than copying')
    print(f'{"bytes":>6} {"map+unmap":>10} {"memcpy":>8} {"map/memcpy":>17}')
    metrics = {}
    with open(os.path.join(out, 'dma_map.dat'), 'w') as f:
        f.write('# bytes map_unmap_ns memcpy_ns ratio\n')
        for b, reps in sorted(keyed.items()):
            m = statistics.median(x for x, _ in reps)
            c = statistics.median(y for _, y in reps)
            stat = summary([ratio(x, y) for x, y in reps])
            print(f'{b:>6} {m:10.1f} {c:8.1f} {fmt(stat):>17}')
            f.write(f'{b} {m:.2f} {c:.2f} {stat[0]:.4f}\n')
            metrics[f'dma_map map/memcpy bytes={b}'] = stat[0]
    print()
    return metrics


ZCOPY_SOURCES = ('vmalloc_demo', 'vmalloc_demo-dmabuf', 'dma_demo-dmabuf')


def report_zcopy(rows, out):
    # (bytes, rep) -> source -> way -> bytes per ns, from the bytes written
    cost = collections.defaultdict(lambda: collections.defaultdict(dict))
    for r in rows:
        cost[(int(r['bytes']), r['rep'])][r['src']][r['way']] = \
            moved(r, 'moved', f'{r["src"]} {r["way"]} of {r["bytes"]} bytes') / int(r['ns'])
    sizes = sorted({b for b, _ in cost})
    sources = [s for s in ZCOPY_SOURCES if any(s in c for c in cost.values())]
    print('zcopy: O_DIRECT write of a driver buffer to a RAM disk, MB/s moved (median):')
    print('straight from its mapping (zero-copy) or copied into a user buffer')
    print('first (copy); throughput ratio zero-copy/copy per repetition,')
    print('median (range): above 1, the copy is what it saves')
    print(f'{"bytes":>8} {"source":>20} {"zero-copy":>10} {"copy":>10} {"zero/copy":>17}')
    worst, missing = {}, set()
    with open(os.path.join(out, 'zcopy.dat'), 'w') as f:
        f.write('# bytes ' + ' '.join(f'{s}(zero_mbs copy_mbs ratio)' for s in ZCOPY_SOURCES) +
                '; ?: not measured\n')
        for b in sizes:
            line = [str(b)]
            for s in ZCOPY_SOURCES:
                reps = [c[s] for (bb, _), c in cost.items()
                        if bb == b and 'zero-copy' in c[s] and 'copy' in c[s]]
                if not reps:
                    missing.add(s)      # its goal is not measured
                    line += ['?', '?', '?']
                    continue
                zero = statistics.median(x['zero-copy'] for x in reps) * 1000
                copy = statistics.median(x['copy'] for x in reps) * 1000
                stat = summary([ratio(x['zero-copy'], x['copy']) for x in reps])
                print(f'{b:>8} {s:>20} {zero:10.0f} {copy:10.0f} {fmt(stat):>17}')
                line += [f'{zero:.1f}', f'{copy:.1f}', f'{stat[0]:.4f}']
                worst[s] = (math.nan if math.isnan(stat[0]) or math.isnan(worst.get(s, 0))
                            else min(worst.get(s, math.inf), stat[0]))
            f.write(' '.join(line) + '\n')
    print()
    return {f'zcopy {s} worst': v for s, v in worst.items() if s not in missing}


SCALE_SOURCES = ('scullp', 'vmalloc_demo', 'tmpfs')


def report_scale(rows, out):
    # rep -> source -> (one reader's bytes per ns, two readers' together)
    per_rep = collections.defaultdict(dict)
    for r in rows:
        asked = int(r['bytes'])
        per_rep[r['rep']][r['src']] = (rate(r, 'one', f'{r["src"]}, one reader', asked),
                                       rate(r, 'two', f'{r["src"]}, two readers', 2 * asked))
    mib = int(rows[0]['bytes']) >> 20
    print(f'scale: dd of {mib} MiB (bs 1 MiB), one reader alone and two at once on the')
    print('same device or file, MB/s moved (median; two: both together); gain: two\'s')
    print('throughput over one\'s per repetition; and that gain against tmpfs\'s of the')
    print('same repetition, median (range)')
    print(f'{"source":>12} {"one MB/s":>9} {"two MB/s":>9} {"gain":>18} {"gain/tmpfs gain":>18}')
    metrics = {}
    with open(os.path.join(out, 'scale.dat'), 'w') as f:
        f.write('# index source one_mbs two_mbs gain gain_min gain_max\n')
        for i, s in enumerate(SCALE_SOURCES):
            reps = [by_src for by_src in per_rep.values() if s in by_src]
            if not reps:
                continue
            one = statistics.median(c[s][0] for c in reps) * 1000
            two = statistics.median(c[s][1] for c in reps) * 1000
            gain = summary([ratio(c[s][1], c[s][0]) for c in reps])
            cell = '-'
            both = [c for c in reps if 'tmpfs' in c]
            if s != 'tmpfs' and both:
                rel = summary([ratio(ratio(c[s][1], c[s][0]),
                                     ratio(c['tmpfs'][1], c['tmpfs'][0])) for c in both])
                cell = fmt(rel)
                metrics[f'scale {s} gain/tmpfs gain'] = rel[0]
            print(f'{s:>12} {one:9.0f} {two:9.0f} {fmt(gain):>18} {cell:>18}')
            f.write(f'{i} {s} {one:.1f} {two:.1f} {gain[0]:.4f} {gain[1]:.4f} {gain[2]:.4f}\n')
    print()
    return metrics


REPORTS = {
    'scullp': report_scullp,
    'scullp_growth': report_growth,
    'vmalloc_dd': report_vmalloc_dd,
    'vmalloc_alloc': report_vmalloc_alloc,
    'mmap': report_mmap,
    'dma': report_dma,
    'dma_map': report_dma_map,
    'zcopy': report_zcopy,
    'scale': report_scale,
}


def check(goal, metrics):
    """Whether GOAL holds on the medians in METRICS, and the line that
    says so.  A goal without its median was not measured: a miss."""
    want = f'goal {goal.op} {goal.limit:g}x'
    value = metrics.get(goal.metric)
    if value is None:
        return False, f'{goal.text}: not measured, {want}'
    met = value >= goal.limit if goal.op == '>=' else value <= goal.limit
    return met, f'{goal.text}: {value:.2f}x, {want}'


def report_short(kind):
    """Name the short transfers of KIND's report, and forget them."""
    if SHORT:
        print(f'{kind}: {len(SHORT)} transfers moved fewer bytes than asked, '
              'each counted at what it moved:')
        for what, got, asked in list(SHORT.values())[:10]:
            print(f'  short: {what}: {got} of {asked} bytes')
        if len(SHORT) > 10:
            print(f'  short: and {len(SHORT) - 10} more')
        print()
    SHORT.clear()


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__.strip().splitlines()[-1])
    log, out = sys.argv[1:3]
    os.makedirs(out, exist_ok=True)
    rows, problems, notes = parse(log)
    if len(sys.argv) == 4:
        groups = [g for g in sys.argv[3].split(',') if g]
    else:
        groups = [g for g, kinds in GROUP_ROWS.items() if any(k in rows for k in kinds)]
    print('Absolute numbers come from a QEMU guest under software emulation (TCG):')
    print('they are not hardware numbers. Ratios compare runs in the same boot.\n')

    if not groups:
        problems.append('no BENCH lines in the log')
    results = []
    for group in groups:
        if group not in GROUP_ROWS:
            problems.append(f'{group}: no such group')
            continue
        metrics = {}
        for kind in GROUP_ROWS[group]:
            if not rows.get(kind):
                problems.append(f'{kind}: no data')
                continue
            try:
                metrics.update(REPORTS[kind](rows[kind], out))
            except (KeyError, ValueError, IndexError, ZeroDivisionError,
                    statistics.StatisticsError) as e:
                print(f'\n{kind}: FAILED, data that cannot be read ({e!r})\n')
                problems.append(f'{kind}: data that cannot be read ({e!r})')
            report_short(kind)
        for text in notes.get(group, []):
            print(f'{group}: note: {text}\n')
        for goal in GOALS:
            if goal.group == group:
                met, line = check(goal, metrics)
                results.append((met, line))
                print(f'  goal {"met   " if met else "MISSED"}: {line}')
        print()

    missed = [line for met, line in results if not met]
    for problem in problems:
        print(f'FAILED: {problem}')
    for line in missed:
        print(f'MISSED: {line}')
    unasked = sum(goal.group not in groups for goal in GOALS)
    if unasked:
        print(f'({unasked} goals of groups not asked for were not checked)')
    print(f'{len(results)} goals, {len(results) - len(missed)} met, {len(missed)} missed, '
          f'{len(problems)} failed')
    sys.exit(1 if problems or missed else 0)


if __name__ == '__main__':
    main()
