# -*- coding: utf-8 -*-
# Copyright (c) thousandeyes.usage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Internal to the thousandeyes.usage collection: one line for a failed HTTP answer or a transport error.

API error bodies come in several shapes: RFC 7807 problem+json (with ``errors[]`` for validation failures), the
OAuth shape of 401 answers, the pre-7807 shape of older paths, and whatever a proxy puts in between (HTML, nothing).
"""

from __future__ import annotations

import json
import re

from ansible_collections.thousandeyes.usage.plugins.module_utils._errors import SPACE, excerpt, fmt_number


def _field_messages(errors):
    """``errors[]`` of a validation problem or of the pre-7807 shape, as 'field: message' strings."""
    messages = []
    for item in errors if isinstance(errors, list) else []:
        if isinstance(item, dict):
            message = item.get('message') or item.get('code')
            field = item.get('field')
            if message:
                messages.append('%s: %s' % (field, message) if field else str(message))
        elif item:
            messages.append(str(item))
    return messages


def describe_response(status, reason, body):
    """Return ``(problem, text)`` for an error answer: the parsed JSON body (or None) and a one-line description
    such as ``HTTP 403 Forbidden: Insufficient permissions to query endpoint``."""
    reason = reason or ''
    head = ('HTTP %d %s' % (status, reason)).rstrip()
    raw = body.decode('utf-8', 'replace') if isinstance(body, bytes) else (body or '')
    if not raw.strip():
        return None, head + ' (empty body)'
    try:
        problem = json.loads(raw)
    except ValueError:
        problem = None
    if not isinstance(problem, dict):
        return None, '%s (non-JSON body: %s)' % (head, excerpt(raw))

    if 'error_description' in problem or ('error' in problem and 'title' not in problem):
        # OAuth shape (401): a bad token or a locked account.
        detail = problem.get('error_description') or problem.get('error')
        code = problem.get('error')
        text = '%s: %s' % (head, detail)
        if code and code != detail:
            text += ' (%s)' % code
        return problem, text

    title = problem.get('title')
    text = 'HTTP %d %s' % (status, title) if title else head
    parts = []
    detail = problem.get('detail') or problem.get('message')
    if detail and detail != title:
        parts.append(str(detail))
    parts.extend(_field_messages(problem.get('errors')))
    if parts:
        text += ': ' + '; '.join(parts)
    return problem, re.sub(SPACE, ' ', text)


def describe_network_error(exc, url, timeout):
    """One line for a requests exception (connection refused, timeout, TLS, broken body), without a traceback."""
    try:
        import requests
    except ImportError:  # pragma: no cover - the client imports requests before any request
        return str(exc)
    host = re.sub(r'^[a-z]+://', '', url).split('/')[0]
    root = _root_cause(exc)
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return 'timed out connecting to %s after %s s (timeout)' % (host, fmt_number(timeout))
    if isinstance(exc, requests.exceptions.ReadTimeout) or 'timed out' in root.lower():
        return 'no answer from %s within %s s (timeout)' % (host, fmt_number(timeout))
    if isinstance(exc, requests.exceptions.SSLError):
        return 'TLS error talking to %s: %s (see validate_certs and ca_path)' % (host, root)
    if isinstance(exc, requests.exceptions.ChunkedEncodingError):
        return 'the connection to %s broke while reading the answer (truncated body): %s' % (host, root)
    if isinstance(exc, requests.exceptions.ProxyError):
        return 'cannot connect to %s through the proxy (see HTTPS_PROXY, HTTP_PROXY and NO_PROXY): %s' % (host, root)
    if isinstance(exc, requests.exceptions.ConnectionError):
        return 'cannot connect to %s: %s' % (host, root)
    return '%s: %s' % (type(exc).__name__, root)


def _root_cause(exc):
    """The innermost reason of a requests/urllib3 exception chain, as clean text."""
    seen = set()
    current = exc
    while id(current) not in seen:
        seen.add(id(current))
        nxt = getattr(current, 'reason', None)
        if nxt is None and getattr(current, 'args', None) and isinstance(current.args[0], BaseException):
            nxt = current.args[0]
        if not isinstance(nxt, BaseException):
            break
        current = nxt
    text = str(current.args[-1] if getattr(current, 'args', None) and isinstance(current.args[-1], BaseException)
               else current)
    # urllib3 prefixes "<urllib3.connection.HTTPConnection object at 0x...>: "; keep what follows.
    text = re.sub(r'<[^>]*object at 0x[0-9a-f]+>:?\s*', '', text)
    text = re.sub(r'^\w*Connection(Pool)?\([^)]*\):\s*', '', text)  # urllib3 2: "HTTPConnection(host=..., port=...): "
    text = text.replace('Failed to establish a new connection: ', '')
    return excerpt(text, 200) or type(current).__name__
