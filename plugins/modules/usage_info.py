#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) thousandeyes.usage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r'''
module: usage_info
short_description: Read ThousandEyes organization usage and quotas, and gate on them
version_added: 1.0.0
description:
  - Calls C(GET /v7/usage) of the ThousandEyes API and returns the organization's usage for the current billing
    period (cloud units, enterprise units, endpoint and enterprise agents) with every key in snake_case.
  - Adds RV(quota_status), computed facts to assert on (percentages, remaining units, projected overruns, the
    moment cloud units run out at the current burn rate).
  - With O(thresholds), fails listing every threshold exceeded, so one task can stop a play before it creates tests
    that would exceed the contract. With O(reserve), the thresholds judge the organization after the rollout.
  - RV(headroom) says how big a rollout would still pass, for example how many more tests of a given cost fit.
  - A failed gate returns RV(breaches), RV(headroom) and RV(quota_status), not the raw RV(usage).
author:
  - thousandeyes.usage maintainers (@thousandeyes-usage)
extends_documentation_fragment:
  - thousandeyes.usage.attributes.INFO_MODULE
  - thousandeyes.usage.attributes.ACTION_GROUP
  - thousandeyes.usage.attributes.CONTROLLER
  - ansible.builtin.action_common_attributes
  - ansible.builtin.action_common_attributes.actiongroups
  - ansible.builtin.action_common_attributes.flow
  - thousandeyes.usage.connection
  - thousandeyes.usage.account_group
  - thousandeyes.usage.usage
  - thousandeyes.usage.cache
notes:
  - Runs on the controller. In a play over many hosts every host gets the facts from one API request (see O(cache)),
    so neither C(run_once) nor C(delegate_to) is needed.
seealso:
  - name: ThousandEyes Usage API
    description: The C(GET /v7/usage) operation.
    link: https://developer.cisco.com/docs/thousandeyes/retrieve-usage/
'''

EXAMPLES = r'''
- name: Read usage with the token from THOUSANDEYES_TOKEN
  thousandeyes.usage.usage_info:
  register: te

- name: Stop before creating tests that would exceed the contract
  thousandeyes.usage.usage_info:
    token: "{{ vault_thousandeyes_token }}"
    aid: "1234"
    thresholds:
      cloud_units_projected_pct: 90
      endpoint_agents_used_pct: 95

- name: Set the connection once for every module of the collection
  module_defaults:
    group/thousandeyes.usage.thousandeyes:
      token: "{{ vault_thousandeyes_token }}"
      timeout: 10
  block:
    - name: Read usage per test
      thousandeyes.usage.usage_info:
        expand: [test]
      register: te

    - name: Show the five largest consumers
      ansible.builtin.debug:
        msg: "{{ (te.usage.tests | sort(attribute='cloud_units_used', reverse=true))[:5]
                 | map(attribute='test_name') | list }}"

    - name: Assert on one number
      ansible.builtin.assert:
        that: te.quota_status.cloud_units.projected_remaining >= 5000
        fail_msg: "Only {{ te.quota_status.cloud_units.projected_remaining }} cloud units left this period"

- name: Reuse answers for 5 minutes across runs, controllers and AAP execution nodes (one Redis they all reach)
  module_defaults:
    group/thousandeyes.usage.thousandeyes:
      cache_plugin: community.general.redis
      cache_timeout: 300
      # cache_connection: from THOUSANDEYES_CACHE_CONNECTION (host:port:db:password), injected by a credential
  block:
    - name: Read usage, from Redis when another job read it in the last 5 minutes
      thousandeyes.usage.usage_info:
      register: te
'''

RETURN = r'''
usage:
  description:
    - The API's C(usage) object with every key converted to snake_case, recursively. Keys the API adds later are
      kept (converted the same way); keys the API leaves out stay absent.
    - Not returned when the task fails on O(thresholds), so that a failed gate prints one screen; RV(quota_status)
      holds the same figures.
  returned: success
  type: dict
  contains:
    quota:
      description: The contract for the current billing period.
      type: dict
      returned: when the API sends it
      sample:
        month_start: "2026-11-01T00:00:00Z"
        month_end: "2026-12-01T00:00:00Z"
        cloud_units_included: 100000
        endpoint_agents_included: 50
        endpoint_agents_essentials_included: 20
        enterprise_agents_included: 0
    cloud_units_used:
      description: Cloud units used so far this period.
      type: int
      returned: when the API sends it
      sample: 40000
    cloud_units_projected:
      description: Cloud units projected for the whole period.
      type: int
      returned: when the API sends it
      sample: 85000
    cloud_units_next_billing_period:
      description: Cloud units projected for the next period with the current tests.
      type: int
      returned: when the API sends it
      sample: 90000
    enterprise_units_used:
      description: Enterprise units used (non-zero only for metered billing).
      type: int
      returned: when the API sends it
      sample: 12000
    enterprise_units_projected:
      description: Enterprise units projected for the period.
      type: int
      returned: when the API sends it
      sample: 30000
    enterprise_units_next_billing_period:
      description: Enterprise units projected for the next period.
      type: int
      returned: when the API sends it
      sample: 31000
    connected_devices_units_used:
      description: Connected-device units used. Not comparable with C(quota.device_agents_included), which counts
        agents.
      type: int
      returned: when the API sends it
      sample: 800
    connected_devices_units_projected:
      description: Connected-device units projected for the period.
      type: int
      returned: when the API sends it
      sample: 2000
    connected_devices_units_next_billing_period:
      description: Connected-device units projected for the next period.
      type: int
      returned: when the API sends it
      sample: 2100
    endpoint_agents_used:
      description: Peak number of enabled endpoint agents in any one hour of the period.
      type: int
      returned: when the API sends it
      sample: 30
    endpoint_agents_essentials_used:
      description: Peak number of enabled endpoint agents essentials.
      type: int
      returned: when the API sends it
      sample: 5
    endpoint_agents_embedded_used:
      description: Peak number of enabled embedded endpoint agents.
      type: int
      returned: when the API sends it
      sample: 0
    enterprise_agents_used:
      description: Peak number of enabled enterprise agents in any one hour of the period.
      type: int
      returned: when the API sends it
      sample: 4
    allocations:
      description: Units allocated per product (C(used), C(projected), C(allocations[].product_name),
        C(allocations[].allocated_units)); sent by newer API versions only.
      type: dict
      returned: when the API sends it
    tests:
      description: Per test usage (C(aid), C(account_group_name), C(test_id), C(test_name), C(test_type),
        C(cloud_units_used), C(cloud_units_projected); the last is absent for new tests until computed).
      type: list
      elements: dict
      returned: when O(expand) includes V(test)
      sample:
        - aid: "1234"
          account_group_name: Support
          test_id: "1158"
          test_name: https://app.thousandeyes.com
          test_type: Web-Page Load
          cloud_units_used: 10000
          cloud_units_projected: 12000
    enterprise_agents:
      description: Enterprise agents per account group (C(aid), C(account_group_name), C(enterprise_agents_used)).
      type: list
      elements: dict
      returned: when O(expand) includes V(enterprise-agent)
    enterprise_agent_units:
      description: Enterprise units per agent (C(aid), C(account_group_name), C(agent_id), C(agent_name),
        C(enterprise_units_used), C(enterprise_units_projected)).
      type: list
      elements: dict
      returned: when O(expand) includes V(enterprise-agent-unit)
    endpoint_agents:
      description: Endpoint agents per account group (C(aid), C(account_group_name), C(endpoint_agents_used)).
      type: list
      elements: dict
      returned: when O(expand) includes V(endpoint-agent)
    endpoint_agents_essentials:
      description: Endpoint agents essentials per account group (C(aid), C(account_group_name),
        C(endpoint_agents_essentials_used)).
      type: list
      elements: dict
      returned: when O(expand) includes V(endpoint-agent-essential)
    endpoint_agents_embedded:
      description: Embedded endpoint agents per account group (C(aid), C(account_group_name),
        C(endpoint_agents_embedded_used)).
      type: list
      elements: dict
      returned: when O(expand) includes V(endpoint-agent-embedded)
quota_status:
  description:
    - Facts computed from RV(usage) to gate on. Percentages are of the included amount, rounded to 2 decimals.
    - When an included amount is absent or 0, its C(*_pct) and C(remaining) values are null and C(over_quota) is
      false. Values the API did not send are null.
  returned: success
  type: dict
  contains:
    period:
      description: The billing period (it follows the contract date, not the calendar month).
      type: dict
      returned: success
      contains:
        start:
          description: Start of the period, UTC.
          type: str
          sample: "2026-11-01T00:00:00Z"
        end:
          description: End of the period, UTC.
          type: str
          sample: "2026-12-01T00:00:00Z"
        elapsed_pct:
          description: Share of the period elapsed, 0 to 100.
          type: float
          sample: 40.0
        days_left:
          description: Days until the end of the period, 2 decimals.
          type: float
          sample: 18.0
        remaining_fraction:
          description:
            - The fraction of the period still to come when the answer was observed, 0 to 1 (f in O(reserve)'s
              arithmetic). Null when the answer has no period dates (f is then taken as 1).
          type: float
          sample: 0.6
          version_added: 1.2.0
    cloud_units:
      description: Cloud units against C(quota.cloud_units_included).
      type: dict
      returned: success
      contains:
        included:
          description: Cloud units included in the contract.
          type: int
          sample: 100000
        used:
          description: Cloud units used so far.
          type: int
          sample: 40000
        projected:
          description: Cloud units projected for the period.
          type: int
          sample: 85000
        next_billing_period:
          description: Cloud units projected for the next period.
          type: int
          sample: 90000
        remaining:
          description: Included minus used; negative when over quota.
          type: int
          sample: 60000
        projected_remaining:
          description: Included minus projected; negative when the period is projected to overrun.
          type: int
          sample: 15000
        used_pct:
          description: Used as a percentage of included.
          type: float
          sample: 40.0
        projected_pct:
          description: Projected as a percentage of included. Gate new tests on this one.
          type: float
          sample: 85.0
        next_billing_period_pct:
          description: Next billing period as a percentage of included.
          type: float
          sample: 90.0
        over_quota:
          description: Whether used exceeds included.
          type: bool
          sample: false
        projected_over_quota:
          description: Whether projected exceeds included.
          type: bool
          sample: false
        exhausted_at:
          description: When used reaches included at the period's average burn rate so far (UTC); null if that
            falls after the end of the period.
          type: str
          sample: "2026-11-28T17:06:00Z"
        projected_with_reserve:
          description: This period's projection after the rollout of O(reserve), C(projected + f * cloud_units), 2
            decimals; null without a reserve.
          type: float
          sample: 86500.0
          version_added: 1.2.0
        projected_with_reserve_pct:
          description: C(projected_with_reserve) as a percentage of included; null without a reserve.
          type: float
          sample: 86.5
          version_added: 1.2.0
        next_billing_period_with_reserve:
          description: The next period's projection after the rollout, C(next_billing_period + cloud_units); null
            without a reserve.
          type: int
          sample: 92500
          version_added: 1.2.0
        next_billing_period_with_reserve_pct:
          description: C(next_billing_period_with_reserve) as a percentage of included; null without a reserve.
          type: float
          sample: 92.5
          version_added: 1.2.0
    enterprise_units:
      description: Enterprise units (metered billing). The contract has no included figure for them.
      type: dict
      returned: success
      contains:
        used:
          description: Enterprise units used.
          type: int
          sample: 1200
        projected:
          description: Enterprise units projected for the period.
          type: int
          sample: 3100
        next_billing_period:
          description: Enterprise units projected for the next period.
          type: int
          sample: 3300
    endpoint_agents:
      description: Endpoint agents against C(quota.endpoint_agents_included).
      type: dict
      returned: success
      contains: &agent_keys
        included:
          description: Agents included in the contract.
          type: int
          sample: 50
        used:
          description: Peak enabled agents this period.
          type: int
          sample: 30
        remaining:
          description: Included minus used; negative when over quota.
          type: int
          sample: 20
        used_pct:
          description: Used as a percentage of included.
          type: float
          sample: 60.0
        over_quota:
          description: Whether used exceeds included.
          type: bool
          sample: false
        used_with_reserve:
          description: Agents used after the rollout of O(reserve), C(used + n); null without a reserve.
          type: int
          sample: 33
          version_added: 1.2.0
        used_with_reserve_pct:
          description: C(used_with_reserve) as a percentage of included; null without a reserve.
          type: float
          sample: 66.0
          version_added: 1.2.0
    endpoint_agents_essentials:
      description: Endpoint agents essentials against C(quota.endpoint_agents_essentials_included).
      type: dict
      returned: success
      contains: *agent_keys
    endpoint_agents_embedded:
      description: Embedded endpoint agents against C(quota.endpoint_agents_embedded_included).
      type: dict
      returned: success
      contains: *agent_keys
    enterprise_agents:
      description: Enterprise agents against C(quota.enterprise_agents_included) (non-zero only for legacy billing).
      type: dict
      returned: success
      contains: *agent_keys
rate_limit:
  description: The organization rate-limit headers of the last answer (null where absent).
  returned: success, and on API failure (null when no answer came)
  type: dict
  contains:
    limit:
      description: Requests allowed per window (C(X-Organization-Rate-Limit-Limit)).
      type: int
      sample: 240
    remaining:
      description: Requests left in the window (C(X-Organization-Rate-Limit-Remaining)).
      type: int
      sample: 239
    reset:
      description: UTC epoch seconds of the next window (C(X-Organization-Rate-Limit-Reset)).
      type: int
      sample: 1795000000
breaches:
  description: Every threshold of O(thresholds) exceeded. When not empty, the task failed.
  returned: success, and on a threshold failure
  type: list
  elements: dict
  contains:
    metric:
      description: The threshold's name, for example V(cloud_units_projected_pct).
      type: str
    value:
      description: The measured percentage (after the rollout, with O(reserve)).
      type: float
    threshold:
      description: The maximum that was set.
      type: float
    message:
      description: One line describing the breach; with O(reserve), for example C(cloud_units_next_billing_period_pct
        would be 104% with the reserve (2,500 cloud units per period), above the threshold of 95%).
      type: str
  sample:
    - metric: cloud_units_projected_pct
      value: 97.0
      threshold: 90.0
      message: cloud_units_projected_pct is 97%, above the threshold of 90%
headroom:
  description:
    - The largest rollout that would still pass every threshold in effect (O(thresholds), or 100 % of every included
      amount when none are given), whatever O(reserve) says.
    - 0 when a threshold is already exceeded; null when the contract does not include the metric or no threshold in
      effect limits it.
  returned: success, and on a threshold failure
  type: dict
  version_added: 1.2.0
  contains:
    cloud_units:
      description:
        - Cloud units per full billing period, as the web UI's cost estimator gives them per test, so
          C(headroom.cloud_units // cost_per_test) tests of that cost still fit.
        - The smallest of the limits set by the thresholds on C(used_pct) (0 when already over), C(projected_pct)
          (room left this period divided by f, the share of the period to come) and C(next_billing_period_pct) (room
          left next period). Near the end of a period the next-period threshold is the one that binds.
      type: int
      sample: 5000
    endpoint_agents:
      description: Endpoint agents that can still be added.
      type: int
      sample: 17
    endpoint_agents_essentials:
      description: Endpoint agents essentials that can still be added.
      type: int
      sample: 5
    endpoint_agents_embedded:
      description: Embedded endpoint agents that can still be added.
      type: int
      sample: 0
    enterprise_agents:
      description: Enterprise agents that can still be added.
      type: int
      sample: null
status:
  description:
    - The HTTP status of the last API answer.
    - "On an API failure, the status of the failing answer, or null when none came (connection refused, timeout, TLS
      error), so plays can branch on it, for example C(until: te.status != 429) or C(when: te.status == 403)."
  returned: when a request was made (or its answer came from the cache)
  type: int
  sample: 200
api_error:
  description:
    - The problem details the API returned with a failure, as it sent them. RFC 7807 fields such as C(title),
      C(detail), C(status) and C(errors) (a list of C(field)/C(message) entries for validation failures), or for an
      HTTP 401 the C(error) and C(error_description) fields.
    - Null when the failing answer was not JSON or no answer came.
  returned: on API failure
  type: dict
  sample: {title: Forbidden, status: 403, detail: Insufficient permissions to query endpoint}
'''

from ansible_collections.thousandeyes.usage.plugins.module_utils._args import run_module
from ansible_collections.thousandeyes.usage.plugins.module_utils._usage_info import USAGE_INFO_SPEC, run_usage_info


def main():
    # On the controller the action plugin of the same name runs run_usage_info itself; this runs on a delegated host.
    run_module(USAGE_INFO_SPEC, run_usage_info)


if __name__ == '__main__':
    main()
