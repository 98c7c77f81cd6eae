# -*- coding: utf-8 -*-
# Copyright (c) thousandeyes.usage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r'''
name: within_quota
short_description: Whether ThousandEyes usage is within the given quota thresholds
version_added: 1.0.0
author:
  - thousandeyes.usage maintainers (@thousandeyes-usage)
description:
  - Tests the result of the P(thousandeyes.usage.usage#lookup) lookup or a registered
    M(thousandeyes.usage.usage_info) result (or a list of them, as C(query) returns) against maximum percentages.
  - True when no threshold is exceeded. A metric whose included amount is absent or 0 never exceeds its threshold.
  - Without thresholds, tests that nothing is over its included amount (used and projected cloud units and every
    agent kind at most 100 %).
  - Takes the same threshold names and values as the O(thousandeyes.usage.usage_info#module:thresholds) option, with
    the same validation.
  - With O(reserve), judges the organization after the rollout, as the module and the lookup do with the same
    reserve.
options:
  _input:
    description: A usage lookup result or a registered usage_info result, or a list of them.
    type: raw
    required: true
  cloud_units_used_pct:
    description: Maximum of C(quota_status.cloud_units.used_pct).
    type: float
  cloud_units_projected_pct:
    description: Maximum of C(quota_status.cloud_units.projected_pct).
    type: float
  cloud_units_next_billing_period_pct:
    description: Maximum of C(quota_status.cloud_units.next_billing_period_pct).
    type: float
  endpoint_agents_used_pct:
    description: Maximum of C(quota_status.endpoint_agents.used_pct).
    type: float
  endpoint_agents_essentials_used_pct:
    description: Maximum of C(quota_status.endpoint_agents_essentials.used_pct).
    type: float
  endpoint_agents_embedded_used_pct:
    description: Maximum of C(quota_status.endpoint_agents_embedded.used_pct).
    type: float
  enterprise_agents_used_pct:
    description: Maximum of C(quota_status.enterprise_agents.used_pct).
    type: float
  reserve:
    description:
      - What the rollout adds, as the O(thousandeyes.usage.usage_info#module:reserve) option gives it (C(cloud_units)
        per full billing period, agents as counts).
    type: dict
    version_added: 1.2.0
seealso:
  - plugin: thousandeyes.usage.usage
    plugin_type: lookup
  - module: thousandeyes.usage.usage_info
'''

EXAMPLES = r'''
- name: Create the tests only with room in the contract
  ansible.builtin.debug:
    msg: Creating tests
  when: te is thousandeyes.usage.within_quota(cloud_units_projected_pct=90, endpoint_agents_used_pct=95)
  vars:
    te: "{{ lookup('thousandeyes.usage.usage') }}"

- name: Room for a rollout of 2,500 cloud units per period and 10 endpoint agents
  ansible.builtin.debug:
    msg: Rolling out
  when: te is thousandeyes.usage.within_quota(cloud_units_projected_pct=90, reserve=rollout)
  vars:
    te: "{{ lookup('thousandeyes.usage.usage') }}"
    rollout: {cloud_units: 2500, endpoint_agents: 10}

- name: Nothing over its included amount, on a registered result
  ansible.builtin.assert:
    that: registered_usage is thousandeyes.usage.within_quota
'''

RETURN = r'''
_value:
  description: Whether every threshold holds.
  type: boolean
'''

import copy

from ansible.errors import AnsibleFilterError
from ansible.module_utils.common.text.converters import to_native

from ansible_collections.thousandeyes.usage.plugins.module_utils._errors import ThousandEyesError
from ansible_collections.thousandeyes.usage.plugins.module_utils._reserve import apply_reserve, check_reserve
from ansible_collections.thousandeyes.usage.plugins.module_utils._thresholds import (
    DEFAULT_QUOTA_THRESHOLDS,
    check_thresholds,
    find_breaches,
)


def within_quota(result, reserve=None, **thresholds):
    """True when no threshold is exceeded in a usage lookup result or a registered usage_info result (or a list of
    them, as query() returns), after the rollout when ``reserve`` is given."""
    try:
        limits = check_thresholds(thresholds) if thresholds else DEFAULT_QUOTA_THRESHOLDS
        reserve = check_reserve(reserve)
    except ThousandEyesError as exc:
        raise AnsibleFilterError('within_quota: %s' % to_native(exc))
    results = result if isinstance(result, list) else [result]
    for item in results:
        status = item.get('quota_status') if isinstance(item, dict) else None
        if not isinstance(status, dict):
            raise AnsibleFilterError('within_quota expects the result of the thousandeyes.usage.usage lookup or a '
                                     'registered thousandeyes.usage.usage_info result (with quota_status); got %s' % (
                                         type(item).__name__ if not isinstance(item, dict) else
                                         'a dict without quota_status' + (' (the task failed?)' if item.get('failed')
                                                                          else '')))
        try:
            if reserve:
                status = apply_reserve(copy.deepcopy(status), reserve)
            if find_breaches(status, limits, reserve):
                return False
        except KeyError as exc:
            raise AnsibleFilterError('within_quota: quota_status lacks %s' % to_native(exc))
    return True


class TestModule:

    def tests(self):
        return {'within_quota': within_quota}
