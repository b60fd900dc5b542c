#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Tests of scripts/check.py's scheduler, boot plan, labels and verdict
count, without a process or a VM.  Prints "PASS|FAIL description" lines;
exits 1 if any failed."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..'))
check = __import__('check')

failed = 0


def expect(desc, got, want):
    global failed
    ok = got == want
    failed += not ok
    print(f'{"PASS" if ok else "FAIL"} check.py: {desc}'
          + ('' if ok else f' (got {got!r}, want {want!r})'))


def drive(sched, events):
    """Start what can start, then feed EVENTS one by one; the jobs started
    after each step."""
    steps = [sched.start()]
    for event in events:
        sched.event(*event)
        steps.append(sched.start())
    return steps


expect('longest first by the last run; never timed counts as longest; ties keep order',
       check.longest_first(['a', 'b', 'c', 'd'], {'a': 10, 'b': 300, 'd': 10}),
       ['c', 'b', 'a', 'd'])

s = check.Scheduler(['host', 'debian-6.1', 'debian-6.12'], {'host': 100, 'debian-6.1': 900,
                    'debian-6.12': 800}, 2, ready={'host', 'debian-6.1', 'debian-6.12'})
expect('two lanes: the two longest start first; the third when one is done',
       drive(s, [('done', 'debian-6.1')]), [['debian-6.1', 'debian-6.12'], ['host']])
expect('... and then it is finished', (s.event('done', 'debian-6.12'), s.event('done', 'host'),
                                       s.finished())[-1], True)

s = check.Scheduler(['test-6.12', 'debian-6.12', 'host'], {}, 2,
                    ready={'debian-6.12', 'host'}, building=True)
expect('while a kernel builds, one lane; a built kernel starts once the builds are done',
       drive(s, [('done', 'debian-6.12'), ('ready', 'test-6.12'), ('built', None)]),
       [['debian-6.12'], ['host'], [], ['test-6.12']])
s = check.Scheduler(['test-6.12', 'host'], {}, 1, ready={'host'}, building=False)
expect('a built kernel waits for a free lane', drive(s, [('ready', 'test-6.12'), ('done', 'host')]),
       [['host'], [], ['test-6.12']])

s = check.Scheduler(['test-6.1', 'host'], {}, 2, ready={'host'}, building=True)
steps = drive(s, [('failed', 'test-6.1'), ('built', None), ('done', 'host')])
expect('a kernel that failed to build never starts its job', steps, [['host'], [], [], []])
expect('... and the run is finished without it', s.finished(), True)

s = check.Scheduler(['test-6.1'], {}, 1, ready=set(), building=False)
expect('a job whose kernel will never be ready does not hang the run', s.finished(), True)

s = check.Scheduler(['a', 'b'], {}, 1, ready={'a', 'b'}, building=True)
expect('one core: still one lane while building', s.start(), ['a'])

busy, total = check.cpu_ticks()
expect('cpu_ticks: the machine\'s busy jiffies are part of its total', 0 < busy <= total, True)

expect('boots: debian-6.12 boots itself, with swiotlb=force, behind the IOMMU',
       [b[0] for b in check.boots('debian-6.12')],
       ['debian-6.12', 'debian-6.12+swiotlb=force', 'debian-6.12+iommu'])
expect('boots: test-6.12 checks the pinnable mappings behind the IOMMU',
       'kmm.pinnable' in check.boots('test-6.12')[1][1], True)
expect('boots: test-6.1 turns its memory-safety detectors on',
       'debug_pagealloc=on' in check.boots('test-6.1')[0][1], True)
expect('boots: --only scullp boots each kernel once, for scullp',
       check.boots('test-6.12', only='scullp'),
       [('test-6.12', 'swiotlb=force kmm.extra_sets=mmap_demo,vmalloc_demo kmm.only=scullp', '')])
expect('boots: --kunit-only keeps the IOMMU boot, not the swiotlb one',
       [b[0] for b in check.boots('debian-6.12', kunit_only=True)],
       ['debian-6.12', 'debian-6.12+iommu'])
expect('boots: arm64 once', [b[0] for b in check.boots('test-6.12-arm64')],
       ['test-6.12-arm64'])

expect('labels: a line of its own gets the job', check.label_line('host', '  sparse: x'),
       '  [host] sparse: x')
expect('labels: a step gets it after the arrow', check.label_line('k', '==> booting'),
       '==> [k] booting')
expect('labels: a labelled result is left alone',
       check.label_line('k', '    ok      [debian-6.1] x'), '    ok      [debian-6.1] x')

lines = ['PASS [a] the test plan ran to its end', 'FAIL [b] the test plan did not run to its end (x)',
         'FAIL [b] the test plan did not run to its end (y)', 'PASS [a+iommu] the test plan ran to its end']
expect('verdicts: one for a', check.verdict_counts(lines, 'a'), 1)
expect('verdicts: two for b, a failure to be', check.verdict_counts(lines, 'b'), 2)
expect('verdicts: none for c', check.verdict_counts(lines, 'c'), 0)
sys.exit(1 if failed else 0)
