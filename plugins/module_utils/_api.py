# -*- coding: utf-8 -*-
# Copyright (c) thousandeyes.usage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Internal to the thousandeyes.usage collection: the ThousandEyes v7 API client.

Takes a plain options dict (``module.params`` or a plugin's ``get_options()``), knows nothing of AnsibleModule or
the plugin system, and raises only ThousandEyesError. Modules turn that into ``fail_json``, plugins into
``AnsibleLookupError``, with the same one-line message.
"""

from __future__ import annotations

import ipaddress
import sys
import time
from urllib.parse import parse_qs, urlsplit

from ansible_collections.thousandeyes.usage.plugins.module_utils._errors import ThousandEyesError, excerpt, fmt_number
from ansible_collections.thousandeyes.usage.plugins.module_utils._http_errors import (
    describe_network_error,
    describe_response,
)

COLLECTION_VERSION = '1.1.0'
DEFAULT_API_URL = 'https://api.thousandeyes.com/v7'
# How many 429 answers one call waits out; each wait is capped by max_rate_limit_wait.
RATE_LIMIT_RETRIES = 3
RETRY_STATUSES = frozenset((429, 500, 502, 503, 504))
RATE_LIMIT_HEADERS = (
    ('limit', 'X-Organization-Rate-Limit-Limit'),
    ('remaining', 'X-Organization-Rate-Limit-Remaining'),
    ('reset', 'X-Organization-Rate-Limit-Reset'),
)

CONNECTION_DEFAULTS = {
    'api_url': DEFAULT_API_URL,
    'aid': None,
    'timeout': 30,
    'validate_certs': True,
    'ca_path': None,
    'max_retries': 3,
    'max_rate_limit_wait': 120,
}


class SystemClock:
    """The real clock; tests pass a fake one with the same two methods."""

    @staticmethod
    def time():
        return time.time()

    @staticmethod
    def sleep(seconds):
        time.sleep(seconds)


def rate_limit_from_headers(headers):
    """``{limit, remaining, reset}`` as integers (None where the header is absent or not a number)."""
    result = {}
    for key, header in RATE_LIMIT_HEADERS:
        try:
            result[key] = int(headers.get(header))
        except (TypeError, ValueError):
            result[key] = None
    return result


def next_cursor(page):
    """The ``cursor`` query value of a page's ``_links.next.href``, or None when there is no next page."""
    href = ((page.get('_links') or {}).get('next') or {}).get('href')
    if not href:
        return None
    values = parse_qs(urlsplit(href).query).get('cursor')
    return values[0] if values else None


def _is_loopback(host):
    if host.lower() == 'localhost':
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _number(options, name, minimum, kind=float):
    value = options.get(name)
    if value is None:
        value = CONNECTION_DEFAULTS[name]
    try:
        value = kind(value)
    except (TypeError, ValueError):
        raise ThousandEyesError('%s must be a number, got %r' % (name, value))
    if value < minimum:
        raise ThousandEyesError('%s must be at least %s, got %s' % (name, minimum, value))
    return value


def check_options(options):
    """Validate and normalise the connection options; raises ThousandEyesError naming the option."""
    token = options.get('token')
    if not token:
        raise ThousandEyesError(
            'token is required: set the token option or the THOUSANDEYES_TOKEN (or TE_TOKEN) environment variable')
    if not isinstance(token, str) or any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in token):
        raise ThousandEyesError('token must be a single word with no whitespace or control characters')

    api_url = options.get('api_url') or DEFAULT_API_URL
    parts = urlsplit(api_url)
    if parts.scheme not in ('http', 'https') or not parts.hostname:
        raise ThousandEyesError('api_url must be an absolute http:// or https:// URL, got %r' % excerpt(api_url, 80))
    if parts.username or parts.password or parts.query or parts.fragment:
        raise ThousandEyesError('api_url must not contain credentials, a query or a fragment')
    if parts.scheme == 'http' and not _is_loopback(parts.hostname):
        raise ThousandEyesError(
            'api_url uses plain http:// to %s: refusing to send the token unencrypted (http:// is allowed only for '
            'loopback addresses such as 127.0.0.1); use https://' % parts.hostname)

    aid = options.get('aid')
    return {
        'token': token,
        'api_url': api_url.rstrip('/'),
        'aid': str(aid) if aid not in (None, '') else None,
        'timeout': _number(options, 'timeout', 0.001),
        'validate_certs': options.get('validate_certs') is not False,
        'ca_path': options.get('ca_path') or None,
        'max_retries': _number(options, 'max_retries', 0, int),
        'max_rate_limit_wait': _number(options, 'max_rate_limit_wait', 0),
    }


class ApiResponse:
    """A decoded JSON answer and the rate-limit headers that came with it."""

    def __init__(self, status, data, rate_limit):
        self.status = status
        self.data = data
        self.rate_limit = rate_limit


class ThousandEyesClient:
    """One configured session against the ThousandEyes v7 API."""

    def __init__(self, options, clock=None):
        self.options = check_options(options)
        self.clock = clock or SystemClock
        self._session = None

    @property
    def session(self):
        """The requests session, made at the first request: an answer from the cache never loads requests."""
        if self._session is None:
            from ansible_collections.thousandeyes.usage.plugins.module_utils._session import MISSING_REQUESTS, new_session
            if MISSING_REQUESTS is not None:
                raise ThousandEyesError('Failed to import the required Python library (requests) on %s: %s. '
                                        'Install it with pip install requests.' % (sys.executable, MISSING_REQUESTS))
            self._session = new_session(self.options, self.clock)
        return self._session

    def url(self, path):
        return self.options['api_url'] + path

    def path(self, path):
        """The URL path shown in messages, e.g. '/v7/usage'."""
        return urlsplit(self.url(path)).path

    def get(self, path, params=None):
        """GET a JSON resource; ``params`` values that are None are left out. Returns ApiResponse."""
        return self.request('GET', path, params=params)

    def post(self, path, body):
        """POST a JSON body. Returns ApiResponse (data None for 204)."""
        return self.request('POST', path, json=body)

    def get_all(self, path, items_key, params=None, max_pages=None):
        """GET every page of a cursor-paginated resource, following ``_links.next``.

        Only the ``cursor`` of the next link is taken, with the first request's other parameters. Stops when there is
        no next link or a cursor repeats; more than ``max_pages`` pages raise. Returns ``{items, pages,
        repeated_cursor, rate_limit, status}`` (of the last page).
        """
        params = dict(params or {})
        items, seen, pages = [], set(), 0
        while True:
            answer = self.get(path, params=params)
            pages += 1
            data = answer.data if isinstance(answer.data, dict) else {}
            items.extend(data.get(items_key) or [])
            cursor = next_cursor(data)
            if cursor is None or cursor in seen:
                return {'items': items, 'pages': pages, 'repeated_cursor': cursor is not None,
                        'rate_limit': answer.rate_limit, 'status': answer.status}
            if max_pages is not None and pages >= max_pages:
                raise ThousandEyesError(
                    'GET %s failed: more than max_pages (%d) pages; raise max_pages or narrow the query' % (
                        self.path(path), max_pages), method='GET', path=self.path(path))
            seen.add(cursor)
            params['cursor'] = cursor

    def request(self, method, path, params=None, json=None):
        try:
            return self._request(method, path, params, json)
        except ThousandEyesError as exc:
            raise exc.without(self.options['token'])

    def _request(self, method, path, params, json):
        url = self.url(path)
        shown_path = self.path(path)
        params = dict((k, v) for k, v in (params or {}).items() if v is not None)
        timeout = self.options['timeout']
        session = self.session
        from requests.exceptions import RequestException  # loaded with the session already

        from ansible_collections.thousandeyes.usage.plugins.module_utils._session import CrossHostRedirect
        try:
            response = session.request(method, url, params=params, json=json, timeout=(timeout, timeout))
            body = response.content
        except CrossHostRedirect as exc:
            status = exc.response.status_code
            raise ThousandEyesError(
                '%s %s failed: HTTP %d redirect to another host, %s; not followed, so the token is not sent there '
                '(check api_url)' % (method, shown_path, status, exc.target.netloc),
                status=status, method=method, path=shown_path, rate_limit=rate_limit_from_headers(exc.response.headers))
        except RequestException as exc:
            raise ThousandEyesError(
                '%s %s failed: %s' % (method, shown_path, describe_network_error(exc, url, timeout)),
                method=method, path=shown_path)
        rate_limit = rate_limit_from_headers(response.headers)
        retried = len(getattr(getattr(response.raw, 'retries', None), 'history', ()) or ())
        if response.status_code >= 400 or response.status_code < 200:
            problem, text = describe_response(response.status_code, response.reason, body)
            if response.status_code == 429 and rate_limit['reset'] is not None:
                text += self._reset_note(rate_limit['reset'])
            elif retried:
                text += ' (after %d retr%s)' % (retried, 'y' if retried == 1 else 'ies')
            raise ThousandEyesError(
                '%s %s failed: %s' % (method, shown_path, text),
                status=response.status_code, method=method, path=shown_path, problem=problem, rate_limit=rate_limit)
        if response.status_code == 204 or not body:
            return ApiResponse(response.status_code, None, rate_limit)
        try:
            data = response.json()
        except ValueError as exc:
            raise ThousandEyesError(
                '%s %s failed: HTTP %d %s but the body is not valid JSON (%s): %s' % (
                    method, shown_path, response.status_code, response.reason, exc, excerpt(body)),
                status=response.status_code, method=method, path=shown_path, rate_limit=rate_limit)
        return ApiResponse(response.status_code, data, rate_limit)

    def _reset_note(self, reset):
        wait = max(0, int(round(reset - self.clock.time())))
        cap = self.options['max_rate_limit_wait']
        note = '; the rate limit resets at %s (in %d s)' % (time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime(reset)), wait)
        if wait > cap:
            return note + ', later than max_rate_limit_wait allows (%s s)' % fmt_number(cap)
        return note + ', still limited after waiting %d times' % RATE_LIMIT_RETRIES


class NoCache:
    """What modules read through on a managed host: every question asks the API (the cache is the controller's, see
    plugin_utils/_cache.py, with the same two methods)."""

    @staticmethod
    def get(client, question, fetch, usable=None):
        return fetch()

    @staticmethod
    def forget(client, question):
        pass
