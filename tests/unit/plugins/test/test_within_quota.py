# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The within_quota test through Ansible's plugin loader."""

from __future__ import annotations

import datetime

import pytest

from ansible.errors import AnsibleFilterError
from ansible.plugins.loader import test_loader

from ansible_collections.thousandeyes.usage.plugins.module_utils._usage import usage_facts

NOW = datetime.datetime(2026, 11, 13, tzinfo=datetime.timezone.utc)
BODY = {'usage': {'quota': {'monthStart': '2026-11-01T00:00:00Z', 'monthEnd': '2026-12-01T00:00:00Z',
                            'cloudUnitsIncluded': 100, 'endpointAgentsIncluded': 10},
                  'cloudUnitsUsed': 40, 'cloudUnitsProjected': 92, 'endpointAgentsUsed': 10}}


def within_quota(value, **thresholds):
    return test_loader.get('thousandeyes.usage.within_quota').j2_function(value, **thresholds)


@pytest.fixture
def result():
    return usage_facts(BODY, now=NOW)


def test_thresholds(result):
    assert within_quota(result, cloud_units_projected_pct=95) is True
    assert within_quota(result, cloud_units_projected_pct=90) is False
    assert within_quota(result, endpoint_agents_used_pct=100, cloud_units_used_pct=40) is True
    assert within_quota(result, endpoint_agents_used_pct=99.9) is False


def test_default_is_nothing_over_quota(result):
    assert within_quota(result) is True
    over = usage_facts(dict(BODY, usage=dict(BODY['usage'], cloudUnitsProjected=101)), now=NOW)
    assert within_quota(over) is False


def test_registered_module_result_and_query_lists(result):
    registered = dict(result, changed=False, failed=False, invocation={})
    assert within_quota(registered, cloud_units_projected_pct=95) is True
    assert within_quota([result, result], cloud_units_projected_pct=95) is True
    low = usage_facts(dict(BODY, usage=dict(BODY['usage'], cloudUnitsProjected=10)), now=NOW)
    assert within_quota([low, result], cloud_units_projected_pct=50) is False


@pytest.mark.parametrize('thresholds,message', [
    ({'cloud_units_pct': 1}, 'within_quota: thresholds: unknown key cloud_units_pct; allowed keys: '),
    ({'cloud_units_used_pct': 1001}, 'must be a percentage between 0 and 1000'),
    ({'cloud_units_used_pct': 'x'}, 'must be a percentage between 0 and 1000'),
])
def test_same_validation_as_thresholds(result, thresholds, message):
    with pytest.raises(AnsibleFilterError, match=message):
        within_quota(result, **thresholds)


@pytest.mark.parametrize('value,message', [
    ('text', 'got str'),
    ({'failed': True, 'msg': 'boom'}, 'without quota_status \\(the task failed\\?\\)'),
])
def test_not_a_usage_result(value, message):
    with pytest.raises(AnsibleFilterError, match=message):
        within_quota(value)


@pytest.mark.parametrize('reserve', [
    {'cloud_units': 10},                      # projected 92 + 0.6 x 10 = 98
    {'cloud_units': 3},                       # 93.8
    {'endpoint_agents': 1},                   # 11 of 10
    {'cloud_units': 0, 'endpoint_agents': 0},
])
@pytest.mark.parametrize('thresholds', [
    {'cloud_units_projected_pct': 95},
    {'cloud_units_next_billing_period_pct': 5, 'cloud_units_projected_pct': 99},
    {'endpoint_agents_used_pct': 100},
])
def test_with_a_reserve_it_agrees_with_the_module(reserve, thresholds):
    judged_by_module = usage_facts(BODY, thresholds, now=NOW, reserve=reserve)['breaches'] == []
    plain = usage_facts(BODY, now=NOW)  # a result fetched without the reserve, as a lookup in play vars gives it
    assert within_quota(plain, reserve=reserve, **thresholds) is judged_by_module


def test_reserve_changes_the_verdict(result):
    assert within_quota(result, cloud_units_projected_pct=95) is True
    assert within_quota(result, reserve={'cloud_units': 10}, cloud_units_projected_pct=95) is False
    assert within_quota(result, reserve={'endpoint_agents': 1}) is False  # default: nothing over 100 %


def test_bad_reserve_is_refused_naming_the_key(result):
    with pytest.raises(AnsibleFilterError, match='within_quota: reserve.cloud_units must be an integer from 0 to '):
        within_quota(result, reserve={'cloud_units': -5})
