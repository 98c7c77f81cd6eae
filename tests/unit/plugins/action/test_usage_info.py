# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The usage_info action plugin on the controller: the module's result, validation, environment, secrets, errors."""

from __future__ import annotations

import json
import os
import re

import pytest

from ansible_collections.thousandeyes.usage.plugins.modules import usage_info
from ansible_collections.thousandeyes.usage.tests.unit.plugins.compat import trust_as_template
from ansible_collections.thousandeyes.usage.tests.unit.plugins.scripted_http import Reply

TOKEN = 'action-secret-token-9e8f7a'
MODULE = 'thousandeyes.usage.usage_info'
HEADERS = {'X-Organization-Rate-Limit-Limit': '240', 'X-Organization-Rate-Limit-Remaining': '17',
           'X-Organization-Rate-Limit-Reset': '1800000060'}
# A period that has ended, so every computed fact is independent of the moment the test runs.
BODY = {'usage': {'quota': {'monthStart': '2025-01-01T00:00:00Z', 'monthEnd': '2025-01-31T00:00:00Z',
                            'cloudUnitsIncluded': 1000, 'endpointAgentsIncluded': 10},
                  'cloudUnitsUsed': 800, 'cloudUnitsProjected': 950, 'endpointAgentsUsed': 9,
                  'tests': [{'testId': '1', 'testName': 'a', 'cloudUnitsUsed': 800}], 'futureThing': {'someKey': 1}},
        '_links': {'self': {'href': '/v7/usage'}}}
FORBIDDEN = {'title': 'Forbidden', 'status': 403, 'detail': 'Insufficient permissions to query endpoint'}


def base(server, **kwargs):
    kwargs.setdefault('token', TOKEN)
    kwargs.setdefault('api_url', server.url)
    return kwargs


class TestSameAsTheModule:
    def test_facts(self, server, run_action, run_module):
        server.queue(Reply(200, BODY, headers=HEADERS))
        args = base(server, expand=['test'], aid='1234', thresholds={'cloud_units_projected_pct': 99})
        result = run_action('usage_info', args)
        code, from_module = run_module(usage_info, args)
        assert code == 0
        assert result == from_module
        assert sorted(result) == ['breaches', 'changed', 'headroom', 'quota_status', 'rate_limit', 'status', 'usage']
        assert result['status'] == 200
        assert result['changed'] is False and 'failed' not in result
        assert result['usage']['tests'] == [{'test_id': '1', 'test_name': 'a', 'cloud_units_used': 800}]
        assert result['usage']['future_thing'] == {'some_key': 1}
        assert result['quota_status']['cloud_units']['projected_pct'] == 95.0
        assert result['rate_limit'] == {'limit': 240, 'remaining': 17, 'reset': 1800000060}
        assert result['breaches'] == []
        assert TOKEN not in json.dumps(result)
        assert [r['path'] for r in server.received] == ['/v7/usage?aid=1234&expand=test'] * 2
        assert server.received[0]['headers']['Authorization'] == 'Bearer ' + TOKEN

    def test_breaches_fail_and_keep_the_facts(self, server, run_action, run_module):
        server.queue(Reply(200, BODY))
        args = base(server, thresholds={'cloud_units_projected_pct': 90, 'endpoint_agents_used_pct': 80})
        result = run_action('usage_info', args)
        code, from_module = run_module(usage_info, args)
        assert code == 1
        assert result == from_module
        assert result['failed'] is True and result['changed'] is False
        assert result['msg'] == ('Quota thresholds exceeded: cloud_units_projected_pct is 95%, above the threshold of '
                                 '90%; endpoint_agents_used_pct is 90%, above the threshold of 80%')
        assert result['quota_status']['cloud_units']['used'] == 800

    def test_check_mode_still_reads(self, server, run_action):
        server.queue(Reply(200, BODY))
        result = run_action('usage_info', base(server), check_mode=True)
        assert result['changed'] is False
        assert result['usage']['cloud_units_used'] == 800
        assert len(server.received) == 1


# (the bad options, the option the message must name). Messages of ansible-core's argument spec (types, choices,
# required and unsupported options) differ between core versions: only the option's name is asserted for those.
@pytest.mark.parametrize('args,option', [
    ({'token': None}, 'token'),
    ({'expand': ['tests']}, 'expand'),
    ({'cache': 'forever'}, 'cache'),
    ({'bogus': 1}, 'bogus'),
    ({'thresholds': {'cloud_units_pct': 1}}, 'thresholds'),
    ({'thresholds': {'cloud_units_used_pct': 1001}}, 'thresholds.cloud_units_used_pct'),
    ({'cache_ttl': -5}, 'cache_timeout'),
    ({'cache_timeout': 'a day'}, 'cache_timeout'),
    ({'timeout': 'soon'}, 'timeout'),
    ({'api_url': 'http://api.example.com/v7'}, 'api_url'),
    ({'token': 'two words'}, 'token'),
])
def test_bad_input_fails_before_any_request_naming_the_option(server, run_action, run_module, args, option):
    full = base(server, **args)
    if full['token'] is None:
        del full['token']
    server.queue(Reply(200, BODY))
    result = run_action('usage_info', full)
    assert result['failed'] is True
    assert re.search(r'\b%s\b' % re.escape(option), result['msg']), result['msg']
    assert '\n' not in result['msg']
    code, from_module = run_module(usage_info, dict(full, _ansible_module_name=MODULE))
    assert code == 1 and re.search(r'\b%s\b' % re.escape(option), from_module['msg']), from_module['msg']
    assert server.received == []


@pytest.mark.parametrize('args,message', [
    ({'thresholds': {'cloud_units_pct': 1}}, 'thresholds: unknown key cloud_units_pct; allowed keys: '),
    ({'thresholds': {'cloud_units_used_pct': 1001}},
     'thresholds.cloud_units_used_pct must be a percentage between 0 and 1000, got 1001'),
    ({'cache_ttl': -5}, 'cache_timeout must be 0 or more (seconds), got -5'),
    ({'api_url': 'http://api.example.com/v7'}, 'api_url uses plain http:// to api.example.com: refusing to send the '
                                               'token unencrypted'),
    ({'token': 'two words'}, 'token must be a single word'),
])
def test_the_collection_rules_give_the_module_message(server, run_action, run_module, args, message):
    server.queue(Reply(200, BODY))
    result = run_action('usage_info', base(server, **args))
    code, from_module = run_module(usage_info, base(server, **args))
    assert result['msg'].startswith(message), result['msg']
    assert code == 1 and from_module['msg'] == result['msg']
    assert server.received == []


class TestEnvironment:
    def test_token_from_the_task_environment(self, server, run_action):
        server.queue(Reply(200, BODY))
        environment = {'THOUSANDEYES_TOKEN': TOKEN, 'THOUSANDEYES_API_URL': server.url, 'TE_AID': '77'}
        result = run_action('usage_info', {}, environment=[environment])
        assert result['usage']['cloud_units_used'] == 800
        assert server.received[0]['headers']['Authorization'] == 'Bearer ' + TOKEN
        assert server.received[0]['path'] == '/v7/usage?aid=77'
        for name in ('THOUSANDEYES_TOKEN', 'THOUSANDEYES_API_URL', 'TE_AID'):
            assert name not in os.environ, name
        assert TOKEN not in json.dumps(result)

    def test_environment_is_templated(self, server, run_action):
        """As written in a playbook: ``environment: {THOUSANDEYES_TOKEN: '{{ vault_token }}'}``."""
        server.queue(Reply(200, BODY))
        run_action('usage_info', {'api_url': server.url}, variables={'vault_token': TOKEN},
                   environment=[{'THOUSANDEYES_TOKEN': trust_as_template('{{ vault_token }}')}])
        assert server.received[0]['headers']['Authorization'] == 'Bearer ' + TOKEN

    def test_later_environments_win(self, server, run_action):
        """A play's environment, then the block's, then the task's: the last one wins."""
        server.queue(Reply(200, BODY))
        run_action('usage_info', {'api_url': server.url}, environment=[
            {'THOUSANDEYES_TOKEN': 'play-token', 'THOUSANDEYES_AID': '1'}, {'THOUSANDEYES_TOKEN': TOKEN}])
        assert server.received[0]['headers']['Authorization'] == 'Bearer ' + TOKEN
        assert server.received[0]['path'] == '/v7/usage?aid=1'

    def test_task_environment_wins_over_the_controller_and_is_undone(self, server, run_action, monkeypatch):
        monkeypatch.setenv('THOUSANDEYES_TOKEN', 'controller-token')
        monkeypatch.setenv('THOUSANDEYES_AID', '11')
        server.queue(Reply(200, BODY))
        run_action('usage_info', {'api_url': server.url}, environment=[{'THOUSANDEYES_AID': '22'}])
        run_action('usage_info', {'api_url': server.url, 'cache': 'none'})
        assert [r['path'] for r in server.received] == ['/v7/usage?aid=22', '/v7/usage?aid=11']
        assert [r['headers']['Authorization'] for r in server.received] == ['Bearer controller-token'] * 2
        assert os.environ['THOUSANDEYES_AID'] == '11' and os.environ['THOUSANDEYES_TOKEN'] == 'controller-token'

    def test_option_wins_over_the_environment(self, server, run_action):
        server.queue(Reply(200, BODY))
        run_action('usage_info', base(server), environment=[{'THOUSANDEYES_TOKEN': 'environment-token'}])
        assert server.received[0]['headers']['Authorization'] == 'Bearer ' + TOKEN

    def test_environment_undone_after_a_failure(self, server, run_action):
        server.queue(Reply(403, FORBIDDEN))
        before = dict(os.environ)
        result = run_action('usage_info', {'api_url': server.url},
                            environment=[{'THOUSANDEYES_TOKEN': TOKEN, 'HTTPS_PROXY': 'http://proxy.invalid:3128'}])
        assert result['failed'] is True
        assert dict(os.environ) == before


class TestSecrets:
    def test_token_echoed_in_an_error_is_masked(self, server, run_action):
        server.queue(Reply(403, {'title': 'Forbidden', 'status': 403, 'detail': 'token %s may not read usage' % TOKEN}))
        result = run_action('usage_info', base(server))
        assert result == {'failed': True,
                          'msg': 'GET /v7/usage failed: HTTP 403 Forbidden: token ******** may not read usage',
                          'status': 403, 'rate_limit': {'limit': None, 'remaining': None, 'reset': None},
                          'api_error': {'title': 'Forbidden', 'status': 403, 'detail': 'token ******** may not read usage'}}

    def test_token_from_the_environment_is_masked_too(self, server, run_action):
        server.queue(Reply(403, {'title': 'Forbidden', 'status': 403, 'detail': 'token %s may not read usage' % TOKEN}))
        result = run_action('usage_info', {'api_url': server.url}, environment=[{'TE_TOKEN': TOKEN}])
        assert result['failed'] is True
        assert TOKEN not in json.dumps(result)
        assert '********' in result['msg']

    def test_token_in_an_answer_is_masked(self, server, run_action):
        body = json.loads(json.dumps(BODY))
        body['usage']['tests'][0]['testName'] = 'check ' + TOKEN
        server.queue(Reply(200, body))
        result = run_action('usage_info', base(server))
        assert result['usage']['tests'][0]['test_name'] == 'check ********'
        assert TOKEN not in json.dumps(result)


class TestApiFailure:
    def test_forbidden_is_one_line(self, server, run_action, run_module):
        server.queue(Reply(403, FORBIDDEN))
        result = run_action('usage_info', base(server))
        assert result == {'failed': True,
                          'msg': 'GET /v7/usage failed: HTTP 403 Forbidden: Insufficient permissions to query endpoint',
                          'status': 403, 'api_error': FORBIDDEN, 'rate_limit': {'limit': None, 'remaining': None, 'reset': None}}
        code, from_module = run_module(usage_info, base(server))
        assert code == 1 and from_module == result

    def test_unreachable_api(self, run_action):
        result = run_action('usage_info', {'token': TOKEN, 'api_url': 'http://127.0.0.1:9/v7', 'timeout': 2,
                                           'max_retries': 0})
        assert result['failed'] is True
        assert result['msg'].startswith('GET /v7/usage failed: cannot connect to 127.0.0.1:9')
        assert result['status'] is None and result['api_error'] is None  # no answer came

    def test_answer_without_usage(self, server, run_action):
        server.queue(Reply(200, {'other': 1}))
        result = run_action('usage_info', base(server))
        assert result == {'failed': True, 'msg': 'GET /v7/usage failed: HTTP 200 but the answer has no "usage" object',
                          'status': 200, 'api_error': None, 'rate_limit': None}


def test_alias_and_option_both_set_warns(server, run_action, shown):
    """As AnsibleModule warns (in the result or through Display)."""
    server.queue(Reply(200, BODY))
    result = run_action('usage_info', base(server, aid='5', account_group_id='5'))
    warnings = result.get('warnings', []) + shown['warning']
    assert [w for w in warnings if 'aid' in w and 'account_group_id' in w] != [], warnings
    assert result['usage']['cloud_units_used'] == 800
