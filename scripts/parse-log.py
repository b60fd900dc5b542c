#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turn the console log of a `kmm.mode=check` VM run into test results.

Prints one line per case, "PASS|FAIL|SKIP description", from:
  - the probes' TAP lines, between KMM-PROBE-BEGIN/END markers;
  - the guest plan's own TAP lines;
  - the KUnit results, parsed by the kernel's own kunit.py from SRC;
  - the log gate: the kernel log (between KMM-DMESG markers) must hold no
    BUG, WARNING, Oops, KASAN, UBSAN, lockdep, DMA-API or kmemleak report;
  - the kmemleak scan and the DMA-API debug error count, where present;
  - the plan's exit marker: a run that died part way fails.

Usage: parse-log.py LOG SRC WORKDIR
"""
import json
import os
import re
import subprocess
import sys

TAP = re.compile(r'^(not ok|ok) \d+ (.*?)(?:\s+#\s*(SKIP|skip)\b.*)?$')

# What must never appear in the kernel log of a run.
GATE = re.compile(
    r'BUG:|WARNING:|Oops|general protection fault|kernel BUG|'
    r'KASAN:|UBSAN:|'
    r'possible circular locking|possible recursive locking|'
    r'inconsistent lock state|lock held when returning|'
    r'sleeping function called from invalid context|'
    r'DMA-API: [^ ]+ [^ ]+: device driver|'
    r'suspected memory leak|unreferenced object|'
    r'Call Trace:|page allocation failure|'
    r'scheduling while atomic|refcount_t:|list_add corruption|list_del corruption')


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
            cases.append((verdict, f'kunit {prefix}{case["name"]}'))
        for sub in group.get('sub_groups', []):
            walk(sub, f'{prefix}{sub["name"]}.')

    for group in tree.get('sub_groups', []) or [tree]:
        walk(group, f'{group.get("name", name)}.')
    if not cases:
        cases.append(('FAIL', f'kunit {name}: no test case ran'))
    # A crashed suite or a malformed document: kunit.py says so in words.
    if proc.returncode != 0 or re.search(r'\[CRASHED\]|\[ERROR\]|errors: [1-9]',
                                         proc.stdout):
        cases.append(('FAIL', f'kunit {name}: kunit.py parse reports errors'))
    return cases


def main():
    log, src, workdir = sys.argv[1:4]
    with open(log, errors='replace') as f:
        lines = [line.rstrip('\r\n') for line in f]

    results = []
    probe = None
    probe_failed = False
    block = None		# 'kunit', 'kmemleak' or 'dmesg'
    block_name = ''
    blocks = {'kunit': {}, 'kmemleak': [], 'dmesg': []}
    exit_status = None
    dma_errors = None
    kmemleak_scanned = False

    for line in lines:
        if block:
            end = {'kunit': 'KMM-KUNIT-END', 'kmemleak': 'KMM-KMEMLEAK-END',
                   'dmesg': 'KMM-DMESG-END'}[block]
            if line.startswith(end):
                block = None
            elif block == 'kunit':
                blocks['kunit'][block_name].append(line)
            elif block == 'dmesg':
                blocks['dmesg'].append(line[len('dmesg: '):]
                                       if line.startswith('dmesg: ') else line)
            else:
                blocks[block].append(line)
            continue
        if line.startswith('KMM-KUNIT-BEGIN '):
            block, block_name = 'kunit', line.split()[1]
            blocks['kunit'][block_name] = []
        elif line.startswith('KMM-KMEMLEAK-BEGIN'):
            block, kmemleak_scanned = 'kmemleak', True
        elif line.startswith('KMM-DMESG-BEGIN'):
            block = 'dmesg'
        elif line.startswith('KMM-PROBE-BEGIN '):
            probe, probe_failed = line.split()[1], False
        elif line.startswith('KMM-PROBE-END ') and probe:
            rc = re.search(r'rc=(\d+)', line).group(1)
            if rc != '0' and not probe_failed:
                results.append(('FAIL', f'{probe}: exited with status {rc}'))
            probe = None
        elif line.startswith('KMM-DMA-API-ERRORS '):
            dma_errors = int(line.split()[1])
        elif line.startswith('KMM-EXIT '):
            exit_status = line.split()[1]
        else:
            m = TAP.match(line)
            if m:
                ok, desc, skip = m.groups()
                verdict = 'SKIP' if skip else ('PASS' if ok == 'ok' else 'FAIL')
                if verdict == 'FAIL':
                    probe_failed = True
                results.append((verdict, f'{probe}: {desc}' if probe else desc))

    if probe:
        results.append(('FAIL', f'{probe}: did not finish'))

    for name, ktap in blocks['kunit'].items():
        results.extend(kunit_cases(src, '\n'.join(ktap), workdir, name))

    if exit_status == '0':
        results.append(('PASS', 'the test plan ran to its end'))
    else:
        results.append(('FAIL', 'the test plan did not run to its end '
                         f'(exit marker: {exit_status})'))

    if blocks['dmesg']:
        bad = [line for line in blocks['dmesg'] if GATE.search(line)]
        for line in bad[:20]:
            sys.stderr.write(f'    log: {line}\n')
        results.append(('FAIL' if bad else 'PASS',
                        'kernel log: no BUG, WARNING, KASAN, UBSAN, lockdep, '
                        f'DMA-API or kmemleak report ({len(bad)} found)'))
    else:
        results.append(('FAIL', 'kernel log: not captured'))

    if kmemleak_scanned:
        leaks = [line for line in blocks['kmemleak'] if 'unreferenced object' in line]
        for line in blocks['kmemleak'][:30]:
            sys.stderr.write(f'    kmemleak: {line}\n')
        results.append(('FAIL' if leaks else 'PASS',
                        f'kmemleak: no unreferenced object ({len(leaks)} found)'))
    if dma_errors is not None:
        results.append(('PASS' if dma_errors == 0 else 'FAIL',
                        f'DMA-API debug: error_count is {dma_errors}'))

    for verdict, desc in results:
        print(f'{verdict} {desc}')


if __name__ == '__main__':
    main()
