# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Account groups: the API's list in snake_case, organizations, and names resolved to an aid."""

from __future__ import annotations

import pytest

from ansible_collections.thousandeyes.usage.plugins.module_utils import _account_groups
from ansible_collections.thousandeyes.usage.plugins.module_utils._api import ThousandEyesClient
from ansible_collections.thousandeyes.usage.plugins.module_utils._errors import ThousandEyesError
from ansible_collections.thousandeyes.usage.tests.unit.plugins.scripted_http import Reply

TOKEN = 'account-groups-secret-token-9f8e'


def group(aid, name, org_id, org_name, current=False, default=False):
    return {'aid': aid, 'account_group_name': name, 'is_current_account_group': current,
            'is_default_account_group': default, 'organization_name': org_name, 'org_id': org_id}


GROUPS = [
    group('1234', 'Production', '10', 'Acme Corp', current=True, default=True),
    group('5678', 'Staging', '10', 'Acme Corp'),
    group('9001', 'Production', '20', 'Globex Inc'),
    group('9002', 'Globex Labs', '20', 'Globex Inc'),
    group('9003', 'production eu', '20', 'Globex Inc'),
]


class TestFetch:
    def test_snake_case_string_ids_absent_and_unknown_fields(self, server, clock):
        server.queue(Reply(200, {'accountGroups': [
            {'aid': 59, 'accountGroupName': 'Demo', 'isCurrentAccountGroup': False, 'orgId': 7, 'futureField': 'x'},
            {'aid': '60'},
        ], '_links': {'self': {'href': '/v7/account-groups'}}}))
        client = ThousandEyesClient({'token': TOKEN, 'api_url': server.url}, clock=clock)
        answer = _account_groups.fetch_account_groups(client)
        assert answer['account_groups'] == [
            {'aid': '59', 'account_group_name': 'Demo', 'is_current_account_group': False, 'org_id': '7',
             'future_field': 'x'},
            {'aid': '60'},
        ]
        assert answer['status'] == 200
        assert server.received[0]['path'] == '/v7/account-groups'

    def test_answer_without_the_list(self, server, clock):
        server.queue(Reply(200, {'groups': []}))
        client = ThousandEyesClient({'token': TOKEN, 'api_url': server.url}, clock=clock)
        with pytest.raises(ThousandEyesError, match=r'^GET /v7/account-groups failed: HTTP 200 but the answer has no '
                                                    r'"accountGroups" list$'):
            _account_groups.fetch_account_groups(client)


class TestOrganizations:
    def test_one_entry_per_organization_in_order(self):
        orgs = _account_groups.organizations(GROUPS)
        assert [(org['org_id'], org['organization_name']) for org in orgs] == [('10', 'Acme Corp'), ('20', 'Globex Inc')]
        assert [len(org['account_groups']) for org in orgs] == [2, 3]

    def test_aid_current_then_default_then_first(self):
        groups = [group('1', 'a', '10', 'A'), group('2', 'b', '10', 'A', default=True), group('3', 'c', '10', 'A', current=True),
                  group('4', 'd', '20', 'B'), group('5', 'e', '20', 'B', default=True),
                  group('6', 'f', '30', 'C'), group('7', 'g', '30', 'C')]
        assert [org['aid'] for org in _account_groups.organizations(groups)] == ['3', '5', '6']

    def test_entries_without_an_organization_stay_together(self):
        orgs = _account_groups.organizations([{'aid': '1'}, {'aid': '2'}])
        assert orgs == [{'org_id': None, 'organization_name': None, 'aid': '1', 'account_groups': [{'aid': '1'}, {'aid': '2'}]}]


class TestFind:
    def test_exact_name_in_one_organization(self):
        assert _account_groups.find_account_group('Staging', GROUPS)['aid'] == '5678'

    def test_unique_case_insensitive_match(self):
        assert _account_groups.find_account_group('STAGING', GROUPS)['aid'] == '5678'
        assert _account_groups.find_account_group('Production EU', GROUPS)['aid'] == '9003'

    def test_exact_match_wins_over_case_insensitive_ones(self):
        groups = GROUPS + [group('7777', 'STAGING', '10', 'Acme Corp')]
        assert _account_groups.find_account_group('STAGING', groups)['aid'] == '7777'

    def test_name_in_several_organizations(self):
        with pytest.raises(ThousandEyesError) as err:
            _account_groups.find_account_group('Production', GROUPS)
        assert str(err.value) == ("account_group: 'Production' names 2 account groups: aid 1234 in Acme Corp (org 10), "
                                  "aid 9001 in Globex Inc (org 20); pass aid instead")

    def test_several_case_insensitive_matches_are_ambiguous_too(self):
        groups = [group('1', 'Lab', '10', 'A'), group('2', 'LAB', '20', 'B')]
        with pytest.raises(ThousandEyesError, match=r"^account_group: 'lab' names 2 account groups: aid 1 in A"):
            _account_groups.find_account_group('lab', groups)

    def test_within_an_organization(self):
        assert _account_groups.find_account_group('Production', GROUPS, org_id='20')['aid'] == '9001'

    def test_unknown_name_lists_the_closest(self):
        with pytest.raises(ThousandEyesError) as err:
            _account_groups.find_account_group('Prod', GROUPS)
        assert str(err.value) == ("account_group: no account group named 'Prod'; closest: 'Production', "
                                  "'production eu', 'Globex Labs', 'Staging'")

    def test_at_most_five_suggestions(self):
        groups = [group(str(index), 'Team %d' % index, '10', 'A') for index in range(8)]
        with pytest.raises(ThousandEyesError) as err:
            _account_groups.find_account_group('Team', groups)
        assert str(err.value).split('; closest: ')[1].count("'") == 2 * 5

    def test_unknown_in_an_organization_names_it_and_the_option(self):
        with pytest.raises(ThousandEyesError, match=r"^account_group_quotas\[0\]\.account_group: no account group named "
                                                    r"'Staging' in organization 20; closest: "):
            _account_groups.find_account_group('Staging', GROUPS, org_id='20', option='account_group_quotas[0].account_group')

    def test_no_account_groups_at_all(self):
        with pytest.raises(ThousandEyesError, match=r"closest: none \(the token sees no account group\)$"):
            _account_groups.find_account_group('Staging', [])
