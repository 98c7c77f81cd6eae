#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) thousandeyes.usage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r'''
module: quotas_info
short_description: Read ThousandEyes organization and account-group quotas
version_added: 1.0.0
description:
  - Reads C(GET /v7/quotas), the cloud-unit quotas assigned to each organization the token's user belongs to and
    to their account groups.
  - Returns the API's answer in snake_case and a flattened RV(organizations) list that is easier to loop over.
  - Reading quotas needs the C(Edit quotas) permission; without it the API answers 403 and the message says so.
  - Runs on the controller. Every host of a play shares one request (see O(cache)); after a change by
    M(thousandeyes.usage.quota) the next read asks again.
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
seealso:
  - module: thousandeyes.usage.quota
'''

EXAMPLES = r'''
- name: Read quotas
  thousandeyes.usage.quotas_info:
  register: q

- name: Quota of each account group
  ansible.builtin.debug:
    msg: "{{ item.0.org_id }}/{{ item.1.aid }}: {{ item.1.quota }}"
  loop: "{{ q.organizations | subelements('account_groups') }}"
'''

RETURN = r'''
quotas:
  description: The API's C(quotas) list, keys in snake_case (C(organization_quota), C(account_group_quotas)).
  returned: success
  type: list
  elements: dict
  sample:
    - organization_quota: {org_id: "10", value: 22500}
      account_group_quotas:
        - {aid: "1234", value: 12000}
organizations:
  description: One entry per organization, with its quota and its account groups' quotas.
  returned: success
  type: list
  elements: dict
  contains:
    org_id:
      description: Organization ID.
      type: str
      sample: "10"
    quota:
      description: The organization's cloud-unit quota; null when none is assigned.
      type: int
      sample: 22500
    account_groups:
      description: Account groups with a quota assigned.
      type: list
      elements: dict
      contains:
        aid:
          description: Account group ID.
          type: str
          sample: "1234"
        quota:
          description: The account group's cloud-unit quota.
          type: int
          sample: 12000
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
from ansible_collections.thousandeyes.usage.plugins.module_utils._quotas import QUOTAS_INFO_SPEC, run_quotas_info


def main():
    # On the controller the action plugin of the same name runs run_quotas_info itself; this runs on a delegated host.
    run_module(QUOTAS_INFO_SPEC, run_quotas_info)


if __name__ == '__main__':
    main()
