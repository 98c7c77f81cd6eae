"""GET /v7/usage for an authenticated user: permission, aid and expand checks, then the Usage body."""

from . import responses

INSTANCE = "/v7/usage"
VIEW_USAGE = "View organization usage"

# expand value -> list it adds under `usage`, in the order the lists appear in the body.
EXPAND = {
    "test": "tests",
    "enterprise-agent": "enterpriseAgents",
    "enterprise-agent-unit": "enterpriseAgentUnits",
    "endpoint-agent": "endpointAgents",
    "endpoint-agent-essential": "endpointAgentsEssentials",
    "endpoint-agent-embedded": "endpointAgentsEmbedded",
}


def requested_aid(user, query):
    """The aid the request asks for (first `aid` parameter), else the user's default account group."""
    values = query.get("aid")
    return values[0] if values else user.default_aid


def invalid_aid(aid, instance):
    return responses.problem(400, "Invalid aid", "The aid %s is not valid for this user" % aid, instance)


def parse_expand(query):
    """(list names to add, invalid values); accepts comma-separated values and repeated `expand` parameters."""
    values = []
    for raw in query.get("expand", []):
        values.extend(part.strip() for part in raw.split(","))
    values = [value for value in values if value]
    invalid = [value for value in values if value not in EXPAND]
    names = [name for key, name in EXPAND.items() if key in values]
    return names, invalid


def invalid_expand(invalid):
    allowed = ", ".join(EXPAND)
    errors = [
        {"code": "INVALID_VALUE", "field": "expand", "message": "Invalid value '%s'. Allowed values: %s" % (value, allowed)}
        for value in invalid
    ]
    detail = "Invalid value for query parameter 'expand': %s" % ", ".join(invalid)
    return responses.validation_problem(detail, INSTANCE, errors)


def get_usage(scenario, user, query, self_href, now, changes=None):
    """The reply to an authenticated GET /v7/usage; ``changes`` are Simulator.set_usage's, per organization."""
    if not user.can_view_usage:
        return responses.forbidden(INSTANCE)
    aid = requested_aid(user, query)
    if aid not in user.aids:
        return invalid_aid(aid, INSTANCE)
    names, invalid = parse_expand(query)
    if invalid:
        return invalid_expand(invalid)
    # Usage always covers the whole organization that owns the account group: for a user of several organizations
    # (scenario `partner`) an aid of another one reports that organization, not the token's own.
    org = scenario.org_for_aid(aid) or scenario.organizations[user.org]
    body = {"usage": org.usage(names, now, (changes or {}).get(org.org_id)), "_links": {"self": {"href": self_href}}}
    return responses.json_reply(200, body, responses.HAL_JSON)
