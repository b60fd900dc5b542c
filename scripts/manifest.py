#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""What `make check` must run, held against what it ran.

The manifest (scripts/manifest.txt) lists, for each boot of each kernel
and for the host's checks, every item that must give results and how
many, and every skip expected there with its reason.  An item is what a
result's description starts with: a probe ("scullp_probe",
"scullp_probe@scullp_order=4,scullp_qset=7"), a KUnit suite ("kunit
scullp_kunit"), a driver's own checks in the plan ("scullp"), or
"(plan)" for the rest.  A run fails when a listed item left no result or
fewer or more than listed, a result belongs to no listed item, a skip is
not listed or a listed skip did not happen.

  manifest.py check MANIFEST RESULTS [--only MODULE] [--kunit-only]
      RESULTS is check.sh's file of "VERDICT [LABEL] DESCRIPTION" lines.
      Prints "PASS|FAIL LABEL DESCRIPTION" lines for check.sh to record,
      then a last line "TOTAL ==|>= RESULTS SKIPS": what the manifest
      expects of the labels that ran (">=" when a count is a floor), for
      the closing line.
  manifest.py write RESULTS
      A manifest of what a run did, for a person to read and commit.
"""
import collections
import re
import sys

RESULT = re.compile(r'^(PASS|FAIL|SKIP) \[([^\]]+)\] (.*)$')
NAME = re.compile(r'[\w.@=,+-]+( [\w.@=,+-]+)?')


def split_reason(desc):
    """A skip's description and its reason ("desc # reason")."""
    if ' # ' in desc:
        desc, reason = desc.rsplit(' # ', 1)
        return desc, reason.strip()
    return desc, ''


def item_of(desc):
    """The item a result belongs to (see the docstring)."""
    m = re.match(r'kunit (\w+)[.:]', desc)
    if m:
        return f'kunit {m.group(1)}'
    prefix = desc.split(': ', 1)[0]
    if prefix != desc and NAME.fullmatch(prefix):
        return prefix
    return '(plan)'


def module_of(item):
    """The driver an item is of, if any (for --only)."""
    item = item.removeprefix('kunit ')
    m = re.match(r'[a-z]+(_demo)?', item)
    # (plan), and the debug kernels' checks ("DMA-API debug"): no driver's
    return m.group(0) if m and item != '(plan)' else ''


class Manifest:
    def __init__(self):
        self.items = collections.OrderedDict()   # label -> {item: (op, n)}
        self.skips = collections.OrderedDict()   # label -> {desc: reason}

    @classmethod
    def parse(cls, text):
        m = cls()
        label = None
        for n, raw in enumerate(text.splitlines(), 1):
            line = raw.strip()
            if not line or line.startswith('#'):
                continue
            head = re.fullmatch(r'\[([^\]]+)\]', line)
            if head:
                label = head.group(1)
                m.items.setdefault(label, collections.OrderedDict())
                m.skips.setdefault(label, collections.OrderedDict())
                continue
            if label is None:
                raise ValueError(f'line {n}: an entry before the first [label]')
            if line.startswith('skip '):
                desc, reason = split_reason(line[len('skip '):])
                if not reason:
                    raise ValueError(f'line {n}: a skip with no reason')
                m.skips[label][desc.strip()] = reason
                continue
            count = re.fullmatch(r'(.*?)\s{2,}(>=\s*)?(\d+)', line)
            if not count:
                raise ValueError(f'line {n}: not "ITEM  N", ">= N" or "skip DESC # REASON"')
            item, floor, number = count.groups()
            m.items[label][item] = ('>=' if floor else '==', int(number))
        return m


def read_results(path):
    """{label: [(verdict, description, reason)]}, in the order of the run."""
    runs = collections.OrderedDict()
    with open(path, errors='replace') as f:
        for line in f:
            m = RESULT.match(line.rstrip('\n'))
            if m:
                verdict, label, desc = m.groups()
                desc, reason = split_reason(desc) if verdict == 'SKIP' else (desc, '')
                runs.setdefault(label, []).append((verdict, desc, reason))
    return runs


def check(manifest, runs, only=None, kunit_only=False):
    """[(verdict, label, description)], and what the manifest expects of
    the labels that ran: (results, skips, whether a count is a floor).
    Each label's verdict line is a result of its own, item "manifest"."""
    out = []
    expected = [0, 0]
    floors = False

    def wanted(item):
        if kunit_only and not item.startswith('kunit '):
            return False
        return not only or module_of(item) == only

    for label, results in runs.items():
        if label not in manifest.items:
            out.append(('FAIL', label, 'manifest: this boot is not in the manifest'))
            continue
        items, skips = manifest.items[label], manifest.skips[label]
        got = collections.Counter()
        bad = []
        for verdict, desc, reason in results:
            item = item_of(desc)
            if not wanted(item):
                continue
            got[item] += 1
            if item not in items:
                bad.append(f'a result of no listed item: {desc}')
            elif verdict == 'SKIP' and desc not in skips:
                bad.append(f'a skip the manifest does not expect: {desc}'
                           f'{" # " + reason if reason else ""}')
        skipped = {desc for verdict, desc, _ in results if verdict == 'SKIP'}
        for desc in skips:
            if wanted(item_of(desc)) and desc not in skipped:
                bad.append(f'an expected skip did not happen: {desc}')
        for item, (op, n) in items.items():
            if not wanted(item) and item != 'manifest':
                continue
            expected[0] += n
            floors |= op == '>='
            if item == 'manifest':	# the verdict line below
                continue
            have = got.get(item, 0)
            if have == 0:
                bad.append(f'{item}: left no result ({op} {n} listed)')
            elif (op == '==' and have != n) or (op == '>=' and have < n):
                bad.append(f'{item}: {have} results, the manifest lists {op} {n}')
        expected[1] += sum(1 for desc in skips if wanted(item_of(desc)))
        for why in bad:
            out.append(('FAIL', label, f'manifest: {why}'))
        listed = sum(1 for item in items if wanted(item))
        out.append(('FAIL' if bad else 'PASS', label,
                    f'manifest: every one of the {listed} items listed gave its results'
                    f'{f" ({len(bad)} differences)" if bad else ""}'))
    return out, (expected[0], expected[1], floors)


HEADER = """\
# What `make check` must run: for each boot of each kernel ([label]) and
# for the host's checks, every item that must give results and how many,
# and every skip expected there with its reason.  An item is what a
# result's description starts with: a probe (with its parameter set after
# '@'), a KUnit suite ("kunit NAME"), a driver's own checks in the plan,
# or "(plan)" for the rest; ">= N" is a floor.  scripts/manifest.py holds
# each run against it (docs/testing.md).  Written from a run by
# `scripts/manifest.py write RESULTS`; every change to it is a change to
# what the tests promise, made with the change to the tests.
"""


def write(runs):
    lines = [HEADER]
    for label, results in runs.items():
        if label == 'manifest':		# the check's own verdicts
            continue
        counts = collections.OrderedDict()
        for _, desc, _ in results:
            item = item_of(desc)
            counts[item] = counts.get(item, 0) + 1
        counts['manifest'] = 1
        lines.append(f'[{label}]')
        width = max(len(item) for item in counts) + 2
        for item, n in counts.items():
            lines.append(f'{item.ljust(width)}{n}')
        for verdict, desc, reason in results:
            if verdict == 'SKIP':
                lines.append(f'skip {desc} # {reason or "(no reason given)"}')
        lines.append('')
    return '\n'.join(lines)


def main(argv):
    if len(argv) >= 4 and argv[1] == 'check':
        only, kunit_only = None, False
        rest = argv[4:]
        while rest:
            if rest[0] == '--only' and len(rest) > 1:
                only, rest = rest[1], rest[2:]
            elif rest[0] == '--kunit-only':
                kunit_only, rest = True, rest[1:]
            else:
                sys.exit(f'manifest.py: unknown argument {rest[0]}')
        with open(argv[2]) as f:
            manifest = Manifest.parse(f.read())
        out, (results, skips, floors) = check(manifest, read_results(argv[3]),
                                              only, kunit_only)
        for verdict, label, desc in out:
            print(f'{verdict} {label} {desc}')
        print(f'TOTAL {">=" if floors else "=="} {results} {skips}')
    elif len(argv) == 3 and argv[1] == 'write':
        sys.stdout.write(write(read_results(argv[2])))
    else:
        sys.exit(__doc__)


if __name__ == '__main__':
    main(sys.argv)
