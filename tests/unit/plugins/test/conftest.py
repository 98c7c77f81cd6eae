# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Start the collection loader for tests that load plugins by name."""

from __future__ import annotations

from ansible.plugins.loader import init_plugin_loader
from ansible.utils.collection_loader._collection_finder import AnsibleCollectionConfig

# Lookups and tests are loaded through Ansible's plugin loader, which needs the collection loader running
# (controller-side tests only: module tests run where ansible.plugins is not importable).
if AnsibleCollectionConfig.collection_finder is None:
    init_plugin_loader()
