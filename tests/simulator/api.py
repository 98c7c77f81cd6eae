"""Every non-admin request: authentication, faults, rate limit, routing, and the request-log entry."""

import math
import time

from . import faults, responses, usage
from .ratelimit import RateState

ANONYMOUS = "anonymous"


class ApiRequest(object):
    """What the pipeline needs from one HTTP request."""

    def __init__(self, method, path, query, raw_target, headers, base_url):
        self.method = method
        self.path = path
        self.query = query
        self.raw_target = raw_target
        self.headers = headers
        self.base_url = base_url


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


def _route(scenario, request, user, now):
    if request.path != usage.INSTANCE:
        return responses.not_found(request.path)
    if request.method != "GET":
        return responses.method_not_allowed(request.method, request.path)
    if user is None:
        return responses.invalid_token()
    return usage.get_usage(scenario, user, request.query, request.base_url + request.raw_target, now)


def _answer(scenario, limiter, fault, request, user, bucket, now):
    """Fault precedence: rate_limited, drop, redirect, status, then normal with malformed/truncate (delay: see handle)."""
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
        reply = _route(scenario, request, user, now)
        if fault.get("malformed"):
            faults.malform(reply)
        if fault.get("truncate"):
            reply.truncate = True
    return reply.add_headers(state.headers())


def handle(sim, request):
    """The Reply for one API request; the request-log entry is recorded before the reply goes out."""
    now = time.time()
    scenario, limiter, scenario_faults = sim.snapshot()
    kind, token = classify_authorization(request.headers.get("Authorization"))
    user = scenario.tokens.get(token) if token else None
    aid = None
    bucket = ANONYMOUS
    if user is not None:
        aid = usage.requested_aid(user, request.query)
        org = scenario.org_for_aid(aid) if aid in user.aids else None
        bucket = org.org_id if org is not None else user.org
    fault = faults.combine(scenario_faults, sim.take_fault())
    reply = _answer(scenario, limiter, fault or {}, request, user, bucket, now)
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
