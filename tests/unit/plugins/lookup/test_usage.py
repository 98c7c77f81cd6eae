# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The usage lookup through Ansible's plugin loader, over real HTTP to a scripted server on 127.0.0.1."""

from __future__ import annotations

import json
import multiprocessing
import os
import stat
import subprocess
import sys

import pytest

from ansible import constants as C
from ansible.errors import AnsibleLookupError
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
    templar = Templar(loader=DataLoader(), variables=variables or {})
    plugin = lookup_loader.get('thousandeyes.usage.usage', loader=templar._loader, templar=templar)
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
    assert sorted(from_lookup) == ['breaches', 'quota_status', 'rate_limit', 'usage']
    for key in from_lookup:
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


@pytest.mark.parametrize('kwargs,message', [
    ({'thresholds': {'cloud_units_used_pct': -1}}, 'thresholds.cloud_units_used_pct must be a percentage'),
    ({'thresholds': {'nope': 1}}, 'thresholds: unknown key nope'),
    ({'expand': ['tests']}, "expand: value 'tests' is not one of test, enterprise-agent"),
    ({'api_url': 'http://example.com/v7'}, 'refusing to send the token unencrypted'),
    ({'token': 'a b'}, 'token must be a single word'),
    ({'cache': 'forever'}, "cache must be one of run, none, got 'forever'"),
    ({'cache_ttl': -5}, 'cache_ttl must be a non-negative integer (seconds), got -5'),
])
def test_bad_input_before_any_request(server, kwargs, message):
    server.queue(Reply(200, BODY))
    with pytest.raises(Exception) as err:
        lookup(**base(server, **kwargs))
    assert message in str(err.value)
    assert server.received == []


class TestRunCache:
    def test_one_request_per_run(self, server):
        server.queue(Reply(200, BODY))
        first = lookup(**base(server))
        second = lookup(**base(server))
        assert first == second
        assert len(server.received) == 1

    def test_keys_differ_by_expand_aid_and_token(self, server):
        server.queue(Reply(200, BODY))
        lookup(**base(server))
        lookup(**base(server, expand=['test']))
        lookup(**base(server, aid='5'))
        lookup(**base(server, token='another-token'))
        lookup(**base(server, expand=['test']))
        assert len(server.received) == 4

    def test_cache_none_calls_every_time(self, server):
        server.queue(Reply(200, BODY))
        lookup(**base(server, cache='none'))
        lookup(**base(server, cache='none'))
        assert len(server.received) == 2

    def test_new_run_fetches_again_without_ttl(self, server, monkeypatch, tmp_path):
        server.queue(Reply(200, BODY))
        lookup(**base(server))
        monkeypatch.setattr(C, 'DEFAULT_LOCAL_TMP', str(tmp_path / 'next_run'))
        lookup(**base(server))
        assert len(server.received) == 2

    def test_ttl_reuses_across_runs(self, server, monkeypatch, tmp_path):
        server.queue(Reply(200, BODY))
        lookup(**base(server, cache_ttl=300))
        monkeypatch.setattr(C, 'DEFAULT_LOCAL_TMP', str(tmp_path / 'next_run'))
        lookup(**base(server, cache_ttl=300))
        assert len(server.received) == 1

    def test_errors_shared_within_the_run(self, server):
        server.queue(Reply(401, {'error': 'invalid_token', 'error_description': 'Invalid access token'}))
        messages = []
        for dummy in range(3):
            with pytest.raises(AnsibleLookupError) as err:
                lookup(**base(server))
            messages.append(str(err.value))
        assert len(server.received) == 1
        assert set(messages) == {'GET /v7/usage failed: HTTP 401 Unauthorized: Invalid access token (invalid_token)'}

    def test_entry_of_an_older_format_is_refetched(self, server):
        server.queue(Reply(200, BODY))
        lookup(**base(server))
        [entry] = [path for path in files_under(C.DEFAULT_LOCAL_TMP) if path.endswith('.json')]
        with open(entry, 'w') as handle:
            json.dump({'format': 1, 'stored_at': 0, 'answer': {'body': BODY, 'rate_limit': {}}}, handle)
        [result] = lookup(**base(server))
        assert result['usage']['cloud_units_used'] == 800
        assert len(server.received) == 2

    def test_hit_is_served_without_the_lock(self, server, monkeypatch):
        from ansible_collections.thousandeyes.usage.plugins.plugin_utils import _cache
        server.queue(Reply(200, BODY))
        lookup(**base(server))

        real_lock = _cache.locked

        def no_lock(path):
            # The lock of the lookup's own results (a first evaluation with these options) may be taken; the lock of
            # the answer already in the run cache may not.
            if not path.endswith('.results.lock'):
                raise AssertionError('a cache hit took the lock')
            return real_lock(path)

        monkeypatch.setattr(_cache, 'locked', no_lock)
        [result] = lookup(**base(server))
        assert result['usage']['cloud_units_used'] == 800
        assert len(server.received) == 1

    def test_files_private_and_token_free(self, server, ansible_dirs):
        server.queue(Reply(200, BODY))
        lookup(**base(server, cache_ttl=60))
        files = files_under(str(ansible_dirs))
        assert len([f for f in files if f.endswith('.json')]) == 2  # run copy and ttl copy
        for path in files:
            assert stat.S_IMODE(os.stat(path).st_mode) == 0o600, path
            with open(path, 'rb') as handle:
                assert TOKEN.encode() not in handle.read(), path

    @pytest.mark.parametrize('content', [b'', b'{"format": 2, "answer": {"us', b'[1, 2]', b'\xff\xfe'])
    def test_corrupt_file_is_ignored_and_rewritten(self, server, content):
        server.queue(Reply(200, BODY))
        lookup(**base(server))
        [entry] = [path for path in files_under(C.DEFAULT_LOCAL_TMP) if path.endswith('.json')]
        with open(entry, 'wb') as handle:
            handle.write(content)
        [result] = lookup(**base(server))
        assert result['usage']['cloud_units_used'] == 800
        assert len(server.received) == 2
        with open(entry) as handle:
            assert json.load(handle)['answer']['usage']['cloud_units_used'] == 800  # stored in snake_case


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


class TestSameEvaluationAgain:
    """An evaluation with the options and terms of an earlier one returns its results from the run cache."""

    def test_results_reused_and_thresholds_still_apply(self, server):
        server.queue(Reply(200, BODY))
        first = lookup(**base(server, thresholds={'cloud_units_used_pct': 50}))
        again = lookup(**base(server, thresholds={'cloud_units_used_pct': 50}))
        other = lookup(**base(server, thresholds={'cloud_units_used_pct': 90}))
        assert again == first
        assert [item['metric'] for item in first[0]['breaches']] == ['cloud_units_used_pct']
        assert other[0]['breaches'] == [] and other[0]['usage'] == first[0]['usage']
        assert len(server.received) == 1  # the other thresholds reused the answer, not the results

    def test_bad_input_is_refused_after_good_input(self, server):
        server.queue(Reply(200, BODY))
        lookup(**base(server))
        lookup(**base(server))
        with pytest.raises(AnsibleLookupError, match='thresholds: unknown key nope'):
            lookup(**base(server, thresholds={'nope': 1}))
        assert len(server.received) == 1

    def test_kept_per_run_and_token_free(self, server, ansible_dirs, monkeypatch, tmp_path):
        server.queue(Reply(200, BODY))
        lookup(**base(server))
        lookup(**base(server))
        results = [path for path in files_under(C.DEFAULT_LOCAL_TMP) if path.endswith('.results.json')]
        assert len(results) == 1
        with open(results[0], 'rb') as handle:
            content = handle.read()
        assert TOKEN.encode() not in content and b'cloud_units_used' in content
        assert stat.S_IMODE(os.stat(results[0]).st_mode) == 0o600
        monkeypatch.setattr(C, 'DEFAULT_LOCAL_TMP', str(tmp_path / 'next_run'))
        lookup(**base(server))
        assert len(server.received) == 2

    def test_cache_none_keeps_nothing(self, server):
        server.queue(Reply(200, BODY))
        for dummy in range(3):
            lookup(**base(server, cache='none'))
        assert len(server.received) == 3
        assert [path for path in files_under(C.DEFAULT_LOCAL_TMP) if path.endswith('.results.json')] == []


SECOND_EVALUATION = '''
import json, sys
from ansible import constants as C
from ansible.plugins.loader import init_plugin_loader, lookup_loader
C.DEFAULT_LOCAL_TMP = sys.argv[3]  # what ansible-playbook's workers inherit: the run's temporary directory
init_plugin_loader()
result = lookup_loader.get('thousandeyes.usage.usage').run([], token=sys.argv[1], api_url=sys.argv[2])
loaded = sorted(name for name in sys.modules if '.thousandeyes.usage.plugins.' in name)
print(json.dumps({'used': result[0]['usage']['cloud_units_used'], 'loaded': loaded}))
'''


def test_a_repeated_evaluation_loads_none_of_the_collection_code(server, ansible_dirs):
    """As in an ansible-playbook worker: a fresh process, the run cache already filled by earlier evaluations."""
    server.queue(Reply(200, BODY))
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p), ANSIBLE_HOME=str(ansible_dirs / 'home'))
    command = [sys.executable, '-c', SECOND_EVALUATION, TOKEN, server.url, str(ansible_dirs / 'local_tmp')]
    runs = [json.loads(subprocess.check_output(command, env=env)) for dummy in range(3)]
    assert [run['used'] for run in runs] == [800] * 3
    assert len(server.received) == 1
    assert 'ansible_collections.thousandeyes.usage.plugins.module_utils._api' in runs[0]['loaded']
    assert [name for name in runs[2]['loaded'] if '.module_utils.' in name or '.plugin_utils.' in name] == []
