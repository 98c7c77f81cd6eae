# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The usage lookup through Ansible's plugin loader, over real HTTP to a scripted server on 127.0.0.1: options and their
sources, terms, validation, the cache_ttl deprecation, and the cache as the lookup uses it (see
tests/unit/plugins/plugin_utils/test_cache.py for the cache itself)."""

from __future__ import annotations

import json
import multiprocessing
import os
import re
import subprocess
import sys

import pytest

from ansible import constants as C
from ansible.errors import AnsibleError, AnsibleLookupError
from ansible.parsing.dataloader import DataLoader
from ansible.plugins.loader import lookup_loader
from ansible.template import Templar

from ansible_collections.thousandeyes.usage.plugins.modules import usage_info
from ansible_collections.thousandeyes.usage.tests.unit.plugins.compat import patch_module_args, trust_as_template
from ansible_collections.thousandeyes.usage.tests.unit.plugins.scripted_http import Reply

TOKEN = 'lookup-secret-token-7d6c5b'
HEADERS = {'X-Organization-Rate-Limit-Limit': '240', 'X-Organization-Rate-Limit-Remaining': '17',
           'X-Organization-Rate-Limit-Reset': '1800000060'}
# A period that has ended, so every computed fact is independent of the moment the test runs.
BODY = {'usage': {'quota': {'monthStart': '2025-01-01T00:00:00Z', 'monthEnd': '2025-01-31T00:00:00Z',
                            'cloudUnitsIncluded': 1000, 'endpointAgentsIncluded': 10},
                  'cloudUnitsUsed': 800, 'cloudUnitsProjected': 950, 'endpointAgentsUsed': 9,
                  'tests': [{'testId': '1', 'testName': 'a', 'cloudUnitsUsed': 800}], 'futureThing': {'someKey': 1}},
        '_links': {'self': {'href': '/v7/usage'}}}


def lookup(terms=(), variables=None, **kwargs):
    loader = DataLoader()
    templar = Templar(loader=loader, variables=variables or {})
    plugin = lookup_loader.get('thousandeyes.usage.usage', loader=loader, templar=templar)
    return plugin.run(list(terms), variables=variables or {}, **kwargs)


def files_under(root):
    return [os.path.join(directory, name) for directory, dummy, names in os.walk(root) for name in names]


def base(server, **kwargs):
    kwargs.setdefault('token', TOKEN)
    kwargs.setdefault('api_url', server.url)
    return kwargs


def test_same_values_as_the_module_for_the_same_answer(server, capsys):
    server.queue(Reply(200, BODY, headers=HEADERS))
    thresholds = {'cloud_units_projected_pct': 90, 'endpoint_agents_used_pct': 95}
    [from_lookup] = lookup(**base(server, expand=['test'], thresholds=thresholds))
    with patch_module_args(base(server, expand=['test'], thresholds=thresholds)):
        with pytest.raises(SystemExit):
            usage_info.main()
    from_module = json.loads(capsys.readouterr().out)
    assert sorted(from_lookup) == ['breaches', 'headroom', 'quota_status', 'rate_limit', 'usage']
    assert 'usage' not in from_module  # a failed gate keeps its output short
    for key in ('breaches', 'headroom', 'quota_status', 'rate_limit'):
        assert from_lookup[key] == from_module[key], key
    assert [b['metric'] for b in from_lookup['breaches']] == ['cloud_units_projected_pct']
    assert server.received[0]['path'] == server.received[1]['path'] == '/v7/usage?expand=test'


def test_vars_sources(server):
    server.queue(Reply(200, BODY))
    [result] = lookup(variables={'thousandeyes_token': TOKEN, 'thousandeyes_api_url': server.url,
                                 'thousandeyes_aid': '77'})
    assert result['usage']['cloud_units_used'] == 800
    assert server.received[0]['headers']['Authorization'] == 'Bearer ' + TOKEN
    assert server.received[0]['path'] == '/v7/usage?aid=77'


def test_vars_are_templated(server):
    server.queue(Reply(200, BODY))
    # As from a playbook: variables written in YAML are trusted templates.
    lookup(variables={'vault_token': TOKEN, 'thousandeyes_token': trust_as_template('{{ vault_token }}'),
                      'thousandeyes_api_url': server.url})
    assert server.received[0]['headers']['Authorization'] == 'Bearer ' + TOKEN


def test_direct_options_win_over_vars(server):
    server.queue(Reply(200, BODY))
    lookup(variables={'thousandeyes_token': 'other', 'thousandeyes_api_url': 'https://example.com/v7'},
           **base(server))
    assert server.received[0]['headers']['Authorization'] == 'Bearer ' + TOKEN


def test_environment_sources(server, monkeypatch):
    monkeypatch.setenv('TE_TOKEN', TOKEN)
    monkeypatch.setenv('THOUSANDEYES_API_URL', server.url)
    monkeypatch.setenv('TE_AID', '88')
    server.queue(Reply(200, BODY))
    lookup()
    assert server.received[0]['path'] == '/v7/usage?aid=88'


def test_environment_precedence_matches_the_module(server, monkeypatch, capsys):
    """With both variables of a pair set, THOUSANDEYES_* wins over the Terraform provider's TE_*, in both."""
    monkeypatch.setenv('THOUSANDEYES_TOKEN', TOKEN)
    monkeypatch.setenv('TE_TOKEN', 'terraform-token')
    monkeypatch.setenv('THOUSANDEYES_AID', '11')
    monkeypatch.setenv('TE_AID', '22')
    server.queue(Reply(200, BODY))
    lookup(api_url=server.url, cache='none')
    with patch_module_args({'api_url': server.url}):
        with pytest.raises(SystemExit):
            usage_info.main()
    capsys.readouterr()
    assert [r['headers']['Authorization'] for r in server.received] == ['Bearer ' + TOKEN] * 2
    assert [r['path'] for r in server.received] == ['/v7/usage?aid=11'] * 2


def test_one_result_per_term(server):
    server.queue(Reply(200, BODY))
    results = lookup(['1', '2'], **base(server))
    assert len(results) == 2
    assert [r['path'] for r in server.received] == ['/v7/usage?aid=1', '/v7/usage?aid=2']


def test_breaches_do_not_raise(server):
    server.queue(Reply(200, BODY))
    [result] = lookup(**base(server, thresholds={'cloud_units_used_pct': 10}))
    assert result['breaches'][0]['message'] == 'cloud_units_used_pct is 80%, above the threshold of 10%'


def test_error_is_the_module_message(server, capsys):
    server.queue(Reply(403, {'title': 'Forbidden', 'status': 403, 'detail': 'Insufficient permissions to query endpoint'}))
    with pytest.raises(AnsibleLookupError) as err:
        lookup(**base(server, cache='none'))
    with patch_module_args(base(server)):
        with pytest.raises(SystemExit):
            usage_info.main()
    module_msg = json.loads(capsys.readouterr().out)['msg']
    assert str(err.value) == module_msg == (
        'GET /v7/usage failed: HTTP 403 Forbidden: Insufficient permissions to query endpoint')


@pytest.mark.parametrize('kwargs,option', [
    ({'thresholds': {'cloud_units_used_pct': -1}}, 'thresholds.cloud_units_used_pct'),
    ({'thresholds': {'nope': 1}}, 'thresholds'),
    ({'expand': ['tests']}, 'expand'),
    ({'api_url': 'http://example.com/v7'}, 'api_url'),
    ({'token': 'a b'}, 'token'),
    ({'cache': 'forever'}, 'cache'),
    ({'cache_timeout': -5}, 'cache_timeout'),
    ({'cache_ttl': -5}, 'cache_timeout'),
    ({'cache_timeout': 'a day'}, 'cache_timeout'),
])
def test_bad_input_before_any_request(server, kwargs, option):
    """One line naming the option (ansible-core's wording for types and choices differs between versions)."""
    server.queue(Reply(200, BODY))
    with pytest.raises(AnsibleError) as err:
        lookup(**base(server, **kwargs))
    assert re.search(r'\b%s\b' % re.escape(option), str(err.value)), str(err.value)
    assert '\n' not in str(err.value)
    assert server.received == []


def test_terms_are_account_group_ids(server):
    with pytest.raises(AnsibleLookupError, match=r'^terms must be account group IDs \(aid\), got '):
        lookup([{'aid': '1'}], **base(server))
    assert server.received == []


def test_terms_and_account_group_together(server):
    with pytest.raises(AnsibleLookupError, match=r'^terms and account_group are mutually exclusive'):
        lookup(['1234'], **base(server, account_group='Production'))
    assert server.received == []


class TestCacheTtl:
    """cache_ttl: the deprecated alias of cache_timeout, under Ansible's deprecation process."""

    def test_deprecated(self, server, shown):
        server.queue(Reply(200, BODY))
        [result] = lookup(**base(server, cache_ttl=300))
        assert result['usage']['cloud_units_used'] == 800
        [deprecation] = [item for item in shown['deprecated'] if 'cache_ttl' in item['msg']]
        assert 'cache_timeout' in deprecation['msg']
        assert deprecation['version'] == '2.0.0' and deprecation['collection_name'] == 'thousandeyes.usage'

    def test_cache_timeout_is_not(self, server, shown):
        server.queue(Reply(200, BODY))
        lookup(**base(server, cache_timeout=300))
        assert [item for item in shown['deprecated'] if 'cache_ttl' in item['msg']] == []

    def test_still_keeps_answers_across_runs(self, server, monkeypatch, tmp_path):
        server.queue(Reply(200, BODY))
        lookup(**base(server, cache_ttl=300))
        monkeypatch.setattr(C, 'DEFAULT_LOCAL_TMP', str(tmp_path / 'next_run'))
        lookup(**base(server, cache_ttl=300))
        assert len(server.received) == 1


class TestCache:
    def test_one_request_per_run(self, server, shown):
        server.queue(Reply(200, BODY))
        first = lookup(**base(server))
        second = lookup(**base(server))
        assert first == second
        assert len(server.received) == 1
        assert shown['vvv'] == [(None, 'thousandeyes.usage.usage: reused an answer from the cache')]

    def test_keys_differ_by_expand_aid_and_token(self, server):
        server.queue(Reply(200, BODY))
        lookup(**base(server))
        lookup(**base(server, expand=['test']))
        lookup(**base(server, aid='5'))
        lookup(**base(server, token='another-token'))
        lookup(**base(server, expand=['test']))
        assert len(server.received) == 4

    def test_other_thresholds_reuse_the_answer(self, server):
        server.queue(Reply(200, BODY))
        first = lookup(**base(server, thresholds={'cloud_units_used_pct': 50}))
        other = lookup(**base(server, thresholds={'cloud_units_used_pct': 90}))
        assert [item['metric'] for item in first[0]['breaches']] == ['cloud_units_used_pct']
        assert other[0]['breaches'] == [] and other[0]['usage'] == first[0]['usage']
        assert len(server.received) == 1

    def test_bad_input_is_refused_after_good_input(self, server):
        server.queue(Reply(200, BODY))
        lookup(**base(server))
        with pytest.raises(AnsibleLookupError, match='thresholds: unknown key nope'):
            lookup(**base(server, thresholds={'nope': 1}))
        assert len(server.received) == 1

    def test_cache_none_calls_every_time_and_keeps_nothing(self, server):
        server.queue(Reply(200, BODY))
        for dummy in range(3):
            lookup(**base(server, cache='none'))
        assert len(server.received) == 3
        assert files_under(C.DEFAULT_LOCAL_TMP) == []

    def test_new_run_fetches_again_without_timeout(self, server, monkeypatch, tmp_path):
        server.queue(Reply(200, BODY))
        lookup(**base(server))
        monkeypatch.setattr(C, 'DEFAULT_LOCAL_TMP', str(tmp_path / 'next_run'))
        lookup(**base(server))
        assert len(server.received) == 2

    def test_an_error_is_not_stored(self, server):
        server.queue(Reply(401, {'error': 'invalid_token', 'error_description': 'Invalid access token'}),
                     Reply(200, BODY))
        with pytest.raises(AnsibleLookupError) as err:
            lookup(**base(server))
        [result] = lookup(**base(server))
        assert str(err.value) == 'GET /v7/usage failed: HTTP 401 Unauthorized: Invalid access token (invalid_token)'
        assert result['usage']['cloud_units_used'] == 800
        assert len(server.received) == 2

    def test_an_echoed_token_is_never_shown(self, server):
        server.queue(Reply(403, {'title': 'Forbidden', 'status': 403, 'detail': 'Bearer %s refused' % TOKEN}))
        with pytest.raises(AnsibleLookupError) as err:
            lookup(**base(server))
        assert str(err.value) == 'GET /v7/usage failed: HTTP 403 Forbidden: Bearer ******** refused'


def _worker(url, queue):
    queue.put(lookup(token=TOKEN, api_url=url)[0]['usage']['cloud_units_used'])


def test_single_flight_across_forked_workers(server):
    """Ten forks at the same moment, as ansible-playbook's workers: one request, everyone gets the answer."""
    server.queue(Reply(200, BODY, delay=0.5))
    ctx = multiprocessing.get_context('fork')
    queue = ctx.Queue()
    workers = [ctx.Process(target=_worker, args=(server.url, queue)) for dummy in range(10)]
    for worker in workers:
        worker.start()
    answers = [queue.get(timeout=30) for dummy in workers]
    for worker in workers:
        worker.join(30)
    assert answers == [800] * 10
    assert len(server.received) == 1


def test_importing_the_lookup_does_not_load_requests():
    """A worker answered from the run cache must not pay for importing requests (about 75 ms per evaluation)."""
    code = ('import sys; import ansible_collections.thousandeyes.usage.plugins.lookup.usage; '
            'sys.exit(1 if "requests" in sys.modules else 0)')
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    assert subprocess.call([sys.executable, '-c', code], env=env) == 0
