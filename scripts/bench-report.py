#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turn the BENCH lines of a `kmm.mode=bench` console log into tables,
data files and (with gnuplot) plots.

Every figure is a ratio against a baseline timed in the same guest boot;
each ratio is taken per repetition and the median is reported with the
range over the repetitions.

GROUPS (comma-separated, default: those with BENCH lines in the log) are
the groups that were asked for.  The exit status is 1 when one of them
failed in the guest (BENCH-FAILED), left no data or data that cannot be
read, or missed a goal.

Usage: bench-report.py LOG OUTDIR [GROUPS]
"""
import collections
import os
import statistics
import sys


# The kinds of BENCH line each group of scripts/guest/bench.sh prints.
GROUP_ROWS = {
    'scullp': ('scullp', 'scullp_growth'),
    'vmalloc': ('vmalloc_dd', 'vmalloc_alloc'),
    'mmap': ('mmap',),
    'dma': ('dma', 'dma_map'),
    'zcopy': ('zcopy',),
}


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


def print_goals(goals):
    for desc, held in goals:
        print(f'  goal {"holds " if held else "MISSED"}: {desc}')
    if goals:
        print()


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
    print_goals(goals)
    return goals


def report_growth(rows, out):
    # rep -> size -> ns per MiB; each size is compared with the smallest
    # device of the same repetition (the guest grows it again each time).
    per_rep = collections.defaultdict(dict)
    for r in rows:
        per_rep[r['rep']][int(r['size_mib'])] = \
            int(r['scullp_read']) / (int(r['bytes']) >> 20)
    sizes = sorted({size for by_size in per_rep.values() for size in by_size})
    base = sizes[0]
    print('scullp: cost per MiB of reading the last 16 MiB as the device grows, '
          f'as a ratio to the {base} MiB device')
    print('of the same repetition, median (range); flat is right')
    print(f'{"MiB":>6} {"ratio":>18} {"us/MiB":>9}')
    worst = 0
    dat = os.path.join(out, 'scullp_growth.dat')
    with open(dat, 'w') as f:
        f.write('# size_mib ratio_to_smallest min max\n')
        for size in sizes:
            reps = [by_size for by_size in per_rep.values()
                    if size in by_size and base in by_size]
            ratio = summary([by_size[size] / by_size[base] for by_size in reps])
            cost = statistics.median(by_size[size] for by_size in reps)
            print(f'{size:>6} {fmt(ratio):>18} {cost / 1000:9.0f}')
            f.write(f'{size} {ratio[0]:.4f} {ratio[1]:.4f} {ratio[2]:.4f}\n')
            worst = max(worst, ratio[0])
    print()
    goals = [(f'cost per MiB stays within 1.5x of the smallest device '
              f'(worst {worst:.2f}x)', worst < 1.5)]
    print_goals(goals)
    return goals


VMD_DEVS = ('vmalloc', 'vmap', 'kmalloc', 'scullp')


def report_vmalloc_dd(rows, out):
    # (dev, bs, rep) -> times; each device is compared with the baseline's
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

    def ratios(dev, bs, base, key):
        vals = [int(by[(base, bs, r)][key]) / int(by[(dev, bs, r)][key])
                for r in reps if (dev, bs, r) in by and (base, bs, r) in by]
        return summary(vals) if vals else None

    def cell(stat):
        return fmt(stat) if stat else '-'

    dat = os.path.join(out, 'vmalloc_dd.dat')
    with open(dat, 'w') as f:
        f.write('# dev bs read_vs_kmalloc write_vs_kmalloc read_vs_scullp write_vs_scullp\n')
        for dev in VMD_DEVS:
            for bs in sizes:
                mine = [by[(dev, bs, r)] for r in reps if (dev, bs, r) in by]
                if not mine:
                    continue
                st = [None if dev == base else ratios(dev, bs, base, key)
                      for base in ('kmalloc', 'scullp') for key in ('read', 'write')]
                mbs = [statistics.median(int(r['bytes']) / int(r[key]) * 1000 for r in mine)
                       for key in ('read', 'write')]
                print(f'{dev:>8} {bs:>8} {cell(st[0]):>18} {cell(st[1]):>18} '
                      f'{cell(st[2]):>18} {cell(st[3]):>18} {mbs[0]:9.0f} {mbs[1]:10.0f}')
                f.write(f'{dev} {bs} ' + ' '.join(f'{s[0]:.4f}' if s else '1'
                                                 for s in st) + '\n')
    print()


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
    dat = os.path.join(out, 'vmalloc_alloc.dat')
    with open(dat, 'w') as f:
        f.write('# pages vmalloc_ns_per_page vmap_ns_per_page map_ns_per_page '
                'vmap_over_vmalloc\n')
        for pages, reps in sorted(keyed.items()):
            cost = {k: statistics.median(per_page(r, k) for r in reps)
                    for k in ('vmalloc_ns', 'vmap_ns', 'map_ns')}
            ratio = summary([int(r['vmap_ns']) / int(r['vmalloc_ns']) for r in reps])
            share = summary([int(r['map_ns']) / int(r['vmap_ns']) for r in reps])
            print(f'{pages:>6} {cost["vmalloc_ns"]:9.0f} {cost["vmap_ns"]:9.0f} '
                  f'{fmt(ratio):>18} {cost["map_ns"]:7.0f} {fmt(share):>18}')
            f.write(f'{pages} {cost["vmalloc_ns"]:.1f} {cost["vmap_ns"]:.1f} '
                    f'{cost["map_ns"]:.1f} {ratio[0]:.4f}\n')
    print()


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
    goals = []
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
            goals.append((f'insert within 1.2x of remap at {p} pages '
                          f'({ratios[0][0]:.2f}x)', ratios[0][0] <= 1.2))
            if p >= 256:
                fewer = med(p, 'fault@1', 2) / max(med(p, 'fault', 2), 1e-9)
                goals.append((f'fault takes 8x fewer faults than fault@1 at {p} pages '
                              f'({fewer:.1f}x)', fewer >= 8))
                goals.append((f'fault takes at most 0.5x the time per page of fault@1 '
                              f'at {p} pages ({ratios[1][0]:.2f}x)', ratios[1][0] <= 0.5))

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
            fewer = med(big, 'scullp@1', 2, sc_per) / max(pmd, 1e-9)
            goals.append((f'scullp at the PMD order (order {order}) takes at least 100x fewer '
                          f'faults than scullp order 0 at window 1 for a {mib} MiB mapping '
                          f'({big} pages) ({fewer:.0f}x)', fewer >= 100))
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
    print_goals(goals)
    return goals


DMA_STRATEGIES = ('coherent', 'streaming', 'direct')


def report_dma(rows, out):
    # (bytes, rep) -> strategy -> ns per transfer (a write or a read)
    per_xfer = collections.defaultdict(dict)
    for r in rows:
        # dmatime prints the median of its loops
        per_xfer[(int(r['bytes']), r['rep'])][r['strategy']] = \
            (int(r['write']) + int(r['read'])) / 2
    sizes = sorted({b for b, _ in per_xfer})
    print('dma: transfers through /dev/dma_demo0 (pwrite then pread, page-aligned buffer);')
    print('transfers/s and KiB/s (median), throughput ratios to coherent per repetition,')
    print('median (range); > 1 means faster than coherent')
    print(f'{"bytes":>6} ' + ' '.join(f'{s[:9] + " xfer/s":>16} {"KiB/s":>7}'
                                      for s in DMA_STRATEGIES) +
          f' {"streaming/coh":>17} {"direct/coh":>17}')
    with open(os.path.join(out, 'dma_rate.dat'), 'w') as f:
        f.write('# bytes xfers_per_s(coherent streaming direct) '
                'kib_per_s(coherent streaming direct) ratio(streaming direct)\n')
        for b in sizes:
            reps = [c for (size, _), c in per_xfer.items()
                    if size == b and all(s in c for s in DMA_STRATEGIES)]
            if not reps:
                continue
            rate = [statistics.median(1e9 / c[s] for c in reps) for s in DMA_STRATEGIES]
            kib = [x * b / 1024 for x in rate]
            ratios = [summary([c['coherent'] / c[s] for c in reps])
                      for s in DMA_STRATEGIES[1:]]
            print(f'{b:>6} ' + ' '.join(f'{x:16.2f} {k:7.1f}' for x, k in zip(rate, kib)) +
                  ' ' + ' '.join(f'{fmt(x):>17}' for x in ratios))
            f.write(f'{b} ' + ' '.join(f'{x:.3f}' for x in rate) + ' ' +
                    ' '.join(f'{k:.2f}' for k in kib) + ' ' +
                    ' '.join(f'{x[0]:.4f}' for x in ratios) + '\n')
    print()


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
    with open(os.path.join(out, 'dma_map.dat'), 'w') as f:
        f.write('# bytes map_unmap_ns memcpy_ns ratio\n')
        for b, reps in sorted(keyed.items()):
            m = statistics.median(x for x, _ in reps)
            c = statistics.median(y for _, y in reps)
            ratio = summary([x / y for x, y in reps])
            print(f'{b:>6} {m:10.1f} {c:8.1f} {fmt(ratio):>17}')
            f.write(f'{b} {m:.2f} {c:.2f} {ratio[0]:.4f}\n')
    print()


ZCOPY_SOURCES = ('vmalloc_demo', 'vmalloc_demo-dmabuf', 'dma_demo-dmabuf')


def report_zcopy(rows, out):
    # (bytes, rep) -> source -> way -> ns
    cost = collections.defaultdict(lambda: collections.defaultdict(dict))
    for r in rows:
        cost[(int(r['bytes']), r['rep'])][r['src']][r['way']] = int(r['ns'])
    sizes = sorted({b for b, _ in cost})
    sources = [s for s in ZCOPY_SOURCES if any(s in c for c in cost.values())]
    print('zcopy: O_DIRECT write of a driver buffer to a RAM disk, MB/s (median):')
    print('straight from its mapping (zero-copy) or copied into a user buffer')
    print('first (copy); ratio zero-copy/copy of the times per repetition,')
    print('median (range): below 1, the copy is what it saves')
    print(f'{"bytes":>8} {"source":>20} {"zero-copy":>10} {"copy":>10} {"zero/copy":>17}')
    with open(os.path.join(out, 'zcopy.dat'), 'w') as f:
        f.write('# bytes ' + ' '.join(f'{s}(zero_mbs copy_mbs ratio)' for s in sources) + '\n')
        for b in sizes:
            line = [str(b)]
            for s in sources:
                reps = [c[s] for (bb, _), c in cost.items()
                        if bb == b and 'zero-copy' in c[s] and 'copy' in c[s]]
                if not reps:
                    line += ['?', '?', '?']
                    continue
                zero = statistics.median(x['zero-copy'] for x in reps)
                copy = statistics.median(x['copy'] for x in reps)
                ratio = summary([x['zero-copy'] / x['copy'] for x in reps])
                print(f'{b:>8} {s:>20} {b / zero * 1000:10.0f} {b / copy * 1000:10.0f} '
                      f'{fmt(ratio):>17}')
                line += [f'{b / zero * 1000:.1f}', f'{b / copy * 1000:.1f}', f'{ratio[0]:.4f}']
            f.write(' '.join(line) + '\n')
    print()
    return []


REPORTS = {
    'scullp': report_scullp,
    'scullp_growth': report_growth,
    'vmalloc_dd': report_vmalloc_dd,
    'vmalloc_alloc': report_vmalloc_alloc,
    'mmap': report_mmap,
    'dma': report_dma,
    'dma_map': report_dma_map,
    'zcopy': report_zcopy,
}


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
    goals = []
    for group in groups:
        if group not in GROUP_ROWS:
            problems.append(f'{group}: no such group')
            continue
        for kind in GROUP_ROWS[group]:
            if not rows.get(kind):
                problems.append(f'{kind}: no data')
                continue
            try:
                goals += REPORTS[kind](rows[kind], out) or []
            except (KeyError, ValueError, IndexError, ZeroDivisionError,
                    statistics.StatisticsError) as e:
                print(f'\n{kind}: FAILED, data that cannot be read ({e!r})\n')
                problems.append(f'{kind}: data that cannot be read ({e!r})')
        for text in notes.get(group, []):
            print(f'{group}: note: {text}\n')

    missed = [desc for desc, held in goals if not held]
    for problem in problems:
        print(f'FAILED: {problem}')
    for desc in missed:
        print(f'MISSED: {desc}')
    print(f'{len(goals) - len(missed)} goals held, {len(missed)} missed, '
          f'{len(problems)} failed')
    sys.exit(1 if problems or missed else 0)


if __name__ == '__main__':
    main()
