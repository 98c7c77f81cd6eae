# -*- coding: utf-8 -*-
# Copyright (c) thousandeyes.usage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Internal to the thousandeyes.usage collection: the requests session behind ThousandEyesClient.

Kept apart so that importing the client does not import requests (about 75 ms): cached lookups never use it.
"""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

try:
    import requests
    from requests.adapters import HTTPAdapter
    from urllib3.exceptions import MaxRetryError
    from urllib3.util.retry import Retry
except ImportError as exc:  # the client reports it; the classes below are then never used
    MISSING_REQUESTS = exc
    Retry = object
    requests = None
else:
    MISSING_REQUESTS = None

from ansible_collections.thousandeyes.usage.plugins.module_utils._api import (
    COLLECTION_VERSION,
    RATE_LIMIT_RETRIES,
    RETRY_STATUSES,
    SystemClock,
    rate_limit_from_headers,
)


class ApiRetry(Retry):
    """urllib3 Retry that also waits out 429 until X-Organization-Rate-Limit-Reset, bounded per wait.

    A 429 does not use up ``max_retries`` (that budget is for 5xx and network errors). When the wait would be longer
    than ``max_rate_limit_wait``, it gives up at once and hands the 429 back to the caller, which reports the reset.
    """

    def __init__(self, *args, **kwargs):
        self.clock = kwargs.pop('clock', None) or SystemClock
        self.max_rate_limit_wait = kwargs.pop('max_rate_limit_wait', 120)
        self.rate_limit_retries = kwargs.pop('rate_limit_retries', RATE_LIMIT_RETRIES)
        super().__init__(*args, **kwargs)

    def new(self, **kw):
        kw.setdefault('clock', self.clock)
        kw.setdefault('max_rate_limit_wait', self.max_rate_limit_wait)
        kw.setdefault('rate_limit_retries', self.rate_limit_retries)
        return super().new(**kw)

    def server_wait(self, response):
        """Seconds the server asks us to wait (Retry-After, else the rate-limit reset for a 429), or None."""
        retry_after = response.headers.get('Retry-After')
        if retry_after:
            try:
                return max(0.0, float(self.parse_retry_after(retry_after)))
            except Exception:  # an unparsable header is treated as absent
                pass
        if response.status == 429:
            reset = rate_limit_from_headers(response.headers)['reset']
            if reset is not None:
                return max(0.0, reset - self.clock.time())
        return None

    def increment(self, method=None, url=None, response=None, error=None, _pool=None, _stacktrace=None):
        if response is not None and response.status == 429:
            wait = self.server_wait(response)
            if wait is None or wait > self.max_rate_limit_wait or self.rate_limit_retries <= 0:
                # With raise_on_status=False urllib3 then returns this 429 to the caller.
                raise MaxRetryError(_pool, url, 'rate limited')
            return self.new(rate_limit_retries=self.rate_limit_retries - 1)
        return super().increment(method, url, response, error, _pool, _stacktrace)

    def sleep(self, response=None):
        wait = self.server_wait(response) if response is not None else None
        if wait is None:
            wait = self.get_backoff_time()
        else:
            wait = min(wait, self.max_rate_limit_wait)
        if wait > 0:
            self.clock.sleep(wait)


class _BearerAuth:
    """Bearer auth as a requests auth callable, so ~/.netrc never overrides it and requests drops it on redirects
    to another host."""

    def __init__(self, token):
        self._token = token

    def __call__(self, request):
        request.headers['Authorization'] = 'Bearer ' + self._token
        return request

    def __repr__(self):
        return '<bearer token hidden>'


class CrossHostRedirect(Exception):
    """The API answered with a redirect to another host (or from https to http), which is not followed."""

    def __init__(self, response, target):
        super().__init__(target)
        self.response = response
        self.target = target


def _port(parts):
    return parts.port or {'http': 80, 'https': 443}.get(parts.scheme)


def same_host(old, new):
    """Whether a redirect from URL parts ``old`` to ``new`` stays on the API's host: same host name, never from https
    to http, and the same port unless it goes from http to https."""
    if (new.hostname or '').lower() != (old.hostname or '').lower():
        return False
    if old.scheme == 'https' and new.scheme != 'https':
        return False
    return _port(new) == _port(old) or (old.scheme, new.scheme) == ('http', 'https')


class _Session(requests.Session if requests else object):
    """Follows a redirect only on the same host: the token is for the API, and another host's answer (its 401 at
    best) would only hide that api_url points somewhere that moved."""

    def get_redirect_target(self, resp):
        target = super().get_redirect_target(resp)
        if target and not same_host(urlsplit(resp.url), urlsplit(urljoin(resp.url, target))):
            raise CrossHostRedirect(resp, urlsplit(urljoin(resp.url, target)))
        return target


def new_session(options, clock):
    """A session with bearer auth, HAL Accept header, our User-Agent, TLS settings and the retry policy."""
    session = _Session()
    session.auth = _BearerAuth(options['token'])
    session.headers.update({
        'Accept': 'application/hal+json',
        'User-Agent': 'thousandeyes.usage/%s (Ansible collection) python-requests/%s' % (
            COLLECTION_VERSION, requests.__version__),
    })
    session.verify = options['ca_path'] or options['validate_certs']
    retries = options['max_retries']
    adapter = HTTPAdapter(max_retries=ApiRetry(
        total=retries, connect=retries, read=retries, status=retries, other=0, redirect=None,
        status_forcelist=RETRY_STATUSES, backoff_factor=1.0, raise_on_status=False, raise_on_redirect=False,
        # Every POST of this API sets a quota to a given value (or removes it): repeating one is harmless.
        allowed_methods=frozenset(('GET', 'POST')),
        respect_retry_after_header=True, clock=clock, max_rate_limit_wait=options['max_rate_limit_wait'],
    ))
    session.mount('https://', adapter)
    session.mount('http://', adapter)
    return session
