# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The run-wide cache as the usage_info action plugin uses it: hosts of a task, tasks, retries and the lookup."""

from __future__ import annotations

import pytest

from ansible import constants as C
from ansible.errors import AnsibleLookupError
from ansible.parsing.dataloader import DataLoader
from ansible.plugins.loader import lookup_loader
from ansible.template import Templar

from ansible_collections.thousandeyes.usage.tests.unit.plugins.scripted_http import Reply

TOKEN = 'cache-secret-token-1f2e3d'
BODY = {'usage': {'quota': {'monthStart': '2025-01-01T00:00:00Z', 'monthEnd': '2025-01-31T00:00:00Z',
                            'cloudUnitsIncluded': 1000},
                  'cloudUnitsUsed': 800, 'cloudUnitsProjected': 950}}
UNAUTHORIZED = {'error': 'invalid_token', 'error_description': 'Invalid access token'}
UNAUTHORIZED_MSG = 'GET /v7/usage failed: HTTP 401 Unauthorized: Invalid access token (invalid_token)'
NO_RATE_LIMIT = {'limit': None, 'remaining': None, 'reset': None}
# What a failed request returns: the message and what it got, the same from the API or from the run cache.
UNAUTHORIZED_RESULT = {'failed': True, 'msg': UNAUTHORIZED_MSG, 'status': 401, 'api_error': UNAUTHORIZED,
                       'rate_limit': NO_RATE_LIMIT}


def args(server, **kwargs):
    return dict({'token': TOKEN, 'api_url': server.url}, **kwargs)


def lookup(**kwargs):
    templar = Templar(loader=DataLoader())
    plugin = lookup_loader.get('thousandeyes.usage.usage', loader=templar._loader, templar=templar)
    return plugin.run([], variables={}, **kwargs)


def test_two_hosts_of_a_task_make_one_request(server, task, action, run_on):
    server.queue(Reply(200, BODY))
    play_task = task(args(server))
    # The task executor of each host gets its own copy of the task (same uuid) and its own handler.
    first = run_on(action('usage_info', play_task.copy()), 'web1')
    second = run_on(action('usage_info', play_task.copy()), 'web2')
    assert first == second
    assert first['usage']['cloud_units_used'] == 800
    assert len(server.received) == 1


def test_later_tasks_reuse_the_answer(server, run_action):
    server.queue(Reply(200, BODY))
    first = run_action('usage_info', args(server))
    second = run_action('usage_info', args(server, thresholds={'cloud_units_used_pct': 90}))
    assert first == second
    assert len(server.received) == 1


def test_keys_differ_by_expand_aid_token_and_api_url(server, other_server, run_action):
    server.queue(Reply(200, BODY))
    other_server.queue(Reply(200, BODY))
    run_action('usage_info', args(server))
    run_action('usage_info', args(server, expand=['test']))
    run_action('usage_info', args(server, aid='5'))
    run_action('usage_info', args(server, token='another-token'))
    run_action('usage_info', args(other_server))
    run_action('usage_info', args(server, expand=['test']))
    assert [r['path'] for r in server.received] == ['/v7/usage', '/v7/usage?expand=test', '/v7/usage?aid=5',
                                                    '/v7/usage']
    assert len(other_server.received) == 1


def test_lookup_after_the_action_reuses_its_answer(server, run_action):
    server.queue(Reply(200, BODY))
    from_action = run_action('usage_info', args(server))
    [from_lookup] = lookup(token=TOKEN, api_url=server.url)
    assert len(server.received) == 1
    for key in from_lookup:
        assert from_lookup[key] == from_action[key], key


def test_action_after_the_lookup_reuses_its_answer(server, run_action):
    server.queue(Reply(200, BODY))
    lookup(token=TOKEN, api_url=server.url)
    run_action('usage_info', args(server))
    assert len(server.received) == 1


def test_cache_none_asks_every_time(server, run_action):
    server.queue(Reply(200, BODY))
    run_action('usage_info', args(server, cache='none'))
    run_action('usage_info', args(server, cache='none'))
    assert len(server.received) == 2


def test_new_run_asks_again_without_ttl(server, run_action, monkeypatch, tmp_path):
    server.queue(Reply(200, BODY))
    run_action('usage_info', args(server))
    monkeypatch.setattr(C, 'DEFAULT_LOCAL_TMP', str(tmp_path / 'next_run'))
    run_action('usage_info', args(server))
    assert len(server.received) == 2


def test_ttl_reuses_across_runs(server, run_action, monkeypatch, tmp_path):
    server.queue(Reply(200, BODY))
    run_action('usage_info', args(server, cache_ttl=300))
    monkeypatch.setattr(C, 'DEFAULT_LOCAL_TMP', str(tmp_path / 'next_run'))
    result = run_action('usage_info', args(server, cache_ttl=300))
    assert result['usage']['cloud_units_used'] == 800
    assert len(server.received) == 1


def test_cache_files_hold_no_token(server, run_action, ansible_dirs):
    server.queue(Reply(200, BODY))
    run_action('usage_info', args(server, cache_ttl=60))
    paths = [path for path in ansible_dirs.rglob('*') if path.is_file()]
    assert len([path for path in paths if path.suffix == '.json']) == 2  # run copy and ttl copy
    for path in paths:
        assert TOKEN.encode() not in path.read_bytes(), path


class TestErrors:
    def test_shared_by_the_hosts_of_a_task(self, server, task, action, run_on):
        server.queue(Reply(401, UNAUTHORIZED), Reply(200, BODY))
        play_task = task(args(server))
        results = [run_on(action('usage_info', play_task.copy()), host) for host in ('web1', 'web2', 'web3')]
        assert results == [UNAUTHORIZED_RESULT] * 3
        assert len(server.received) == 1

    def test_another_task_asks_again(self, server, run_action):
        server.queue(Reply(401, UNAUTHORIZED), Reply(200, BODY))
        first = run_action('usage_info', args(server))
        second = run_action('usage_info', args(server))  # another Task: another uuid
        assert first == UNAUTHORIZED_RESULT
        assert second['usage']['cloud_units_used'] == 800
        assert len(server.received) == 2

    def test_a_retry_asks_again(self, server, task, action, run_on):
        """until/retries: the task executor runs the same handler again; a cached error must not end the loop."""
        server.queue(Reply(401, UNAUTHORIZED), Reply(401, UNAUTHORIZED), Reply(200, BODY))
        handler = action('usage_info', task(args(server), retries=3, until='result is success'))
        attempts = [run_on(handler, 'web1') for dummy in range(3)]
        assert [result.get('failed', False) for result in attempts] == [True, True, False]
        assert attempts[2]['usage']['cloud_units_used'] == 800
        assert len(server.received) == 3

    def test_a_retry_error_is_shared_with_later_hosts(self, server, task, action, run_on):
        server.queue(Reply(401, UNAUTHORIZED), Reply(500, {'title': 'Internal Server Error', 'status': 500}),
                     Reply(200, BODY))
        play_task = task(args(server, max_retries=0))
        handler = action('usage_info', play_task.copy())
        run_on(handler, 'web1')
        retried = run_on(handler, 'web1')
        other_host = run_on(action('usage_info', play_task.copy()), 'web2')
        assert retried == other_host == {'failed': True, 'msg': 'GET /v7/usage failed: HTTP 500 Internal Server Error',
                                         'status': 500, 'rate_limit': NO_RATE_LIMIT,
                                         'api_error': {'title': 'Internal Server Error', 'status': 500}}
        assert len(server.received) == 2

    def test_errors_are_not_kept_across_runs(self, server, run_action, monkeypatch, tmp_path):
        server.queue(Reply(401, UNAUTHORIZED), Reply(200, BODY))
        run_action('usage_info', args(server, cache_ttl=300))
        monkeypatch.setattr(C, 'DEFAULT_LOCAL_TMP', str(tmp_path / 'next_run'))
        result = run_action('usage_info', args(server, cache_ttl=300))
        assert 'failed' not in result
        assert len(server.received) == 2

    def test_no_token_in_a_shared_error(self, server, task, action, run_on):
        server.queue(Reply(403, {'title': 'Forbidden', 'status': 403, 'detail': 'token %s refused' % TOKEN}))
        play_task = task(args(server))
        results = [run_on(action('usage_info', play_task.copy()), host) for host in ('web1', 'web2')]
        assert results == [{'failed': True, 'msg': 'GET /v7/usage failed: HTTP 403 Forbidden: token ******** refused',
                            'status': 403, 'rate_limit': NO_RATE_LIMIT,
                            'api_error': {'title': 'Forbidden', 'status': 403, 'detail': 'token ******** refused'}}] * 2
        assert len(server.received) == 1

    def test_no_token_in_the_cache_file_of_an_error(self, server, run_action, ansible_dirs):
        server.queue(Reply(403, {'title': 'Forbidden', 'status': 403, 'detail': 'token %s refused' % TOKEN}))
        run_action('usage_info', args(server))
        files = [path for path in ansible_dirs.rglob('*.json') if path.is_file()]
        assert len(files) == 1
        assert TOKEN.encode() not in files[0].read_bytes()


class TestReviewedEdges:
    def test_hosts_at_the_same_retry_share_one_request(self, server, task, action, run_on):
        """until/retries over many hosts: each round asks the API once, not once per host."""
        server.queue(Reply(503, {'title': 'Service Unavailable', 'status': 503}))
        play_task = task(args(server, max_retries=0))
        hosts = ['web%d' % number for number in range(5)]
        handlers = dict((host, action('usage_info', play_task.copy())) for host in hosts)
        for dummy in range(2):  # the first attempt, then one retry, on every host
            results = [run_on(handlers[host], host) for host in hosts]
            assert all(result['failed'] for result in results)
        assert len(server.received) == 2

    def test_an_answer_from_cache_ttl_is_not_served_to_callers_without_it(self, server, run_action, monkeypatch,
                                                                          tmp_path):
        server.queue(Reply(200, BODY))
        run_action('usage_info', args(server, cache_ttl=300))
        monkeypatch.setattr(C, 'DEFAULT_LOCAL_TMP', str(tmp_path / 'next_run'))
        run_action('usage_info', args(server, cache_ttl=300))  # from the previous run, as asked
        assert len(server.received) == 1
        run_action('usage_info', args(server))  # no cache_ttl: nothing older than this run
        assert len(server.received) == 2

    def test_an_error_is_not_shared_with_other_transport_options(self, server):
        server.queue(Reply(502, raw=b'<html>Bad gateway</html>'), Reply(200, BODY))
        with pytest.raises(AnsibleLookupError, match='HTTP 502'):
            lookup(token=TOKEN, api_url=server.url, max_retries=0)
        [result] = lookup(token=TOKEN, api_url=server.url, max_retries=0, timeout=5)
        assert result['usage']['cloud_units_used'] == 800
        assert len(server.received) == 2

    def test_the_lookup_never_shows_an_echoed_token_even_without_the_cache(self, server):
        server.queue(Reply(403, {'title': 'Forbidden', 'status': 403, 'detail': 'Bearer %s refused' % TOKEN}))
        with pytest.raises(AnsibleLookupError) as err:
            lookup(token=TOKEN, api_url=server.url, cache='none')
        assert str(err.value) == 'GET /v7/usage failed: HTTP 403 Forbidden: Bearer ******** refused'

    def test_a_read_only_ansible_home_keeps_the_run_cache(self, server, run_action, monkeypatch, tmp_path):
        blocker = tmp_path / 'not-a-directory'  # even root cannot make ANSIBLE_HOME under a file
        blocker.write_text('')
        monkeypatch.setattr(C, 'ANSIBLE_HOME', str(blocker / 'ansible'))
        server.queue(Reply(200, BODY))
        run_action('usage_info', args(server))
        run_action('usage_info', args(server))
        [result] = lookup(token=TOKEN, api_url=server.url)
        assert result['usage']['cloud_units_used'] == 800
        assert len(server.received) == 1
