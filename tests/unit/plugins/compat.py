# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The unit-test helpers of ansible-core 2.19+, with stand-ins that do the same on ansible-core 2.16-2.18."""

from __future__ import annotations

import contextlib
import json
from unittest import mock

from ansible.module_utils import basic
from ansible.module_utils.common.text.converters import to_bytes

__all__ = ('patch_module_args', 'trust_as_template')

try:
    from ansible.module_utils.testing import patch_module_args
except ImportError:  # ansible-core < 2.19: AnsibleModule reads its arguments from basic._ANSIBLE_ARGS
    @contextlib.contextmanager
    def patch_module_args(args=None):
        """Expose the given module args to AnsibleModule instances created within this context."""
        with mock.patch.object(basic, '_ANSIBLE_ARGS', to_bytes(json.dumps({'ANSIBLE_MODULE_ARGS': args or {}}))):
            yield


try:
    from ansible.template import trust_as_template
except ImportError:  # ansible-core < 2.19 (no data tagging: a string in a playbook is a template), or a module test run
    def trust_as_template(value):
        """A string as a playbook holds it."""
        return value
