# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Each test is its own playbook run: a fresh per-run temporary directory and Ansible home."""

from __future__ import annotations

import pytest

from ansible import constants as C
from ansible.plugins.loader import init_plugin_loader
from ansible.utils.collection_loader._collection_finder import AnsibleCollectionConfig

# Lookups and tests are loaded through Ansible's plugin loader, which needs the collection loader running
# (controller-side tests only: module tests run where ansible.plugins is not importable).
if AnsibleCollectionConfig.collection_finder is None:
    init_plugin_loader()


@pytest.fixture(autouse=True)
def ansible_dirs(tmp_path, monkeypatch):
    monkeypatch.setattr(C, 'DEFAULT_LOCAL_TMP', str(tmp_path / 'local_tmp'), raising=False)
    monkeypatch.setattr(C, 'ANSIBLE_HOME', str(tmp_path / 'home'), raising=False)
    return tmp_path
