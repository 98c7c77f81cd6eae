# -*- coding: utf-8 -*-
# Copyright (c) thousandeyes.usage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r'''
module: usage_monitor
short_description: Event-Driven Ansible source that watches ThousandEyes quota
version_added: 1.2.0
description:
  - An event source for C(ansible-rulebook) and Event-Driven Ansible controller. It polls C(GET /v7/usage) every
    O(interval) seconds and puts an event on the queue when quota crosses a threshold, so rules can act on quota
    consumed between deployments (tests added in the web UI, endpoint agents installed, the hourly recalculation of
    the projection).
  - "Each event is C({\"thousandeyes_usage\": {...}}) with these keys: C(type) (V(state), V(threshold_crossed) or
    V(threshold_cleared)); C(metric), C(value) and C(threshold) (the threshold name, its percentage now and its
    limit; null in V(state) events); C(quota_status), C(usage) and C(headroom) (as the
    M(thousandeyes.usage.usage_info) module returns them, from the same code); C(aid) (null for the token's default
    account group); C(observed_at) (when the answer came, UTC); and C(dedupe_key)."
  - A V(state) event comes at the first poll and at the first poll of each new billing period; with
    O(emit=every_poll), at every poll.
  - A V(threshold_crossed) event comes for each threshold when its breach starts, and a V(threshold_cleared) event
    when it ends (the value is back within the threshold, or its billing period ended). The first poll, after a
    start or restart, also emits V(threshold_crossed) for every threshold breached at that moment.
  - C(dedupe_key) names the breach. It is a hash of the aid, the threshold name, its limit and the start of the billing
    period, so it is the same across restarts for the same crossing (and for its V(threshold_cleared)). A V(state)
    event's key names the billing period. Throttle on it, or pass it to an action that skips work already done for
    it. The key holds nothing secret.
  - The source keeps no state on disk. Rate-limited answers (HTTP 429) are waited out until
    C(X-Organization-Rate-Limit-Reset), bounded by O(max_rate_limit_wait). Server errors (HTTP 5xx), timeouts,
    connection errors and a rate limit that lasts longer are logged in one line and polled again after a wait that
    starts at 30 seconds and doubles up to O(interval). Any other failed request (a bad token, HTTP 401 or 403), an
    O(account_group) that does not resolve and a bad option stop the source at once with one line, so the activation
    fails and its restart policy applies.
  - Options fall back to the same environment variables as the modules', read where C(ansible-rulebook) runs.
author:
  - thousandeyes.usage maintainers (@thousandeyes-usage)
extends_documentation_fragment:
  - thousandeyes.usage.connection
options:
  thresholds:
    description:
      - Maximum percentages (0 to 1000) of the included amounts, with the keys of
        O(thousandeyes.usage.usage_info#module:thresholds), for example C(cloud_units_projected_pct). Each one is
        watched on its own.
      - Without thresholds the source emits V(state) events only.
    type: raw
  reserve:
    description:
      - What a rollout would add, as in O(thousandeyes.usage.usage_info#module:reserve). Every threshold then judges
        the organization after it.
    type: raw
  account_group:
    description:
      - Name of the account group to watch, instead of its ID in O(aid); the two are mutually exclusive. Resolved once,
        at start, with C(GET /v7/account-groups).
    type: str
  interval:
    description:
      - Seconds between polls, at least 1.
      - ThousandEyes recalculates projections hourly, and the 240 requests per minute of the API are shared by the
        whole organization. Use 300 or more.
    type: float
    default: 3600
  emit:
    description:
      - V(changes) emits V(state) at the first poll of a run and of each billing period, and the threshold events;
        nothing while nothing crosses.
      - V(every_poll) also emits a V(state) event at every poll.
    type: str
    choices: [changes, every_poll]
    default: changes
notes:
  - Requires C(ansible-core) (the collection's code uses it) and C(requests) where C(ansible-rulebook) runs; in
    Event-Driven Ansible controller, in the Decision Environment (see C(examples/decision-environment.yml)).
'''

EXAMPLES = r'''
- name: Watch quota
  hosts: all
  sources:
    - name: Projected cloud units
      thousandeyes.usage.usage_monitor:
        token: "{{ thousandeyes_token }}"
        account_group: Production
        thresholds:
          cloud_units_projected_pct: 90
        interval: 900
  rules:
    - name: Tell the quota owners, once a day at most per breach
      condition: event.thousandeyes_usage.type == "threshold_crossed"
      throttle:
        once_within: 1 day
        group_by_attributes:
          - event.thousandeyes_usage.dedupe_key
      action:
        run_job_template:
          name: Notify quota owners
          organization: Default
          job_args:
            extra_vars:
              quota_event: "{{ event.thousandeyes_usage }}"
'''

import asyncio
import hashlib
import json
import logging
import os
import sys

# ansible-rulebook runs this file with runpy, outside Ansible's collection loader: make the collection's own code
# importable from the directory that holds ansible_collections/thousandeyes/usage (seven levels up).
_COLLECTIONS_DIR = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), *[os.pardir] * 7))
if _COLLECTIONS_DIR not in sys.path:
    sys.path.insert(0, _COLLECTIONS_DIR)

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.thousandeyes.usage.plugins.module_utils._account_groups import check_exclusive, resolve_aid
from ansible_collections.thousandeyes.usage.plugins.module_utils._api import NoCache, ThousandEyesClient
from ansible_collections.thousandeyes.usage.plugins.module_utils._args import COMMON_ARGSPEC
from ansible_collections.thousandeyes.usage.plugins.module_utils._errors import ThousandEyesError, fmt_number
from ansible_collections.thousandeyes.usage.plugins.module_utils._reserve import check_reserve
from ansible_collections.thousandeyes.usage.plugins.module_utils._thresholds import check_thresholds, metric_value
from ansible_collections.thousandeyes.usage.plugins.module_utils._usage import facts, fetch_usage
from ansible_collections.thousandeyes.usage.plugins.module_utils._usage_info import USAGE_INFO_SPEC

logger = logging.getLogger('thousandeyes.usage.usage_monitor')

# The modules' declarations, taken by name; the cache options are left out: each poll must ask the API.
SPEC = dict(
    ((name, spec) for name, spec in COMMON_ARGSPEC.items() if not name.startswith('cache')),
    **dict((name, USAGE_INFO_SPEC['argument_spec'][name]) for name in ('thresholds', 'reserve', 'account_group')),
    interval=dict(type='float', default=3600),
    emit=dict(type='str', choices=['changes', 'every_poll'], default='changes'),
)
BACKOFF = 30  # seconds before the first poll after a transient error; doubled up to interval


def check_args(args):
    """The validated options, or ThousandEyesError with one line naming the option. Keys that are not options
    (ansible-rulebook adds eda_feedback_queue) are ignored."""
    given = dict((key, value) for key, value in args.items() if key in SPEC)
    check_exclusive(given)
    result = ArgumentSpecValidator(SPEC).validate(given)
    if result.error_messages:
        raise ThousandEyesError('; '.join(result.error_messages)).without(result.validated_parameters.get('token'))
    options = result.validated_parameters
    options.update(thresholds=check_thresholds(options['thresholds']), reserve=check_reserve(options['reserve']))
    if options['interval'] < 1:
        raise ThousandEyesError('interval must be at least 1 (seconds), got %s' % fmt_number(options['interval']))
    return options


def dedupe_key(aid, period, metric=None, threshold=None):
    """The same for the same breach (or, without a metric, the same billing period) across restarts."""
    return hashlib.sha256(json.dumps([aid, period, metric, threshold]).encode('utf-8')).hexdigest()[:16]


def transient(exc):
    """Worth polling again: no answer (connection error, timeout), a rate limit that outlasted the wait, a 5xx."""
    return exc.method is not None and (exc.status is None or exc.status == 429 or exc.status >= 500)


class Watch:
    """What one source has seen: the billing period and the thresholds breached in it; turns each answer into the
    events it brings."""

    def __init__(self, options, aid):
        self.options = options
        self.aid = aid
        self.period = self.breached = None  # nothing seen yet

    def events(self, answer):
        result = facts(answer, self.options['thresholds'], self.options['reserve'])
        period = result['quota_status']['period']['start']
        breached = set(breach['metric'] for breach in result['breaches'])
        new_period = self.breached is None or period != self.period
        before = self.breached or set()
        going_on = set() if new_period else before & breached  # a breach ends with its billing period
        events = []
        if new_period or self.options['emit'] == 'every_poll':
            events.append(self._event('state', result, answer, dedupe_key(self.aid, period)))
        for metric in sorted(before - going_on):
            events.append(self._event('threshold_cleared', result, answer, self._key(self.period, metric), metric))
        for metric in sorted(breached - going_on):
            events.append(self._event('threshold_crossed', result, answer, self._key(period, metric), metric))
        self.period, self.breached = period, breached
        return events

    def _key(self, period, metric):
        return dedupe_key(self.aid, period, metric, self.options['thresholds'][metric])

    def _event(self, kind, result, answer, key, metric=None):
        return {'thousandeyes_usage': {
            'type': kind,
            'metric': metric,
            'value': metric_value(result['quota_status'], metric, self.options['reserve']) if metric else None,
            'threshold': self.options['thresholds'][metric] if metric else None,
            'quota_status': result['quota_status'],
            'usage': result['usage'],
            'headroom': result['headroom'],
            'aid': self.aid,
            'observed_at': answer['observed_at'],
            'dedupe_key': key,
        }}


async def main(queue, args):
    """ansible-rulebook's entry point: poll until cancelled; raise on what a retry cannot fix."""
    options = check_args(args)
    client = ThousandEyesClient(options)
    watch = None
    backoff = None
    while True:
        try:
            if watch is None:
                watch = Watch(options, await asyncio.to_thread(resolve_aid, client, options, NoCache()))
                logger.info('watching the usage of %s every %s s', 'aid %s' % watch.aid if watch.aid else
                            "the token's default account group", fmt_number(options['interval']))
            answer = await asyncio.to_thread(fetch_usage, client, watch.aid)
        except ThousandEyesError as exc:
            if not transient(exc):
                raise
            backoff = min(options['interval'], backoff * 2 if backoff else BACKOFF)
            logger.warning('%s; polling again in %s s', exc, fmt_number(backoff))
            await asyncio.sleep(backoff)
            continue
        backoff = None
        events = watch.events(answer)
        logger.debug('polled GET /v7/usage: %d event(s)', len(events))
        for event in events:
            await queue.put(event)
        await asyncio.sleep(options['interval'])
