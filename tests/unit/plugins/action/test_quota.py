# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The quota and quotas_info action plugins on the controller: check mode, diff, requests, failures."""

from __future__ import annotations

import json
import os

import pytest

from ansible import constants as C

from ansible_collections.thousandeyes.usage.plugins.modules import quota, quotas_info
from ansible_collections.thousandeyes.usage.tests.unit.plugins.scripted_http import Reply

TOKEN = 'quota-secret-token-4c5d6e'
EXAMPLE = os.path.join(os.path.dirname(__file__), '..', '..', 'fixtures', 'get_quotas_200.json')
HEADERS = {'X-Organization-Rate-Limit-Limit': '240', 'X-Organization-Rate-Limit-Remaining': '200',
           'X-Organization-Rate-Limit-Reset': '1800000060'}
# Organization 10 (22500) with account groups 1234 (12000) and 12345 (10000), as in the API's own example.
with open(EXAMPLE) as handle:
    QUOTAS = json.load(handle)
ORGANIZATIONS = [{'org_id': '10', 'quota': 22500,
                  'account_groups': [{'aid': '1234', 'quota': 12000}, {'aid': '12345', 'quota': 10000}]}]
ORG_ASSIGN = {'method': 'POST', 'path': '/v7/quotas/assign', 'body': {'organizations': [{'value': 30000, 'orgId': '10'}]}}
AG_ASSIGN = {'method': 'POST', 'path': '/v7/quotas/account-groups/assign',
             'body': {'organizations': [{'orgId': '10', 'accountGroups': [{'aid': '5678', 'value': 8000}]}]}}
SIM_TOKEN = 'te-sim-token-0123456789abcdef'  # the simulator's token of org 10 with the Edit quotas permission
FORBIDDEN = {'title': 'Forbidden', 'status': 403, 'detail': 'Insufficient permissions to query endpoint'}


def args(server, **kwargs):
    """The task's options; an option given as None is left out, as ``omit`` does."""
    options = dict({'token': TOKEN, 'api_url': server.url,
                    'organization_quotas': [{'value': 30000}],
                    'account_group_quotas': [{'aid': '5678', 'value': 8000}]}, **kwargs)
    return dict((key, value) for key, value in options.items() if value is not None)


def paths(server):
    return [r['path'] for r in server.received]


class TestQuotasInfo:
    def test_same_as_the_module(self, server, run_action, run_module):
        server.queue(Reply(200, QUOTAS, headers=HEADERS))
        options = {'token': TOKEN, 'api_url': server.url}
        result = run_action('quotas_info', options)
        code, from_module = run_module(quotas_info, options)
        assert code == 0
        assert result == from_module
        assert result['changed'] is False
        assert result['organizations'] == ORGANIZATIONS
        assert result['rate_limit'] == {'limit': 240, 'remaining': 200, 'reset': 1800000060}
        assert TOKEN not in json.dumps(result)
        assert paths(server) == ['/v7/quotas'] * 2

    def test_forbidden_names_the_permission(self, server, run_action):
        server.queue(Reply(403, FORBIDDEN))
        result = run_action('quotas_info', {'token': TOKEN, 'api_url': server.url})
        assert result == {'failed': True, 'msg': 'GET /v7/quotas failed: HTTP 403 Forbidden: Insufficient permissions '
                                                 'to query endpoint (reading or changing quotas needs the Edit quotas '
                                                 'permission)',
                          'status': 403, 'api_error': FORBIDDEN, 'rate_limit': {'limit': None, 'remaining': None, 'reset': None}}

    def test_one_request_for_every_host(self, server, task, action, run_on):
        server.queue(Reply(200, QUOTAS))
        play_task = task({'token': TOKEN, 'api_url': server.url})
        first = run_on(action('quotas_info', play_task.copy()), 'web1')
        second = run_on(action('quotas_info', play_task.copy()), 'web2')
        assert first == second and first['organizations'] == ORGANIZATIONS
        assert len(server.received) == 1


class TestQuota:
    def test_change_same_as_the_module(self, sim, run_action, run_module):
        """Org 10 has 22500 and account group 1234 12000 in the simulator; 5678 has no quota yet."""
        options = {'token': SIM_TOKEN, 'api_url': sim.url, 'organization_quotas': [{'value': 30000}],
                   'account_group_quotas': [{'aid': '5678', 'value': 8000}]}
        result = run_action('quota', options)
        after = sim.quotas['10']
        requests = [(r['method'], r['path']) for r in sim.requests]
        sim.reset()
        code, from_module = run_module(quota, options)
        assert code == 0
        for item in (result, from_module):
            item['rate_limit'].pop('reset')  # seconds until the simulator's window empties: moves with the clock
        assert result == from_module
        assert result['changed'] is True
        assert result['requests'] == [ORG_ASSIGN, AG_ASSIGN]
        assert result['organizations'] == [{'org_id': '10', 'quota': 30000, 'account_groups': [
            {'aid': '1234', 'quota': 12000}, {'aid': '5678', 'quota': 8000}]}]
        assert 'diff' not in result
        assert TOKEN not in json.dumps(result)
        assert after == {'value': 30000, 'accountGroups': {'1234': 12000, '5678': 8000}}
        assert requests == [('GET', '/v7/quotas'), ('POST', '/v7/quotas/assign'),
                            ('POST', '/v7/quotas/account-groups/assign'), ('GET', '/v7/quotas')]

    def test_failed_post_lists_what_was_sent(self, sim, run_action):
        """The organization quota is set, then the account group is refused: the result lists the POST that went."""
        options = {'token': SIM_TOKEN, 'api_url': sim.url, 'organization_quotas': [{'value': 30000}],
                   'account_group_quotas': [{'aid': '9999', 'value': 8000}]}
        result = run_action('quota', options, diff=True)
        assert sorted(result) == ['api_error', 'failed', 'msg', 'rate_limit', 'requests', 'status']
        assert result['status'] == 400 and result['api_error']['status'] == 400
        assert result['failed'] is True
        assert result['msg'].startswith('POST /v7/quotas/account-groups/assign failed: HTTP 400 ')
        assert 'organizations[0].accountGroups[0].aid' in result['msg']
        assert result['requests'] == [ORG_ASSIGN]
        assert [(r['method'], r['path']) for r in sim.requests] == [
            ('GET', '/v7/quotas'), ('POST', '/v7/quotas/assign'), ('POST', '/v7/quotas/account-groups/assign')]
        assert sim.quotas['10']['value'] == 30000

    def test_check_mode_sends_no_post(self, server, run_action):
        server.queue(Reply(200, QUOTAS))
        result = run_action('quota', args(server), check_mode=True)
        assert paths(server) == ['/v7/quotas']
        assert result['changed'] is True
        assert result['requests'] == [ORG_ASSIGN, AG_ASSIGN]
        assert result['organizations'] == [{'org_id': '10', 'quota': 30000, 'account_groups': [
            {'aid': '1234', 'quota': 12000}, {'aid': '12345', 'quota': 10000}, {'aid': '5678', 'quota': 8000}]}]

    def test_check_mode_same_as_the_module(self, server, run_action, run_module):
        server.queue(Reply(200, QUOTAS))
        result = run_action('quota', args(server), check_mode=True, diff=True)
        code, from_module = run_module(quota, args(server, _ansible_check_mode=True, _ansible_diff=True))
        assert code == 0
        assert result == from_module
        assert paths(server) == ['/v7/quotas'] * 2

    def test_nothing_to_change(self, server, run_action):
        server.queue(Reply(200, QUOTAS))
        result = run_action('quota', args(server, organization_quotas=[{'org_id': '10', 'value': 22500}],
                                          account_group_quotas=None))
        assert result['changed'] is False
        assert result['requests'] == []
        assert result['organizations'] == ORGANIZATIONS
        assert paths(server) == ['/v7/quotas']

    @pytest.mark.parametrize('diff', [True, False])
    def test_diff_only_when_asked(self, server, run_action, diff):
        server.queue(Reply(200, QUOTAS))
        result = run_action('quota', args(server), check_mode=True, diff=diff)
        if not diff:
            assert 'diff' not in result
            return
        assert result['diff'] == {
            'before': {'10': {'quota': 22500, 'account_groups': {'1234': 12000, '12345': 10000}}},
            'after': {'10': {'quota': 30000, 'account_groups': {'1234': 12000, '12345': 10000, '5678': 8000}}},
        }

    def test_first_post_failing_lists_none(self, server, run_action):
        bad_request = {'title': 'Bad Request', 'status': 400, 'errors': [{'field': 'value', 'message': 'too large'}]}
        server.queue(Reply(200, QUOTAS), Reply(400, bad_request))
        result = run_action('quota', args(server))
        assert result == {'failed': True, 'requests': [],
                          'msg': 'POST /v7/quotas/assign failed: HTTP 400 Bad Request: value: too large',
                          'status': 400, 'api_error': bad_request, 'rate_limit': {'limit': None, 'remaining': None, 'reset': None}}

    def test_absent_unassigns_groups_before_organizations(self, server, run_action):
        server.queue(Reply(200, QUOTAS))
        result = run_action('quota', args(server, state='absent', organization_quotas=[{'org_id': '10'}],
                                          account_group_quotas=[{'aid': '1234'}]), check_mode=True)
        assert result['changed'] is True
        assert result['requests'] == [
            {'method': 'POST', 'path': '/v7/quotas/account-groups/unassign',
             'body': {'organizations': [{'orgId': '10', 'accountGroups': ['1234']}]}},
            {'method': 'POST', 'path': '/v7/quotas/unassign', 'body': {'organizations': ['10']}},
        ]

    @pytest.mark.parametrize('options,message', [
        ({'organization_quotas': None, 'account_group_quotas': None}, 'organization_quotas, account_group_quotas'),
        ({'state': 'gone'}, 'state'),
        ({'organization_quotas': [{'value': -1}]}, 'organization_quotas[0]: value must be a whole number of 0 or more'),
        ({'organization_quotas': [{'org_id': '10'}]}, 'organization_quotas[0]: value is required with state=present'),
        ({'account_group_quotas': [{'value': 1}]}, 'account_group_quotas[0]: aid or account_group is required'),
        ({'bogus': 'none'}, 'bogus'),
    ])
    def test_bad_input_fails_before_any_request(self, server, run_action, options, message):
        """The collection's own rules with their message; ansible-core's (required, choices, unsupported options)
        naming the options."""
        server.queue(Reply(200, QUOTAS))
        result = run_action('quota', args(server, **options))
        assert result['failed'] is True
        assert message in result['msg']
        assert server.received == []


class TestQuotasAfterAChange:
    """quota reads the current quotas through the cache and forgets them after changing them: a quotas_info after it
    reads the new state."""

    def test_quotas_info_after_quota_reads_the_new_state(self, sim, run_action):
        options = {'token': SIM_TOKEN, 'api_url': sim.url}
        before = run_action('quotas_info', options)
        changed = run_action('quota', dict(options, organization_quotas=[{'value': 30000}]))
        after = run_action('quotas_info', options)
        assert before['organizations'][0]['quota'] == 22500
        assert changed['changed'] is True and changed['organizations'][0]['quota'] == 30000
        assert after['organizations'] == changed['organizations']
        # quota's first read came from the cache; it read again after its change, and quotas_info reused that.
        assert [(r['method'], r['path']) for r in sim.requests] == [
            ('GET', '/v7/quotas'), ('POST', '/v7/quotas/assign'), ('GET', '/v7/quotas')]

    def test_check_mode_keeps_the_cached_state(self, sim, run_action):
        options = {'token': SIM_TOKEN, 'api_url': sim.url}
        run_action('quotas_info', options)
        run_action('quota', dict(options, organization_quotas=[{'value': 30000}]), check_mode=True)
        after = run_action('quotas_info', options)
        assert after['organizations'][0]['quota'] == 22500
        assert [(r['method'], r['path']) for r in sim.requests] == [('GET', '/v7/quotas')]

    def test_a_failed_change_is_forgotten_by_later_runs_too(self, sim, run_action, monkeypatch, tmp_path):
        """The organization quota is set, then the account group is refused: with cache_timeout, the answer kept
        across runs is dropped as well, so the next run reads the state the first POST left."""
        options = {'token': SIM_TOKEN, 'api_url': sim.url, 'cache_timeout': 300}
        run_action('quotas_info', options)
        failed = run_action('quota', dict(options, organization_quotas=[{'value': 30000}],
                                          account_group_quotas=[{'aid': '9999', 'value': 8000}]))
        monkeypatch.setattr(C, 'DEFAULT_LOCAL_TMP', str(tmp_path / 'next_run'))
        after = run_action('quotas_info', options)
        assert failed['failed'] is True and failed['requests'] == [ORG_ASSIGN]
        assert after['organizations'][0]['quota'] == 30000
        assert [(r['method'], r['path']) for r in sim.requests] == [
            ('GET', '/v7/quotas'), ('POST', '/v7/quotas/assign'), ('POST', '/v7/quotas/account-groups/assign'),
            ('GET', '/v7/quotas')]
