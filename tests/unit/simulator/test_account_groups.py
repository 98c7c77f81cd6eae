"""GET /v7/account-groups (Administrative API) and the `partner` scenario: a token that sees two organizations.

The bodies are also checked against the official `thousandeyes-sdk-administrative` models (a dev requirement).
"""

import json
import typing

import pydantic
import pytest
from thousandeyes_sdk.administrative.api.account_groups_api import AccountGroupsApi
from thousandeyes_sdk.administrative.models import AccountGroupInfo, AccountGroups
from thousandeyes_sdk.core.api_client import ApiClient
from thousandeyes_sdk.core.configuration import Configuration

from simulator import Simulator, scenarios
from simulator.client import NOPERM, OTHER_ORG, PARTNER, RATE_HEADERS, TOKEN, VIEWER, call

INSTANCE = "/v7/account-groups"
KEYS = ["aid", "accountGroupName", "isCurrentAccountGroup", "isDefaultAccountGroup", "organizationName", "orgId"]


def account_groups(sim, token=TOKEN, query=""):
    return call(sim.url + "/account-groups" + query, token=token)


def entries(sim, token=TOKEN):
    answer = account_groups(sim, token)
    assert answer.status == 200
    return [tuple(entry[key] for key in KEYS) for entry in answer.json()["accountGroups"]]


def usage_of(sim, query="", token=PARTNER):
    answer = call(sim.url + "/usage" + query, token=token)
    assert answer.status == 200, answer.body
    return answer.json()["usage"]


@pytest.fixture()
def partner(sim):
    sim.reset(scenario="partner")
    return sim


# Default scenario


def test_body_headers_and_self_link(sim):
    answer = account_groups(sim)
    assert answer.status == 200
    assert answer.headers["Content-Type"] == "application/hal+json"
    assert int(answer.headers["Content-Length"]) == len(answer.body)
    for name in RATE_HEADERS:
        assert answer.headers[name].isdigit()
    assert answer.headers["X-Organization-Rate-Limit-Remaining"] == "239"
    assert answer.json() == {
        "accountGroups": [
            {"aid": "1234", "accountGroupName": "Acme Production", "isCurrentAccountGroup": True,
             "isDefaultAccountGroup": True, "organizationName": "Acme Corp", "orgId": "10"},
            {"aid": "5678", "accountGroupName": "Acme Staging", "isCurrentAccountGroup": False,
             "isDefaultAccountGroup": False, "organizationName": "Acme Corp", "orgId": "10"},
        ],
        "_links": {"self": {"href": sim.url + "/account-groups"}},
    }
    assert [list(entry) for entry in answer.json()["accountGroups"]] == [KEYS, KEYS]


def test_each_token_sees_its_own_groups(sim):
    assert entries(sim, VIEWER) == entries(sim, TOKEN)
    assert entries(sim, OTHER_ORG) == [("9001", "Globex Operations", True, True, "Globex Inc", "20")]


def test_no_permission_is_needed(sim):
    # The API documents no permission for listing one's own account groups: the token without any still gets them.
    assert entries(sim, NOPERM) == [("1234", "Acme Production", True, True, "Acme Corp", "10")]


def test_query_parameters_are_ignored(sim):
    # No aid parameter: the context stays the user's default account group, and the self link has no query.
    answer = account_groups(sim, query="?aid=5678&expand=test")
    assert answer.status == 200
    body = answer.json()
    assert [entry["isCurrentAccountGroup"] for entry in body["accountGroups"]] == [True, False]
    assert body["_links"]["self"]["href"] == sim.url + "/account-groups"
    assert sim.requests[-1]["aid"] == "1234"


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong-token"}, {"Authorization": "Basic dXNlcjpwYXNz"}])
def test_bad_auth_is_401(sim, headers):
    answer = call(sim.url + "/account-groups", token=None, headers=headers)
    assert answer.status == 401
    assert answer.headers["Content-Type"] == "application/json"
    assert answer.headers["WWW-Authenticate"] == "Bearer"
    assert answer.json() == {"error": "invalid_token", "error_description": "Invalid access token"}
    assert answer.headers["X-Organization-Rate-Limit-Remaining"] == "239"


def test_methods_and_neighbouring_paths(sim):
    answer = call(sim.url + "/account-groups", method="POST", data=b"{}")
    assert answer.status == 405
    assert answer.headers["Allow"] == "GET"
    assert answer.json()["instance"] == INSTANCE
    assert call(sim.url + "/account-groups/1234").status == 404


def test_shares_rate_window_faults_and_log(sim):
    sim.reset(rate_limit=2, rate_window=60.0)
    assert call(sim.url + "/usage").status == 200
    assert account_groups(sim).status == 200
    limited = account_groups(sim)
    assert limited.status == 429
    assert limited.headers["Content-Type"] == "application/problem+json"
    assert limited.json()["instance"] == INSTANCE
    assert "Retry-After" not in limited.headers
    sim.reset(rate_limit=240)
    sim.queue_faults([{"status": 503}, {"malformed": True}, {"rate_limited": True, "retry_after": 3}])
    answer = account_groups(sim)
    assert (answer.status, answer.json()["detail"]) == (503, "The service is under maintenance")
    broken = account_groups(sim)
    assert broken.status == 200
    with pytest.raises(ValueError):
        broken.json()
    answer = account_groups(sim)
    assert (answer.status, answer.headers["Retry-After"]) == (429, "3")
    assert account_groups(sim).status == 200
    log = sim.requests
    assert [(entry["path"], entry["status"], entry["aid"], entry["org"]) for entry in log] == [
        (INSTANCE, 503, "1234", "10"), (INSTANCE, 200, "1234", "10"), (INSTANCE, 429, "1234", "10"), (INSTANCE, 200, "1234", "10")]
    assert TOKEN not in json.dumps(log)


# Partner scenario: two organizations


def test_partner_sees_both_organizations(partner):
    assert entries(partner, PARTNER) == [
        ("1234", "Production", True, True, "Acme Corp", "10"),
        ("5678", "Staging", False, False, "Acme Corp", "10"),
        ("1240", "DevOps Lab", False, False, "Acme Corp", "10"),
        ("9001", "Production", False, False, "Globex Inc", "20"),
        ("9002", "Production EU", False, False, "Globex Inc", "20"),
        ("9003", "Devops Lab", False, False, "Globex Inc", "20"),
    ]
    # 9004 (Globex Finance) belongs to org 20 but not to the partner; the other-org token sees only its group.
    assert entries(partner, OTHER_ORG) == [("9001", "Production", True, True, "Globex Inc", "20")]
    assert entries(partner, TOKEN) == [("1234", "Production", True, True, "Acme Corp", "10"),
                                       ("5678", "Staging", False, False, "Acme Corp", "10")]


def test_partner_names_for_name_resolution(partner):
    groups = [(entry[0], entry[1]) for entry in entries(partner, PARTNER)]

    def exact(name):
        return [aid for aid, group_name in groups if group_name == name]

    def folded(name):
        return [aid for aid, group_name in groups if group_name.casefold() == name.casefold()]

    assert exact("Production") == ["1234", "9001"]  # one name in both organizations
    assert (exact("Production EU"), folded("production eu")) == (["9002"], ["9002"])  # exists once
    assert (exact("staging"), folded("staging")) == ([], ["5678"])  # unique only case-insensitively
    assert (exact("DevOps Lab"), folded("devops lab")) == (["1240"], ["1240", "9003"])  # differ only in case
    assert folded("Globex Finance") == []


def test_partner_usage_per_organization(partner):
    own = usage_of(partner)
    assert (own["cloudUnitsUsed"], own["cloudUnitsProjected"], own["quota"]["cloudUnitsIncluded"]) == (40000, 85000, 100000)
    assert usage_of(partner, "?aid=5678") == own and usage_of(partner, "?aid=1240") == own
    other = usage_of(partner, "?aid=9001&expand=test")
    assert (other["cloudUnitsUsed"], other["cloudUnitsProjected"], other["quota"]["cloudUnitsIncluded"]) == (2500, 26000, 50000)
    assert {test["aid"] for test in other["tests"]} <= {"9001", "9002", "9003", "9004"}
    assert sum(test["cloudUnitsUsed"] for test in other["tests"]) == 2500
    assert usage_of(partner, "?aid=9002") == {key: value for key, value in other.items() if key != "tests"}
    assert usage_of(partner, "?aid=9001", token=OTHER_ORG)["cloudUnitsUsed"] == 2500
    assert [(entry["aid"], entry["org"]) for entry in partner.requests] == [
        ("1234", "10"), ("5678", "10"), ("1240", "10"), ("9001", "20"), ("9002", "20"), ("9001", "20")]


@pytest.mark.parametrize("aid", ["9004", "42", ""])
def test_partner_aid_outside_its_groups_is_400(partner, aid):
    answer = call(partner.url + "/usage?aid=" + aid, token=PARTNER)
    assert answer.status == 400
    assert answer.json()["title"] == "Invalid aid"
    answer = call(partner.url + "/usage/units/tests?aid=" + aid, token=PARTNER)
    assert answer.status == 400


def test_partner_units_per_organization(partner):
    answer = call(partner.url + "/usage/units/tests?aid=9003", token=PARTNER)
    assert answer.status == 200
    rows = answer.json()["breakdowns"]
    assert {row["aid"] for row in rows} <= {"9001", "9002", "9003", "9004"}
    assert sum(row["cloudUnitsUsed"] for row in rows if not row["isInstantTest"]) == 2500
    own = call(partner.url + "/usage/units/tests", token=PARTNER).json()["breakdowns"]
    assert {row["aid"] for row in own} == {"1234", "5678", "1240"}
    # The enterprise-agents endpoint takes no aid: the token's own organization (10).
    agents = call(partner.url + "/usage/units/enterprise-agents?aid=9001", token=PARTNER).json()["breakdowns"]
    assert {row["aid"] for row in agents} <= {"1234", "5678", "1240"}
    assert sum(row["enterpriseUnitsUsed"] for row in agents) == 12000


def test_partner_quotas_list_both_organizations(partner):
    answer = call(partner.url + "/quotas", token=PARTNER)
    assert answer.status == 200
    assert answer.json()["quotas"] == [
        {"organizationQuota": {"orgId": "10", "value": 22500}, "accountGroupQuotas": [{"aid": "1234", "value": 12000}]},
        {"organizationQuota": {"orgId": "20", "value": 8000}, "accountGroupQuotas": [{"aid": "9002", "value": 3000}]},
    ]
    body = json.dumps({"organizations": [{"orgId": "20", "accountGroups": [{"aid": "9003", "value": 100}]}]}).encode()
    assert call(partner.url + "/quotas/account-groups/assign", token=PARTNER, method="POST", data=body).status == 200
    assert partner.quotas["20"]["accountGroups"] == {"9002": 3000, "9003": 100}


def test_partner_token_only_in_its_scenario(sim):
    assert account_groups(sim, PARTNER).status == 401


def test_every_token_aid_belongs_to_its_organizations(tmp_path):
    path = tmp_path / "stray.json"
    path.write_text(json.dumps({"tokens": {"stray-token": {"org": "10", "aids": ["1234", "9001"]}}}))
    with pytest.raises(ValueError, match="aid 9001 is not an account group of its organizations"):
        Simulator(scenario=str(path))
    for name in scenarios.available():
        scenario = scenarios.load(name)
        for user in scenario.tokens.values():
            assert sorted(aid for _org, aid, _name in scenario.account_groups(user)) == sorted(user.aids)


# The official SDK's models


NONE_TYPE = type(None)


def declared_type(field):
    """The Python type a model field declares: str for Optional[StrictStr], bool for Optional[StrictBool]."""
    (inner,) = [arg for arg in typing.get_args(field.annotation) if arg is not NONE_TYPE]
    return typing.get_args(inner)[0] if typing.get_origin(inner) is typing.Annotated else inner


def assert_round_trip(body):
    model = AccountGroups.from_json(json.dumps(body))
    assert model.to_dict() == body
    assert not model.model_extra and not model.links.model_extra and not model.links.var_self.model_extra
    assert model.links.var_self.href == body["_links"]["self"]["href"]
    assert len(model.account_groups) == len(body["accountGroups"]) > 0
    fields = AccountGroupInfo.model_fields
    aliases = {name: field.alias or name for name, field in fields.items()}
    for index, entry in enumerate(body["accountGroups"]):
        info = model.account_groups[index]
        assert isinstance(info, AccountGroupInfo)
        assert not info.model_extra  # no field the model does not declare
        assert sorted(entry) == sorted(aliases.values())  # and every field it declares
        for name, alias in aliases.items():
            value = getattr(info, name)
            assert value == entry[alias]
            expected = declared_type(fields[name])
            assert expected in (str, bool)  # StrictStr / StrictBool: no int for aid or orgId, no 0/1 for the flags
            assert isinstance(value, expected) and isinstance(entry[alias], expected)
        assert isinstance(info.aid, str) and isinstance(info.org_id, str)
        assert isinstance(info.is_current_account_group, bool) and isinstance(info.is_default_account_group, bool)


@pytest.mark.parametrize("scenario,tokens", [("default", [TOKEN, VIEWER, NOPERM, OTHER_ORG]),
                                             ("partner", [PARTNER, TOKEN, OTHER_ORG])])
def test_bodies_parse_with_the_official_sdk_models(sim, scenario, tokens):
    sim.reset(scenario=scenario)
    for token in tokens:
        answer = account_groups(sim, token)
        assert answer.status == 200
        assert_round_trip(answer.json())


def test_sdk_models_are_strict():
    # The check above has teeth: the v6 shapes (integer aid, 0/1 flags) do not validate against the v7 models.
    with pytest.raises(pydantic.ValidationError):
        AccountGroupInfo.from_dict({"aid": 1234})
    with pytest.raises(pydantic.ValidationError):
        AccountGroupInfo.from_dict({"aid": "1234", "isDefaultAccountGroup": 1})
    assert AccountGroupInfo.from_dict({"aid": "1", "futureKey": 1}).model_extra == {"futureKey": 1}


def test_official_sdk_client_against_the_simulator(partner):
    with ApiClient(Configuration(host=partner.url, access_token=PARTNER)) as client:
        result = AccountGroupsApi(client).get_account_groups()
    assert isinstance(result, AccountGroups)
    assert [(group.aid, group.org_id, group.is_current_account_group) for group in result.account_groups] == [
        ("1234", "10", True), ("5678", "10", False), ("1240", "10", False),
        ("9001", "20", False), ("9002", "20", False), ("9003", "20", False)]
    request = partner.requests[-1]
    assert (request["path"], request["status"], request["accept"]) == (INSTANCE, 200, "application/hal+json")
    assert request["user_agent"].startswith("ThousandEyesSDK-Python/")
