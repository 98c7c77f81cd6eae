"""A tiny stdlib HTTP client for the simulator, for its tests and for users' own CI scripts.

`call()` sends one request and returns an `Answer` for every HTTP status (errors included) and, unless asked,
never follows redirects; `admin()` talks JSON to the `/_sim` admin API. The token constants are the shipped
tokens of the default scenario and the partner scenario's token (see README.md, "Tokens").
"""

import json
import urllib.error
import urllib.request

TOKEN = "te-sim-token-0123456789abcdef"  # org 10, groups 1234 and 5678: usage, units and quotas
VIEWER = "te-sim-viewer-token-0123456789"  # org 10, groups 1234 and 5678: usage and units, no quotas (403)
NOPERM = "te-sim-noperm-token-0123456789"  # org 10, group 1234, no permission at all (403)
OTHER_ORG = "te-sim-other-org-token-012345"  # org 20, group 9001: usage, units and quotas (org 20 has none)
# Scenario `partner` only (401 elsewhere): orgs 10 and 20, groups 1234, 5678, 1240, 9001, 9002, 9003; default 1234.
PARTNER = "te-sim-partner-token-0123456789"
RATE_HEADERS = ("X-Organization-Rate-Limit-Limit", "X-Organization-Rate-Limit-Remaining", "X-Organization-Rate-Limit-Reset")
TIMEOUT = 10.0

__all__ = ["TOKEN", "VIEWER", "NOPERM", "OTHER_ORG", "PARTNER", "RATE_HEADERS", "Answer", "call", "admin"]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Hand 3xx answers back instead of following them."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # pylint: disable=too-many-arguments
        return None


_OPENERS = {False: urllib.request.build_opener(_NoRedirect), True: urllib.request.build_opener()}


class Answer:  # pylint: disable=too-few-public-methods
    """One HTTP answer: `status` (int), `headers` (an email.message.Message) and `body` (bytes)."""

    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    def json(self):
        """The body decoded as UTF-8 JSON."""
        return json.loads(self.body.decode("utf-8"))


def call(url, token=TOKEN, method="GET", data=None,  # pylint: disable=too-many-arguments
         content_type="application/json", follow_redirects=False, headers=None):
    """Send one request and return its `Answer`; HTTP errors and redirects are answers too.

    `token` None sends no Authorization header; `content_type` is sent only with a body (`data`, bytes).
    `headers` adds or overrides request headers. Connection errors raise `urllib.error.URLError` as usual.
    """
    req = urllib.request.Request(url, data=data, method=method)
    if token is not None:
        req.add_header("Authorization", "Bearer " + token)
    if data is not None and content_type is not None:
        req.add_header("Content-Type", content_type)
    for name, value in (headers or {}).items():
        req.add_header(name, value)
    try:
        with _OPENERS[bool(follow_redirects)].open(req, timeout=TIMEOUT) as resp:
            return Answer(resp.status, resp.headers, resp.read())
    except urllib.error.HTTPError as err:
        with err:
            return Answer(err.code, err.headers, err.read())


def admin(base_url, method, path, payload=None):
    """Call the admin API: `admin(sim.base_url, "POST", "/_sim/faults", {"faults": [{"status": 500}]})`."""
    data = None if payload is None else json.dumps(payload).encode("utf-8")
    return call(base_url + path, token=None, method=method, data=data)
