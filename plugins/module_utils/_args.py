# -*- coding: utf-8 -*-
# Copyright (c) thousandeyes.usage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Internal to the thousandeyes.usage collection: the argument spec every module shares, and the module side of
running a task.

COMMON_ARGSPEC matches plugins/doc_fragments/connection.py and cache.py. A module's spec (``*_SPEC`` next to its logic)
is validated by AnsibleModule when the module runs on a managed host, and by the action plugin on the controller;
check_common() adds the rules an argument spec cannot express.
"""

from __future__ import annotations

from ansible.module_utils.basic import AnsibleModule, env_fallback, missing_required_lib
from ansible.module_utils.parsing.convert_bool import boolean

from ansible_collections.thousandeyes.usage.plugins.module_utils._account_groups import check_exclusive
from ansible_collections.thousandeyes.usage.plugins.module_utils._api import CONNECTION_DEFAULTS, NoCache
from ansible_collections.thousandeyes.usage.plugins.module_utils._errors import ThousandEyesError, shown

COMMON_ARGSPEC = dict(
    token=dict(type='str', required=True, no_log=True, fallback=(env_fallback, ['THOUSANDEYES_TOKEN', 'TE_TOKEN'])),
    api_url=dict(type='str', default=CONNECTION_DEFAULTS['api_url'], fallback=(env_fallback, ['THOUSANDEYES_API_URL'])),
    aid=dict(type='str', aliases=['account_group_id'], fallback=(env_fallback, ['THOUSANDEYES_AID', 'TE_AID'])),
    timeout=dict(type='float', default=CONNECTION_DEFAULTS['timeout']),
    validate_certs=dict(type='bool', default=CONNECTION_DEFAULTS['validate_certs']),
    ca_path=dict(type='path'),
    max_retries=dict(type='int', default=CONNECTION_DEFAULTS['max_retries']),
    max_rate_limit_wait=dict(type='float', default=CONNECTION_DEFAULTS['max_rate_limit_wait']),
    cache=dict(type='str', choices=['run', 'none'], default='run'),
    cache_plugin=dict(type='str', default='ansible.builtin.jsonfile',
                      fallback=(env_fallback, ['THOUSANDEYES_CACHE_PLUGIN'])),
    # A Redis connection string holds its password.
    cache_connection=dict(type='str', no_log=True, fallback=(env_fallback, ['THOUSANDEYES_CACHE_CONNECTION'])),
    cache_timeout=dict(type='int', default=0, aliases=['cache_ttl'], fallback=(env_fallback, ['THOUSANDEYES_CACHE_TIMEOUT']),
                       deprecated_aliases=[dict(name='cache_ttl', version='2.0.0', collection_name='thousandeyes.usage')]),
    cache_prefix=dict(type='str', default='thousandeyes_usage_', fallback=(env_fallback, ['THOUSANDEYES_CACHE_PREFIX'])),
)


def full_spec(spec):
    """A module spec with the common options added: the keyword arguments of AnsibleModule."""
    return dict(spec, argument_spec=dict(COMMON_ARGSPEC, **spec.get('argument_spec', {})))


def validator_args(spec):
    """The keyword arguments of ArgumentSpecValidator (and ActionBase.validate_argument_spec) for a module spec."""
    return dict((key, value) for key, value in full_spec(spec).items() if key != 'supports_check_mode')


def check_common(given, params):
    """What an argument spec cannot say: ``given`` holds the options as the task gave them, ``params`` as validated."""
    check_exclusive(given)
    try:  # the lookup's options read booleans leniently: a typo must not turn certificate checks off
        boolean(given.get('validate_certs', True), strict=True)
    except TypeError:
        raise ThousandEyesError('validate_certs must be true or false, got %s' % shown(given['validate_certs']))
    if (params.get('cache_timeout') or 0) < 0:
        raise ThousandEyesError('cache_timeout must be 0 or more (seconds), got %d' % params['cache_timeout'])


def run_module(spec, runner):
    """main() of every module (on a managed host, with no cache): validate, run the function the action plugin runs on
    the controller, exit or fail with its result."""
    module = AnsibleModule(**full_spec(spec))
    try:
        import requests  # noqa: F401, pylint: disable=unused-import
    except ImportError as exc:
        module.fail_json(msg=missing_required_lib('requests'), exception=str(exc))
    try:
        check_common(module.params, module.params)
        result = runner(module.params, check_mode=module.check_mode, diff=module._diff, cache=NoCache())
    except ThousandEyesError as exc:
        module.fail_json(**exc.result())
    for warning in result.pop('warnings', ()):
        module.warn(warning)
    if result.get('failed'):
        module.fail_json(**result)
    module.exit_json(**result)
