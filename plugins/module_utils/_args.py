# -*- coding: utf-8 -*-
# Copyright (c) thousandeyes.usage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Internal to the thousandeyes.usage collection: the modules' side of the shared connection options.

Matches plugins/doc_fragments/connection.py; kept apart from _api.py so the client stays free of AnsibleModule.
"""

from __future__ import annotations

import traceback

from ansible.module_utils.basic import AnsibleModule, env_fallback, missing_required_lib

from ansible_collections.thousandeyes.usage.plugins.module_utils._api import CONNECTION_DEFAULTS

REQUESTS_IMPORT_ERROR = None
try:
    import requests  # noqa: F401, pylint: disable=unused-import
except ImportError:  # reported through missing_required_lib when the module starts
    REQUESTS_IMPORT_ERROR = traceback.format_exc()
    HAS_REQUESTS = False
else:
    HAS_REQUESTS = True

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


def thousandeyes_module(argument_spec, **kwargs):
    """An AnsibleModule with the connection options added, failing the standard way when requests is missing."""
    spec = dict(CONNECTION_ARGSPEC)
    spec.update(argument_spec)
    module = AnsibleModule(argument_spec=spec, **kwargs)
    if not HAS_REQUESTS:
        module.fail_json(msg=missing_required_lib('requests'), exception=REQUESTS_IMPORT_ERROR)
    return module
