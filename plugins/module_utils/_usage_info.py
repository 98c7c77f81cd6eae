# -*- coding: utf-8 -*-
# Copyright (c) thousandeyes.usage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Internal to the thousandeyes.usage collection: the usage_info module's work, shared by the module (on a delegated
host) and its action plugin (on the controller, with the run-wide cache).
"""

from __future__ import annotations

from ansible_collections.thousandeyes.usage.plugins.module_utils._account_groups import resolve_aid
from ansible_collections.thousandeyes.usage.plugins.module_utils._api import ThousandEyesClient
from ansible_collections.thousandeyes.usage.plugins.module_utils._params import CACHE_MODES, check_cache_options
from ansible_collections.thousandeyes.usage.plugins.module_utils._thresholds import (
    THRESHOLDS,
    breach_summary,
    check_thresholds,
)
from ansible_collections.thousandeyes.usage.plugins.module_utils._usage import (
    EXPAND_CHOICES,
    expand_param,
    facts,
    fetch_usage,
)


def read_usage(client, aid=None, expand=None, cache=None):
    """fetch_usage through ``cache`` (the controller's run-wide AnswerCache) when given, else straight from the API."""
    if cache is None:
        return fetch_usage(client, aid, expand)
    options = client.options
    return cache.get(options['api_url'], ['usage', aid, expand], options['token'], lambda: fetch_usage(client, aid, expand))


USAGE_INFO_SPEC = dict(
    argument_spec=dict(
        expand=dict(type='list', elements='str', choices=list(EXPAND_CHOICES)),
        thresholds=dict(type='dict', options=dict((key, dict(type='float')) for key in THRESHOLDS)),
        account_group=dict(type='str'),
        cache=dict(type='str', choices=list(CACHE_MODES), default='run'),
        cache_ttl=dict(type='int'),
    ),
    supports_check_mode=True,
)


def run_usage_info(params, check_mode=False, diff=False, cache=None):
    """The usage_info module: validated params in, result out (``failed`` and ``msg`` set on a threshold breach).

    ``cache`` is the controller's run-wide cache (None on a managed host, where each task asks the API)."""
    thresholds = check_thresholds(params['thresholds'])
    expand = expand_param(params['expand'])
    check_cache_options(params.get('cache', 'run'), params.get('cache_ttl'))
    client = ThousandEyesClient(params)
    answer = read_usage(client, resolve_aid(client, params, cache), expand, cache)
    result = facts(answer, thresholds)
    result.update(changed=False, status=answer.get('status', 200))
    if result['breaches']:
        result.update(failed=True, msg=breach_summary(result['breaches']))
    return result
