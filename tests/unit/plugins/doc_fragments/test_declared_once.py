# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The threshold names, the expand values and the cache modes live in code (module_utils); the documentation that
lists them again is kept in step here, so adding one is one edit in code that these tests then point at."""

from __future__ import annotations

import yaml

from ansible_collections.thousandeyes.usage.plugins.doc_fragments.cache import ModuleDocFragment as CacheFragment
from ansible_collections.thousandeyes.usage.plugins.doc_fragments.usage import ModuleDocFragment as UsageFragment
from ansible_collections.thousandeyes.usage.plugins.module_utils._params import CACHE_MODES
from ansible_collections.thousandeyes.usage.plugins.module_utils._thresholds import THRESHOLDS
from ansible_collections.thousandeyes.usage.plugins.module_utils._usage import EXPAND_CHOICES, EXPAND_VALUES
from ansible_collections.thousandeyes.usage.plugins.test.within_quota import DOCUMENTATION as WITHIN_QUOTA_DOCUMENTATION


def threshold_docs():
    """What the documentation of each threshold must say, from THRESHOLDS."""
    return dict((name, {'description': 'Maximum of C(quota_status.%s.%s).' % (section, key), 'type': 'float'})
                for name, (section, key) in THRESHOLDS.items())


def test_threshold_suboptions_are_the_thresholds():
    options = yaml.safe_load(UsageFragment.DOCUMENTATION)['options']
    assert options['thresholds']['suboptions'] == threshold_docs(), 'plugins/doc_fragments/usage.py'


def test_the_within_quota_test_takes_the_thresholds():
    options = yaml.safe_load(WITHIN_QUOTA_DOCUMENTATION)['options']
    options.pop('_input')
    assert options == threshold_docs(), 'plugins/test/within_quota.py'


def test_expand_choices_and_what_each_adds():
    expand = yaml.safe_load(UsageFragment.DOCUMENTATION)['options']['expand']
    assert expand['choices'] == list(EXPAND_CHOICES)
    described = ' '.join(expand['description'])
    assert [value for value in EXPAND_VALUES if 'V(%s)' % value not in described] == []


def test_cache_modes():
    assert yaml.safe_load(CacheFragment.DOCUMENTATION)['options']['cache']['choices'] == list(CACHE_MODES)
