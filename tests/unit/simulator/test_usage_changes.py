"""Tests for changing what GET /v7/usage reports between requests (Simulator.set_usage, POST /_sim/usage)."""

import pytest

from simulator.client import OTHER_ORG, admin, call


def usage(sim, token=None):
    return call(sim.url + "/usage", **({"token": token} if token else {})).json()["usage"]


def test_changes_show_in_the_next_answer_and_add_up(sim):
    before = usage(sim)
    answer = admin(sim.base_url, "POST", "/_sim/usage", {"org": "10", "set": {"cloudUnitsProjected": 95000}})
    assert answer.status == 200 and answer.json() == {"ok": True, "org": "10", "set": {"cloudUnitsProjected": 95000}}
    after = usage(sim)
    assert (before["cloudUnitsProjected"], after["cloudUnitsProjected"]) == (85000, 95000)
    assert after["cloudUnitsUsed"] == before["cloudUnitsUsed"]

    sim.set_usage(10, {"cloudUnitsUsed": 41000, "quota": {"monthStart": "2030-01-01T00:00:00Z"}})
    later = usage(sim)
    assert (later["cloudUnitsProjected"], later["cloudUnitsUsed"]) == (95000, 41000)
    assert later["quota"]["monthStart"] == "2030-01-01T00:00:00Z"
    assert later["quota"]["monthEnd"] == before["quota"]["monthEnd"]  # merged into the quota object, not replacing it
    assert later["quota"]["cloudUnitsIncluded"] == 100000
    assert usage(sim, OTHER_ORG)["cloudUnitsProjected"] == 26000  # another organization is unchanged


def test_reset_forgets_the_changes(sim):
    sim.set_usage("10", {"cloudUnitsProjected": 1})
    admin(sim.base_url, "POST", "/_sim/reset", {})
    assert usage(sim)["cloudUnitsProjected"] == 85000
    assert sim.usage_changes == {}


def test_scenarios_are_shared_so_changes_stay_in_one_simulator(sim):
    from simulator import Simulator

    sim.set_usage("10", {"cloudUnitsProjected": 1})
    with Simulator() as other:
        assert usage(other)["cloudUnitsProjected"] == 85000


@pytest.mark.parametrize("payload,message", [
    ({"org": "99", "set": {"cloudUnitsProjected": 1}}, "unknown organization '99'"),
    ({"org": "10", "set": [1]}, '"set" must be a JSON object'),
    ({"org": "10", "set": {"quota": 5}}, '"set.quota" must be a JSON object'),
    ({"org": "10"}, 'the body must be {"org": ID, "set"'),
    ({"org": "10", "set": {}, "bogus": 1}, "unknown keys: bogus"),
])
def test_bad_changes_answer_400(sim, payload, message):
    answer = admin(sim.base_url, "POST", "/_sim/usage", payload)
    assert answer.status == 400
    assert message in answer.json()["error_description"]
    assert sim.usage_changes == {}
