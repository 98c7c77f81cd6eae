# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The usage_monitor source as ansible-rulebook runs it: the file run as a script, main(queue, args) as a task on a real
asyncio.Queue, the API simulator over real HTTP on 127.0.0.1. Only the clock is stood in for: asyncio.sleep records
the delay asked for and returns when the test lets the source poll again."""

from __future__ import annotations

import asyncio
import os

import pytest

from simulator import Simulator

SOURCE = os.path.join(os.path.dirname(os.path.abspath(__file__)), *[os.pardir] * 6,
                      'extensions', 'eda', 'plugins', 'event_source', 'usage_monitor.py')
POLL_LIMIT = 30  # seconds a poll may take before the test gives up on it (a hang, not a timing assertion)


class Source:
    """One run of the source. ``await poll()`` starts it (the first poll) or lets it poll once more, and returns the
    events that poll put on the queue; ``delays`` are the sleeps it asked for; what main() raises, poll() raises."""

    def __init__(self, main, args):
        self.main = main
        self.args = args
        self.queue = asyncio.Queue()
        self.delays = []
        self._task = self._asleep = self._wake = None

    async def sleep(self, delay):
        self.delays.append(delay)
        self._wake = asyncio.get_running_loop().create_future()
        self._asleep.set_result(None)
        await self._wake

    async def poll(self):
        self._asleep = asyncio.get_running_loop().create_future()
        if self._task is None:
            self._task = asyncio.ensure_future(self.main(self.queue, self.args))
        else:
            self._wake.set_result(None)
        done, _pending = await asyncio.wait([self._asleep, self._task], timeout=POLL_LIMIT,
                                            return_when=asyncio.FIRST_COMPLETED)
        assert done, 'the source neither slept nor ended within %d s' % POLL_LIMIT
        if self._task in done:
            self._task.result()
            raise AssertionError('main() returned')
        events = []
        while not self.queue.empty():
            events.append(self.queue.get_nowait()['thousandeyes_usage'])
        return events


@pytest.fixture
def sim():
    with Simulator() as server:
        yield server


@pytest.fixture
def main():
    """main() of a fresh load of the source file, as ansible-rulebook's runpy.run_path() loads it (run_path itself
    would offer the path to the collection loader's path hook, which ansible-test installs and ansible-rulebook does
    not)."""
    with open(SOURCE, encoding='utf-8') as handle:
        code = compile(handle.read(), SOURCE, 'exec')
    namespace = {'__name__': '<run_path>', '__file__': SOURCE}
    exec(code, namespace)  # pylint: disable=exec-used
    return namespace['main']


@pytest.fixture
def source(main, monkeypatch):
    """``source(args)``: a Source; every source made in the test sleeps through it."""
    sources = []

    async def sleep(delay, *args, **kwargs):
        await sources[-1].sleep(delay)

    monkeypatch.setattr(asyncio, 'sleep', sleep)

    def make(args):
        sources.append(Source(main, args))
        return sources[-1]

    return make
