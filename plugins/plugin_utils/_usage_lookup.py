# -*- coding: utf-8 -*-
# Copyright (c) thousandeyes.usage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Internal to the thousandeyes.usage collection: the usage lookup's full path (controller only).

Validates every option, reads the answers through the run-wide cache shared with usage_info, builds the facts, and
keeps the results for later evaluations with the same options (plugins/lookup/usage.py reads them back without
loading any of this).
"""

from __future__ import annotations

import os
import time

from ansible import constants as C
from ansible.errors import AnsibleLookupError
from ansible.module_utils.common.text.converters import to_native
from ansible.utils.display import Display

from ansible_collections.thousandeyes.usage.plugins.module_utils._account_groups import resolve_aid
from ansible_collections.thousandeyes.usage.plugins.module_utils._api import CONNECTION_DEFAULTS, ThousandEyesClient
from ansible_collections.thousandeyes.usage.plugins.module_utils._args import CONNECTION_ARGSPEC
from ansible_collections.thousandeyes.usage.plugins.module_utils._errors import ThousandEyesError, shown
from ansible_collections.thousandeyes.usage.plugins.module_utils._params import check_cache_options, check_values
from ansible_collections.thousandeyes.usage.plugins.module_utils._thresholds import check_thresholds
from ansible_collections.thousandeyes.usage.plugins.module_utils._usage import expand_param, facts
from ansible_collections.thousandeyes.usage.plugins.module_utils._usage_info import USAGE_INFO_SPEC, read_usage
from ansible_collections.thousandeyes.usage.plugins.plugin_utils._cache import FORMAT, AnswerCache, error_scope, write_entry

display = Display()
CONNECTION_OPTIONS = ('token',) + tuple(CONNECTION_DEFAULTS)
# The lookup's options as the module declares them (types, choices, aliases, no_log), for check_values.
ARGUMENT_SPEC = dict(CONNECTION_ARGSPEC, **USAGE_INFO_SPEC['argument_spec'])


def check_given(lookup, terms, direct, variables, required=False):
    """The values given as keyword arguments or variables, and the terms, checked as the module checks its own
    (see module_utils/_params.py); raises AnsibleLookupError with the same one-line message."""
    definitions = C.config.get_configuration_definitions('lookup', lookup._load_name) or {}
    given = dict((option, variables[source['name']]) for option, definition in definitions.items()
                 for source in definition.get('vars') or () if source['name'] in (variables or {}))
    # A keyword argument wins over a variable: an account group given one way as a keyword replaces the other way's
    # variable (both ways as keywords, or both as variables, are refused).
    for ours, other in (('account_group', 'aid'), ('aid', 'account_group')):
        if _given(direct, ours) and not _given(direct, other):
            given.pop(other, None)
    given.update(direct)
    try:
        check_values(ARGUMENT_SPEC, given, required=required)
        if terms and _given(direct, 'account_group'):
            raise ThousandEyesError('terms and account_group are mutually exclusive: give account group IDs as terms '
                                    'or one name as account_group')
        for term in terms:
            if isinstance(term, bool) or not isinstance(term, (str, int)):
                raise ThousandEyesError('terms must be account group IDs (aid), got %s' % shown(term))
    except ThousandEyesError as exc:
        raise AnsibleLookupError(to_native(exc))


def _given(direct, option):
    """Whether a keyword argument sets ``option`` (or its alias)."""
    return any(direct.get(key) not in (None, '') for key in [option] + list(ARGUMENT_SPEC[option].get('aliases') or ()))


def account_group_name(lookup, terms, direct):
    """The account group name to resolve: none when terms or a keyword aid say which account group it is."""
    if terms or (_given(direct, 'aid') and not _given(direct, 'account_group')):
        return None
    return lookup.get_option('account_group')


def run_lookup(lookup, terms, results_path=None, direct=None):
    """The lookup's results for ``terms`` with its options set; raises AnsibleLookupError with the one-line message."""
    try:
        # Everything is checked before any request; the client opens no connection until it sends one.
        client = ThousandEyesClient(dict((name, lookup.get_option(name)) for name in CONNECTION_OPTIONS))
        expand = expand_param(lookup.get_option('expand'))
        thresholds = check_thresholds(lookup.get_option('thresholds'))
        mode, ttl = check_cache_options(lookup.get_option('cache'), lookup.get_option('cache_ttl'))
        cache = AnswerCache(mode, ttl, display, error_scope=error_scope('lookup', client.options))
        name = account_group_name(lookup, terms, direct or {})
        aids = [to_native(term) for term in terms] or [resolve_aid(client, {'account_group': name}, cache)]
        results = [facts(read_usage(client, aid, expand, cache), thresholds) for aid in aids]
    except ThousandEyesError as exc:
        raise AnsibleLookupError(to_native(exc))
    if results_path is not None and mode == 'run':
        try:
            write_entry(results_path, {'format': FORMAT, 'stored_at': time.time(), 'results': results})
        except OSError as exc:  # the next evaluation takes this path again; nothing else is lost
            display.vvv('thousandeyes.usage.usage: cannot keep the results in %s: %s' % (
                os.path.dirname(results_path), exc))
    return results
