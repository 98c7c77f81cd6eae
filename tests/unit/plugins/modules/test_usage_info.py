# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""usage_info main(): argument handling, results, failures (HTTP to a scripted server on 127.0.0.1)."""

from __future__ import annotations

import json
import sys

import pytest

from ansible_collections.thousandeyes.usage.plugins.modules import usage_info
from ansible_collections.thousandeyes.usage.tests.unit.plugins.compat import patch_module_args
from ansible_collections.thousandeyes.usage.tests.unit.plugins.scripted_http import Reply

TOKEN = 'module-secret-token-5a4b3c'
BODY = {'usage': {'quota': {'monthStart': '2026-11-01T00:00:00Z', 'monthEnd': '2026-12-01T00:00:00Z',
                            'cloudUnitsIncluded': 1000, 'endpointAgentsIncluded': 10},
                  'cloudUnitsUsed': 400, 'cloudUnitsProjected': 950, 'endpointAgentsUsed': 10,
                  'tests': [{'testId': '1', 'cloudUnitsUsed': 400}]},
        '_links': {'self': {'href': '/v7/usage'}}}


def run(args, capsys):
    with patch_module_args(args):
        with pytest.raises(SystemExit) as exit_info:
            usage_info.main()
    out = capsys.readouterr().out
    assert TOKEN not in out
    return exit_info.value.code, json.loads(out)


def test_returns_facts(server, capsys):
    server.queue(Reply(200, BODY, headers={'X-Organization-Rate-Limit-Limit': '240'}))
    code, result = run({'token': TOKEN, 'api_url': server.url, 'expand': ['test', 'test'], 'aid': '1234'}, capsys)
    assert code == 0
    assert result['changed'] is False
    assert result['usage']['tests'] == [{'test_id': '1', 'cloud_units_used': 400}]
    assert result['quota_status']['cloud_units']['projected_pct'] == 95.0
    assert result['rate_limit']['limit'] == 240
    assert result['breaches'] == []
    assert server.received[0]['path'] == '/v7/usage?aid=1234&expand=test'


def test_thresholds_fail_with_every_breach_and_compact_facts(server, capsys):
    server.queue(Reply(200, BODY))
    code, result = run({'token': TOKEN, 'api_url': server.url,
                        'thresholds': {'cloud_units_projected_pct': 90, 'endpoint_agents_used_pct': 99,
                                       'cloud_units_used_pct': 50}}, capsys)
    assert code == 1 and result['failed'] is True
    assert result['msg'] == ('Quota thresholds exceeded: cloud_units_projected_pct is 95%, above the threshold of '
                             '90%; endpoint_agents_used_pct is 100%, above the threshold of 99%')
    assert [item['metric'] for item in result['breaches']] == ['cloud_units_projected_pct', 'endpoint_agents_used_pct']
    assert result['quota_status']['cloud_units']['used'] == 400
    assert 'usage' not in result  # quota_status holds its figures: a failed gate prints one screen
    assert result['headroom']['cloud_units'] == 0


def test_token_from_environment_and_hidden(server, capsys, monkeypatch):
    monkeypatch.setenv('TE_TOKEN', TOKEN)
    server.queue(Reply(200, BODY))
    code, result = run({'api_url': server.url}, capsys)
    assert code == 0
    assert server.received[0]['headers']['Authorization'] == 'Bearer ' + TOKEN
    # run() already checked the token is nowhere in the output; ansible-core >= 2.21 omits invocation.
    if 'invocation' in result:
        assert result['invocation']['module_args']['token'] == 'VALUE_SPECIFIED_IN_NO_LOG_PARAMETER'


def test_api_error_is_one_line(server, capsys):
    server.queue(Reply(403, {'title': 'Forbidden', 'status': 403, 'detail': 'Insufficient permissions to query endpoint'}))
    code, result = run({'token': TOKEN, 'api_url': server.url}, capsys)
    assert code == 1
    assert result['msg'] == 'GET /v7/usage failed: HTTP 403 Forbidden: Insufficient permissions to query endpoint'


@pytest.mark.parametrize('body', [{'other': 1}, {'usage': None}, []])
def test_answer_without_usage_object(server, capsys, body):
    server.queue(Reply(200, body))
    code, result = run({'token': TOKEN, 'api_url': server.url}, capsys)
    assert code == 1
    assert result['msg'] == 'GET /v7/usage failed: HTTP 200 but the answer has no "usage" object'


@pytest.mark.parametrize('args,message', [
    ({'expand': ['tests']}, 'expand'),  # ansible-core's message, worded differently by each version
    ({'thresholds': {'cloud_units_pct': 1}}, 'thresholds: unknown key cloud_units_pct; allowed keys: '),
    ({'thresholds': {'cloud_units_used_pct': 1001}}, 'cloud_units_used_pct must be a percentage between 0 and 1000'),
    ({'api_url': 'http://api.example.com/v7'}, 'refusing to send the token unencrypted'),
    ({'token': 'two words'}, 'token must be a single word'),
])
def test_bad_input_fails_before_any_request(server, capsys, args, message):
    full = {'token': TOKEN, 'api_url': server.url}
    full.update(args)
    server.queue(Reply(200, BODY))
    code, result = run(full, capsys)
    assert code == 1 and message in result['msg']
    assert server.received == []


def test_missing_requests_gives_the_standard_message(capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, 'requests', None)  # import requests now raises ImportError
    code, result = run({'token': TOKEN}, capsys)
    assert code == 1
    assert result['msg'].startswith('Failed to import the required Python library (requests)')
