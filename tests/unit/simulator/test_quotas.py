"""Tests for the simulator's quota endpoints: GET /v7/quotas and the four POST /v7/quotas/... operations."""

import http.client
import json
import urllib.error

import pytest

from simulator import Simulator
from simulator.client import NOPERM, OTHER_ORG, RATE_HEADERS, TOKEN, VIEWER, admin, call

INITIAL = {"10": {"value": 22500, "accountGroups": {"1234": 12000}}, "20": {"value": None, "accountGroups": {}}}
INITIAL_10 = {"organizationQuota": {"orgId": "10", "value": 22500}, "accountGroupQuotas": [{"aid": "1234", "value": 12000}]}
POSTS = ("/quotas/assign", "/quotas/unassign", "/quotas/account-groups/assign", "/quotas/account-groups/unassign")


def post(sim, path, payload, token=TOKEN):
    data = payload if isinstance(payload, bytes) else json.dumps(payload).encode("utf-8")
    return call(sim.url + path, token=token, method="POST", data=data)


def get_quotas(sim, token=TOKEN):
    answer = call(sim.url + "/quotas", token=token)
    assert answer.status == 200, answer.body
    return answer.json()["quotas"]


# GET /v7/quotas


def test_get_quotas_shape(sim):
    answer = call(sim.url + "/quotas")
    assert answer.status == 200
    assert answer.headers["Content-Type"] == "application/hal+json"
    for name in RATE_HEADERS:
        assert answer.headers[name].isdigit()
    assert answer.json() == {"quotas": [INITIAL_10], "_links": {"self": {"href": sim.url + "/quotas"}}}


def test_organization_without_quotas_lists_only_its_id(sim):
    assert get_quotas(sim, token=OTHER_ORG) == [{"organizationQuota": {"orgId": "20"}, "accountGroupQuotas": []}]


def test_user_with_several_organizations(tmp_path):
    path = tmp_path / "multi.json"
    path.write_text(json.dumps({"tokens": {"multi-token": {"org": "10", "orgs": ["20"], "aids": ["1234"],
                                                           "permissions": ["Edit quotas"]}}}))
    with Simulator(scenario=str(path)) as multi:  # organizations 10 and 20 (and their quotas) come from the default scenario
        assert get_quotas(multi, token="multi-token") == [
            INITIAL_10, {"organizationQuota": {"orgId": "20"}, "accountGroupQuotas": []}]
        assert post(multi, "/quotas/assign", {"organizations": [{"orgId": "20", "value": 5}]}, token="multi-token").status == 200
        assert get_quotas(multi, token="multi-token")[1]["organizationQuota"] == {"orgId": "20", "value": 5}


@pytest.mark.parametrize("token", [VIEWER, NOPERM])
def test_quotas_need_the_edit_quotas_permission(sim, token):
    answers = [call(sim.url + "/quotas", token=token)]
    answers += [post(sim, path, {"organizations": []}, token=token) for path in POSTS]
    for answer, path in zip(answers, ("/quotas",) + POSTS, strict=False):
        assert answer.status == 403
        assert answer.headers["Content-Type"] == "application/problem+json"
        assert answer.json() == {"type": "about:blank", "title": "Forbidden", "status": 403,
                                 "detail": "Insufficient permissions to query endpoint", "instance": "/v7" + path}
        assert answer.headers["X-Organization-Rate-Limit-Limit"] == "240"
    assert sim.quotas == INITIAL
    viewer_usage = call(sim.url + "/usage", token=token)
    assert viewer_usage.status == (200 if token == VIEWER else 403)


# The four POST operations


def test_assign_adds_or_updates_and_echoes(sim):
    answer = post(sim, "/quotas/assign", {"organizations": [{"value": 30000}]})
    assert answer.status == 200
    assert answer.headers["Content-Type"] == "application/hal+json"
    assert answer.json() == {"organizations": [{"orgId": "10", "value": 30000}]}  # orgId filled in
    assert get_quotas(sim)[0]["organizationQuota"] == {"orgId": "10", "value": 30000}
    assert post(sim, "/quotas/assign", {"organizations": [{"orgId": "10", "value": 0}]}).json() == {
        "organizations": [{"orgId": "10", "value": 0}]}
    assert get_quotas(sim)[0] == {"organizationQuota": {"orgId": "10", "value": 0},
                                  "accountGroupQuotas": [{"aid": "1234", "value": 12000}]}
    assert post(sim, "/quotas/assign", {"organizations": []}).json() == {"organizations": []}
    other = post(sim, "/quotas/assign", {"organizations": [{"value": 7}]}, token=OTHER_ORG)
    assert other.json() == {"organizations": [{"orgId": "20", "value": 7}]}
    assert sim.quotas["20"] == {"value": 7, "accountGroups": {}}


def test_unassign_removes_the_organization_quota_only(sim):
    answer = post(sim, "/quotas/unassign", {"organizations": ["10"]})
    assert answer.status == 204
    assert answer.body == b""
    assert "Content-Type" not in answer.headers
    assert answer.headers["X-Organization-Rate-Limit-Remaining"] == "239"
    assert get_quotas(sim) == [{"organizationQuota": {"orgId": "10"}, "accountGroupQuotas": [{"aid": "1234", "value": 12000}]}]
    assert post(sim, "/quotas/unassign", {"organizations": ["10"]}).status == 204  # nothing left: still fine


def test_account_group_assign_and_unassign(sim):
    payload = {"organizations": [{"orgId": "10", "accountGroups": [{"aid": "5678", "value": 8000}, {"aid": "1234", "value": 11000}]}]}
    answer = post(sim, "/quotas/account-groups/assign", payload)
    assert answer.status == 200
    assert answer.json() == payload
    assert get_quotas(sim)[0]["accountGroupQuotas"] == [{"aid": "1234", "value": 11000}, {"aid": "5678", "value": 8000}]
    echo = post(sim, "/quotas/account-groups/assign", {"organizations": [{"accountGroups": [{"aid": "5678", "value": 1}]}]}).json()
    assert echo == {"organizations": [{"orgId": "10", "accountGroups": [{"aid": "5678", "value": 1}]}]}
    removed = post(sim, "/quotas/account-groups/unassign", {"organizations": [{"orgId": "10", "accountGroups": ["1234"]}]})
    assert (removed.status, removed.body) == (204, b"")
    assert get_quotas(sim) == [{"organizationQuota": {"orgId": "10", "value": 22500}, "accountGroupQuotas": [{"aid": "5678", "value": 1}]}]


@pytest.mark.parametrize("path,payload,fields", [
    ("/quotas/assign", b"{not json", ["body"]),
    ("/quotas/assign", b"", ["body"]),
    ("/quotas/assign", b"[]", ["organizations"]),
    ("/quotas/assign", {"orgs": []}, ["organizations"]),
    ("/quotas/assign", {"organizations": {"orgId": "10", "value": 1}}, ["organizations"]),
    ("/quotas/assign", {"organizations": [{"orgId": "10", "value": -1}]}, ["organizations[0].value"]),
    ("/quotas/assign", {"organizations": [{"orgId": "10", "value": 1.5}]}, ["organizations[0].value"]),
    ("/quotas/assign", {"organizations": [{"orgId": "10", "value": "100"}]}, ["organizations[0].value"]),
    ("/quotas/assign", {"organizations": [{"orgId": "10", "value": True}]}, ["organizations[0].value"]),
    ("/quotas/assign", {"organizations": [{"orgId": "10", "value": 2 ** 63}]}, ["organizations[0].value"]),
    ("/quotas/assign", {"organizations": [{"orgId": "10"}]}, ["organizations[0].value"]),
    ("/quotas/assign", {"organizations": [{"orgId": "20", "value": 1}]}, ["organizations[0].orgId"]),
    ("/quotas/assign", {"organizations": [{"orgId": 10, "value": 1}]}, ["organizations[0].orgId"]),
    ("/quotas/assign", {"organizations": [{"value": 5}, {"orgId": "99", "value": -5}, "10"]},
     ["organizations[1].orgId", "organizations[1].value", "organizations[2]"]),
    ("/quotas/unassign", {"organizations": ["10", "20"]}, ["organizations[1]"]),
    ("/quotas/unassign", {"organizations": "10"}, ["organizations"]),
    ("/quotas/account-groups/assign", {"organizations": [{"orgId": "10", "accountGroups": [{"aid": "9001", "value": 1}]}]},
     ["organizations[0].accountGroups[0].aid"]),
    ("/quotas/account-groups/assign", {"organizations": [{"orgId": "10", "accountGroups": [{"aid": "5678", "value": 1},
                                                                                           {"aid": "42", "value": -1}]}]},
     ["organizations[0].accountGroups[1].aid", "organizations[0].accountGroups[1].value"]),
    ("/quotas/account-groups/assign", {"organizations": [{"orgId": "10", "accountGroups": [{"value": 1}]}]},
     ["organizations[0].accountGroups[0].aid"]),
    ("/quotas/account-groups/assign", {"organizations": [{"orgId": "10"}]}, ["organizations[0].accountGroups"]),
    ("/quotas/account-groups/assign", {"organizations": [{"orgId": "20", "accountGroups": [{"aid": "9001", "value": 1}]}]},
     ["organizations[0].orgId"]),
    ("/quotas/account-groups/unassign", {"organizations": [{"orgId": "10", "accountGroups": ["1234", "9001"]}]},
     ["organizations[0].accountGroups[1]"]),
    ("/quotas/account-groups/unassign", {"organizations": [{"orgId": "10", "accountGroups": "1234"}]},
     ["organizations[0].accountGroups"]),
])
def test_validation_errors_change_nothing(sim, path, payload, fields):
    answer = post(sim, path, payload)
    assert answer.status == 400
    assert answer.headers["Content-Type"] == "application/problem+json"
    body = answer.json()
    assert body["title"] == "Request validation failed. There are invalid or missing fields"
    assert (body["type"], body["status"], body["instance"]) == ("about:blank", 400, "/v7" + path)
    assert [error["field"] for error in body["errors"]] == fields
    assert all(set(error) == {"code", "field", "message"} and error["message"] for error in body["errors"])
    assert sim.quotas == INITIAL  # all or nothing: the valid parts were not applied either
    assert get_quotas(sim) == [INITIAL_10]


def test_post_media_type_and_methods(sim):
    answer = call(sim.url + "/quotas/assign", method="POST", data=b'{"organizations": [{"value": 1}]}', content_type="text/plain")
    assert answer.status == 415
    assert answer.headers["Content-Type"] == "application/problem+json"
    assert post(sim, "/quotas/assign", b'{"organizations": [{"value": 1}]}').status == 200
    charset = call(sim.url + "/quotas/unassign", method="POST", data=b'{"organizations": []}',
                   content_type="application/json; charset=utf-8")
    assert charset.status == 204
    conn = http.client.HTTPConnection("127.0.0.1", sim.port, timeout=5)
    try:  # no Content-Type at all is tolerated
        conn.request("POST", "/v7/quotas/assign", body=b'{"organizations": [{"value": 2}]}',
                     headers={"Authorization": "Bearer " + TOKEN})
        assert conn.getresponse().status == 200
    finally:
        conn.close()
    for path in POSTS:
        wrong = call(sim.url + path)
        assert wrong.status == 405 and wrong.headers["Allow"] == "POST"
    wrong = post(sim, "/quotas", {"organizations": []})
    assert wrong.status == 405 and wrong.headers["Allow"] == "GET"
    assert call(sim.url + "/quotas/nothing").status == 404
    assert call(sim.url + "/quotas", token="nope").status == 401


# State: per simulator, restored by reset


def test_reset_restores_the_scenario_quotas(sim):
    assert post(sim, "/quotas/unassign", {"organizations": ["10"]}).status == 204
    assert post(sim, "/quotas/account-groups/assign", {"organizations": [{"accountGroups": [{"aid": "5678", "value": 3}]}]}).status == 200
    assert sim.quotas != INITIAL
    other = Simulator()  # the scenario is shared and cached, the quota state is not
    assert other.quotas == INITIAL
    sim.reset()
    assert sim.quotas == INITIAL and get_quotas(sim) == [INITIAL_10]
    post(sim, "/quotas/assign", {"organizations": [{"value": 1}]})
    assert admin(sim.base_url, "POST", "/_sim/reset", {}).status == 200
    assert get_quotas(sim) == [INITIAL_10]
    sim.reset(scenario="near_quota")  # a scenario without quotas
    assert get_quotas(sim) == [{"organizationQuota": {"orgId": "10"}, "accountGroupQuotas": []}]


def test_quota_calls_share_the_rate_window_faults_and_log(sim):
    sim.reset(rate_limit=2)
    assert post(sim, "/quotas/assign", {"organizations": [{"value": 1}]}).status == 200
    assert call(sim.url + "/usage").status == 200
    limited = call(sim.url + "/quotas")
    assert limited.status == 429 and limited.headers["X-Organization-Rate-Limit-Remaining"] == "0"
    sim.reset(rate_limit=240)
    sim.queue_faults([{"status": 500}, {"drop": True}])
    assert post(sim, "/quotas/assign", {"organizations": [{"value": 99}]}).status == 500
    with pytest.raises((urllib.error.URLError, http.client.HTTPException, ConnectionError)):
        post(sim, "/quotas/unassign", {"organizations": ["10"]})
    assert sim.quotas == INITIAL  # faults answer before the handler runs
    assert [(entry["method"], entry["path"], entry["status"], entry["aid"], entry["org"]) for entry in sim.requests] == [
        ("POST", "/v7/quotas/assign", 500, "1234", "10"), ("POST", "/v7/quotas/unassign", None, "1234", "10")]
