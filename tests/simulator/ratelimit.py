"""Per-organization sliding-window rate limiter with the v7 X-Organization-Rate-Limit-* headers."""

import collections
import math
import threading
import time


class RateState:
    """Outcome of one look at a bucket: whether the request may pass and what the headers say."""

    def __init__(self, allowed, limit, remaining, reset):
        self.allowed = allowed
        self.limit = limit
        self.remaining = remaining
        self.reset = reset

    def headers(self):
        return [
            ("X-Organization-Rate-Limit-Limit", str(self.limit)),
            ("X-Organization-Rate-Limit-Remaining", str(self.remaining)),
            ("X-Organization-Rate-Limit-Reset", str(self.reset)),
        ]


class SlidingWindow:
    """At most `limit` requests per `window` seconds for each key (organization id or "anonymous")."""

    def __init__(self, limit=240, window=60.0):
        if int(limit) < 1 or float(window) <= 0:
            raise ValueError("rate limit must be >= 1 and rate window > 0")
        self.limit = int(limit)
        self.window = float(window)
        self._hits = {}
        self._lock = threading.Lock()

    def _bucket(self, key, now):
        hits = self._hits.setdefault(key, collections.deque())
        edge = now - self.window
        while hits and hits[0] <= edge:
            hits.popleft()
        return hits

    def _reset_at(self, hits, now):
        # A slot frees when the oldest request leaves the window; round up so waiting until then is enough.
        oldest = hits[0] if hits else now
        return int(math.ceil(oldest + self.window))

    def hit(self, key, now=None):
        """Count a request if the window has room; a refused request does not occupy the window."""
        now = time.time() if now is None else now
        with self._lock:
            hits = self._bucket(key, now)
            if len(hits) >= self.limit:
                return RateState(False, self.limit, 0, self._reset_at(hits, now))
            hits.append(now)
            return RateState(True, self.limit, self.limit - len(hits), self._reset_at(hits, now))

    def peek(self, key, now=None):
        """The bucket's state without counting a request."""
        now = time.time() if now is None else now
        with self._lock:
            hits = self._bucket(key, now)
            remaining = max(self.limit - len(hits), 0)
            return RateState(remaining > 0, self.limit, remaining, self._reset_at(hits, now))
