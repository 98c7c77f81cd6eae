"""GET /v7/usage/units/tests and GET /v7/usage/units/enterprise-agents: checks, then one page of breakdowns."""

import datetime
import re

from . import paging, responses, usage

TESTS = "/v7/usage/units/tests"
AGENTS = "/v7/usage/units/enterprise-agents"
DATE_FIELDS = ("startDate", "endDate")
DATE_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
# ASCII only: \d would also accept other scripts' digits, which the real API would not.
DATE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", re.ASCII)


def _error(code, field, message):
    return {"code": code, "field": field, "message": message}


def _first(query, name):
    values = query.get(name)
    return values[0] if values else None


def date_errors(query):
    """startDate / endDate must be exactly YYYY-MM-DDTHH:MM:SSZ (either may come alone); endDate not before startDate."""
    errors = []
    parsed = {}
    for field in DATE_FIELDS:
        value = _first(query, field)
        if value is None:
            continue
        try:
            if not DATE.match(value):
                raise ValueError(value)
            parsed[field] = datetime.datetime.strptime(value, DATE_FORMAT)
        except ValueError:
            message = "Invalid value '%s'. Expected a UTC date-time such as 2022-07-17T22:00:54Z" % value
            errors.append(_error("INVALID_FORMAT", field, message))
    if len(parsed) == 2 and parsed["endDate"] < parsed["startDate"]:
        message = "endDate %s is before startDate %s" % (_first(query, "endDate"), _first(query, "startDate"))
        errors.append(_error("INVALID_VALUE", "endDate", message))
    return errors


def _page(call, instance, org, rows):
    """One page of `rows`; the data does not depend on the dates, which are only validated (and kept in links)."""
    errors = date_errors(call.request.query)
    scope = "%s|%s|%s" % (call.scenario.name, instance, org.org_id)
    current = _first(call.request.query, "cursor")
    offset = 0
    if current is not None:
        try:
            offset = paging.decode(current, scope)
            if offset and offset >= len(rows):
                raise ValueError("cursor past the end")
        except ValueError:
            message = "Invalid cursor '%s'. Take the cursor from _links.next.href of the previous page" % current
            errors.append(_error("INVALID_VALUE", "cursor", message))
    if errors:
        detail = "Invalid query parameters: %s" % ", ".join(error["field"] for error in errors)
        return responses.validation_problem(detail, instance, errors)
    chunk, following = paging.page(rows, offset, call.page_size, scope, current, call.repeat_cursor)
    links = {"self": {"href": call.self_href}}
    if following is not None:
        links["next"] = {"href": paging.next_href(call.request.base_url, call.request.raw_target, following)}
    return responses.json_reply(200, {"breakdowns": chunk, "_links": links}, responses.HAL_JSON)


def get_tests(call):
    """Test units of the whole organization owning `aid` (same aid rules as /usage)."""
    user = call.user
    if not user.can_view_usage:
        return responses.forbidden(TESTS)
    aid = usage.requested_aid(user, call.request.query)
    if aid not in user.aids:
        return usage.invalid_aid(aid, TESTS)
    org = call.scenario.org_for_aid(aid) or call.scenario.organizations[user.org]
    return _page(call, TESTS, org, org.units()[0])


def get_agents(call):
    """Enterprise-agent units of the user's organization; this endpoint takes no aid and ignores one if sent."""
    if not call.user.can_view_usage:
        return responses.forbidden(AGENTS)
    org = call.scenario.organizations[call.user.org]
    return _page(call, AGENTS, org, org.units()[1])
