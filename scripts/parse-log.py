#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turn the console log of a `kmm.mode=check` VM run into test results.

Prints one line per case, "PASS|FAIL|SKIP description", as each is decided,
from:
  - the probes' TAP lines, between KMM-PROBE-BEGIN/END markers;
  - the guest plan's own TAP lines;
  - the KUnit results, parsed by the kernel's own kunit.py from SRC;
  - the log gate: the kernel log (the KMM-DMESG block, and every kernel
    line on the console, wherever it landed) must hold no report (GATE);
  - the kernel's taint flags, the kmemleak scan and the DMA-API debug
    error count;
  - the plan's exit marker.

Whatever the log holds (a truncated run, a kernel report written into the
middle of a marker, garbage), this never crashes: a marker it cannot read
fails that case, and the boot always ends in exactly one verdict, "the test
plan ran to its end" or "the test plan did not run to its end (...)".

Usage: parse-log.py LOG SRC WORKDIR
"""
import json
import os
import re
import subprocess
import sys

TAP = re.compile(r'^(not ok|ok) \d+ (.*?)(?:\s+#\s*(SKIP|skip)\b.*)?$')

# A kernel line on the console: its printk timestamp, wherever in the line
# (the serial console interleaves it with the plan's own output).
KERNEL_LINE = re.compile(r'\[\s*\d+\.\d{6}\] (.*)$')

# What must never appear in the kernel log of a run: reports, and the
# messages of a debugging aid that has switched itself off.
GATE = re.compile(
    r'BUG:|WARNING:|Oops|general protection fault|kernel BUG|Kernel panic|'
    r'\bBUG [\w.-]+ \(|Bad page (state|map)|'
    r'KASAN:|UBSAN:|KCSAN:|KFENCE:|'
    r'possible circular locking|possible recursive locking|'
    r'inconsistent lock state|lock held when returning|'
    r'DEBUG_LOCKS_WARN_ON|turning off the locking correctness validator|'
    r'Disabling lock debugging|'
    r'sleeping function called from invalid context|'
    r'DMA-API: [^ ]+ [^ ]+: device driver|DMA-API: .*disabling|'
    r'Kernel memory leak detector disabled|kmemleak: .*disabled|'
    r'suspected memory leak|unreferenced object|'
    r'ODEBUG:|debugfs: .*already present|freeing invalid memtype|'
    r'DMAR: \[DMA |DMAR: DRHD: handling fault|iommu fault|'
    r'arm-smmu-v3 \S+: (event 0x[0-9a-f]+ received|.*(overflow detected|global error|'
    r'CMDQ error|CMDQ timeout|Service Failure Mode|write aborted))|'
    r'Unable to handle kernel|Internal error:|SError|Bad mode in|'
    r'Unexpected kernel BRK|Unhandled fault|'
    r'detected stall|self-detected stall|rcu_\w+ kthread (timer wakeup didn.t happen|starved)|'
    r'blocked for more than \d+ seconds|soft lockup|hard LOCKUP|'
    r'Call [Tt]race:|page allocation failure|'
    r'scheduling while atomic|refcount_t:|list_\w+ corruption')

# A KCSAN report (kernel/kcsan/report.c) runs from its "BUG: KCSAN:" line
# to a closing line of '='.  One that names a module, in its title or in
# a stack frame ("scullp_read+0x1c/0x90 [scullp]"), is ours to fix; one
# wholly inside the kernel is a race of the kernel's own, printed but not
# failed.  Issue 18: "any KCSAN report naming a module symbol fails the
# run"; a report cut short fails.
KCSAN_TITLE = re.compile(r'BUG: KCSAN: ')
KCSAN_END = re.compile(r'={20,}\s*$')
MODULE_FRAME = re.compile(r'\[\w+\]\s*$')
OUR_SYMBOL = re.compile(r'\b(scullp|mmap_demo|vmalloc_demo|dma_demo|kmm)_?\w*')
NOT_A_FRAME = re.compile(r'(CPU|Hardware name|Reported by|Comm):')

# Races of the kernel's own that a driver reaches through an mm API it
# must call, with its frames further down the stack: (the racing access's
# own function, the kernel function it is reached from within six frames
# with no module frame between, why it is not ours).  Only a race at
# unknown origin (one access shown, the other side built without KCSAN)
# whose title names none of ours qualifies.
#
# Seen on 6.1 (test-6.1), from munmap and from dma_demo_disconnect()'s
# unmap_mapping_range(): x86's TLB flush walks mm_cpumask(mm) while
# switch_mm_irqs_off() on the other CPU sets or clears its bit; arch/x86/mm
# is built without KCSAN, hence "at unknown origin".  No driver can touch
# mm_cpumask, and unmapping a revoked device is required, not optional.
KERNEL_RACES = [
    (re.compile(r'(_find_\w+_bit|__bitmap_and|__bitmap_weight|cpumask_\w+)\+'),
     re.compile(r'flush_tlb_mm_range\+'),
     "x86's TLB flush reading mm_cpumask"),
]

# Taint flags a run may have (Documentation/admin-guide/tainted-kernels.rst):
# O (12) an out-of-tree module was loaded, E (13) an unsigned one (Debian's
# kernels verify signatures), N (18) a KUnit test module ran.
TAINT_OK = {12: 'O', 13: 'E', 18: 'N'}
TAINT_NAMES = 'PFSRMBUDAWCIOELKXTN'


def kunit_cases(src, ktap, workdir, name):
    """Leaf test cases from one suite's KTAP, via kunit.py parse."""
    # The kernel log of one module load: drop the timestamps, start at the
    # first KTAP header.  6.1 prints no top-level header for a module's
    # suites (only an indented one per suite): give it one.
    lines = [re.sub(r'^\[\s*\d+\.\d+\] ', '', line) for line in ktap.splitlines()]
    start = next((i for i, line in enumerate(lines)
                  if re.match(r'\s*K?TAP version', line)), len(lines))
    lines = lines[start:]
    if lines and lines[0].startswith(' '):
        suites = sum(1 for line in lines if re.match(r'(not )?ok \d+ ', line))
        lines = ['KTAP version 1', f'1..{max(suites, 1)}'] + lines
    path = os.path.join(workdir, f'kunit-{name}.ktap')
    with open(path, 'w') as f:
        f.write('\n'.join(lines) + '\n')
    out = os.path.join(workdir, f'kunit-{name}.json')
    kunit = os.path.join(src, 'tools/testing/kunit/kunit.py')
    proc = subprocess.run([sys.executable, kunit, 'parse', f'--json={out}', path],
                          capture_output=True, text=True)
    sys.stderr.write(proc.stdout)
    try:
        with open(out) as f:
            tree = json.load(f)
    except (OSError, ValueError):
        return [('FAIL', f'kunit {name}: kunit.py parse gave no results')]

    cases = []

    def walk(group, prefix):
        for case in group.get('test_cases', []):
            status = case.get('status', 'FAIL')
            verdict = {'PASS': 'PASS', 'SKIP': 'SKIP'}.get(status, 'FAIL')
            cases.append((verdict, f'kunit {prefix}{case.get("name", "?")}'))
        for sub in group.get('sub_groups', []):
            walk(sub, f'{prefix}{sub.get("name", "?")}.')

    for group in tree.get('sub_groups', []) or [tree]:
        walk(group, f'{group.get("name", name)}.')
    if not cases:
        cases.append(('FAIL', f'kunit {name}: no test case ran'))
    # A crashed suite or a malformed document: kunit.py says so in words.
    if proc.returncode != 0 or re.search(r'\[CRASHED\]|\[ERROR\]|errors: [1-9]',
                                         proc.stdout):
        cases.append(('FAIL', f'kunit {name}: kunit.py parse reports errors'))
    return cases


def unknown_origin_frames(body):
    """The stack of a KCSAN report's one access, innermost first, when it
    is a race at unknown origin; None when the report shows two."""
    for n, text in enumerate(body):
        if text.strip().startswith('race at unknown origin'):
            frames = [frame.strip() for frame in body[n + 1:]]
            return frames[:frames.index('')] if '' in frames else frames
    return None


def kernel_only_kcsan(lines):
    """The KCSAN reports in LINES (kernel log lines, timestamps stripped)
    that are whole and the kernel's own: {index of the title line: why}."""
    excused = {}
    for i, line in enumerate(lines):
        if not KCSAN_TITLE.search(line):
            continue
        end = next((j for j in range(i + 1, min(i + 80, len(lines)))
                    if KCSAN_END.search(lines[j])), None)
        if end is None:
            continue		# cut short: it cannot be read, so it fails
        body = [text for text in lines[i:end] if not NOT_A_FRAME.search(text)]
        if not any(MODULE_FRAME.search(text) or OUR_SYMBOL.search(text)
                   for text in body):
            excused[i] = 'inside the kernel alone (no module in it)'
            continue
        frames = unknown_origin_frames(body)
        if OUR_SYMBOL.search(line) or not frames:
            continue
        for first, entry, why in KERNEL_RACES:
            if not first.match(frames[0]):
                continue
            for frame in frames[:6]:
                if MODULE_FRAME.search(frame) or OUR_SYMBOL.search(frame):
                    break
                if entry.match(frame):
                    excused[i] = f'of the kernel\'s own race ({why})'
                    break
    return excused


def describe_taint(value):
    return ''.join(TAINT_NAMES[bit] if bit < len(TAINT_NAMES) else '?'
                   for bit in range(value.bit_length()) if value >> bit & 1)


class Log:
    """One pass over the console log; results are printed as decided."""

    def __init__(self, src, workdir):
        self.src, self.workdir = src, workdir
        self.probe = None
        self.probe_failed = False
        self.block = None		# 'kunit', 'kmemleak' or 'dmesg'
        self.kunit_name = ''
        self.kunit = {}
        self.kmemleak = None
        self.dmesg = []
        self.dmesg_done = False
        self.console_reports = []
        self.exit_status = None
        self.taint = None

    def result(self, verdict, desc):
        print(f'{verdict} {desc}', flush=True)

    def fail_marker(self, line):
        self.result('FAIL', f'{self.probe or "plan"}: unreadable marker: {line[:100]!r}')

    def line(self, line):
        # A kernel line on the console, outside the dmesg dump: the gate
        # reads it too (it may have landed inside a marker, or after the
        # dump).
        if self.block != 'dmesg':
            m = KERNEL_LINE.search(line)
            if m and GATE.search(m.group(1)):
                self.console_reports.append(m.group(1))
        if self.block:
            self.in_block(line)
            return
        word = line.split(' ', 1)[0]
        handler = {
            'KMM-KUNIT-BEGIN': self.kunit_begin,
            'KMM-KMEMLEAK-BEGIN': self.kmemleak_begin,
            'KMM-DMESG-BEGIN': self.dmesg_begin,
            'KMM-PROBE-BEGIN': self.probe_begin,
            'KMM-PROBE-END': self.probe_end,
            'KMM-PROBE-TIMEOUT': self.probe_timeout,
            'KMM-DMA-API-ERRORS': self.dma_api_errors,
            'KMM-TAINT': self.taint_marker,
            'KMM-EXIT': self.exit_marker,
        }.get(word)
        if handler:
            handler(line)
        elif word.startswith('KMM-') and word != 'KMM-STEP':
            self.fail_marker(line)
        else:
            self.tap(line)

    def in_block(self, line):
        end = {'kunit': 'KMM-KUNIT-END', 'kmemleak': 'KMM-KMEMLEAK-END',
               'dmesg': 'KMM-DMESG-END'}[self.block]
        if line.startswith(end):
            if self.block == 'dmesg':
                self.dmesg_done = True
            self.block = None
        elif self.block == 'kunit':
            self.kunit[self.kunit_name].append(line)
        elif self.block == 'dmesg':
            self.dmesg.append(line[len('dmesg: '):] if line.startswith('dmesg: ') else line)
        else:
            self.kmemleak.append(line)

    def kunit_begin(self, line):
        m = re.fullmatch(r'KMM-KUNIT-BEGIN (\w+)', line)
        if not m:
            self.fail_marker(line)
            return
        self.block, self.kunit_name = 'kunit', m.group(1)
        self.kunit[self.kunit_name] = []

    def kmemleak_begin(self, line):
        self.block, self.kmemleak = 'kmemleak', []

    def dmesg_begin(self, line):
        self.block, self.dmesg = 'dmesg', []

    def probe_begin(self, line):
        if self.probe:
            self.result('FAIL', f'{self.probe}: did not finish')
        m = re.fullmatch(r'KMM-PROBE-BEGIN (\S+)', line)
        if not m:
            self.probe = None
            self.fail_marker(line)
            return
        self.probe, self.probe_failed = m.group(1), False

    def probe_end(self, line):
        m = re.match(r'KMM-PROBE-END (\S+) rc=(\d+)( |$)', line)
        if not m or m.group(1) != self.probe:
            self.fail_marker(line)
        elif m.group(2) != '0' and not self.probe_failed:
            self.result('FAIL', f'{self.probe}: exited with status {m.group(2)}')
        self.probe = None

    def probe_timeout(self, line):
        self.result('FAIL', f'{self.probe or "probe"}: {line[len("KMM-PROBE-TIMEOUT "):]}')
        self.probe_failed = True

    def dma_api_errors(self, line):
        m = re.fullmatch(r'KMM-DMA-API-ERRORS (\d+)', line)
        if not m:
            self.fail_marker(line)
            return
        n = int(m.group(1))
        self.result('PASS' if n == 0 else 'FAIL', f'DMA-API debug: error_count is {n}')

    def taint_marker(self, line):
        m = re.fullmatch(r'KMM-TAINT (\d+)', line)
        if not m:
            self.fail_marker(line)
            return
        self.taint = int(m.group(1))

    def exit_marker(self, line):
        m = re.fullmatch(r'KMM-EXIT (\d+)', line)
        self.exit_status = m.group(1) if m else line[len('KMM-EXIT'):].strip() or '?'

    def tap(self, line):
        m = TAP.match(line)
        if not m:
            return
        ok, desc, skip = m.groups()
        verdict = 'SKIP' if skip else ('PASS' if ok == 'ok' else 'FAIL')
        if verdict == 'FAIL':
            self.probe_failed = True
        self.result(verdict, f'{self.probe}: {desc}' if self.probe else desc)

    def finish(self):
        if self.probe:
            self.result('FAIL', f'{self.probe}: did not finish')
        for name, ktap in self.kunit.items():
            for verdict, desc in kunit_cases(self.src, '\n'.join(ktap),
                                             self.workdir, name):
                self.result(verdict, desc)

        if self.kmemleak is not None:
            leaks = [line for line in self.kmemleak if 'unreferenced object' in line]
            for line in self.kmemleak[:30]:
                sys.stderr.write(f'    kmemleak: {line}\n')
            self.result('FAIL' if leaks else 'PASS',
                        f'kmemleak: no unreferenced object ({len(leaks)} found)')

        if self.taint is None:
            self.result('FAIL', 'kernel taint: not reported')
        else:
            bad = self.taint & ~sum(1 << bit for bit in TAINT_OK)
            self.result('FAIL' if bad else 'PASS',
                        f'kernel taint {self.taint} ({describe_taint(self.taint) or "none"}): '
                        f'nothing beyond {"".join(TAINT_OK.values())}'
                        + (f', but {describe_taint(bad)}' if bad else ''))

        if self.dmesg_done:
            texts = [re.sub(r'^\[\s*\d+\.\d+\] ', '', line) for line in self.dmesg]
            excused = kernel_only_kcsan(texts)
            seen = {text for text in texts if GATE.search(text)}
            bad = [line for i, line in enumerate(self.dmesg)
                   if GATE.search(line) and i not in excused]
            bad += [line for line in self.console_reports if line not in seen]
            for i, why in sorted(excused.items()):
                sys.stderr.write(f'    log: not ours, {why}: {texts[i]}\n')
                self.result('PASS', f'kernel log: a KCSAN report {why} is not counted '
                            'against the drivers '
                            f'({texts[i].split("KCSAN: ", 1)[1][:80]})')
            for line in bad[:20]:
                sys.stderr.write(f'    log: {line}\n')
            self.result('FAIL' if bad else 'PASS',
                        'kernel log: no BUG, WARNING, KASAN, UBSAN, lockdep, '
                        f'DMA-API, IOMMU, kmemleak or detector report ({len(bad)} found)')
        else:
            for line in self.console_reports[:20]:
                sys.stderr.write(f'    log: {line}\n')
            self.result('FAIL', 'kernel log: not captured'
                        f' ({len(self.console_reports)} reports on the console)')

        # The boot's one verdict, last: everything above was decided.
        if self.exit_status == '0' and not self.block:
            self.result('PASS', 'the test plan ran to its end')
        else:
            where = f' inside a {self.block} block' if self.block else ''
            self.result('FAIL', 'the test plan did not run to its end '
                        f'(exit marker: {self.exit_status}{where})')


def main():
    if len(sys.argv) != 4:
        sys.exit('usage: parse-log.py LOG SRC WORKDIR')
    log, src, workdir = sys.argv[1:4]
    parser = Log(src, workdir)
    try:
        with open(log, errors='replace') as f:
            for raw in f:
                parser.line(raw.rstrip('\r\n').replace('\0', ''))
        parser.finish()
    except Exception as e:  # pylint: disable=broad-except
        # A bug here must still leave a verdict, never a silent pass.
        print(f'FAIL the test plan did not run to its end (parse-log.py: {e!r})',
              flush=True)
        raise


if __name__ == '__main__':
    main()
