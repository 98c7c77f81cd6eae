"""Tests for the simulator's paginated units endpoints: /v7/usage/units/tests and /v7/usage/units/enterprise-agents."""

import base64
import os
import signal
import subprocess
import sys
import time
import urllib.parse
from urllib.parse import parse_qs, parse_qsl, urlsplit

import pytest

from simulator import Simulator, scenarios
from simulator.client import NOPERM, OTHER_ORG, RATE_HEADERS, TOKEN, VIEWER, admin, call

TEST_KEYS = {"aid", "accountGroupName", "testId", "testName", "testType", "isInstantTest",
             "cloudUnitsUsed", "cloudUnitsProjected", "enterpriseUnitsUsed", "enterpriseUnitsProjected"}
AGENT_KEYS = {"aid", "accountGroupName", "agentId", "agentName", "enterpriseUnitsUsed", "enterpriseUnitsProjected"}
TESTS_DIR = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEFAULT_ROWS = 43  # 40 tests of the default scenario plus 3 instant tests


def url_tests(sim, query=""):
    return sim.url + "/usage/units/tests" + query


def url_agents(sim, query=""):
    return sim.url + "/usage/units/enterprise-agents" + query


def walk(url, token=TOKEN, limit=2000):
    """Every page from `url` on, following next links; stops when a cursor repeats."""
    pages, seen = [], set()
    while url and len(pages) < limit:
        answer = call(url, token=token)
        assert answer.status == 200, answer.body
        body = answer.json()
        pages.append(body)
        url = body["_links"].get("next", {}).get("href")
        cursor = parse_qs(urlsplit(url).query)["cursor"][0] if url else None
        if cursor in seen:
            break
        seen.add(cursor)
    return pages


def rows_of(pages):
    return [row for page in pages for row in page["breakdowns"]]


def usage_data(sim, expand):
    return call(sim.url + "/usage?expand=" + expand).json()["usage"]


def assert_validation(answer, field, instance="/v7/usage/units/tests"):
    assert answer.status == 400
    assert answer.headers["Content-Type"] == "application/problem+json"
    body = answer.json()
    assert body["title"] == "Request validation failed. There are invalid or missing fields"
    assert (body["type"], body["status"], body["instance"]) == ("about:blank", 400, instance)
    assert field in [error["field"] for error in body["errors"]]
    assert all(set(error) == {"code", "field", "message"} for error in body["errors"])


# Pagination


def test_pages_keep_query_and_last_page_has_no_next(sim):
    sim.reset(page_size=15)
    query = "?aid=5678&startDate=2022-07-17T22:00:54Z&endDate=2022-07-18T00:00:00Z&foo=bar"
    first = call(url_tests(sim, query))
    assert first.status == 200
    assert first.headers["Content-Type"] == "application/hal+json"
    for name in RATE_HEADERS:
        assert first.headers[name].isdigit()
    body = first.json()
    assert set(body) == {"breakdowns", "_links"}
    assert body["_links"]["self"] == {"href": url_tests(sim, query)}
    pages = [body] + walk(body["_links"]["next"]["href"])
    assert [len(page["breakdowns"]) for page in pages] == [15, 15, 13]
    cursors = []
    for page in pages[:-1]:
        href = page["_links"]["next"]["href"]
        assert href.startswith(url_tests(sim) + "?")
        params = parse_qsl(urlsplit(href).query, keep_blank_values=True)
        assert [name for name, _value in params] == ["aid", "startDate", "endDate", "foo", "cursor"]
        assert dict(params)["startDate"] == "2022-07-17T22:00:54Z" and dict(params)["foo"] == "bar"
        assert dict(params)["aid"] == "5678" and dict(params)["endDate"] == "2022-07-18T00:00:00Z"
        cursors.append(dict(params)["cursor"])
    assert len(set(cursors)) == 2
    assert set(pages[-1]["_links"]) == {"self"}
    assert pages[1]["_links"]["self"]["href"] == pages[0]["_links"]["next"]["href"]
    rows = rows_of(pages)
    assert len(rows) == DEFAULT_ROWS and len({row["testId"] for row in rows}) == DEFAULT_ROWS
    sim.reset()
    assert rows_of(walk(url_tests(sim, "?aid=1234"))) == rows  # same rows whatever the page size, aid or dates


def test_default_page_size_is_100():
    plain = Simulator()
    assert plain.page_size == 100
    sized = Simulator(page_size=7)
    sized.reset(page_size=3)
    assert sized.page_size == 3
    sized.reset()  # back to the size it was created with
    assert sized.page_size == 7
    for bad in (0, -1, True, "5", 2.5):
        with pytest.raises(ValueError):
            Simulator(page_size=bad)
    with pytest.raises(ValueError):
        sized.reset(page_size=0)
    with pytest.raises(ValueError):
        sized.reset(repeat_cursor="yes")


def test_single_page_by_default(sim):
    body = call(url_tests(sim)).json()
    assert len(body["breakdowns"]) == DEFAULT_ROWS
    assert body["_links"] == {"self": {"href": url_tests(sim)}}


@pytest.mark.parametrize("cursor", ["abc", "!!!", "", "MTUuZGVhZGJlZWZkZWFk", base64.urlsafe_b64encode(b"15.").decode("ascii")])
def test_bad_cursor_is_400(sim, cursor):
    assert_validation(call(url_tests(sim, "?cursor=" + cursor)), "cursor")


def test_cursor_is_bound_to_endpoint_organization_and_scenario(sim):
    sim.reset(page_size=2)
    tests_next = call(url_tests(sim)).json()["_links"]["next"]["href"]
    agents_next = call(url_agents(sim)).json()["_links"]["next"]["href"]
    tests_cursor = parse_qs(urlsplit(tests_next).query)["cursor"][0]
    agents_cursor = parse_qs(urlsplit(agents_next).query)["cursor"][0]
    assert_validation(call(url_agents(sim, "?cursor=" + tests_cursor)), "cursor", "/v7/usage/units/enterprise-agents")
    assert_validation(call(url_tests(sim, "?cursor=" + agents_cursor)), "cursor")
    assert_validation(call(url_tests(sim, "?cursor=" + tests_cursor), token=OTHER_ORG), "cursor")
    assert call(url_tests(sim, "?aid=5678&cursor=" + tests_cursor)).status == 200  # same organization
    sim.reset(scenario="large", page_size=2)
    assert_validation(call(url_tests(sim, "?cursor=" + tests_cursor)), "cursor")


def test_cursor_past_the_end_is_400(sim):
    sim.reset(page_size=40)
    href = call(url_tests(sim)).json()["_links"]["next"]["href"]  # offset 40 of 43
    assert call(href).status == 200
    sim.reset(scenario="legacy", page_size=40)  # 33 rows, same organization id
    assert_validation(call(href), "cursor")


def test_repeat_cursor_reset_option(sim):
    sim.reset(page_size=10, repeat_cursor=True)
    assert sim.health()["repeat_cursor"] is True
    first = call(url_tests(sim)).json()
    second_url = first["_links"]["next"]["href"]
    second = call(second_url).json()
    assert second["_links"]["next"]["href"] == second_url  # the same cursor again
    assert call(second_url).json() == second
    pages = walk(url_tests(sim))
    assert len(pages) == 2  # a client that stops on a repeated cursor ends here
    sim.reset(page_size=10)
    assert sim.health()["repeat_cursor"] is False
    assert len(walk(url_tests(sim))) == 5


def test_repeat_cursor_on_the_last_page_still_links_itself(sim):
    sim.reset(page_size=40, repeat_cursor=True)
    last_url = call(url_tests(sim)).json()["_links"]["next"]["href"]
    last = call(last_url).json()
    assert len(last["breakdowns"]) == 3
    assert last["_links"]["next"]["href"] == last_url


def test_repeat_cursor_fault(sim):
    sim.reset(page_size=20)
    first = call(url_agents(sim, "?x=1")).json()
    assert first["_links"] == {"self": {"href": url_agents(sim, "?x=1")}}  # 6 rows: one page
    sim.reset(page_size=2)
    second_url = call(url_agents(sim)).json()["_links"]["next"]["href"]
    sim.queue_faults([{"repeat_cursor": True}])
    assert call(second_url).json()["_links"]["next"]["href"] == second_url
    assert call(second_url).json()["_links"]["next"]["href"] != second_url  # queued faults last one request
    assert sim.requests[-2]["fault"] == {"repeat_cursor": True}
    with pytest.raises(ValueError):
        sim.queue_faults([{"repeat_cursor": 1}])


def test_admin_reset_page_size_and_repeat_cursor(sim):
    def admin_reset(payload):
        return admin(sim.base_url, "POST", "/_sim/reset", payload)

    answer = admin_reset({"page_size": 10, "repeat_cursor": True})
    assert answer.status == 200
    assert (answer.json()["page_size"], answer.json()["repeat_cursor"]) == (10, True)
    assert len(call(url_tests(sim)).json()["breakdowns"]) == 10
    assert (admin_reset({}).json()["page_size"], sim.health()["repeat_cursor"]) == (100, False)
    for bad in ({"page_size": 0}, {"page_size": "10"}, {"repeat_cursor": "yes"}):
        assert admin_reset(bad).status == 400
    assert sim.page_size == 100


# Dates


@pytest.mark.parametrize("field", ["startDate", "endDate"])
@pytest.mark.parametrize("value", ["2022-07-17", "2022-07-17T22:00:54", "2022-07-17T22:00:54.000Z", "2022-07-17 22:00:54Z",
                                   "2022-07-17T22:00:54+00:00", "2022-13-01T00:00:00Z", "2022-02-30T00:00:00Z",
                                   "2022-07-17T24:00:00Z", "", "yesterday", "\u0662022-07-17T22:00:54Z"])
def test_malformed_dates_are_400(sim, field, value):
    answer = call(url_tests(sim, "?" + field + "=" + urllib.parse.quote(value)))
    assert_validation(answer, field)
    assert [error["field"] for error in answer.json()["errors"]] == [field]


def test_end_before_start_is_400(sim):
    answer = call(url_agents(sim, "?startDate=2022-07-18T00:00:00Z&endDate=2022-07-17T23:59:59Z"))
    assert_validation(answer, "endDate", "/v7/usage/units/enterprise-agents")


@pytest.mark.parametrize("query", ["?startDate=2022-07-17T22:00:54Z", "?endDate=2022-07-17T22:00:54Z",
                                   "?startDate=2022-07-17T22:00:54Z&endDate=2022-07-17T22:00:54Z"])
def test_valid_dates_alone_or_together(sim, query):
    for url in (url_tests(sim, query), url_agents(sim, query)):
        answer = call(url)
        assert answer.status == 200
        assert answer.json()["_links"]["self"]["href"] == url


# Test rows


def test_test_rows_follow_usage_tests_plus_instant_tests(sim):
    rows = call(url_tests(sim)).json()["breakdowns"]
    usage = usage_data(sim, "test")
    regular = [row for row in rows if not row["isInstantTest"]]
    instant = [row for row in rows if row["isInstantTest"]]
    assert len(regular) == len(usage["tests"]) == 40
    assert len(instant) == 3
    assert all(set(row) == TEST_KEYS for row in rows)
    assert all(isinstance(row["isInstantTest"], bool) for row in rows)
    for row, test in zip(regular, usage["tests"], strict=False):
        assert dict((key, row[key]) for key in test) == test
    assert {row["aid"] for row in rows} == {"1234", "5678"}  # the whole organization
    assert not {row["testId"] for row in instant} & {row["testId"] for row in regular}
    assert all(row["cloudUnitsUsed"] > 0 for row in instant)
    assert all(row["cloudUnitsProjected"] == row["cloudUnitsUsed"] for row in instant)  # one-off: nothing more to come
    assert sum(row["cloudUnitsUsed"] for row in regular) == usage["cloudUnitsUsed"]
    assert sum(row["enterpriseUnitsUsed"] for row in rows) == usage["enterpriseUnitsUsed"]
    assert sum(row["enterpriseUnitsProjected"] for row in rows) == usage["enterpriseUnitsProjected"]


def test_test_rows_aid_rules_and_permissions(sim):
    whole = call(url_tests(sim)).json()["breakdowns"]
    assert call(url_tests(sim, "?aid=5678")).json()["breakdowns"] == whole
    assert call(url_tests(sim), token=VIEWER).json()["breakdowns"] == whole
    answer = call(url_tests(sim, "?aid=42"))
    assert answer.status == 400
    assert answer.json() == {"type": "about:blank", "title": "Invalid aid", "status": 400,
                             "detail": "The aid 42 is not valid for this user", "instance": "/v7/usage/units/tests"}
    assert call(url_tests(sim, "?aid=1234"), token=OTHER_ORG).status == 400
    other = call(url_tests(sim), token=OTHER_ORG).json()["breakdowns"]
    assert {row["aid"] for row in other} == {"9001"}
    for url in (url_tests(sim), url_agents(sim)):
        forbidden = call(url, token=NOPERM)
        assert forbidden.status == 403
        assert forbidden.headers["Content-Type"] == "application/problem+json"
        assert forbidden.json()["detail"] == "Insufficient permissions to query endpoint"
        assert call(url, token="nope").status == 401


def test_scenarios_without_fields_invent_none(sim):
    sim.reset(scenario="missing_fields")
    rows = call(url_tests(sim)).json()["breakdowns"]
    assert not [row for row in rows if "enterpriseUnitsUsed" in row or "enterpriseUnitsProjected" in row]
    assert len([row for row in rows if "cloudUnitsProjected" not in row]) == 5
    agents = call(url_agents(sim)).json()["breakdowns"]
    assert any("agentId" not in row for row in agents)
    sim.reset(scenario="extra_fields")
    regular = [row for row in call(url_tests(sim)).json()["breakdowns"] if not row["isInstantTest"]]
    assert all(row["testLabels"] == ["production", "web"] for row in regular)


# Enterprise-agent rows


def agent_totals(rows, field):
    totals = {}
    for row in rows:
        totals[row["agentId"]] = totals.get(row["agentId"], 0) + row[field]
    return totals


@pytest.mark.parametrize("name", ["default", "near_quota", "over_quota"])
def test_agent_rows_split_shared_agents_and_match_usage(sim, name):
    sim.reset(scenario=name, page_size=3)
    rows = rows_of(walk(url_agents(sim)))
    units = usage_data(sim, "enterprise-agent-unit")["enterpriseAgentUnits"]
    assert all(set(row) == AGENT_KEYS for row in rows)
    assert len({unit["agentId"] for unit in units}) == len(units)  # /usage: one row per agent
    for field in ("enterpriseUnitsUsed", "enterpriseUnitsProjected"):
        assert agent_totals(rows, field) == dict((unit["agentId"], unit[field]) for unit in units)
    by_agent = {}
    for row in rows:
        by_agent.setdefault(row["agentId"], []).append(row["aid"])
    assert any(len(aids) > 1 for aids in by_agent.values())  # some agents are shared
    assert all(len(set(aids)) == len(aids) for aids in by_agent.values())  # one row per account group
    for unit in units:  # the primary account group of /usage comes first
        assert by_agent[unit["agentId"]][0] == unit["aid"]
    names = dict((row["aid"], row["accountGroupName"]) for row in rows)
    assert names == {"1234": "Acme Production", "5678": "Acme Staging"}


def test_agent_and_test_rows_agree_per_account_group(sim):
    agents = call(url_agents(sim)).json()["breakdowns"]
    tests = call(url_tests(sim)).json()["breakdowns"]
    for aid in ("1234", "5678"):
        assert (sum(row["enterpriseUnitsUsed"] for row in agents if row["aid"] == aid)
                == sum(row["enterpriseUnitsUsed"] for row in tests if row["aid"] == aid))


def test_agents_endpoint_ignores_aid(sim):
    plain = call(url_agents(sim)).json()["breakdowns"]
    assert call(url_agents(sim, "?aid=42")).json()["breakdowns"] == plain
    assert call(url_agents(sim, "?aid=5678")).json()["breakdowns"] == plain
    assert [entry["aid"] for entry in sim.requests] == ["1234", "1234", "1234"]  # logged in the default group
    other = call(url_agents(sim, "?aid=1234"), token=OTHER_ORG).json()["breakdowns"]
    assert {row["aid"] for row in other} == {"9001"}


# The large scenario


def test_large_scenario_pages(sim):
    sim.reset(scenario="large", rate_limit=5000)
    started = time.time()
    pages = walk(url_tests(sim))
    assert time.time() - started < 20
    assert len(pages) == 1000
    rows = rows_of(pages)
    assert len(rows) == 100000
    assert len({row["testId"] for row in rows}) == 100000
    assert not [row for row in rows if row["isInstantTest"]]
    assert len(sim.requests) == 1000
    assert sum(row["cloudUnitsUsed"] for row in rows) == scenarios.load("large").organizations["10"].totals["cloudUnitsUsed"]


# Shared pipeline: methods, rate limits, faults, log


def test_units_methods_rate_limits_and_faults(sim):
    answer = call(url_tests(sim), method="POST", data=b"{}")
    assert answer.status == 405 and answer.headers["Allow"] == "GET"
    assert call(sim.url + "/usage/units").status == 404
    sim.reset(rate_limit=3)
    statuses = [call(url).status for url in (url_tests(sim), url_agents(sim), sim.url + "/usage", url_tests(sim))]
    assert statuses == [200, 200, 200, 429]  # one window for the organization
    sim.reset(rate_limit=240)
    sim.queue_faults([{"status": 503}, {"malformed": True}])
    failed = call(url_agents(sim))
    assert failed.status == 503 and failed.headers["X-Organization-Rate-Limit-Remaining"] == "239"
    broken = call(url_tests(sim))
    assert broken.status == 200
    with pytest.raises(ValueError):
        broken.json()
    log = sim.requests
    assert [(entry["path"], entry["status"], entry["org"]) for entry in log] == [
        ("/v7/usage/units/enterprise-agents", 503, "10"), ("/v7/usage/units/tests", 200, "10")]


def test_cli_page_size(tmp_path):
    port_file = tmp_path / "port"
    env = dict(os.environ, PYTHONPATH=TESTS_DIR)
    with subprocess.Popen([sys.executable, "-m", "simulator", "--page-size", "5", "--port-file", str(port_file)],
                          env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as proc:
        try:
            deadline = time.time() + 10
            while not port_file.exists() and time.time() < deadline:
                time.sleep(0.05)
            base = "http://127.0.0.1:%d" % int(port_file.read_text().strip())
            assert len(call(base + "/v7/usage/units/tests").json()["breakdowns"]) == 5
            assert call(base + "/_sim/health", token=None).json()["page_size"] == 5
        finally:
            proc.send_signal(signal.SIGTERM)
            _out, err = proc.communicate(timeout=10)
    assert proc.returncode == 0, err
