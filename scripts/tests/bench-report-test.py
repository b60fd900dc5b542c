#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""bench-report.py's own tests, on the host, without a VM: a synthetic
guest log of every group, as scripts/guest/bench.sh prints it, with
figures that meet every goal, and the same log with a group's data
missing, a short read, a slow driver, a baseline that moved nothing, a
log without byte counts, a failed group.  The report must check every
goal GOALS defines for the groups asked for, count them ("N goals, M
met"), fail a goal whose data is missing, and take throughput from the
bytes moved.

Prints "PASS|FAIL description" per case (scripts/selftest.sh runs it).
Usage: bench-report-test.py
"""
import importlib.util
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPORT = os.path.join(HERE, '..', 'bench-report.py')
spec = importlib.util.spec_from_file_location('bench_report', REPORT)
bench_report = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bench_report)
GOALS = bench_report.GOALS
GROUPS = list(bench_report.GROUP_ROWS)
MIB = 1 << 20


def jitter(rep):
    """A repetition's noise: a few percent, the same every run."""
    return 1 + 0.02 * ((rep * 7) % 5 - 2)


def dd(name, ns, moved):
    return f'{name}={int(ns)} {name}_bytes={moved}'


def scullp():
    for order in (0, 2, 4):
        for bs in (512, 4096, 65536, 1048576):
            for rep in range(5):
                j, n = jitter(rep), 16 * MIB
                yield (f'BENCH scullp order={order} bs={bs} bytes={n} '
                       f'{dd("scullp_write", 10e6 * j, n)} {dd("scullp_read", 8e6 * j, n)} '
                       f'{dd("tmpfs_write", 15e6, n)} {dd("tmpfs_read", 9e6, n)} '
                       f'{dd("zero_null", 5e6, n)}')
    for rep in range(7):
        for size in (16, 32, 64, 128, 256):
            yield (f'BENCH scullp_growth rep={rep} size_mib={size} bytes={16 * MIB} '
                   f'{dd("scullp_read", 15e6 * jitter(rep + size), 16 * MIB)}')


def vmalloc():
    speed = {'vmalloc': 1.0, 'vmap': 1.02, 'kmalloc': 0.97, 'scullp': 1.1}
    for rep in range(7):
        for dev, k in speed.items():
            for bs in (512, 4096, 65536, 1048576):
                n = 4 * MIB
                yield (f'BENCH vmalloc_dd dev={dev} rep={rep} bs={bs} bytes={n} '
                       f'{dd("write", 9e6 * k * jitter(rep), n)} '
                       f'{dd("read", 8e6 * k * jitter(rep + 1), n)}')
        for pages in (1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024):
            reps = 16384 // pages
            yield (f'BENCH vmalloc_alloc rep={rep} pages={pages} reps={reps} '
                   f'vmalloc_ns={1400 * 16384} vmap_ns={1800 * 16384} map_ns={110 * 16384}')


def mmap(pmd=True):
    # ns per page and faults per page of each source
    sources = {'remap': (1500, 1), 'insert': (600, 0), 'fault@1': (5000, 1),
               'fault@64': (1000, 1 / 64), 'anon': (6000, 1), 'anon-thp': (2000, 1 / 512),
               'scullp@1': (5000, 1), 'scullp@64': (1000, 1 / 64),
               'scullp-pmd@64 order=9': (500, 1 / 512)}
    for rep in range(5):
        for pages in bench_report.MMAP_PAGES:
            loops = max(20480 // pages, 3)
            for src, (ns, faults) in sources.items():
                if src.startswith('scullp') and (pages > 16384 or
                                                 (not pmd and 'pmd' in src)):
                    continue
                yield (f'BENCH mmap pages={pages} loops={loops} rep={rep} src={src} '
                       f'page=4096 map_touch={int(ns * pages * jitter(rep))} '
                       f'unmap={300 * pages} faults={max(int(faults * pages), 1)}')
    if not pmd:
        yield ('BENCH-NOTE mmap: no scullp source at the PMD order: '
               'transparent huge pages are off')


def dma():
    for rep in range(5):
        for n in (64, 512, 2048, 4095):
            for st in ('coherent', 'streaming', 'direct'):
                yield (f'BENCH dma bytes={n} loops=5 rep={rep} strategy={st} '
                       f'write={int(100e6 * jitter(rep))} read={int(100e6 * jitter(rep + 2))} '
                       f'write_bytes={n} read_bytes={n}')
        for n in (64, 512, 4096, 65536):
            yield (f'BENCH dma_map rep={rep} bytes={n} loops=10000 '
                   f'map_unmap_ns={92 * 10000} memcpy_ns={int(n / 5.2 * 10000) + 300000}')


def zcopy():
    for rep in range(5):
        for n in (65536, 262144, 1048576, 4194304):
            loops = min(16 * MIB // n, 64)
            for src in ('vmalloc_demo', 'vmalloc_demo-dmabuf', 'dma_demo-dmabuf'):
                zero = n / 2 * jitter(rep)
                yield (f'BENCH zcopy loops={loops} rep={rep} src={src} way=zero-copy '
                       f'bytes={n} ns={int(zero)} moved={n}')
                yield (f'BENCH zcopy loops={loops} rep={rep} src={src} way=copy '
                       f'bytes={n} ns={int(zero * 1.4)} moved={n}')


def scale(gains=None):
    gains = gains or {'scullp': 1.7, 'vmalloc_demo': 1.75, 'tmpfs': 1.8}
    for rep in range(7):
        for src, gain in gains.items():
            n, one = 64 * MIB, 50e6 * jitter(rep)
            yield (f'BENCH scale src={src} rep={rep} bytes={n} {dd("one", one, n)} '
                   f'{dd("two", one * 2 / gain, 2 * n)}')


def log(**groups):
    """A console log: boot noise, each group's lines (GROUP=False leaves
    the group out, GROUP=[lines] puts those in its place), the end."""
    made = {'scullp': scullp, 'vmalloc': vmalloc, 'mmap': mmap, 'dma': dma,
            'zcopy': zcopy, 'scale': scale}
    lines = ['[    1.904512] Run /init as init process', 'KMM-STEP scullp: dd at order 0']
    for name, make in made.items():
        got = groups.get(name, True)
        if got is True:
            lines += list(make())
        elif got:
            lines += list(got)
    return lines + ['KMM-EXIT 0']


def replace(lines, pattern, old, new):
    """LINES with OLD replaced by NEW in those that match PATTERN."""
    return [line.replace(old, new) if re.search(pattern, line) else line for line in lines]


def run(lines, groups):
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, 'console.log')
        with open(path, 'w') as f:
            f.write('\n'.join(lines) + '\n')
        p = subprocess.run([sys.executable, REPORT, path, os.path.join(tmp, 'out'),
                            ','.join(groups)], capture_output=True, text=True)
    return p.returncode, p.stdout + p.stderr


def goal_lines(out):
    return [line for line in out.splitlines() if re.match(r'  goal (met   |MISSED): ', line)]


def case(desc, lines, groups=GROUPS, rc=0, want=(), unwant=(), goals=None, met=None):
    """Run the report; PASS if its exit status is RC, every regular
    expression of WANT is in its output and none of UNWANT, it printed one
    goal line per goal of GROUPS (GOALS) and its count line says so, with
    MET of them met (default: all, when RC is 0)."""
    code, out = run(lines, groups)
    n = sum(g.group in groups for g in GOALS) if goals is None else goals
    met = (n if rc == 0 else None) if met is None else met
    errors = []
    if code != rc:
        errors.append(f'exit status {code}, not {rc}')
    errors += [f'no /{w}/' for w in want if not re.search(w, out, re.M)]
    errors += [f'/{w}/ printed' for w in unwant if re.search(w, out, re.M)]
    count = re.search(r'^(\d+) goals, (\d+) met, (\d+) missed, (\d+) failed$', out, re.M)
    if not count:
        errors.append('no "N goals, N met, N missed, N failed" line')
    else:
        if int(count[1]) != n:
            errors.append(f'{count[1]} goals counted, {n} defined')
        if met is not None and int(count[2]) != met:
            errors.append(f'{count[2]} goals met, not {met}')
    if len(goal_lines(out)) != n:
        errors.append(f'{len(goal_lines(out))} goal lines, {n} defined')
    print(f'{"FAIL" if errors else "PASS"} bench-report: {desc}')
    for e in errors:
        print(f'  {e}')
    if errors:
        print('  ' + '\n  '.join(out.splitlines()[-40:]))
    return not errors


def main():
    ok = True
    # The table itself: each goal belongs to a group the guest runs, and
    # measures a median of its own.
    groups_ok = all(g.group in bench_report.GROUP_ROWS for g in GOALS)
    unique = len({g.metric for g in GOALS}) == len(GOALS)
    every = all(any(g.group == grp for g in GOALS) for grp in GROUPS)
    table_ok = groups_ok and unique and every
    print(f'{"PASS" if table_ok else "FAIL"} bench-report: GOALS: {len(GOALS)} goals, '
          'each of a known group, no metric twice, every group has one')
    ok &= table_ok

    ok &= case(f'every goal met: exit 0, "{len(GOALS)} goals, {len(GOALS)} met"', log(),
               want=[rf'^{len(GOALS)} goals, {len(GOALS)} met, 0 missed, 0 failed$'],
               unwant=['MISSED', 'FAILED', 'not measured', 'short'])
    # Each group's data missing: every goal of that group is a miss.
    for group in GROUPS:
        mine = sum(g.group == group for g in GOALS)
        ok &= case(f'{group}: no data, its {mine} goals missed, not skipped',
                   log(**{group: False}), rc=1, met=len(GOALS) - mine,
                   want=[r'^FAILED: .*: no data$', r'MISSED: .*: not measured'])
    ok &= case('the groups asked for only: scullp', log(), groups=['scullp'],
               want=[r'goals of groups not asked for were not checked'])

    # A short read: half the bytes in the same time is half the throughput.
    short = replace(log(), r'^BENCH scullp order=0 bs=65536 ',
                    f'scullp_read_bytes={16 * MIB}', f'scullp_read_bytes={8 * MIB}')
    ok &= case('a short scullp read: half the throughput, its goal missed, named',
               short, rc=1, met=len(GOALS) - 1,
               want=[r'short: scullp_read at order 0, bs 65536: 8388608 of 16777216 bytes',
                     r'^MISSED: scullp read throughput at order 0, bs 64 KiB, '
                     r'against tmpfs: 0\.56x',
                     r'^scullp: 5 transfers moved fewer bytes than asked',
                     r'^    0    65536 .* 1049$'])
    short = replace(log(), r'^BENCH scullp_growth .*size_mib=256 ',
                    f'scullp_read_bytes={16 * MIB}', 'scullp_read_bytes=0')
    ok &= case('a growth read that moved nothing costs without end: missed',
               short, rc=1, met=len(GOALS) - 1,
               want=[r'^MISSED: scullp cost per MiB .*: infx'])
    short = replace(log(), r'^BENCH dma bytes=4095 .*strategy=direct',
                    'read_bytes=4095', 'read_bytes=1024')
    ok &= case('a short DMA read: direct falls behind coherent at the largest size',
               short, rc=1, met=len(GOALS) - 1,
               want=[r'short: direct transfer of 4095 bytes, read: 1024 of 4095',
                     r'^MISSED: dma_demo direct throughput against coherent, the largest'])
    short = replace(log(), r'^BENCH zcopy .*src=vmalloc_demo way=zero-copy bytes=65536 ',
                    'moved=65536', 'moved=4096')
    ok &= case('a short zero-copy write: the copy looks faster, missed',
               short, rc=1, met=len(GOALS) - 1,
               want=[r'^MISSED: vmalloc_demo: O_DIRECT throughput .*: 0\.\d\dx'])
    short = replace(log(), r'^BENCH scale src=vmalloc_demo ',
                    f'two_bytes={128 * MIB}', f'two_bytes={64 * MIB}')
    ok &= case('two readers of which one moved nothing: no gain, missed',
               short, rc=1, met=len(GOALS) - 1,
               want=[r'^MISSED: vmalloc_demo: two readers.*: 0\.\d\dx'])

    # A slow driver: two readers on scullp take as long as one after the
    # other (a lock around the copy).
    ok &= case('scullp readers serialised: no gain over one, missed',
               log(scale=scale({'scullp': 1.0, 'vmalloc_demo': 1.75, 'tmpfs': 1.8})),
               rc=1, met=len(GOALS) - 1,
               want=[r'^MISSED: scullp: two readers.*: 0\.56x, goal >= 0\.9x'])
    # A baseline that moved nothing measures nothing: no goal holds on it.
    zero = replace(log(), r'^BENCH scullp order=2 bs=1048576 ',
                   f'tmpfs_read_bytes={16 * MIB}', 'tmpfs_read_bytes=0')
    ok &= case('a tmpfs read that moved nothing: the goal against it missed, not met',
               zero, rc=1, met=len(GOALS) - 1,
               want=[r'^MISSED: scullp read throughput at order 2, bs 1024 KiB.*: nanx'])
    # The PMD order left out: its goal is a miss, the note says why.
    ok &= case('scullp at the PMD order left out (a note): its goal missed',
               log(mmap=mmap(pmd=False)), rc=1, met=len(GOALS) - 1,
               want=[r'^mmap: note: no scullp source at the PMD order',
                     r'^MISSED: faults of scullp at order 0.*: not measured'])
    # dma_demo-dmabuf not measured (no /dev/dma_demo0).
    no_dmabuf = [line for line in log() if 'src=dma_demo-dmabuf' not in line]
    no_dmabuf.insert(1, 'BENCH-FAILED zcopy: no /dev/dma_demo0, no dma_demo-dmabuf source')
    ok &= case('zcopy without dma_demo-dmabuf: failed, its goal missed',
               no_dmabuf, rc=1, met=len(GOALS) - 1,
               want=[r'^MISSED: dma_demo-dmabuf: .*not measured', r'^FAILED: BENCH-FAILED zcopy'])
    # A log of the old kind, times without the bytes moved: unreadable.
    old = [re.sub(r' \w+_bytes=\d+', '', line) for line in log()]
    ok &= case('times without byte counts: data that cannot be read, goals missed',
               old, rc=1, want=[r"^FAILED: scullp: data that cannot be read \(KeyError"])
    # A dd that failed in the guest leaves its figure empty.
    empty = replace(log(), r'^BENCH vmalloc_dd dev=vmap rep=3 bs=4096 ',
                    'read_bytes=4194304', 'read_bytes=')
    ok &= case('an empty byte count: vmalloc_dd cannot be read, its goals missed',
               empty, rc=1, met=len(GOALS) - 8,
               want=[r'^FAILED: vmalloc_dd: data that cannot be read'])
    failed = log() + ['BENCH-FAILED mmap']
    ok &= case('a group that failed in the guest fails the report, goals still counted',
               failed, rc=1, met=len(GOALS), want=[r'^FAILED: BENCH-FAILED mmap$'])
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
