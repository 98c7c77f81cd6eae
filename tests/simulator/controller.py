"""The Simulator object: shared state (scenario, rate windows, faults, request log) and the server thread's lifecycle."""

import collections
import copy
import threading

from . import faults as faults_mod
from . import paging, scenarios
from .quotas import QuotaBook
from .ratelimit import SlidingWindow
from .server import SimulatorServer

HOST = "127.0.0.1"

# One consistent view of the state a request needs, taken under the lock.
View = collections.namedtuple("View", "scenario limiter faults quotas page_size repeat_cursor usage_changes")


class Simulator:
    """A ThousandEyes v7 Usage API simulator on 127.0.0.1; start() serves it from a background thread."""

    def __init__(self, scenario="default", rate_limit=240, rate_window=60.0, port=0, faults=None, verbose=False,
                 page_size=paging.DEFAULT_PAGE_SIZE):
        self._lock = threading.Lock()
        self._scenario = self._load(scenario)
        self._limiter = SlidingWindow(rate_limit, rate_window)
        self._faults = faults_mod.validate_all(faults)
        # A reset without page_size goes back to this one.
        self._initial_page_size = paging.check_page_size(page_size)
        self._page_size = self._initial_page_size
        self._repeat_cursor = False
        self._quotas = QuotaBook(self._scenario)
        self._usage_changes = {}
        self._queue = collections.deque()
        self._log = []
        self._port = int(port)
        self._verbose = verbose
        self._server = None
        self._thread = None

    @staticmethod
    def _load(scenario):
        if not isinstance(scenario, str):
            raise ValueError("scenario must be a name or a path, got %r" % (scenario,))
        return scenarios.load(scenario)

    # Lifecycle

    def start(self):
        if self._server is not None:
            raise RuntimeError("simulator already started")
        self._server = SimulatorServer(self, HOST, self._port, self._verbose)
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.1},
                                        name="te-usage-simulator", daemon=True)
        self._thread.start()
        return self

    def stop(self):
        """Stop serving, close the listening socket and join the server thread; safe to call twice."""
        server, thread = self._server, self._thread
        if server is None:
            return
        server.shutdown()
        server.server_close()
        thread.join()
        self._server = None
        self._thread = None

    def __enter__(self):
        return self.start()

    def __exit__(self, exc_type, exc, tb):
        self.stop()

    @property
    def port(self):
        if self._server is None:
            raise RuntimeError("simulator not started")
        return self._server.server_address[1]

    @property
    def base_url(self):
        return "http://%s:%d" % (HOST, self.port)

    @property
    def url(self):
        return self.base_url + "/v7"

    # State for tests and the admin API

    @property
    def scenario(self):
        return self._scenario.name

    @property
    def requests(self):
        """A copy of the request log (API requests only, oldest first)."""
        with self._lock:
            return list(self._log)

    @property
    def queued_faults(self):
        with self._lock:
            return len(self._queue)

    def queue_faults(self, faults):
        """Queue faults for the next API requests, one per request, first in first out."""
        checked = faults_mod.validate_all(faults)
        with self._lock:
            self._queue.extend(checked)

    def clear_faults(self):
        with self._lock:
            self._queue.clear()

    @property
    def page_size(self):
        with self._lock:
            return self._page_size

    @property
    def quotas(self):
        """A copy of the quota state: {org id: {"value": N or None, "accountGroups": {aid: N}}}."""
        with self._lock:
            book = self._quotas
        return book.state()

    @property
    def usage_changes(self):
        """A copy of the changes set_usage made: {org id: {field: value, "quota": {field: value}}}."""
        with self._lock:
            return copy.deepcopy(self._usage_changes)

    def set_usage(self, org, changes):
        """Change what GET /v7/usage reports for organization ``org`` from now on (until a reset): ``changes`` holds
        usage fields (``cloudUnitsProjected``...) and optionally ``quota``, a dict merged into the quota object.
        Changes add up over calls. Scenarios are shared (cached), so the changes live here, not in the scenario."""
        org = str(org)
        if not isinstance(changes, dict):
            raise ValueError('"set" must be a JSON object of usage fields, got %r' % (changes,))
        if "quota" in changes and not isinstance(changes["quota"], dict):
            raise ValueError('"set.quota" must be a JSON object of quota fields, got %r' % (changes["quota"],))
        with self._lock:
            if org not in self._scenario.organizations:
                raise ValueError("unknown organization %r; scenario %s has %s" % (
                    org, self._scenario.name, ", ".join(sorted(self._scenario.organizations))))
            current = self._usage_changes.setdefault(org, {})
            quota = dict(current.get("quota", {}), **changes.get("quota", {}))
            current.update(changes)
            if quota:
                current["quota"] = quota
            return copy.deepcopy(current)

    def reset(self, scenario=None, rate_limit=None, rate_window=None, faults=None, page_size=None, repeat_cursor=False):
        """Clear log, rate windows, queued faults and usage changes and restore the scenario's quotas; switch what is
        given.

        page_size falls back to the one the simulator was created with, repeat_cursor to False.
        """
        loaded = self._load(scenario) if scenario is not None else None
        checked = faults_mod.validate_all(faults) if faults is not None else None
        size = self._initial_page_size if page_size is None else paging.check_page_size(page_size)
        if not isinstance(repeat_cursor, bool):
            raise ValueError("repeat_cursor must be true or false, got %r" % (repeat_cursor,))
        with self._lock:
            limit = self._limiter.limit if rate_limit is None else rate_limit
            window = self._limiter.window if rate_window is None else rate_window
            self._limiter = SlidingWindow(limit, window)
            if loaded is not None:
                self._scenario = loaded
            if checked is not None:
                self._faults = checked
            self._quotas = QuotaBook(self._scenario)
            self._usage_changes = {}
            self._page_size = size
            self._repeat_cursor = repeat_cursor
            self._queue.clear()
            del self._log[:]

    def health(self):
        with self._lock:
            return {
                "ok": True,
                "scenario": self._scenario.name,
                "rate_limit": self._limiter.limit,
                "rate_window": self._limiter.window,
                "page_size": self._page_size,
                "repeat_cursor": self._repeat_cursor,
                "queued_faults": len(self._queue),
                "requests": len(self._log),
            }

    # Used by the request pipeline (api.py)

    def snapshot(self):
        """A View: scenario, limiter, scenario-wide faults, quotas, paging settings and usage changes, consistent for
        one request."""
        with self._lock:
            return View(self._scenario, self._limiter, self._scenario.faults + self._faults, self._quotas,
                        self._page_size, self._repeat_cursor, copy.deepcopy(self._usage_changes))

    def take_fault(self):
        with self._lock:
            return self._queue.popleft() if self._queue else None

    def record(self, entry):
        with self._lock:
            self._log.append(entry)
