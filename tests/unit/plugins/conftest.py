# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures for the plugin tests: scripted HTTP servers on 127.0.0.1 (the HTTP boundary) and a fake clock."""

from __future__ import annotations

import pytest

from ansible_collections.thousandeyes.usage.tests.unit.plugins.scripted_http import FakeClock, ScriptedServer


@pytest.fixture
def server():
    srv = ScriptedServer()
    yield srv
    srv.close()


@pytest.fixture
def other_server():
    srv = ScriptedServer()
    yield srv
    srv.close()


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def shown(monkeypatch):
    """What the plugins show through ansible-core's Display (one object per process): warnings, deprecations (their
    keyword arguments and msg) and -vvv lines as (host, msg)."""
    from ansible.utils.display import Display

    calls = {'warning': [], 'deprecated': [], 'vvv': []}
    display = Display()
    monkeypatch.setattr(display, 'warning', lambda msg, *args, **kwargs: calls['warning'].append(msg))
    monkeypatch.setattr(display, 'deprecated', lambda msg, *args, **kwargs: calls['deprecated'].append(dict(kwargs, msg=msg)))
    monkeypatch.setattr(display, 'vvv', lambda msg, host=None: calls['vvv'].append((host, msg)))
    return calls


@pytest.fixture(autouse=True)
def module_warnings(monkeypatch):
    """AnsibleModule's warnings and deprecations are process-wide (on ansible-core < 2.19 the argument spec validator
    of an action plugin adds to them too): each test starts with none."""
    from ansible.module_utils.common import warnings

    for name in ('_global_warnings', '_global_deprecations'):
        value = getattr(warnings, name, None)
        if value is not None:
            monkeypatch.setattr(warnings, name, type(value)())
