# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Quotas: flattening, desired state validation, the plan of requests and its order."""

from __future__ import annotations

import json
import os

import pytest

from ansible_collections.thousandeyes.usage.plugins.module_utils import _quotas
from ansible_collections.thousandeyes.usage.plugins.module_utils._errors import ThousandEyesError
from ansible_collections.thousandeyes.usage.plugins.module_utils._usage import snake_case

EXAMPLE = os.path.join(os.path.dirname(__file__), '..', '..', 'fixtures', 'get_quotas_200.json')


def current(**orgs):
    return dict((org_id, {'quota': quota, 'account_groups': dict(groups)}) for org_id, (quota, groups) in orgs.items())


def test_official_example_is_flattened_and_merged():
    with open(EXAMPLE) as handle:
        quotas = snake_case(json.load(handle)['quotas'])
    assert _quotas.organizations(quotas) == [
        {'org_id': '10', 'quota': 22500, 'account_groups': [{'aid': '1234', 'quota': 12000},
                                                            {'aid': '12345', 'quota': 10000}]}]


def test_organization_without_a_quota_value():
    quotas = [{'organization_quota': {'org_id': 20}, 'account_group_quotas': []}]
    assert _quotas.organizations(quotas) == [{'org_id': '20', 'quota': None, 'account_groups': []}]


def desired(current, orgs, groups, state='present'):
    return _quotas.desired(current, *_quotas.check_entries(orgs, groups, state))


class TestDesired:
    def test_org_id_defaults_to_the_only_organization(self):
        orgs, groups = desired(current(**{'10': (1, {})}), [{'value': 5}], [{'aid': 7, 'value': 2}])
        assert orgs == [('10', 5)] and groups == [('10', '7', 2)]

    def test_org_id_required_with_several_organizations(self):
        with pytest.raises(ThousandEyesError, match=r'organization_quotas\[0\]: org_id is required: the token sees '
                                                    r'several organizations \(10, 20\)'):
            desired(current(**{'10': (1, {}), '20': (2, {})}), [{'value': 5}], None)

    def test_no_organization_yet(self):
        assert desired({}, [{'value': 5}], None) == ([(None, 5)], [])
        with pytest.raises(ThousandEyesError, match=r'account_group_quotas\[0\]: org_id is required: no organization'):
            desired({}, None, [{'aid': '1', 'value': 5}])

    @pytest.mark.parametrize('value', [-1, 1.5, 'ten', True])
    def test_value_validation_needs_no_state(self, value):
        with pytest.raises(ThousandEyesError, match=r'account_group_quotas\[0\]: value must be a whole number of 0 '
                                                    r'or more'):
            _quotas.check_entries(None, [{'org_id': '10', 'aid': '1', 'value': value}], 'present')

    def test_value_required_when_present_only(self):
        with pytest.raises(ThousandEyesError, match=r'organization_quotas\[0\]: value is required with state=present'):
            _quotas.check_entries([{'org_id': '10'}], None, 'present')
        assert desired({}, [{'org_id': '10'}], None, 'absent') == ([('10', None)], [])

    def test_conflicting_duplicates(self):
        with pytest.raises(ThousandEyesError, match='account group 1 is listed twice with different values'):
            desired({}, None, [{'org_id': '10', 'aid': '1', 'value': 1}, {'org_id': '10', 'aid': '1', 'value': 2}])

    def test_aid_required(self):
        with pytest.raises(ThousandEyesError, match=r'account_group_quotas\[0\]: aid or account_group is required'):
            _quotas.check_entries(None, [{'org_id': '10', 'value': 1}], 'present')


class TestPlan:
    def test_present_sends_only_differences_org_first(self):
        state = current(**{'10': (100, {'1': 50, '2': 20})})
        requests, after = _quotas.plan(state, [('10', 200)], [('10', '1', 50), ('10', '2', 30), ('10', '3', 5)],
                                       'present')
        assert requests == [
            ('/quotas/assign', {'organizations': [{'orgId': '10', 'value': 200}]}),
            ('/quotas/account-groups/assign', {'organizations': [{'orgId': '10', 'accountGroups': [
                {'aid': '2', 'value': 30}, {'aid': '3', 'value': 5}]}]}),
        ]
        assert after == current(**{'10': (200, {'1': 50, '2': 30, '3': 5})})
        assert state == current(**{'10': (100, {'1': 50, '2': 20})})  # not modified

    def test_present_already_in_state(self):
        state = current(**{'10': (100, {'1': 50})})
        assert _quotas.plan(state, [('10', 100)], [('10', '1', 50)], 'present') == ([], state)

    def test_caller_org_without_id(self):
        requests, dummy = _quotas.plan({}, [(None, 7)], [], 'present')
        assert requests == [('/quotas/assign', {'organizations': [{'value': 7}]})]

    def test_absent_removes_groups_then_organizations(self):
        state = current(**{'10': (100, {'1': 50, '2': 20}), '20': (None, {})})
        requests, after = _quotas.plan(state, [('10', None), ('20', None)], [('10', '1', None), ('10', '9', None)],
                                       'absent')
        assert requests == [
            ('/quotas/account-groups/unassign', {'organizations': [{'orgId': '10', 'accountGroups': ['1']}]}),
            ('/quotas/unassign', {'organizations': ['10']}),
        ]
        assert after == current(**{'10': (None, {'2': 20}), '20': (None, {})})

    def test_absent_already_gone(self):
        assert _quotas.plan(current(**{'10': (None, {})}), [('10', None)], [('10', '1', None)], 'absent')[0] == []


def test_403_names_the_permission():
    exc = _quotas.with_hint(ThousandEyesError('GET /v7/quotas failed: HTTP 403 Forbidden: Insufficient permissions',
                                              status=403))
    assert str(exc) == ('GET /v7/quotas failed: HTTP 403 Forbidden: Insufficient permissions (reading or changing '
                        'quotas needs the Edit quotas permission)')
    other = ThousandEyesError('x', status=500)
    assert _quotas.with_hint(other) is other
