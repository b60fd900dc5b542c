#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The log parser's own tests: the two logs of a run (the results channel
and the kernel's console) as a dying, garbled or racing guest leaves them,
fed to scripts/parse-log.py.  Whatever the logs, the parser must exit 0,
print only PASS/FAIL/SKIP lines, end in exactly one verdict on the boot,
and fail what went wrong.

Prints "PASS|FAIL description" per case (scripts/selftest.sh runs it).
Usage: parse-log-test.py SRC   (a kernel source tree, for kunit.py)
"""
import importlib.util
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
PARSER = os.path.join(HERE, '..', 'parse-log.py')
RAN = 'the test plan ran to its end'
DID_NOT_RUN = 'the test plan did not run to its end'
MISSING = object()		# a log file that is not there

PROBE = ['KMM-STEP scullp probes (at 3.1 s)',
         'KMM-PROBE-BEGIN scullp_probe',
         'TAP version 13', '1..2',
         '# Starting 2 tests from 1 test cases.',
         'ok 1 file.write_read', 'ok 2 file.holes_read_zero',
         '# Totals: pass:2 fail:0 xfail:0 xpass:0 skip:0 error:0',
         'KMM-PROBE-END scullp_probe rc=0 in 1.5 s',
         # A shell probe prints no plan.
         'KMM-PROBE-BEGIN scullp_dd.sh',
         'ok 1 dd: what was written reads back',
         'KMM-PROBE-END scullp_dd.sh rc=0 in 0.4 s']
DMESG = ['KMM-DMESG-BEGIN',
         'dmesg: [    0.000000] Linux version 6.12.0',
         'dmesg: [    3.100000] scullp: loading out-of-tree module taints kernel.',
         'KMM-DMESG-END']
TAIL = ['KMM-TAINT 4096'] + DMESG + ['KMM-PLAN-END', 'KMM-EXIT 0']
CLEAN = PROBE + ['ok 1 scullp: rmmod after the probes'] + TAIL
# The kernel's console: early boot text, then kernel lines.
CONSOLE = ['SeaBIOS (version 1.16.2-debian-1.16.2-1)', 'Booting from ROM..',
           '[    0.000000] Linux version 6.12.0 (debian-kernel@lists.debian.org)',
           '[    0.412093] software IO TLB: mapped [mem 0x0bfdf000-0x0ffdf000] (64MB)',
           '[    1.904512] Run /init as init process',
           '[    3.100000] scullp: loading out-of-tree module taints kernel.']


def run(*lines, dmesg=(), status=0):
    """RESULTS of a run to its end: the probes, LINES, the taint, the
    kernel log with DMESG (kernel lines) in it, the end and exit status."""
    return (PROBE + list(lines) + ['KMM-TAINT 4096'] + DMESG[:-1]
            + [f'dmesg: [   42.000000] {line}' for line in dmesg]
            + DMESG[-1:] + ['KMM-PLAN-END', f'KMM-EXIT {status}'])


def with_dmesg(*lines):
    """The clean run, with kernel LINES in its dmesg dump."""
    return run(dmesg=lines)


def on_console(*lines):
    """The console, with kernel LINES at the end."""
    return CONSOLE + [f'[   42.000000] {line}' for line in lines]


def write(path, lines):
    if lines is MISSING:
        return
    with open(path, 'wb') as f:
        f.write(lines if isinstance(lines, bytes) else
                ('\n'.join(lines) + '\n' if lines else '').encode())


def parse(results, console, src):
    with tempfile.TemporaryDirectory() as work:
        paths = os.path.join(work, 'results.log'), os.path.join(work, 'console.log')
        write(paths[0], results)
        write(paths[1], console)
        proc = subprocess.run([sys.executable, PARSER, *paths, src, work],
                              capture_output=True, text=True)
    results = [line.split(' ', 1) for line in proc.stdout.splitlines()]
    return proc.returncode, results, proc.stderr


def kcsan_report(title, frames):
    """A whole KCSAN report of a race at unknown origin, as test-6.1
    prints it: its title at [1], the access at [3], FRAMES from [4], then
    a blank line."""
    rule = '=' * 66
    return [rule, f'BUG: KCSAN: data-race in {title}', '',
            'race at unknown origin, with read to 0xffff8a71c1066e50 of 8 bytes '
            'by task 227 on cpu 1:',
            *(' ' + frame for frame in frames), '',
            'value changed: 0x0000000000000000 -> 0x0000000000000001', '',
            'Reported by Kernel Concurrency Sanitizer on:',
            'CPU: 1 PID: 227 Comm: probe Tainted: G           O       6.1.192 #1',
            'Hardware name: QEMU Standard PC (i440FX + PIIX, 1996)', rule]


# The report that justified each of parse-log.py's KERNEL_RACES, under the
# entry's name, as the kernel printed it.
RACE_REPORTS = {
    # test-6.1, dma_demo_lifetime unbinding edu under a mapping: the access
    # is x86's TLB flush, only the caller (unmap_mapping_range()) is ours.
    'x86_tlb_flush_mm_cpumask': """\
==================================================================
BUG: KCSAN: data-race in _find_next_bit+0x37/0xc0

race at unknown origin, with read to 0xffff8a71c1066e50 of 8 bytes by task 227 on cpu 1:
 _find_next_bit+0x37/0xc0
 flush_tlb_mm_range+0xc8/0x1b0
 unmap_page_range+0x18cb/0x1a50
 zap_page_range_single+0x1ac/0x1f0
 unmap_mapping_range+0x139/0x160
 dma_demo_disconnect+0x8a/0xc0 [dma_demo]
 dma_demo_remove+0x34/0x190 [dma_demo]
 unbind_store+0x122/0x150

value changed: 0x0000000000000000 -> 0x0000000000000001

Reported by Kernel Concurrency Sanitizer on:
CPU: 1 PID: 227 Comm: dma_demo_lifeti Tainted: G           O       6.1.192 #1
Hardware name: QEMU Standard PC (i440FX + PIIX, 1996)
==================================================================
""".splitlines(),
    # test-6.1, scullp_stress: two pwrite()s of one device spin for its
    # rw_semaphore; both accesses are in the lock's spin queue.
    'osq_wait_next': """\
==================================================================
BUG: KCSAN: data-race in osq_lock / osq_unlock

write (marked) to 0xffff96177b129f00 of 8 bytes by task 1070 on cpu 0:
 osq_lock+0xbb/0x270
 rwsem_down_write_slowpath+0x7bc/0xfd0
 down_write_killable+0x178/0x1a0
 scullp_write_iter+0x1c9/0x340 [scullp]
 vfs_write+0x3e1/0x820
 __x64_sys_pwrite64+0xce/0x100
 x64_sys_call+0x1730/0x1990
 do_syscall_64+0x38/0x90
 entry_SYSCALL_64_after_hwframe+0x6e/0xd8

read to 0xffff96177b129f00 of 8 bytes by task 1075 on cpu 1:
 osq_unlock+0x98/0x110
 rwsem_down_write_slowpath+0x8f1/0xfd0
 down_write_killable+0x178/0x1a0
 scullp_write_iter+0x1c9/0x340 [scullp]
 vfs_write+0x3e1/0x820
 __x64_sys_pwrite64+0xce/0x100
 x64_sys_call+0x1730/0x1990
 do_syscall_64+0x38/0x90
 entry_SYSCALL_64_after_hwframe+0x6e/0xd8

value changed: 0x0000000000000000 -> 0xffff96177b029f00

Reported by Kernel Concurrency Sanitizer on:
CPU: 1 PID: 1075 Comm: scullp_stress Tainted: G           O       6.1.192 #1
Hardware name: QEMU Standard PC (i440FX + PIIX, 1996), BIOS 1.16.2-debian-1.16.2-1 04/01/2014
==================================================================
""".splitlines(),
}

# A race of the kernel's own that no KERNEL_RACES entry names: a page fault
# and a munmap of a scullp mapping, both in mm/memory.c, no module frame.
FAULT_ZAP_RACE = """\
==================================================================
BUG: KCSAN: data-race in __handle_mm_fault / zap_pte_range

write to 0xffff888005c3a7f8 of 8 bytes by task 241 on cpu 0:
 zap_pte_range+0x3c1/0xb80
 unmap_page_range+0x2ad/0x3d0
 unmap_single_vma+0xa8/0x120
 unmap_vmas+0x13d/0x200
 unmap_region+0x148/0x1f0
 do_mas_align_munmap+0x4f1/0x890
 do_mas_munmap+0x16b/0x1a0
 __vm_munmap+0xc5/0x170
 __x64_sys_munmap+0x2c/0x40
 do_syscall_64+0x3d/0x90
 entry_SYSCALL_64_after_hwframe+0x63/0xcd

read to 0xffff888005c3a7f8 of 8 bytes by task 242 on cpu 1:
 __handle_mm_fault+0x5b4/0x1170
 handle_mm_fault+0x107/0x3f0
 do_user_addr_fault+0x2b3/0x9a0
 exc_page_fault+0x6c/0x160
 asm_exc_page_fault+0x26/0x30

value changed: 0x80000001052c3867 -> 0x0000000000000000

Reported by Kernel Concurrency Sanitizer on:
CPU: 1 PID: 242 Comm: scullp_stress Tainted: G           O       6.1.192 #1
Hardware name: QEMU Standard PC (i440FX + PIIX, 1996)
==================================================================
""".splitlines()

# Page-table and mm corruption reports, each as the kernel prints it.
MM_REPORTS = [
    # p?d_ERROR() from p?d_clear_bad(): x86-64 (6.12), arm64 (6.1)
    'mm/pgtable-generic.c:54: bad pmd 00000000c1b2f6a3(80000001049000e7)',
    'mm/pgtable-generic.c:39: bad pud 0068000041c00f41.',
    'BUG: Bad page map in process scullp_stress  pte:8000000104e5f025 pmd:1049d1067',
    'BUG: Bad rss-counter state mm:00000000b1a0f5a5 type:MM_FILEPAGES val:-1',
    'page dumped because: VM_BUG_ON_FOLIO(!folio_test_locked(folio))',
    'page dumped because: VM_WARN_ON_ONCE_FOLIO(folio_ref_count(folio))',
    'vma ffff88800520c000 start 00007f3a1c000000 end 00007f3a1c200000 mm ffff888004ff8000',
    'mm ffff888004ff8000 task_size 140737488351232',
    'dma_demo 0000:00:04.0: swiotlb buffer is full (sz: 65536 bytes), '
    'total 32768 (slots), used 32760 (slots)',
    'list_add corruption. prev->next should be next (ffff888004b2c0a8), '
    'but was ffff888004b2c0b8. (prev=ffff888004b2c0c8).',
    'list_del corruption, ffff888004b2c0a8->next is LIST_POISON1 (dead000000000100)',
]


def load_parser():
    """parse-log.py as a module, for its KERNEL_RACES."""
    spec = importlib.util.spec_from_file_location('parse_log', PARSER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def case(name, results, src, want_fail=(), want_pass=(), verdict=None,
         console=CONSOLE, skips=None):
    """Run one pair of logs; every string of WANT_FAIL must start a FAIL
    line's description, of WANT_PASS a PASS line's; SKIPS, if given, is
    every SKIP line's description, in order."""
    problems = []
    rc, lines, err = parse(results, console, src)
    if rc != 0:
        problems.append(f'exit status {rc}: {err.strip()[-200:]}')
    bad = [r for r in lines if len(r) != 2 or r[0] not in ('PASS', 'FAIL', 'SKIP')]
    if bad:
        problems.append(f'unreadable lines {bad[:3]}')
    verdicts = [r for r in lines if len(r) == 2 and
                (r[1] == RAN or r[1].startswith(DID_NOT_RUN))]
    if len(verdicts) != 1:
        problems.append(f'{len(verdicts)} verdicts on the boot, not one')
    elif verdict and verdicts[0][0] != verdict:
        problems.append(f'boot verdict {verdicts[0][0]}, not {verdict}')
    for want, kind in [(w, 'FAIL') for w in want_fail] + [(w, 'PASS') for w in want_pass]:
        if not any(r[0] == kind and r[1].startswith(want) for r in lines if len(r) == 2):
            problems.append(f'no {kind} "{want}..."')
    if not want_fail:
        fails = [r[1] for r in lines if r[0] == 'FAIL']
        if fails:
            problems.append(f'unexpected FAIL: {fails[:3]}')
    if skips is not None:
        got = [r[1] for r in lines if r[0] == 'SKIP']
        if got != list(skips):
            problems.append(f'SKIP lines {got}, not {list(skips)}')
    if problems:
        print(f'FAIL parse-log: {name}: ' + '; '.join(problems))
    else:
        print(f'PASS parse-log: {name}')
    return not problems


def probe(name, *lines, rc=0):
    """A probe's block on the results channel."""
    return [f'KMM-PROBE-BEGIN {name}', *lines, f'KMM-PROBE-END {name} rc={rc} in 2.0 s']


def kunit(suite, *cases):
    """A KUnit suite's block on the results channel, each case passing."""
    return ([f'KMM-KUNIT-BEGIN {suite}', 'KTAP version 1', '1..1',
             '    KTAP version 1', f'    # Subtest: {suite}', f'    1..{len(cases)}']
            + [f'    ok {i} {c}' for i, c in enumerate(cases, 1)]
            + [f'ok 1 {suite}', 'KMM-KUNIT-END'])


def gate_only():
    """parse-log.py --gate CONSOLE (tcg-test.sh's boot, no plan): the first
    kernel line GATE holds, printed, exit 1; a clean console or one whose
    report is not a kernel line, exit 0; an unreadable one, exit 2."""
    name = '--gate: a console\'s first kernel report, exit 1; none, 0; no console, 2'
    warn = 'WARNING: CPU: 1 PID: 1 at mm/memory.c:42 f+0x1/0x2'
    cases = (
        (CONSOLE, 0, ''),
        (CONSOLE + ['WARNING: user space says so, no timestamp'], 0, ''),
        (CONSOLE + [f'garbage[    2.345678] {warn}', '[    2.5] Oops: 0000 [#1]',
                    '[    3.000000] Oops: 0000 [#1] PREEMPT SMP'], 1, warn),
        (MISSING, 2, None),
    )
    problems = []
    with tempfile.TemporaryDirectory() as work:
        for i, (lines, want_rc, want_out) in enumerate(cases):
            console = os.path.join(work, f'console-{i}')
            write(console, lines)
            proc = subprocess.run([sys.executable, PARSER, '--gate', console],
                                  capture_output=True, text=True)
            out = proc.stdout.strip()
            if proc.returncode != want_rc or (want_out is not None and out != want_out):
                problems.append(f'case {i}: exit {proc.returncode}, printed {out!r}')
    print(f'FAIL parse-log: {name}: ' + '; '.join(problems) if problems
          else f'PASS parse-log: {name}')
    return not problems


def two_boots(src):
    """Two boots' logs parsed into one run directory, as make check's jobs
    parse theirs: each boot's verdicts are its own cases, and each keeps
    its own KTAP (a shared kunit-SUITE.ktap was once overwritten by the
    other boot between its writing and kunit.py's reading)."""
    name = 'two boots in one run directory keep their own KUnit logs'
    problems = []
    with tempfile.TemporaryDirectory() as work:
        for label, case_name in (('test-6.1', 'case_a'), ('test-6.12+iommu', 'case_b')):
            results = os.path.join(work, f'{label}.results')
            console = os.path.join(work, f'{label}.console')
            write(results, run(*kunit('dma_demo', case_name)))
            write(console, CONSOLE)
            proc = subprocess.run([sys.executable, PARSER, results, console, src, work],
                                  capture_output=True, text=True)
            if f'PASS kunit dma_demo.{case_name}' not in proc.stdout.splitlines():
                problems.append(f'{label}: no PASS of its own case {case_name}')
        for label, case_name in (('test-6.1', 'case_a'), ('test-6.12+iommu', 'case_b')):
            kept = [f for f in os.listdir(work) if f.startswith(label + '.')
                    and f.endswith('.ktap')]
            texts = [open(os.path.join(work, f)).read() for f in kept]
            if not any(case_name in t for t in texts):
                problems.append(f'{label}: no KTAP of its own kept ({sorted(os.listdir(work))})')
    print(f'FAIL parse-log: {name}: ' + '; '.join(problems) if problems
          else f'PASS parse-log: {name}')
    return not problems


def main():
    src = sys.argv[1] if len(sys.argv) > 1 else '/nonexistent'
    ok = True
    ok &= case('a clean run passes', CLEAN, src,
               want_pass=['scullp_probe: file.write_read', 'scullp_dd.sh: dd:',
                          'kernel log:', 'kernel taint', RAN],
               verdict='PASS', skips=[])

    # The two channels, and the plan's end.
    ok &= case('a run cut short inside a probe fails it and the boot',
               CLEAN[:6], src, verdict='FAIL',
               want_fail=['scullp_probe: did not finish', 'kernel log: not captured',
                          'kernel taint: not reported', DID_NOT_RUN])
    ok &= case('a run cut short inside the dmesg dump fails the boot',
               CLEAN[:-4], src, verdict='FAIL',
               want_fail=['kernel log: not captured',
                          f'{DID_NOT_RUN} (cut short inside a dmesg block'])
    ok &= case('no results file: the plan did not run', MISSING, src, verdict='FAIL',
               want_fail=[f'{DID_NOT_RUN} (no results on the results channel',
                          'kernel log: not captured'])
    ok &= case('an empty results channel: the plan did not run', [], src, verdict='FAIL',
               want_fail=[f'{DID_NOT_RUN} (no results on the results channel'])
    ok &= case("a plan that did not run says the console's last line", [], src,
               console=CONSOLE + ['Kernel panic - not syncing: planted', ''], verdict='FAIL',
               want_fail=[f'{DID_NOT_RUN} (no results on the results channel; '
                          "the console ends: 'Kernel panic - not syncing: planted')"])
    ok &= case('no console file fails, and the plan still gets its verdict', CLEAN, src,
               console=MISSING, verdict='PASS',
               want_fail=['kernel log: the console'])
    ok &= case('KMM-EXIT 1 fails; the plan still ran to its end', run(status=1), src,
               verdict='PASS', want_fail=['the test plan exited with status 1'])
    ok &= case('an unreadable KMM-EXIT fails the boot', run(status='x'), src, verdict='FAIL',
               want_fail=[f'{DID_NOT_RUN} (exit status unreadable'])
    ok &= case('a plan with no KMM-PLAN-END fails the boot',
               [line for line in CLEAN if line != 'KMM-PLAN-END'], src, verdict='FAIL',
               want_fail=[f'{DID_NOT_RUN} (no KMM-PLAN-END'])
    ok &= case('markers on the console count for nothing',
               [line for line in CLEAN if not line.startswith(('KMM-PLAN-END', 'KMM-EXIT'))],
               src, console=CONSOLE + ['KMM-PLAN-END', 'KMM-EXIT 0'],
               verdict='FAIL', want_fail=[f'{DID_NOT_RUN} (no KMM-PLAN-END; no KMM-EXIT'])
    ok &= case('TAP lines on the console count for nothing', CLEAN, src,
               console=CONSOLE + ['not ok 9 scullp: rmmod', 'KMM-PROBE-BEGIN scullp_probe'],
               verdict='PASS')
    ok &= case('a "not ok" on the results channel fails, a kernel line on the console '
               'at the same time', run(*probe('mmap_demo_probe', '1..2', 'ok 1 map.read',
                                                'not ok 2 map.write_after_unmap',
                                                rc=1)), src,
               console=on_console('mmap_demo: mmap of 8 pages at offset 0'),
               want_fail=['mmap_demo_probe: map.write_after_unmap'])
    # A KASAN report on the console alone (the dump missed it) fails.
    ok &= case('a report on the console alone fails the gate', CLEAN, src, console=on_console(
               'BUG: KASAN: slab-out-of-bounds in scullp_read+0x1c/0x90 [scullp]',
               'Read of size 8 at addr ffff888001234567 by task scullp_probe/77'),
               want_fail=['kernel log:'])
    garbage = (b'\x00\xff\xfe garbage \x1b[0m\nKMM-PROBE-BEGIN\nKMM-PROBE-END\n'
               b'KMM-KUNIT-BEGIN\nKMM-DMA-API-ERRORS many\nKMM-TAINT x\n'
               b'KMM-WHAT 1\nok\nnot ok x\n\xc3\x28\nKMM-PLAN-END now\nKMM-EXIT\n')
    ok &= case('garbage and malformed markers fail, never crash', garbage, src,
               console=b'\xff\x00[  1.0] garbage\n[   1.000000] \xc3\x28\n',
               verdict='FAIL', want_fail=['plan: unreadable marker', DID_NOT_RUN])

    # Probes: their plans, exit status and time limit.
    ok &= case('a probe that exits non-zero with no failed case fails',
               run(*probe('scullp_fuzz', 'ok 1 fuzz.ioctl', rc=1)), src,
               want_fail=['scullp_fuzz: exited with status 1'])
    ok &= case('a probe killed by its time limit fails',
               run(*probe('scullp_stress', 'TAP version 13', '1..1',
                          'KMM-PROBE-TIMEOUT killed after 300 s', rc=143)), src,
               want_fail=['scullp_stress: killed after 300 s',
                          'scullp_stress: planned 1 results, gave 0'])
    forty = ['TAP version 13', '1..40', 'ok 1 file.a', 'ok 2 file.b', 'ok 3 file.c']
    ok &= case('a probe that gives 3 of its 40 planned results fails',
               run(*probe('scullp_probe@scullp_order=4,scullp_qset=7', *forty)), src,
               want_fail=['scullp_probe@scullp_order=4,scullp_qset=7: '
                          'planned 40 results, gave 3'])
    ok &= case('a probe that gives more results than planned fails',
               run(*probe('scullp_probe', '1..1', 'ok 1 file.a', 'ok 2 file.b')), src,
               want_fail=['scullp_probe: planned 1 results, gave 2'])
    ok &= case('indented (subtest) lines are not the probe\'s results',
               run(*probe('scullp_probe@scullp_order=4,scullp_qset=7', 'KTAP version 1',
                          '1..1', '    KTAP version 1', '    1..2', '    ok 1 inner.a',
                          '    ok 2 inner.b', 'ok 1 outer')), src,
               want_pass=['scullp_probe@scullp_order=4,scullp_qset=7: outer'])
    ok &= case('a probe with no plan and no result fails',
               run(*probe('dma_demo_dd.sh', '# nothing to say')), src,
               want_fail=['dma_demo_dd.sh: no result'])
    ok &= case('a plan of 1..0 without a skip is no result',
               run(*probe('dma_demo_probe', '1..0')), src,
               want_fail=['dma_demo_probe: no result'])
    ok &= case('a probe skipped whole (1..0 # SKIP) gives one SKIP, with its reason',
               run(*probe('dma_demo_probe', 'TAP version 13',
                          '1..0 # SKIP no QEMU edu device (PCI 1234:11e8)')), src,
               skips=['dma_demo_probe: the whole probe # no QEMU edu device (PCI 1234:11e8)'])
    ok &= case('1..0 # skip without a reason gives one SKIP',
               run(*probe('dma_demo_probe', '1..0 # skip')), src,
               skips=['dma_demo_probe: the whole probe'])
    ok &= case('a probe skipped whole that gives results fails',
               run(*probe('dma_demo_probe', '1..0 # SKIP no edu', 'ok 1 dma.a')), src,
               want_fail=['dma_demo_probe: planned 0 results, gave 1'])
    ok &= case('skipped results keep their reasons',
               run(*probe('mmap_demo_probe', '1..4',
                          'ok 1 map.huge # SKIP  no THP on this kernel ',
                          'ok 2 map.pinned # skip',
                          'ok 3 # SKIP userfaultfd: Operation not permitted',
                          'not ok 4 map.other # SKIP not this time')), src,
               skips=['mmap_demo_probe: map.huge # no THP on this kernel',
                      'mmap_demo_probe: map.pinned',
                      'mmap_demo_probe: test 3 # userfaultfd: Operation not permitted',
                      'mmap_demo_probe: map.other # not this time'])

    # The plan's own checks, and the debug kernel's counters.
    ok &= case('a failed guest check fails',
               run('not ok 7 dma_demo: swiotlb=force: transfers bounced'), src,
               want_fail=['dma_demo: swiotlb=force'])
    ok &= case('DMA-API debug errors fail', run('KMM-DMA-API-ERRORS 3'), src,
               want_fail=['DMA-API debug: error_count is 3'])
    ok &= case('a kmemleak report fails', run(
               'KMM-KMEMLEAK-BEGIN', 'unreferenced object 0xffff8880 (size 64):',
               'KMM-KMEMLEAK-END'), src, want_fail=['kmemleak:'])
    ok &= case('taint O, E and N passes', PROBE + [
               f'KMM-TAINT {4096 | 8192 | 262144}'] + TAIL[1:], src,
               want_pass=['kernel taint 274432 (OEN)'])
    ok &= case('taint W fails and is named', PROBE + [
               f'KMM-TAINT {4096 | 512}'] + TAIL[1:], src,
               want_fail=['kernel taint 4608 (WO): nothing beyond OEN, but W'])

    # The log gate.
    for report in [
            'kmemleak: Kernel memory leak detector disabled',
            'DMA-API: debugging out of memory - disabling',
            "debugfs: Directory 'dma_demo' with parent '/' already present!",
            'x86/PAT: probe:99 freeing invalid memtype [mem 0x1000-0x1fff]',
            'rcu: INFO: rcu_preempt detected stalls on CPUs/tasks:',
            'rcu: INFO: rcu_preempt self-detected stall on CPU',
            'INFO: task dma_demo_probe:88 blocked for more than 120 seconds.',
            'watchdog: BUG: soft lockup - CPU#1 stuck for 22s! [probe:1]',
            'ODEBUG: free active (active state 0) object: 00000000 object type: timer_list',
            'DMAR: [DMA Read NO_PASID] Request device [00:04.0] fault addr 0x1000',
            'DMAR: DRHD: handling fault status reg 2',
            'DMAR: [DMA Write NO_PASID] Request device [00:03.0] fault addr 0x2163000 '
            '[fault reason 0x05] PTE Write access is not set',
            'turning off the locking correctness validator.',
            'BUG kmalloc-64 (Tainted: G O): Object already free',
            'BUG: KCSAN: data-race in scullp_read / scullp_write',
            'UBSAN: array-index-out-of-bounds in scullp/storage.c:10:5',
            'Disabling lock debugging due to kernel taint',
            # arm64: the SMMUv3's faults, the oops and exception messages,
            # and its stack dumps ("Call trace:", not x86's "Call Trace:").
            'arm-smmu-v3 9050000.smmuv3: event 0x10 received:',
            'arm-smmu-v3 9050000.smmuv3: EVTQ overflow detected -- events lost',
            'arm-smmu-v3 9050000.smmuv3: unexpected global error reported (0x00000001), '
            'this could be serious',
            'Unable to handle kernel paging request at virtual address dead000000000108',
            'Internal error: Oops: 0000000096000004 [#1] PREEMPT SMP',
            'SError Interrupt on CPU1, code 0x00000000be000000 -- SError',
            'Call trace:']:
        ok &= case(f'the gate fails on "{report[:40]}"', with_dmesg(report), src,
                   want_fail=['kernel log:'])
    # Page-table and mm corruption: on the console alone, or in the dump alone.
    for report in MM_REPORTS:
        ok &= case(f'the gate fails on "{report[:40]}" on the console', CLEAN, src,
                   console=on_console(report), want_fail=['kernel log:'])
        ok &= case(f'the gate fails on "{report[:40]}" in the dump', with_dmesg(report),
                   src, want_fail=['kernel log:'])

    # KCSAN: only the kernel's own races named in KERNEL_RACES are excused,
    # each by the report that justified it; every other report fails.
    races = [entry[0] for entry in load_parser().KERNEL_RACES]
    for name in sorted(set(races) | set(RACE_REPORTS)):
        if name not in races or name not in RACE_REPORTS:
            print(f'FAIL parse-log: {name}: in one of KERNEL_RACES and RACE_REPORTS only')
            ok = False
            continue
        ok &= case(f'the report behind KERNEL_RACES {name} is excused, and is said',
                   with_dmesg(*RACE_REPORTS[name]), src,
                   console=on_console(*RACE_REPORTS[name]),
                   want_pass=['kernel log: no BUG, WARNING, KASAN, UBSAN, lockdep, DMA-API, '
                              f"IOMMU, kmemleak or detector report (0 found; the kernel's "
                              f'own race {name} '])
    ok &= case('a kernel-only race from a probe task (fault against zap) fails',
               with_dmesg(*FAULT_ZAP_RACE), src, console=on_console(*FAULT_ZAP_RACE),
               want_fail=['kernel log: no BUG'])
    kcsan = kcsan_report('__bitmap_and+0x9b/0x100', ['__bitmap_and+0x9b/0x100',
                         'smp_call_function_many_cond+0x2c9/0x5d0',
                         'flush_tlb_mm_range+0x143/0x1b0',
                         '__x64_sys_munmap+0x2c/0x40'])
    ok &= case("x86's TLB flush race from munmap passes, and is said",
               with_dmesg(*kcsan), src,
               want_pass=['kernel log: no BUG, WARNING, KASAN, UBSAN, lockdep, DMA-API, '
                          "IOMMU, kmemleak or detector report (0 found; the kernel's "
                          'own race x86_tlb_flush_mm_cpumask'])
    osq = RACE_REPORTS['osq_wait_next']
    ok &= case('an osq race whose other side is a module function fails',
               with_dmesg(*osq[:15], ' scullp_spin+0x10/0x40 [scullp]', *osq[16:]),
               src, want_fail=['kernel log: no BUG'])
    tlb = RACE_REPORTS['x86_tlb_flush_mm_cpumask']
    ok &= case('a bitmap race with a module frame before the TLB flush fails',
               with_dmesg(*tlb[:5], ' dma_demo_pick_cpu+0x10/0x40 [dma_demo]',
                          *tlb[5:]), src, want_fail=['kernel log: no BUG'])
    ok &= case('a bitmap walk called by a module function, no TLB flush, fails',
               with_dmesg(*tlb[:4], ' _find_next_bit+0x37/0xc0',
                          ' dma_demo_flush+0x1/0x2 [dma_demo]', *tlb[6:]), src,
               want_fail=['kernel log: no BUG'])
    ok &= case('a race under the TLB flush in another function fails',
               with_dmesg(*tlb[:4], ' dma_demo_count+0x37/0xc0 [dma_demo]',
                          *tlb[5:]), src, want_fail=['kernel log: no BUG'])
    ok &= case('another kernel race in the TLB flush, with our frames below, fails',
               with_dmesg(tlb[0], 'BUG: KCSAN: data-race in inc_mm_tlb_gen+0x1/0x20',
                          *tlb[2:4], ' inc_mm_tlb_gen+0x1/0x20', *tlb[5:]), src,
               want_fail=['kernel log: no BUG'])
    ok &= case('the TLB flush race with both accesses shown fails',
               with_dmesg(tlb[0], tlb[1], '',
                          'read to 0xffff8a71c1066e50 of 8 bytes by task 227 on cpu 1:',
                          *tlb[4:13],
                          'write to 0xffff8a71c1066e50 of 8 bytes by task 9 on cpu 0:',
                          ' dma_demo_set+0x1/0x2 [dma_demo]', *tlb[13:]), src,
               want_fail=['kernel log: no BUG'])
    ok &= case('the TLB flush race with a module function in the title fails',
               with_dmesg(tlb[0], 'BUG: KCSAN: data-race in dma_demo_xfer / _find_next_bit',
                          *tlb[2:]), src, want_fail=['kernel log: no BUG'])
    ok &= case('a KCSAN report with a module frame fails',
               with_dmesg(*kcsan[:6], ' vmalloc_demo_vm_close+0x3a/0x90 [vmalloc_demo]',
                          *kcsan[6:]), src, want_fail=['kernel log: no BUG'])
    ok &= case('a KCSAN report naming a module function fails',
               with_dmesg(kcsan[0], 'BUG: KCSAN: data-race in scullp_read / scullp_write',
                          *kcsan[2:]), src, want_fail=['kernel log: no BUG'])
    ok &= case('a KCSAN report cut short fails',
               with_dmesg(*kcsan[:8]), src, want_fail=['kernel log: no BUG'])
    ok &= case('a WARNING inside an excused KCSAN report still fails',
               with_dmesg(*kcsan[:5], 'WARNING: CPU: 0 PID: 9 at mm/memory.c:1 zap',
                          *kcsan[5:]), src, want_fail=['kernel log: no BUG'])
    # A KCSAN report once the kernel restarts, after the plan: said, not
    # counted (test-6.1's reboot raced on its CPU masks); before the
    # restart, or any other report after it, fails.
    cut = ['=' * 66, 'BUG: KCSAN: data-race in _find_first_bit+0x28/0x50', '',
           'race at unknown origin, with read to 0xffffffffb8983d70 of 8 bytes '
           'by task 2314 on cpu 0:']
    ok &= case('a KCSAN report while the kernel restarts is said, not counted',
               run(), src, console=on_console('reboot: Restarting system', *cut),
               want_pass=['kernel log: no BUG, WARNING, KASAN, UBSAN, lockdep, DMA-API, '
                          'IOMMU, kmemleak or detector report (0 found; a KCSAN report '
                          'while the kernel restarted'])
    ok &= case('the same KCSAN report before the restart fails',
               run(), src, console=on_console(*cut, 'reboot: Restarting system'),
               want_fail=['kernel log: no BUG'])
    ok &= case('a WARNING while the kernel restarts fails',
               run(), src, console=on_console('reboot: Restarting system',
                                              'WARNING: CPU: 0 PID: 9 at kernel/reboot.c:1 x'),
               want_fail=['kernel log: no BUG'])
    # What arm64's SMMUv3 says at every boot is no fault.
    ok &= case('the SMMUv3 probe lines pass the gate', with_dmesg(
               'arm-smmu-v3 9050000.smmuv3: ias 44-bit, oas 44-bit (features 0x00008305)',
               'arm-smmu-v3 9050000.smmuv3: allocated 65536 entries for cmdq',
               'arm-smmu-v3 9050000.smmuv3: allocated 32768 entries for evtq'), src,
               want_pass=['kernel log:'])
    ok &= two_boots(src)
    ok &= gate_only()
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
