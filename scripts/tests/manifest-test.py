#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Tests of scripts/manifest.py: each way a run can differ from its
manifest fails, and a run that is as listed passes.  Prints "PASS|FAIL
description" lines; exits 1 if any failed."""
import os
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..'))
manifest = __import__('manifest')

MANIFEST = """
# a comment
[debian-6.12]
(plan)                       2
scullp_probe                 3
scullp_fuzz                  >= 2
kunit scullp_kunit           2
manifest                     1
skip scullp_probe: huge # no transparent huge pages here
"""

RUN = """PASS [debian-6.12] modules build with W=1 and no warning
PASS [debian-6.12] scullp_probe: read
PASS [debian-6.12] scullp_probe: write
SKIP [debian-6.12] scullp_probe: huge # no transparent huge pages here
PASS [debian-6.12] scullp_fuzz: one
PASS [debian-6.12] scullp_fuzz: two
PASS [debian-6.12] scullp_fuzz: three
PASS [debian-6.12] kunit scullp_kunit.order.zero
PASS [debian-6.12] kunit scullp_kunit.qset
PASS [debian-6.12] the test plan ran to its end
"""

failed = 0


def run(results, text=MANIFEST, **kw):
    with tempfile.NamedTemporaryFile('w', delete=False) as f:
        f.write(results)
    try:
        return manifest.check(manifest.Manifest.parse(text),
                              manifest.read_results(f.name), **kw)
    finally:
        os.unlink(f.name)


def expect(desc, results, passes, **kw):
    global failed
    out, _ = run(results, **kw)
    bad = [line for line in out if line[0] == 'FAIL']
    ok = not bad if passes else bool(bad)
    failed += not ok
    print(f'{"PASS" if ok else "FAIL"} manifest.py: {desc}')
    if not ok:
        for line in out:
            print(f'    {line}')


expect('a run as listed passes', RUN, True)
out, total = run(RUN)
print(f'{"PASS" if total == (10, 1, True) else "FAIL"} manifest.py: the totals are '
      f'the listed counts, a floor said ({total})')
failed += total != (10, 1, True)
expect('a probe that left no result fails',
       ''.join(line + '\n' for line in RUN.splitlines() if 'scullp_fuzz' not in line), False)
expect('a probe with a result fewer fails', RUN.replace(
    'PASS [debian-6.12] scullp_probe: write\n', ''), False)
expect('a probe with a result more fails',
       RUN + 'PASS [debian-6.12] scullp_probe: again\n', False)
expect('a floor: more results pass', RUN + 'PASS [debian-6.12] scullp_fuzz: four\n', True)
expect('a floor: fewer fail', RUN.replace('PASS [debian-6.12] scullp_fuzz: three\n', '')
       .replace('PASS [debian-6.12] scullp_fuzz: two\n', ''), False)
expect('a KUnit suite missing fails',
       ''.join(line + '\n' for line in RUN.splitlines() if 'kunit' not in line), False)
expect('an unlisted probe fails', RUN + 'PASS [debian-6.12] scullp_new: x\n', False)
expect('an unexpected skip fails', RUN.replace(
    'PASS [debian-6.12] scullp_probe: read', 'SKIP [debian-6.12] scullp_probe: read # no'),
    False)
expect('an expected skip that did not happen fails', RUN.replace(
    'SKIP [debian-6.12] scullp_probe: huge # no transparent huge pages here',
    'PASS [debian-6.12] scullp_probe: huge'), False)
expect('a boot not in the manifest fails', RUN + 'PASS [test-6.1] x\n', False)
expect('--only scullp: held to scullp items only',
       RUN.replace('PASS [debian-6.12] the test plan ran to its end\n', ''), True,
       only='scullp')
expect('--only scullp: a scullp item missing still fails',
       RUN.replace('PASS [debian-6.12] scullp_probe: read\n', ''), False, only='scullp')
expect('--only scullp: a debug kernel\'s own check (no driver\'s) is left out',
       RUN + 'PASS [debian-6.12] DMA-API debug: still on\n', True,
       text=MANIFEST + 'DMA-API debug  1\n', only='scullp')
expect('--kunit-only: only the suites',
       ''.join(line + '\n' for line in RUN.splitlines() if 'kunit' in line), True,
       kunit_only=True)
try:
    manifest.Manifest.parse('[x]\nskip a: b\n')
    print('FAIL manifest.py: a skip without a reason is refused')
    failed += 1
except ValueError:
    print('PASS manifest.py: a skip without a reason is refused')
sys.exit(1 if failed else 0)
