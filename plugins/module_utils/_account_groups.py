# -*- coding: utf-8 -*-
# Copyright (c) thousandeyes.usage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Internal to the thousandeyes.usage collection: account groups (GET /account-groups, Administrative API), the
organizations they belong to, and account group names resolved to an ``aid``; the account_groups_info module's work.
"""

from __future__ import annotations

import difflib

from ansible_collections.thousandeyes.usage.plugins.module_utils._api import ThousandEyesClient
from ansible_collections.thousandeyes.usage.plugins.module_utils._errors import ThousandEyesError
from ansible_collections.thousandeyes.usage.plugins.module_utils._usage import snake_case

CLOSEST = 5  # how many existing names an unknown one is shown with


def fetch_account_groups(client):
    """GET /account-groups once: ``{account_groups, rate_limit, status}``, entries in snake_case with ids as strings
    (absent fields stay absent, unknown ones are kept)."""
    answer = client.get('/account-groups')
    data = answer.data if isinstance(answer.data, dict) else {}
    entries = data.get('accountGroups')
    if not isinstance(entries, list):
        path = client.path('/account-groups')
        raise ThousandEyesError('GET %s failed: HTTP %d but the answer has no "accountGroups" list' % (
            path, answer.status), method='GET', path=path, status=answer.status)
    groups = []
    for entry in snake_case([entry for entry in entries if isinstance(entry, dict)]):
        for key in ('aid', 'org_id'):
            if entry.get(key) is not None:
                entry[key] = str(entry[key])
        groups.append(entry)
    return {'account_groups': groups, 'rate_limit': answer.rate_limit, 'status': answer.status}


def read_account_groups(client, cache):
    """fetch_account_groups through ``cache`` (the controller's cache, or NoCache on a managed host)."""
    return cache.get(client, ['account-groups'], lambda: fetch_account_groups(client))


def organizations(groups):
    """One entry per organization, in the order first seen: ``{org_id, organization_name, aid, account_groups}``.

    ``aid`` is the account group to read that organization's usage with: the current one if it belongs to it, else
    the user's default, else the first."""
    orgs = {}
    for group in groups:
        org = orgs.setdefault(group.get('org_id'), {'org_id': group.get('org_id'),
                                                    'organization_name': group.get('organization_name'),
                                                    'aid': None, 'account_groups': []})
        org['account_groups'].append(group)
        if org['organization_name'] is None and group.get('organization_name') is not None:
            org['organization_name'] = group['organization_name']
    for org in orgs.values():
        members = org['account_groups']
        current = [group for group in members if group.get('is_current_account_group')]
        default = [group for group in members if group.get('is_default_account_group')]
        org['aid'] = (current or default or members)[0].get('aid')
    return list(orgs.values())


def _where(group):
    org = group.get('organization_name') or 'an unnamed organization'
    if group.get('org_id') is not None:
        org += ' (org %s)' % group['org_id']
    return 'aid %s in %s' % (group.get('aid'), org)


def find_account_group(name, groups, org_id=None, option='account_group'):
    """The one account group called ``name`` (exact match first, then a unique case-insensitive one), within
    ``org_id`` when given. Raises ThousandEyesError naming ``option``: for an unknown name with the closest existing
    ones, for a name used in several organizations with each candidate."""
    scope = [group for group in groups if org_id is None or group.get('org_id') == str(org_id)]
    for matches in ([group for group in scope if group.get('account_group_name') == name],
                    [group for group in scope if str(group.get('account_group_name', '')).casefold() == name.casefold()]):
        if len(matches) == 1:
            return matches[0]
        if matches:
            raise ThousandEyesError('%s: %r names %d account groups: %s; pass aid instead%s' % (
                option, name, len(matches), ', '.join(_where(group) for group in matches),
                '' if option == 'account_group' else ', or org_id'))
    names = sorted(set(str(group['account_group_name']) for group in scope if group.get('account_group_name')))
    closest = difflib.get_close_matches(name, names, n=CLOSEST, cutoff=0.0)
    where = ' in organization %s' % org_id if org_id is not None else ''
    raise ThousandEyesError('%s: no account group named %r%s; closest: %s' % (
        option, name, where, ', '.join(repr(item) for item in closest) if closest else
        'none (the token sees no account group%s)' % where))


def check_exclusive(given, where=''):
    """The account group is given by ID (aid) or by name (account_group), not both; ``where`` names a list entry."""
    if any(given.get(key) not in (None, '') for key in ('aid', 'account_group_id')) and \
            given.get('account_group') not in (None, ''):
        raise ThousandEyesError('%said and account_group are mutually exclusive: give the account group by ID (aid) or '
                                'by name (account_group), not both' % (where and where + ': '))


def resolve_aid(client, params, cache):
    """The ``aid`` to use: from ``account_group`` (a name) when it is given, else the ``aid`` option (or None)."""
    name = params.get('account_group')
    if not name:
        return client.options['aid']
    return find_account_group(name, read_account_groups(client, cache)['account_groups'])['aid']


ACCOUNT_GROUPS_INFO_SPEC = dict(argument_spec={}, supports_check_mode=True)


def run_account_groups_info(params, check_mode, diff, cache):
    """The account_groups_info module: validated params in, result out."""
    answer = read_account_groups(ThousandEyesClient(params), cache)
    return {'changed': False, 'account_groups': answer['account_groups'],
            'organizations': organizations(answer['account_groups']), 'rate_limit': answer['rate_limit'],
            'status': answer.get('status', 200)}
