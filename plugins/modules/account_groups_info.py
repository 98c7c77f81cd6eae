#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) thousandeyes.usage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r'''
module: account_groups_info
short_description: List the ThousandEyes account groups and organizations a token can see
version_added: 1.1.0
description:
  - Reads C(GET /v7/account-groups) of the ThousandEyes Administrative API and returns every account group the
    token's user can see, in snake_case, and RV(organizations), one entry per organization with the C(aid) to read
    its usage with.
  - Partners who manage several customers' organizations with one token can loop over RV(organizations) to read the
    usage of each, because C(GET /v7/usage) reports one organization per call (the one owning the C(aid)).
  - The same answer resolves the O(thousandeyes.usage.usage_info#module:account_group) names of the other modules and
    the lookup; by default it is read once per run and shared with them (see O(cache)).
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
notes:
  - The O(aid) option has no effect here; the API lists every account group the user can see.
  - Register the result under another name than C(groups), which is Ansible's own variable for inventory groups.
seealso:
  - module: thousandeyes.usage.usage_info
  - name: ThousandEyes Administrative API
    description: The C(GET /v7/account-groups) operation.
    link: https://developer.cisco.com/docs/thousandeyes/list-account-groups/
'''

EXAMPLES = r'''
- name: Every organization the token sees
  thousandeyes.usage.account_groups_info:
  register: te_groups

- name: Read the usage of each organization once
  thousandeyes.usage.usage_info:
    aid: "{{ item.aid }}"
  loop: "{{ te_groups.organizations }}"
  loop_control:
    label: "{{ item.organization_name }}"
  register: usage_by_org

- name: The aid of an account group, by name
  ansible.builtin.debug:
    msg: "{{ (te_groups.account_groups | selectattr('account_group_name', 'eq', 'Production EU') | first).aid }}"
'''

RETURN = r'''
account_groups:
  description:
    - Every account group the token's user can see, as the API lists them, keys in snake_case. IDs are strings;
      fields the API leaves out are absent, and fields it adds later are kept.
  returned: success
  type: list
  elements: dict
  contains:
    aid:
      description: The account group ID, to pass as O(thousandeyes.usage.usage_info#module:aid).
      type: str
      sample: "1234"
    account_group_name:
      description: The account group's name.
      type: str
      sample: Production EU
    is_current_account_group:
      description: Whether this is the account group of the request's context (the user's default here).
      type: bool
    is_default_account_group:
      description: Whether this is the user's default account group.
      type: bool
    organization_name:
      description: The name of the organization the account group belongs to.
      type: str
      sample: Acme Corp
    org_id:
      description: The ID of that organization.
      type: str
      sample: "10"
organizations:
  description:
    - One entry per organization, in the order the API lists their account groups.
  returned: success
  type: list
  elements: dict
  contains:
    org_id:
      description: The organization ID.
      type: str
      sample: "10"
    organization_name:
      description: The organization's name.
      type: str
      sample: Acme Corp
    aid:
      description:
        - An account group of this organization to read its usage with (C(GET /v7/usage) reports the organization
          that owns the C(aid)). The current account group if it belongs to this organization, else the user's
          default, else the first listed.
      type: str
      sample: "1234"
    account_groups:
      description: The organization's account groups, as in RV(account_groups).
      type: list
      elements: dict
  sample:
    - org_id: "10"
      organization_name: Acme Corp
      aid: "1234"
      account_groups:
        - {aid: "1234", account_group_name: Production EU, is_current_account_group: true,
           is_default_account_group: true, organization_name: Acme Corp, org_id: "10"}
rate_limit:
  description: The organization rate-limit headers (C(limit), C(remaining), C(reset)) of the answer.
  returned: success, and on API failure (null when no answer came)
  type: dict
status:
  description:
    - The HTTP status of the API answer (or of the cached answer used).
    - "On an API failure, the status of the failing answer, or null when none came (connection refused, timeout, TLS
      error), so plays can branch on it, for example C(until: te_groups.status != 429)."
  returned: when a request was made (or its answer came from the cache)
  type: int
  sample: 200
api_error:
  description:
    - The problem details the API returned with a failure, as it sent them (C(title), C(detail), C(status),
      C(errors), or for an HTTP 401 C(error) and C(error_description)).
    - Null when the failing answer was not JSON or no answer came.
  returned: on API failure
  type: dict
'''

from ansible_collections.thousandeyes.usage.plugins.module_utils._account_groups import (
    ACCOUNT_GROUPS_INFO_SPEC,
    run_account_groups_info,
)
from ansible_collections.thousandeyes.usage.plugins.module_utils._args import run_module


def main():
    # On the controller the action plugin of the same name runs run_account_groups_info itself; this runs on a
    # delegated host.
    run_module(ACCOUNT_GROUPS_INFO_SPEC, run_account_groups_info)


if __name__ == '__main__':
    main()
