#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) thousandeyes.usage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r'''
module: units_info
short_description: Read ThousandEyes units breakdowns per test and per enterprise agent, every page
version_added: 1.0.0
description:
  - Reads C(GET /v7/usage/units/tests) and/or C(GET /v7/usage/units/enterprise-agents) and follows the pagination
    for you, returning every breakdown in snake_case.
  - Adds RV(totals) (sums of each units field, overall and per account group) and RV(top_consumers) (the largest
    tests by projected cloud units, and agents by projected enterprise units).
  - Runs on the controller. Every host of a play shares one reading of the pages (see O(cache)).
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
  - thousandeyes.usage.cache
  - thousandeyes.usage.account_group
options:
  resource:
    description:
      - Which breakdowns to read. V(all) reads both.
    type: str
    choices: [tests, enterprise_agents, all]
    default: tests
  aid:
    description:
      - Account group whose tests to read (O(resource=tests) only). The enterprise-agents endpoint has no account
        group parameter, so O(aid) with O(resource=enterprise_agents) or O(resource=all) is an error.
  start_date:
    description:
      - Start of the period, as V(YYYY-MM-DD) (midnight UTC) or an ISO 8601 date-time with a timezone. Sent as
        C(YYYY-MM-DDTHH:MM:SSZ) in UTC.
      - Without O(start_date) and O(end_date) the API reports the current billing period. Either may be given alone.
    type: str
  end_date:
    description:
      - End of the period, in the same forms as O(start_date); must not be before it. The API defaults it to now.
    type: str
  top:
    description:
      - How many entries RV(top_consumers) lists per resource.
    type: int
    default: 10
  max_pages:
    description:
      - Fail when the answer has more pages than this (a guard for very large organizations). Unlimited by default.
    type: int
seealso:
  - module: thousandeyes.usage.usage_info
'''

EXAMPLES = r'''
- name: The ten tests projected to use the most cloud units this billing period
  thousandeyes.usage.units_info:
    resource: tests
  register: units

- name: Show them
  ansible.builtin.debug:
    msg: "{{ units.top_consumers.tests | map(attribute='test_name') | list }}"

- name: Enterprise agent units for October, every page, per account group
  thousandeyes.usage.units_info:
    resource: enterprise_agents
    start_date: "2026-10-01"
    end_date: "2026-11-01"
  register: agents

- name: Units per account group
  ansible.builtin.debug:
    msg: "{{ agents.totals.enterprise_agents.by_account_group | items2dict(key_name='aid', value_name='enterprise_units_used') }}"
'''

RETURN = r'''
breakdowns:
  description: Every breakdown of every page, keys in snake_case, per resource read.
  returned: success
  type: dict
  contains:
    tests:
      description:
        - Per test (C(aid), C(account_group_name), C(test_id), C(test_name), C(test_type), C(is_instant_test),
          C(cloud_units_used), C(cloud_units_projected), C(enterprise_units_used), C(enterprise_units_projected)).
      type: list
      elements: dict
      returned: when O(resource) is V(tests) or V(all)
      sample:
        - aid: "1234"
          account_group_name: Support
          test_id: "1158"
          test_name: https://app.thousandeyes.com
          test_type: Web-Page Load
          is_instant_test: false
          cloud_units_used: 10000
          cloud_units_projected: 12000
          enterprise_units_used: 14050
          enterprise_units_projected: 340674
    enterprise_agents:
      description:
        - Per enterprise agent and account group (C(aid), C(account_group_name), C(agent_id), C(agent_name),
          C(enterprise_units_used), C(enterprise_units_projected)). A shared agent's units are split across the
          account groups whose tests run on it.
      type: list
      elements: dict
      returned: when O(resource) is V(enterprise_agents) or V(all)
totals:
  description:
    - Per resource read, the sum of each units field (absent values count as 0), C(count) of breakdowns, and
      C(by_account_group), the same sums per account group (with C(aid) and C(account_group_name)).
  returned: success
  type: dict
  sample:
    tests:
      count: 2
      cloud_units_used: 22000
      cloud_units_projected: 25000
      enterprise_units_used: 208101
      enterprise_units_projected: 371296
      by_account_group:
        - aid: "1234"
          account_group_name: Support
          count: 2
          cloud_units_used: 22000
          cloud_units_projected: 25000
          enterprise_units_used: 208101
          enterprise_units_projected: 371296
top_consumers:
  description:
    - Per resource read, the O(top) largest breakdowns, by C(cloud_units_projected) for tests and by
      C(enterprise_units_projected) for enterprise agents.
  returned: success
  type: dict
pages:
  description: How many pages were read per resource.
  returned: success
  type: dict
  sample: {tests: 3}
rate_limit:
  description: The organization rate-limit headers (C(limit), C(remaining), C(reset)) of the last answer.
  returned: success, and on API failure (null when no answer came)
  type: dict
status:
  description:
    - The HTTP status of the last API answer (of the last page read).
    - "On an API failure, the status of the failing answer, or null when none came (connection refused, timeout, TLS
      error), so plays can branch on it, for example C(until: te.status != 429) or C(when: te.status == 403)."
  returned: when a request was made
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
from ansible_collections.thousandeyes.usage.plugins.module_utils._units import UNITS_INFO_SPEC, run_units_info


def main():
    # On the controller the action plugin of the same name runs run_units_info itself; this runs on a delegated host.
    run_module(UNITS_INFO_SPEC, run_units_info)


if __name__ == '__main__':
    main()
