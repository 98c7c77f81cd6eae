"""Fault injection: validating fault dicts, combining queued and scenario-wide faults, building fault replies."""

import datetime
import numbers

from . import responses

KNOWN_KEYS = frozenset([
    "status", "html", "empty", "legacy", "rate_limited", "reset_in", "retry_after",
    "delay", "drop", "malformed", "truncate", "redirect", "repeat_cursor",
])

DETAILS = {
    500: "An unexpected error occurred",
    502: "The upstream server returned an invalid response",
    503: "The service is under maintenance",
    504: "The upstream server did not respond in time",
}

GATEWAY_HTML = (
    "<html><head><title>{0} {1}</title></head><body><center><h1>{0} {1}</h1></center>"
    "<hr><center>nginx</center></body></html>"
)


def _number(value):
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def validate(fault):
    """Return a copy of one fault dict, or raise ValueError naming what is wrong (typos must not pass silently)."""
    if not isinstance(fault, dict):
        raise ValueError("a fault must be a JSON object, got %r" % (fault,))
    unknown = sorted(set(fault) - KNOWN_KEYS)
    if unknown:
        raise ValueError("unknown fault keys %s; known: %s" % (", ".join(unknown), ", ".join(sorted(KNOWN_KEYS))))
    if "status" in fault and not (isinstance(fault["status"], int) and not isinstance(fault["status"], bool)
                                  and 100 <= fault["status"] <= 599):
        raise ValueError("fault status must be an integer HTTP status, got %r" % (fault["status"],))
    for key in ("delay", "reset_in"):
        if key in fault and not (_number(fault[key]) and fault[key] >= 0):
            raise ValueError("fault %s must be a number >= 0, got %r" % (key, fault[key]))
    if "repeat_cursor" in fault and not isinstance(fault["repeat_cursor"], bool):
        raise ValueError("fault repeat_cursor must be true or false")
    if "redirect" in fault and not isinstance(fault["redirect"], str):
        raise ValueError("fault redirect must be a URL string")
    return dict(fault)


def validate_all(faults):
    if faults is None:
        return []
    if not isinstance(faults, list):
        raise ValueError("faults must be a list of JSON objects")
    return [validate(fault) for fault in faults]


def combine(scenario_faults, queued):
    """Effective fault: scenario-wide faults merged in order, then the queued one (its keys win); None if none."""
    if not scenario_faults and queued is None:
        return None
    merged = {}
    for fault in scenario_faults:
        merged.update(fault)
    merged.update(queued or {})
    return merged


def status_reply(fault, instance):
    """The reply for a {"status": N} fault, in the body style the fault asks for."""
    status = fault["status"]
    text = responses.phrase(status)
    if fault.get("html"):
        return responses.Reply(status, GATEWAY_HTML.format(status, text).encode("ascii"), "text/html")
    if fault.get("empty"):
        return responses.Reply(status, b"")
    if fault.get("legacy"):
        # Pre-RFC 7807 error shape that some older paths still send.
        detail = "No resource found at %s" % instance if status == 404 else text
        body = {
            "timestamp": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "httpStatus": status,
            "errors": [{"code": text.upper().replace(" ", "_").replace("-", "_"), "message": detail}],
            "path": instance,
        }
        return responses.json_reply(status, body)
    return responses.problem(status, text, DETAILS.get(status, text), instance)


def redirect_reply(fault, base_url):
    location = fault["redirect"].replace("{base_url}", base_url)
    return responses.Reply(fault.get("status", 302), b"", headers=[("Location", location)])


def malform(reply):
    """Break the JSON syntax of a body (trailing comma before the closing brace)."""
    body = reply.body or b"{}"
    reply.body = body[:-1] + b",}"
    return reply
