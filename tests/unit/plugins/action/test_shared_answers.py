# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""One request per question per run, across hosts, tasks and plugins (the lookup included); errors never stored;
nothing secret in the cache files. Against the API simulator (tests/simulator) over HTTP on 127.0.0.1."""

from __future__ import annotations

import os

import pytest

from ansible import constants as C
from ansible.parsing.dataloader import DataLoader
from ansible.plugins.loader import lookup_loader
from ansible.template import Templar

from ansible_collections.thousandeyes.usage.tests.unit.plugins.secret_forms import found_in, token_forms

SIM_TOKEN = 'te-sim-token-0123456789abcdef'  # org 10 "Acme Corp", groups 1234 "Acme Production", 5678 "Acme Staging"
READERS = {
    'usage_info': '/v7/usage',
    'units_info': '/v7/usage/units/tests',
    'quotas_info': '/v7/quotas',
    'account_groups_info': '/v7/account-groups',
}


def args(sim, **kwargs):
    return dict(kwargs, token=SIM_TOKEN, api_url=sim.url)


def paths(sim):
    return [request['path'].split('?')[0] for request in sim.requests]


def lookup(sim, **kwargs):
    loader = DataLoader()
    plugin = lookup_loader.get('thousandeyes.usage.usage', loader=loader, templar=Templar(loader=loader))
    return plugin.run([], variables={}, **args(sim, **kwargs))


@pytest.mark.parametrize('name', sorted(READERS))
def test_the_hosts_of_a_task_make_one_request(sim, task, action, run_on, shown, name):
    play_task = task(args(sim))
    # The task executor of each host gets its own copy of the task and its own handler.
    results = [run_on(action(name, play_task.copy()), host) for host in ('web1', 'web2', 'web3')]
    assert results[0] == results[1] == results[2] and 'failed' not in results[0]
    assert paths(sim) == [READERS[name]]
    assert shown['vvv'] == [(host, 'thousandeyes.usage.%s: reused an answer from the cache' % name)
                            for host in ('web2', 'web3')]


def test_later_tasks_reuse_the_answer(sim, run_action):
    first = run_action('usage_info', args(sim))
    second = run_action('usage_info', args(sim, thresholds={'cloud_units_used_pct': 99}))
    for key in ('usage', 'quota_status', 'rate_limit', 'breaches'):
        assert first[key] == second[key], key
    assert paths(sim) == ['/v7/usage']


def test_the_lookup_and_the_action_share_answers(sim, run_action):
    [from_lookup] = lookup(sim, account_group='Acme Staging')
    from_action = run_action('usage_info', args(sim, account_group='Acme Staging'))
    run_action('account_groups_info', args(sim))
    assert paths(sim) == ['/v7/account-groups', '/v7/usage']
    for key in from_lookup:
        assert from_lookup[key] == from_action[key], key


def test_a_new_run_asks_again(sim, run_action, monkeypatch, tmp_path):
    run_action('usage_info', args(sim))
    monkeypatch.setattr(C, 'DEFAULT_LOCAL_TMP', str(tmp_path / 'next_run'))
    run_action('usage_info', args(sim))
    assert paths(sim) == ['/v7/usage'] * 2


class TestErrors:
    def test_an_error_is_not_stored(self, sim, task, action, run_on):
        """The next host (or the next attempt of an until/retries loop) asks again."""
        sim.queue_faults([{'status': 503}])
        play_task = task(args(sim, max_retries=0))
        failed = run_on(action('usage_info', play_task.copy()), 'web1')
        later = run_on(action('usage_info', play_task.copy()), 'web2')
        assert failed['failed'] is True and failed['status'] == 503
        assert 'failed' not in later and later['usage']
        assert paths(sim) == ['/v7/usage'] * 2


def test_nothing_secret_in_the_cache_files(sim, run_action, ansible_dirs, monkeypatch, tmp_path):
    """Every reading module with cache_timeout, an answer by name and a failure: no token or digest of it, no
    organization or account group, no usage figure in any file of the run or the backend."""
    options = args(sim, cache_timeout=300)
    for name in sorted(READERS):
        run_action(name, options)
    run_action('usage_info', dict(options, account_group='Acme Staging'))
    sim.queue_faults([{'status': 503}])
    assert run_action('units_info', dict(options, resource='enterprise_agents', max_retries=0))['failed'] is True
    files = [os.path.join(directory, name) for directory, dummy, names in os.walk(str(ansible_dirs)) for name in names]
    assert len(files) >= 10
    forms = token_forms(SIM_TOKEN) + [b'Acme', b'cloud_units_used', b'cloudUnitsUsed', b'"organizations"', b'"usage"',
                                      b'Service Unavailable']
    for path in files:
        assert found_in(path, forms) == [], path
