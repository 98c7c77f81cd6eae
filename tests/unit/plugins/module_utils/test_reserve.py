# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""reserve and headroom: the figures after a rollout at the start, middle and end of a billing period, the thresholds
that judge them, and the largest rollout they let through."""

from __future__ import annotations

import datetime

import pytest

from ansible_collections.thousandeyes.usage.plugins.module_utils import _reserve, _usage
from ansible_collections.thousandeyes.usage.plugins.module_utils._errors import ThousandEyesError

UTC = datetime.timezone.utc
START = '2026-11-01T00:00:00Z'
END = '2026-12-01T00:00:00Z'  # 30 days
AT_START = datetime.datetime(2026, 11, 1, tzinfo=UTC)  # f = 1
MIDDLE = datetime.datetime(2026, 11, 16, tzinfo=UTC)  # f = 0.5
NEAR_END = datetime.datetime(2026, 11, 29, 12, tzinfo=UTC)  # f = 0.05
AFTER_END = datetime.datetime(2026, 12, 2, tzinfo=UTC)  # f = 0


def usage(included=100000, projected=85000, next_period=90000, used=40000, **agents):
    quota = {'month_start': START, 'month_end': END, 'cloud_units_included': included,
             'endpoint_agents_included': 50, 'endpoint_agents_essentials_included': 20,
             'enterprise_agents_included': 0}
    quota.update(agents.pop('quota', {}))
    result = {'quota': quota, 'cloud_units_used': used, 'cloud_units_projected': projected,
              'cloud_units_next_billing_period': next_period, 'endpoint_agents_used': 30,
              'endpoint_agents_essentials_used': 5, 'endpoint_agents_embedded_used': 0, 'enterprise_agents_used': 4}
    result.update(agents)
    return result


def facts(now, thresholds=None, reserve=None, **fields):
    return _usage.facts({'usage': usage(**fields)}, thresholds, reserve, now=now)


class TestFiguresAfterTheRollout:
    @pytest.mark.parametrize('now, fraction, projected', [
        (AT_START, 1.0, 87500.0),
        (MIDDLE, 0.5, 86250.0),
        (NEAR_END, 0.05, 85125.0),
        (AFTER_END, 0.0, 85000.0),
    ])
    def test_this_period_gets_the_rest_of_its_share_the_next_all(self, now, fraction, projected):
        status = facts(now, reserve={'cloud_units': 2500})['quota_status']
        assert status['period']['remaining_fraction'] == fraction
        cloud = status['cloud_units']
        assert cloud['projected_with_reserve'] == projected
        assert cloud['projected_with_reserve_pct'] == round(projected / 1000, 2)
        assert cloud['next_billing_period_with_reserve'] == 92500
        assert cloud['next_billing_period_with_reserve_pct'] == 92.5
        assert (cloud['used'], cloud['used_pct']) == (40000, 40.0)  # a rollout does not change what was used

    def test_agents_are_added_as_counts(self):
        status = facts(MIDDLE, reserve={'endpoint_agents': 3, 'enterprise_agents': 2})['quota_status']
        assert (status['endpoint_agents']['used_with_reserve'], status['endpoint_agents']['used_with_reserve_pct']) \
            == (33, 66.0)
        assert status['endpoint_agents_essentials']['used_with_reserve'] == 5  # not in the reserve: unchanged
        # Not in the contract (0 or absent included): a count, but no percentage.
        assert (status['enterprise_agents']['used_with_reserve'], status['enterprise_agents']['used_with_reserve_pct']) \
            == (6, None)
        assert status['cloud_units']['projected_with_reserve'] == 85000  # no cloud units reserved

    def test_without_a_reserve_the_figures_after_are_null(self):
        status = facts(MIDDLE)['quota_status']
        assert [status['cloud_units'][key] for key in ('projected_with_reserve', 'projected_with_reserve_pct',
                                                       'next_billing_period_with_reserve',
                                                       'next_billing_period_with_reserve_pct')] == [None] * 4
        assert status['endpoint_agents']['used_with_reserve'] is None

    def test_without_period_dates_the_whole_reserve_counts_this_period(self):
        status = facts(MIDDLE, reserve={'cloud_units': 2500}, quota={'month_start': None})['quota_status']
        assert status['period']['remaining_fraction'] is None
        assert status['cloud_units']['projected_with_reserve'] == 87500


class TestThresholdsJudgeTheWorldAfter:
    def test_breach_line_names_the_reserve(self):
        result = facts(MIDDLE, {'cloud_units_next_billing_period_pct': 92, 'cloud_units_projected_pct': 90},
                       {'cloud_units': 2500})
        assert [item['message'] for item in result['breaches']] == [
            'cloud_units_next_billing_period_pct would be 92.5% with the reserve (2,500 cloud units per period), '
            'above the threshold of 92%']
        assert result['breaches'][0]['value'] == 92.5

    def test_the_same_thresholds_pass_without_the_reserve(self):
        assert facts(MIDDLE, {'cloud_units_next_billing_period_pct': 92, 'cloud_units_projected_pct': 90})[
            'breaches'] == []

    def test_several_thresholds_and_agents(self):
        result = facts(MIDDLE, {'cloud_units_projected_pct': 86, 'endpoint_agents_used_pct': 65,
                                'cloud_units_used_pct': 30},
                       {'cloud_units': 4000, 'endpoint_agents': 3})
        assert [item['message'] for item in result['breaches']] == [
            'cloud_units_projected_pct would be 87% with the reserve (4,000 cloud units per period), above the '
            'threshold of 86%',
            'cloud_units_used_pct is 40%, above the threshold of 30%',
            'endpoint_agents_used_pct would be 66% with the reserve (3 endpoint agents), above the threshold of 65%']

    def test_a_metric_not_in_the_contract_never_breaches(self):
        result = facts(MIDDLE, {'enterprise_agents_used_pct': 1}, {'enterprise_agents': 100})
        assert result['breaches'] == []


class TestHeadroom:
    LIMITS = {'cloud_units_projected_pct': 90, 'cloud_units_next_billing_period_pct': 95}

    @pytest.mark.parametrize('now, expected', [
        # (90,000 - 85,000) / f against 95,000 - 90,000: the projected threshold binds only early in the period.
        (AT_START, 5000),
        (MIDDLE, 5000),
        (NEAR_END, 5000),
    ])
    def test_the_smaller_limit_wins(self, now, expected):
        assert facts(now, self.LIMITS)['headroom']['cloud_units'] == expected

    @pytest.mark.parametrize('now, expected', [(AT_START, 3000), (MIDDLE, 6000), (NEAR_END, 20000), (AFTER_END, 20000)])
    def test_the_projected_threshold_barely_binds_near_the_end(self, now, expected):
        # 88 % projected allows 3,000 more this period: M at f = 1, 2M at f = 0.5, 20M at f = 0.05; the next period
        # allows 110,000 - 90,000 = 20,000.
        limits = {'cloud_units_projected_pct': 88, 'cloud_units_next_billing_period_pct': 110}
        assert facts(now, limits)['headroom']['cloud_units'] == expected

    def test_a_rollout_of_the_headroom_passes_and_a_bigger_one_does_not(self):
        limits = {'cloud_units_projected_pct': 88, 'cloud_units_next_billing_period_pct': 110}
        room = facts(MIDDLE, limits)['headroom']['cloud_units']
        assert facts(MIDDLE, limits, {'cloud_units': room})['breaches'] == []
        # Percentages have 2 decimals: 20 units more at f = 0.5 is 0.01 % of 100,000 over.
        assert facts(MIDDLE, limits, {'cloud_units': room + 20})['breaches'] != []

    def test_defaults_to_every_included_amount(self):
        assert facts(MIDDLE)['headroom'] == {'cloud_units': 10000, 'endpoint_agents': 20,
                                             'endpoint_agents_essentials': 15, 'endpoint_agents_embedded': None,
                                             'enterprise_agents': None}

    def test_zero_when_already_over(self):
        result = facts(MIDDLE, {'cloud_units_used_pct': 30, 'cloud_units_next_billing_period_pct': 200,
                                'endpoint_agents_used_pct': 50})
        assert (result['headroom']['cloud_units'], result['headroom']['endpoint_agents']) == (0, 0)
        assert facts(MIDDLE, projected=120000)['headroom']['cloud_units'] == 0

    def test_null_without_an_included_amount_or_a_limiting_threshold(self):
        assert facts(MIDDLE, included=0)['headroom']['cloud_units'] is None
        assert facts(MIDDLE, quota={'cloud_units_included': None})['headroom']['cloud_units'] is None
        only_agents = facts(MIDDLE, {'endpoint_agents_used_pct': 100})['headroom']
        assert (only_agents['cloud_units'], only_agents['endpoint_agents']) == (None, 20)

    def test_the_reserve_does_not_change_it(self):
        assert facts(MIDDLE, self.LIMITS, {'cloud_units': 99999})['headroom'] == facts(MIDDLE, self.LIMITS)['headroom']


class TestCheckReserve:
    def test_counts_and_digit_strings(self):
        assert _reserve.check_reserve({'cloud_units': '2500', 'endpoint_agents': 0, 'enterprise_agents': None}) == {
            'cloud_units': 2500, 'endpoint_agents': 0}
        assert _reserve.check_reserve(None) == {}

    @pytest.mark.parametrize('reserve, message', [
        ({'cloud_units': -1}, 'reserve.cloud_units must be an integer from 0 to 1,000,000,000,000, got -1'),
        ({'cloud_units': 2.5}, 'reserve.cloud_units must be an integer from 0 to 1,000,000,000,000, got 2.5'),
        ({'endpoint_agents': True}, 'reserve.endpoint_agents must be an integer from 0 to 1,000,000,000,000, got True'),
        ({'endpoint_agents': 'ten'}, "reserve.endpoint_agents must be an integer from 0 to 1,000,000,000,000, got 'ten'"),
        ({'cloud_units': 10 ** 13}, 'reserve.cloud_units must be an integer from 0 to 1,000,000,000,000, got '
                                    '10000000000000'),
        ({'tests': 1}, 'reserve: unknown key tests; allowed keys: cloud_units, endpoint_agents, '
                       'endpoint_agents_essentials, endpoint_agents_embedded, enterprise_agents'),
        ([1], 'reserve must be a dictionary of non-negative integers with keys from cloud_units, endpoint_agents, '
              'endpoint_agents_essentials, endpoint_agents_embedded, enterprise_agents, got '),
    ])
    def test_refused_with_one_line_naming_the_key(self, reserve, message):
        with pytest.raises(ThousandEyesError) as caught:
            _reserve.check_reserve(reserve)
        assert str(caught.value).startswith(message)
        assert '\n' not in str(caught.value)
