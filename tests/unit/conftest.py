"""Shared pytest setup for the unit tests."""

import os
import sys

import pytest

# Put tests/ on sys.path so `import simulator` finds the ThousandEyes API simulator (tests/simulator/).
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# Every environment variable an option falls back to: none may leak in from the shell running the tests.
FALLBACK_VARIABLES = ('THOUSANDEYES_TOKEN', 'TE_TOKEN', 'THOUSANDEYES_API_URL', 'THOUSANDEYES_AID', 'TE_AID',
                      'THOUSANDEYES_CACHE_PLUGIN', 'THOUSANDEYES_CACHE_CONNECTION', 'THOUSANDEYES_CACHE_TIMEOUT',
                      'THOUSANDEYES_CACHE_PREFIX')


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    for name in FALLBACK_VARIABLES:
        monkeypatch.delenv(name, raising=False)
