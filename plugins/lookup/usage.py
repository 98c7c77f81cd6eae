# -*- coding: utf-8 -*-
# Copyright (c) thousandeyes.usage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r'''
name: usage
short_description: ThousandEyes organization usage and quota facts, shared through the collection's cache
version_added: 1.0.0
description:
  - Calls C(GET /v7/usage) of the ThousandEyes API on the controller and returns the same facts as the
    M(thousandeyes.usage.usage_info) module (C(usage), C(quota_status), C(rate_limit), C(breaches), C(headroom)),
    built by the same code.
  - By default the answer is shared by every evaluation in one C(ansible-playbook) run (all hosts, tasks and forks;
    concurrent evaluations wait for the one request) and with the M(thousandeyes.usage.usage_info) module, so a play
    over hundreds of hosts with this lookup in C(vars) makes one API call and stays far below the organization rate
    limit. See O(cache).
  - Threshold breaches do not raise an error (a lookup should not abort templating); they are returned in C(breaches).
    Gate with the P(thousandeyes.usage.within_quota#test) test or an C(assert) on C(breaches).
author:
  - thousandeyes.usage maintainers (@thousandeyes-usage)
extends_documentation_fragment:
  - thousandeyes.usage.connection
  - thousandeyes.usage.connection.plugins
  - thousandeyes.usage.account_group
  - thousandeyes.usage.account_group.plugins
  - thousandeyes.usage.usage
  - thousandeyes.usage.cache
  - thousandeyes.usage.cache.plugins
options:
  _terms:
    description:
      - Account group IDs. The lookup returns one result per term, so one call can read several organizations.
      - Without terms it returns one result, for O(aid) (or the token's default account group).
    type: list
    elements: str
    required: false
notes:
  - Lookups run on the controller and read environment variables there.
  - The usage reflects the current billing period. The cache cannot return data older than the run (or
    O(cache_timeout)).
seealso:
  - module: thousandeyes.usage.usage_info
  - plugin: thousandeyes.usage.within_quota
    plugin_type: test
'''

EXAMPLES = r'''
# In a play over many hosts, put the lookup in play vars: every host and task shares one API request.
#   vars:
#     te: "{{ lookup('thousandeyes.usage.usage', thresholds={'cloud_units_projected_pct': 90}) }}"
- name: Stop when the quota is nearly used
  ansible.builtin.assert:
    that: te.breaches == []
    fail_msg: "{{ te.breaches | map(attribute='message') | join('; ') }}"
  run_once: true

- name: Deploy the agent configuration only with room in the contract
  ansible.builtin.template:
    src: agent.conf.j2
    dest: /etc/te-agent.cfg
    mode: "0644"
  when: te is thousandeyes.usage.within_quota(cloud_units_projected_pct=90)

- name: Token from a variable, per-test list expanded
  ansible.builtin.debug:
    msg: "{{ lookup('thousandeyes.usage.usage', expand=['test']).usage.tests | length }} tests"
  vars:
    thousandeyes_token: "{{ vault_thousandeyes_token }}"

- name: Several organizations at once (one account group per organization)
  ansible.builtin.debug:
    msg: "{{ item.quota_status.cloud_units.projected_pct }} % projected"
  loop: "{{ query('thousandeyes.usage.usage', '1234', '5678') }}"
'''

RETURN = r'''
_raw:
  description:
    - One result per account group (a single dict for C(lookup) without terms; a list with C(query) or terms).
    - The keys are those of the M(thousandeyes.usage.usage_info) module's return values, computed by the same code.
  type: list
  elements: dict
  contains:
    usage:
      description: The API's C(usage) object, every key in snake_case. See M(thousandeyes.usage.usage_info).
      type: dict
    quota_status:
      description: Computed quota facts (period, cloud units, agents, enterprise units). See
        M(thousandeyes.usage.usage_info).
      type: dict
    rate_limit:
      description: The organization rate-limit headers (C(limit), C(remaining), C(reset)) of the answer used.
      type: dict
    breaches:
      description: Every threshold of O(thresholds) exceeded (after the rollout, with O(reserve)), as C(metric),
        C(value), C(threshold), C(message).
      type: list
      elements: dict
    headroom:
      description: The largest rollout that would still pass every threshold in effect, per metric. See
        M(thousandeyes.usage.usage_info).
      type: dict
      version_added: 1.2.0
'''

from ansible import constants as C
from ansible.errors import AnsibleLookupError
from ansible.module_utils.common.text.converters import to_native
from ansible.plugins.lookup import LookupBase
from ansible.utils.display import Display

from ansible_collections.thousandeyes.usage.plugins.module_utils._account_groups import resolve_aid
from ansible_collections.thousandeyes.usage.plugins.module_utils._api import ThousandEyesClient
from ansible_collections.thousandeyes.usage.plugins.module_utils._args import check_common
from ansible_collections.thousandeyes.usage.plugins.module_utils._errors import ThousandEyesError, shown
from ansible_collections.thousandeyes.usage.plugins.module_utils._reserve import check_reserve
from ansible_collections.thousandeyes.usage.plugins.module_utils._thresholds import check_thresholds
from ansible_collections.thousandeyes.usage.plugins.module_utils._usage import expand_param, facts
from ansible_collections.thousandeyes.usage.plugins.module_utils._usage_info import read_usage
from ansible_collections.thousandeyes.usage.plugins.plugin_utils._cache import Cache

display = Display()


class LookupModule(LookupBase):

    def run(self, terms, variables=None, **kwargs):
        self.set_options(var_options=self._templated_vars(variables), direct=kwargs)
        if 'cache_ttl' in kwargs:
            display.deprecated('The cache_ttl option of thousandeyes.usage.usage is deprecated: use cache_timeout',
                               version='2.0.0', collection_name='thousandeyes.usage')
        options = self.get_options()
        try:
            # Everything is checked before any request; the client opens no connection until it sends one.
            for term in terms:
                if isinstance(term, bool) or not isinstance(term, (str, int)):
                    raise ThousandEyesError('terms must be account group IDs (aid), got %s' % shown(term))
            if terms and kwargs.get('account_group'):
                raise ThousandEyesError('terms and account_group are mutually exclusive: give account group IDs as '
                                        'terms or one name as account_group')
            check_common(kwargs, options)
            client = ThousandEyesClient(options)
            expand = expand_param(options['expand'])
            thresholds = check_thresholds(options['thresholds'])
            reserve = check_reserve(options['reserve'])
            cache = Cache(options, display, 'thousandeyes.usage.usage')
            # A keyword aid wins over an account_group from variables or the environment.
            keyword_aid = any(kwargs.get(key) not in (None, '') for key in ('aid', 'account_group_id'))
            name = None if terms or keyword_aid else options['account_group']
            aids = [to_native(term) for term in terms] or [resolve_aid(client, {'account_group': name}, cache)]
            return [facts(read_usage(client, aid, expand, cache), thresholds, reserve) for aid in aids]
        except ThousandEyesError as exc:
            raise AnsibleLookupError(to_native(exc))

    def _templated_vars(self, variables):
        """The variables this plugin reads as options (thousandeyes_token, ...), templated: ansible-core before 2.19
        hands lookups the raw values, so `thousandeyes_token: "{{ vault_token }}"` would arrive as the template text."""
        definitions = C.config.get_configuration_definitions('lookup', self._load_name) or {}
        names = set(source['name'] for option in definitions.values() for source in option.get('vars') or ())
        return dict((name, self._templar.template(variables[name])) for name in names if name in (variables or {}))
