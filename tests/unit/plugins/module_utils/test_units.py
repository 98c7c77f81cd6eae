# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Units breakdowns: dates, resources, totals, top consumers, and pagination over real HTTP."""

from __future__ import annotations

import pytest

from ansible_collections.thousandeyes.usage.plugins.module_utils import _api, _units
from ansible_collections.thousandeyes.usage.plugins.module_utils._errors import ThousandEyesError
from ansible_collections.thousandeyes.usage.tests.unit.plugins.scripted_http import Reply

TOKEN = 'units-secret-token-1a2b3c'


class TestDates:
    @pytest.mark.parametrize('value,expected', [
        ('2026-11-01', '2026-11-01T00:00:00Z'),
        ('2026-11-01T10:00:00Z', '2026-11-01T10:00:00Z'),
        ('2026-11-01T10:00:00+02:00', '2026-11-01T08:00:00Z'),
        ('2026-11-01T01:30:00-0130', '2026-11-01T03:00:00Z'),
        ('2026-11-01T10:00:00.750Z', '2026-11-01T10:00:00Z'),
        ('2026-11-01T10:00:00.5+0200', '2026-11-01T08:00:00Z'),
        ('2026-11-01T10:00:00.1234567-00:30', '2026-11-01T10:30:00Z'),
        (None, None),
    ])
    def test_accepted(self, value, expected):
        assert _units.api_date(value, 'start_date') == expected

    # The last four are read by Python 3.11 and newer only: refused on every Python, so a play behaves the same.
    @pytest.mark.parametrize('value', ['2026-11-01T10:00:00', 'yesterday', '2026-13-01', '01/11/2026',
                                       '2026-11-01T10:00:00+02', '2026-11-01T10:00:00,5Z', '20261101T100000Z',
                                       '2026-W44-7T10:00:00Z'])
    def test_rejected_names_the_option_and_forms(self, value):
        with pytest.raises(ThousandEyesError) as err:
            _units.api_date(value, 'end_date')
        assert str(err.value).startswith('end_date must be a date (YYYY-MM-DD) or an ISO 8601 date-time with a '
                                         'timezone')

    def test_end_before_start(self):
        with pytest.raises(ThousandEyesError, match=r'end_date \(2026-10-01T00:00:00Z\) is before start_date'):
            _units.date_params('2026-11-01', '2026-10-01')

    def test_either_alone(self):
        assert _units.date_params(None, '2026-10-01') == {'startDate': None, 'endDate': '2026-10-01T00:00:00Z'}
        assert _units.date_params('2026-10-01', None) == {'startDate': '2026-10-01T00:00:00Z', 'endDate': None}


class TestResources:
    def test_all(self):
        assert _units.resources_for('all', None) == ['tests', 'enterprise_agents']

    def test_aid_for_tests(self):
        assert _units.resources_for('tests', '1234') == ['tests']

    @pytest.mark.parametrize('resource', ['enterprise_agents', 'all'])
    def test_aid_refused_for_enterprise_agents(self, resource):
        with pytest.raises(ThousandEyesError, match='aid applies only to resource=tests'):
            _units.resources_for(resource, '1234')


ROWS = [
    {'aid': '2', 'account_group_name': 'B', 'test_name': 'x', 'cloud_units_used': 5, 'cloud_units_projected': 50},
    {'aid': '1', 'account_group_name': 'A', 'test_name': 'y', 'cloud_units_used': 7},
    {'aid': '1', 'account_group_name': 'A', 'test_name': 'z', 'cloud_units_used': 1, 'cloud_units_projected': 90},
]


def test_totals_overall_and_per_account_group():
    result = _units.totals(ROWS, ('cloud_units_used', 'cloud_units_projected'))
    assert result == {
        'cloud_units_used': 13, 'cloud_units_projected': 140, 'count': 3,
        'by_account_group': [
            {'aid': '1', 'account_group_name': 'A', 'count': 2, 'cloud_units_used': 8, 'cloud_units_projected': 90},
            {'aid': '2', 'account_group_name': 'B', 'count': 1, 'cloud_units_used': 5, 'cloud_units_projected': 50},
        ]}


def test_top_consumers_rank_absent_values_last():
    assert [r['test_name'] for r in _units.top_consumers(ROWS, 'cloud_units_projected', 10)] == ['z', 'x', 'y']
    assert [r['test_name'] for r in _units.top_consumers(ROWS, 'cloud_units_projected', 1)] == ['z']
    assert _units.top_consumers(ROWS, 'cloud_units_projected', 0) == []


def page(server, rows, cursor=None):
    links = {'self': {'href': server.url + '/usage/units/tests'}}
    if cursor:
        links['next'] = {'href': server.url + '/usage/units/tests?startDate=IGNORED&cursor=' + cursor}
    return Reply(200, {'breakdowns': rows, '_links': links})


class TestPagination:
    def client(self, server, clock):
        return _api.ThousandEyesClient({'token': TOKEN, 'api_url': server.url}, clock=clock)

    def test_follows_next_reusing_only_the_cursor(self, server, clock):
        server.queue(page(server, [{'testId': '1'}], 'c1'), page(server, [{'testId': '2'}], 'c2'),
                     page(server, [{'testId': '3'}]))
        result = self.client(server, clock).get_all('/usage/units/tests', 'breakdowns',
                                                    {'aid': '9', 'startDate': '2026-11-01T00:00:00Z'})
        assert [item['testId'] for item in result['items']] == ['1', '2', '3']
        assert result['pages'] == 3 and result['repeated_cursor'] is False
        assert [r['path'] for r in server.received] == [
            '/v7/usage/units/tests?aid=9&startDate=2026-11-01T00%3A00%3A00Z',
            '/v7/usage/units/tests?aid=9&startDate=2026-11-01T00%3A00%3A00Z&cursor=c1',
            '/v7/usage/units/tests?aid=9&startDate=2026-11-01T00%3A00%3A00Z&cursor=c2']

    def test_stops_when_a_cursor_repeats(self, server, clock):
        server.queue(page(server, [{'testId': '1'}], 'same'), page(server, [{'testId': '2'}], 'same'))
        result = self.client(server, clock).get_all('/usage/units/tests', 'breakdowns')
        assert result['pages'] == 2 and result['repeated_cursor'] is True
        assert len(server.received) == 2

    def test_max_pages(self, server, clock):
        server.queue(page(server, [{'testId': '1'}], 'a'), page(server, [{'testId': '2'}], 'b'),
                     page(server, [{'testId': '3'}], 'c'))
        with pytest.raises(ThousandEyesError) as err:
            self.client(server, clock).get_all('/usage/units/tests', 'breakdowns', max_pages=2)
        assert str(err.value) == ('GET /v7/usage/units/tests failed: more than max_pages (2) pages; raise max_pages '
                                  'or narrow the query')
        assert len(server.received) == 2

    def test_exactly_max_pages_is_fine(self, server, clock):
        server.queue(page(server, [{'testId': '1'}], 'a'), page(server, [{'testId': '2'}]))
        assert self.client(server, clock).get_all('/usage/units/tests', 'breakdowns', max_pages=2)['pages'] == 2

    def test_read_units_totals_and_warning(self, server, clock):
        server.queue(page(server, [{'aid': '1', 'testId': '1', 'cloudUnitsProjected': 3}], 'x'),
                     page(server, [{'aid': '1', 'testId': '2', 'cloudUnitsProjected': 9}], 'x'))
        result = _units.read_units(self.client(server, clock), 'tests', top=1)
        assert result['breakdowns']['tests'][1] == {'aid': '1', 'test_id': '2', 'cloud_units_projected': 9}
        assert result['totals']['tests']['cloud_units_projected'] == 12
        assert result['top_consumers']['tests'] == [{'aid': '1', 'test_id': '2', 'cloud_units_projected': 9}]
        assert result['warnings'] == ['GET /v7/usage/units/tests: the API repeated a pagination cursor after 2 pages; '
                                      'stopped there']

    @pytest.mark.parametrize('kwargs,message', [
        ({'top': -1}, 'top must be 0 or more'),
        ({'max_pages': 0}, 'max_pages must be at least 1'),
        ({'start_date': 'soon'}, 'start_date must be a date'),
        ({'resource': 'enterprise_agents', 'aid': '1'}, 'aid applies only to resource=tests'),
    ])
    def test_bad_input_before_any_request(self, server, clock, kwargs, message):
        args = dict({'resource': 'tests'}, **kwargs)
        resource = args.pop('resource')
        with pytest.raises(ThousandEyesError, match=message):
            _units.read_units(self.client(server, clock), resource, **args)
        assert server.received == []
