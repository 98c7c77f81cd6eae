# -*- coding: utf-8 -*-
# Copyright (c) thousandeyes.usage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Internal to the thousandeyes.usage collection: the run-wide answer cache of the lookup and of the modules' action
plugins (controller only).

Ansible evaluates a lookup, and runs an action plugin, once per host and task, each time in a forked worker, so an
in-memory cache is lost after every evaluation. The answers are kept in files instead:

* run scope: under the controller's per-run temporary directory (``DEFAULT_LOCAL_TMP``, unique to one
  ``ansible-playbook`` process, inherited by its workers and removed when the run ends, as Ansible does for its own
  AnsiballZ cache);
* across runs (``cache_ttl``): under ``ANSIBLE_HOME/cache/thousandeyes.usage``.

One lock file per key gives "single flight": concurrent workers wait for the one fetch instead of racing; an entry
already there is read without it. Files are mode 0600 and hold the answer only (the usage in snake_case and the
rate-limit headers); keys are hashes that include a salted hash of the token, never the token.
A missing, corrupt or half-written file is treated as absent and rewritten.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import tempfile
import time

from ansible import constants as C

from ansible_collections.thousandeyes.usage.plugins.module_utils._errors import ThousandEyesError, masked

FORMAT = 2  # 2: answers hold the usage already in snake_case, errors their scope


def run_dir():
    return os.path.join(C.DEFAULT_LOCAL_TMP, 'thousandeyes.usage')


def persistent_dir():
    return os.path.join(C.ANSIBLE_HOME, 'cache', 'thousandeyes.usage')


def private_dir(path):
    os.makedirs(path, mode=0o700, exist_ok=True)
    return path


def _read_salt(path):
    try:
        with open(path, 'rb') as handle:
            salt = handle.read().strip()
    except FileNotFoundError:
        return None
    return salt if len(salt) >= 32 else None


def _salt(directory):
    """A random per-user salt (0600): token hashes in keys cannot be checked against a guessed token without it.

    Created complete in a temporary file and then linked into place, so concurrent first runs never read half of it
    and all settle on the same one."""
    path = os.path.join(directory, 'salt')
    salt = _read_salt(path)
    if salt is None:
        fd, tmp = tempfile.mkstemp(dir=directory, prefix='.tmp-')
        try:
            with os.fdopen(fd, 'wb') as handle:
                handle.write(os.urandom(32).hex().encode())
            try:
                os.link(tmp, path)
            except FileExistsError:
                if _read_salt(path) is None:  # a damaged salt: replace it (older cached answers are just missed)
                    os.replace(tmp, path)
        finally:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        salt = _read_salt(path)
        if salt is None:
            raise OSError('cannot create the cache salt in %s' % directory)
    return salt


def cache_key(salt, api_url, resource, token):
    token_hash = hashlib.sha256(salt + b'\0' + token.encode('utf-8')).hexdigest()
    material = json.dumps([api_url, resource, token_hash])
    return hashlib.sha256(material.encode('utf-8')).hexdigest()[:48]


def _read(path, max_age=None):
    try:
        with open(path) as handle:
            entry = json.load(handle)
    except (OSError, ValueError):
        return None
    if not isinstance(entry, dict) or entry.get('format') != FORMAT or ('answer' not in entry and 'error' not in entry):
        return None
    if max_age is not None and not time.time() - float(entry.get('stored_at', 0)) < max_age:
        return None
    return entry


def write_entry(path, entry):
    """Atomic replace with a 0600 file, so readers never see half an entry."""
    directory = os.path.dirname(path)
    fd, tmp = tempfile.mkstemp(dir=directory, prefix='.tmp-')
    try:
        with os.fdopen(fd, 'w') as handle:
            json.dump(entry, handle, separators=(',', ':'))
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


@contextlib.contextmanager
def locked(path):
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


PROXY_VARIABLES = ('HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'ALL_PROXY', 'all_proxy', 'NO_PROXY',
                   'no_proxy')
TRANSPORT_OPTIONS = ('validate_certs', 'ca_path', 'timeout', 'max_retries', 'max_rate_limit_wait')


def error_scope(prefix, options):
    """Who may reuse an error: ``prefix`` (the lookup, or one task), and only with the same transport options and proxy
    variables, which an error can depend on (a TLS failure, a timeout) while an answer does not."""
    material = [options.get(name) for name in TRANSPORT_OPTIONS] + [os.environ.get(name) for name in PROXY_VARIABLES]
    return '%s:%s' % (prefix, hashlib.sha256(json.dumps(material, default=str).encode('utf-8')).hexdigest()[:16])


class AnswerCache:
    """``get(api_url, resource, token, fetch)`` returns fetch()'s answer, fetching at most once per run (and per
    ``ttl`` seconds across runs when ``ttl`` is set). ``fetch`` returns JSON data or raises ThousandEyesError.

    Errors are kept for the run too, but only for the same ``error_scope`` (see error_scope()): the lookup shares one
    error across the run (200 hosts facing a bad token make one request, not 200); a module task shares it between
    its hosts, and ``attempt`` (1 for the first run of a task on a host, then 2, 3, ... for retries and loop items)
    makes a retry ask again, once for all the hosts at that attempt.
    """

    def __init__(self, mode='run', ttl=None, display=None, name='thousandeyes.usage.usage', error_scope='lookup',
                 attempt=0, host=None):
        self.mode = mode
        self.ttl = ttl or None
        self.display = display
        self.name = name
        self.error_scope = error_scope
        self.attempt = attempt
        self.host = host  # shown in -vvv messages, as Ansible shows per-host lines
        self.last_source = None  # 'api', 'run' or 'ttl': how the last answer was obtained (for -vvv and tests)

    def get(self, api_url, resource, token, fetch):
        """``resource`` names the answer within the API URL and token, for example ``['usage', aid, expand]``."""
        if self.mode == 'none':
            self.last_source = 'api'
            return fetch()
        try:
            rdir = private_dir(run_dir())
            pdir = _writable_or_none(persistent_dir())
            key = cache_key(_salt(pdir or rdir), api_url, list(resource), token)
        except OSError as exc:
            self._say('cache unavailable (%s); calling the API directly' % exc)
            self.last_source = 'api'
            return fetch()
        run_path = os.path.join(rdir, key + '.json')
        # Entries are replaced atomically, so one already there is read without the lock: the usual case.
        entry = _read(run_path)
        if self._usable(entry):
            return self._serve(entry, 'run')
        with locked(os.path.join(rdir, key + '.lock')):
            return self._get_locked(run_path, pdir and os.path.join(pdir, key + '.json'), fetch, token)

    def _usable(self, entry):
        if entry is None:
            return False
        return 'answer' in entry or (entry.get('scope') == self.error_scope and entry.get('attempt', 0) >= self.attempt)

    def _get_locked(self, run_path, ttl_path, fetch, token):
        entry = _read(run_path)
        source = 'run'
        if not self._usable(entry) and self.ttl and ttl_path:
            # Served, not copied into the run cache: a later caller without cache_ttl must get no answer older than
            # the run.
            entry = _read(ttl_path, max_age=self.ttl)
            source = 'ttl'
        if not self._usable(entry):
            source = 'api'
            entry = {'format': FORMAT, 'stored_at': time.time()}
            try:
                entry['answer'] = fetch()
            except ThousandEyesError as exc:
                # An API that echoes the token in its error text must not put it in a file.
                failure = {'error': str(exc), 'status': exc.status, 'method': exc.method, 'path': exc.path,
                           'problem': exc.problem, 'rate_limit': exc.rate_limit}
                entry.update(masked(failure, token), scope=self.error_scope, attempt=self.attempt)
            self._keep(run_path, entry)
            if self.ttl and ttl_path and 'answer' in entry:
                self._keep(ttl_path, entry)
        return self._serve(entry, source)

    def _keep(self, path, entry):
        try:
            write_entry(path, entry)
        except OSError as exc:  # a full disk costs later callers a request, not this one its answer
            self._say('cannot keep the answer in %s (%s)' % (os.path.dirname(path), exc))

    def _serve(self, entry, source):
        self.last_source = source
        if source != 'api':
            self._say('reused the %s cached %s ago (%s cache)' % (
                'answer' if 'answer' in entry else 'error', _age(entry.get('stored_at')),
                'run' if source == 'run' else 'cache_ttl'))
        if 'error' in entry:
            raise ThousandEyesError(entry['error'], status=entry.get('status'), method=entry.get('method'),
                                    path=entry.get('path'), problem=entry.get('problem'),
                                    rate_limit=entry.get('rate_limit'))
        return entry['answer']

    def _say(self, message):
        if self.display is not None:
            self.display.vvv('%s: %s' % (self.name, message), host=self.host)


def _writable_or_none(path):
    """The cross-run directory, or None where it cannot be made (a read-only ANSIBLE_HOME): then the run cache still
    works, with its salt in the run directory, and cache_ttl does nothing."""
    try:
        return private_dir(path)
    except OSError:
        return None


def _age(stored_at):
    try:
        return '%.1f s' % max(0.0, time.time() - float(stored_at))
    except (TypeError, ValueError):
        return 'some time'
