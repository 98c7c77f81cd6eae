# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The usage_monitor event source against the API simulator (see conftest.py): which events each poll brings, how it
waits, and what stops it."""

from __future__ import annotations

import asyncio
import json
import logging
import re

import pytest

from ansible_collections.thousandeyes.usage.plugins.module_utils import _api
from ansible_collections.thousandeyes.usage.plugins.module_utils._errors import ThousandEyesError
from simulator.client import NOPERM, TOKEN

PROJECTED = 'cloud_units_projected_pct'
BAD_TOKEN = 'not-a-valid-token-6f5e4d'


def args(sim, **options):
    return dict({'token': TOKEN, 'api_url': sim.url, 'interval': 300, 'thresholds': {PROJECTED: 90}}, **options)


def kinds(events):
    return [(event['type'], event['metric']) for event in events]


def usage_polls(sim):
    return [entry for entry in sim.requests if entry['path'] == '/v7/usage']


def test_transitions_only_with_a_key_that_outlives_a_restart(sim, source, caplog):
    caplog.set_level(logging.DEBUG)

    async def run():
        watch = source(args(sim, eda_feedback_queue=asyncio.Queue()))  # ansible-rulebook's own keys are ignored
        state = await watch.poll()
        assert kinds(state) == [('state', None)]
        assert (state[0]['value'], state[0]['threshold'], state[0]['aid']) == (None, None, None)
        assert state[0]['quota_status']['cloud_units']['projected_pct'] == 85
        assert state[0]['usage']['cloud_units_projected'] == 85000 and state[0]['headroom']['cloud_units'] > 0
        assert re.match(r'^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$', state[0]['observed_at'])

        sim.set_usage('10', {'cloudUnitsProjected': 95000})
        crossed = await watch.poll()
        assert kinds(crossed) == [('threshold_crossed', PROJECTED)]
        assert (crossed[0]['value'], crossed[0]['threshold']) == (95, 90)
        assert re.match(r'^[0-9a-f]{16}$', crossed[0]['dedupe_key']) and crossed[0]['dedupe_key'] != state[0]['dedupe_key']

        assert await watch.poll() == []  # still above: no repeat
        sim.set_usage('10', {'cloudUnitsProjected': 97000})
        assert await watch.poll() == []

        restarted = source(args(sim))  # a restart (nothing kept) while above: the same keys again
        again = await restarted.poll()
        assert kinds(again) == [('state', None), ('threshold_crossed', PROJECTED)]
        assert [event['dedupe_key'] for event in again] == [state[0]['dedupe_key'], crossed[0]['dedupe_key']]
        sim.set_usage('10', {'cloudUnitsProjected': 80000})
        cleared = await restarted.poll()
        assert kinds(cleared) == [('threshold_cleared', PROJECTED)]
        assert (cleared[0]['value'], cleared[0]['dedupe_key']) == (80, crossed[0]['dedupe_key'])
        assert watch.delays == [300] * 4 and restarted.delays == [300] * 2
        return state + crossed + cleared

    events = asyncio.run(run())
    assert TOKEN not in json.dumps(events) and TOKEN not in caplog.text


def test_every_poll_emits_state_each_time(sim, source):
    async def run():
        watch = source(args(sim, emit='every_poll', interval=1))
        assert kinds(await watch.poll()) == [('state', None)]
        assert kinds(await watch.poll()) == [('state', None)]
        sim.set_usage('10', {'cloudUnitsProjected': 95000})
        assert kinds(await watch.poll()) == [('state', None), ('threshold_crossed', PROJECTED)]
        assert kinds(await watch.poll()) == [('state', None)]
        assert watch.delays == [1] * 4

    asyncio.run(run())


def test_a_new_billing_period_emits_state_and_starts_its_own_breaches(sim, source):
    sim.set_usage('10', {'cloudUnitsProjected': 95000})

    async def run():
        watch = source(args(sim))
        first = await watch.poll()
        assert kinds(first) == [('state', None), ('threshold_crossed', PROJECTED)]
        assert await watch.poll() == []
        period = first[0]['quota_status']['period']
        sim.set_usage('10', {'quota': {'monthStart': period['end'], 'monthEnd': '2099-01-01T00:00:00Z'}})
        second = await watch.poll()
        assert kinds(second) == [('state', None), ('threshold_cleared', PROJECTED), ('threshold_crossed', PROJECTED)]
        assert second[0]['quota_status']['period']['start'] == period['end']
        assert second[1]['dedupe_key'] == first[1]['dedupe_key'] != second[2]['dedupe_key']
        assert second[0]['dedupe_key'] != first[0]['dedupe_key']

    asyncio.run(run())


def test_reserve_is_judged_as_by_usage_info(sim, source):
    async def run():
        # 85 % projected, plus 10,000 units a period for the rest of a period 40 % through: about 91 %.
        events = await source(args(sim, reserve={'cloud_units': 10000})).poll()
        assert kinds(events) == [('state', None), ('threshold_crossed', PROJECTED)]
        status = events[1]['quota_status']['cloud_units']
        assert events[1]['value'] == status['projected_with_reserve_pct'] > 90 > status['projected_pct']
        assert events[1]['headroom']['cloud_units'] < 10000  # the largest rollout that would still pass

    asyncio.run(run())


def test_account_group_is_resolved_once_and_env_fallbacks_apply(sim, source, monkeypatch):
    monkeypatch.setenv('THOUSANDEYES_TOKEN', TOKEN)
    monkeypatch.setenv('THOUSANDEYES_API_URL', sim.url)

    async def run():
        watch = source({'account_group': 'acme staging', 'interval': 60})
        assert [event['aid'] for event in await watch.poll()] == ['5678']
        assert await watch.poll() == []

    asyncio.run(run())
    assert [(entry['path'], entry['aid']) for entry in sim.requests] == [
        ('/v7/account-groups', '1234'), ('/v7/usage', '5678'), ('/v7/usage', '5678')]


def test_a_rate_limit_is_waited_out_until_its_reset(sim, source, monkeypatch):
    waits = []
    monkeypatch.setattr(_api.SystemClock, 'sleep', staticmethod(waits.append))  # the client's clock
    sim.queue_faults([{'rate_limited': True, 'reset_in': 2}])

    async def run():
        watch = source(args(sim, max_rate_limit_wait=10))
        assert kinds(await watch.poll()) == [('state', None)]
        assert watch.delays == [300]

    asyncio.run(run())
    assert len(waits) == 1 and 0 < waits[0] <= 10
    assert [entry['status'] for entry in usage_polls(sim)] == [429, 200]


def test_a_longer_rate_limit_and_server_errors_back_off_then_recover(sim, source, monkeypatch, caplog):
    waits = []
    monkeypatch.setattr(_api.SystemClock, 'sleep', staticmethod(waits.append))  # the client's clock
    sim.queue_faults([{'rate_limited': True, 'reset_in': 60}, {'status': 503}, {'drop': True},
                      {'status': 502, 'html': True}, {}, {'status': 500}])

    async def run():
        watch = source(args(sim, max_retries=0, max_rate_limit_wait=10, interval=100))
        for _failure in range(4):
            assert await watch.poll() == []
        assert kinds(await watch.poll()) == [('state', None)]
        assert await watch.poll() == []  # a failure after a success backs off from the start again
        assert watch.delays == [30, 60, 100, 100, 100, 30]

    asyncio.run(run())
    assert waits == []  # the reset is further away than max_rate_limit_wait, and max_retries is 0
    warnings = [record.getMessage() for record in caplog.records if record.levelno == logging.WARNING]
    assert len(warnings) == 5 and all('\n' not in line for line in warnings)
    assert 'HTTP 429' in warnings[0] and 'HTTP 503' in warnings[1] and 'cannot connect' in warnings[2]
    assert warnings[4].endswith('polling again in 30 s')
    assert TOKEN not in caplog.text


@pytest.mark.parametrize('token,status', [(BAD_TOKEN, 401), (NOPERM, 403)])
def test_a_refused_token_stops_the_source_at_once(sim, source, caplog, token, status):
    with pytest.raises(ThousandEyesError) as err:
        asyncio.run(source(args(sim, token=token)).poll())
    assert str(err.value).startswith('GET /v7/usage failed: HTTP %d' % status)
    assert '\n' not in str(err.value) and token not in str(err.value) and token not in caplog.text
    assert len(sim.requests) == 1


def test_an_unknown_account_group_stops_the_source_at_once(sim, source):
    with pytest.raises(ThousandEyesError, match="^account_group: no account group named 'Nope'; closest: "):
        asyncio.run(source(args(sim, account_group='Nope')).poll())
    assert [entry['path'] for entry in sim.requests] == ['/v7/account-groups']


# ansible-core words the messages of types, choices and required options (only the name is checked there, the
# wording differs between releases); the collection words the rest.
@pytest.mark.parametrize('options,message', [
    ({'interval': 'hourly'}, 'interval'),
    ({'emit': 'sometimes'}, 'emit'),
    ({'timeout': 'soon'}, 'timeout'),
    ({'token': None}, 'token'),
    ({'interval': 0}, 'interval must be at least 1 (seconds), got 0'),
    ({'thresholds': 'high'}, 'thresholds must be a dictionary'),
    ({'thresholds': {'bogus': 1}}, 'thresholds: unknown key bogus'),
    ({'reserve': {'cloud_units': -1}}, 'reserve.cloud_units must be an integer'),
    ({'aid': '1234', 'account_group': 'Acme Staging'}, 'aid and account_group are mutually exclusive'),
    ({'api_url': 'http://example.com/v7'}, 'api_url uses plain http://'),
])
def test_a_bad_option_stops_the_source_with_one_line_naming_it(sim, source, options, message):
    with pytest.raises(ThousandEyesError) as err:
        asyncio.run(source(args(sim, **options)).poll())
    assert message in str(err.value) and '\n' not in str(err.value) and TOKEN not in str(err.value)
    assert sim.requests == []
