"""GET /v7/account-groups (Administrative API): the account groups of every organization of the token's user."""

from . import responses

INSTANCE = "/v7/account-groups"


def get_account_groups(call):
    """The reply to an authenticated GET /v7/account-groups.

    No permission is checked (the API documents none for listing one's own account groups) and the endpoint takes
    no query parameters (any are ignored, `aid` too), so the request's context is the user's default account group.
    Keys in the order of the official SDK's AccountGroupInfo; ids are always strings.
    """
    user = call.user
    current = user.default_aid
    groups = [{
        "aid": aid,
        "accountGroupName": name,
        "isCurrentAccountGroup": aid == current,
        "isDefaultAccountGroup": aid == user.default_aid,
        "organizationName": org.name,
        "orgId": org.org_id,
    } for org, aid, name in call.scenario.account_groups(user)]
    body = {"accountGroups": groups, "_links": {"self": {"href": call.request.base_url + INSTANCE}}}
    return responses.json_reply(200, body, responses.HAL_JSON)
