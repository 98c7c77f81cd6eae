# -*- coding: utf-8 -*-
# Copyright (c) thousandeyes.usage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Internal to the thousandeyes.usage collection: units breakdowns (GET /usage/units/...) and what they add up to;
the units_info module's work (``run_units_info``)."""

from __future__ import annotations

import re

from ansible_collections.thousandeyes.usage.plugins.module_utils._account_groups import resolve_aid
from ansible_collections.thousandeyes.usage.plugins.module_utils._api import NoCache, ThousandEyesClient
from ansible_collections.thousandeyes.usage.plugins.module_utils._errors import ThousandEyesError
from ansible_collections.thousandeyes.usage.plugins.module_utils._usage import format_time, parse_time, snake_case

# resource option value -> (API path, the units fields summed in totals, the field ranking top consumers)
RESOURCES = {
    'tests': ('/usage/units/tests',
              ('cloud_units_used', 'cloud_units_projected', 'enterprise_units_used', 'enterprise_units_projected'),
              'cloud_units_projected'),
    'enterprise_agents': ('/usage/units/enterprise-agents',
                          ('enterprise_units_used', 'enterprise_units_projected'),
                          'enterprise_units_projected'),
}
RESOURCE_CHOICES = ('tests', 'enterprise_agents', 'all')
_DAY = re.compile(r'^\d{4}-\d{2}-\d{2}$')


def api_date(value, name):
    """``YYYY-MM-DD`` or an ISO 8601 date-time with a timezone, as the API's ``YYYY-MM-DDTHH:MM:SSZ`` (UTC)."""
    if value is None or value == '':
        return None
    text = str(value).strip()
    if _DAY.match(text):
        text += 'T00:00:00Z'
    moment = parse_time(text)
    has_zone = text.endswith(('Z', 'z')) or re.search(r'[+-]\d{2}:?\d{2}$', text)
    if moment is None or not has_zone:
        raise ThousandEyesError('%s must be a date (YYYY-MM-DD) or an ISO 8601 date-time with a timezone '
                                '(2026-11-01T08:00:00Z, 2026-11-01T10:00:00+02:00), got %r' % (name, str(value)))
    return format_time(moment)


def date_params(start_date, end_date):
    """The API's startDate/endDate; rejects an end before the start. Either may be None."""
    start = api_date(start_date, 'start_date')
    end = api_date(end_date, 'end_date')
    if start and end and end < start:
        raise ThousandEyesError('end_date (%s) is before start_date (%s)' % (end, start))
    return {'startDate': start, 'endDate': end}


def resources_for(resource, aid, option='aid'):
    """The resources to read for the ``resource`` option; an account group (``option``: aid or account_group) is
    refused where the API has no such parameter."""
    if resource not in RESOURCE_CHOICES:
        raise ThousandEyesError('resource must be one of %s, got %r' % (', '.join(RESOURCE_CHOICES), resource))
    if aid and resource != 'tests':
        raise ThousandEyesError(
            '%s applies only to resource=tests: GET /v7/usage/units/enterprise-agents has no account group '
            'parameter (it always covers the whole organization); remove %s or use resource=tests' % (option, option))
    return ['tests', 'enterprise_agents'] if resource == 'all' else [resource]


def _sums(rows, fields):
    totals = dict((field, 0) for field in fields)
    for row in rows:
        for field in fields:
            value = row.get(field)
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                totals[field] += value
    totals['count'] = len(rows)
    return totals


def totals(rows, fields):
    """Sums of each units field (absent values count as nothing), overall and per account group."""
    groups = {}
    for row in rows:
        groups.setdefault(row.get('aid'), []).append(row)
    result = _sums(rows, fields)
    result['by_account_group'] = [
        dict(_sums(members, fields), aid=aid, account_group_name=members[0].get('account_group_name'))
        for aid, members in sorted(groups.items(), key=lambda item: str(item[0]))
    ]
    return result


def top_consumers(rows, field, count):
    """The ``count`` rows with the largest ``field`` (rows without it come last)."""
    ranked = sorted(rows, key=lambda row: (row.get(field) is None, -(row.get(field) or 0)))
    return ranked[:count]


def read_units(client, resource, aid=None, start_date=None, end_date=None, top=10, max_pages=None, cache=NoCache):
    """Every page of the requested breakdowns, with totals and top consumers per resource. Raises
    ThousandEyesError (bad input before any request)."""
    if top is not None and top < 0:
        raise ThousandEyesError('top must be 0 or more, got %d' % top)
    if max_pages is not None and max_pages < 1:
        raise ThousandEyesError('max_pages must be at least 1, got %d' % max_pages)
    names = resources_for(resource, aid)
    params = date_params(start_date, end_date)
    result = {'breakdowns': {}, 'totals': {}, 'top_consumers': {}, 'pages': {}, 'warnings': []}
    for name in names:
        path, fields, rank = RESOURCES[name]
        query = dict(params, aid=aid if name == 'tests' else None)
        answer = cache.get(client, ['units', path, query, max_pages],
                           lambda path=path, query=query: client.get_all(path, 'breakdowns', query, max_pages))
        rows = snake_case(answer['items'])
        result['breakdowns'][name] = rows
        result['totals'][name] = totals(rows, fields)
        result['top_consumers'][name] = top_consumers(rows, rank, top)
        result['pages'][name] = answer['pages']
        result['rate_limit'] = answer['rate_limit']
        result['status'] = answer['status']
        if answer['repeated_cursor']:
            result['warnings'].append('GET %s: the API repeated a pagination cursor after %d pages; stopped there' % (
                client.path(path), answer['pages']))
    return result


UNITS_INFO_SPEC = dict(
    argument_spec=dict(
        resource=dict(type='str', choices=list(RESOURCE_CHOICES), default='tests'),
        account_group=dict(type='str'),
        start_date=dict(type='str'),
        end_date=dict(type='str'),
        top=dict(type='int', default=10),
        max_pages=dict(type='int'),
    ),
    supports_check_mode=True,
)


def run_units_info(params, check_mode, diff, cache):
    """The units_info module: validated params in, result out (``warnings`` for the caller to show)."""
    client = ThousandEyesClient(params)
    if params.get('account_group'):
        resources_for(params['resource'], params['account_group'], 'account_group')  # refused before any request
    result = read_units(client, params['resource'], resolve_aid(client, params, cache), params['start_date'],
                        params['end_date'], params['top'], params['max_pages'], cache)
    result['changed'] = False
    return result
