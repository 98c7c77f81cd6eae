"""The Reply value object and the JSON / problem+json bodies the simulator answers with."""

import json
from http import HTTPStatus

HAL_JSON = "application/hal+json"
PROBLEM_JSON = "application/problem+json"
JSON = "application/json"
VALIDATION_TITLE = "Request validation failed. There are invalid or missing fields"


class Reply:
    """One answer: status, headers, body bytes and how to deliver it (normally, dropped, truncated)."""

    def __init__(self, status, body=b"", content_type=None, headers=None):
        self.status = status
        self.body = body
        self.headers = []
        if content_type:
            self.headers.append(("Content-Type", content_type))
        self.headers.extend(headers or [])
        self.drop = False
        self.truncate = False

    def add_headers(self, headers):
        self.headers.extend(headers)
        return self


def dropped():
    """A reply that closes the connection without sending anything."""
    reply = Reply(None)
    reply.drop = True
    return reply


def to_json(data):
    return json.dumps(data, separators=(",", ":")).encode("utf-8")


def json_reply(status, data, content_type=JSON, headers=None):
    return Reply(status, to_json(data), content_type, headers)


def phrase(status):
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def problem(status, title, detail, instance, headers=None, **extra):
    """RFC 7807 body the way the v7 API sends it (type is always about:blank)."""
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail, "instance": instance}
    body.update(extra)
    return json_reply(status, body, PROBLEM_JSON, headers)


def invalid_token():
    # 401 is the one OAuth-style error that is not problem+json.
    body = {"error": "invalid_token", "error_description": "Invalid access token"}
    return json_reply(401, body, JSON, [("WWW-Authenticate", "Bearer")])


def no_content():
    # 204 carries neither a body nor a content type.
    return Reply(204, b"")


def validation_problem(detail, instance, errors):
    """400 ValidationError: the problem fields plus `errors: [{code, field, message}]`."""
    return problem(400, VALIDATION_TITLE, detail, instance, errors=errors)


def forbidden(instance):
    return problem(403, "Forbidden", "Insufficient permissions to query endpoint", instance)


def not_found(path):
    return problem(404, "Not Found", "No resource found at %s" % path, path)


def method_not_allowed(method, path, allowed="GET"):
    detail = "Request method '%s' is not supported for %s" % (method, path)
    return problem(405, "Method Not Allowed", detail, path, headers=[("Allow", allowed)])


def unsupported_media_type(content_type, instance):
    detail = "Content type '%s' is not supported; send application/json" % content_type
    return problem(415, "Unsupported Media Type", detail, instance)


def too_many_requests(limit, window, instance):
    if float(window) == 60.0:
        per = "minute"
    else:
        per = "%g seconds" % float(window)
    detail = "Organization rate limit of %d requests per %s exceeded" % (limit, per)
    return problem(429, "Too Many Requests", detail, instance)
