# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The cache options on every module's action plugin: accepted by all (as module_defaults of the action group give
them), cache_ttl deprecated, a backend that fails costs a warning and never the task."""

from __future__ import annotations

import pytest

from ansible import constants as C

SIM_TOKEN = 'te-sim-token-0123456789abcdef'  # the simulator's token of org 10 (groups 1234 and 5678)
# Each module with the options it needs; quota asks for the quota organization 10 already has (no change).
MODULES = {
    'usage_info': ({}, 'usage'),
    'units_info': ({}, 'totals'),
    'quotas_info': ({}, 'organizations'),
    'account_groups_info': ({}, 'account_groups'),
    'quota': ({'organization_quotas': [{'value': 22500}]}, 'organizations'),
}
CACHE_OPTIONS = [
    {'cache': 'none'},
    {'cache': 'run', 'cache_timeout': 60},
    {'cache_plugin': 'ansible.builtin.jsonfile', 'cache_connection': 'CONNECTION', 'cache_timeout': 60,
     'cache_prefix': 'team_a_'},
]


def ours(warnings):
    """The collection's warnings among those shown."""
    return [warning for warning in warnings if warning.startswith('thousandeyes.usage: ')]


def options(sim, name, **cache_options):
    return dict(MODULES[name][0], token=SIM_TOKEN, api_url=sim.url, **cache_options)


@pytest.mark.parametrize('cache_options', CACHE_OPTIONS)
@pytest.mark.parametrize('name', sorted(MODULES))
def test_every_module_takes_the_cache_options(sim, run_action, tmp_path, name, cache_options):
    """As `module_defaults: {group/thousandeyes.usage.thousandeyes: {cache: none}}` gives them to every task."""
    if cache_options.get('cache_connection'):
        cache_options = dict(cache_options, cache_connection=str(tmp_path / 'shared'))
    result = run_action(name, options(sim, name, **cache_options))
    assert 'failed' not in result, result
    assert result[MODULES[name][1]]
    assert result['changed'] is False


def test_cache_none_asks_every_time(sim, run_action):
    for dummy in range(2):
        run_action('quotas_info', options(sim, 'quotas_info', cache='none'))
    assert len(sim.requests) == 2


@pytest.mark.parametrize('name', sorted(MODULES))
def test_cache_ttl_is_a_deprecated_alias(sim, run_action, shown, monkeypatch, tmp_path, name):
    result = run_action(name, options(sim, name, cache_ttl=300))
    assert 'failed' not in result, result
    [deprecation] = [item for item in shown['deprecated'] if 'cache_ttl' in item['msg']]
    assert deprecation['version'] == '2.0.0' and deprecation['collection_name'] == 'thousandeyes.usage'
    monkeypatch.setattr(C, 'DEFAULT_LOCAL_TMP', str(tmp_path / 'next_run'))
    if name != 'quota':  # it still keeps answers for the next run (quota reads the quotas it may change)
        count = len(sim.requests)
        run_action(name, options(sim, name, cache_timeout=300))
        assert len(sim.requests) == count


def test_cache_timeout_is_not_deprecated(sim, run_action, shown):
    run_action('usage_info', options(sim, 'usage_info', cache_timeout=300))
    assert [item for item in shown['deprecated'] if 'cache' in item['msg']] == []


def test_a_miss_shows_no_warning(sim, run_action, shown):
    result = run_action('usage_info', options(sim, 'usage_info', cache_timeout=60))
    assert 'failed' not in result
    assert shown['warning'] == []


class TestBackendDown:
    def test_the_task_succeeds_with_one_warning(self, sim, run_action, shown):
        result = run_action('usage_info', options(sim, 'usage_info', cache_timeout=60, cache_plugin='nope.nope.nope'))
        assert 'failed' not in result and result['usage']['cloud_units_used'] > 0
        [warning] = ours(shown['warning'])
        assert 'nope.nope.nope' in warning
        assert len(sim.requests) == 1

    def test_the_connection_is_never_shown(self, sim, run_action, shown, tmp_path):
        blocker = tmp_path / 'a-file'
        blocker.write_text('')
        connection = str(blocker / 'redis-s3cret-passw0rd')
        result = run_action('quotas_info', options(sim, 'quotas_info', cache_timeout=60, cache_connection=connection))
        assert 'failed' not in result and result['organizations']
        [warning] = ours(shown['warning'])
        assert 'ansible.builtin.jsonfile' in warning and not [text for text in shown['warning'] if 's3cret' in text]
        assert 's3cret' not in repr(result)

    def test_the_run_cache_still_shares_the_answer(self, sim, run_action, shown):
        for host in ('web1', 'web2'):
            run_action('usage_info', options(sim, 'usage_info', cache_timeout=60, cache_plugin='nope.nope.nope'),
                       host=host)
        assert len(sim.requests) == 1
        assert len(set(ours(shown['warning']))) == 1  # the same text from every task: Ansible shows it once
