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
from ansible_collections.thousandeyes.usage.plugins.module_utils._reserve import check_reserve
from ansible_collections.thousandeyes.usage.plugins.module_utils._thresholds import breach_summary, check_thresholds
from ansible_collections.thousandeyes.usage.plugins.module_utils._usage import (
    EXPAND_CHOICES,
    covers,
    expand_param,
    facts,
    fetch_usage,
    trimmed,
)


def read_usage(client, aid, expand, cache):
    """fetch_usage through ``cache`` (the controller's cache, or NoCache on a managed host): one answer per account
    group, which serves every caller asking for no more expanded lists than it holds."""
    answer = cache.get(client, ['usage', aid], lambda: fetch_usage(client, aid, expand),
                       usable=lambda cached: covers(cached, expand))
    return trimmed(answer, expand)


USAGE_INFO_SPEC = dict(
    argument_spec=dict(
        expand=dict(type='list', elements='str', choices=list(EXPAND_CHOICES)),
        # raw: check_thresholds and check_reserve name the key and what it allows, where a dict's conversion would not.
        thresholds=dict(type='raw'),
        reserve=dict(type='raw'),
        account_group=dict(type='str'),
    ),
    supports_check_mode=True,
)


def run_usage_info(params, check_mode, diff, cache):
    """The usage_info module: validated params in, result out (``failed`` and ``msg`` set on a threshold breach)."""
    thresholds = check_thresholds(params['thresholds'])
    reserve = check_reserve(params['reserve'])
    expand = expand_param(params['expand'])
    client = ThousandEyesClient(params)
    answer = read_usage(client, resolve_aid(client, params, cache), expand, cache)
    result = facts(answer, thresholds, reserve)
    result.update(changed=False, status=answer.get('status', 200))
    if result['breaches']:
        # A failed gate fits on one screen: its verdict and quota_status, which holds the figures of the raw usage.
        del result['usage']
        result.update(failed=True, msg=breach_summary(result['breaches']))
    return result
