"""Shared fixtures of the simulator unit tests."""

import pytest

from simulator import Simulator


@pytest.fixture(scope="module")
def sim():
    """One simulator per test module, on a free loopback port."""
    with Simulator() as server:
        yield server


@pytest.fixture(autouse=True)
def fresh(request):
    """Every test using `sim` starts from the default scenario (240 requests per 60 s, no faults) with a clean log, windows and fault queue."""
    if "sim" in request.fixturenames:
        request.getfixturevalue("sim").reset(scenario="default", rate_limit=240, rate_window=60.0, faults=[])
