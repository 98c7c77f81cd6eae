# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""plugin_utils/_cache.py through Cache.get and Cache.forget, with a stand-in client (its options are all the cache
reads), fetch callables that count their calls, and a stand-in display. The cache plugins are ansible-core's own.

A "run" is a DEFAULT_LOCAL_TMP (ansible-playbook makes one per run); a "task" is a Cache object (each worker makes
one); another thread with its own Cache object is another worker asking at the same moment.
"""

from __future__ import annotations

import fcntl
import os
import socket
import stat
import threading
import time

import pytest

from ansible import constants as C
from ansible.plugins.loader import init_plugin_loader
from ansible.utils.collection_loader._collection_finder import AnsibleCollectionConfig

from ansible_collections.thousandeyes.usage.plugins.module_utils._errors import ThousandEyesError
from ansible_collections.thousandeyes.usage.plugins.plugin_utils._cache import Cache
from ansible_collections.thousandeyes.usage.tests.unit.plugins.secret_forms import found_in, token_forms

# cache_loader resolves collection plugins (community.general.redis) through the collection loader.
if AnsibleCollectionConfig.collection_finder is None:
    init_plugin_loader()

TOKEN = 'cache-unit-secret-token-8f7e6d5c'
API_URL = 'https://api.thousandeyes.com/v7'
AID = '8765432109'  # long enough that finding it in a key or an encrypted value by chance is out of the question
ORG_ID = '7766554433'
QUESTION = ['usage', AID, ['test']]
ANSWER = {'usage': {'cloud_units_used': 800, 'org_id': ORG_ID}, 'organization_name': 'Initech Widgets'}
NAME = 'thousandeyes.usage.usage_info'
WAIT = 30  # seconds a test waits for a thread before failing: never reached unless something is broken


class Client:
    def __init__(self, token=TOKEN, api_url=API_URL):
        self.options = {'token': token, 'api_url': api_url}


class Fetch:
    """A fetch callable: returns ``answer`` or raises ``error``; counts its calls."""

    def __init__(self, answer=None, error=None):
        self.answer = ANSWER if answer is None else answer
        self.error = error
        self.calls = 0

    def __call__(self):
        self.calls += 1
        if self.error is not None:
            raise self.error
        return self.answer


class Shown:
    """Stands in for ansible-core's Display: what the cache shows."""

    def __init__(self):
        self.warnings = []
        self.vvv_lines = []

    def warning(self, msg):
        self.warnings.append(msg)

    def vvv(self, msg, host=None):
        self.vvv_lines.append((host, msg))


def options(**given):
    """The cache options as a plugin holds them after validation (the argument spec's defaults)."""
    return dict({'cache': 'run', 'cache_plugin': 'ansible.builtin.jsonfile', 'cache_connection': None, 'cache_timeout': 0,
                 'cache_prefix': 'thousandeyes_usage_'}, **given)


def task(shown=None, host='web1', **given):
    return Cache(options(**given), shown or Shown(), NAME, host)


def failure(text='GET /v7/usage failed: HTTP 500 Internal Server Error', status=500):
    return ThousandEyesError(text, status=status, method='GET', path='/v7/usage', problem={'status': status},
                             rate_limit={'limit': 240, 'remaining': 3, 'reset': None})


@pytest.fixture(autouse=True)
def ansible_dirs(tmp_path, monkeypatch):
    monkeypatch.setattr(C, 'DEFAULT_LOCAL_TMP', str(tmp_path / 'run1'), raising=False)
    monkeypatch.setattr(C, 'ANSIBLE_HOME', str(tmp_path / 'home'), raising=False)
    return tmp_path


@pytest.fixture
def new_run(tmp_path, monkeypatch):
    """``new_run()``: the next ansible-playbook run (a new DEFAULT_LOCAL_TMP, the same ANSIBLE_HOME)."""
    runs = [1]

    def start():
        runs[0] += 1
        monkeypatch.setattr(C, 'DEFAULT_LOCAL_TMP', str(tmp_path / ('run%d' % runs[0])))

    return start


def run_dir():
    return os.path.join(C.DEFAULT_LOCAL_TMP, 'thousandeyes.usage')


def backend_dir():
    return os.path.join(C.ANSIBLE_HOME, 'cache', 'thousandeyes.usage')


def files_under(root):
    return [os.path.join(directory, name) for directory, dummy, names in os.walk(root) for name in names]


def age_backend(seconds):
    """Make every entry of the default backend ``seconds`` old (jsonfile compares its file's mtime to the timeout)."""
    then = time.time() - seconds
    entries = files_under(backend_dir())
    assert entries, 'no entry in the backend'
    for path in entries:
        os.utime(path, (then, then))


class TestWithinARun:
    def test_miss_then_hit(self):
        fetch, shown = Fetch(), Shown()
        first = task().get(Client(), QUESTION, fetch)
        again = task(shown, host='web2').get(Client(), QUESTION, Fetch(answer={'other': 1}))
        assert first == again == ANSWER
        assert fetch.calls == 1
        assert shown.vvv_lines == [('web2', NAME + ': reused an answer from the cache')]

    def test_a_miss_says_nothing_at_vvv(self):
        shown = Shown()
        task(shown).get(Client(), QUESTION, Fetch())
        assert shown.vvv_lines == [] and shown.warnings == []

    def test_cache_none_fetches_every_time(self):
        fetch = Fetch()
        for dummy in range(3):
            assert task(cache='none').get(Client(), QUESTION, fetch) == ANSWER
        assert fetch.calls == 3
        assert not os.path.exists(run_dir())

    @pytest.mark.parametrize('client,question', [
        (Client(token='another-token-1a2b3c4d'), QUESTION),
        (Client(api_url='https://api.eu.thousandeyes.com/v7'), QUESTION),
        (Client(), ['usage', AID, []]),
        (Client(), ['usage', '1111111111', ['test']]),
        (Client(), ['quotas']),
    ])
    def test_different_token_api_url_or_question_is_another_entry(self, client, question):
        fetch, other = Fetch(), Fetch(answer={'other': 1})
        task().get(Client(), QUESTION, fetch)
        assert task().get(client, question, other) == {'other': 1}
        assert task().get(client, question, Fetch()) == {'other': 1}  # kept in its own entry
        assert task().get(Client(), QUESTION, Fetch()) == ANSWER
        assert fetch.calls == other.calls == 1

    def test_a_hit_takes_no_lock(self, monkeypatch):
        task().get(Client(), QUESTION, Fetch())
        calls = []
        real = fcntl.flock
        monkeypatch.setattr(fcntl, 'flock', lambda fd, operation: calls.append(operation) or real(fd, operation))
        assert task().get(Client(), QUESTION, Fetch()) == ANSWER
        assert calls == []

    def test_forget(self):
        task().get(Client(), QUESTION, Fetch())
        task().forget(Client(), QUESTION)
        fetch = Fetch(answer={'new': 1})
        assert task().get(Client(), QUESTION, fetch) == {'new': 1}
        assert fetch.calls == 1

    def test_forget_leaves_other_questions(self):
        task().get(Client(), ['quotas'], Fetch())
        task().get(Client(), QUESTION, Fetch())
        task().forget(Client(), ['quotas'])
        fetch = Fetch()
        task().get(Client(), QUESTION, fetch)
        assert fetch.calls == 0

    def test_forget_what_was_never_asked(self):
        task(cache_timeout=60).forget(Client(), QUESTION)  # no error, nothing shown
        assert task().get(Client(), QUESTION, Fetch()) == ANSWER


class TestAcrossRuns:
    def test_without_cache_timeout_nothing_outlives_the_run(self, new_run):
        fetch = Fetch()
        task().get(Client(), QUESTION, fetch)
        new_run()
        task().get(Client(), QUESTION, fetch)
        assert fetch.calls == 2
        assert files_under(backend_dir()) == []

    def test_with_cache_timeout_a_later_run_reuses_the_answer(self, new_run):
        fetch, shown = Fetch(), Shown()
        task(cache_timeout=300).get(Client(), QUESTION, fetch)
        new_run()
        assert task(shown, cache_timeout=300).get(Client(), QUESTION, Fetch(answer={'other': 1})) == ANSWER
        assert fetch.calls == 1
        assert shown.vvv_lines == [('web1', NAME + ': reused an answer from the cache')]

    @pytest.mark.parametrize('age,fetched', [(150, 0), (600, 1)])
    def test_expiry(self, new_run, age, fetched):
        task(cache_timeout=300).get(Client(), QUESTION, Fetch())
        age_backend(age)
        new_run()
        fetch = Fetch(answer={'new': 1})
        answer = task(cache_timeout=300).get(Client(), QUESTION, fetch)
        assert fetch.calls == fetched
        assert answer == ({'new': 1} if fetched else ANSWER)

    def test_a_backend_hit_is_not_served_to_a_later_caller_without_cache_timeout(self, new_run):
        task(cache_timeout=300).get(Client(), QUESTION, Fetch())
        new_run()
        task(cache_timeout=300).get(Client(), QUESTION, Fetch())  # from the backend: older than this run
        fetch = Fetch(answer={'new': 1})
        assert task().get(Client(), QUESTION, fetch) == {'new': 1}
        assert fetch.calls == 1

    def test_a_backend_hit_serves_the_rest_of_the_run_without_the_backend(self, new_run):
        task(cache_timeout=300).get(Client(), QUESTION, Fetch())
        new_run()
        task(cache_timeout=300).get(Client(), QUESTION, Fetch())  # from the backend, then kept for the run
        for name in files_under(backend_dir()):  # the backend loses it: later callers of this run need it not
            os.remove(os.path.join(backend_dir(), name))
        fetch = Fetch(answer={'new': 1})
        assert task(cache_timeout=300).get(Client(), QUESTION, fetch) == ANSWER
        assert fetch.calls == 0

    def test_forget_drops_the_backend_answer_kept_for_the_run(self, new_run):
        task(cache_timeout=300).get(Client(), QUESTION, Fetch())
        new_run()
        task(cache_timeout=300).get(Client(), QUESTION, Fetch())  # from the backend, then kept for the run
        task(cache_timeout=300).forget(Client(), QUESTION)
        fetch = Fetch(answer={'new': 1})
        assert task(cache_timeout=300).get(Client(), QUESTION, fetch) == {'new': 1}
        assert fetch.calls == 1

    def test_the_prefix_separates_entries(self, new_run):
        task(cache_timeout=300, cache_prefix='team_a_').get(Client(), QUESTION, Fetch())
        new_run()
        fetch = Fetch(answer={'new': 1})
        assert task(cache_timeout=300, cache_prefix='team_b_').get(Client(), QUESTION, fetch) == {'new': 1}
        assert fetch.calls == 1

    def test_cache_connection_is_the_jsonfile_directory(self, new_run, tmp_path):
        shared = str(tmp_path / 'shared')
        task(cache_timeout=300, cache_connection=shared).get(Client(), QUESTION, Fetch())
        assert files_under(shared) != [] and files_under(backend_dir()) == []
        new_run()
        fetch = Fetch()
        task(cache_timeout=300, cache_connection=shared).get(Client(), QUESTION, fetch)
        assert fetch.calls == 0

    def test_forget_with_cache_timeout_drops_the_backend_entry(self, new_run):
        task(cache_timeout=300).get(Client(), QUESTION, Fetch())
        task(cache_timeout=300).forget(Client(), QUESTION)
        new_run()
        fetch = Fetch(answer={'new': 1})
        assert task(cache_timeout=300).get(Client(), QUESTION, fetch) == {'new': 1}
        assert fetch.calls == 1

    def test_forget_without_cache_timeout_leaves_the_backend(self, new_run):
        """Without cache_timeout a plugin does not use the backend at all, so it does not touch it either."""
        task(cache_timeout=300).get(Client(), QUESTION, Fetch())
        task().forget(Client(), QUESTION)
        new_run()
        fetch = Fetch()
        task(cache_timeout=300).get(Client(), QUESTION, fetch)
        assert fetch.calls == 0


class TestErrors:
    def test_an_error_is_never_stored(self):
        error = failure()
        with pytest.raises(ThousandEyesError) as raised:
            task().get(Client(), QUESTION, Fetch(error=error))
        assert raised.value is error
        fetch = Fetch()
        assert task().get(Client(), QUESTION, fetch) == ANSWER  # a later call asks again
        assert fetch.calls == 1

    def test_a_later_call_in_the_same_task_asks_again(self):
        cache = task()
        with pytest.raises(ThousandEyesError):
            cache.get(Client(), QUESTION, Fetch(error=failure()))
        fetch = Fetch()
        assert cache.get(Client(), QUESTION, fetch) == ANSWER
        assert fetch.calls == 1

    def test_an_error_is_not_kept_across_runs(self, new_run):
        with pytest.raises(ThousandEyesError):
            task(cache_timeout=300).get(Client(), QUESTION, Fetch(error=failure()))
        new_run()
        fetch = Fetch()
        assert task(cache_timeout=300).get(Client(), QUESTION, fetch) == ANSWER
        assert fetch.calls == 1


class Flight:
    """Two workers asking the same question at the same moment, in a known order: the holder takes the question's
    lock and fetches; its fetch returns (or raises) only once the waiter has reached the lock, so the waiter is
    waiting for the holder's request, whatever the scheduling. fcntl.flock is wrapped (to record who reached it), not
    replaced."""

    def __init__(self, monkeypatch, holder_outcome):
        self.entered, self.release, self.waiting = threading.Event(), threading.Event(), threading.Event()
        self.outcomes = {}
        self.holder_fetch = Fetch(error=holder_outcome) if isinstance(holder_outcome, Exception) else \
            Fetch(answer=holder_outcome)
        self.waiter_fetch = Fetch(answer={'asked again': True})
        self.waiter_shown = Shown()
        real = fcntl.flock

        def flock(fd, operation):
            if threading.current_thread().name == 'waiter':
                self.waiting.set()
            return real(fd, operation)

        monkeypatch.setattr(fcntl, 'flock', flock)

    def _holder_fetch(self):
        self.entered.set()
        assert self.release.wait(WAIT)
        return self.holder_fetch()

    def _ask(self, name, fetch, shown):
        try:
            self.outcomes[name] = task(shown, host=name).get(Client(), QUESTION, fetch)
        except ThousandEyesError as exc:
            self.outcomes[name] = exc

    def fly(self):
        holder = threading.Thread(target=self._ask, args=('holder', self._holder_fetch, Shown()), name='holder')
        waiter = threading.Thread(target=self._ask, args=('waiter', self.waiter_fetch, self.waiter_shown),
                                  name='waiter')
        holder.start()
        try:
            assert self.entered.wait(WAIT), 'the holder never fetched'
            waiter.start()
            assert self.waiting.wait(WAIT), 'the waiter never reached the lock'
        finally:
            self.release.set()
            for thread in (holder, waiter):
                if thread.ident is not None:  # started
                    thread.join(WAIT)
        assert not holder.is_alive() and not waiter.is_alive()
        return self.outcomes['holder'], self.outcomes['waiter']


class TestWaiters:
    def test_share_an_answer(self, monkeypatch):
        flight = Flight(monkeypatch, ANSWER)
        holder, waiter = flight.fly()
        assert holder == waiter == ANSWER
        assert flight.holder_fetch.calls == 1 and flight.waiter_fetch.calls == 0

    def test_share_a_failure(self, monkeypatch):
        flight = Flight(monkeypatch, failure('GET /v7/usage failed: HTTP 503 Service Unavailable', 503))
        holder, waiter = flight.fly()
        assert isinstance(waiter, ThousandEyesError)
        assert waiter is not holder  # handed over through the run cache, as between worker processes
        assert (str(waiter), waiter.status, waiter.method, waiter.path, waiter.problem, waiter.rate_limit) == (
            'GET /v7/usage failed: HTTP 503 Service Unavailable', 503, 'GET', '/v7/usage', {'status': 503},
            {'limit': 240, 'remaining': 3, 'reset': None})
        assert flight.holder_fetch.calls == 1 and flight.waiter_fetch.calls == 0
        assert flight.waiter_shown.vvv_lines == [('waiter', NAME + ': the request it waited for failed')]

    def test_share_a_second_failure_too(self, monkeypatch):
        """A failure earlier in the run (an until/retries loop) must not keep the waiters of the next one from
        sharing its outcome."""
        with pytest.raises(ThousandEyesError):
            task().get(Client(), QUESTION, Fetch(error=failure('the first failure')))
        flight = Flight(monkeypatch, failure('the second failure'))
        holder, waiter = flight.fly()
        assert isinstance(waiter, ThousandEyesError) and str(waiter) == 'the second failure'
        assert flight.waiter_fetch.calls == 0

    def test_after_a_shared_failure_a_later_call_asks_again(self, monkeypatch):
        Flight(monkeypatch, failure()).fly()
        fetch = Fetch()
        assert task().get(Client(), QUESTION, fetch) == ANSWER
        assert fetch.calls == 1


def closed_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


class TestBackendDown:
    """A backend that fails costs one warning naming it and a request, never the answer."""

    @pytest.mark.parametrize('plugin,connection', [
        ('nope.nope.nope', None),
        ('community.general.redis', '127.0.0.1:{port}:0:redis-s3cret-passw0rd'),  # with or without community.general
    ])
    def test_one_warning_naming_the_backend(self, plugin, connection):
        connection = connection and connection.format(port=closed_port())
        shown, fetch = Shown(), Fetch()
        cache = task(shown, cache_timeout=300, cache_plugin=plugin, cache_connection=connection)
        assert cache.get(Client(), QUESTION, fetch) == ANSWER
        assert cache.get(Client(), ['quotas'], Fetch(answer={'quotas': []})) == {'quotas': []}
        assert fetch.calls == 1
        [warning] = shown.warnings
        assert warning.startswith('thousandeyes.usage: the cache backend %s failed (' % plugin), warning
        assert warning.endswith('); asking the API instead') and '\n' not in warning
        if connection:
            assert connection not in warning and 'redis-s3cret-passw0rd' not in warning

    def test_the_run_layer_still_works(self):
        task(cache_timeout=300, cache_plugin='nope.nope.nope').get(Client(), QUESTION, Fetch())
        fetch = Fetch()
        assert task().get(Client(), QUESTION, fetch) == ANSWER
        assert fetch.calls == 0

    def test_every_task_warns_with_the_same_text(self):
        """Ansible shows a repeated warning once: the text must not differ between tasks or workers."""
        first, second = Shown(), Shown()
        task(first, cache_timeout=300, cache_plugin='nope.nope.nope').get(Client(), QUESTION, Fetch())
        task(second, host='web2', cache_timeout=300, cache_plugin='nope.nope.nope').get(Client(), ['quotas'], Fetch())
        assert len(first.warnings) == 1 and first.warnings == second.warnings

    def test_the_connection_never_appears_in_the_warning(self, tmp_path):
        """jsonfile names its directory when it cannot create it: the warning shows it masked."""
        blocker = tmp_path / 'a-file'
        blocker.write_text('')
        connection = str(blocker / 'cache-dir-with-s3cret')
        shown = Shown()
        assert task(shown, cache_timeout=300, cache_connection=connection).get(Client(), QUESTION, Fetch()) == ANSWER
        [warning] = shown.warnings
        assert warning.startswith('thousandeyes.usage: the cache backend ansible.builtin.jsonfile failed (')
        assert connection not in warning and 's3cret' not in warning and '********' in warning

    def test_the_run_cache_down(self, monkeypatch, tmp_path):
        blocker = tmp_path / 'not-a-directory'
        blocker.write_text('')
        monkeypatch.setattr(C, 'DEFAULT_LOCAL_TMP', str(blocker / 'tmp'))
        shown, fetch = Shown(), Fetch()
        assert task(shown).get(Client(), QUESTION, fetch) == ANSWER
        assert fetch.calls == 1
        [warning] = set(shown.warnings)  # as Ansible shows them: an identical warning once
        assert warning.startswith('thousandeyes.usage: the run cache failed (')


class TestNothingSecretAtRest:
    def fill(self, new_run):
        """Answers, a failure and a forgotten entry, in the run layer and the backend."""
        task(cache_timeout=300).get(Client(), QUESTION, Fetch())
        task(cache_timeout=300).get(Client(), ['account-groups'], Fetch(answer={
            'account_groups': [{'aid': AID, 'org_id': ORG_ID, 'organization_name': 'Initech Widgets'}]}))
        with pytest.raises(ThousandEyesError):
            task(cache_timeout=300).get(Client(), ['quotas'], Fetch(error=failure(
                'GET /v7/quotas failed: HTTP 403 Forbidden: org %s (Initech Widgets) may not read quotas' % ORG_ID)))
        new_run()
        task(cache_timeout=300).get(Client(), ['usage', AID, []], Fetch())

    def test_no_token_digest_organization_or_usage_in_any_file(self, new_run, ansible_dirs):
        self.fill(new_run)
        files = files_under(str(ansible_dirs))
        assert len(files) >= 8  # two runs' entries, locks and failures; the backend's entries
        forms = token_forms(TOKEN) + [AID.encode(), ORG_ID.encode(), b'Initech', b'cloud_units_used', b'"usage"',
                                      b'quotas', b'Forbidden']
        for path in files:
            assert found_in(path, forms) == [], path

    def test_directories_are_private(self, new_run):
        self.fill(new_run)
        for directory in (run_dir(), backend_dir()):
            assert stat.S_IMODE(os.stat(directory).st_mode) == 0o700, directory

    def test_an_entry_of_another_token_is_a_miss(self):
        """Values are encrypted with the token's key: even the same key (forced here by renaming) reads nothing."""
        task().get(Client(), QUESTION, Fetch())
        [entry] = [path for path in files_under(run_dir()) if not path.endswith('.lock')]
        other = Client(token='another-token-1a2b3c4d')
        task().get(other, QUESTION, Fetch(answer={'other': 1}))
        [other_entry] = [path for path in files_under(run_dir()) if not path.endswith('.lock') and path != entry]
        os.replace(entry, other_entry)
        fetch = Fetch(answer={'other': 2})
        assert task().get(other, QUESTION, fetch) == {'other': 2}
        assert fetch.calls == 1
