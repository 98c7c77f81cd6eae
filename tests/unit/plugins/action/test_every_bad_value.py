# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every option of every plugin, given a bad value: refused before any request, with one line naming the option and
what it allows, the same in the module (as on a managed host), its action plugin (the controller) and the lookup.

The table must hold every option the plugins declare (test_the_table_covers_every_option), so a new option cannot
be added without its bad-value case.
"""

from __future__ import annotations

import json

import pytest

from ansible.errors import AnsibleError
from ansible.parsing.dataloader import DataLoader
from ansible.plugins.loader import lookup_loader, test_loader
from ansible.template import Templar

from ansible_collections.thousandeyes.usage.plugins.lookup import usage as usage_lookup
from ansible_collections.thousandeyes.usage.plugins.module_utils._account_groups import ACCOUNT_GROUPS_INFO_SPEC
from ansible_collections.thousandeyes.usage.plugins.module_utils._args import full_spec
from ansible_collections.thousandeyes.usage.plugins.module_utils._quotas import QUOTA_SPEC, QUOTAS_INFO_SPEC
from ansible_collections.thousandeyes.usage.plugins.module_utils._thresholds import THRESHOLDS
from ansible_collections.thousandeyes.usage.plugins.module_utils._units import UNITS_INFO_SPEC
from ansible_collections.thousandeyes.usage.plugins.module_utils._usage_info import USAGE_INFO_SPEC
from ansible_collections.thousandeyes.usage.plugins.modules import (
    account_groups_info,
    quota,
    quotas_info,
    units_info,
    usage_info,
)
from ansible_collections.thousandeyes.usage.tests.unit.plugins.scripted_http import Reply

TOKEN = 'bad-value-secret-token-1b2c3d'
MODULES = {
    'account_groups_info': (account_groups_info, ACCOUNT_GROUPS_INFO_SPEC),
    'usage_info': (usage_info, USAGE_INFO_SPEC),
    'units_info': (units_info, UNITS_INFO_SPEC),
    'quotas_info': (quotas_info, QUOTAS_INFO_SPEC),
    'quota': (quota, QUOTA_SPEC),
}
# quota needs one of its lists; a valid one where the option under test is not one of them.
REQUIRED = {'quota': {'organization_quotas': [{'org_id': '10', 'value': 5}]}}
THRESHOLDS_TEXT = 'thresholds must be a dictionary of maximum percentages (0 to 1000) with keys from '

# option -> [(bad value, the start of the message)]; each message names the option first.
BAD_VALUES = {
    'token': [({'a': 1}, 'token must be a string'),
              ('two words', 'token must be a single word with no whitespace')],
    'api_url': [('ftp://example.com/v7', "api_url must be an absolute http:// or https:// URL, got 'ftp"),
                (['x'], "api_url must be a string, got \"['x']\""),
                ('http://example.com/v7', 'api_url uses plain http:// to example.com: refusing')],
    'aid': [({'id': 1}, "aid must be a string, got \"{'id': 1}\"")],
    'account_group': [(['Production'], "account_group must be a string, got \"['Production']\"")],
    'timeout': [('soon', "timeout must be a number, got 'soon'"), (0, 'timeout must be at least 0.001, got 0')],
    'validate_certs': [('maybe', "validate_certs must be true or false, got 'maybe'")],
    'ca_path': [(['a'], "ca_path must be a path (a string), got \"['a']\"")],
    'max_retries': [('many', "max_retries must be an integer, got 'many'"),
                    (-1, 'max_retries must be at least 0, got -1')],
    'max_rate_limit_wait': [('long', "max_rate_limit_wait must be a number, got 'long'"),
                            (-1, 'max_rate_limit_wait must be at least 0, got -1')],
    'expand': [(['tests'], "expand: value 'tests' is not one of test, enterprise-agent, "),
               ({'test': 1}, "expand must be a list, got \"{'test': 1}\"")],
    'thresholds': [('high', THRESHOLDS_TEXT), (90, THRESHOLDS_TEXT), (['x'], THRESHOLDS_TEXT),
                   ({'nope': 1}, 'thresholds: unknown key nope; allowed keys: cloud_units_next_billing_period_pct, '),
                   ({'cloud_units_used_pct': 'lots'},
                    "thresholds.cloud_units_used_pct must be a percentage between 0 and 1000, got 'lots'"),
                   ({'cloud_units_used_pct': 1500}, 'thresholds.cloud_units_used_pct must be a percentage between 0 '
                                                    'and 1000, got 1500')],
    'cache': [('forever', "cache must be one of run, none, got 'forever'")],
    'cache_ttl': [(-5, 'cache_ttl must be a non-negative integer (seconds), got -5'),
                  ('a day', "cache_ttl must be a non-negative integer (seconds), got 'a day'")],
    'resource': [('agents', "resource must be one of tests, enterprise_agents, all, got 'agents'")],
    'start_date': [('yesterday', 'start_date must be a date (YYYY-MM-DD) or an ISO 8601 date-time with a timezone')],
    'end_date': [('2026-13-01', 'end_date must be a date (YYYY-MM-DD) or an ISO 8601 date-time with a timezone')],
    'top': [('ten', "top must be an integer, got 'ten'"), (-1, 'top must be 0 or more, got -1')],
    'max_pages': [('all', "max_pages must be an integer, got 'all'"), (0, 'max_pages must be at least 1, got 0')],
    'organization_quotas': [
        ({'org_id': '10'}, "organization_quotas must be a list, got \"{'org_id': '10'}\""),
        (['x'], "organization_quotas[0] must be a dictionary with keys org_id, value, got 'x'"),
        ([{'org': '10'}], 'organization_quotas[0]: unknown key org; allowed keys: org_id, value'),
        ([{'org_id': '10', 'value': 'much'}], "organization_quotas[0].value must be an integer, got 'much'"),
        ([{'org_id': '10', 'value': -1}], 'organization_quotas[0]: value must be a whole number of 0 or more, got -1')],
    'account_group_quotas': [
        ([{'org_id': '10', 'aid': {'x': 1}, 'value': 1}],
         "account_group_quotas[0].aid must be a string, got \"{'x': 1}\""),
        ([{'org_id': '10', 'aid': '1234', 'value': 1.5}],
         'account_group_quotas[0].value must be an integer, got 1.5'),
        ([{'org_id': '10', 'account_group': ['x'], 'value': 1}],
         "account_group_quotas[0].account_group must be a string, got \"['x']\""),
        ([{'org_id': '10', 'value': 1}], 'account_group_quotas[0]: aid or account_group is required'),
        ([{'aid': '1234', 'account_group': 'Production', 'value': 1}],
         'account_group_quotas[0]: aid and account_group are mutually exclusive')],
    'state': [('gone', "state must be one of present, absent, got 'gone'")],
}


def cases():
    for name, (dummy, spec) in sorted(MODULES.items()):
        for option in sorted(full_spec(spec)['argument_spec']):
            for value, message in BAD_VALUES[option]:
                yield pytest.param(name, option, value, message, id='%s-%s-%r' % (name, option, value))


def test_the_table_covers_every_option():
    declared = set()
    for dummy, spec in MODULES.values():
        declared.update(full_spec(spec)['argument_spec'])
    declared.update(name for name in json.loads(usage_lookup.OPTION_DEFINITIONS) if name != '_terms')
    assert declared == set(BAD_VALUES)


def module_args(name, server, option, value):
    args = dict(REQUIRED.get(name, {}), token=TOKEN, api_url=server.url)
    args[option] = value
    return args


def lookup(server, option, value, **others):
    loader = DataLoader()
    templar = Templar(loader=loader, variables={})
    plugin = lookup_loader.get('thousandeyes.usage.usage', loader=loader, templar=templar)
    kwargs = dict(others, token=TOKEN, api_url=server.url)
    kwargs[option] = value
    with pytest.raises(AnsibleError) as err:
        plugin.run([], variables={}, **kwargs)
    return str(err.value)


@pytest.mark.parametrize('name,option,value,message', list(cases()))
def test_refused_before_any_request_with_one_line(server, run_action, run_module, name, option, value, message):
    server.queue(Reply(200, {'usage': {}}))
    module, dummy = MODULES[name]
    args = module_args(name, server, option, value)
    action_result = run_action(name, args)
    code, module_result = run_module(module, args)
    assert action_result['failed'] is True and code == 1
    assert action_result['msg'].startswith(message), action_result['msg']
    assert module_result['msg'] == action_result['msg']
    assert '\n' not in action_result['msg'] and TOKEN not in json.dumps([action_result, module_result])
    if option in json.loads(usage_lookup.OPTION_DEFINITIONS):
        assert lookup(server, option, value) == action_result['msg']
    assert server.received == []


@pytest.mark.parametrize('kwargs,message', [
    ({'cloud_units_used_pct': 'lots'}, "thresholds.cloud_units_used_pct must be a percentage between 0 and 1000, got 'lots'"),
    ({'cloud_units_pct': 1}, 'thresholds: unknown key cloud_units_pct; allowed keys: '),
])
def test_within_quota_names_the_threshold(kwargs, message):
    within_quota = test_loader.get('thousandeyes.usage.within_quota').j2_function
    facts = {'quota_status': dict((section, {key: 1.0}) for section, key in THRESHOLDS.values())}
    with pytest.raises(AnsibleError) as err:
        within_quota(facts, **kwargs)
    assert str(err.value).startswith('within_quota: ' + message)


@pytest.mark.parametrize('term', [{'aid': '1234'}, ['1234'], True])
def test_lookup_terms_are_account_group_ids(server, term):
    loader = DataLoader()
    templar = Templar(loader=loader, variables={})
    plugin = lookup_loader.get('thousandeyes.usage.usage', loader=loader, templar=templar)
    with pytest.raises(AnsibleError, match=r'^terms must be account group IDs \(aid\), got '):
        plugin.run([term], variables={}, token=TOKEN, api_url=server.url)
    assert server.received == []


@pytest.mark.parametrize('name', ['usage_info', 'units_info'])
def test_aid_and_account_group_together(server, run_action, run_module, name):
    args = dict(token=TOKEN, api_url=server.url, aid='1234', account_group='Production')
    result = run_action(name, args)
    code, from_module = run_module(MODULES[name][0], args)
    assert result['msg'] == from_module['msg'] == ('aid and account_group are mutually exclusive: give the account '
                                                   'group by ID (aid) or by name (account_group), not both')
    assert lookup(server, 'account_group', 'Production', aid='1234') == result['msg']
    assert server.received == []


def test_lookup_terms_and_account_group_together(server):
    loader = DataLoader()
    templar = Templar(loader=loader, variables={})
    plugin = lookup_loader.get('thousandeyes.usage.usage', loader=loader, templar=templar)
    with pytest.raises(AnsibleError, match=r'^terms and account_group are mutually exclusive'):
        plugin.run(['1234'], variables={}, token=TOKEN, api_url=server.url, account_group='Production')
    assert server.received == []


def test_lookup_variables_are_checked_too(server):
    loader = DataLoader()
    templar = Templar(loader=loader, variables={})
    plugin = lookup_loader.get('thousandeyes.usage.usage', loader=loader, templar=templar)
    with pytest.raises(AnsibleError, match=r'^aid must be a string, got '):
        plugin.run([], variables={'thousandeyes_aid': {'id': 1}}, token=TOKEN, api_url=server.url)
    assert server.received == []


@pytest.mark.parametrize('name', sorted(MODULES))
def test_the_token_set_nowhere(server, run_action, run_module, name):
    args = dict(REQUIRED.get(name, {}), api_url=server.url)
    result = run_action(name, args)
    code, from_module = run_module(MODULES[name][0], args)
    assert result['msg'] == from_module['msg'] == ('token is required: set the token option or the THOUSANDEYES_TOKEN '
                                                   '(or TE_TOKEN) environment variable')
    loader = DataLoader()
    templar = Templar(loader=loader, variables={})
    plugin = lookup_loader.get('thousandeyes.usage.usage', loader=loader, templar=templar)
    with pytest.raises(AnsibleError) as err:
        plugin.run([], variables={}, api_url=server.url)
    assert str(err.value) == result['msg']
    assert server.received == []
