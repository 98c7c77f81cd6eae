# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The API client over real HTTP to a scripted server on 127.0.0.1, with a fake clock for retry and 429 timing."""

from __future__ import annotations

import os
import re
import socket

import pytest

from ansible_collections.thousandeyes.usage.plugins.module_utils import _api
from ansible_collections.thousandeyes.usage.plugins.module_utils._errors import ThousandEyesError
from ansible_collections.thousandeyes.usage.tests.unit.plugins.scripted_http import Reply

TOKEN = 'unit-secret-token-9f8e7d6c'
PROBLEM_403 = {'type': 'about:blank', 'title': 'Forbidden', 'status': 403,
               'detail': 'Insufficient permissions to query endpoint', 'instance': '/v7/usage'}
RATE = {'X-Organization-Rate-Limit-Limit': '240', 'X-Organization-Rate-Limit-Remaining': '239',
        'X-Organization-Rate-Limit-Reset': '1800000060'}


def client(server, clock, **options):
    opts = {'token': TOKEN, 'api_url': server.url}
    opts.update(options)
    return _api.ThousandEyesClient(opts, clock=clock)


def failure(server, clock, **options):
    with pytest.raises(ThousandEyesError) as err:
        client(server, clock, **options).get('/usage')
    assert TOKEN not in str(err.value) and TOKEN not in repr(err.value.__dict__)
    return err.value


class TestSuccess:
    def test_headers_params_and_rate_limit(self, server, clock):
        server.queue(Reply(200, {'usage': {}}, headers=RATE))
        answer = client(server, clock, aid='1234').get('/usage', params={'expand': 'test,endpoint-agent', 'x': None})
        assert answer.data == {'usage': {}}
        assert answer.rate_limit == {'limit': 240, 'remaining': 239, 'reset': 1800000060}
        request = server.received[0]
        assert request['path'] == '/v7/usage?expand=test%2Cendpoint-agent'
        assert request['headers']['Authorization'] == 'Bearer ' + TOKEN
        assert request['headers']['Accept'] == 'application/hal+json'
        assert request['headers']['User-Agent'].startswith('thousandeyes.usage/%s ' % _api.COLLECTION_VERSION)

    def test_missing_rate_limit_headers_are_null(self, server, clock):
        server.queue(Reply(200, {'usage': {}}))
        assert client(server, clock).get('/usage').rate_limit == {'limit': None, 'remaining': None, 'reset': None}

    def test_no_content(self, server, clock):
        server.queue(Reply(204))
        assert client(server, clock).get('/usage').data is None

    def test_version_matches_galaxy_yml(self):
        galaxy = os.path.join(os.path.dirname(__file__), '..', '..', '..', '..', 'galaxy.yml')
        with open(galaxy) as handle:
            version = re.search(r'^version:\s*(\S+)', handle.read(), re.M).group(1)
        assert _api.COLLECTION_VERSION == version


class TestErrorBodies:
    def test_problem_json(self, server, clock):
        server.queue(Reply(403, PROBLEM_403, headers=RATE))
        err = failure(server, clock)
        assert str(err) == 'GET /v7/usage failed: HTTP 403 Forbidden: Insufficient permissions to query endpoint'
        assert (err.status, err.method, err.path) == (403, 'GET', '/v7/usage')
        assert err.problem == PROBLEM_403
        assert err.rate_limit['limit'] == 240
        assert len(server.received) == 1  # 4xx is never retried

    def test_oauth_401(self, server, clock):
        server.queue(Reply(401, {'error': 'invalid_token', 'error_description': 'Invalid access token'}))
        assert str(failure(server, clock)) == (
            'GET /v7/usage failed: HTTP 401 Unauthorized: Invalid access token (invalid_token)')

    def test_validation_errors(self, server, clock):
        server.queue(Reply(400, {
            'type': 'about:blank', 'title': 'Request validation failed. There are invalid or missing fields',
            'status': 400, 'detail': 'Invalid request', 'instance': '/v7/usage',
            'errors': [{'code': 'INVALID_VALUE', 'field': 'expand', 'message': "Invalid value 'x'"},
                       {'code': 'MISSING', 'message': 'aid is odd'}]}))
        assert str(failure(server, clock)) == (
            'GET /v7/usage failed: HTTP 400 Request validation failed. There are invalid or missing fields: '
            "Invalid request; expand: Invalid value 'x'; aid is odd")

    def test_legacy_shape(self, server, clock):
        server.queue(Reply(404, {'timestamp': 1, 'httpStatus': 404, 'path': '/v7/usage',
                                 'errors': [{'code': 'NOT_FOUND', 'message': 'Resource not found'}]}))
        assert str(failure(server, clock)) == 'GET /v7/usage failed: HTTP 404 Not Found: Resource not found'

    def test_html_gateway_page(self, server, clock):
        page = ('<html><head><title>502 Bad Gateway</title><style>b{}</style></head><body>\n<center><h1>502 '
                'Bad Gateway</h1></center><hr><center>nginx</center></body></html>')
        server.queue(Reply(502, raw=page, headers={'Content-Type': 'text/html'}))
        err = failure(server, clock, max_retries=0)
        assert str(err) == ('GET /v7/usage failed: HTTP 502 Bad Gateway (non-JSON body: 502 Bad Gateway 502 Bad '
                            'Gateway nginx)')
        assert '\n' not in str(err) and '<' not in str(err)

    def test_long_non_json_body_is_cut(self, server, clock):
        server.queue(Reply(500, raw='x' * 5000, headers={'Content-Type': 'text/plain'}))
        err = failure(server, clock, max_retries=0)
        assert str(err).endswith('...)') and len(str(err)) < 250

    def test_empty_body(self, server, clock):
        server.queue(Reply(503, raw=b''))
        assert str(failure(server, clock, max_retries=0)) == (
            'GET /v7/usage failed: HTTP 503 Service Unavailable (empty body)')

    def test_malformed_json_on_success(self, server, clock):
        server.queue(Reply(200, raw='{"usage": {"cloudUnitsUsed": 1,,', headers={'Content-Type': 'application/hal+json'}))
        message = str(failure(server, clock))
        assert message.startswith('GET /v7/usage failed: HTTP 200 OK but the body is not valid JSON')
        assert message.endswith('{"usage": {"cloudUnitsUsed": 1,,')

    def test_truncated_body(self, server, clock):
        server.queue(Reply(200, {'usage': {'cloudUnitsUsed': 12345678}}, truncate=True))
        assert 'broke while reading the answer (truncated body)' in str(failure(server, clock))


class TestRetries:
    def test_5xx_retried_with_backoff_then_reported(self, server, clock):
        server.queue(Reply(500, {'title': 'Internal Server Error', 'status': 500, 'detail': 'boom'}))
        err = failure(server, clock, max_retries=3)
        assert len(server.received) == 4
        assert clock.sleeps == [2.0, 4.0]  # urllib3 backoff: 0, 2, 4 s
        assert str(err) == 'GET /v7/usage failed: HTTP 500 Internal Server Error: boom (after 3 retries)'

    def test_503_then_success(self, server, clock):
        server.queue(Reply(503, {'title': 'Service Unavailable', 'status': 503}), Reply(200, {'usage': {}}))
        assert client(server, clock).get('/usage').data == {'usage': {}}
        assert len(server.received) == 2

    def test_no_retry_when_max_retries_is_zero(self, server, clock):
        server.queue(Reply(502, {'title': 'Bad Gateway'}))
        assert str(failure(server, clock, max_retries=0)).endswith('HTTP 502 Bad Gateway')
        assert len(server.received) == 1

    def test_dropped_connection_is_retried(self, server, clock):
        server.queue(Reply(drop=True), Reply(200, {'usage': {}}))
        assert client(server, clock).get('/usage').data == {'usage': {}}
        assert len(server.received) == 2

    def test_dropped_connection_reported(self, server, clock):
        server.queue(Reply(drop=True))
        message = str(failure(server, clock, max_retries=1))
        assert message.startswith('GET /v7/usage failed: cannot connect to 127.0.0.1:%d: ' % server.port)
        assert 'Traceback' not in message and '\n' not in message

    def test_read_timeout(self, server, clock):
        server.queue(Reply(200, {'usage': {}}, delay=1.0))
        assert str(failure(server, clock, timeout=0.2, max_retries=0)) == (
            'GET /v7/usage failed: no answer from 127.0.0.1:%d within 0.2 s (timeout)' % server.port)

    def test_connection_refused(self, clock):
        with socket.socket() as sock:
            sock.bind(('127.0.0.1', 0))
            port = sock.getsockname()[1]
        with pytest.raises(ThousandEyesError) as err:
            _api.ThousandEyesClient({'token': TOKEN, 'api_url': 'http://127.0.0.1:%d/v7' % port, 'max_retries': 1},
                                    clock=clock).get('/usage')
        assert re.match(r'GET /v7/usage failed: cannot connect to 127\.0\.0\.1:%d: \[Errno \d+\] Connection refused$' % port,
                        str(err.value))


class TestRateLimit:
    def test_waits_until_reset_then_succeeds(self, server, clock):
        reset = str(int(clock.now) + 5)
        server.queue(Reply(429, {'title': 'Too Many Requests', 'status': 429},
                           headers={'X-Organization-Rate-Limit-Reset': reset,
                                    'X-Organization-Rate-Limit-Remaining': '0'}),
                     Reply(200, {'usage': {}}, headers=RATE))
        answer = client(server, clock, max_retries=0).get('/usage')  # 429 does not use max_retries
        assert clock.sleeps == [5.0]
        assert answer.rate_limit['remaining'] == 239
        assert len(server.received) == 2

    def test_retry_after_is_honoured(self, server, clock):
        server.queue(Reply(429, {'title': 'Too Many Requests'}, headers={'Retry-After': '7'}), Reply(200, {'usage': {}}))
        client(server, clock).get('/usage')
        assert clock.sleeps == [7.0]

    def test_reset_beyond_cap_fails_at_once(self, server, clock):
        server.queue(Reply(429, {'title': 'Too Many Requests', 'status': 429, 'detail': 'Rate limit exceeded'},
                           headers={'X-Organization-Rate-Limit-Reset': str(int(clock.now) + 300)}))
        err = failure(server, clock, max_rate_limit_wait=60)
        assert str(err) == ('GET /v7/usage failed: HTTP 429 Too Many Requests: Rate limit exceeded; the rate limit '
                            'resets at 2027-01-15T08:05:00Z (in 300 s), later than max_rate_limit_wait allows (60 s)')
        assert clock.sleeps == [] and len(server.received) == 1

    def test_gives_up_after_repeated_429(self, server, clock):
        server.queue(Reply(429, {'title': 'Too Many Requests'},
                           headers={'X-Organization-Rate-Limit-Reset': str(int(clock.now) + 1)}))
        err = failure(server, clock)
        assert len(server.received) == 1 + _api.RATE_LIMIT_RETRIES
        assert 'still limited after waiting 3 times' in str(err)

    def test_429_without_any_reset_information_is_reported(self, server, clock):
        server.queue(Reply(429, {'title': 'Too Many Requests'}))
        assert str(failure(server, clock)) == 'GET /v7/usage failed: HTTP 429 Too Many Requests'
        assert len(server.received) == 1


class TestRedirects:
    def test_another_host_is_not_followed(self, server, other_server, clock):
        server.queue(Reply(302, raw=b'', headers={'Location': other_server.url + '/usage'}))
        other_server.queue(Reply(200, {'usage': {}}))
        err = failure(server, clock)
        assert str(err) == ('GET /v7/usage failed: HTTP 302 redirect to another host, 127.0.0.1:%d; not followed, so '
                            'the token is not sent there (check api_url)' % other_server.port)
        assert err.status == 302
        assert other_server.received == [] and len(server.received) == 1

    @pytest.mark.parametrize('location', ['https://elsewhere.example/v7/usage', '//elsewhere.example/v7/usage'])
    def test_other_names_and_scheme_relative_targets_are_refused(self, server, clock, location):
        server.queue(Reply(307, raw=b'', headers={'Location': location}))
        assert 'redirect to another host, elsewhere.example;' in str(failure(server, clock))

    def test_same_host_is_followed_with_the_token(self, server, clock):
        server.queue(Reply(301, raw=b'', headers={'Location': '/v7/usage/moved'}), Reply(200, {'usage': {'a': 1}}))
        answer = client(server, clock).get('/usage')
        assert answer.data == {'usage': {'a': 1}}
        assert [item['path'] for item in server.received] == ['/v7/usage', '/v7/usage/moved']
        assert all('Authorization' in item['headers'] for item in server.received)

    @pytest.mark.parametrize('old,new,same', [
        ('https://api.example/v7', 'https://API.example:443/x', True),
        ('http://api.example/v7', 'https://api.example/v7', True),
        ('https://api.example/v7', 'http://api.example/v7', False),
        ('https://api.example/v7', 'https://api.example:8443/v7', False),
        ('https://api.example/v7', 'https://other.example/v7', False),
    ])
    def test_same_host(self, old, new, same):
        from urllib.parse import urlsplit

        from ansible_collections.thousandeyes.usage.plugins.module_utils._session import same_host
        assert same_host(urlsplit(old), urlsplit(new)) is same


class TestProxies:
    def test_proxy_from_the_environment(self, server, other_server, clock, monkeypatch):
        monkeypatch.setenv('HTTP_PROXY', 'http://127.0.0.1:%d' % other_server.port)
        monkeypatch.delenv('NO_PROXY', raising=False)
        monkeypatch.delenv('no_proxy', raising=False)
        other_server.queue(Reply(200, {'usage': {}}))
        client(server, clock).get('/usage')
        assert server.received == []
        assert other_server.received[0]['path'] == server.url + '/usage'  # absolute-form: a proxy request

    def test_unreachable_proxy_is_named_as_such(self, server, clock, monkeypatch):
        monkeypatch.setenv('HTTP_PROXY', 'http://127.0.0.1:9')
        monkeypatch.delenv('NO_PROXY', raising=False)
        monkeypatch.delenv('no_proxy', raising=False)
        with pytest.raises(ThousandEyesError) as err:
            client(server, clock).get('/usage')
        assert str(err.value).startswith('GET /v7/usage failed: cannot connect to 127.0.0.1:%d through the proxy (see '
                                         'HTTPS_PROXY, HTTP_PROXY and NO_PROXY): ' % server.port)
        assert server.received == []

    def test_no_proxy_is_honoured(self, server, other_server, clock, monkeypatch):
        monkeypatch.setenv('HTTP_PROXY', 'http://127.0.0.1:%d' % other_server.port)
        monkeypatch.setenv('NO_PROXY', '127.0.0.1')
        server.queue(Reply(200, {'usage': {}}))
        client(server, clock).get('/usage')
        assert other_server.received == [] and len(server.received) == 1


class TestOptions:
    @pytest.mark.parametrize('url', ['http://127.0.0.1:9/v7', 'http://localhost/v7', 'http://[::1]:8080/v7',
                                     'http://127.0.0.2/v7', 'https://api.thousandeyes.com/v7/'])
    def test_accepted_urls(self, url):
        assert _api.check_options({'token': 't', 'api_url': url})['api_url'] == url.rstrip('/')

    def test_default_url(self):
        assert _api.check_options({'token': 't'})['api_url'] == 'https://api.thousandeyes.com/v7'

    def test_plain_http_to_remote_host_refused(self):
        with pytest.raises(ThousandEyesError, match='refusing to send the token unencrypted'):
            _api.check_options({'token': 't', 'api_url': 'http://api.thousandeyes.com/v7'})

    @pytest.mark.parametrize('url', ['api.thousandeyes.com/v7', 'ftp://host/v7', '/v7', 'https://', 'https:///v7'])
    def test_not_absolute_http_url(self, url):
        with pytest.raises(ThousandEyesError, match='api_url must be an absolute http:// or https:// URL'):
            _api.check_options({'token': 't', 'api_url': url})

    @pytest.mark.parametrize('url', ['https://user:pw@host/v7', 'https://host/v7?x=1', 'https://host/v7#f'])
    def test_url_extras_refused(self, url):
        with pytest.raises(ThousandEyesError, match='must not contain credentials, a query or a fragment'):
            _api.check_options({'token': 't', 'api_url': url})

    @pytest.mark.parametrize('token', ['abc def', 'abc\n', 'abc\r\nX-Injected: 1', 'a\tb', 'a\x00b', 'a\x7fb'])
    def test_token_with_whitespace_or_control_characters(self, token):
        with pytest.raises(ThousandEyesError) as err:
            _api.check_options({'token': token})
        assert str(err.value) == 'token must be a single word with no whitespace or control characters'

    @pytest.mark.parametrize('token', [None, ''])
    def test_token_required(self, token):
        with pytest.raises(ThousandEyesError, match='token is required.*THOUSANDEYES_TOKEN'):
            _api.check_options({'token': token})

    @pytest.mark.parametrize('name,value,message', [
        ('timeout', 0, 'timeout must be at least'),
        ('timeout', 'soon', 'timeout must be a number'),
        ('max_retries', -1, 'max_retries must be at least 0'),
        ('max_rate_limit_wait', -5, 'max_rate_limit_wait must be at least 0'),
    ])
    def test_numbers(self, name, value, message):
        with pytest.raises(ThousandEyesError, match=message):
            _api.check_options({'token': 't', name: value})

    def test_defaults_and_aid(self):
        options = _api.check_options({'token': 't', 'aid': 1234, 'validate_certs': None})
        assert options == {'token': 't', 'api_url': _api.DEFAULT_API_URL, 'aid': '1234', 'timeout': 30.0,
                           'validate_certs': True, 'ca_path': None, 'max_retries': 3, 'max_rate_limit_wait': 120.0}

    def test_tls_options_reach_the_session(self):
        assert _api.ThousandEyesClient({'token': 't', 'validate_certs': False}).session.verify is False
        assert _api.ThousandEyesClient({'token': 't', 'ca_path': '/etc/ca.pem'}).session.verify == '/etc/ca.pem'

    def test_missing_requests_is_one_clear_line(self, monkeypatch):
        from ansible_collections.thousandeyes.usage.plugins.module_utils import _session
        monkeypatch.setattr(_session, 'MISSING_REQUESTS', ImportError("No module named 'requests'"))
        with pytest.raises(ThousandEyesError, match=r"^Failed to import the required Python library \(requests\) on .*: "
                                                    r"No module named 'requests'. Install it with pip install requests.$"):
            _api.ThousandEyesClient({'token': 't'}).get('/usage')

    def test_token_hidden_from_repr(self):
        session = _api.ThousandEyesClient({'token': TOKEN}).session
        assert TOKEN not in repr(session.auth)
