# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""account_groups_info, and account groups by name in usage_info, units_info, quota and the lookup: resolved from one
GET /account-groups per run, before any other request; unknown and ambiguous names refused with nothing else sent."""

from __future__ import annotations

import pytest

from ansible.errors import AnsibleLookupError
from ansible.parsing.dataloader import DataLoader
from ansible.plugins.loader import lookup_loader
from ansible.template import Templar

from ansible_collections.thousandeyes.usage.plugins.modules import account_groups_info
from ansible_collections.thousandeyes.usage.tests.unit.plugins.scripted_http import Reply

TOKEN = 'account-group-secret-token-4d5e6f'
GROUPS = {'accountGroups': [
    {'aid': '1234', 'accountGroupName': 'Production', 'isCurrentAccountGroup': True, 'isDefaultAccountGroup': True,
     'organizationName': 'Acme Corp', 'orgId': '10'},
    {'aid': '5678', 'accountGroupName': 'Staging', 'isCurrentAccountGroup': False, 'isDefaultAccountGroup': False,
     'organizationName': 'Acme Corp', 'orgId': '10'},
    {'aid': '9001', 'accountGroupName': 'Production', 'isCurrentAccountGroup': False, 'isDefaultAccountGroup': False,
     'organizationName': 'Globex Inc', 'orgId': '20'},
], '_links': {'self': {'href': '/v7/account-groups'}}}
USAGE = {'usage': {'quota': {'cloudUnitsIncluded': 1000}, 'cloudUnitsUsed': 800}}
QUOTAS = {'quotas': [{'organizationQuota': {'orgId': '20', 'value': 5000},
                      'accountGroupQuotas': [{'aid': '9001', 'value': 1000}]}]}


def args(server, **kwargs):
    return dict(kwargs, token=TOKEN, api_url=server.url)


def paths(server):
    return [item['path'] for item in server.received]


def lookup(**kwargs):
    loader = DataLoader()
    templar = Templar(loader=loader, variables={})
    plugin = lookup_loader.get('thousandeyes.usage.usage', loader=loader, templar=templar)
    return plugin.run([], variables={}, **kwargs)


class TestAccountGroupsInfo:
    def test_groups_and_organizations_as_the_module_returns_them(self, server, run_action, run_module):
        server.queue(Reply(200, GROUPS))
        result = run_action('account_groups_info', args(server))
        code, from_module = run_module(account_groups_info, args(server))
        assert code == 0 and result == from_module
        assert result['account_groups'][2] == {'aid': '9001', 'account_group_name': 'Production',
                                               'is_current_account_group': False, 'is_default_account_group': False,
                                               'organization_name': 'Globex Inc', 'org_id': '20'}
        assert [(org['org_id'], org['aid'], len(org['account_groups'])) for org in result['organizations']] == [
            ('10', '1234', 2), ('20', '9001', 1)]
        assert result['changed'] is False and result['status'] == 200

    def test_one_request_for_every_host(self, server, task, action, run_on):
        server.queue(Reply(200, GROUPS))
        play_task = task(args(server))
        results = [run_on(action('account_groups_info', play_task.copy()), host) for host in ('a', 'b', 'c')]
        assert results[0] == results[2]
        assert paths(server) == ['/v7/account-groups']


class TestUsageByName:
    def test_resolved_before_the_usage_request(self, server, run_action):
        server.queue(Reply(200, GROUPS), Reply(200, USAGE))
        result = run_action('usage_info', args(server, account_group='staging'))
        assert result['usage']['cloud_units_used'] == 800
        assert paths(server) == ['/v7/account-groups', '/v7/usage?aid=5678']

    def test_account_groups_read_once_per_run(self, server, run_action):
        server.queue(Reply(200, GROUPS), Reply(200, USAGE))
        for host in ('a', 'b'):
            run_action('usage_info', args(server, account_group='Staging'), host=host)
        run_action('account_groups_info', args(server))
        assert paths(server) == ['/v7/account-groups', '/v7/usage?aid=5678']

    @pytest.mark.parametrize('name,message', [
        ('Prod', "account_group: no account group named 'Prod'; closest: 'Production', 'Staging'"),
        ('Production', "account_group: 'Production' names 2 account groups: aid 1234 in Acme Corp (org 10), "
                       "aid 9001 in Globex Inc (org 20); pass aid instead"),
    ])
    def test_unknown_or_ambiguous_refused_before_any_usage_request(self, server, run_action, name, message):
        server.queue(Reply(200, GROUPS), Reply(200, USAGE))
        result = run_action('usage_info', args(server, account_group=name))
        assert result['failed'] is True and result['msg'] == message
        assert paths(server) == ['/v7/account-groups']

    def test_an_aid_from_the_environment_gives_way_to_the_name(self, server, run_action):
        server.queue(Reply(200, GROUPS), Reply(200, USAGE))
        run_action('usage_info', args(server, account_group='Staging'), environment=[{'THOUSANDEYES_AID': '1234'}])
        assert paths(server) == ['/v7/account-groups', '/v7/usage?aid=5678']

    def test_the_lookup_shares_the_account_groups(self, server, run_action):
        server.queue(Reply(200, GROUPS), Reply(200, USAGE))
        run_action('usage_info', args(server, account_group='Staging'))
        [result] = lookup(token=TOKEN, api_url=server.url, account_group='Staging')
        assert result['usage']['cloud_units_used'] == 800
        assert paths(server) == ['/v7/account-groups', '/v7/usage?aid=5678']

    def test_the_lookup_refuses_an_unknown_name_before_any_usage_request(self, server):
        server.queue(Reply(200, GROUPS), Reply(200, USAGE))
        with pytest.raises(AnsibleLookupError, match=r"^account_group: no account group named 'Nope'; closest: "):
            lookup(token=TOKEN, api_url=server.url, account_group='Nope')
        assert paths(server) == ['/v7/account-groups']

    def test_the_lookup_variable(self, server):
        server.queue(Reply(200, GROUPS), Reply(200, USAGE))
        loader = DataLoader()
        templar = Templar(loader=loader, variables={})
        plugin = lookup_loader.get('thousandeyes.usage.usage', loader=loader, templar=templar)
        plugin.run([], variables={'thousandeyes_account_group': 'Staging'}, token=TOKEN, api_url=server.url)
        assert paths(server) == ['/v7/account-groups', '/v7/usage?aid=5678']


class TestUnitsByName:
    def test_tests_of_an_account_group(self, server, run_action):
        server.queue(Reply(200, GROUPS), Reply(200, {'breakdowns': []}))
        result = run_action('units_info', args(server, account_group='Staging'))
        assert 'failed' not in result
        assert paths(server)[0] == '/v7/account-groups'
        assert paths(server)[1].startswith('/v7/usage/units/tests?') and 'aid=5678' in paths(server)[1]

    def test_refused_for_enterprise_agents_before_any_request(self, server, run_action):
        result = run_action('units_info', args(server, account_group='Staging', resource='enterprise_agents'))
        assert result['msg'].startswith('account_group applies only to resource=tests')
        assert server.received == []


class TestQuotaByName:
    def test_name_within_an_organization_and_its_organization_found(self, server, run_action):
        server.queue(Reply(200, GROUPS), Reply(200, QUOTAS))
        result = run_action('quota', args(server, account_group_quotas=[
            {'account_group': 'Production', 'org_id': '20', 'value': 1000},
            {'account_group': 'Staging', 'value': 500}]), check_mode=True)
        assert paths(server) == ['/v7/account-groups', '/v7/quotas']
        assert result['requests'] == [{'method': 'POST', 'path': '/v7/quotas/account-groups/assign', 'body': {
            'organizations': [{'orgId': '10', 'accountGroups': [{'aid': '5678', 'value': 500}]}]}}]

    def test_ambiguous_name_refused_before_the_quotas_are_read(self, server, run_action):
        server.queue(Reply(200, GROUPS), Reply(200, QUOTAS))
        result = run_action('quota', args(server, account_group_quotas=[{'account_group': 'Production', 'value': 1}]))
        assert result['msg'].startswith("account_group_quotas[0].account_group: 'Production' names 2 account groups")
        assert paths(server) == ['/v7/account-groups'] and result['requests'] == []


class TestLookupPrecedence:
    """Both as keywords are refused; a keyword aid or terms win over account_group from a variable; account_group wins
    over aid from a variable or the environment."""

    def run(self, server, terms=(), variables=None, **kwargs):
        loader = DataLoader()
        templar = Templar(loader=loader, variables={})
        plugin = lookup_loader.get('thousandeyes.usage.usage', loader=loader, templar=templar)
        return plugin.run(list(terms), variables=variables or {}, token=TOKEN, api_url=server.url, **kwargs)

    def test_keyword_name_over_a_variable_aid(self, server):
        server.queue(Reply(200, GROUPS), Reply(200, USAGE))
        self.run(server, variables={'thousandeyes_aid': '1234'}, account_group='Staging')
        assert paths(server) == ['/v7/account-groups', '/v7/usage?aid=5678']

    def test_keyword_aid_over_a_variable_name(self, server):
        server.queue(Reply(200, USAGE))
        self.run(server, variables={'thousandeyes_account_group': 'Staging'}, aid='1234')
        assert paths(server) == ['/v7/usage?aid=1234']

    def test_terms_over_a_variable_name(self, server):
        server.queue(Reply(200, USAGE))
        self.run(server, terms=['9001'], variables={'thousandeyes_account_group': 'Staging'})
        assert paths(server) == ['/v7/usage?aid=9001']

    def test_both_as_keywords_refused(self, server):
        with pytest.raises(AnsibleLookupError, match='^aid and account_group are mutually exclusive'):
            self.run(server, aid='1234', account_group='Staging')
        assert server.received == []

    def test_a_variable_name_over_a_variable_aid(self, server):
        server.queue(Reply(200, GROUPS), Reply(200, USAGE))
        self.run(server, variables={'thousandeyes_aid': '1234', 'thousandeyes_account_group': 'Staging'})
        assert paths(server) == ['/v7/account-groups', '/v7/usage?aid=5678']

    def test_a_variable_name_over_an_aid_from_the_environment(self, server, monkeypatch):
        monkeypatch.setenv('THOUSANDEYES_AID', '1234')
        server.queue(Reply(200, GROUPS), Reply(200, USAGE))
        self.run(server, variables={'thousandeyes_account_group': 'Staging'})
        assert paths(server) == ['/v7/account-groups', '/v7/usage?aid=5678']
