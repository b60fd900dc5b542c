#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""`make check`: every test on every kernel, on the host's cores.

A job per kernel (scripts/check-kernel.sh: build, boot, parse) and one
for the host's own checks (scripts/check-host.sh), as many at once as
there are cores, one fewer while a test kernel builds in the background;
each job's share of a core is measured and printed.  Longest
first, as long as each job took in the last whole run, so that the lanes
end together.  Then what ran is held against what must run:
every job ended well, every planned boot has one verdict, and the results
are those of scripts/manifest.txt.  Prints every case as it is decided
and ends with one line, "N passed, N failed[, N skipped]"; exits non-zero
on any failure.

  check.py [--kernel NAME]... [--only MODULE] [--kunit-only] [--host]
  --host: the host's checks, and the kernels --kernel names (none if none).
"""
import argparse
import os
import queue
import re
import subprocess
import sys
import tempfile
import threading
import time

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCRIPTS = os.path.join(TOP, 'scripts')
KERNELS = ['debian-6.1', 'debian-6.12', 'test-6.1', 'test-6.12', 'test-6.12-arm64']
# The test kernels to build, in this order: the one whose plan is
# shortest last, since its plan is what is left to wait for once the
# builds are done (test-6.12 has two boots, the IOMMU's too).
BUILD_ORDER = ['test-6.12', 'test-6.12-arm64', 'test-6.1']
RAN = 'the test plan ran to its end'
DID_NOT_RUN = 'the test plan did not run to its end'
NEVER_TIMED = float('inf')


def boot_args(name):
    """A kernel's own boot's arguments.  test-6.1 turns on its
    memory-safety detectors; test-6.12 runs with swiotlb=force, so that
    DMA-API debug and KASAN watch dma_demo's transfers when every
    streaming mapping bounces; test-6.12-arm64's SMMUv3 translates
    (strictly) and its plan checks that it does.  kmm.extra_sets: which
    debug kernel runs every parameter set of which driver."""
    return {
        'test-6.1': 'slub_debug=FZP page_poison=1 debug_pagealloc=on kmm.extra_sets=scullp',
        'test-6.12': 'swiotlb=force kmm.extra_sets=mmap_demo,vmalloc_demo',
        'test-6.12-arm64': 'iommu.strict=1 kmm.iommu',
    }.get(name, '')


def boots(name, only='', kunit_only=False):
    """The boots planned for one kernel: [(label, kernel arguments, IOMMU)].

    The stock kernels boot again with swiotlb=force for dma_demo;
    debian-6.12 and test-6.12 boot once more behind QEMU's Intel IOMMU for
    dma_demo (strict invalidation), where kmm.iommu makes the plan check
    that the IOMMU translates and nothing bounced, and kmm.variant leaves
    out what no machine changes (bad parameters, load/unload loops).
    test-6.12's own boot has swiotlb=force, so its IOMMU boot checks every
    driver's pinnable mappings (kmm.pinnable)."""
    args = boot_args(name).split()
    if only:
        args.append(f'kmm.only={only}')
    if kunit_only:
        args.append('kmm.kunit_only')
    planned = [(name, ' '.join(args), '')]
    if only and only != 'dma_demo':
        return planned
    if not kunit_only and name.startswith('debian-'):
        planned.append((f'{name}+swiotlb=force',
                        'swiotlb=force kmm.only=dma_demo kmm.probes_only', ''))
    if name in ('debian-6.12', 'test-6.12'):
        args = ['intel_iommu=on', 'iommu.strict=1', 'kmm.iommu', 'kmm.variant',
                'kmm.only=dma_demo']
        if name == 'test-6.12':
            args.append('kmm.pinnable')
        if kunit_only:
            args.append('kmm.kunit_only')
        planned.append((f'{name}+iommu', ' '.join(args), 'intel'))
    return planned


def cpu_ticks():
    """(busy, total) jiffies of all the machine's cores, from /proc/stat."""
    with open('/proc/stat') as f:
        fields = [int(x) for x in f.readline().split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)	# idle, iowait
    return sum(fields) - idle, sum(fields)


def longest_first(jobs, times):
    """JOBS ordered by how long each took last time, longest first; a job
    never timed counts as longest, and ties keep the order given."""
    return sorted(jobs, key=lambda job: -times.get(job, NEVER_TIMED))


class Scheduler:
    """Which job starts when: no processes, so that the tests can drive it.

    A job starts once its kernel is ready (built) and a lane is free:
    as many lanes as CORES, one fewer while a kernel builds (a build uses
    every core, a TCG guest about one).  Longest first.  (A third guest
    beside two debug ones on two cores made every lane 2.5x slower and
    timed out a KCSAN stress probe: lanes are not shares of a core.)"""

    def __init__(self, jobs, times, cores, ready=(), building=False):
        self.pending = longest_first(jobs, times)
        self.cores = cores
        self.ready = set(ready)
        self.building = building
        self.running = set()
        self.failed = set()

    def budget(self):
        return max(1, self.cores - (1 if self.building else 0))

    def start(self):
        """The jobs to start now (and marks them running)."""
        started = []
        for job in list(self.pending):
            if job not in self.ready:
                continue
            if len(self.running) >= self.budget():
                break
            self.pending.remove(job)
            self.running.add(job)
            started.append(job)
        return started

    def event(self, kind, arg=None):
        if kind == 'ready':
            self.ready.add(arg)
        elif kind == 'failed':		# its job never starts
            self.failed.add(arg)
            if arg in self.pending:
                self.pending.remove(arg)
        elif kind == 'built':
            self.building = False
        elif kind == 'done':
            self.running.discard(arg)

    def finished(self):
        return not self.running and not self.building and \
            not any(job in self.ready for job in self.pending)


LABELLED = re.compile(r'^(==> |    )( *(ok|skip|FAILED) +)?\[')


def label_line(label, line):
    """A job's output line, with the job's label where it has none (two
    jobs print at once)."""
    if LABELLED.match(line):
        return line
    if line.startswith('==> '):
        return f'==> [{label}] {line[4:]}'
    stripped = line.lstrip(' ')
    return f'{line[:len(line) - len(stripped)]}[{label}] {stripped}'


def verdict_counts(results_lines, label):
    """How many times LABEL's boot was given its one verdict."""
    return sum(1 for line in results_lines
               if line.startswith(('PASS ', 'FAIL ')) and
               (f'[{label}] {RAN}' in line or f'[{label}] {DID_NOT_RUN}' in line))


def elapsed(seconds):
    seconds = int(seconds)
    return f'{seconds // 60}m{seconds % 60:02d}s'


class Run:
    def __init__(self, opts):
        self.opts = opts
        cache = os.environ.get('KMM_CACHE') or os.path.join(
            os.environ.get('XDG_CACHE_HOME') or os.path.expanduser('~/.cache'), 'kmm-drivers')
        self.cache = cache
        os.makedirs(os.path.join(cache, 'runs'), exist_ok=True)
        self.dir = tempfile.mkdtemp(prefix=time.strftime('check-%Y%m%d-%H%M%S-'),
                                    dir=os.path.join(cache, 'runs'))
        self.results = os.path.join(self.dir, 'results')
        open(self.results, 'w').close()
        self.console = open(os.path.join(self.dir, 'console'), 'a')
        self.lock = threading.Lock()
        self.events = queue.Queue()
        self.env = dict(os.environ, KMM_RESULTS=self.results, KMM_CACHE=cache)
        self.start = time.monotonic()

    def say(self, line):
        with self.lock:
            print(line, flush=True)
            self.console.write(line + '\n')
            self.console.flush()

    def record(self, verdict, label, desc):
        with self.lock:
            with open(self.results, 'a') as f:
                f.write(f'{verdict} [{label}] {desc}\n')
        shown = {'PASS': 'ok', 'SKIP': 'skip'}.get(verdict, 'FAILED')
        self.say(f'    {shown:<7} [{label}] {desc}')

    def step(self, text):
        self.say(f'==> {text}')

    def stream(self, label, argv, stdout=None, cpu=None):
        """Run ARGV, its output (stderr too, or stderr alone when STDOUT is
        a file) shown line by line under LABEL; its exit status.  CPU, a
        list, gets the CPU time ARGV and everything it waited for used."""
        with subprocess.Popen(argv, env=self.env, stdin=subprocess.DEVNULL,
                              stdout=stdout or subprocess.PIPE,
                              stderr=subprocess.STDOUT if stdout is None else subprocess.PIPE,
                              text=True, errors='replace') as proc:
            for line in proc.stdout if stdout is None else proc.stderr:
                self.say(label_line(label, line.rstrip('\n')))
            # wait4, not wait: this child's own resource usage.
            _, status, usage = os.wait4(proc.pid, 0)
            proc.returncode = os.waitstatus_to_exitcode(status)
        if cpu is not None:
            cpu.append(usage.ru_utime + usage.ru_stime)
        return proc.returncode

    def kernel_env(self, name, build):
        env_file = os.path.join(self.dir, f'{name}.env')
        env = dict(self.env)
        if not build:
            env['KMM_NO_BUILD'] = '1'
        with open(env_file, 'w') as f:
            return subprocess.run([os.path.join(SCRIPTS, 'kernel.sh'), name], env=env,
                                  stdin=subprocess.DEVNULL, stdout=f).returncode

    def builder(self, names):
        for name in names:
            self.step(f'[build] kernel {name}')
            env_file = os.path.join(self.dir, f'{name}.env')
            with open(env_file, 'w') as f:
                rc = self.stream('build', [os.path.join(SCRIPTS, 'kernel.sh'), name], stdout=f)
            if rc == 0:
                self.events.put(('ready', name))
            else:
                self.record('FAIL', name, 'kernel is ready to build for and boot')
                self.events.put(('failed', name))
        self.events.put(('built', None))

    def job(self, job, keep_time):
        start = time.monotonic()
        if job == 'host':
            argv = [os.path.join(SCRIPTS, 'check-host.sh'), self.dir]
        else:
            with open(os.path.join(self.dir, f'{job}.boots'), 'w') as f:
                for planned in boots(job, self.opts.only, self.opts.kunit_only):
                    f.write(';'.join(planned) + '\n')
            argv = [os.path.join(SCRIPTS, 'check-kernel.sh'), self.dir, job]
        cpu = []
        ticks = cpu_ticks()
        try:
            rc = self.stream(job, argv, cpu=cpu)
        except OSError as e:
            self.say(f'    [{job}] {e}')
            rc = 127
        with open(os.path.join(self.dir, f'{job}.rc'), 'w') as f:
            f.write(f'{rc}\n')
        took = time.monotonic() - start
        busy = [b - a for a, b in zip(ticks, cpu_ticks())]
        busy = busy[0] / busy[1] if busy[1] else 1.0
        if cpu:
            self.say(f'    [{job}] used {cpu[0] / took:.2f} of a core '
                     f'({int(cpu[0])} s of CPU in {int(took)} s), the machine '
                     f'{busy:.0%} busy meanwhile')
        if keep_time and rc == 0:
            os.makedirs(os.path.join(self.cache, 'times'), exist_ok=True)
            with open(os.path.join(self.cache, 'times', job), 'w') as f:
                f.write(f'{int(took)}\n')
        self.events.put(('done', job))

    def times(self):
        """Each job's time in the last whole run: {job: seconds} (the first
        number of its file)."""
        found = {}
        where = os.path.join(self.cache, 'times')
        for job in os.listdir(where) if os.path.isdir(where) else []:
            try:
                with open(os.path.join(where, job)) as f:
                    found[job] = int(f.read().split()[0])
            except (OSError, ValueError, IndexError):
                pass
        return found

    def main(self):
        o = self.opts
        host = o.host or (not o.kernel and not o.kunit_only and not o.only)
        kernels = o.kernel or ([] if o.host else ['test-6.12'] if o.kunit_only else KERNELS)
        self.step('checking dependencies')
        if subprocess.run([os.path.join(SCRIPTS, 'deps.sh'), 'check'], env=self.env).returncode:
            sys.exit('error: the dependencies are not there (above)')
        self.step('building the probes')
        if subprocess.run(['make', '-s', f'-j{os.cpu_count()}', '-C',
                           os.path.join(TOP, 'probes')], env=self.env,
                          stdout=subprocess.DEVNULL).returncode:
            self.record('FAIL', 'host', 'the probes build')

        # The kernels that are ready without a build (Debian's, fetched in
        # seconds; test kernels built by an earlier run), then the others,
        # built one at a time in the background while the jobs run.
        ready, to_build = {'host'}, []
        for name in kernels:
            self.step(f'kernel {name}')
            rc = self.kernel_env(name, build=False)
            if rc == 0:
                ready.add(name)
            elif rc == 3:
                to_build.append(name)
            else:
                self.record('FAIL', name, 'kernel is ready to build for and boot')
        to_build.sort(key=lambda name: BUILD_ORDER.index(name)
                      if name in BUILD_ORDER else len(BUILD_ORDER))
        if to_build:
            threading.Thread(target=self.builder, args=(to_build,), daemon=True).start()

        jobs = [k for k in kernels if k.startswith('test-')] + \
            [k for k in kernels if not k.startswith('test-')] + (['host'] if host else [])
        jobs = [job for job in jobs if job in ready or job in to_build]
        cores = int(os.environ.get('KMM_JOBS') or os.cpu_count() or 1)
        sched = Scheduler(jobs, self.times(), cores, ready, bool(to_build))
        # Only the time of a whole plan is worth keeping.
        keep_time = not o.only and not o.kunit_only
        started = []
        while True:
            for job in sched.start():
                started.append(job)
                threading.Thread(target=self.job, args=(job, keep_time), daemon=True).start()
            if sched.finished():
                break
            sched.event(*self.events.get())
        self.account(kernels, started)

    def account(self, kernels, jobs):
        """What did not happen cannot pass (JOBS: those started); then the
        closing line."""
        o = self.opts
        for job in jobs:
            try:
                with open(os.path.join(self.dir, f'{job}.rc')) as f:
                    rc = f.read().strip()
            except OSError:
                rc = 'none'
            if rc != '0':
                self.record('FAIL', job, f'the job died (exit status {rc})')
        with open(self.results) as f:
            lines = f.read().splitlines()
        for name in kernels:
            for label, _, _ in boots(name, o.only, o.kunit_only):
                n = verdict_counts(lines, label)
                if n != 1:
                    self.record('FAIL', label, f'{DID_NOT_RUN} (the boot left {n} verdicts, not one)')

        # What ran, held against what must run (scripts/manifest.py).
        argv = [os.path.join(SCRIPTS, 'manifest.py'), 'check',
                os.path.join(SCRIPTS, 'manifest.txt'), self.results]
        if o.only:
            argv += ['--only', o.only]
        if o.kunit_only:
            argv.append('--kunit-only')
        proc = subprocess.run(argv, capture_output=True, text=True)
        want = None
        for line in proc.stdout.splitlines():
            verdict, _, rest = line.partition(' ')
            if verdict in ('PASS', 'FAIL'):
                label, _, desc = rest.partition(' ')
                self.record(verdict, label, desc)
            elif verdict == 'TOTAL':
                op, results, skips = rest.split()
                want = (op, int(results), int(skips))
        if proc.returncode or want is None:
            with open(os.path.join(self.dir, 'manifest.err'), 'w') as f:
                f.write(proc.stderr)
            self.record('FAIL', 'manifest', f'manifest.py failed (see {self.dir}/manifest.err)')

        def counts():
            with open(self.results) as f:
                lines = f.read().splitlines()
            return lines, {v: sum(1 for line in lines if line.startswith(v + ' '))
                           for v in ('PASS', 'FAIL', 'SKIP')}

        # The closing counts are the manifest's: as many results (at least
        # as many, where a count is a floor) and as many skips as it lists.
        lines, count = counts()
        if want and not o.only and not o.kunit_only:
            op, results, skips = want
            if (len(lines) != results if op == '==' else len(lines) < results) \
                    or count['SKIP'] != skips:
                self.record('FAIL', 'manifest', f'the run gave {len(lines)} results and '
                            f'{count["SKIP"]} skips; the manifest lists {op} {results} '
                            f'and {skips}')
        lines, count = counts()

        print('\nTime taken, part by part:')
        with open(os.path.join(self.dir, 'console')) as f:
            for line in f:
                if re.search(r'done in \d+m\d+s', line):
                    print(line.strip())
        print(f'    make check: done in {elapsed(time.monotonic() - self.start)}, '
              f'everything in {self.dir}')
        if count['FAIL']:
            print('\nFailed:')
            for line in lines:
                if line.startswith('FAIL '):
                    print(f'  {line[5:]}')
        print()
        if want:
            op, results, skips = want
            print(f'The manifest lists {"at least " if op == ">=" else ""}{results} results, '
                  f'{skips} of them skips, for what ran.')
        closing = f'{count["PASS"]} passed, {count["FAIL"]} failed'
        print(closing + (f', {count["SKIP"]} skipped' if count['SKIP'] else ''))
        sys.exit(0 if count['FAIL'] == 0 and count['PASS'] > 0 else 1)


def main(argv):
    p = argparse.ArgumentParser(prog='check.sh', description=__doc__.split('\n')[0])
    p.add_argument('--kernel', action='append', choices=KERNELS, default=[])
    p.add_argument('--only', default='')
    p.add_argument('--kunit-only', action='store_true')
    p.add_argument('--host', action='store_true')
    opts = p.parse_args(argv)
    if opts.only and not os.path.isdir(os.path.join(TOP, opts.only)):
        sys.exit(f"error: --only: no module directory '{opts.only}'")
    Run(opts).main()


if __name__ == '__main__':
    main(sys.argv[1:])
