# -*- coding: utf-8 -*-
# Copyright (c) thousandeyes.usage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations


class ModuleDocFragment:
    """The answer cache of every plugin that reads the API, named after the inventory plugins' cache options.
    DOCUMENTATION for modules and plugins, PLUGINS adds the lookup's sources."""

    DOCUMENTATION = r'''
options:
  cache:
    description:
      - V(run) reuses each answer for the rest of the C(ansible-playbook) run, on the controller, for every host, task,
        fork and plugin of the collection. Callers asking the same question at the same moment wait for one request.
        An error is never stored; callers that were waiting for the failed request get its error, and a later call
        asks again.
      - With O(cache_timeout), answers are also kept in O(cache_plugin) and reused for that long by later runs and by
        other controllers or execution nodes that reach the same backend.
      - V(none) asks the API every time, for example in an C(until) loop waiting for usage to change.
      - The cache is the controller's. A module task delegated to another host asks the API at every run.
    type: str
    choices: [run, none]
    default: run
  cache_plugin:
    description:
      - The Ansible cache plugin that keeps answers across runs when O(cache_timeout) is set, by its fully qualified
        name, for example V(community.general.redis) for a Redis that every controller and execution node reaches.
      - A backend that fails (down, misconfigured, not installed) never fails the task; the task asks the API and
        Ansible shows one warning naming the backend.
      - The fact cache's settings (C(fact_caching*), C(ANSIBLE_CACHE_PLUGIN*)) are never read, because AWX points
        them at its per-job fact cache.
      - Modules fall back to the environment variable E(THOUSANDEYES_CACHE_PLUGIN).
    type: str
    default: ansible.builtin.jsonfile
    version_added: 1.2.0
  cache_connection:
    description:
      - The connection of O(cache_plugin), as that plugin reads it; for V(community.general.redis),
        C(host:port:db:password) or C(tls://host:port:db:password).
      - For V(ansible.builtin.jsonfile) it is a directory; by default C(ANSIBLE_HOME/cache/thousandeyes.usage),
        which the collection creates with mode 0700.
      - Modules fall back to the environment variable E(THOUSANDEYES_CACHE_CONNECTION), which an AAP credential can
        inject. Never logged or returned.
    type: str
    version_added: 1.2.0
  cache_timeout:
    description:
      - Seconds an answer is kept in O(cache_plugin) and reused by later runs. V(0) keeps nothing beyond the run.
      - Keys are a keyed hash (HMAC) of the question with the token, and values are encrypted with a key derived from
        the token, so entries reveal no token, organization ID or usage, and different tokens never share one.
      - O(cache_ttl) is a deprecated alias, to be removed in version 2.0.0.
      - Modules fall back to the environment variable E(THOUSANDEYES_CACHE_TIMEOUT).
    type: int
    default: 0
    aliases: [cache_ttl]
    version_added: 1.2.0
  cache_prefix:
    description:
      - Prefix of the keys in O(cache_plugin), so that several uses can share one backend.
      - Modules fall back to the environment variable E(THOUSANDEYES_CACHE_PREFIX).
    type: str
    default: thousandeyes_usage_
    version_added: 1.2.0
'''

    PLUGINS = r'''
options:
  cache_plugin:
    env:
      - name: THOUSANDEYES_CACHE_PLUGIN
    ini:
      - section: thousandeyes
        key: cache_plugin
  cache_connection:
    env:
      - name: THOUSANDEYES_CACHE_CONNECTION
    ini:
      - section: thousandeyes
        key: cache_connection
  cache_timeout:
    env:
      - name: THOUSANDEYES_CACHE_TIMEOUT
    ini:
      - section: thousandeyes
        key: cache_timeout
  cache_prefix:
    env:
      - name: THOUSANDEYES_CACHE_PREFIX
    ini:
      - section: thousandeyes
        key: cache_prefix
'''
