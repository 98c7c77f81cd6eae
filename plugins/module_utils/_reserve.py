# -*- coding: utf-8 -*-
# Copyright (c) thousandeyes.usage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Internal to the thousandeyes.usage collection: what a rollout adds (``reserve``), the quota figures after it, and
the headroom the thresholds leave. Shared by usage_info, the usage lookup and the within_quota test.

With f the fraction of the billing period still to come when the answer was observed, a reserve of M cloud units per
full period adds f x M to this period's projection and M to the next period's; n agents add n to the agents used.
Cloud units used so far do not change.
"""

from __future__ import annotations

import math

from ansible_collections.thousandeyes.usage.plugins.module_utils._errors import ThousandEyesError, refuse_unknown_keys, shown, whole_number
from ansible_collections.thousandeyes.usage.plugins.module_utils._thresholds import pct

AGENTS = ('endpoint_agents', 'endpoint_agents_essentials', 'endpoint_agents_embedded', 'enterprise_agents')
RESERVE_KEYS = ('cloud_units',) + AGENTS
RESERVE_MAX = 10 ** 12  # far beyond any contract; keeps the arithmetic in floats
RESERVE_WHAT = 'a dictionary of non-negative integers with keys from %s' % ', '.join(RESERVE_KEYS)


def check_reserve(reserve):
    """Validate a reserve (None allowed); return it with integer values and unset keys dropped."""
    if reserve is None:
        return {}
    if not isinstance(reserve, dict):
        raise ThousandEyesError('reserve must be %s, got %s' % (RESERVE_WHAT, shown(reserve)))
    refuse_unknown_keys('reserve', reserve, RESERVE_KEYS)
    result = {}
    for key, value in reserve.items():
        if value is None:
            continue
        count = whole_number(value)
        if count is None or count > RESERVE_MAX:
            raise ThousandEyesError('reserve.%s must be an integer from 0 to %s, got %s' % (
                key, f'{RESERVE_MAX:,}', shown(value)))
        result[key] = count
    return result


def apply_reserve(status, reserve):
    """Fill quota_status's figures after the rollout (``*_with_reserve``), or set them to None without a reserve.
    ``status`` is changed in place and returned."""
    cloud = status['cloud_units']
    fraction = status['period']['remaining_fraction']
    units = (reserve or {}).get('cloud_units', 0)
    after = {
        'projected_with_reserve': None if cloud['projected'] is None else
        round(cloud['projected'] + (1 if fraction is None else fraction) * units, 2),
        'next_billing_period_with_reserve': None if cloud['next_billing_period'] is None else
        cloud['next_billing_period'] + units,
    }
    for key in list(after):
        after[key] = after[key] if reserve else None
        after[key + '_pct'] = pct(after[key], cloud['included'])
    cloud.update(after)
    for section in AGENTS:
        agents = status[section]
        used = None if not reserve or agents['used'] is None else agents['used'] + reserve.get(section, 0)
        agents.update(used_with_reserve=used, used_with_reserve_pct=pct(used, agents['included']))
    return status


def headroom(status, thresholds):
    """The largest rollout each threshold in ``thresholds`` (already checked, non-empty) still lets through:
    ``{cloud_units, endpoint_agents, ...}`` per period or as counts; 0 when already over, None when the contract does
    not include the metric or no threshold limits it."""
    result = {'cloud_units': _cloud_room(status, thresholds)}
    for section in AGENTS:
        agents, limit = status[section], thresholds.get(section + '_used_pct')
        room = None
        if agents['included'] and limit is not None:
            room = max(0, int(math.floor(limit * agents['included'] / 100 + 1e-9)) - (agents['used'] or 0))
        result[section] = room
    return result


def _cloud_room(status, thresholds):
    cloud = status['cloud_units']
    included = cloud['included']
    if not included:
        return None
    fraction = status['period']['remaining_fraction']
    fraction = 1 if fraction is None else fraction
    rooms = []
    for metric, key, share in (('cloud_units_used_pct', 'used', 0), ('cloud_units_projected_pct', 'projected', fraction),
                               ('cloud_units_next_billing_period_pct', 'next_billing_period', 1)):
        limit, value = thresholds.get(metric), cloud[key]
        if limit is None or value is None:
            continue
        left = limit * included / 100 - value
        # A rollout adds share x M to this figure: it allows M up to left / share, or nothing if already over.
        rooms.append(left / share if share else (math.inf if left >= 0 else 0))
    room = min(rooms, default=math.inf)
    return None if room == math.inf else max(0, int(math.floor(room + 1e-9)))
