# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The threshold names, the expand values and the cache modes live in code (module_utils); the documentation that
lists them again is kept in step here, so adding one is one edit in code that these tests then point at."""

from __future__ import annotations

import os

import yaml

from ansible_collections.thousandeyes.usage.plugins.doc_fragments.cache import ModuleDocFragment as CacheFragment
from ansible_collections.thousandeyes.usage.plugins.doc_fragments.usage import ModuleDocFragment as UsageFragment
from ansible_collections.thousandeyes.usage.plugins.module_utils._params import CACHE_MODES
from ansible_collections.thousandeyes.usage.plugins.module_utils._thresholds import THRESHOLDS
from ansible_collections.thousandeyes.usage.plugins.module_utils._usage import EXPAND_CHOICES, EXPAND_VALUES

TEST_PLUGIN_DOCS = os.path.join(os.path.dirname(__file__), '..', '..', '..', '..', 'plugins', 'test', 'within_quota.yml')


def threshold_docs():
    """What the documentation of each threshold must say, from THRESHOLDS."""
    return dict((name, {'description': 'Maximum of C(quota_status.%s.%s).' % (section, key), 'type': 'float'})
                for name, (section, key) in THRESHOLDS.items())


def test_threshold_suboptions_are_the_thresholds():
    options = yaml.safe_load(UsageFragment.DOCUMENTATION)['options']
    assert options['thresholds']['suboptions'] == threshold_docs(), 'plugins/doc_fragments/usage.py'


def test_the_within_quota_test_takes_the_thresholds():
    with open(TEST_PLUGIN_DOCS) as handle:
        options = dict(yaml.safe_load(handle)['DOCUMENTATION']['options'])
    options.pop('_input')
    assert options == threshold_docs(), 'plugins/test/within_quota.yml'


def test_expand_choices_and_what_each_adds():
    expand = yaml.safe_load(UsageFragment.DOCUMENTATION)['options']['expand']
    assert expand['choices'] == list(EXPAND_CHOICES)
    described = ' '.join(expand['description'])
    assert [value for value in EXPAND_VALUES if 'V(%s)' % value not in described] == []


def test_cache_modes():
    assert yaml.safe_load(CacheFragment.DOCUMENTATION)['options']['cache']['choices'] == list(CACHE_MODES)
