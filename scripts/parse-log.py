#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turn the two logs of a `kmm.mode=check` VM run into test results.

RESULTS is what the guest's test plan printed on a channel of its own:
markers, TAP lines, the KUnit, kmemleak and kernel log dumps, and last
"KMM-EXIT N", N the plan's exit status.  CONSOLE is the kernel's serial
console.  Prints one line per case, "PASS|FAIL|SKIP description" (a skip
that gives a reason: "SKIP description # reason"), as each is decided,
from:
  - the probes' TAP lines, between KMM-PROBE-BEGIN/END markers, as many
    as the probe's TAP plan ("1..N") says when it prints one;
  - the guest plan's own TAP lines;
  - the KUnit results, parsed by the kernel's own kunit.py from SRC;
  - the log gate: the kernel log (the KMM-DMESG block of RESULTS, and
    every kernel line of CONSOLE) must hold no report (GATE), and no
    KCSAN report but the kernel's own races named in KERNEL_RACES;
  - the kernel's taint flags, the kmemleak scan and the DMA-API debug
    error count;
  - the plan's end marker and exit status.
With --gate CONSOLE it applies GATE alone, without the excuses (the
kernel's own races, a KCSAN report as it restarts), to a stock kernel's
boot with no plan.

Markers and TAP lines are read from RESULTS only.  Whatever the logs hold
(a truncated run, a missing file, garbage), this never crashes: a marker
it cannot read fails that case, and the boot always ends in exactly one
verdict, "the test plan ran to its end" or "the test plan did not run to
its end (...)".

Usage: parse-log.py RESULTS CONSOLE SRC WORKDIR | --gate CONSOLE
"""
import json
import os
import re
import subprocess
import sys

# A top-level TAP result and a TAP plan ("1..N"); indented lines are a
# subtest's, not the probe's.
TAP = re.compile(r'^(not ok|ok) (\d+) (.*)$')
TAP_PLAN = re.compile(r'^1\.\.(\d+)(\s.*)?$')
# The SKIP directive of a result or a plan, and its reason.
SKIP = re.compile(r'(?:^|\s)#\s*(?:SKIP|skip)\b\s*(.*?)\s*$')

# A kernel line on the console: its printk timestamp, wherever in the line
# (the console also carries early boot and init text).
KERNEL_LINE = re.compile(r'\[\s*\d+\.\d{6}\] (.*)$')
# kernel_restart() and kernel_power_off()'s last words (kernel/reboot.c).
RESTART = re.compile(r'^reboot: (Restarting system|Power down)')

# What must never appear in the kernel log of a run: reports, and the
# messages of a debugging aid that has switched itself off.
GATE = re.compile(
    r'BUG:|WARNING:|Oops|general protection fault|kernel BUG|Kernel panic|'
    r'\bBUG [\w.-]+ \(|Bad page state|'
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
    r'scheduling while atomic|refcount_t:|'
    # Page-table and mm corruption, in the words of 6.1 and 6.12 alike:
    # p?d_ERROR(), "%s:%d: bad pmd %p(%016lx)" (arch/x86/include/asm/
    # pgtable_64.h) or "%s:%d: bad pmd %016llx." (arch/arm64/include/asm/
    # pgtable.h), as mm/pgtable-generic.c's p?d_clear_bad() prints it;
    r'\.[ch]:\d+: bad (pgd|p4d|pud|pmd|pte) |'
    # mm/memory.c, print_bad_pte(); kernel/fork.c, check_mm();
    r'BUG: Bad page map|BUG: Bad rss-counter state|'
    # include/linux/mmdebug.h's VM_BUG_ON_PAGE/FOLIO and VM_WARN_ON_*PAGE/
    # FOLIO (mm/debug.c, dump_page()), VM_BUG_ON_VMA (dump_vma()),
    # VM_BUG_ON_MM and VM_WARN_ON_ONCE_MM (dump_mm());
    r'page dumped because: |\bvma [0-9a-f]+ start [0-9a-f]+ end [0-9a-f]+ mm |'
    r'\bmm [0-9a-f]+ task_size \d+|'
    # kernel/dma/swiotlb.c, swiotlb_tbl_map_single();
    r'swiotlb buffer is full|'
    # lib/list_debug.c: "list_add corruption. ...", "list_del corruption, ...".
    r'list_(add|del) corruption[.,]')

# A KCSAN report (kernel/kcsan/report.c) runs from its "BUG: KCSAN:" line
# to a closing line of '='.  Every one fails the run, a race wholly inside
# the kernel too (a probe's task reaches kernel code that shows no module
# frame), but for the kernel's own races named in KERNEL_RACES; a report
# cut short fails.
KCSAN_TITLE = re.compile(r'BUG: KCSAN: ')
KCSAN_END = re.compile(r'={20,}\s*$')
MODULE_FRAME = re.compile(r'\[\w+\]\s*$')
OUR_SYMBOL = re.compile(r'\b(scullp|mmap_demo|vmalloc_demo|dma_demo|kmm)_?\w*')

# Races of the kernel's own that a driver reaches through an API it must
# call, with its frames further down the stack: (name, the racing access's
# own function, the kernel function it is reached from within six frames
# with no module frame between, why it is not ours).  Every access the
# report shows (one, for a race at unknown origin, the other side built
# without KCSAN; or both) must match, and the title must name none of
# ours.  The report that justified an entry is kept, under its name, in
# scripts/tests/parse-log-test.py (RACE_REPORTS), which checks that it is
# excused.
#
# x86_tlb_flush_mm_cpumask: x86's TLB flush walks mm_cpumask(mm) while
# switch_mm_irqs_off() on the other CPU sets or clears its bit; arch/x86/mm
# is built without KCSAN.  No driver can touch mm_cpumask, and unmapping a
# revoked device (unmap_mapping_range()) is required, not optional.
#
# osq_wait_next: two writers of one rw_semaphore (scullp, vmalloc_demo)
# spin in its optimistic-spin queue, and 6.1's osq_wait_next() (inlined in
# osq_unlock()) reads node->next plainly while osq_lock() sets it; upstream
# marked that read data_race() in 6.8.  The lock is the kernel's.
KERNEL_RACES = [
    ('x86_tlb_flush_mm_cpumask',
     re.compile(r'(_find_\w+_bit|__bitmap_and|__bitmap_weight|cpumask_\w+)\+'),
     re.compile(r'flush_tlb_mm_range\+'),
     "x86's TLB flush reading mm_cpumask"),
    ('osq_wait_next',
     re.compile(r'osq_(lock|unlock)\+'),
     re.compile(r'(rwsem_down_(read|write)_slowpath|rwsem_optimistic_spin|'
                r'__mutex_lock|mutex_optimistic_spin)\w*\+'),
     "6.1's optimistic-spin queue reading node->next (data_race() upstream since 6.8)"),
]

# Taint flags a run may have (Documentation/admin-guide/tainted-kernels.rst):
# O (12) an out-of-tree module was loaded, E (13) an unsigned one (Debian's
# kernels verify signatures), N (18) a KUnit test module ran.
TAINT_OK = {12: 'O', 13: 'E', 18: 'N'}
TAINT_NAMES = 'PFSRMBUDAWCIOELKXTN'


def kunit_cases(src, ktap, workdir, label, name):
    """Leaf test cases from one suite's KTAP, via kunit.py parse.  Its
    files in WORKDIR are the boot's (LABEL.kunit-NAME.*): boots of other
    kernels are parsed into the same directory at the same time."""
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
    path = os.path.join(workdir, f'{label}.kunit-{name}.ktap')
    with open(path, 'w') as f:
        f.write('\n'.join(lines) + '\n')
    out = os.path.join(workdir, f'{label}.kunit-{name}.json')
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


ACCESS = re.compile(r'^(read|write)\b.* (to|at) 0x[0-9a-f]+ of \d+ bytes by ')


def access_stacks(body):
    """The stacks of a KCSAN report's accesses, innermost first: one for a
    race at unknown origin, else one per access shown."""
    stacks = []
    for n, text in enumerate(body):
        text = text.strip()
        if text.startswith('race at unknown origin') or ACCESS.match(text):
            frames = [frame.strip() for frame in body[n + 1:]]
            stacks.append(frames[:frames.index('')] if '' in frames else frames)
    return stacks


def race_matches(frames, first, entry):
    """Whether one access's stack is the race FIRST reached from ENTRY,
    within six frames and with no module frame before it."""
    if not frames or not first.match(frames[0]):
        return False
    for frame in frames[:6]:
        if MODULE_FRAME.search(frame) or OUR_SYMBOL.search(frame):
            return False
        if entry.match(frame):
            return True
    return False


def excused_kcsan(lines):
    """The KCSAN reports in LINES (kernel log lines, timestamps stripped)
    that are whole and one of KERNEL_RACES: {index of the title line:
    (name, why)}."""
    excused = {}
    for i, line in enumerate(lines):
        if not KCSAN_TITLE.search(line) or OUR_SYMBOL.search(line):
            continue
        end = next((j for j in range(i + 1, min(i + 80, len(lines)))
                    if KCSAN_END.search(lines[j])), None)
        if end is None:
            continue		# cut short: it cannot be read, so it fails
        stacks = access_stacks(lines[i:end])
        if not stacks:
            continue
        for name, first, entry, why in KERNEL_RACES:
            if all(race_matches(frames, first, entry) for frames in stacks):
                excused[i] = (name, why)
                break
    return excused


def describe_taint(value):
    return ''.join(TAINT_NAMES[bit] if bit < len(TAINT_NAMES) else '?'
                   for bit in range(value.bit_length()) if value >> bit & 1)


class Log:
    """One pass over each log; results are printed as decided."""

    def __init__(self, src, workdir, label):
        self.src, self.workdir, self.label = src, workdir, label
        self.results_seen = False	# a line of RESULTS that is not blank
        self.probe = None
        self.probe_failed = False
        self.planned = None		# the probe's TAP plan, if it printed one
        self.given = 0			# its top-level TAP results
        self.skipped = False		# its plan was "1..0 # SKIP"
        self.block = None		# 'kunit', 'kmemleak' or 'dmesg'
        self.kunit_name = ''
        self.kunit = {}
        self.kmemleak = None
        self.dmesg = []
        self.dmesg_done = False
        self.console_reports = []
        self.console_last = None	# its last line that is not blank
        self.restarting = False
        self.restart_races = []
        self.plan_ended = False
        self.exit_status = None
        self.taint = None

    def result(self, verdict, desc, reason=None):
        print(f'{verdict} {desc}' + (f' # {reason}' if reason else ''), flush=True)

    def fail_marker(self, line):
        self.result('FAIL', f'{self.probe or "plan"}: unreadable marker: {line[:100]!r}')

    def console_line(self, line):
        if line.strip():
            self.console_last = line.strip()
        """A line of CONSOLE: only its kernel lines count, for the gate.
        A KCSAN report once the kernel said it restarts (the plan has
        ended and unloaded every module; the kernel is stopping its CPUs,
        which races on its CPU masks) is said, not counted: 6.1's
        reboot path printed one in _find_first_bit, its stack cut off by
        the restart."""
        m = KERNEL_LINE.search(line)
        if m and RESTART.search(m.group(1)):
            self.restarting = True
        elif m and GATE.search(m.group(1)):
            if self.restarting and m.group(1).startswith('BUG: KCSAN: '):
                self.restart_races.append(m.group(1))
            else:
                self.console_reports.append(m.group(1))

    def line(self, line):
        """A line of RESULTS."""
        self.results_seen |= bool(line.strip())
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
            'KMM-PLAN-END': self.plan_end,
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
        # A probe's name may carry its parameter set: scullp_probe@a=1,b=2.
        m = re.fullmatch(r'KMM-PROBE-BEGIN (\S+)', line)
        if not m:
            self.probe = None
            self.fail_marker(line)
            return
        self.probe, self.probe_failed = m.group(1), False
        self.planned, self.given, self.skipped = None, 0, False

    def probe_end(self, line):
        m = re.match(r'KMM-PROBE-END (\S+) rc=(\d+)( |$)', line)
        if not m or m.group(1) != self.probe:
            self.fail_marker(line)
            self.probe = None
            return
        # A plan says how many results; a probe with none (a shell case)
        # must give at least one.
        if self.planned is not None and self.given != self.planned:
            self.result('FAIL', f'{self.probe}: planned {self.planned} results, '
                        f'gave {self.given}')
        elif not self.given and not self.skipped:
            self.result('FAIL', f'{self.probe}: no result')
        if m.group(2) != '0' and not self.probe_failed:
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

    def plan_end(self, line):
        if line != 'KMM-PLAN-END':
            self.fail_marker(line)
            return
        self.plan_ended = True

    def exit_marker(self, line):
        m = re.fullmatch(r'KMM-EXIT (\d+)', line)
        if not m:
            self.fail_marker(line)
            self.exit_status = 'unreadable'
            return
        self.exit_status = m.group(1)
        if self.exit_status != '0':
            self.result('FAIL', f'the test plan exited with status {self.exit_status}')

    def tap(self, line):
        plan = TAP_PLAN.match(line)
        if plan and self.probe:
            self.planned = int(plan.group(1))
            skip = SKIP.search(plan.group(2) or '')
            if self.planned == 0 and skip:
                self.skipped = True
                self.result('SKIP', f'{self.probe}: the whole probe', skip.group(1))
            return
        m = TAP.match(line)
        if not m:
            return
        ok, number, desc = m.groups()
        skip = SKIP.search(desc)
        if skip:
            # kselftest's "ok 3 # SKIP reason" has no description.
            desc = desc[:skip.start()].strip() or f'test {number}'
        verdict = 'SKIP' if skip else ('PASS' if ok == 'ok' else 'FAIL')
        if verdict == 'FAIL':
            self.probe_failed = True
        if self.probe:
            self.given += 1
            desc = f'{self.probe}: {desc}'
        self.result(verdict, desc, skip and skip.group(1))

    def finish(self):
        if self.probe:
            self.result('FAIL', f'{self.probe}: did not finish')
        for name, ktap in self.kunit.items():
            for verdict, desc in kunit_cases(self.src, '\n'.join(ktap),
                                             self.workdir, self.label, name):
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
            excused = excused_kcsan(texts)
            seen = {text for text in texts if GATE.search(text)}
            bad = [line for i, (line, text) in enumerate(zip(self.dmesg, texts))
                   if GATE.search(text) and i not in excused]
            bad += [line for line in self.console_reports if line not in seen]
            # An excused report is said in the one verdict: whether the
            # kernel's own race fired in a run is chance, the count of
            # results is not.
            said = []
            for i, (name, why) in sorted(excused.items()):
                sys.stderr.write(f'    log: not ours, {name}: {texts[i]}\n')
                said.append(f"the kernel's own race {name} ({why}) excused: "
                            f'{texts[i].split("KCSAN: ", 1)[1][:80]}')
            said += [f'a KCSAN report while the kernel restarted, after the plan, '
                     f'excused: {line.split("KCSAN: ", 1)[1][:60]}'
                     for line in self.restart_races]
            for line in bad[:20]:
                sys.stderr.write(f'    log: {line}\n')
            self.result('FAIL' if bad else 'PASS',
                        'kernel log: no BUG, WARNING, KASAN, UBSAN, lockdep, '
                        f'DMA-API, IOMMU, kmemleak or detector report ({len(bad)} found'
                        + ''.join(f'; {text}' for text in said) + ')')
        else:
            for line in self.console_reports[:20]:
                sys.stderr.write(f'    log: {line}\n')
            self.result('FAIL', 'kernel log: not captured'
                        f' ({len(self.console_reports)} reports on the console)')

        # The boot's one verdict, last: everything above was decided.
        why = []
        if not self.results_seen:
            why.append('no results on the results channel')
        else:
            if self.block:
                why.append(f'cut short inside a {self.block} block')
            if not self.plan_ended:
                why.append('no KMM-PLAN-END')
            if self.exit_status is None:
                why.append('no KMM-EXIT')
            elif not self.exit_status.isdigit():
                why.append(f'exit status {self.exit_status}')
        if why:
            if self.console_last:
                # Why it stopped is most often the console's last word.
                why.append(f'the console ends: {self.console_last[:100]!r}')
            self.result('FAIL', f'the test plan did not run to its end ({"; ".join(why)})')
        else:
            self.result('PASS', 'the test plan ran to its end')


def read_lines(path):
    """The lines of PATH, however garbled; None when it cannot be read."""
    try:
        with open(path, errors='replace') as f:
            return [raw.rstrip('\r\n').replace('\0', '') for raw in f]
    except OSError:
        return None


def gate_only(console):
    """parse-log.py --gate CONSOLE, for a boot with no test plan
    (scripts/tests/tcg-test.sh): prints the first kernel line of CONSOLE
    that GATE holds and exits 1; exits 0 when there is none, 2 when
    CONSOLE cannot be read."""
    lines = read_lines(console)
    if lines is None:
        print(f'the console ({console}) could not be read')
        sys.exit(2)
    for line in lines:
        m = KERNEL_LINE.search(line)
        if m and GATE.search(m.group(1)):
            print(m.group(1))
            sys.exit(1)
    sys.exit(0)


def main():
    if len(sys.argv) == 3 and sys.argv[1] == '--gate':
        gate_only(sys.argv[2])
    if len(sys.argv) != 5:
        sys.exit('usage: parse-log.py RESULTS CONSOLE SRC WORKDIR | --gate CONSOLE')
    results, console, src, workdir = sys.argv[1:5]
    # The boot's label, from RESULTS (LABEL.results), names its files.
    label = os.path.basename(results).removesuffix('.results')
    parser = Log(src, workdir, label)
    try:
        for line in read_lines(results) or []:
            parser.line(line)
        console_lines = read_lines(console)
        if console_lines is None:
            parser.result('FAIL', f'kernel log: the console ({console}) could not be read')
        for line in console_lines or []:
            parser.console_line(line)
        parser.finish()
    except Exception as e:  # pylint: disable=broad-except
        # A bug here must still leave a verdict, never a silent pass.
        print(f'FAIL the test plan did not run to its end (parse-log.py: {e!r})',
              flush=True)
        raise


if __name__ == '__main__':
    main()
