# -*- coding: utf-8 -*-
# Copyright (c) thousandeyes.usage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Internal to the thousandeyes.usage collection: quota thresholds (maximum percentages of quota_status values),
their validation and the breaches they find. Shared by usage_info, the usage lookup and the within_quota test, which
imports nothing heavier.
"""

from __future__ import annotations

from ansible_collections.thousandeyes.usage.plugins.module_utils._errors import ThousandEyesError, fmt_number, shown

# threshold name -> (quota_status section, key); each is a maximum percentage.
THRESHOLDS = {
    'cloud_units_used_pct': ('cloud_units', 'used_pct'),
    'cloud_units_projected_pct': ('cloud_units', 'projected_pct'),
    'cloud_units_next_billing_period_pct': ('cloud_units', 'next_billing_period_pct'),
    'endpoint_agents_used_pct': ('endpoint_agents', 'used_pct'),
    'endpoint_agents_essentials_used_pct': ('endpoint_agents_essentials', 'used_pct'),
    'endpoint_agents_embedded_used_pct': ('endpoint_agents_embedded', 'used_pct'),
    'enterprise_agents_used_pct': ('enterprise_agents', 'used_pct'),
}
THRESHOLD_MAX = 1000
THRESHOLDS_WHAT = 'a dictionary of maximum percentages (0 to %d) with keys from %s' % (
    THRESHOLD_MAX, ', '.join(sorted(THRESHOLDS)))
# "Nothing over its included amount": what the within_quota test checks when given no thresholds.
DEFAULT_QUOTA_THRESHOLDS = dict((key, 100.0) for key in THRESHOLDS if key != 'cloud_units_next_billing_period_pct')


def check_thresholds(thresholds):
    """Validate a thresholds dict (None allowed); return it with float values and unset keys dropped."""
    if thresholds is None:
        return {}
    if not isinstance(thresholds, dict):
        raise ThousandEyesError('thresholds must be %s, got %s' % (THRESHOLDS_WHAT, shown(thresholds)))
    unknown = sorted(str(key) for key in thresholds if key not in THRESHOLDS)
    if unknown:
        raise ThousandEyesError('thresholds: unknown key %s; allowed keys: %s' % (
            ', '.join(unknown), ', '.join(sorted(THRESHOLDS))))
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


def find_breaches(status, thresholds):
    """Every threshold exceeded, as ``{metric, value, threshold, message}``, in a stable order."""
    breaches = []
    for metric in sorted(thresholds):
        section, key = THRESHOLDS[metric]
        value = status[section][key]
        limit = thresholds[metric]
        if value is not None and value > limit:
            breaches.append({
                'metric': metric,
                'value': value,
                'threshold': limit,
                'message': '%s is %s%%, above the threshold of %s%%' % (metric, fmt_number(value), fmt_number(limit)),
            })
    return breaches


def breach_summary(breaches):
    return 'Quota thresholds exceeded: ' + '; '.join(item['message'] for item in breaches)
