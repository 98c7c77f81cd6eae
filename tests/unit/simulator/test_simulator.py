"""Tests for the ThousandEyes v7 Usage API simulator (tests/simulator), over real HTTP with urllib."""

import datetime
import http.client
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

import pytest

from simulator import Simulator, scenarios
from simulator.client import NOPERM, OTHER_ORG, RATE_HEADERS, TOKEN, admin, call
from simulator.ratelimit import SlidingWindow

ISO_Z = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
ALL_EXPANDS = "test,enterprise-agent,enterprise-agent-unit,endpoint-agent,endpoint-agent-essential,endpoint-agent-embedded"
LISTS = ("tests", "enterpriseAgents", "enterpriseAgentUnits", "endpointAgents", "endpointAgentsEssentials", "endpointAgentsEmbedded")
TESTS_DIR = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def usage(sim, query="", token=TOKEN):
    return call(sim.url + "/usage" + query, token=token)


# Server lifecycle


def test_binds_loopback_free_port_and_stops_cleanly():
    server = Simulator().start()
    port = server.port
    assert port > 0
    assert server.url == "http://127.0.0.1:%d/v7" % port
    assert server.base_url == "http://127.0.0.1:%d" % port
    assert usage(server).status == 200
    thread = server._thread
    server.stop()
    assert not thread.is_alive()
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen("http://127.0.0.1:%d/_sim/health" % port, timeout=2)
    server.stop()  # second stop is a no-op
    with pytest.raises(RuntimeError):
        dummy = server.url  # the property raises once the server is stopped


def test_unknown_scenario_is_rejected():
    with pytest.raises(ValueError, match="unknown scenario"):
        Simulator(scenario="no_such_scenario")


# GET /v7/usage


def test_usage_body_headers_and_self_link(sim):
    answer = usage(sim)
    assert answer.status == 200
    assert answer.headers["Content-Type"] == "application/hal+json"
    assert int(answer.headers["Content-Length"]) == len(answer.body)
    body = answer.json()
    assert body["_links"] == {"self": {"href": sim.url + "/usage"}}
    data = body["usage"]
    quota = data["quota"]
    assert quota["cloudUnitsIncluded"] == 100000
    assert quota["endpointAgentsIncluded"] == 50
    assert quota["endpointAgentsEssentialsIncluded"] == 20
    assert quota["enterpriseAgentsIncluded"] == 0
    assert "endpointAgentsEmbeddedIncluded" not in quota
    assert (data["cloudUnitsUsed"], data["cloudUnitsProjected"], data["cloudUnitsNextBillingPeriod"]) == (40000, 85000, 90000)
    assert data["enterpriseUnitsUsed"] > 0 and data["enterpriseUnitsProjected"] > 0
    assert data["connectedDevicesUnitsUsed"] > 0
    assert (data["endpointAgentsUsed"], data["endpointAgentsEssentialsUsed"]) == (30, 5)
    for name in LISTS:
        assert name not in data
    for name in RATE_HEADERS:
        assert answer.headers[name].isdigit()


def test_period_is_relative_to_now(sim):
    quota = usage(sim).json()["usage"]["quota"]
    assert ISO_Z.match(quota["monthStart"]) and ISO_Z.match(quota["monthEnd"])
    start = datetime.datetime.strptime(quota["monthStart"], "%Y-%m-%dT%H:%M:%SZ")
    end = datetime.datetime.strptime(quota["monthEnd"], "%Y-%m-%dT%H:%M:%SZ")
    now = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)
    assert (end - start).days == 30
    assert 12 <= (now - start).total_seconds() / 86400 < 13


def test_self_link_keeps_query(sim):
    answer = usage(sim, "?aid=5678&expand=test&unknown=1")
    assert answer.status == 200
    assert answer.json()["_links"]["self"]["href"] == sim.url + "/usage?aid=5678&expand=test&unknown=1"


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Basic dXNlcjpwYXNz"}, {"Authorization": "Bearer wrong-token"},
                                     {"Authorization": "Bearer"}])
def test_bad_auth_is_401(sim, headers):
    answer = call(sim.url + "/usage", token=None, headers=headers)
    assert answer.status == 401
    assert answer.headers["Content-Type"] == "application/json"
    assert answer.headers["WWW-Authenticate"] == "Bearer"
    assert answer.json() == {"error": "invalid_token", "error_description": "Invalid access token"}
    assert answer.headers["X-Organization-Rate-Limit-Remaining"] == "239"


def test_missing_permission_is_403(sim):
    answer = usage(sim, token=NOPERM)
    assert answer.status == 403
    assert answer.headers["Content-Type"] == "application/problem+json"
    assert answer.json() == {"type": "about:blank", "title": "Forbidden", "status": 403,
                             "detail": "Insufficient permissions to query endpoint", "instance": "/v7/usage"}


def test_invalid_aid_is_400(sim):
    answer = usage(sim, "?aid=42")
    assert answer.status == 400
    assert answer.headers["Content-Type"] == "application/problem+json"
    assert answer.json() == {"type": "about:blank", "title": "Invalid aid", "status": 400,
                             "detail": "The aid 42 is not valid for this user", "instance": "/v7/usage"}
    assert usage(sim, "?aid=9001").status == 400  # another organization's group


def test_any_aid_of_the_user_reports_the_whole_organization(sim):
    first = usage(sim, "?aid=1234&expand=test").json()["usage"]
    second = usage(sim, "?aid=5678&expand=test").json()["usage"]
    assert first == second
    assert set(test["aid"] for test in first["tests"]) == {"1234", "5678"}
    assert sim.requests[0]["aid"] == "1234" and sim.requests[1]["aid"] == "5678"


def test_other_organization_token(sim):
    answer = usage(sim, "?expand=test", token=OTHER_ORG)
    assert answer.status == 200
    data = answer.json()["usage"]
    assert data["quota"]["cloudUnitsIncluded"] == 50000
    assert {test["aid"] for test in data["tests"]} == {"9001"}
    assert sum(test["cloudUnitsUsed"] for test in data["tests"]) == data["cloudUnitsUsed"]
    assert usage(sim, "?aid=1234", token=OTHER_ORG).status == 400
    assert sim.requests[0]["org"] == "20"


@pytest.mark.parametrize("expand,name", [
    ("test", "tests"), ("enterprise-agent", "enterpriseAgents"), ("enterprise-agent-unit", "enterpriseAgentUnits"),
    ("endpoint-agent", "endpointAgents"), ("endpoint-agent-essential", "endpointAgentsEssentials"),
    ("endpoint-agent-embedded", "endpointAgentsEmbedded"),
])
def test_each_expand_adds_only_its_list(sim, expand, name):
    data = usage(sim, "?expand=" + expand).json()["usage"]
    assert isinstance(data[name], list)
    assert [other for other in LISTS if other in data] == [name]


def test_expanded_lists_match_totals(sim):
    data = usage(sim, "?expand=" + ALL_EXPANDS).json()["usage"]
    tests = data["tests"]
    assert 35 <= len(tests) <= 45
    assert sum(test["cloudUnitsUsed"] for test in tests) == data["cloudUnitsUsed"]
    assert sum(test["cloudUnitsProjected"] for test in tests) == data["cloudUnitsProjected"]
    assert set(tests[0]) == {"aid", "accountGroupName", "testId", "testName", "testType", "cloudUnitsUsed", "cloudUnitsProjected"}
    assert len(set(test["testId"] for test in tests)) == len(tests)
    assert sum(item["endpointAgentsUsed"] for item in data["endpointAgents"]) == 30
    assert sum(item["endpointAgentsEssentialsUsed"] for item in data["endpointAgentsEssentials"]) == 5
    assert sum(item["enterpriseAgentsUsed"] for item in data["enterpriseAgents"]) == data["enterpriseAgentsUsed"]
    units = data["enterpriseAgentUnits"]
    assert units and sum(item["enterpriseUnitsUsed"] for item in units) == data["enterpriseUnitsUsed"]
    assert set(units[0]) == {"aid", "accountGroupName", "agentId", "agentName", "enterpriseUnitsUsed", "enterpriseUnitsProjected"}
    assert data["endpointAgentsEmbedded"] == []


def test_expand_comma_separated_and_repeated(sim):
    both = usage(sim, "?expand=test,endpoint-agent").json()["usage"]
    repeated = usage(sim, "?expand=test&expand=endpoint-agent").json()["usage"]
    assert "tests" in both and "endpointAgents" in both
    assert both == repeated


def test_unknown_expand_is_400(sim):
    answer = usage(sim, "?expand=test,foo")
    assert answer.status == 400
    assert answer.headers["Content-Type"] == "application/problem+json"
    body = answer.json()
    assert body["title"] == "Request validation failed. There are invalid or missing fields"
    assert (body["type"], body["status"], body["instance"]) == ("about:blank", 400, "/v7/usage")
    assert body["detail"]
    assert body["errors"] == [{
        "code": "INVALID_VALUE", "field": "expand",
        "message": "Invalid value 'foo'. Allowed values: test, enterprise-agent, enterprise-agent-unit, endpoint-agent, "
                   "endpoint-agent-essential, endpoint-agent-embedded",
    }]


def test_unknown_paths_and_methods(sim):
    answer = call(sim.url + "/tests")
    assert answer.status == 404
    assert answer.headers["Content-Type"] == "application/problem+json"
    assert answer.json() == {"type": "about:blank", "title": "Not Found", "status": 404,
                             "detail": "No resource found at /v7/tests", "instance": "/v7/tests"}
    assert call(sim.base_url + "/other").json()["detail"] == "No resource found at /other"
    answer = call(sim.url + "/usage", method="POST", data=b"{}")
    assert answer.status == 405
    assert answer.json()["title"] == "Method Not Allowed"
    assert answer.headers["Allow"] == "GET"


# Rate limits


def test_rate_limit_window_and_429(sim):
    sim.reset(rate_limit=2, rate_window=2.0)
    first, second = usage(sim), usage(sim)
    assert (first.status, second.status) == (200, 200)
    assert first.headers["X-Organization-Rate-Limit-Limit"] == "2"
    assert [first.headers["X-Organization-Rate-Limit-Remaining"], second.headers["X-Organization-Rate-Limit-Remaining"]] == ["1", "0"]
    limited = usage(sim)
    assert limited.status == 429
    assert limited.headers["Content-Type"] == "application/problem+json"
    assert "Retry-After" not in limited.headers
    assert limited.headers["X-Organization-Rate-Limit-Remaining"] == "0"
    reset = int(limited.headers["X-Organization-Rate-Limit-Reset"])
    assert time.time() <= reset <= time.time() + 3
    assert limited.json() == {"type": "about:blank", "title": "Too Many Requests", "status": 429,
                              "detail": "Organization rate limit of 2 requests per 2 seconds exceeded", "instance": "/v7/usage"}
    # Other organizations and unauthenticated callers have their own windows.
    assert usage(sim, token=OTHER_ORG).status == 200
    assert usage(sim, token="nope").status == 401
    time.sleep(max(reset - time.time(), 0) + 0.05)
    assert usage(sim).status == 200  # 429s did not occupy the window
    assert [entry["status"] for entry in sim.requests] == [200, 200, 429, 200, 401, 200]


def test_sliding_window_refusals_take_no_slot():
    window = SlidingWindow(2, 1.0)
    first = window.hit("10", now=100.0)
    assert (first.allowed, first.remaining, first.reset) == (True, 1, 101)
    assert window.hit("10", now=100.2).remaining == 0
    for moment in (100.5, 100.9, 100.99):
        refused = window.hit("10", now=moment)
        assert (refused.allowed, refused.remaining, refused.reset) == (False, 0, 101)
    assert window.hit("20", now=100.5).allowed  # per organization
    # At 101.0 the first request has left the window; the refusals never entered it.
    assert window.hit("10", now=101.0).allowed
    assert not window.hit("10", now=101.1).allowed
    assert [window.hit("10", now=102.5).allowed for _i in range(3)] == [True, True, False]
    empty = window.peek("30", now=200.0)
    assert (empty.allowed, empty.remaining, empty.reset) == (True, 2, 201)
    assert [name for name, _value in empty.headers()] == list(RATE_HEADERS)
    with pytest.raises(ValueError):
        SlidingWindow(0, 60)


def test_rate_limit_counts_errors_too(sim):
    sim.reset(rate_limit=3)
    assert usage(sim, "?aid=42").status == 400
    assert usage(sim, token=NOPERM).status == 403
    answer = usage(sim)
    assert answer.headers["X-Organization-Rate-Limit-Remaining"] == "0"
    assert usage(sim).status == 429


# Faults


def test_queued_faults_are_fifo_one_per_request(sim):
    sim.queue_faults([{"status": 500}, {"status": 503}])
    first, second, third = usage(sim), usage(sim), usage(sim)
    assert [first.status, second.status, third.status] == [500, 503, 200]
    assert first.headers["Content-Type"] == "application/problem+json"
    assert first.json() == {"type": "about:blank", "title": "Internal Server Error", "status": 500,
                            "detail": "An unexpected error occurred", "instance": "/v7/usage"}
    assert second.json()["title"] == "Service Unavailable"
    assert second.json()["detail"] == "The service is under maintenance"
    assert first.headers["X-Organization-Rate-Limit-Remaining"] == "239"
    assert [entry["fault"] for entry in sim.requests] == [{"status": 500}, {"status": 503}, None]


def test_html_and_empty_gateway_faults(sim):
    sim.queue_faults([{"status": 502, "html": True}, {"status": 502, "empty": True}])
    html = usage(sim)
    assert html.status == 502
    assert html.headers["Content-Type"] == "text/html"
    assert html.body == (b"<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center>"
                         b"<hr><center>nginx</center></body></html>")
    empty = usage(sim)
    assert (empty.status, empty.body, empty.headers["Content-Length"]) == (502, b"", "0")


def test_legacy_error_fault(sim):
    sim.queue_faults([{"status": 404, "legacy": True}])
    answer = usage(sim)
    assert answer.status == 404
    body = answer.json()
    assert set(body) == {"timestamp", "httpStatus", "errors", "path"}
    assert (body["httpStatus"], body["path"], body["errors"][0]["code"]) == (404, "/v7/usage", "NOT_FOUND")


def test_rate_limited_fault(sim):
    sim.queue_faults([{"rate_limited": True}, {"rate_limited": True, "reset_in": 30, "retry_after": 7}])
    plain = usage(sim)
    assert plain.status == 429
    assert "Retry-After" not in plain.headers
    assert plain.headers["X-Organization-Rate-Limit-Remaining"] == "0"
    assert plain.json()["detail"] == "Organization rate limit of 240 requests per minute exceeded"
    forced = usage(sim)
    assert forced.status == 429
    assert forced.headers["Retry-After"] == "7"
    assert 28 <= int(forced.headers["X-Organization-Rate-Limit-Reset"]) - time.time() <= 31
    assert usage(sim).headers["X-Organization-Rate-Limit-Remaining"] == "239"  # faked 429s took no slot


def test_delay_fault_does_not_block_other_requests(sim):
    sim.queue_faults([{"delay": 1.0}])
    results = {}

    def slow():
        started = time.time()
        results["status"] = usage(sim).status
        results["elapsed"] = time.time() - started

    worker = threading.Thread(target=slow)
    worker.start()
    time.sleep(0.1)
    started = time.time()
    assert usage(sim).status == 200
    assert time.time() - started < 0.8
    worker.join(5)
    assert results["status"] == 200 and results["elapsed"] >= 1.0


def test_drop_fault_closes_without_response(sim):
    sim.queue_faults([{"drop": True}])
    with pytest.raises((urllib.error.URLError, http.client.HTTPException, ConnectionError)):
        usage(sim)
    assert sim.requests[0]["status"] is None and sim.requests[0]["fault"] == {"drop": True}
    assert usage(sim).status == 200


def test_malformed_fault(sim):
    sim.queue_faults([{"malformed": True}])
    answer = usage(sim)
    assert answer.status == 200
    assert answer.headers["Content-Type"] == "application/hal+json"
    with pytest.raises(ValueError):
        answer.json()


def test_truncate_fault(sim):
    sim.queue_faults([{"truncate": True}])
    conn = http.client.HTTPConnection("127.0.0.1", sim.port, timeout=5)
    try:
        conn.request("GET", "/v7/usage", headers={"Authorization": "Bearer " + TOKEN})
        resp = conn.getresponse()
        assert resp.status == 200
        assert int(resp.getheader("Content-Length")) > 100
        with pytest.raises(http.client.IncompleteRead) as caught:
            resp.read()
        assert 0 < len(caught.value.partial) < int(resp.getheader("Content-Length"))
    finally:
        conn.close()


def test_redirect_fault(sim):
    target = sim.url + "/usage?expand=test"
    sim.queue_faults([{"redirect": target, "status": 302}, {"redirect": "{base_url}/v7/usage", "status": 301}])
    answer = usage(sim)
    assert (answer.status, answer.headers["Location"]) == (302, target)
    moved = usage(sim)
    assert (moved.status, moved.headers["Location"]) == (301, sim.url + "/usage")


def test_scenario_wide_faults_apply_to_every_request(sim):
    sim.reset(faults=[{"status": 503}])
    assert [usage(sim).status for _i in range(3)] == [503, 503, 503]
    sim.queue_faults([{"status": 500}])
    assert usage(sim).status == 500  # the queued fault's keys win
    sim.reset(faults=[])
    assert usage(sim).status == 200


def test_invalid_faults_are_rejected(sim):
    with pytest.raises(ValueError, match="unknown fault keys"):
        sim.queue_faults([{"stauts": 500}])
    with pytest.raises(ValueError):
        sim.queue_faults([{"status": "500"}])
    with pytest.raises(ValueError):
        sim.queue_faults({"status": 500})
    assert sim.queued_faults == 0


# Request log


def test_request_log_entries_never_hold_the_token(sim):
    call(sim.url + "/usage?expand=test&aid=5678", headers={"User-Agent": "sim-test/1.0", "Accept": "application/hal+json"})
    call(sim.url + "/usage", token=None)
    call(sim.url + "/usage", token=None, headers={"Authorization": "Token abc"})
    admin(sim.base_url, "GET", "/_sim/health")
    log = sim.requests
    assert len(log) == 3
    first = log[0]
    assert set(first) >= {"method", "path", "query", "aid", "status", "authorization", "token_ok", "user_agent", "accept", "time", "fault"}
    assert (first["method"], first["path"], first["status"], first["aid"]) == ("GET", "/v7/usage", 200, "5678")
    assert first["query"] == {"expand": ["test"], "aid": ["5678"]}
    assert (first["authorization"], first["token_ok"]) == ("bearer", True)
    assert (first["user_agent"], first["accept"]) == ("sim-test/1.0", "application/hal+json")
    assert abs(first["time"] - time.time()) < 10
    assert [(entry["authorization"], entry["token_ok"], entry["status"]) for entry in log[1:]] == [
        ("missing", False, 401), ("other", False, 401)]
    dumped = json.dumps(log)
    assert TOKEN not in dumped and "Bearer" not in dumped and "abc" not in dumped


# Admin API


def test_admin_health_requests_and_faults(sim):
    health = admin(sim.base_url, "GET", "/_sim/health")
    assert health.status == 200 and health.headers["Content-Type"] == "application/json"
    assert health.json()["ok"] is True and health.json()["scenario"] == "default"
    assert "X-Organization-Rate-Limit-Limit" not in health.headers
    usage(sim)
    log = admin(sim.base_url, "GET", "/_sim/requests").json()
    assert log["count"] == 1 and log["requests"][0]["status"] == 200
    queued = admin(sim.base_url, "POST", "/_sim/faults", {"faults": [{"status": 500}, {"status": 502}]})
    assert queued.status == 200 and queued.json()["queued"] == 2
    assert admin(sim.base_url, "DELETE", "/_sim/faults").json()["queued"] == 0
    assert usage(sim).status == 200
    admin(sim.base_url, "POST", "/_sim/faults", {"faults": [{"status": 504}]})
    assert usage(sim).status == 504


def test_admin_reset_switches_scenario_and_limits(sim):
    usage(sim)
    sim.queue_faults([{"status": 500}])
    answer = admin(sim.base_url, "POST", "/_sim/reset", {"scenario": "legacy", "rate_limit": 1, "rate_window": 30})
    assert answer.status == 200 and answer.json()["scenario"] == "legacy"
    assert sim.requests == [] and sim.queued_faults == 0
    data = usage(sim).json()["usage"]
    assert data["quota"]["enterpriseAgentsIncluded"] > 0 and data["enterpriseUnitsUsed"] == 0
    assert usage(sim).status == 429
    for _i in range(5):
        assert admin(sim.base_url, "GET", "/_sim/health").status == 200  # never rate limited
    assert admin(sim.base_url, "POST", "/_sim/reset").json()["scenario"] == "legacy"
    assert usage(sim).status == 200  # reset cleared the window


@pytest.mark.parametrize("method,path,payload,status", [
    ("POST", "/_sim/faults", b"{not json", 400),
    ("POST", "/_sim/faults", b"[]", 400),
    ("POST", "/_sim/faults", b'{"faults": [{"bogus": 1}]}', 400),
    ("POST", "/_sim/reset", b'{"scenario": "nope"}', 400),
    ("POST", "/_sim/reset", b'{"rate_limit": 0}', 400),
    ("GET", "/_sim/nothing", None, 404),
    ("GET", "/_sim/faults", None, 405),
])
def test_admin_bad_input(sim, method, path, payload, status):
    answer = call(sim.base_url + path, token=None, method=method, data=payload)
    assert answer.status == status
    assert answer.headers["Content-Type"] == "application/json"
    assert answer.json()["error_description"]
    assert admin(sim.base_url, "GET", "/_sim/health").json()["scenario"] == "default"


# Scenarios


@pytest.mark.parametrize("name", [name for name in scenarios.available() if name != "large"])
def test_each_scenario_serves_consistent_lists(sim, name):
    sim.reset(scenario=name)
    answer = usage(sim, "?expand=" + ALL_EXPANDS)
    assert answer.status == 200
    data = answer.json()["usage"]
    assert sum(test["cloudUnitsUsed"] for test in data["tests"]) == data["cloudUnitsUsed"]
    assert ISO_Z.match(data["quota"]["monthStart"])


def test_required_scenarios_ship():
    assert {"default", "legacy", "near_quota", "over_quota", "missing_fields", "extra_fields", "large"} <= set(scenarios.available())


def test_quota_scenarios(sim):
    sim.reset(scenario="near_quota")
    data = usage(sim).json()["usage"]
    included = data["quota"]["cloudUnitsIncluded"]
    assert (data["cloudUnitsUsed"] * 100 // included, data["cloudUnitsProjected"] * 100 // included) == (60, 97)
    sim.reset(scenario="over_quota")
    data = usage(sim).json()["usage"]
    assert data["cloudUnitsUsed"] * 100 // data["quota"]["cloudUnitsIncluded"] == 104
    assert data["endpointAgentsUsed"] > data["quota"]["endpointAgentsIncluded"]


def test_missing_fields_scenario(sim):
    sim.reset(scenario="missing_fields")
    data = usage(sim, "?expand=test,enterprise-agent-unit").json()["usage"]
    assert "endpointAgentsEmbeddedIncluded" not in data["quota"]
    assert not [key for key in data if key.startswith("enterpriseUnits")]
    new_tests = [test for test in data["tests"] if "cloudUnitsProjected" not in test]
    assert len(new_tests) == 5
    assert any("agentId" not in agent for agent in data["enterpriseAgentUnits"])


def test_extra_fields_scenario(sim):
    sim.reset(scenario="extra_fields")
    data = usage(sim, "?expand=test").json()["usage"]
    assert data["quantumUnitsUsed"] == 5
    assert data["allocations"]["allocations"][0]["productName"]
    assert data["quota"]["quantumUnitsIncluded"] == 10
    assert all(test["testLabels"] == ["production", "web"] for test in data["tests"])


def test_other_scenarios_inherit_default_tokens(sim):
    sim.reset(scenario="over_quota")
    assert usage(sim, token=NOPERM).status == 403
    assert usage(sim, token=OTHER_ORG).json()["usage"]["quota"]["cloudUnitsIncluded"] == 50000


def test_large_scenario_generation():
    started = time.time()
    large = scenarios.load("large", cache=False)
    assert time.time() - started < 2.0
    org = large.organizations["10"]
    tests = org.lists["tests"]
    assert len(tests) == 100000
    assert sum(test["cloudUnitsUsed"] for test in tests) == org.totals["cloudUnitsUsed"]
    assert len(set(test["testId"] for test in tests)) == 100000
    assert set(test["aid"] for test in tests) == set(org.groups)
    again = scenarios.load("large", cache=False).organizations["10"].lists["tests"]
    assert again[12345] == tests[12345]  # deterministic


def test_large_scenario_over_http(sim):
    sim.reset(scenario="large")
    started = time.time()
    answer = usage(sim, "?expand=test")
    assert time.time() - started < 10
    assert answer.status == 200
    assert len(answer.json()["usage"]["tests"]) == 100000


def test_scenario_from_path_with_explicit_lists(tmp_path):
    path = tmp_path / "custom.json"
    path.write_text(json.dumps({
        "tokens": {"custom-token": {"org": "7", "aids": ["70"], "permissions": ["View organization usage"]}},
        "organizations": {"7": {
            "account_groups": {"70": "Seven"},
            "period": {"monthStart": "2026-01-05T00:00:00Z", "monthEnd": "2026-02-05T00:00:00Z"},
            "quota": {"cloudUnitsIncluded": 10},
            "usage": {"cloudUnitsUsed": 3},
            "lists": {"tests": [{"aid": "70", "testId": "1", "cloudUnitsUsed": 3}]},
        }},
        "faults": [{"delay": 0}],
    }))
    with Simulator(scenario=str(path)) as custom:
        answer = usage(custom, "?expand=test", token="custom-token")
        assert answer.status == 200
        assert answer.json()["usage"] == {
            "quota": {"monthStart": "2026-01-05T00:00:00Z", "monthEnd": "2026-02-05T00:00:00Z", "cloudUnitsIncluded": 10},
            "cloudUnitsUsed": 3,
            "tests": [{"aid": "70", "testId": "1", "cloudUnitsUsed": 3}],
        }
        assert usage(custom).status == 401  # this scenario defines its own tokens
        assert custom.scenario == "custom"


def test_invalid_scenario_file(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text(json.dumps({"tokens": {"t": {"org": "1", "aids": ["1"]}}, "organizations": {}}))
    with pytest.raises(ValueError, match="unknown organization"):
        Simulator(scenario=str(path))


# CLI


def test_cli_serves_until_sigterm(tmp_path):
    port_file = tmp_path / "port"
    env = dict(os.environ, PYTHONPATH=TESTS_DIR)
    proc = subprocess.Popen(
        [sys.executable, "-m", "simulator", "--scenario", "near_quota", "--port-file", str(port_file),
         "--rate-window", "30", "--fault", '{"status": 503}'],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.time() + 10
        while not port_file.exists() and time.time() < deadline:
            time.sleep(0.05)
        port = int(port_file.read_text().strip())
        line = proc.stdout.readline().decode("utf-8")
        assert line == "ThousandEyes API simulator listening on http://127.0.0.1:%d/v7 (scenario near_quota)\n" % port
        base = "http://127.0.0.1:%d" % port
        assert call(base + "/v7/usage").status == 503
        health = call(base + "/_sim/health", token=None).json()
        assert (health["scenario"], health["rate_window"]) == ("near_quota", 30.0)
    finally:
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=10)
    assert proc.returncode == 0, err
    assert out == b"" and err == b""


def test_cli_rejects_unknown_scenario():
    env = dict(os.environ, PYTHONPATH=TESTS_DIR)
    proc = subprocess.run([sys.executable, "-m", "simulator", "--scenario", "nope"], env=env,
                          capture_output=True, timeout=20, check=False)
    assert proc.returncode == 2
    assert b"unknown scenario" in proc.stderr
