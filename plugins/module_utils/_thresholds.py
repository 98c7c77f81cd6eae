# -*- coding: utf-8 -*-
# Copyright (c) thousandeyes.usage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Internal to the thousandeyes.usage collection: quota thresholds (maximum percentages of quota_status values),
their validation and the breaches they find. Shared by usage_info, the usage lookup and the within_quota test, which
imports nothing heavier.
"""

from __future__ import annotations

from ansible_collections.thousandeyes.usage.plugins.module_utils._errors import ThousandEyesError, fmt_number, refuse_unknown_keys, shown

# threshold name -> (quota_status section, key, the reserve key that changes it); each is a maximum percentage.
# Cloud units used so far are not changed by a rollout.
THRESHOLDS = {
    'cloud_units_used_pct': ('cloud_units', 'used_pct', None),
    'cloud_units_projected_pct': ('cloud_units', 'projected_pct', 'cloud_units'),
    'cloud_units_next_billing_period_pct': ('cloud_units', 'next_billing_period_pct', 'cloud_units'),
    'endpoint_agents_used_pct': ('endpoint_agents', 'used_pct', 'endpoint_agents'),
    'endpoint_agents_essentials_used_pct': ('endpoint_agents_essentials', 'used_pct', 'endpoint_agents_essentials'),
    'endpoint_agents_embedded_used_pct': ('endpoint_agents_embedded', 'used_pct', 'endpoint_agents_embedded'),
    'enterprise_agents_used_pct': ('enterprise_agents', 'used_pct', 'enterprise_agents'),
}
THRESHOLD_MAX = 1000
THRESHOLDS_WHAT = 'a dictionary of maximum percentages (0 to %d) with keys from %s' % (
    THRESHOLD_MAX, ', '.join(sorted(THRESHOLDS)))
# "Nothing over its included amount": what the within_quota test checks when given no thresholds.
DEFAULT_QUOTA_THRESHOLDS = dict((key, 100.0) for key in THRESHOLDS if key != 'cloud_units_next_billing_period_pct')
# What headroom is measured against when no thresholds are given: 100 % of every included amount.
DEFAULT_HEADROOM_THRESHOLDS = dict((key, 100.0) for key in THRESHOLDS)


def pct(part, whole):
    """``part`` as a percentage of an included amount, 2 decimals; None when either is absent or nothing is included."""
    return None if part is None or not whole else round(part * 100 / whole, 2)


def check_thresholds(thresholds):
    """Validate a thresholds dict (None allowed); return it with float values and unset keys dropped."""
    if thresholds is None:
        return {}
    if not isinstance(thresholds, dict):
        raise ThousandEyesError('thresholds must be %s, got %s' % (THRESHOLDS_WHAT, shown(thresholds)))
    refuse_unknown_keys('thresholds', thresholds, sorted(THRESHOLDS))
    result = {}
    for key, value in thresholds.items():
        if value is None:
            continue
        try:
            number = float(value)
        except (TypeError, ValueError):
            number = None
        if isinstance(value, bool) or number is None or not 0 <= number <= THRESHOLD_MAX:
            raise ThousandEyesError('thresholds.%s must be a percentage between 0 and %d, got %s' % (
                key, THRESHOLD_MAX, shown(value)))
        result[key] = number
    return result


def _added(metric, reserve):
    """What the reserve adds to ``metric``'s figure (None if nothing), and the reserve key that adds it."""
    changed_by = THRESHOLDS[metric][2]
    return ((reserve or {}).get(changed_by) if changed_by else None), changed_by


def metric_value(status, metric, reserve=None):
    """The quota_status percentage a threshold judges: after the rollout when the reserve changes it."""
    section, key, _changed_by = THRESHOLDS[metric]
    added = _added(metric, reserve)[0]
    return status[section][key.replace('_pct', '_with_reserve_pct')] if added else status[section][key]


def find_breaches(status, thresholds, reserve=None):
    """Every threshold exceeded, as ``{metric, value, threshold, message}``, in a stable order. With a reserve, the
    figures after the rollout are judged (quota_status's ``*_with_reserve``, see _reserve.apply_reserve)."""
    breaches = []
    for metric in sorted(thresholds):
        added, changed_by = _added(metric, reserve)
        value = metric_value(status, metric, reserve)
        limit = thresholds[metric]
        if value is not None and value > limit:
            if added:
                message = '%s would be %s%% with the reserve (%s), above the threshold of %s%%' % (
                    metric, fmt_number(value), _reserve_text(changed_by, added), fmt_number(limit))
            else:
                message = '%s is %s%%, above the threshold of %s%%' % (metric, fmt_number(value), fmt_number(limit))
            breaches.append({'metric': metric, 'value': value, 'threshold': limit, 'message': message})
    return breaches


def _reserve_text(key, count):
    what = key.replace('_', ' ')
    return '{:,} {}{}'.format(count, what, ' per period' if key == 'cloud_units' else '')


def breach_summary(breaches):
    return 'Quota thresholds exceeded: ' + '; '.join(item['message'] for item in breaches)
