# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""snake_case conversion, quota_status maths, thresholds and expand validation."""

from __future__ import annotations

import datetime

import pytest

from ansible_collections.thousandeyes.usage.plugins.module_utils import _thresholds, _usage
from ansible_collections.thousandeyes.usage.plugins.module_utils._errors import ThousandEyesError

UTC = datetime.timezone.utc
START = '2026-11-01T00:00:00Z'
END = '2026-12-01T00:00:00Z'
MID = datetime.datetime(2026, 11, 13, tzinfo=UTC)  # 12 of 30 days elapsed: 40 %


def usage(**fields):
    quota = fields.pop('quota', {})
    base = {'quota': dict({'month_start': START, 'month_end': END}, **quota)}
    base.update(fields)
    return base


class TestSnakeCase:
    def test_nested_dicts_and_lists(self):
        body = {'cloudUnitsUsed': 1, 'quota': {'monthStart': START, 'cloudUnitsIncluded': 5},
                'tests': [{'testId': '1', 'accountGroupName': 'Support', 'cloudUnitsProjected': 3}]}
        assert _usage.snake_case(body) == {
            'cloud_units_used': 1, 'quota': {'month_start': START, 'cloud_units_included': 5},
            'tests': [{'test_id': '1', 'account_group_name': 'Support', 'cloud_units_projected': 3}]}

    def test_unknown_future_keys_are_kept_and_converted(self):
        converted = _usage.snake_case({'quantumUnitsUsed': 5, 'allocations': {'allocations': [{'productName': 'x'}]}})
        assert converted == {'quantum_units_used': 5, 'allocations': {'allocations': [{'product_name': 'x'}]}}

    def test_values_are_not_touched(self):
        assert _usage.snake_case({'testName': 'camelCaseValue', 'aid': '1234'}) == {
            'test_name': 'camelCaseValue', 'aid': '1234'}

    def test_absent_fields_stay_absent(self):
        assert _usage.snake_case({'cloudUnitsUsed': 2}) == {'cloud_units_used': 2}


class TestExpand:
    def test_none(self):
        assert _usage.expand_param(None) is None
        assert _usage.expand_param([]) is None

    def test_deduplicated_in_api_order(self):
        assert _usage.expand_param(['endpoint-agent', 'test', 'test']) == 'test,endpoint-agent'

    def test_all(self):
        assert _usage.expand_param(['all', 'test']) == ','.join(_usage.EXPAND_VALUES)

    def test_comma_string(self):
        assert _usage.expand_param('test, enterprise-agent') == 'test,enterprise-agent'

    def test_unknown_value_names_option_and_choices(self):
        with pytest.raises(ThousandEyesError) as err:
            _usage.expand_param(['test', 'tests'])
        assert "expand: value 'tests' is not one of test, enterprise-agent" in str(err.value)
        assert 'all' in str(err.value)


class TestThresholds:
    def test_valid(self):
        assert _thresholds.check_thresholds({'cloud_units_used_pct': 80, 'endpoint_agents_used_pct': None}) == {
            'cloud_units_used_pct': 80.0}

    @pytest.mark.parametrize('value', [-1, 1000.5, 'lots', True, [1]])
    def test_out_of_range_or_not_a_number(self, value):
        with pytest.raises(ThousandEyesError) as err:
            _thresholds.check_thresholds({'cloud_units_used_pct': value})
        assert 'thresholds.cloud_units_used_pct must be a percentage between 0 and 1000' in str(err.value)

    def test_unknown_key_lists_allowed_keys(self):
        with pytest.raises(ThousandEyesError) as err:
            _thresholds.check_thresholds({'cloud_unit_used_pct': 1})
        assert 'unknown key cloud_unit_used_pct' in str(err.value)
        assert 'cloud_units_used_pct' in str(err.value)

    def test_not_a_dict(self):
        with pytest.raises(ThousandEyesError, match='thresholds must be a dictionary'):
            _thresholds.check_thresholds([90])


class TestQuotaStatus:
    def test_cloud_units_mid_period(self):
        status = _usage.quota_status(usage(
            quota={'cloud_units_included': 100000}, cloud_units_used=40000, cloud_units_projected=85000,
            cloud_units_next_billing_period=90000), MID)
        cloud = status['cloud_units']
        assert cloud == {
            'included': 100000, 'used': 40000, 'projected': 85000, 'next_billing_period': 90000,
            'remaining': 60000, 'projected_remaining': 15000, 'used_pct': 40.0, 'projected_pct': 85.0,
            'next_billing_period_pct': 90.0, 'over_quota': False, 'projected_over_quota': False,
            # 40 % used in 12 days: 100 % after 30 days, exactly the period end.
            'exhausted_at': '2026-12-01T00:00:00Z'}
        assert status['period'] == {'start': START, 'end': END, 'elapsed_pct': 40.0, 'days_left': 18.0,
                                    'remaining_fraction': 0.6}

    def test_exhaustion_before_the_end(self):
        status = _usage.quota_status(usage(quota={'cloud_units_included': 1000}, cloud_units_used=800), MID)
        # 800 in 12 days -> 1000 after 15 days.
        assert status['cloud_units']['exhausted_at'] == '2026-11-16T00:00:00Z'

    def test_exhaustion_after_the_end_is_null(self):
        status = _usage.quota_status(usage(quota={'cloud_units_included': 1000}, cloud_units_used=100), MID)
        assert status['cloud_units']['exhausted_at'] is None

    def test_already_exhausted_reports_the_past_moment(self):
        status = _usage.quota_status(usage(quota={'cloud_units_included': 1000}, cloud_units_used=2000), MID)
        assert status['cloud_units']['exhausted_at'] == '2026-11-07T00:00:00Z'
        assert status['cloud_units']['over_quota'] is True
        assert status['cloud_units']['remaining'] == -1000

    def test_over_quota_is_strictly_above(self):
        status = _usage.quota_status(usage(quota={'cloud_units_included': 100}, cloud_units_used=100,
                                           cloud_units_projected=101), MID)
        assert status['cloud_units']['over_quota'] is False
        assert status['cloud_units']['projected_over_quota'] is True

    @pytest.mark.parametrize('quota', [{}, {'cloud_units_included': 0}])
    def test_zero_or_absent_included(self, quota):
        cloud = _usage.quota_status(usage(quota=quota, cloud_units_used=5, cloud_units_projected=9), MID)['cloud_units']
        for key in ('remaining', 'projected_remaining', 'used_pct', 'projected_pct', 'next_billing_period_pct',
                    'exhausted_at'):
            assert cloud[key] is None, key
        assert cloud['over_quota'] is False and cloud['projected_over_quota'] is False
        assert cloud['used'] == 5

    def test_absent_values_are_not_invented(self):
        status = _usage.quota_status({}, MID)
        assert status['cloud_units']['used'] is None
        assert status['cloud_units']['used_pct'] is None
        assert status['enterprise_units'] == {'used': None, 'projected': None, 'next_billing_period': None}
        assert status['period'] == {'start': None, 'end': None, 'elapsed_pct': None, 'days_left': None,
                                    'remaining_fraction': None}
        assert status['endpoint_agents'] == {'included': None, 'used': None, 'remaining': None, 'used_pct': None,
                                             'over_quota': False}

    def test_agents(self):
        status = _usage.quota_status(usage(
            quota={'endpoint_agents_included': 50, 'endpoint_agents_essentials_included': 20,
                   'enterprise_agents_included': 0},
            endpoint_agents_used=51, endpoint_agents_essentials_used=5, enterprise_agents_used=4), MID)
        assert status['endpoint_agents'] == {'included': 50, 'used': 51, 'remaining': -1, 'used_pct': 102.0,
                                             'over_quota': True}
        assert status['endpoint_agents_essentials']['used_pct'] == 25.0
        assert status['enterprise_agents'] == {'included': 0, 'used': 4, 'remaining': None, 'used_pct': None,
                                               'over_quota': False}
        assert status['endpoint_agents_embedded']['included'] is None

    def test_enterprise_units(self):
        status = _usage.quota_status(usage(enterprise_units_used=1, enterprise_units_projected=2,
                                           enterprise_units_next_billing_period=3), MID)
        assert status['enterprise_units'] == {'used': 1, 'projected': 2, 'next_billing_period': 3}

    def test_period_not_started(self):
        before = datetime.datetime(2026, 10, 20, tzinfo=UTC)
        status = _usage.quota_status(usage(quota={'cloud_units_included': 10}, cloud_units_used=1), before)
        assert status['period']['elapsed_pct'] == 0.0
        assert status['period']['days_left'] == 42.0
        assert status['cloud_units']['exhausted_at'] is None

    def test_period_over(self):
        after = datetime.datetime(2026, 12, 5, tzinfo=UTC)
        status = _usage.quota_status(usage(quota={'cloud_units_included': 10}, cloud_units_used=5), after)
        assert status['period']['elapsed_pct'] == 100.0
        assert status['period']['days_left'] == 0.0
        assert status['cloud_units']['exhausted_at'] is None  # 5 of 10 over the whole period

    def test_huge_int64_values(self):
        big = 2 ** 63 - 1
        cloud = _usage.quota_status(usage(quota={'cloud_units_included': big}, cloud_units_used=big - 1,
                                          cloud_units_projected=big), MID)['cloud_units']
        assert cloud['remaining'] == 1
        assert cloud['used_pct'] == 100.0
        assert cloud['projected_over_quota'] is False

    def test_rounding_to_two_decimals(self):
        cloud = _usage.quota_status(usage(quota={'cloud_units_included': 3}, cloud_units_used=1), MID)['cloud_units']
        assert cloud['used_pct'] == 33.33

    def test_unreadable_dates(self):
        status = _usage.quota_status({'quota': {'month_start': 'soon', 'month_end': END}}, MID)
        assert status['period']['start'] is None and status['period']['elapsed_pct'] is None

    def test_dates_with_offsets_and_fractions(self):
        status = _usage.quota_status({'quota': {'month_start': '2026-11-01T01:00:00.250+01:00',
                                                'month_end': END}}, MID)
        assert status['period']['start'] == START


class TestBreaches:
    def test_every_breach_listed_with_message(self):
        status = _usage.quota_status(usage(quota={'cloud_units_included': 100, 'endpoint_agents_included': 10},
                                           cloud_units_used=50, cloud_units_projected=97.5,
                                           endpoint_agents_used=10), MID)
        breaches = _thresholds.find_breaches(status, {'cloud_units_projected_pct': 90.0, 'cloud_units_used_pct': 60.0,
                                                      'endpoint_agents_used_pct': 99.0})
        assert breaches == [
            {'metric': 'cloud_units_projected_pct', 'value': 97.5, 'threshold': 90.0,
             'message': 'cloud_units_projected_pct is 97.5%, above the threshold of 90%'},
            {'metric': 'endpoint_agents_used_pct', 'value': 100.0, 'threshold': 99.0,
             'message': 'endpoint_agents_used_pct is 100%, above the threshold of 99%'},
        ]
        assert _thresholds.breach_summary(breaches) == (
            'Quota thresholds exceeded: cloud_units_projected_pct is 97.5%, above the threshold of 90%; '
            'endpoint_agents_used_pct is 100%, above the threshold of 99%')

    def test_equal_is_not_a_breach_and_no_contract_never_breaches(self):
        status = _usage.quota_status(usage(quota={'cloud_units_included': 100}, cloud_units_used=90,
                                           enterprise_agents_used=7), MID)
        assert _thresholds.find_breaches(status, {'cloud_units_used_pct': 90.0, 'enterprise_agents_used_pct': 0.0}) == []


class TestUsageFacts:
    def test_result_keys(self):
        facts = _usage.usage_facts({'usage': {'cloudUnitsUsed': 1}, '_links': {}}, {'cloud_units_used_pct': 5},
                                   {'limit': 240, 'remaining': 1, 'reset': 2}, MID)
        assert sorted(facts) == ['breaches', 'headroom', 'quota_status', 'rate_limit', 'usage']
        assert facts['usage'] == {'cloud_units_used': 1}
        assert facts['breaches'] == []
