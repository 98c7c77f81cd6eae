"""Every non-admin request: authentication, faults, rate limit, routing, and the request-log entry."""

import collections
import math
import time

from . import account_groups, faults, quotas, responses, units, usage
from .ratelimit import RateState

ANONYMOUS = "anonymous"


class ApiRequest:
    """What the pipeline needs from one HTTP request."""

    def __init__(self, method, path, query, raw_target, headers, base_url, body=b""):
        self.method = method
        self.path = path
        self.query = query
        self.raw_target = raw_target
        self.headers = headers
        self.base_url = base_url
        self.body = body


class Call:
    """What an endpoint handler gets: the request, its authenticated user and the simulator state it may use."""

    def __init__(self, request, user, view, repeat_cursor, now):
        self.request = request
        self.user = user
        self.scenario = view.scenario
        self.quotas = view.quotas
        self.page_size = view.page_size
        self.repeat_cursor = repeat_cursor
        self.usage_changes = view.usage_changes
        self.now = now

    @property
    def self_href(self):
        return self.request.base_url + self.request.raw_target


def _usage(call):
    return usage.get_usage(call.scenario, call.user, call.request.query, call.self_href, call.now, call.usage_changes)


# method: the one allowed (others get 405); takes_aid: whether `aid` picks the account group (and rate window).
Route = collections.namedtuple("Route", "method handler takes_aid")

ROUTES = {
    usage.INSTANCE: Route("GET", _usage, True),
    units.TESTS: Route("GET", units.get_tests, True),
    units.AGENTS: Route("GET", units.get_agents, False),
    quotas.INSTANCE: Route("GET", quotas.get_quotas, False),
    quotas.ASSIGN: Route("POST", quotas.assign, False),
    quotas.UNASSIGN: Route("POST", quotas.unassign, False),
    quotas.GROUPS_ASSIGN: Route("POST", quotas.assign_groups, False),
    quotas.GROUPS_UNASSIGN: Route("POST", quotas.unassign_groups, False),
    account_groups.INSTANCE: Route("GET", account_groups.get_account_groups, False),
}


def classify_authorization(header):
    """("bearer"|"missing"|"other", token or None). The token itself is never logged."""
    if header is None:
        return "missing", None
    scheme, _sep, token = header.strip().partition(" ")
    if scheme.lower() != "bearer":
        return "other", None
    return "bearer", token.strip() or None


def _rate_limited(fault, limiter, bucket, instance):
    state = limiter.peek(bucket)
    reset = state.reset
    if "reset_in" in fault:
        reset = int(math.ceil(time.time() + fault["reset_in"]))
    headers = RateState(False, limiter.limit, 0, reset).headers()
    if "retry_after" in fault:
        headers.append(("Retry-After", str(fault["retry_after"])))
    return responses.too_many_requests(limiter.limit, limiter.window, instance).add_headers(headers)


def _route(call):
    request = call.request
    route = ROUTES.get(request.path)
    if route is None:
        return responses.not_found(request.path)
    if request.method != route.method:
        return responses.method_not_allowed(request.method, request.path, route.method)
    if call.user is None:
        return responses.invalid_token()
    return route.handler(call)


def _answer(view, fault, request, user, bucket, now):
    """Fault precedence: rate_limited, drop, redirect, status, then normal with malformed/truncate (delay: see handle)."""
    limiter = view.limiter
    if fault.get("rate_limited"):
        # A 429 never occupies the window.
        return _rate_limited(fault, limiter, bucket, request.path)
    state = limiter.hit(bucket)
    if fault.get("drop"):
        return responses.dropped()
    if "redirect" in fault:
        reply = faults.redirect_reply(fault, request.base_url)
    elif "status" in fault:
        reply = faults.status_reply(fault, request.path)
    elif not state.allowed:
        reply = responses.too_many_requests(limiter.limit, limiter.window, request.path)
    else:
        repeat = view.repeat_cursor or bool(fault.get("repeat_cursor"))
        reply = _route(Call(request, user, view, repeat, now))
        if fault.get("malformed"):
            faults.malform(reply)
        if fault.get("truncate"):
            reply.truncate = True
    return reply.add_headers(state.headers())


def handle(sim, request):
    """The Reply for one API request; the request-log entry is recorded before the reply goes out."""
    now = time.time()
    view = sim.snapshot()
    scenario = view.scenario
    kind, token = classify_authorization(request.headers.get("Authorization"))
    user = scenario.tokens.get(token) if token else None
    aid = None
    bucket = ANONYMOUS
    if user is not None:
        route = ROUTES.get(request.path)
        # Endpoints without an aid parameter work in the user's default account group, whatever the query says.
        aid = usage.requested_aid(user, request.query) if route is None or route.takes_aid else user.default_aid
        org = scenario.org_for_aid(aid) if aid in user.aids else None
        bucket = org.org_id if org is not None else user.org
    fault = faults.combine(view.faults, sim.take_fault())
    reply = _answer(view, fault or {}, request, user, bucket, now)
    sim.record({
        "method": request.method,
        "path": request.path,
        "query": request.query,
        "aid": aid,
        "org": None if user is None else bucket,
        "status": reply.status,
        "authorization": kind,
        "token_ok": user is not None,
        "user_agent": request.headers.get("User-Agent"),
        "accept": request.headers.get("Accept"),
        "time": now,
        "fault": fault,
    })
    if fault and fault.get("delay"):
        # Slept after recording, so a client that gave up does not see its request logged after a later reset.
        time.sleep(fault["delay"])
    return reply
