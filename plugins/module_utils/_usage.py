# -*- coding: utf-8 -*-
# Copyright (c) thousandeyes.usage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Internal to the thousandeyes.usage collection: what GET /usage returns, made into facts a playbook can gate on.

Pure functions (no I/O except ``fetch_usage``): camelCase to snake_case, ``quota_status`` maths, threshold
checks, and ``run_usage_info``, the usage_info module's work. The module, its action plugin and the lookup all build
their result with ``facts``, so they return equal values for the same API answer.
"""

from __future__ import annotations

import datetime

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict

from ansible_collections.thousandeyes.usage.plugins.module_utils._api import ThousandEyesClient
from ansible_collections.thousandeyes.usage.plugins.module_utils._errors import ThousandEyesError, fmt_number

# API expand value -> the list it adds under usage (after snake_case conversion).
EXPAND_VALUES = (
    'test',
    'enterprise-agent',
    'enterprise-agent-unit',
    'endpoint-agent',
    'endpoint-agent-essential',
    'endpoint-agent-embedded',
)
EXPAND_CHOICES = EXPAND_VALUES + ('all',)

# quota_status section -> (included key under usage.quota, used key under usage)
AGENT_SECTIONS = (
    ('endpoint_agents', 'endpoint_agents_included', 'endpoint_agents_used'),
    ('endpoint_agents_essentials', 'endpoint_agents_essentials_included', 'endpoint_agents_essentials_used'),
    ('endpoint_agents_embedded', 'endpoint_agents_embedded_included', 'endpoint_agents_embedded_used'),
    ('enterprise_agents', 'enterprise_agents_included', 'enterprise_agents_used'),
)

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
# "Nothing over its included amount": what the within_quota test checks when given no thresholds.
DEFAULT_QUOTA_THRESHOLDS = dict((key, 100.0) for key in THRESHOLDS if key != 'cloud_units_next_billing_period_pct')


def expand_param(expand):
    """Validate ``expand`` and return the API's comma-separated value (canonical order, no duplicates) or None."""
    if expand is None:
        return None
    if isinstance(expand, str):
        expand = [item.strip() for item in expand.split(',') if item.strip()]
    unknown = [item for item in expand if item not in EXPAND_CHOICES]
    if unknown:
        raise ThousandEyesError('expand: value %s is not one of %s' % (
            ', '.join(repr(item) for item in unknown), ', '.join(EXPAND_CHOICES)))
    wanted = set(EXPAND_VALUES) if 'all' in expand else set(expand)
    return ','.join(item for item in EXPAND_VALUES if item in wanted) or None


def check_thresholds(thresholds):
    """Validate a thresholds dict (None allowed); return it with float values and unset keys dropped."""
    if thresholds is None:
        return {}
    if not isinstance(thresholds, dict):
        raise ThousandEyesError('thresholds must be a dictionary of maximum percentages, got %s' % type(thresholds).__name__)
    unknown = sorted(key for key in thresholds if key not in THRESHOLDS)
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
            raise ThousandEyesError('thresholds: %s must be a percentage between 0 and %d, got %r' % (
                key, THRESHOLD_MAX, value))
        result[key] = number
    return result


_SNAKE_KEYS = {}  # memo: answers repeat a few dozen keys over and over (100,000 tests, 7 keys each)
_CONTAINERS = (dict, list)


def snake_key(key):
    """cloudUnitsUsed -> cloud_units_used, with Ansible's own rules (camel_dict_to_snake_dict)."""
    snake = _SNAKE_KEYS.get(key)
    if snake is None:
        snake = _SNAKE_KEYS[key] = next(iter(camel_dict_to_snake_dict({key: None})))
    return snake


def snake_case(data):
    """Every dict key converted to snake_case, recursively through dicts and lists; values untouched.

    Scalars are not passed through a call: this runs over every item of large expanded answers."""
    if isinstance(data, dict):
        keys = _SNAKE_KEYS
        return {(keys.get(key) or snake_key(key)): snake_case(value) if isinstance(value, _CONTAINERS) else value
                for key, value in data.items()}
    if isinstance(data, list):
        return [snake_case(value) if isinstance(value, _CONTAINERS) else value for value in data]
    return data


def parse_time(value):
    """An API date-time ('2026-11-01T00:00:00Z') as an aware UTC datetime, or None if absent or unreadable."""
    if not isinstance(value, str) or not value:
        return None
    text = value.strip()
    if text.endswith(('Z', 'z')):
        text = text[:-1] + '+00:00'
    try:
        parsed = datetime.datetime.fromisoformat(text)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=datetime.timezone.utc)
    return parsed.astimezone(datetime.timezone.utc)


def format_time(moment):
    return moment.strftime('%Y-%m-%dT%H:%M:%SZ')


def _pct(part, whole):
    if part is None or not whole:
        return None
    return round(part * 100 / whole, 2)


def _diff(whole, part):
    if part is None or not whole:
        return None
    return whole - part


def _over(part, whole):
    return bool(whole) and part is not None and part > whole


def _period(quota, now):
    start = parse_time(quota.get('month_start'))
    end = parse_time(quota.get('month_end'))
    status = {'start': format_time(start) if start else None, 'end': format_time(end) if end else None,
              'elapsed_pct': None, 'days_left': None}
    if start and end and end > start:
        elapsed = min(max((now - start).total_seconds(), 0.0), (end - start).total_seconds())
        status['elapsed_pct'] = round(elapsed * 100 / (end - start).total_seconds(), 2)
        status['days_left'] = round(max((end - now).total_seconds(), 0.0) / 86400, 2)
    return status, start, end


def _exhausted_at(included, used, start, end, now):
    """When ``used`` reaches ``included`` at the average burn rate since the period started; None if after the end."""
    if not included or not used or used <= 0 or not start or not end or now <= start:
        return None
    elapsed = (min(now, end) - start).total_seconds()
    moment = start + datetime.timedelta(seconds=elapsed * included / used)
    return format_time(moment) if moment <= end else None


def quota_status(usage, now=None):
    """Computed quota facts from a snake_case ``usage`` dict (see the usage_info RETURN docs)."""
    now = now or datetime.datetime.now(datetime.timezone.utc)
    quota = usage.get('quota') or {}
    period, start, end = _period(quota, now)

    included = quota.get('cloud_units_included')
    used = usage.get('cloud_units_used')
    projected = usage.get('cloud_units_projected')
    next_period = usage.get('cloud_units_next_billing_period')
    status = {
        'period': period,
        'cloud_units': {
            'included': included,
            'used': used,
            'projected': projected,
            'next_billing_period': next_period,
            'remaining': _diff(included, used),
            'projected_remaining': _diff(included, projected),
            'used_pct': _pct(used, included),
            'projected_pct': _pct(projected, included),
            'next_billing_period_pct': _pct(next_period, included),
            'over_quota': _over(used, included),
            'projected_over_quota': _over(projected, included),
            'exhausted_at': _exhausted_at(included, used, start, end, now),
        },
        'enterprise_units': {
            'used': usage.get('enterprise_units_used'),
            'projected': usage.get('enterprise_units_projected'),
            'next_billing_period': usage.get('enterprise_units_next_billing_period'),
        },
    }
    for section, included_key, used_key in AGENT_SECTIONS:
        included = quota.get(included_key)
        used = usage.get(used_key)
        status[section] = {
            'included': included,
            'used': used,
            'remaining': _diff(included, used),
            'used_pct': _pct(used, included),
            'over_quota': _over(used, included),
        }
    return status


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


def facts(answer, thresholds=None, now=None):
    """The documented result (usage, quota_status, rate_limit, breaches) from a stored answer ``{usage,
    rate_limit}`` whose usage is already in snake_case (what fetch_usage returns and the run cache keeps)."""
    usage = answer['usage']
    status = quota_status(usage, now)
    return {
        'usage': usage,
        'quota_status': status,
        'rate_limit': answer.get('rate_limit') or {'limit': None, 'remaining': None, 'reset': None},
        'breaches': find_breaches(status, check_thresholds(thresholds)),
    }


def usage_facts(body, thresholds=None, rate_limit=None, now=None):
    """The documented result from a decoded GET /usage body."""
    return facts({'usage': snake_case(body['usage']), 'rate_limit': rate_limit}, thresholds, now)


def fetch_usage(client, aid=None, expand=None):
    """Call GET /usage once; return ``{usage, rate_limit}`` with usage in snake_case (plain JSON data, so callers may
    cache it and build facts from it without converting again).

    ``expand`` must already be the API's value (see expand_param). Raises ThousandEyesError.
    """
    answer = client.get('/usage', params={'aid': aid, 'expand': expand})
    if not isinstance(answer.data, dict) or not isinstance(answer.data.get('usage'), dict):
        path = client.path('/usage')
        raise ThousandEyesError('GET %s failed: HTTP %d but the answer has no "usage" object' % (path, answer.status),
                                method='GET', path=path, status=answer.status)
    return {'usage': snake_case(answer.data['usage']), 'rate_limit': answer.rate_limit}


def read_usage(client, aid=None, expand=None, cache=None):
    """fetch_usage through ``cache`` (the controller's run-wide AnswerCache) when given, else straight from the API."""
    if cache is None:
        return fetch_usage(client, aid, expand)
    options = client.options
    return cache.get(options['api_url'], aid, expand, options['token'], lambda: fetch_usage(client, aid, expand))


def check_cache_options(mode, ttl):
    """Validate ``cache`` and ``cache_ttl`` (module and lookup alike)."""
    if mode not in CACHE_MODES:
        raise ThousandEyesError('cache must be one of %s, got %r' % (', '.join(CACHE_MODES), mode))
    if ttl is not None and (isinstance(ttl, bool) or not isinstance(ttl, int) or ttl < 0):
        raise ThousandEyesError('cache_ttl must be a non-negative integer (seconds), got %r' % (ttl,))
    return mode, ttl or None


CACHE_MODES = ('run', 'none')

USAGE_INFO_SPEC = dict(
    argument_spec=dict(
        expand=dict(type='list', elements='str', choices=list(EXPAND_CHOICES)),
        thresholds=dict(type='dict', options=dict((key, dict(type='float')) for key in THRESHOLDS)),
        cache=dict(type='str', choices=list(CACHE_MODES), default='run'),
        cache_ttl=dict(type='int'),
    ),
    supports_check_mode=True,
)


def run_usage_info(params, check_mode=False, diff=False, cache=None):
    """The usage_info module: validated params in, result out (``failed`` and ``msg`` set on a threshold breach).

    ``cache`` is the controller's run-wide cache (None on a managed host, where each task asks the API)."""
    thresholds = check_thresholds(params['thresholds'])
    expand = expand_param(params['expand'])
    check_cache_options(params.get('cache', 'run'), params.get('cache_ttl'))
    client = ThousandEyesClient(params)
    result = facts(read_usage(client, client.options['aid'], expand, cache), thresholds)
    result['changed'] = False
    if result['breaches']:
        result.update(failed=True, msg=breach_summary(result['breaches']))
    return result
