"""The /_sim admin API: health, request log, fault queue, usage changes and reset. Loopback clients only, no auth, no rate limit."""

import ipaddress
import json

from . import responses


def _is_loopback(host):
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _error(status, message):
    return responses.json_reply(status, {"error": responses.phrase(status), "error_description": message})


def _parse(body):
    if not body or not body.strip():
        return {}
    data = json.loads(body.decode("utf-8"))
    if not isinstance(data, dict):
        raise ValueError("the body must be a JSON object")
    return data


def _health(sim, data):
    return responses.json_reply(200, sim.health())


def _requests(sim, data):
    log = sim.requests
    return responses.json_reply(200, {"count": len(log), "requests": log})


def _queue(sim, data):
    if "faults" not in data:
        raise ValueError('the body must be {"faults": [...]}')
    sim.queue_faults(data["faults"])
    return responses.json_reply(200, {"ok": True, "queued": sim.queued_faults})


def _clear(sim, data):
    sim.clear_faults()
    return responses.json_reply(200, {"ok": True, "queued": 0})


def _usage(sim, data):
    unknown = sorted(set(data) - set(["org", "set"]))
    if unknown or "org" not in data or "set" not in data:
        raise ValueError('the body must be {"org": ID, "set": {usage fields}}%s' % (
            "; unknown keys: " + ", ".join(unknown) if unknown else ""))
    return responses.json_reply(200, {"ok": True, "org": str(data["org"]), "set": sim.set_usage(data["org"], data["set"])})


def _reset(sim, data):
    unknown = sorted(set(data) - set(["scenario", "rate_limit", "rate_window", "faults", "page_size", "repeat_cursor"]))
    if unknown:
        raise ValueError("unknown reset keys: %s" % ", ".join(unknown))
    sim.reset(**data)
    return responses.json_reply(200, sim.health())


ROUTES = {
    "/_sim/health": {"GET": _health},
    "/_sim/requests": {"GET": _requests},
    "/_sim/faults": {"POST": _queue, "DELETE": _clear},
    "/_sim/reset": {"POST": _reset},
    "/_sim/usage": {"POST": _usage},
}


def handle(sim, method, path, body, client_host):
    """The Reply to one admin request; bad input answers 400 JSON and never breaks the server."""
    if not _is_loopback(client_host):
        return _error(403, "the admin API answers loopback clients only")
    methods = ROUTES.get(path.rstrip("/"))
    if methods is None:
        return _error(404, "no admin endpoint at %s; known: %s" % (path, ", ".join(sorted(ROUTES))))
    action = methods.get(method)
    if action is None:
        reply = _error(405, "%s is not supported for %s" % (method, path))
        return reply.add_headers([("Allow", ", ".join(sorted(methods)))])
    try:
        return action(sim, _parse(body))
    except (ValueError, TypeError) as exc:
        return _error(400, str(exc))
