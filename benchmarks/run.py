# -*- coding: utf-8 -*-
# Copyright (c) thousandeyes.usage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""On-demand benchmarks of thousandeyes.usage against the in-process API simulator (see benchmarks/README.md).

    make bench                                   # all three, 5 runs each
    python benchmarks/run.py --runs 9 --only gate

Needs the collection installed where ANSIBLE_COLLECTIONS_PATH points (make bench does it) and ansible-playbook on
PATH. Prints medians and ratios; always exits 0 unless the set-up itself fails: benchmarks are not tests.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import subprocess
import sys
import time
import tracemalloc
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
PLAYS = os.path.join(HERE, 'plays')
INVENTORY = os.path.join(PLAYS, 'inventory')
TOKEN = 'te-sim-token-0123456789abcdef'  # the simulator's documented test token, not a secret
FORKS = '10'

# (variant, playbook); the first of each group is the reference the others are divided by.
GATE_PLAYS = [
    ('no-op floor', 'gate_noop.yml'),
    ('usage lookup', 'gate_lookup.yml'),
    ('builtin.uri', 'gate_uri.yml'),
    ('lookup builtin.url', 'gate_url.yml'),
]
MODULE_PLAYS = [
    ('empty play', 'one_noop.yml'),
    ('builtin.uri', 'one_uri.yml'),
    ('usage_info', 'one_usage_info.yml'),
]

sys.path.insert(0, os.path.join(ROOT, 'tests'))
for _path in reversed([p for p in os.environ.get('ANSIBLE_COLLECTIONS_PATH', '').split(os.pathsep) if p]):
    sys.path.insert(0, _path)

from simulator import Simulator  # noqa: E402  pylint: disable=wrong-import-position


class Table(object):
    COLUMNS = ('benchmark', 'variant', 'median', 'min..max', 'ratio', 'requests', 'target', 'met')

    def __init__(self):
        self.rows = []

    def add(self, *cells):
        self.rows.append([str(cell) for cell in cells])

    def show(self):
        widths = [max(len(row[i]) for row in [self.COLUMNS] + self.rows) for i in range(len(self.COLUMNS))]
        for number, row in enumerate([self.COLUMNS] + self.rows):
            print('  '.join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())
            if number == 0:
                print('  '.join('-' * width for width in widths))


def seconds(values):
    return '%.3f s' % statistics.median(values), '%.3f..%.3f' % (min(values), max(values))


def met(ok):
    return 'yes' if ok else 'NO'


def playbook_env(sim):
    env = dict(os.environ)
    for name in ('TE_TOKEN', 'TE_AID', 'THOUSANDEYES_AID'):
        env.pop(name, None)
    env.update(THOUSANDEYES_TOKEN=TOKEN, THOUSANDEYES_API_URL=sim.url, ANSIBLE_NOCOLOR='1',
               ANSIBLE_RETRY_FILES_ENABLED='0', ANSIBLE_DEPRECATION_WARNINGS='0')
    return env


def run_playbook(sim, playbook):
    """Run one playbook against a freshly reset simulator: (wall seconds, API requests served)."""
    sim.reset()
    command = ['ansible-playbook', '-i', INVENTORY, '--forks', FORKS, os.path.join(PLAYS, playbook)]
    start = time.perf_counter()
    proc = subprocess.run(command, cwd=PLAYS, env=playbook_env(sim), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          universal_newlines=True, check=False)
    wall = time.perf_counter() - start
    requests = sim.requests
    if proc.returncode != 0:
        raise SystemExit('%s failed (exit code %d):\n%s' % (playbook, proc.returncode, proc.stdout[-3000:]))
    bad = [entry['status'] for entry in requests if entry['status'] != 200]
    if bad:
        raise SystemExit('%s: the simulator answered %s; expected only 200' % (playbook, bad))
    return wall, len(requests)


def measure_plays(sim, plays, runs):
    """Median-ready samples per variant. Variants are interleaved run by run so drift hits all alike; one untimed
    warm-up round first (byte-code caches, page cache)."""
    walls = dict((name, []) for name, _playbook in plays)
    requests = dict((name, set()) for name, _playbook in plays)
    for _name, playbook in plays:
        run_playbook(sim, playbook)
    for number in range(runs):
        for name, playbook in plays:
            wall, count = run_playbook(sim, playbook)
            walls[name].append(wall)
            requests[name].add(count)
        times = ', '.join('%s %.2f s' % (name, walls[name][-1]) for name, _playbook in plays)
        print('  run %d/%d: %s' % (number + 1, runs, times), flush=True)
    return walls, dict((name, '/'.join(str(count) for count in sorted(counts))) for name, counts in requests.items())


def bench_gate(sim, runs, table):
    print('gate: 20 hosts, --forks %s, %d runs' % (FORKS, runs), flush=True)
    walls, requests = measure_plays(sim, GATE_PLAYS, runs)
    floor = statistics.median(walls['no-op floor'])
    for name, _playbook in GATE_PLAYS:
        median, spread = seconds(walls[name])
        ratio = statistics.median(walls[name]) / floor
        if name == 'usage lookup':
            target = '1 request, <= 1.20 x floor'
            ok = met(requests[name] == '1' and ratio <= 1.2)
        else:
            target = ok = '-'
        table.add('1 gate', name, median, spread, '%.2f x floor' % ratio, requests[name], target, ok)


def bench_module(sim, runs, table):
    print('module: 1 host, one task, %d runs' % runs, flush=True)
    walls, requests = measure_plays(sim, MODULE_PLAYS, runs)
    floor = statistics.median(walls['empty play'])
    uri_wall = statistics.median(walls['builtin.uri'])
    uri_task = uri_wall - floor
    for name, _playbook in MODULE_PLAYS:
        median, spread = seconds(walls[name])
        wall = statistics.median(walls[name])
        if name == 'empty play':
            table.add('2 module', name, median, spread, '-', requests[name], '-', '-')
            continue
        # Task time: the playbook's wall time less the empty play's (same start-up, inventory and play).
        task = wall - floor
        table.add('2 module', name, median, spread, '%.2f x uri (play)' % (wall / uri_wall), requests[name], '-', '-')
        if name == 'usage_info':
            target = '<= 1.00 x uri (task)'
            ok = met(task <= uri_task)
        else:
            target = ok = '-'
        table.add('2 module', name + ' task only', '%.3f s' % task, '(wall - empty)', '%.2f x uri (task)' % (task / uri_task),
                  '', target, ok)


def fetch_large_body(sim):
    sim.reset(scenario='large')
    request = urllib.request.Request(sim.url + '/usage?expand=test',
                                     headers={'Authorization': 'Bearer ' + TOKEN, 'Accept': 'application/hal+json'})
    with urllib.request.urlopen(request, timeout=120) as answer:
        body = answer.read()
    sim.reset(scenario='default')
    return body


def timed(function, argument):
    gc.collect()
    start = time.perf_counter()
    result = function(argument)
    return time.perf_counter() - start, result


def peak_memory(function, argument):
    """Peak bytes allocated by function(argument), its result included (tracemalloc, so slower than timed runs)."""
    gc.collect()
    tracemalloc.start()
    try:
        result = function(argument)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    del result
    return peak


def bench_convert(sim, runs, table):
    try:
        from ansible_collections.thousandeyes.usage.plugins.module_utils._usage import usage_facts  # pylint: disable=import-outside-toplevel
    except ImportError as exc:
        raise SystemExit('Cannot import the installed collection (%s): run `make bench`, or set ANSIBLE_COLLECTIONS_PATH '
                         'to the directory holding ansible_collections/thousandeyes/usage.' % exc)
    body = fetch_large_body(sim)
    tests = len(json.loads(body)['usage']['tests'])
    print('convert: %d tests, body %.1f MB, %d runs' % (tests, len(body) / 1e6, runs), flush=True)
    loads_times, facts_times = [], []
    data = json.loads(body)  # warm-up
    usage_facts(data)
    for _number in range(runs):
        elapsed, data = timed(json.loads, body)
        loads_times.append(elapsed)
        elapsed, facts = timed(usage_facts, data)
        facts_times.append(elapsed)
        del facts
    loads_peak = peak_memory(json.loads, body)
    facts_peak = peak_memory(usage_facts, data)
    loads = statistics.median(loads_times)
    facts = statistics.median(facts_times)
    label = '%dk tests' % (tests // 1000)
    median, spread = seconds(loads_times)
    table.add('3 convert', 'json.loads', median, spread, '1.00 x loads', '', '-', '-')
    median, spread = seconds(facts_times)
    table.add('3 convert', 'usage_facts', median, spread, '%.2f x loads' % (facts / loads), '', '<= 1.50 x loads',
              met(facts / loads <= 1.5))
    table.add('3 convert', 'json.loads peak mem', '%.1f MB' % (loads_peak / 1e6), label,
              '%.2f x body' % (loads_peak / len(body)), '', '-', '-')
    table.add('3 convert', 'usage_facts peak mem', '%.1f MB' % (facts_peak / 1e6), label,
              '%.2f x body' % (facts_peak / len(body)), '', '<= 3.00 x body', met(facts_peak / len(body) <= 3.0))


def main():
    parser = argparse.ArgumentParser(description='thousandeyes.usage benchmarks against the API simulator.')
    parser.add_argument('--runs', type=int, default=5, help='timed runs per variant; the median is reported (default 5)')
    parser.add_argument('--only', choices=('gate', 'module', 'convert'), help='run only this benchmark')
    args = parser.parse_args()
    if args.runs < 1:
        parser.error('--runs must be at least 1')
    benches = [('gate', bench_gate), ('module', bench_module), ('convert', bench_convert)]
    table = Table()
    # A generous rate limit: the uri and url variants make one request per host or evaluation and must not wait.
    with Simulator(scenario='default', rate_limit=100000, rate_window=60.0) as sim:
        for name, bench in benches:
            if args.only in (None, name):
                bench(sim, args.runs, table)
    print()
    table.show()
    judged = [row for row in table.rows if row[-1] in ('yes', 'NO')]
    print()
    print('Targets met: %d of %d%s' % (sum(row[-1] == 'yes' for row in judged), len(judged),
                                       ''.join('\n  NOT MET: %s %s (%s, target %s)' % (row[0], row[1], row[4], row[6])
                                               for row in judged if row[-1] == 'NO')))
    return 0


if __name__ == '__main__':
    sys.exit(main())
