# -*- coding: utf-8 -*-
# Copyright (c) thousandeyes.usage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Internal to the thousandeyes.usage collection: option values checked as given, before ansible-core converts them.

ansible-core's own messages for a bad value vary (``dictionary requested, could not parse JSON or key=value``,
``argument of type 'int' is not iterable``) and differ between modules and lookups. Checked here first, every bad
value gets one line naming the option and what it allows, the same in a module, its action plugin and the lookup.
What passes here, ansible-core converts without complaint; range and format checks follow in each option's code.
"""

from __future__ import annotations

import os

from ansible.module_utils.common.validation import (
    check_type_bool,
    check_type_dict,
    check_type_float,
    check_type_int,
    check_type_list,
)

from ansible_collections.thousandeyes.usage.plugins.module_utils._errors import ThousandEyesError, shown
from ansible_collections.thousandeyes.usage.plugins.module_utils._thresholds import THRESHOLDS_WHAT, check_thresholds


def _check_str(value):
    if isinstance(value, (dict, list, tuple, set)):
        raise TypeError(value)
    return value


CONVERTERS = {
    'str': (_check_str, 'a string'),
    'path': (_check_str, 'a path (a string)'),
    'int': (check_type_int, 'an integer'),
    'float': (check_type_float, 'a number'),
    'bool': (check_type_bool, 'true or false'),
    'list': (check_type_list, 'a list'),
    'dict': (check_type_dict, 'a dictionary'),
}


CACHE_MODES = ('run', 'none')
# Options that name the same thing two ways: at most one of each pair may be given (a fallback from the environment
# for the first is ignored when the second is given).
EXCLUSIVE = (('aid', 'account_group'),)


def check_cache_options(mode, ttl):
    """Validate ``cache`` and ``cache_ttl`` (modules and lookup alike)."""
    if mode not in CACHE_MODES:
        raise ThousandEyesError('cache must be one of %s, got %r' % (', '.join(CACHE_MODES), mode))
    if ttl is not None and (isinstance(ttl, bool) or not isinstance(ttl, int) or ttl < 0):
        raise ThousandEyesError('cache_ttl must be a non-negative integer (seconds), got %r' % (ttl,))
    return mode, ttl or None


def check_required(argument_spec, params):
    """A required option set nowhere: one line naming it and where it can be set (its environment fallbacks)."""
    for name, option in argument_spec.items():
        if not option.get('required'):
            continue
        if any(params.get(key) not in (None, '') for key in [name] + list(option.get('aliases') or ())):
            continue
        fallback = option.get('fallback') or (None, [])
        variables = list(fallback[1]) if len(fallback) > 1 else []
        if any(os.environ.get(variable) for variable in variables):
            continue
        where = 'the %s option' % name
        if variables:
            where += ' or the %s%s environment variable' % (
                variables[0], ' (or %s)' % ', '.join(variables[1:]) if variables[1:] else '')
        raise ThousandEyesError('%s is required: set %s' % (name, where))


def check_exclusive(argument_spec, params, where=''):
    """Refuse two options of an EXCLUSIVE pair given together (by name or alias); ``where`` names the entry of a list
    option they are in."""
    for first, second in EXCLUSIVE:
        if first in argument_spec and second in argument_spec:
            given = [name for name in (first, second) for key in [name] + list(argument_spec[name].get('aliases') or ())
                     if params.get(key) not in (None, '')]
            if len(set(given)) == 2:
                raise ThousandEyesError('%s%s and %s are mutually exclusive: give the account group by ID (%s) or by '
                                        'name (%s), not both' % (where and where + ': ', first, second, first, second))


# Top-level options whose rules go beyond type and choices (given the converted value), and how they are described.
SPECIAL = {
    'thresholds': lambda value, label: check_thresholds(value),
    'cache_ttl': lambda value, label: check_cache_options(CACHE_MODES[0], value),
}
WHAT = {
    'thresholds': THRESHOLDS_WHAT,
    'cache_ttl': 'a non-negative integer (seconds)',
}


def check_values(argument_spec, params, prefix='', required=True):
    """Raise ThousandEyesError for the first bad value of ``params`` (as given) under ``argument_spec``, or for a
    required option given neither there nor in its environment variables (``required``).

    Options not in the spec and values of None are left to ansible-core (unsupported or unset)."""
    if required and not prefix:
        check_required(argument_spec, params)
    check_exclusive(argument_spec, params, prefix[:-1])
    for name, option in argument_spec.items():
        for key in [name] + list(option.get('aliases') or ()):
            if params.get(key) is not None:
                _check(prefix + key, option, params[key], None if prefix else name)


def _check(label, option, value, top_name=None):
    kind = option.get('type', 'str')
    got = '' if option.get('no_log') else ', got %s' % shown(value)
    converter, what = CONVERTERS.get(kind, (None, None))
    try:
        converted = converter(value) if converter else value
    except (TypeError, ValueError):
        raise ThousandEyesError('%s must be %s%s' % (label, WHAT.get(top_name, what), got))
    if top_name in SPECIAL:
        SPECIAL[top_name](converted, label)
        return
    choices = option.get('choices')
    if kind == 'list':
        _check_elements(label, option, converted)
    elif choices is not None and converted not in choices:
        raise ThousandEyesError('%s must be one of %s%s' % (label, ', '.join(str(item) for item in choices), got))
    elif kind == 'dict' and option.get('options'):
        _check_keys(label, option['options'], converted)


def _check_elements(label, option, items):
    kind, choices, suboptions = option.get('elements'), option.get('choices'), option.get('options')
    for index, item in enumerate(items):
        where = '%s[%d]' % (label, index)
        if kind == 'dict' and suboptions:
            if not isinstance(item, dict):
                raise ThousandEyesError('%s must be a dictionary with keys %s, got %s' % (
                    where, ', '.join(sorted(suboptions)), shown(item)))
            _check_keys(where, suboptions, item)
        elif kind in CONVERTERS:
            _check(where, {'type': kind}, item)
        if choices is not None and item not in choices:
            raise ThousandEyesError('%s: value %s is not one of %s' % (label, shown(item), ', '.join(choices)))


def _check_keys(label, suboptions, value):
    unknown = sorted(str(key) for key in value if key not in suboptions)
    if unknown:
        raise ThousandEyesError('%s: unknown key %s; allowed keys: %s' % (
            label, ', '.join(unknown), ', '.join(sorted(suboptions))))
    check_values(suboptions, value, label + '.')
