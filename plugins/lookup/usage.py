# -*- coding: utf-8 -*-
# Copyright (c) thousandeyes.usage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r'''
name: usage
short_description: ThousandEyes organization usage and quota facts, fetched once per playbook run
version_added: 1.0.0
description:
  - Calls C(GET /v7/usage) of the ThousandEyes API on the controller and returns the same facts as the
    M(thousandeyes.usage.usage_info) module (C(usage), C(quota_status), C(rate_limit), C(breaches)), built by the
    same code.
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
  - The usage reflects the current billing period. The cache cannot return data older than the run (or O(cache_ttl)).
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
      description: Every threshold of O(thresholds) exceeded, as C(metric), C(value), C(threshold), C(message).
      type: list
      elements: dict
'''

import hashlib
import json
import os
import time

from ansible import constants as C
from ansible.errors import AnsibleError
from ansible.plugins.lookup import LookupBase
from ansible.utils.display import Display

display = Display()

# A lookup is loaded afresh in every forked worker: each evaluation of it is a cold start. Two things keep a cache hit
# as cheap as any collection lookup's (benchmarks/README.md):
# - The option definitions Ansible would build from DOCUMENTATION and its three fragments (YAML parsing and fragment
#   loading, about 4 ms per worker) are registered here as JSON; ansible-core then skips that work.
#   tests/unit/plugins/lookup/test_option_definitions.py keeps this equal to what Ansible builds from the docs.
# - An evaluation with the same options and terms as an earlier one in the run returns that one's results from a file,
#   without loading the collection's module_utils (validation gave the same answer then); anything else takes the
#   full path in plugin_utils/_usage_lookup.py.
OPTION_DEFINITIONS = r'''
{
 "_terms":{"elements":"str","required":false,"type":"list"},
 "account_group":{
  "type":"str",
  "vars":[{"name":"thousandeyes_account_group"}],
  "version_added":"1.1.0",
  "version_added_collection":"thousandeyes.usage"
 },
 "aid":{
  "aliases":["account_group_id"],
  "env":[{"name":"TE_AID"},{"name":"THOUSANDEYES_AID"}],
  "ini":[{"key":"aid","section":"thousandeyes"}],
  "type":"str",
  "vars":[{"name":"thousandeyes_aid"}]
 },
 "api_url":{
  "default":"https://api.thousandeyes.com/v7",
  "env":[{"name":"THOUSANDEYES_API_URL"}],
  "ini":[{"key":"api_url","section":"thousandeyes"}],
  "type":"str",
  "vars":[{"name":"thousandeyes_api_url"}]
 },
 "ca_path":{"ini":[{"key":"ca_path","section":"thousandeyes"}],"type":"path"},
 "cache":{"choices":["run","none"],"default":"run","type":"str"},
 "cache_ttl":{"type":"int"},
 "expand":{
  "choices":[
   "test",
   "enterprise-agent",
   "enterprise-agent-unit",
   "endpoint-agent",
   "endpoint-agent-essential",
   "endpoint-agent-embedded",
   "all"
  ],
  "elements":"str",
  "type":"list"
 },
 "max_rate_limit_wait":{"default":120,"ini":[{"key":"max_rate_limit_wait","section":"thousandeyes"}],"type":"float"},
 "max_retries":{"default":3,"ini":[{"key":"max_retries","section":"thousandeyes"}],"type":"int"},
 "thresholds":{
  "suboptions":{
   "cloud_units_next_billing_period_pct":{"type":"float"},
   "cloud_units_projected_pct":{"type":"float"},
   "cloud_units_used_pct":{"type":"float"},
   "endpoint_agents_embedded_used_pct":{"type":"float"},
   "endpoint_agents_essentials_used_pct":{"type":"float"},
   "endpoint_agents_used_pct":{"type":"float"},
   "enterprise_agents_used_pct":{"type":"float"}
  },
  "type":"dict"
 },
 "timeout":{"default":30,"ini":[{"key":"timeout","section":"thousandeyes"}],"type":"float"},
 "token":{
  "env":[{"name":"TE_TOKEN"},{"name":"THOUSANDEYES_TOKEN"}],
  "ini":[{"key":"token","section":"thousandeyes"}],
  "required":true,
  "type":"str",
  "vars":[{"name":"thousandeyes_token"}]
 },
 "validate_certs":{"default":true,"ini":[{"key":"validate_certs","section":"thousandeyes"}],"type":"bool"}
}
'''
if not C.config.has_configuration_definition('lookup', __name__):
    C.config.initialize_plugin_configuration_definitions('lookup', __name__, json.loads(OPTION_DEFINITIONS))
OPTION_NAMES = tuple(sorted(name for name in json.loads(OPTION_DEFINITIONS) if name != '_terms'))


def _read_results(path):
    """The results an earlier evaluation kept at ``path``, or None when there are none (yet) or they are unreadable."""
    try:
        with open(path) as handle:
            entry = json.load(handle)
        results = entry['results']
        display.vvv('thousandeyes.usage.usage: reused the results of the same evaluation %.1f s ago (run cache)'
                    % max(0.0, time.time() - entry['stored_at']))
        return results
    except (OSError, ValueError, KeyError, TypeError):
        return None


class LookupModule(LookupBase):

    def run(self, terms, variables=None, **kwargs):
        variables = self._templated_vars(variables)
        try:
            self.set_options(var_options=variables, direct=kwargs)
        except AnsibleError as exc:
            from ansible_collections.thousandeyes.usage.plugins.plugin_utils._usage_lookup import check_given
            # The collection's message for a value given here, or for the token set nowhere, as the modules say it
            # (ansible-core < 2.19 says "No setting was provided for required configuration ... setting: token").
            message = str(exc)
            required = "Required config 'token'" in message or message.rstrip().endswith(' setting: token')
            check_given(self, terms, kwargs, variables, required=required)
            raise
        results_path = self._results_path(terms, kwargs)
        if results_path is None:
            return self._full_run(terms, kwargs, variables, None)
        results = _read_results(results_path)
        if results is None:
            # Evaluations that start together wait for the first one's results instead of each loading the full path.
            from ansible_collections.thousandeyes.usage.plugins.plugin_utils._cache import locked, private_dir
            private_dir(os.path.dirname(results_path))
            with locked(results_path[:-len('.json')] + '.lock'):
                results = _read_results(results_path)
                if results is None:
                    return self._full_run(terms, kwargs, variables, results_path)
        return results

    def _full_run(self, terms, kwargs, variables, results_path):
        from ansible_collections.thousandeyes.usage.plugins.plugin_utils._usage_lookup import check_given, run_lookup
        check_given(self, terms, kwargs, variables)
        return run_lookup(self, terms, results_path, kwargs)

    def _templated_vars(self, variables):
        """The variables this plugin reads as options (thousandeyes_token, ...), templated: ansible-core hands lookups
        the raw values, so `thousandeyes_token: "{{ vault_token }}"` would otherwise arrive as the template text."""
        if not variables:
            return variables
        definitions = C.config.get_configuration_definitions('lookup', self._load_name) or {}
        names = set(entry['name'] for option in definitions.values() for entry in option.get('vars') or ())
        return dict((name, self._templar.template(variables[name])) for name in names if name in variables)

    def _results_path(self, terms, given):
        """The run cache file for the results of exactly these terms and options (as given and as set), or None
        (cache=none, no salt yet).

        Named by a hash of all of them with the cache's salt, as the answers are: the token is never in a name."""
        if self.get_option('cache') != 'run':
            return None
        try:
            with open(os.path.join(C.ANSIBLE_HOME, 'cache', 'thousandeyes.usage', 'salt'), 'rb') as handle:
                salt = handle.read().strip()
        except OSError:
            return None
        material = json.dumps([terms, given, [self.get_option(name) for name in OPTION_NAMES]], sort_keys=True,
                              default=str)
        key = hashlib.sha256(salt + b'\0' + material.encode('utf-8')).hexdigest()[:48]
        return os.path.join(C.DEFAULT_LOCAL_TMP, 'thousandeyes.usage', key + '.results.json')
