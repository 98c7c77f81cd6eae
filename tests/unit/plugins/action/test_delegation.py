# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Where the work runs: on the controller, or (delegated to another host) in the module on that host."""

from __future__ import annotations

from unittest.mock import MagicMock

import pytest

from ansible.errors import AnsibleActionFail
from ansible.plugins.loader import action_loader

from ansible_collections.thousandeyes.usage.tests.unit.plugins.scripted_http import Reply

TOKEN = 'delegation-secret-token-2b3c4d'
BODY = {'usage': {'quota': {'cloudUnitsIncluded': 1000}, 'cloudUnitsUsed': 800}}
FROM_THE_HOST = {'changed': False, 'usage': {'cloud_units_used': 1}, 'quota_status': {}, 'rate_limit': {},
                 'breaches': []}


def not_expected(*args, **kwargs):
    raise AssertionError('the module was executed on a host: %r %r' % (args, kwargs))


@pytest.mark.parametrize('name', ['usage_info', 'units_info', 'quotas_info', 'quota'])
def test_delegated_to_another_host_runs_the_module_there(server, task, action, name):
    server.queue(Reply(200, BODY))
    options = {'token': TOKEN, 'api_url': server.url, 'organization_quotas': [{'value': 1}]} if name == 'quota' else {
        'token': TOKEN, 'api_url': server.url}
    delegated = task(options, delegate_to='jumphost', environment=[{'HTTPS_PROXY': 'http://proxy:3128'}])
    plugin = action(name, delegated)
    # Ansible's own machinery: building the AnsiballZ payload and running it over the connection.
    plugin._execute_module = MagicMock(return_value=dict(FROM_THE_HOST))
    variables = {'inventory_hostname': 'web1', 'ansible_delegated_vars': {'jumphost': {}}}
    result = plugin.run(task_vars=variables)
    plugin._execute_module.assert_called_once_with(module_name='thousandeyes.usage.' + name, module_args=options,
                                                   task_vars=variables)
    assert result == FROM_THE_HOST
    assert server.received == []


def test_delegated_failure_comes_back_as_is(server, task, action):
    plugin = action('usage_info', task({'api_url': server.url}, delegate_to='jumphost'))
    failure = {'failed': True, 'msg': 'token is required: set the token option or the THOUSANDEYES_TOKEN (or TE_TOKEN) '
                                      'environment variable'}
    plugin._execute_module = MagicMock(return_value=dict(failure))
    assert plugin.run(task_vars={'inventory_hostname': 'web1'}) == failure
    assert server.received == []


def test_delegated_run_does_not_validate_on_the_controller(server, task, action):
    """The host validates (its own environment may hold the token): no controller-side 'missing token' failure."""
    plugin = action('usage_info', task({'bogus': 1}, delegate_to='jumphost'))
    plugin._execute_module = MagicMock(return_value={'changed': False})
    assert plugin.run(task_vars={'inventory_hostname': 'web1'}) == {'changed': False}
    assert plugin._execute_module.call_args.kwargs['module_args'] == {'bogus': 1}


@pytest.mark.parametrize('delegate_to', [None, '', 'localhost', '127.0.0.1', '::1'])
def test_controller_runs_it_itself(server, task, action, run_on, delegate_to):
    server.queue(Reply(200, BODY))
    plugin = action('usage_info', task({'token': TOKEN, 'api_url': server.url}, delegate_to=delegate_to))
    plugin._execute_module = not_expected
    result = run_on(plugin, 'web1')
    assert result['usage']['cloud_units_used'] == 800
    assert len(server.received) == 1


@pytest.mark.parametrize('name', ['usage_info', 'units_info', 'quotas_info', 'quota'])
def test_no_persistent_connection_and_no_async(server, task, action, name):
    """As documented (attributes: async none): the task executor starts no persistent connection for the task, and
    an async task is refused before anything runs."""
    assert action_loader.get('thousandeyes.usage.' + name, class_only=True)._requires_connection is False
    plugin = action(name, task({'token': 'x', 'api_url': server.url}, async_val=30, action='thousandeyes.usage.' + name))
    with pytest.raises(AnsibleActionFail, match=r'This action \(thousandeyes\.usage\.%s\) does not support async' % name):
        plugin.run(task_vars={'inventory_hostname': 'web1'})
    assert server.received == []
