# -*- coding: utf-8 -*-
# Copyright (c) thousandeyes.usage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Internal to the thousandeyes.usage collection: argument specs and the module side of running a task.

CONNECTION_ARGSPEC matches plugins/doc_fragments/connection.py. A module's spec (``*_SPEC`` next to its logic) is
validated by AnsibleModule when the module runs on a managed host, and by the action plugin on the controller.
"""

from __future__ import annotations

from ansible.module_utils.basic import AnsibleModule, env_fallback, missing_required_lib

from ansible_collections.thousandeyes.usage.plugins.module_utils._api import CONNECTION_DEFAULTS
from ansible_collections.thousandeyes.usage.plugins.module_utils._errors import ThousandEyesError
from ansible_collections.thousandeyes.usage.plugins.module_utils._params import check_values

CONNECTION_ARGSPEC = dict(
    token=dict(type='str', required=True, no_log=True, fallback=(env_fallback, ['THOUSANDEYES_TOKEN', 'TE_TOKEN'])),
    api_url=dict(type='str', default=CONNECTION_DEFAULTS['api_url'], fallback=(env_fallback, ['THOUSANDEYES_API_URL'])),
    aid=dict(type='str', aliases=['account_group_id'], fallback=(env_fallback, ['THOUSANDEYES_AID', 'TE_AID'])),
    timeout=dict(type='float', default=CONNECTION_DEFAULTS['timeout']),
    validate_certs=dict(type='bool', default=CONNECTION_DEFAULTS['validate_certs']),
    ca_path=dict(type='path'),
    max_retries=dict(type='int', default=CONNECTION_DEFAULTS['max_retries']),
    max_rate_limit_wait=dict(type='float', default=CONNECTION_DEFAULTS['max_rate_limit_wait']),
)
# Keys of a module spec that are AnsibleModule settings, not argument-spec constraints.
MODULE_ONLY = ('supports_check_mode',)


def full_spec(spec):
    """A module spec with the connection options added: the keyword arguments of AnsibleModule."""
    result = dict(spec)
    result['argument_spec'] = dict(CONNECTION_ARGSPEC, **spec.get('argument_spec', {}))
    return result


def validator_args(spec):
    """The keyword arguments of ArgumentSpecValidator for a module spec (connection options included)."""
    return dict((key, value) for key, value in full_spec(spec).items() if key not in MODULE_ONLY)


class _CheckedModule(AnsibleModule):
    """An AnsibleModule that checks the values as given before ansible-core converts them (see _params.py), so a bad
    value fails with the same line as in the action plugin and the lookup."""

    def _set_internal_properties(self):
        super()._set_internal_properties()  # the last step before ansible-core's own validation
        try:
            check_values(self.argument_spec, self.params)
        except ThousandEyesError as exc:
            # ansible-core has not listed the no_log values yet: the token must not reach the invocation shown.
            self.no_log_values.update(str(self.params[key]) for name, option in self.argument_spec.items()
                                      if option.get('no_log') for key in [name] + list(option.get('aliases') or ())
                                      if self.params.get(key) not in (None, ''))
            self.fail_json(msg=str(exc))


def thousandeyes_module(spec):
    """An AnsibleModule for a module spec, failing the standard way when requests is missing."""
    module = _CheckedModule(**full_spec(spec))
    try:
        import requests  # noqa: F401, pylint: disable=unused-import
    except ImportError as exc:
        module.fail_json(msg=missing_required_lib('requests'), exception=str(exc))
    return module


def run_module(spec, runner):
    """main() of every module: validate, run the same function the action plugin runs, exit or fail with its result."""
    module = thousandeyes_module(spec)
    try:
        result = runner(module.params, check_mode=module.check_mode, diff=module._diff)
    except ThousandEyesError as exc:
        module.fail_json(**exc.result())
    for warning in result.pop('warnings', ()):
        module.warn(warning)
    if result.get('failed'):
        module.fail_json(**result)
    module.exit_json(**result)
