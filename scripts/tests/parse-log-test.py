#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The log parser's own tests: console logs as a dying, garbled or racing
guest leaves them, fed to scripts/parse-log.py.  Whatever the log, the
parser must exit 0, print only PASS/FAIL/SKIP lines, end in exactly one
verdict on the boot, and fail what went wrong.

Prints "PASS|FAIL description" per case (scripts/selftest.sh runs it).
Usage: parse-log-test.py SRC   (a kernel source tree, for kunit.py)
"""
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
PARSER = os.path.join(HERE, '..', 'parse-log.py')
RAN = 'the test plan ran to its end'
DID_NOT_RUN = 'the test plan did not run to its end'

PROBE = ['KMM-STEP scullp probes (at 3.1 s)',
         'KMM-PROBE-BEGIN scullp_probe',
         'TAP version 13', '1..2',
         'ok 1 file.write_read', 'ok 2 file.holes_read_zero',
         'KMM-PROBE-END scullp_probe rc=0 in 1.5 s']
DMESG = ['KMM-DMESG-BEGIN',
         'dmesg: [    0.000000] Linux version 6.12.0',
         'dmesg: [    3.100000] scullp: loading out-of-tree module taints kernel.',
         'KMM-DMESG-END']
TAIL = ['KMM-TAINT 4096'] + DMESG + ['KMM-EXIT 0']
CLEAN = PROBE + ['ok 1 scullp: rmmod after the probes'] + TAIL


def parse(lines, src):
    with tempfile.TemporaryDirectory() as work:
        log = os.path.join(work, 'console.log')
        with open(log, 'wb') as f:
            f.write(lines if isinstance(lines, bytes) else
                    ('\n'.join(lines) + '\n').encode())
        proc = subprocess.run([sys.executable, PARSER, log, src, work],
                              capture_output=True, text=True)
    results = [line.split(' ', 1) for line in proc.stdout.splitlines()]
    return proc.returncode, results, proc.stderr


def with_dmesg(*lines):
    """The clean log, with kernel LINES in its dmesg dump."""
    dmesg = DMESG[:-1] + [f'dmesg: [   42.000000] {line}' for line in lines] + DMESG[-1:]
    return PROBE + ['KMM-TAINT 4096'] + dmesg + ['KMM-EXIT 0']


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


def case(name, log, src, want_fail=(), want_pass=(), verdict=None):
    """Run one log; every string of WANT_FAIL must start a FAIL line's
    description, of WANT_PASS a PASS line's."""
    problems = []
    rc, results, err = parse(log, src)
    if rc != 0:
        problems.append(f'exit status {rc}: {err.strip()[-200:]}')
    bad = [r for r in results if len(r) != 2 or r[0] not in ('PASS', 'FAIL', 'SKIP')]
    if bad:
        problems.append(f'unreadable lines {bad[:3]}')
    verdicts = [r for r in results if len(r) == 2 and
                (r[1] == RAN or r[1].startswith(DID_NOT_RUN))]
    if len(verdicts) != 1:
        problems.append(f'{len(verdicts)} verdicts on the boot, not one')
    elif verdict and verdicts[0][0] != verdict:
        problems.append(f'boot verdict {verdicts[0][0]}, not {verdict}')
    for want, kind in [(w, 'FAIL') for w in want_fail] + [(w, 'PASS') for w in want_pass]:
        if not any(r[0] == kind and r[1].startswith(want) for r in results if len(r) == 2):
            problems.append(f'no {kind} "{want}..."')
    if not want_fail:
        fails = [r[1] for r in results if r[0] == 'FAIL']
        if fails:
            problems.append(f'unexpected FAIL: {fails[:3]}')
    if problems:
        print(f'FAIL parse-log: {name}: ' + '; '.join(problems))
    else:
        print(f'PASS parse-log: {name}')
    return not problems


def main():
    src = sys.argv[1] if len(sys.argv) > 1 else '/nonexistent'
    ok = True
    ok &= case('a clean run passes', CLEAN, src,
               want_pass=['scullp_probe: file.write_read', 'kernel log:', 'kernel taint'],
               verdict='PASS')
    ok &= case('a run cut short inside a probe fails it and the boot',
               CLEAN[:5], src, verdict='FAIL',
               want_fail=['scullp_probe: did not finish', 'kernel log: not captured',
                          'kernel taint: not reported', DID_NOT_RUN])
    ok &= case('a run cut short inside the dmesg dump fails the boot',
               CLEAN[:-3], src, verdict='FAIL',
               want_fail=['kernel log: not captured', DID_NOT_RUN])
    # The serial console is shared: a KASAN report can land inside the
    # END marker of the probe that caused it.
    interleaved = PROBE[:-1] + [
        'KMM-PROBE-END scullp_probe rc=[   12.345678] BUG: KASAN: slab-out-of-bounds in scullp_read',
        '[   12.345679] Read of size 8 at addr ffff888001234567 by task scullp_probe/77',
        '0 in 1.5 s'] + TAIL
    ok &= case('a KASAN report inside a probe END line fails the gate', interleaved,
               src, want_fail=['scullp_probe: unreadable marker', 'kernel log:'])
    ok &= case('a report on the console after the dmesg dump fails the gate',
               CLEAN[:-1] + ['[   99.000000] WARNING: CPU: 0 PID: 1 at mm/slub.c:1 x',
                             'KMM-EXIT 0'], src, want_fail=['kernel log:'])
    garbage = (b'\x00\xff\xfe garbage \x1b[0m\nKMM-PROBE-BEGIN\nKMM-PROBE-END\n'
               b'KMM-KUNIT-BEGIN\nKMM-DMA-API-ERRORS many\nKMM-TAINT x\n'
               b'KMM-WHAT 1\nok\nnot ok x\n\xc3\x28\nKMM-EXIT\n')
    ok &= case('garbage and malformed markers fail, never crash', garbage, src,
               verdict='FAIL', want_fail=['plan: unreadable marker', DID_NOT_RUN])
    ok &= case('a probe that exits non-zero with no failed case fails',
               PROBE[:-1] + ['KMM-PROBE-END scullp_probe rc=1 in 1.0 s'] + TAIL, src,
               want_fail=['scullp_probe: exited with status 1'])
    ok &= case('a probe killed by its time limit fails',
               PROBE[:-1] + ['KMM-PROBE-TIMEOUT killed after 300 s',
                             'KMM-PROBE-END scullp_probe rc=143 in 300.0 s'] + TAIL, src,
               want_fail=['scullp_probe: killed after 300 s'])
    ok &= case('a plan that exits non-zero fails the boot',
               CLEAN[:-1] + ['KMM-EXIT 2'], src, verdict='FAIL', want_fail=[DID_NOT_RUN])
    ok &= case('a failed guest check fails', PROBE + [
               'not ok 7 dma_demo: swiotlb=force: transfers bounced'] + TAIL, src,
               want_fail=['dma_demo: swiotlb=force'])
    ok &= case('DMA-API debug errors fail', CLEAN[:-1] + ['KMM-DMA-API-ERRORS 3', 'KMM-EXIT 0'],
               src, want_fail=['DMA-API debug: error_count is 3'])
    ok &= case('a kmemleak report fails', CLEAN[:-1] + [
               'KMM-KMEMLEAK-BEGIN', 'unreferenced object 0xffff8880 (size 64):',
               'KMM-KMEMLEAK-END', 'KMM-EXIT 0'], src, want_fail=['kmemleak:'])
    ok &= case('taint O, E and N passes', PROBE + [
               f'KMM-TAINT {4096 | 8192 | 262144}'] + DMESG + ['KMM-EXIT 0'], src,
               want_pass=['kernel taint 274432 (OEN)'])
    ok &= case('taint W fails and is named', PROBE + [
               f'KMM-TAINT {4096 | 512}'] + DMESG + ['KMM-EXIT 0'], src,
               want_fail=['kernel taint 4608 (WO): nothing beyond OEN, but W'])
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
            'list_add corruption. prev->next should be next',
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
    # KCSAN: a whole report with no module in it is the kernel's own race
    # (this one was seen on test-6.1); a module frame, a module function in
    # the title, or a report cut short fails.
    kcsan = kcsan_report('__bitmap_and+0x9b/0x100', ['__bitmap_and+0x9b/0x100',
                         'smp_call_function_many_cond+0x2c9/0x5d0',
                         'flush_tlb_mm_range+0x143/0x1b0',
                         '__x64_sys_munmap+0x2c/0x40'])
    ok &= case('a KCSAN report inside the kernel alone passes, and is said',
               with_dmesg(*kcsan), src,
               want_pass=['kernel log: a KCSAN report inside the kernel alone',
                          'kernel log: no BUG'])
    # The same race reached from our own unmap_mapping_range() (seen on
    # test-6.1, dma_demo_lifetime unbinding under a mapping): the kernel's,
    # though a module is in the stack; anything else with a module fails.
    tlb = kcsan_report('_find_next_bit+0x37/0xc0', [
        '_find_next_bit+0x37/0xc0', 'flush_tlb_mm_range+0xc8/0x1b0',
        'unmap_page_range+0x18cb/0x1a50', 'zap_page_range_single+0x1ac/0x1f0',
        'unmap_mapping_range+0x139/0x160', 'dma_demo_disconnect+0x8a/0xc0 [dma_demo]',
        'dma_demo_remove+0x34/0x190 [dma_demo]', 'unbind_store+0x122/0x150'])
    ok &= case("x86's TLB flush race under our unmap_mapping_range passes, and is said",
               with_dmesg(*tlb), src,
               want_pass=["kernel log: a KCSAN report of the kernel's own race (x86's TLB",
                          'kernel log: no BUG'])
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
    ok &= case('a WARNING inside a kernel-only KCSAN report still fails',
               with_dmesg(*kcsan[:5], 'WARNING: CPU: 0 PID: 9 at mm/memory.c:1 zap',
                          *kcsan[5:]), src, want_fail=['kernel log: no BUG'])
    # What arm64's SMMUv3 says at every boot is no fault.
    ok &= case('the SMMUv3 probe lines pass the gate', with_dmesg(
               'arm-smmu-v3 9050000.smmuv3: ias 44-bit, oas 44-bit (features 0x00008305)',
               'arm-smmu-v3 9050000.smmuv3: allocated 65536 entries for cmdq',
               'arm-smmu-v3 9050000.smmuv3: allocated 32768 entries for evtq'), src,
               want_pass=['kernel log:'])
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
