# -*- coding: utf-8 -*-
# Copyright (c) thousandeyes.usage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations


class ModuleDocFragment:
    """The options of GET /usage (expand, thresholds, reserve), shared by the usage_info module and the usage lookup."""

    DOCUMENTATION = r'''
options:
  expand:
    description:
      - Lists to add under C(usage), one per value; V(all) adds all six. Sent comma-separated, without duplicates.
      - "V(test) adds C(tests), V(enterprise-agent) C(enterprise_agents), V(enterprise-agent-unit)
        C(enterprise_agent_units), V(endpoint-agent) C(endpoint_agents), V(endpoint-agent-essential)
        C(endpoint_agents_essentials), V(endpoint-agent-embedded) C(endpoint_agents_embedded)."
      - Without it the lists are absent. Large organizations have large lists; expand only what you use.
      - An answer fetched with more values also answers a call that asks for fewer (without the extra lists), so a
        gate task need not repeat an earlier task's O(expand) to share its request.
    type: list
    elements: str
    choices:
      - test
      - enterprise-agent
      - enterprise-agent-unit
      - endpoint-agent
      - endpoint-agent-essential
      - endpoint-agent-embedded
      - all
  thresholds:
    description:
      - Maximum percentages (0 to 1000) of the included amounts, as a dictionary whose keys name C(quota_status)
        values. Each one exceeded is listed in C(breaches).
      - "C(cloud_units_used_pct), C(cloud_units_projected_pct), C(cloud_units_next_billing_period_pct): maximums of
        C(quota_status.cloud_units.used_pct), C(.projected_pct) and C(.next_billing_period_pct)."
      - "C(endpoint_agents_used_pct), C(endpoint_agents_essentials_used_pct), C(endpoint_agents_embedded_used_pct),
        C(enterprise_agents_used_pct): maximums of the C(used_pct) of C(quota_status.endpoint_agents),
        C(.endpoint_agents_essentials), C(.endpoint_agents_embedded) and C(.enterprise_agents)."
      - The module then fails with a message naming them all. The lookup does not fail (a lookup should not abort
        templating); test its result with C(breaches) or the P(thousandeyes.usage.within_quota#test) test.
      - A metric whose included amount is absent or 0 (not part of the contract) never breaches.
      - Gate new tests on C(cloud_units_projected_pct), because the platform refuses test configurations that push
        projected cloud units past the included amount.
      - With O(reserve), every threshold judges the figure after the rollout (the C(*_with_reserve_pct) values of
        C(quota_status)); cloud units used so far are not changed by a rollout.
    type: raw
  reserve:
    description:
      - What the rollout being gated adds, so that O(thresholds) judge the organization after it. A dictionary of
        non-negative integers with any of these keys.
      - C(cloud_units) is cloud units per full billing period, as the ThousandEyes web UI's cost estimator shows them
        for the tests to create. Created now, they add the rest of this period's share to this period's projection
        (C(projected + f * cloud_units), f being C(quota_status.period.remaining_fraction)) and all of it to the next
        period's (C(next_billing_period + cloud_units)).
      - C(endpoint_agents), C(endpoint_agents_essentials), C(endpoint_agents_embedded), C(enterprise_agents) are agents
        added, counted as C(used + n).
      - C(quota_status) then holds the figures after the rollout (C(projected_with_reserve),
        C(next_billing_period_with_reserve), C(used_with_reserve) and their C(_pct)); without a reserve they are null.
      - Whatever the reserve, C(headroom) says how big a rollout would still pass.
    type: raw
    version_added: 1.2.0
'''
