# -*- coding: utf-8 -*-
# Copyright (c) thousandeyes.usage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""On-demand benchmarks of thousandeyes.usage against the in-process API simulator (see benchmarks/README.md).

    make bench                                   # all three, 5 runs each
    python benchmarks/run.py --runs 9 --only gate
    python benchmarks/run.py --before 46d6e1f    # also the collection's variants at that git ref, same run

Needs the collection installed where ANSIBLE_COLLECTIONS_PATH points (make bench does it) and ansible-playbook and
ansible-galaxy on PATH. Prints medians and ratios; always exits 0 unless the set-up itself fails: benchmarks are not
tests.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
PLAYS = os.path.join(HERE, 'plays')
INVENTORY = os.path.join(PLAYS, 'inventory')
TOKEN = 'te-sim-token-0123456789abcdef'  # the simulator's documented test token, not a secret
FORKS = '10'

# The throwaway collection bench.floor (its lookup bench.floor.answer returns the JSON file BENCH_FLOOR_ANSWER names).
FLOOR = os.path.join(HERE, 'floor')
# The collections path given to playbooks of the working tree's collection (make bench installs it there).
CURRENT = os.environ.get('ANSIBLE_COLLECTIONS_PATH', '')

# (variant, playbook, ours): the first of each group is the reference the others are divided by. `ours` marks the
# variants that use the collection's own lookup or module; with --before they run a second time against the collection
# at that git ref (the other variants use the working tree's collection only for the within_quota test, or not at all).
GATE_PLAYS = [
    ('no-op play', 'gate_noop.yml', False),
    ('file lookup (floor)', 'gate_floor_lookup.yml', False),
    ('usage lookup', 'gate_lookup.yml', True),
    ('usage_info per host', 'gate_usage_info.yml', True),
    ('builtin.uri', 'gate_uri.yml', False),
    ('lookup builtin.url', 'gate_url.yml', False),
]
MODULE_PLAYS = [
    ('empty play', 'one_noop.yml', False),
    ('builtin.uri', 'one_uri.yml', False),
    ('usage_info', 'one_usage_info.yml', True),
]
# Targets, from the issue. Gate ratios are of median wall times in the same run.
LOOKUP_MAX_FLOOR = 1.25      # usage lookup in play vars: 1 request, <= 1.25 x the same play with the file lookup
USAGE_INFO_MAX_NOOP = 1.25   # usage_info on every host: <= 1.25 x the no-op play, 1 request
MODULE_MAX_URI_TASK = 0.3    # one usage_info task: <= 0.3 x one uri task (each less the empty play)


class Variant:
    """One playbook to time, with the collections path its ansible-playbook gets."""

    def __init__(self, name, playbook, collections):
        self.name = name
        self.playbook = playbook
        self.collections = collections


def variants(plays, before):
    """The variants of a benchmark; with before = (ref, collections path), each of ours is followed by its run against
    the collection at ref, so the two are interleaved like all the others."""
    result = []
    for name, playbook, ours in plays:
        result.append(Variant(name, playbook, CURRENT))
        if ours and before:
            result.append(Variant(before_name(name, before[0]), playbook, before[1]))
    return result


def before_name(name, ref):
    return '%s (before: %s)' % (name, ref)


sys.path.insert(0, os.path.join(ROOT, 'tests'))
for _path in reversed([p for p in os.environ.get('ANSIBLE_COLLECTIONS_PATH', '').split(os.pathsep) if p]):
    sys.path.insert(0, _path)

from simulator import Simulator  # noqa: E402  pylint: disable=wrong-import-position


class Table:
    COLUMNS = ('benchmark', 'variant', 'median', 'min..max', 'cpu', 'ratio', 'requests', 'target', 'met')

    def __init__(self):
        self.rows = []

    def add(self, benchmark, variant, median, spread, *cells, cpu=''):
        self.rows.append([str(cell) for cell in (benchmark, variant, median, spread, cpu) + cells])

    def show(self):
        widths = [max(len(row[i]) for row in [self.COLUMNS] + self.rows) for i in range(len(self.COLUMNS))]
        for number, row in enumerate([self.COLUMNS] + self.rows):
            print('  '.join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
            if number == 0:
                print('  '.join('-' * width for width in widths))


def seconds(values):
    return '%.3f s' % statistics.median(values), '%.3f..%.3f' % (min(values), max(values))


def met(ok):
    return 'yes' if ok else 'NO'


def playbook_env(sim, collections, answer=None):
    """Every version of the collection gets the simulator's token and URL from the environment."""
    env = dict(os.environ)
    for name in ('TE_TOKEN', 'TE_AID', 'THOUSANDEYES_AID'):
        env.pop(name, None)
    env.update(THOUSANDEYES_TOKEN=TOKEN, THOUSANDEYES_API_URL=sim.url, ANSIBLE_NOCOLOR='1',
               ANSIBLE_RETRY_FILES_ENABLED='0', ANSIBLE_DEPRECATION_WARNINGS='0',
               ANSIBLE_COLLECTIONS_PATH=os.pathsep.join(path for path in (collections, FLOOR) if path))
    if answer:
        env['BENCH_FLOOR_ANSWER'] = answer
    return env


def run_checked(sim, label, command, env):
    """Run one command against a freshly reset simulator: (wall seconds, CPU seconds, API requests served).

    CPU is user + system time of the command and every process it waited for (its forked workers, the modules they
    ran): less disturbed than wall time by other work on the machine, so it helps to read a noisy run."""
    sim.reset()
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(command, cwd=PLAYS, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - usage.ru_utime) + (after.ru_stime - usage.ru_stime)
    requests = sim.requests
    if proc.returncode != 0:
        raise SystemExit('%s failed (exit code %d):\n%s' % (label, proc.returncode, proc.stdout[-3000:]))
    bad = [entry['status'] for entry in requests if entry['status'] != 200]
    if bad:
        raise SystemExit('%s: the simulator answered %s; expected only 200' % (label, bad))
    return wall, cpu, len(requests)


def run_playbook(sim, variant, answer):
    command = ['ansible-playbook', '-i', INVENTORY, '--forks', FORKS, os.path.join(PLAYS, variant.playbook)]
    return run_checked(sim, '%s (%s)' % (variant.playbook, variant.name), command,
                       playbook_env(sim, variant.collections, answer))


def write_answer(sim, path):
    """The floor lookup's file: what lookup('thousandeyes.usage.usage') returns, through the real lookup, once."""
    args = json.dumps({'content': "{{ lookup('thousandeyes.usage.usage') | to_json }}", 'dest': path, 'mode': '0600'})
    command = ['ansible', '-i', INVENTORY, 'localhost', '-m', 'ansible.builtin.copy', '-a', args]
    _wall, _cpu, count = run_checked(sim, 'writing the floor lookup answer', command, playbook_env(sim, CURRENT))
    with open(path) as handle:
        answer = json.load(handle)
    if count != 1 or not isinstance(answer, dict) or 'quota_status' not in answer:
        raise SystemExit('writing the floor lookup answer: %d requests, got %r' % (count, answer))
    print('floor lookup answer: %s (%d bytes, from the usage lookup)' % (path, os.path.getsize(path)), flush=True)


def installed_version(collections):
    """(version, path) of thousandeyes.usage as ansible-playbook resolves it with this collections path."""
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=collections, ANSIBLE_NOCOLOR='1')
    proc = subprocess.run(['ansible-galaxy', 'collection', 'list', 'thousandeyes.usage', '--format', 'json'], env=env,
                          capture_output=True, text=True, check=False)
    try:
        found = [(info['version'], path) for path, entries in json.loads(proc.stdout).items()
                 for name, info in entries.items() if name == 'thousandeyes.usage']
    except (ValueError, AttributeError, KeyError, TypeError):
        found = []
    if len(found) != 1:
        raise SystemExit('expected one thousandeyes.usage on %s, found %r\n%s' % (collections, found, proc.stderr))
    return found[0]


def install_before(ref, workdir):
    """Build and install the collection as it was at git ref (a tarball, as a user installs it) into its own
    collections path; returns that path."""
    src = os.path.join(workdir, 'src')
    dist = os.path.join(workdir, 'dist')
    collections = os.path.join(workdir, 'collections')
    os.makedirs(src)
    archive = subprocess.run(['git', '-C', ROOT, 'archive', ref], stdout=subprocess.PIPE, check=True).stdout
    subprocess.run(['tar', '-x', '-C', src], input=archive, check=True)
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=collections)
    subprocess.run(['ansible-galaxy', 'collection', 'build', '--output-path', dist, src], env=env,
                   stdout=subprocess.DEVNULL, check=True)
    tarballs = [name for name in os.listdir(dist) if name.endswith('.tar.gz')]
    subprocess.run(['ansible-galaxy', 'collection', 'install', '--force', '-p', collections,
                    os.path.join(dist, tarballs[0])], env=env, stdout=subprocess.DEVNULL, check=True)
    return collections


def git_describe(ref):
    return subprocess.run(['git', '-C', ROOT, 'rev-parse', '--short', ref], stdout=subprocess.PIPE,
                          text=True, check=True).stdout.strip()


def measure_plays(sim, plays, runs, answer):
    """Median-ready samples per variant: wall seconds, CPU seconds and the request counts seen. Variants are
    interleaved run by run so drift hits all alike; one untimed warm-up round first (byte-code caches, page cache)."""
    walls = dict((variant.name, []) for variant in plays)
    cpus = dict((variant.name, []) for variant in plays)
    requests = dict((variant.name, set()) for variant in plays)
    for variant in plays:
        run_playbook(sim, variant, answer)
    for number in range(runs):
        for variant in plays:
            wall, cpu, count = run_playbook(sim, variant, answer)
            walls[variant.name].append(wall)
            cpus[variant.name].append(cpu)
            requests[variant.name].add(count)
        times = ', '.join('%s %.2f s' % (variant.name, walls[variant.name][-1]) for variant in plays)
        print('  run %d/%d: %s' % (number + 1, runs, times), flush=True)
    cpus = dict((name, statistics.median(values)) for name, values in cpus.items())
    return walls, cpus, dict((name, '/'.join(str(count) for count in sorted(counts)))
                             for name, counts in requests.items())


def bench_gate(sim, runs, table, before, answer):
    plays = variants(GATE_PLAYS, before)
    print('gate: 20 hosts, --forks %s, %d runs' % (FORKS, runs), flush=True)
    walls, cpus, requests = measure_plays(sim, plays, runs, answer)
    noop = statistics.median(walls['no-op play'])
    floor = statistics.median(walls['file lookup (floor)'])
    for variant in plays:
        name = variant.name
        median, spread = seconds(walls[name])
        wall = statistics.median(walls[name])
        target = ok = '-'
        if name == 'usage lookup':
            target, ok = '1 request', met(requests[name] == '1')
        elif name == 'usage_info per host':
            target = '1 request, <= %.2f x no-op' % USAGE_INFO_MAX_NOOP
            ok = met(requests[name] == '1' and wall / noop <= USAGE_INFO_MAX_NOOP)
        table.add('1 gate', name, median, spread, '%.2f x no-op' % (wall / noop), requests[name], target, ok,
                  cpu='%.2f s' % cpus[name])
        if name == 'usage lookup' or (before and name == before_name('usage lookup', before[0])):
            judged = name == 'usage lookup'
            table.add('1 gate', name + ' vs file lookup', '%+.3f s' % (wall - floor), '(median diff)',
                      '%.2f x file lookup' % (wall / floor), '',
                      '<= %.2f x file lookup' % LOOKUP_MAX_FLOOR if judged else '-',
                      met(wall / floor <= LOOKUP_MAX_FLOOR) if judged else '-',
                      cpu='%+.2f s' % (cpus[name] - cpus['file lookup (floor)']))


def bench_module(sim, runs, table, before, answer):
    plays = variants(MODULE_PLAYS, before)
    print('module: 1 host, one task, %d runs' % runs, flush=True)
    walls, cpus, requests = measure_plays(sim, plays, runs, answer)
    floor = statistics.median(walls['empty play'])
    uri_wall = statistics.median(walls['builtin.uri'])
    uri_task = uri_wall - floor
    for variant in plays:
        name = variant.name
        median, spread = seconds(walls[name])
        wall = statistics.median(walls[name])
        cpu = '%.2f s' % cpus[name]
        if name == 'empty play':
            table.add('2 module', name, median, spread, '-', requests[name], '-', '-', cpu=cpu)
            continue
        # Task time: the playbook's wall time less the empty play's (same start-up, inventory and play).
        task = wall - floor
        table.add('2 module', name, median, spread, '%.2f x uri (play)' % (wall / uri_wall), requests[name], '-', '-',
                  cpu=cpu)
        if name == 'usage_info':
            target = '<= %.2f x uri (task)' % MODULE_MAX_URI_TASK
            ok = met(task <= MODULE_MAX_URI_TASK * uri_task)
        else:
            target = ok = '-'
        table.add('2 module', name + ', task only', '%.3f s' % task, '(wall - empty)',
                  '%.2f x uri (task)' % (task / uri_task), '', target, ok,
                  cpu='%.2f s' % (cpus[name] - cpus['empty play']))


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


def bench_convert(sim, runs, table, _before, _answer):
    try:
        from ansible_collections.thousandeyes.usage.plugins.module_utils._usage import usage_facts  # pylint: disable=import-outside-toplevel
    except ImportError as exc:
        raise SystemExit('Cannot import the installed collection (%s): run `make bench`, or set ANSIBLE_COLLECTIONS_PATH '
                         'to the directory holding ansible_collections/thousandeyes/usage.' % exc) from None
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
    parser.add_argument('--before', metavar='REF',
                        help='also build and install the collection at this git ref and run the variants that use the '
                             "collection's lookup or module against it too, in the same run (labelled '(before: REF)')")
    args = parser.parse_args()
    if args.runs < 1:
        parser.error('--runs must be at least 1')
    for tool in ('ansible-playbook', 'ansible', 'ansible-galaxy'):
        if shutil.which(tool) is None:
            parser.error('%s is not on PATH (run `make bench`)' % tool)
    benches = [('gate', bench_gate), ('module', bench_module), ('convert', bench_convert)]
    table = Table()
    with contextlib.ExitStack() as stack:
        workdir = stack.enter_context(tempfile.TemporaryDirectory(prefix='te-bench-'))
        version, path = installed_version(CURRENT)
        print('collection: thousandeyes.usage %s from %s (working tree %s)' % (version, path, tree_state()))
        print('load average at start: %s' % load_average())
        before = None
        if args.before:
            collections = install_before(args.before, os.path.join(workdir, 'before'))
            version, path = installed_version(collections)
            print('before: thousandeyes.usage %s from %s (git %s = %s)' % (
                version, path, args.before, git_describe(args.before)))
            before = (args.before, collections)
        # A generous rate limit: the uri and url variants make one request per host or evaluation and must not wait.
        sim = stack.enter_context(Simulator(scenario='default', rate_limit=100000, rate_window=60.0))
        answer = None
        if args.only in (None, 'gate'):
            answer = os.path.join(workdir, 'answer.json')
            write_answer(sim, answer)
        for name, bench in benches:
            if args.only in (None, name):
                bench(sim, args.runs, table, before, answer)
    print('load average at end: %s' % load_average())
    print()
    table.show()
    judged = [row for row in table.rows if row[-1] in ('yes', 'NO')]
    print()
    print('Targets met: %d of %d%s' % (sum(row[-1] == 'yes' for row in judged), len(judged),
                                       ''.join('\n  NOT MET: %s %s (%s, %s requests, target %s)' % (
                                           row[0], row[1], row[5], row[6] or '-', row[7])
                                           for row in judged if row[-1] == 'NO')))
    return 0


def load_average():
    """The 1, 5 and 15 minute load averages: other work on the machine shows here (the runs are not isolated)."""
    return ' '.join('%.2f' % value for value in os.getloadavg())


def tree_state():
    """HEAD's short id, and whether uncommitted changes (untracked files included) touch more than benchmarks/."""
    head = git_describe('HEAD')
    status = subprocess.run(['git', '-C', ROOT, 'status', '--porcelain'], stdout=subprocess.PIPE, text=True,
                            check=True).stdout.splitlines()
    paths = [line[3:] for line in status if line.strip()]
    if not paths:
        return head
    if all(path.startswith('benchmarks/') for path in paths):
        return head + ' with uncommitted changes (under benchmarks/ only)'
    return head + ' with uncommitted changes'


if __name__ == '__main__':
    sys.exit(main())
