# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The units_info action plugin on the controller: the module's result, pagination warnings, input checks."""

from __future__ import annotations

import json
import os

import pytest

from ansible_collections.thousandeyes.usage.plugins.modules import units_info
from ansible_collections.thousandeyes.usage.tests.unit.plugins.scripted_http import Reply

TOKEN = 'units-secret-token-7a8b9c'
FIXTURES = os.path.join(os.path.dirname(__file__), '..', '..', 'fixtures')


def fixture(name):
    with open(os.path.join(FIXTURES, name)) as handle:
        return json.load(handle)


TESTS = fixture('get_tests_units_usage_200.json')  # two tests of account group 1234; its next link has no cursor
AGENTS = fixture('get_enterprise_agents_units_usage_200.json')


def page(rows, cursor=None):
    body = {'breakdowns': rows, '_links': {'self': {'href': '/v7/usage/units/tests'}}}
    if cursor:
        body['_links']['next'] = {'href': 'https://api.thousandeyes.com/v7/usage/units/tests?cursor=%s' % cursor}
    return body


def args(server, **kwargs):
    return dict({'token': TOKEN, 'api_url': server.url}, **kwargs)


def test_same_as_the_module(server, run_action, run_module):
    server.queue(Reply(200, TESTS, headers={'X-Organization-Rate-Limit-Remaining': '99'}))
    options = args(server, start_date='2026-11-01', end_date='2026-11-15T12:00:00+02:00', top=1)
    result = run_action('units_info', options)
    code, from_module = run_module(units_info, options)
    assert code == 0
    assert result.pop('warnings', []) == []  # see test_no_empty_warnings
    assert result == from_module
    assert result['changed'] is False
    assert result['totals']['tests']['count'] == 2
    assert result['totals']['tests']['cloud_units_used'] == 22000
    assert [row['test_id'] for row in result['top_consumers']['tests']] == ['1221']
    assert result['rate_limit']['remaining'] == 99
    assert TOKEN not in json.dumps(result)
    assert [r['path'] for r in server.received] == [
        '/v7/usage/units/tests?startDate=2026-11-01T00%3A00%3A00Z&endDate=2026-11-15T10%3A00%3A00Z'] * 2


def test_no_empty_warnings(server, run_action):
    server.queue(Reply(200, TESTS))
    assert 'warnings' not in run_action('units_info', args(server))


def test_both_resources(server, run_action):
    server.queue(Reply(200, TESTS), Reply(200, AGENTS))
    result = run_action('units_info', args(server, resource='all'))
    assert sorted(result['breakdowns']) == ['enterprise_agents', 'tests']
    assert result['pages'] == {'tests': 1, 'enterprise_agents': 1}
    assert [r['path'] for r in server.received] == ['/v7/usage/units/tests', '/v7/usage/units/enterprise-agents']


def test_pagination_warning_comes_back_in_warnings(server, run_action):
    server.queue(Reply(200, page([{'testId': '1', 'cloudUnitsUsed': 5}], 'c1')),
                 Reply(200, page([{'testId': '2', 'cloudUnitsUsed': 7}], 'c1')))
    result = run_action('units_info', args(server))
    assert result['warnings'] == ['GET /v7/usage/units/tests: the API repeated a pagination cursor after 2 pages; '
                                  'stopped there']
    assert result['totals']['tests']['cloud_units_used'] == 12
    assert 'failed' not in result


def test_validation_and_module_warnings_together(server, run_action, shown):
    server.queue(Reply(200, page([], 'c1')), Reply(200, page([], 'c1')))
    result = run_action('units_info', args(server, aid='1234', account_group_id='1234'))
    warnings = result.get('warnings', []) + shown['warning']
    assert [w for w in warnings if 'aid' in w and 'account_group_id' in w] != [], warnings
    assert 'GET /v7/usage/units/tests: the API repeated a pagination cursor after 2 pages; stopped there' in warnings


def test_too_many_pages(server, run_action):
    server.queue(Reply(200, page([], 'c1')), Reply(200, page([], 'c2')), Reply(200, page([], 'c3')))
    result = run_action('units_info', args(server, max_pages=2))
    assert result == {'failed': True, 'msg': 'GET /v7/usage/units/tests failed: more than max_pages (2) pages; raise '
                                             'max_pages or narrow the query',
                      'status': None, 'api_error': None, 'rate_limit': None}


@pytest.mark.parametrize('options,message', [
    ({'resource': 'agents'}, 'resource'),
    ({'resource': 'enterprise_agents', 'aid': '1234'}, 'aid applies only to resource=tests'),
    ({'start_date': '2026-11-01T08:00:00'}, 'start_date must be a date (YYYY-MM-DD) or an ISO 8601 date-time'),
    ({'start_date': '2026-11-02', 'end_date': '2026-11-01'}, 'end_date (2026-11-01T00:00:00Z) is before start_date'),
    ({'top': -1}, 'top must be 0 or more, got -1'),
    ({'max_pages': 0}, 'max_pages must be at least 1, got 0'),
    ({'bogus': 'run'}, 'bogus'),
])
def test_bad_input_fails_before_any_request(server, run_action, options, message):
    """The collection's own rules with their message; ansible-core's (choices, unsupported options) naming the option."""
    server.queue(Reply(200, TESTS))
    result = run_action('units_info', args(server, **options))
    assert result['failed'] is True
    assert message in result['msg']
    assert server.received == []
