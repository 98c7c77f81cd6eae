# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The threshold names and the expand values live in code (module_utils); the documentation that lists them again is
kept in step here, so adding one is one edit in code that these tests then point at. (Options declared both in a
module's argument spec and its documentation are compared by ansible-test sanity's validate-modules.)"""

from __future__ import annotations

import yaml

from ansible_collections.thousandeyes.usage.plugins.doc_fragments.usage import ModuleDocFragment as UsageFragment
from ansible_collections.thousandeyes.usage.plugins.module_utils._thresholds import THRESHOLDS
from ansible_collections.thousandeyes.usage.plugins.module_utils._usage import EXPAND_CHOICES, EXPAND_VALUES
from ansible_collections.thousandeyes.usage.plugins.test.within_quota import DOCUMENTATION as WITHIN_QUOTA_DOCUMENTATION


def test_the_within_quota_test_takes_the_thresholds():
    options = yaml.safe_load(WITHIN_QUOTA_DOCUMENTATION)['options']
    options.pop('_input')
    options.pop('reserve')
    assert options == dict((name, {'description': 'Maximum of C(quota_status.%s.%s).' % (section, key),
                                   'type': 'float'})
                           for name, (section, key, dummy) in THRESHOLDS.items()), 'plugins/test/within_quota.py'


def test_the_thresholds_option_names_every_threshold_and_what_it_limits():
    described = ' '.join(yaml.safe_load(UsageFragment.DOCUMENTATION)['options']['thresholds']['description'])
    assert [name for name in THRESHOLDS if 'C(%s)' % name not in described] == [], 'plugins/doc_fragments/usage.py'
    # Each limited value is named in full (C(quota_status.<section>...)) or after its section (C(.<section>)).
    sections = set(section for section, dummy, dummy in THRESHOLDS.values())
    assert [section for section in sections if 'C(quota_status.%s' % section not in described and
            'C(.%s)' % section not in described] == []
    keys = set(key for dummy, key, dummy in THRESHOLDS.values())
    assert [key for key in keys if key not in described] == []


def test_expand_choices_and_what_each_adds():
    expand = yaml.safe_load(UsageFragment.DOCUMENTATION)['options']['expand']
    assert expand['choices'] == list(EXPAND_CHOICES)
    described = ' '.join(expand['description'])
    assert [value for value in EXPAND_VALUES if 'V(%s)' % value not in described] == []
