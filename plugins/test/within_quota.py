# -*- coding: utf-8 -*-
# Copyright (c) thousandeyes.usage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

from ansible.errors import AnsibleFilterError
from ansible.module_utils.common.text.converters import to_native

from ansible_collections.thousandeyes.usage.plugins.module_utils._errors import ThousandEyesError
from ansible_collections.thousandeyes.usage.plugins.module_utils._thresholds import (
    DEFAULT_QUOTA_THRESHOLDS,
    check_thresholds,
    find_breaches,
)


def within_quota(result, **thresholds):
    """True when no threshold is exceeded in a usage lookup result or a registered usage_info result (or a list of
    them, as query() returns)."""
    try:
        limits = check_thresholds(thresholds) if thresholds else DEFAULT_QUOTA_THRESHOLDS
    except ThousandEyesError as exc:
        raise AnsibleFilterError('within_quota: %s' % to_native(exc))
    results = result if isinstance(result, list) else [result]
    for item in results:
        status = item.get('quota_status') if isinstance(item, dict) else None
        if not isinstance(status, dict):
            raise AnsibleFilterError('within_quota expects the result of the thousandeyes.usage.usage lookup or a '
                                     'registered thousandeyes.usage.usage_info result (with quota_status); got %s' % (
                                         type(item).__name__ if not isinstance(item, dict) else
                                         'a dict without quota_status' + (' (the task failed?)' if item.get('failed')
                                                                          else '')))
        try:
            if find_breaches(status, limits):
                return False
        except KeyError as exc:
            raise AnsibleFilterError('within_quota: quota_status lacks %s' % to_native(exc))
    return True


class TestModule:

    def tests(self):
        return {'within_quota': within_quota}
