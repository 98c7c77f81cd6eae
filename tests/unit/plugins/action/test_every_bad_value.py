# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every option of every plugin, given a bad value: refused before any request, with one line that names the option,
in the module (as on a managed host), its action plugin (the controller) and the lookup.

Types and choices are ansible-core's to check (the argument spec, the lookup's set_options), in words that differ
between core versions: only the option's name is asserted. The table must hold every option the plugins declare
(test_the_table_covers_every_option), so a new option cannot be added without its bad values.
"""

from __future__ import annotations

import json
import re

import pytest

from ansible import constants as C
from ansible.errors import AnsibleError
from ansible.parsing.dataloader import DataLoader
from ansible.plugins.loader import lookup_loader, test_loader
from ansible.template import Templar

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
LOOKUP = 'thousandeyes.usage.usage'
MODULES = {
    'account_groups_info': (account_groups_info, ACCOUNT_GROUPS_INFO_SPEC),
    'usage_info': (usage_info, USAGE_INFO_SPEC),
    'units_info': (units_info, UNITS_INFO_SPEC),
    'quotas_info': (quotas_info, QUOTAS_INFO_SPEC),
    'quota': (quota, QUOTA_SPEC),
}
# quota needs one of its lists; a valid one where the option under test is not one of them.
REQUIRED = {'quota': {'organization_quotas': [{'org_id': '10', 'value': 5}]}}

# option -> the values every plugin that takes the option refuses. Options with none take any string: an argument
# spec converts any value to one (ansible-core's rule); the lookup's set_options refuses what is not a string
# (NOT_A_STRING).
BAD_VALUES = {
    'token': [{'a': 1}, 'two words'],
    'api_url': ['ftp://example.com/v7', ['x'], 'http://example.com/v7'],
    'aid': [],
    'account_group': [],
    'timeout': ['soon', 0],
    'validate_certs': ['maybe'],
    'ca_path': [],
    'max_retries': ['many', -1],
    'max_rate_limit_wait': ['long', -1],
    'expand': [['tests'], {'test': 1}],
    'thresholds': ['high', 90, ['x'], {'nope': 1}, {'cloud_units_used_pct': 'lots'}, {'cloud_units_used_pct': 1500}],
    'reserve': ['lots', 5, {'tests': 1}, {'cloud_units': -1}, {'endpoint_agents': 2.5}, {'enterprise_agents': True}],
    'cache': ['forever'],
    'cache_plugin': [],
    'cache_connection': [],
    'cache_timeout': [-5, 'a day'],
    'cache_prefix': [],
    'resource': ['agents'],
    'start_date': ['yesterday'],
    'end_date': ['2026-13-01'],
    'top': ['ten', -1],
    'max_pages': ['all', 0],
    'organization_quotas': [{'org_id': '10'}, ['x'], [{'org': '10'}], [{'org_id': '10', 'value': 'much'}],
                            [{'org_id': '10', 'value': -1}]],
    'account_group_quotas': [['x'], [{'org_id': '10', 'aid': '1234', 'value': 1.5}], [{'org_id': '10', 'value': 1}],
                             [{'aid': '1234', 'account_group': 'Production', 'value': 1}]],
    'state': ['gone'],
}
NOT_A_STRING = [{'id': 1}, ['x']]
# Aliases: the message names the option or the alias.
ALIASES = {'cache_ttl': 'cache_timeout', 'account_group_id': 'aid'}


def lookup_options():
    """The lookup's options as ansible-core loaded them from its DOCUMENTATION and doc fragments."""
    loader = DataLoader()
    plugin = lookup_loader.get(LOOKUP, loader=loader, templar=Templar(loader=loader))
    return set(C.config.get_configuration_definitions('lookup', plugin._load_name)) - {'_terms'}


def cases():
    for name, (dummy, spec) in sorted(MODULES.items()):
        for option in sorted(full_spec(spec)['argument_spec']):
            for value in BAD_VALUES[option]:
                yield name, option, value
    for option in sorted(lookup_options()):
        for value in BAD_VALUES[option] or NOT_A_STRING:
            yield LOOKUP, option, value
    for alias, option in sorted(ALIASES.items()):
        for value in BAD_VALUES[option] or NOT_A_STRING:
            yield LOOKUP, alias, value
        if BAD_VALUES[option]:
            yield 'usage_info', alias, BAD_VALUES[option][0]


def params():
    for case in cases():
        yield pytest.param(*case, id='%s-%s-%r' % case)


def test_the_table_covers_every_option():
    declared = lookup_options()
    for dummy, spec in MODULES.values():
        declared.update(full_spec(spec)['argument_spec'])
    assert declared == set(BAD_VALUES)


def names(message, option):
    """Whether ``message`` names ``option`` (or the option it is an alias of) as a word."""
    return any(re.search(r'\b%s\b' % re.escape(name), message) for name in (option, ALIASES.get(option, option)))


def run_lookup(server, **kwargs):
    loader = DataLoader()
    plugin = lookup_loader.get(LOOKUP, loader=loader, templar=Templar(loader=loader))
    with pytest.raises(AnsibleError) as err:
        plugin.run([], variables={}, **kwargs)
    return str(err.value)


@pytest.mark.parametrize('name,option,value', list(params()))
def test_refused_before_any_request_with_one_line_naming_the_option(server, run_action, run_module, name, option,
                                                                    value):
    server.queue(Reply(200, {'usage': {}}))
    if name == LOOKUP:
        messages = [run_lookup(server, **{'token': TOKEN, 'api_url': server.url, option: value})]
    else:
        args = dict(REQUIRED.get(name, {}), token=TOKEN, api_url=server.url)
        args[option] = value
        action_result = run_action(name, args)
        code, module_result = run_module(MODULES[name][0], args)
        assert action_result['failed'] is True and code == 1
        assert TOKEN not in json.dumps([action_result, module_result])
        messages = [action_result['msg'], module_result['msg']]
    for message in messages:
        assert names(message, option), message
        assert '\n' not in message and TOKEN not in message
    assert server.received == []


@pytest.mark.parametrize('kwargs,message', [
    ({'cloud_units_used_pct': 'lots'}, "thresholds.cloud_units_used_pct must be a percentage between 0 and 1000, got 'lots'"),
    ({'cloud_units_pct': 1}, 'thresholds: unknown key cloud_units_pct; allowed keys: '),
])
def test_within_quota_names_the_threshold(kwargs, message):
    within_quota = test_loader.get('thousandeyes.usage.within_quota').j2_function
    facts = {'quota_status': dict((section, {key: 1.0}) for section, key, dummy in THRESHOLDS.values())}
    with pytest.raises(AnsibleError) as err:
        within_quota(facts, **kwargs)
    assert str(err.value).startswith('within_quota: ' + message)


@pytest.mark.parametrize('name', ['usage_info', 'units_info'])
def test_aid_and_account_group_together(server, run_action, run_module, name):
    args = dict(token=TOKEN, api_url=server.url, aid='1234', account_group='Production')
    result = run_action(name, args)
    code, from_module = run_module(MODULES[name][0], args)
    assert result['msg'] == from_module['msg'] == ('aid and account_group are mutually exclusive: give the account '
                                                   'group by ID (aid) or by name (account_group), not both')
    assert run_lookup(server, token=TOKEN, api_url=server.url, aid='1234', account_group='Production') == result['msg']
    assert server.received == []


def test_lookup_variables_are_checked_too(server):
    loader = DataLoader()
    plugin = lookup_loader.get(LOOKUP, loader=loader, templar=Templar(loader=loader))
    with pytest.raises(AnsibleError) as err:
        plugin.run([], variables={'thousandeyes_aid': {'id': 1}}, token=TOKEN, api_url=server.url)
    assert names(str(err.value), 'aid'), str(err.value)
    assert server.received == []


@pytest.mark.parametrize('name', sorted(MODULES))
def test_the_token_set_nowhere(server, run_action, run_module, name):
    args = dict(REQUIRED.get(name, {}), api_url=server.url)
    result = run_action(name, args)
    code, from_module = run_module(MODULES[name][0], args)
    assert names(result['msg'], 'token') and names(from_module['msg'], 'token'), (result, from_module)
    assert names(run_lookup(server, api_url=server.url), 'token')
    assert server.received == []
