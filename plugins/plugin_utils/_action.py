# -*- coding: utf-8 -*-
# Copyright (c) thousandeyes.usage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Internal to the thousandeyes.usage collection: the action plugin shared by every module (controller only).

The module's work runs here, in the controller's worker process, with no connection to the managed host, no AnsiballZ
payload and no Python or requests needed there. It validates the module's own argument spec (env fallbacks read on
the controller, with the task's ``environment:`` applied) and calls the same module_utils function as the module's
``main()``. A task delegated to another host than the controller runs the module there, the usual way.
"""

from __future__ import annotations

import contextlib
import os

from ansible import constants as C
from ansible.errors import AnsibleActionFail
from ansible.module_utils.common.parameters import remove_values
from ansible.plugins.action import ActionBase
from ansible.utils.display import Display

from ansible_collections.thousandeyes.usage.plugins.module_utils._args import check_common, validator_args
from ansible_collections.thousandeyes.usage.plugins.module_utils._errors import ThousandEyesError
from ansible_collections.thousandeyes.usage.plugins.plugin_utils._cache import Cache

display = Display()


@contextlib.contextmanager
def task_environment(environment):
    """The task's ``environment:`` in os.environ while the action runs (proxies, THOUSANDEYES_* fallbacks), restored
    afterwards. A worker runs one task, but restoring keeps in-process callers (tests) clean."""
    saved = dict(os.environ)
    os.environ.update((str(name), str(value)) for name, value in environment.items())
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


class ThousandEyesAction(ActionBase):
    """Subclasses set SPEC and RUNNER: the module's spec and function from module_utils."""

    SPEC = None
    RUNNER = None
    # No connection is needed on the controller path: keep ansible-core from starting a persistent connection (for
    # example network_cli to a router) just to run this task.
    _requires_connection = False

    @property
    def _module_name(self):
        return 'thousandeyes.usage.' + self._load_name.rsplit('.', 1)[-1]

    def _on_controller(self):
        delegate = self._task.delegate_to
        return not delegate or delegate in C.LOCALHOST

    def run(self, tmp=None, task_vars=None):
        if self._task.async_val and not self._supports_async:  # ansible-core 2.16 words it otherwise: one message
            raise AnsibleActionFail('This action (%s) does not support async.' % self._task.action)
        result = super().run(tmp, task_vars)
        host = (task_vars or {}).get('inventory_hostname')
        if not self._on_controller():
            display.vvv('%s: delegated to %s, running the module there' % (self._module_name, self._task.delegate_to),
                        host=host)
            result.update(self._execute_module(module_name=self._module_name, module_args=self._task.args,
                                               task_vars=task_vars))
            self._remove_tmp_path(self._connection._shell.tmpdir)
            return result
        environment = {}
        self._compute_environment_string(environment)
        with task_environment(environment):
            validation, params = self.validate_argument_spec(**validator_args(self.SPEC))  # raises on a bad value
            for item in validation._deprecations:  # pylint: disable=protected-access  # AnsibleModule shows these
                display.deprecated(item['msg'], version=item['version'], collection_name=item['collection_name'])
            try:
                check_common(self._task.args, params)
                outcome = self.RUNNER(params, check_mode=bool(self._task.check_mode), diff=bool(self._task.diff),
                                      cache=Cache(params, display, self._module_name, host))
            except ThousandEyesError as exc:
                outcome = exc.result()
        # As AnsibleModule does: alias warnings, and no value of a no_log option (the token) in anything returned.
        warnings = ['Both option %(option)s and its alias %(alias)s are set.' % item
                    for item in validation._warnings]  # pylint: disable=protected-access
        warnings.extend(outcome.pop('warnings', ()))
        if warnings:
            outcome['warnings'] = warnings
        result.update(remove_values(outcome, validation._no_log_values))  # pylint: disable=protected-access
        return result
