# -*- coding: utf-8 -*-
# Copyright (c) thousandeyes.usage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Internal to the thousandeyes.usage collection: the one exception type, how values appear in its one-line
messages, and the two checks the collection's own options share (keys of a dictionary, whole numbers). Small on
purpose: every plugin imports it (the texts of failed HTTP answers are in _http_errors.py).
"""

from __future__ import annotations

import re

EXCERPT_LENGTH = 160
# Patterns, not compiled objects: re caches them at first use, and most importers (the within_quota test) never need them.
_TAGS = r'<(script|style)\b.*?</\1\s*>|<[^>]*>'
SPACE = r'\s+'


class ThousandEyesError(Exception):
    """Raised for bad options and failed API calls; turned into fail_json() by modules and AnsibleLookupError by
    plugins. ``str()`` is one line; the attributes keep the parts for callers that need them."""

    def __init__(self, message, status=None, method=None, path=None, problem=None, rate_limit=None, data=None):
        super().__init__(message)
        self.message = message
        self.status = status
        self.method = method
        self.path = path
        self.problem = problem
        self.rate_limit = rate_limit
        self.data = data or {}  # documented keys a failed task still returns (for example quota's requests)

    def __str__(self):
        return self.message

    def without(self, secret):
        """This error with ``secret`` (the token) replaced in its message and problem: an API or proxy may echo it.
        (Real tokens are long; a few characters would only mangle the message, so those are left alone.)"""
        if not secret or len(secret) < 8:
            return self
        return ThousandEyesError(masked(self.message, secret), status=self.status, method=self.method, path=self.path,
                                 problem=masked(self.problem, secret), rate_limit=self.rate_limit, data=self.data)

    def result(self):
        """The failed task result: ``failed``, the one-line ``msg`` and ``data``; for a failed request also what it
        got, so plays can branch on it: ``status`` (None without an answer), ``api_error`` (the parsed problem body,
        None when not JSON) and ``rate_limit``."""
        result = dict(self.data, failed=True, msg=self.message)
        if self.method:
            result.update(status=self.status, api_error=self.problem if isinstance(self.problem, dict) else None,
                          rate_limit=self.rate_limit)
        return result


def excerpt(body, length=EXCERPT_LENGTH):
    """A short, single-line, tag-free excerpt of a body (bytes or text)."""
    if isinstance(body, bytes):
        body = body.decode('utf-8', 'replace')
    text = re.sub(SPACE, ' ', re.sub(_TAGS, ' ', body, flags=re.IGNORECASE | re.DOTALL)).strip()
    if len(text) > length:
        text = text[:length - 3].rstrip() + '...'
    return text


def shown(value):
    """A value as a message shows it: numbers as they are, anything else quoted and cut short."""
    if isinstance(value, (bool, int, float)):
        return repr(value)
    return repr(excerpt(str(value), 60))


def refuse_unknown_keys(label, given, allowed):
    """One line naming the option (or list entry) ``label`` and the keys of ``given`` not in ``allowed``."""
    unknown = sorted(str(key) for key in given if key not in allowed)
    if unknown:
        raise ThousandEyesError('%s: unknown key %s; allowed keys: %s' % (label, ', '.join(unknown), ', '.join(allowed)))


def whole_number(value):
    """``value`` as a non-negative integer (templating may give "500"), or None when it is not one (2.5, -1, true)."""
    count = int(value) if isinstance(value, str) and value.strip().isdigit() else value
    return None if isinstance(count, bool) or not isinstance(count, int) or count < 0 else count


def masked(value, secret):
    """``value`` with every occurrence of ``secret`` in its strings replaced, through dicts and lists."""
    if isinstance(value, str):
        return value.replace(secret, '********')
    if isinstance(value, dict):
        return dict((key, masked(item, secret)) for key, item in value.items())
    if isinstance(value, list):
        return [masked(item, secret) for item in value]
    return value


def fmt_number(number):
    """30 -> '30', 0.5 -> '0.5' (for seconds in messages)."""
    return ('%d' % number) if float(number).is_integer() else ('%s' % number)
