# -*- coding: utf-8 -*-
# Copyright (c) thousandeyes.usage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Internal to the thousandeyes.usage collection: what GET /usage returns, made into facts a playbook can gate on.

Pure functions (no I/O except ``fetch_usage``): camelCase to snake_case and the ``quota_status`` maths. The module,
its action plugin and the lookup all build their result with ``facts``, so they return equal values for the same API
answer.
"""

from __future__ import annotations

import datetime
import re

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict

from ansible_collections.thousandeyes.usage.plugins.module_utils._errors import ThousandEyesError
from ansible_collections.thousandeyes.usage.plugins.module_utils._reserve import apply_reserve, check_reserve, headroom
from ansible_collections.thousandeyes.usage.plugins.module_utils._thresholds import (
    DEFAULT_HEADROOM_THRESHOLDS,
    check_thresholds,
    find_breaches,
    pct,
)

# API expand value -> the list it adds under usage (after snake_case conversion).
EXPAND_LISTS = {
    'test': 'tests',
    'enterprise-agent': 'enterprise_agents',
    'enterprise-agent-unit': 'enterprise_agent_units',
    'endpoint-agent': 'endpoint_agents',
    'endpoint-agent-essential': 'endpoint_agents_essentials',
    'endpoint-agent-embedded': 'endpoint_agents_embedded',
}
EXPAND_VALUES = tuple(EXPAND_LISTS)
EXPAND_CHOICES = EXPAND_VALUES + ('all',)

# quota_status section -> (included key under usage.quota, used key under usage)
AGENT_SECTIONS = (
    ('endpoint_agents', 'endpoint_agents_included', 'endpoint_agents_used'),
    ('endpoint_agents_essentials', 'endpoint_agents_essentials_included', 'endpoint_agents_essentials_used'),
    ('endpoint_agents_embedded', 'endpoint_agents_embedded_included', 'endpoint_agents_embedded_used'),
    ('enterprise_agents', 'enterprise_agents_included', 'enterprise_agents_used'),
)


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


# The ISO 8601 forms datetime.fromisoformat reads on every Python from 3.8 on.
_ISO_DATE = re.compile(r'\d{4}-\d{2}-\d{2}([Tt ]\d{2}(:\d{2}(:\d{2}(\.\d{6})?)?)?([+-]\d{2}:\d{2})?)?$')


def parse_time(value):
    """An API date-time ('2026-11-01T00:00:00Z') as an aware UTC datetime, or None if absent or unreadable."""
    if not isinstance(value, str) or not value:
        return None
    text = value.strip()
    if text.endswith(('Z', 'z')):
        text = text[:-1] + '+00:00'
    # Python < 3.11 reads only +01:30 (not +0130) and 3 or 6 decimals, and none of the other ISO 8601 forms 3.11
    # added: those two are rewritten, the rest refused, so every Python reads the same dates.
    text = re.sub(r'([+-]\d{2})(\d{2})$', r'\1:\2', text)
    text = re.sub(r'\.(\d+)', lambda match: '.' + (match.group(1) + '00000')[:6], text)
    if not _ISO_DATE.match(text):
        return None
    try:
        parsed = datetime.datetime.fromisoformat(text)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=datetime.timezone.utc)
    return parsed.astimezone(datetime.timezone.utc)


def format_time(moment):
    return moment.strftime('%Y-%m-%dT%H:%M:%SZ')


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
              'elapsed_pct': None, 'days_left': None, 'remaining_fraction': None}
    if start and end and end > start:
        elapsed = min(max((now - start).total_seconds(), 0.0), (end - start).total_seconds())
        status['elapsed_pct'] = round(elapsed * 100 / (end - start).total_seconds(), 2)
        status['days_left'] = round(max((end - now).total_seconds(), 0.0) / 86400, 2)
        status['remaining_fraction'] = round(1 - elapsed / (end - start).total_seconds(), 6)
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
            'used_pct': pct(used, included),
            'projected_pct': pct(projected, included),
            'next_billing_period_pct': pct(next_period, included),
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
            'used_pct': pct(used, included),
            'over_quota': _over(used, included),
        }
    return status


def facts(answer, thresholds=None, reserve=None, now=None):
    """The documented result (usage, quota_status, rate_limit, breaches, headroom) from an answer (what fetch_usage
    returns and the cache keeps), with quota_status as of the moment the answer was observed."""
    usage = answer['usage']
    reserve = check_reserve(reserve)
    status = apply_reserve(quota_status(usage, now or parse_time(answer.get('observed_at'))), reserve)
    limits = check_thresholds(thresholds)
    return {
        'usage': usage,
        'quota_status': status,
        'rate_limit': answer.get('rate_limit') or {'limit': None, 'remaining': None, 'reset': None},
        'breaches': find_breaches(status, limits, reserve),
        'headroom': headroom(status, limits or DEFAULT_HEADROOM_THRESHOLDS),
    }


def usage_facts(body, thresholds=None, rate_limit=None, now=None, reserve=None):
    """The documented result from a decoded GET /usage body."""
    return facts({'usage': snake_case(body['usage']), 'rate_limit': rate_limit}, thresholds, reserve, now)


def fetch_usage(client, aid=None, expand=None):
    """Call GET /usage once; return ``{usage, expand, observed_at, rate_limit, status}``: usage in snake_case, the
    expand value asked for and when the answer came (plain JSON data, cached as it is).

    ``expand`` must already be the API's value (see expand_param). Raises ThousandEyesError.
    """
    answer = client.get('/usage', params={'aid': aid, 'expand': expand})
    if not isinstance(answer.data, dict) or not isinstance(answer.data.get('usage'), dict):
        path = client.path('/usage')
        raise ThousandEyesError('GET %s failed: HTTP %d but the answer has no "usage" object' % (path, answer.status),
                                method='GET', path=path, status=answer.status)
    return {'usage': snake_case(answer.data['usage']), 'expand': expand, 'rate_limit': answer.rate_limit,
            'observed_at': format_time(datetime.datetime.now(datetime.timezone.utc)), 'status': answer.status}


def covers(answer, expand):
    """Whether an answer fetched with its ``expand`` holds every list ``expand`` asks for."""
    return set((expand or '').split(',')) - {''} <= set((answer.get('expand') or '').split(','))


def trimmed(answer, expand):
    """The answer with only the expanded lists ``expand`` asks for (an answer fetched with more serves fewer)."""
    extra = set((answer.get('expand') or '').split(',')) - set((expand or '').split(',')) - {''}
    if not extra:
        return answer
    drop = set(EXPAND_LISTS[item] for item in extra)
    return dict(answer, usage=dict((key, value) for key, value in answer['usage'].items() if key not in drop))
