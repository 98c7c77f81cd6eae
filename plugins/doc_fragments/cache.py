# -*- coding: utf-8 -*-
# Copyright (c) thousandeyes.usage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations


class ModuleDocFragment:
    """The run-wide cache of API answers (usage, account groups), shared by the modules and the usage lookup."""

    DOCUMENTATION = r'''
options:
  cache:
    description:
      - V(run) shares one answer per API URL, request and token across the whole C(ansible-playbook) run, on the
        controller (for usage, per account group and O(thousandeyes.usage.usage_info#module:expand) too). Every host,
        task and fork shares it, and the modules and the P(thousandeyes.usage.usage#lookup) lookup share it with each
        other, including the account groups read to resolve C(account_group) names. The first to ask fetches; all
        others, including ones running at the same moment in other forks, wait for that one request and reuse it.
      - A failed call is shared as well, so 200 hosts facing a bad token make one request. The lookup shares it for
        the rest of the run. A module task shares it between the hosts of that task; a later task, and each retry of
        a task with C(until) or C(retries), asks the API again.
      - A reused answer is the one fetched first, C(quota_status) included (its period facts, such as
        C(days_left), are as of that moment), so every host of the run sees the same facts.
      - V(none) asks the API every time. Use it when a play must see usage change during the run (for example an
        C(until) loop waiting for usage to drop, or a re-read after changing tests), or to compare answers.
      - The cache is the controller's. A module task delegated to another host (C(delegate_to)) runs the module there,
        and it asks the API at every run.
      - Among the modules, only M(thousandeyes.usage.usage_info) and M(thousandeyes.usage.account_groups_info) take
        this option; the others always use the run cache for C(account_group) names. In C(module_defaults), set it
        under those modules' names, not under the C(group/thousandeyes.usage.thousandeyes) group, whose other modules
        would refuse it as an unsupported parameter.
    type: str
    choices: [run, none]
    default: run
  cache_ttl:
    description:
      - When set (seconds, 0 or more), answers are also reused across runs for this long. Only successful answers are
        kept. V(0) is the same as not setting it.
      - Ignored with O(cache=none).
      - The cache lives in C(ANSIBLE_HOME/cache/thousandeyes.usage) (run-scoped answers in Ansible's per-run temporary
        directory), with the random salt of its keys; files are mode 0600 and never contain the token.
    type: int
'''
