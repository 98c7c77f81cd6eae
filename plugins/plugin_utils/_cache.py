# -*- coding: utf-8 -*-
# Copyright (c) thousandeyes.usage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Internal to the thousandeyes.usage collection: the answer cache of every plugin that reads the API (controller
only).

The rule: an answer is reused for the rest of the run, and with ``cache_timeout`` for that long by every run that
reaches the same backend; an error is never stored: callers that were waiting for the failed request get its error,
and a later call asks again.

Both layers are Ansible cache plugins, used through ``get``, ``set`` and ``delete`` only (ansible-core 2.19's wrapper
breaks ``keys()`` for some of them):

* the run: ``ansible.builtin.jsonfile`` in the run's temporary directory (``DEFAULT_LOCAL_TMP``: one per
  ``ansible-playbook`` process, shared by its forked workers, removed when the run ends), with a lock file per question
  so that workers asking at the same moment wait for one request;
* across runs (``cache_timeout`` > 0): ``cache_plugin``, by default ``ansible.builtin.jsonfile`` in
  ``ANSIBLE_HOME/cache/thousandeyes.usage``; ``community.general.redis`` shares it between controllers and nodes.

Keys are an HMAC of the question keyed with the token, and values are encrypted with a key derived from the token
(cryptography's Fernet; ansible-core requires cryptography): an entry reveals no token, organization or usage, and
different tokens never share one. A backend that fails costs a warning and a request, never the task.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import hashlib
import hmac
import json
import os
import uuid

from ansible import constants as C
from ansible.plugins.loader import cache_loader

from ansible_collections.thousandeyes.usage.plugins.module_utils._errors import ThousandEyesError

try:
    from cryptography.fernet import Fernet, InvalidToken
except ImportError:  # ansible-core requires cryptography; only ansible-test's import sanity test runs without it
    Fernet, InvalidToken = None, ValueError

JSONFILE = ('ansible.builtin.jsonfile', 'jsonfile')


def private_dir(path):
    os.makedirs(path, mode=0o700, exist_ok=True)
    return path


def run_dir():
    return os.path.join(C.DEFAULT_LOCAL_TMP, 'thousandeyes.usage')


def default_dir():
    return os.path.join(C.ANSIBLE_HOME, 'cache', 'thousandeyes.usage')


class Cache:
    """``get(client, question, fetch)``: fetch()'s answer (JSON data), from the cache when it holds one; ``question``
    is a list naming the answer within the client's API URL and token, for example ``['usage', aid]``.
    ``options`` are the plugin's cache options (cache, cache_plugin, cache_connection, cache_timeout, cache_prefix)."""

    def __init__(self, options, display, name, host=None):
        self.options = options
        self.timeout = options.get('cache_timeout') or 0
        self.display = display
        self.name = name  # who says what, at -vvv
        self.host = host
        self._stores = {}

    def get(self, client, question, fetch, usable=None):
        """``usable(answer)`` tells whether a cached answer serves this caller; one that does not is fetched again
        and replaced."""
        if self.options.get('cache') == 'none':
            return fetch()
        key, box = self._key(client, question)
        # A backend answer is kept for the run apart from the run's own (key-shared): it may predate the run, which
        # callers without cache_timeout must not see. Kept, it spares every other worker a backend round trip.
        keys = (key, key + '-shared') if self.timeout else (key,)
        answer = self._read_first(keys, box, usable)
        if answer is None:
            handed_over = self._read('run', key + '-failed', box)  # the outcome of the last failed request, if any
            with self._flight(key):
                self._stores.pop('run', None)  # jsonfile keeps what it read: read anew what others wrote meanwhile
                answer = self._read_first(keys, box, usable)
                if answer is None and self.timeout:
                    answer = self._read('backend', key, box, usable)
                    if answer is not None:
                        self._write('run', key + '-shared', answer, box)
                if answer is None:
                    return self._fetch(key, box, handed_over, fetch)
        self.display.vvv('%s: reused an answer from the cache' % self.name, host=self.host)
        return answer

    def forget(self, client, question):
        """Drop an answer that a change made stale, here and (with cache_timeout) in the backend."""
        key = self._key(client, question)[0]
        for layer, name in [('run', key), ('run', key + '-shared')] + ([('backend', key)] if self.timeout else []):
            with contextlib.suppress(KeyError):
                self._call(layer, 'delete', name)

    def _fetch(self, key, box, handed_over, fetch):
        failed = self._read('run', key + '-failed', box)
        if failed is not None and failed != handed_over:  # a request failed while this caller waited for it
            self.display.vvv('%s: the request it waited for failed' % self.name, host=self.host)
            raise ThousandEyesError(**failed['error'])
        try:
            answer = fetch()
        except ThousandEyesError as exc:
            self._write('run', key + '-failed', {'id': uuid.uuid4().hex, 'error': vars(exc)}, box)
            raise
        self._write('run', key, answer, box)
        if self.timeout:
            self._write('backend', key, answer, box)
        return answer

    @staticmethod
    def _key(client, question):
        token = client.options['token'].encode('utf-8')
        material = json.dumps([client.options['api_url']] + list(question), sort_keys=True).encode('utf-8')
        box = Fernet(base64.urlsafe_b64encode(hmac.new(token, b'thousandeyes.usage values', hashlib.sha256).digest()))
        return hmac.new(token, material, hashlib.sha256).hexdigest(), box

    def _read_first(self, keys, box, usable):
        answers = (self._read('run', key, box, usable) for key in keys)
        return next((answer for answer in answers if answer is not None), None)

    def _read(self, layer, key, box, usable=None):
        if not self._call(layer, 'contains', key):  # ansible-core < 2.19's jsonfile warns when get() misses
            return None
        try:
            answer = json.loads(box.decrypt(self._call(layer, 'get', key)['v'].encode('ascii')))
        except (KeyError, TypeError, ValueError, AttributeError, InvalidToken):
            return None  # absent, expired, or not an entry of this token: a miss
        return answer if usable is None or usable(answer) else None

    def _write(self, layer, key, value, box):
        self._call(layer, 'set', key, {'v': box.encrypt(json.dumps(value).encode('utf-8')).decode('ascii')})

    def _call(self, layer, method, *args):
        """A backend call (KeyError: a miss); a backend that fails is warned about once, then left alone."""
        store = self._store(layer)
        try:
            return None if store is None else getattr(store, method)(*args)
        except KeyError:
            raise
        except Exception as exc:  # pylint: disable=broad-exception-caught  # any backend, any failure
            self._down(layer, exc)
            return None

    def _store(self, layer):
        if layer not in self._stores:
            try:
                self._stores[layer] = self._open(layer)
            except Exception as exc:  # pylint: disable=broad-exception-caught
                self._down(layer, exc)
        return self._stores[layer]

    def _open(self, layer):
        # Every option is given, so that nothing comes from fact_caching* or ANSIBLE_CACHE_PLUGIN* (AWX points those
        # at its per-job fact cache).
        if layer == 'run':
            return cache_loader.get(JSONFILE[0], _uri=private_dir(run_dir()), _timeout=0, _prefix='')
        plugin, uri = self.options.get('cache_plugin') or JSONFILE[0], self.options.get('cache_connection')
        if not uri and plugin in JSONFILE:
            uri = private_dir(default_dir())
        store = cache_loader.get(plugin, _uri=uri, _timeout=self.timeout, _prefix=self.options.get('cache_prefix') or '')
        if store is None:
            raise ValueError('no cache plugin named %s' % plugin)
        return store

    def _down(self, layer, exc):
        self._stores[layer] = None
        what = 'the run cache' if layer == 'run' else 'the cache backend %s' % self.options.get('cache_plugin')
        message = ' '.join(('%s: %s' % (type(exc).__name__, exc)).split())
        secret = self.options.get('cache_connection')
        if secret:
            message = message.replace(secret, '********')
        # The same text from every worker: Ansible shows a repeated warning once.
        self.display.warning('thousandeyes.usage: %s failed (%s); asking the API instead' % (what, message))

    @contextlib.contextmanager
    def _flight(self, key):
        """Hold the question's lock: one worker asks, those that ask at the same moment wait for its outcome."""
        fd = None
        try:
            fd = os.open(os.path.join(private_dir(run_dir()), key + '.lock'), os.O_RDWR | os.O_CREAT, 0o600)
            fcntl.flock(fd, fcntl.LOCK_EX)
        except OSError as exc:
            self._down('run', exc)
        try:
            yield
        finally:
            if fd is not None:
                os.close(fd)  # closing releases the lock
