# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The usage lookup registers its option definitions as JSON (plugins/lookup/usage.py explains why): they must be what
ansible-core builds from its DOCUMENTATION and doc fragments, or options would silently differ from their docs."""

from __future__ import annotations

import json
import os

import yaml

from ansible.parsing.yaml.loader import AnsibleLoader
from ansible.plugins.loader import fragment_loader
from ansible.utils.plugin_docs import add_fragments

from ansible_collections.thousandeyes.usage.plugins.lookup import usage


def without_descriptions(value):
    if isinstance(value, dict):
        return dict((key, without_descriptions(item)) for key, item in value.items() if key != 'description')
    if isinstance(value, list):
        return [without_descriptions(item) for item in value]
    return value


def layout(value, indent=0, width=110):
    """The layout of OPTION_DEFINITIONS: compact where it fits, one key per line where not."""
    compact = json.dumps(value, sort_keys=True, separators=(',', ':'))
    if len(compact) + indent <= width or not isinstance(value, (dict, list)) or not value:
        return compact
    pad = ' ' * (indent + 1)
    if isinstance(value, dict):
        items = ['%s%s:%s' % (pad, json.dumps(key), layout(item, indent + 1, width)) for key, item in sorted(value.items())]
        return '{\n' + ',\n'.join(items) + '\n' + ' ' * indent + '}'
    return '[\n' + ',\n'.join(pad + layout(item, indent + 1, width) for item in value) + '\n' + ' ' * indent + ']'


def options_from_the_docs():
    """What PluginLoader._load_config_defs builds: DOCUMENTATION parsed, fragments merged, its options."""
    doc = yaml.load(usage.DOCUMENTATION, Loader=AnsibleLoader)
    add_fragments(doc, os.path.abspath(usage.__file__), fragment_loader=fragment_loader, is_module=False)
    return without_descriptions(doc['options'])


def test_option_definitions_match_the_documentation():
    expected = options_from_the_docs()
    assert json.loads(usage.OPTION_DEFINITIONS) == expected, (
        'plugins/lookup/usage.py OPTION_DEFINITIONS is out of date; replace it with:\n' + layout(expected))


def test_option_definitions_are_laid_out_for_review():
    assert usage.OPTION_DEFINITIONS.strip() == layout(json.loads(usage.OPTION_DEFINITIONS))


def test_ansible_uses_them_instead_of_parsing_the_docs():
    from ansible import constants as C
    from ansible.plugins.loader import lookup_loader
    plugin = lookup_loader.get('thousandeyes.usage.usage')
    definitions = C.config.get_configuration_definitions('lookup', plugin._load_name)
    assert definitions == json.loads(usage.OPTION_DEFINITIONS)
    assert all('description' not in option for option in definitions.values())  # ours, not parsed from the docs
