#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) thousandeyes.usage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r'''
module: quota
short_description: Assign or remove ThousandEyes organization and account-group quotas
version_added: 1.0.0
description:
  - Sets cloud-unit quotas on organizations and account groups to the values given, or removes them.
  - Reads the current quotas first and sends only the assignments or removals needed, so running the same task
    again changes nothing and sends no request beyond the read.
  - Organization quotas are assigned before account-group quotas, and removed after them.
  - Needs the C(Edit quotas) permission.
  - Runs on the controller, once per host of the play like any task. Quotas belong to the organization, not to a
    host, so in plays over many hosts set C(run_once=true).
author:
  - thousandeyes.usage maintainers (@thousandeyes-usage)
extends_documentation_fragment:
  - thousandeyes.usage.attributes.ACTION_GROUP
  - thousandeyes.usage.attributes.CONTROLLER
  - ansible.builtin.action_common_attributes
  - ansible.builtin.action_common_attributes.actiongroups
  - ansible.builtin.action_common_attributes.flow
  - thousandeyes.usage.connection
  - thousandeyes.usage.cache
attributes:
  check_mode:
    support: full
    details:
      - Reads the current quotas and reports what would be sent, without sending it.
  diff_mode:
    support: full
    details:
      - Shows the quotas of the organizations touched, before and after.
  platform:
    support: full
    platforms: all
options:
  organization_quotas:
    description:
      - Organization quotas to assign (O(state=present)) or remove (O(state=absent)), each a dictionary with the keys
        below.
    type: list
    elements: raw
    suboptions:
      org_id:
        description:
          - Organization ID. When omitted, the caller's organization (the only one the token sees).
        type: str
      value:
        description:
          - Quota in cloud units, 0 or more. Required with O(state=present); ignored with O(state=absent).
        type: int
  account_group_quotas:
    description:
      - Account-group quotas to assign (O(state=present)) or remove (O(state=absent)), each a dictionary with the
        keys below.
    type: list
    elements: raw
    suboptions:
      org_id:
        description:
          - Organization the account group belongs to. When omitted, the organization of the account group found by
            O(account_group_quotas[].account_group), else the caller's organization (the only one the token sees).
        type: str
      aid:
        description:
          - Account group ID. Give this or O(account_group_quotas[].account_group).
        type: str
      account_group:
        description:
          - Account group name instead of O(account_group_quotas[].aid), matched as
            O(thousandeyes.usage.usage_info#module:account_group) is, within O(account_group_quotas[].org_id) when
            that is given. When O(account_group_quotas[].org_id) is omitted, the organization of the account group
            found applies.
          - The account groups are read once per run for every host and task (C(GET /v7/account-groups)), before any
            quota is read or changed.
        type: str
        version_added: 1.1.0
      value:
        description:
          - Quota in cloud units, 0 or more. Required with O(state=present); ignored with O(state=absent).
        type: int
  state:
    description:
      - V(present) assigns the values given (adding or updating, never removing others).
      - V(absent) removes the quotas listed.
    type: str
    choices: [present, absent]
    default: present
notes:
  - Quotas not listed are left as they are. To remove one, list it with O(state=absent).
seealso:
  - module: thousandeyes.usage.quotas_info
'''

EXAMPLES = r'''
- name: Organization quota and two account-group quotas
  thousandeyes.usage.quota:
    organization_quotas:
      - org_id: "10"
        value: 22500
    account_group_quotas:
      - {org_id: "10", aid: "1234", value: 12000}
      - {org_id: "10", aid: "5678", value: 8000}

- name: Account groups by name (their organization is looked up too)
  thousandeyes.usage.quota:
    account_group_quotas:
      - {account_group: Production EU, value: 12000}
      - {account_group: Staging, value: 2000}

- name: Remove an account group's quota
  thousandeyes.usage.quota:
    account_group_quotas:
      - {org_id: "10", aid: "5678"}
    state: absent
'''

RETURN = r'''
organizations:
  description:
    - The quotas afterwards, one entry per organization (C(org_id), C(quota), C(account_groups) with C(aid) and
      C(quota)), as read back from the API after a change; in check mode, as they would be.
  returned: success
  type: list
  elements: dict
  sample:
    - org_id: "10"
      quota: 22500
      account_groups:
        - {aid: "1234", quota: 12000}
requests:
  description:
    - The POST requests sent (in check mode, that would be sent), each with C(method), C(path) and C(body).
      Empty when nothing needed to change.
  returned: success, and on API failure (the requests sent before it)
  type: list
  elements: dict
  sample:
    - method: POST
      path: /v7/quotas/account-groups/assign
      body: {organizations: [{orgId: "10", accountGroups: [{aid: "5678", value: 8000}]}]}
rate_limit:
  description: The organization rate-limit headers (C(limit), C(remaining), C(reset)) of the last read.
  returned: success, and on API failure (null when no answer came)
  type: dict
status:
  description:
    - The HTTP status of the last API answer (of the last read of the quotas).
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
from ansible_collections.thousandeyes.usage.plugins.module_utils._quotas import QUOTA_SPEC, run_quota


def main():
    # On the controller the action plugin of the same name runs run_quota itself; this runs on a delegated host.
    run_module(QUOTA_SPEC, run_quota)


if __name__ == '__main__':
    main()
