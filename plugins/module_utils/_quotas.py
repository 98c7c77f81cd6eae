# -*- coding: utf-8 -*-
# Copyright (c) thousandeyes.usage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Internal to the thousandeyes.usage collection: organization and account-group quotas (GET /quotas and the four
POST operations), as current state, desired state and the requests that turn one into the other; the work of the
quotas_info and quota modules (``run_quotas_info``, ``run_quota``)."""

from __future__ import annotations

import copy

from ansible_collections.thousandeyes.usage.plugins.module_utils._account_groups import (
    check_exclusive,
    find_account_group,
    read_account_groups,
)
from ansible_collections.thousandeyes.usage.plugins.module_utils._api import ThousandEyesClient
from ansible_collections.thousandeyes.usage.plugins.module_utils._errors import ThousandEyesError, refuse_unknown_keys, shown, whole_number
from ansible_collections.thousandeyes.usage.plugins.module_utils._usage import snake_case

QUOTA_KEYS = {'organization_quotas': ('org_id', 'value'),
              'account_group_quotas': ('org_id', 'aid', 'account_group', 'value')}
PERMISSION_HINT = 'reading or changing quotas needs the Edit quotas permission'
ORG_ASSIGN = '/quotas/assign'
ORG_UNASSIGN = '/quotas/unassign'
AG_ASSIGN = '/quotas/account-groups/assign'
AG_UNASSIGN = '/quotas/account-groups/unassign'


def with_hint(exc):
    """A 403 from a quotas endpoint, with the permission it needs named."""
    if exc.status == 403:
        return ThousandEyesError('%s (%s)' % (exc, PERMISSION_HINT), status=exc.status, method=exc.method,
                                 path=exc.path, problem=exc.problem, rate_limit=exc.rate_limit, data=exc.data)
    return exc


def organizations(quotas):
    """Flatten the API's quotas (snake_case) to ``[{org_id, quota, account_groups: [{aid, quota}]}]``, one entry per
    organization (entries repeated for one organization are merged)."""
    merged = {}
    for entry in quotas:
        org = entry.get('organization_quota') or {}
        org_id = None if org.get('org_id') is None else str(org.get('org_id'))
        item = merged.setdefault(org_id, {'org_id': org_id, 'quota': None, 'account_groups': []})
        if org.get('value') is not None:
            item['quota'] = org.get('value')
        known = set(group['aid'] for group in item['account_groups'])
        for group in entry.get('account_group_quotas') or []:
            aid = str(group.get('aid'))
            if aid not in known:
                item['account_groups'].append({'aid': aid, 'quota': group.get('value')})
                known.add(aid)
    return list(merged.values())


def fetch_quotas(client):
    """GET /quotas (every page): ``{quotas, organizations, rate_limit, status}``."""
    try:
        answer = client.get_all('/quotas', 'quotas')
    except ThousandEyesError as exc:
        raise with_hint(exc)
    quotas = snake_case(answer['items'])
    return {'quotas': quotas, 'organizations': organizations(quotas), 'rate_limit': answer['rate_limit'],
            'status': answer['status']}


def read_quotas(client, cache):
    """fetch_quotas through ``cache`` (the controller's cache, or NoCache on a managed host)."""
    return cache.get(client, ['quotas'], lambda: fetch_quotas(client))


def state_of(orgs):
    """``{org_id: {'quota': value or None, 'account_groups': {aid: value}}}`` from ``organizations()``."""
    return dict((org['org_id'], {'quota': org['quota'],
                                 'account_groups': dict((g['aid'], g['quota']) for g in org['account_groups'])})
                for org in orgs)


def _value(entry, where, required):
    value = entry.get('value')
    if value is None:
        if required:
            raise ThousandEyesError('%s: value is required with state=present' % where)
        return None
    count = whole_number(value)
    if count is None:
        raise ThousandEyesError('%s: value must be a whole number of 0 or more, got %s' % (where, shown(value)))
    return count


def _entries(option, entries):
    """``(where, entry)`` for each entry of a quota list option, each checked to be a dictionary of its keys with
    scalar values (declared raw: ansible-core's own message for an entry that is not a dictionary names no option)."""
    keys = QUOTA_KEYS[option]
    for index, entry in enumerate(entries or []):
        where = '%s[%d]' % (option, index)
        if not isinstance(entry, dict):
            raise ThousandEyesError('%s must be a dictionary with keys %s, got %s' % (where, ', '.join(keys), shown(entry)))
        refuse_unknown_keys(where, entry, keys)
        for key, value in entry.items():
            if key != 'value' and isinstance(value, (dict, list, bool)):  # value: see _value()
                raise ThousandEyesError('%s.%s must be a string, got %s' % (where, key, shown(value)))
        yield where, entry


def _org_id(entry):
    return None if entry.get('org_id') in (None, '') else str(entry['org_id'])


def check_entries(organization_quotas, account_group_quotas, state, names=None):
    """Validate the requested quotas before any request: ``([(where, org_id, value)], [(where, org_id, aid,
    value)])`` with org_id None where omitted.

    An account group may be given by name (``account_group``): ``names(where, name, org_id)`` returns its account group
    entry (see _account_groups.find_account_group), whose organization then applies when org_id is omitted."""
    present = state == 'present'
    orgs = [(where, _org_id(entry), _value(entry, where, present))
            for where, entry in _entries('organization_quotas', organization_quotas)]
    checked = []
    for where, entry in _entries('account_group_quotas', account_group_quotas):
        aid, name = entry.get('aid'), entry.get('account_group')
        aid, name = (None if item is None else str(item) for item in (aid, name))
        if aid in (None, '') and name in (None, ''):
            raise ThousandEyesError('%s: aid or account_group is required' % where)
        check_exclusive(entry, where)
        checked.append((where, _org_id(entry), aid, name, _value(entry, where, present)))
    groups = []
    for where, org_id, aid, name, value in checked:  # names resolved once every entry is known to be valid
        if name not in (None, ''):
            group = names(where, name, org_id)
            aid, org_id = group['aid'], org_id or group.get('org_id')
        groups.append((where, org_id, str(aid), value))
    return orgs, groups


def desired(current, orgs, groups):
    """Checked entries with an omitted org_id resolved to the caller's organization (the only one the token sees;
    None for organization quotas when it sees none yet): ``([(org_id, value)], [(org_id, aid, value)])``."""
    seen_orgs = sorted(org for org in current if org)

    def resolve(where, org_id, required):
        if org_id is not None:
            return org_id
        if len(seen_orgs) > 1:
            raise ThousandEyesError('%s: org_id is required: the token sees several organizations (%s)' % (
                where, ', '.join(seen_orgs)))
        if not seen_orgs and required:
            raise ThousandEyesError("%s: org_id is required: no organization is visible yet to tell the caller's "
                                    'organization' % where)
        return seen_orgs[0] if seen_orgs else None

    wanted_orgs, wanted_groups, values = [], [], {}
    for where, org_id, value in orgs:
        item = (resolve(where, org_id, False), value)
        if values.setdefault(('org', item[0]), value) != value:
            raise ThousandEyesError('%s: organization %s is listed twice with different values' % (where, item[0]))
        wanted_orgs.append(item)
    for where, org_id, aid, value in groups:
        item = (resolve(where, org_id, True), aid, value)
        if values.setdefault(('group', item[0], aid), value) != value:
            raise ThousandEyesError('%s: account group %s is listed twice with different values' % (where, aid))
        wanted_groups.append(item)
    return wanted_orgs, wanted_groups


def plan(current, wanted_orgs, wanted_groups, state):
    """The POST requests needed, in a safe order, and the state expected after them: ``(requests, after)``."""
    after = copy.deepcopy(current)
    requests = []

    def org_state(org_id):
        return after.setdefault(org_id, {'quota': None, 'account_groups': {}})

    if state == 'present':
        orgs = []
        for org_id, value in wanted_orgs:
            if org_state(org_id)['quota'] != value and (org_id, value) not in orgs:
                orgs.append((org_id, value))
                org_state(org_id)['quota'] = value
        groups = {}
        for org_id, aid, value in wanted_groups:
            if org_state(org_id)['account_groups'].get(aid) != value:
                groups.setdefault(org_id, []).append({'aid': aid, 'value': value})
                org_state(org_id)['account_groups'][aid] = value
        if orgs:  # organization quotas first: account-group quotas live inside them
            requests.append((ORG_ASSIGN, {'organizations': [
                dict({'value': value}, **({'orgId': org_id} if org_id else {})) for org_id, value in orgs]}))
        if groups:
            requests.append((AG_ASSIGN, {'organizations': [
                {'orgId': org_id, 'accountGroups': items} for org_id, items in groups.items()]}))
    else:
        groups = {}
        for org_id, aid, dummy in wanted_groups:
            if aid in after.get(org_id, {}).get('account_groups', {}):
                groups.setdefault(org_id, []).append(aid)
                del after[org_id]['account_groups'][aid]
        orgs = []
        for org_id, dummy in wanted_orgs:
            if after.get(org_id, {}).get('quota') is not None and org_id not in orgs:
                orgs.append(org_id)
                after[org_id]['quota'] = None
        if groups:  # account-group quotas first, then the organization quotas that hold them
            requests.append((AG_UNASSIGN, {'organizations': [
                {'orgId': org_id, 'accountGroups': aids} for org_id, aids in groups.items()]}))
        if orgs:
            requests.append((ORG_UNASSIGN, {'organizations': orgs}))
    return requests, after


def diff_view(state, org_ids):
    """The part of a state ``{org_id: ...}`` that a change touched, for --diff."""
    return dict((str(org_id), state.get(org_id, {'quota': None, 'account_groups': {}})) for org_id in sorted(
        org_ids, key=str))


def organizations_of(state):
    """``state_of()`` turned back into the ``organizations()`` shape."""
    return [{'org_id': org_id, 'quota': org['quota'],
             'account_groups': [{'aid': aid, 'quota': value} for aid, value in org['account_groups'].items()]}
            for org_id, org in state.items()]


def ensure(client, organization_quotas, account_group_quotas, state, check_mode, sent, cache):
    """Bring quotas to the desired state. Appends each request sent (or, in check mode, that would be sent) to
    ``sent`` as ``{method, path, body}``, so a caller can report them even when a later one fails.
    Returns ``{changed, organizations, rate_limit, diff}``."""
    known = []  # the account groups, read at the first name (through the cache)

    def names(where, name, org_id):
        if not known:
            known.append(read_account_groups(client, cache)['account_groups'])
        return find_account_group(name, known[0], org_id, option=where + '.account_group')

    orgs, groups = check_entries(organization_quotas, account_group_quotas, state, names)
    before = read_quotas(client, cache)
    current = state_of(before['organizations'])
    wanted_orgs, wanted_groups = desired(current, orgs, groups)
    requests, expected = plan(current, wanted_orgs, wanted_groups, state)
    try:
        for path, body in requests:
            if not check_mode:
                try:
                    client.post(path, body)
                except ThousandEyesError as exc:
                    raise with_hint(exc)
            sent.append({'method': 'POST', 'path': client.path(path), 'body': body})
    finally:
        if requests and not check_mode:  # even after a failure, some changes may have been made
            cache.forget(client, ['quotas'])
    if check_mode or not requests:
        final = {'organizations': organizations_of(expected) if requests else before['organizations'],
                 'rate_limit': before['rate_limit'], 'status': before['status']}
    else:
        final = read_quotas(client, cache)
    touched = set(item[0] for item in wanted_orgs) | set(item[0] for item in wanted_groups)
    return {
        'changed': bool(requests),
        'organizations': final['organizations'],
        'rate_limit': final['rate_limit'],
        'status': final['status'],
        'diff': {'before': diff_view(current, touched), 'after': diff_view(state_of(final['organizations']), touched)},
    }


QUOTAS_INFO_SPEC = dict(argument_spec={}, supports_check_mode=True)

QUOTA_SPEC = dict(
    argument_spec=dict(
        # raw: _entries() names the entry and what it allows, where a dict's conversion would not.
        organization_quotas=dict(type='list', elements='raw'),
        account_group_quotas=dict(type='list', elements='raw'),
        state=dict(type='str', choices=['present', 'absent'], default='present'),
    ),
    required_one_of=[('organization_quotas', 'account_group_quotas')],
    supports_check_mode=True,
)


def run_quotas_info(params, check_mode, diff, cache):
    """The quotas_info module: validated params in, result out."""
    return dict(read_quotas(ThousandEyesClient(params), cache), changed=False)


def run_quota(params, check_mode, diff, cache):
    """The quota module: validated params in, result out (``diff`` only when asked). A failure carries the requests
    already sent."""
    sent = []
    try:
        result = ensure(ThousandEyesClient(params), params['organization_quotas'], params['account_group_quotas'],
                        params['state'], check_mode, sent, cache)
    except ThousandEyesError as exc:
        exc.data['requests'] = sent
        raise
    changes = result.pop('diff')
    if diff:
        result['diff'] = changes
    result['requests'] = sent
    return result
