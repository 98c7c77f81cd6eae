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
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.module_utils.common.parameters import remove_values
from ansible.module_utils.errors import UnsupportedError
from ansible.plugins.action import ActionBase
from ansible.utils.display import Display

from ansible_collections.thousandeyes.usage.plugins.module_utils._args import validator_args
from ansible_collections.thousandeyes.usage.plugins.module_utils._errors import ThousandEyesError
from ansible_collections.thousandeyes.usage.plugins.module_utils._params import check_values
from ansible_collections.thousandeyes.usage.plugins.plugin_utils._cache import AnswerCache, error_scope

display = Display()
# Attempts per (task, host) in this worker, retries and loop items alike: ansible-core makes a new handler for each
# retry of an until/retries loop, but the worker process lives through all of them.
_ATTEMPTS = {}


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
        attempt = _ATTEMPTS[self._task._uuid, host] = _ATTEMPTS.get((self._task._uuid, host), 0) + 1
        environment = {}
        self._compute_environment_string(environment)
        with task_environment(environment):
            result.update(self._run_here(host, attempt))
        return result

    def _run_here(self, host, attempt):
        spec = validator_args(self.SPEC)
        try:
            check_values(spec['argument_spec'], self._task.args)
        except ThousandEyesError as exc:
            return exc.result()  # names no secret: no_log options are never shown
        validation = ArgumentSpecValidator(**spec).validate(self._task.args)
        secrets = validation._no_log_values
        if validation.error_messages:
            msg = validation.errors.msg
            if isinstance(validation.errors[0], UnsupportedError):
                msg = 'Unsupported parameters for (%s) module: %s' % (self._module_name, msg)
            return remove_values({'failed': True, 'msg': msg}, secrets)
        params = validation.validated_parameters
        try:
            result = self.RUNNER(params, check_mode=bool(self._task.check_mode), diff=bool(self._task.diff),
                                 cache=self._cache(params, host, attempt))
        except ThousandEyesError as exc:
            result = exc.result()
        warnings = ['Both option %(option)s and its alias %(alias)s are set.' % item for item in validation._warnings]
        warnings.extend(result.pop('warnings', ()))
        if warnings:
            result['warnings'] = warnings
        # As AnsibleModule does: no value of a no_log option (the token) in anything returned.
        return remove_values(result, secrets) if secrets else result

    def _cache(self, params, host, attempt):
        """The run-wide cache (usage answers, account groups for names), with the module's cache options if it takes
        them. Errors are shared by this task's hosts only, and a retry asks again."""
        return AnswerCache(params.get('cache', 'run'), params.get('cache_ttl'), display, name=self._module_name,
                           error_scope=error_scope('task:%s' % self._task._uuid, params), attempt=attempt, host=host)
