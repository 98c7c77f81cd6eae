# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The modules' action plugins, loaded through Ansible's action loader and run as a task executor would run them.

Each test is its own playbook run (a fresh per-run temporary directory and Ansible home). Only Ansible's own
machinery is stood in for: a Task built in memory, a mocked connection with the real ``sh`` shell plugin (the
controller path never uses the connection), a DataLoader and a Templar. HTTP goes to the scripted server.
"""

from __future__ import annotations

import json
from unittest.mock import MagicMock

import pytest

from ansible import constants as C
from ansible.errors import AnsibleActionFail
from ansible.parsing.dataloader import DataLoader
from ansible.playbook.play_context import PlayContext
from ansible.playbook.task import Task
from ansible.plugins.loader import action_loader, init_plugin_loader, shell_loader
from ansible.template import Templar
from ansible.utils.collection_loader._collection_finder import AnsibleCollectionConfig

from ansible_collections.thousandeyes.usage.tests.unit.plugins.compat import patch_module_args
from simulator import Simulator

# Action plugins are loaded through Ansible's plugin loader, which needs the collection loader running.
if AnsibleCollectionConfig.collection_finder is None:
    init_plugin_loader()


@pytest.fixture(autouse=True)
def ansible_dirs(tmp_path, monkeypatch):
    monkeypatch.setattr(C, 'DEFAULT_LOCAL_TMP', str(tmp_path / 'local_tmp'), raising=False)
    monkeypatch.setattr(C, 'ANSIBLE_HOME', str(tmp_path / 'home'), raising=False)
    return tmp_path


@pytest.fixture
def sim():
    """The API simulator (default scenario), for POST sequences: it closes every connection after answering, where
    the scripted server leaves a POST body unread on a kept-alive connection."""
    with Simulator() as server:
        yield server


def new_task(args, **attributes):
    """A task as the play would hold it: args, and attributes such as environment, delegate_to, check_mode, diff."""
    task = Task()
    task.args = dict(args)
    for name, value in attributes.items():
        setattr(task, name, value)
    return task


def load_action(name, task, variables=None):
    """The action plugin ``thousandeyes.usage.<name>`` for ``task``, from the real action loader."""
    connection = MagicMock()
    connection._shell = shell_loader.get('sh')
    loader = DataLoader()
    templar = Templar(loader=loader, variables=dict(variables or {}))
    plugin = action_loader.get('thousandeyes.usage.' + name, task=task, connection=connection,
                               play_context=PlayContext(), loader=loader, templar=templar, shared_loader_obj=None)
    assert plugin is not None, name
    return plugin


def run_plugin(plugin, host='web1', variables=None):
    """One run of the handler for one host, then its cleanup, as TaskExecutor does for each attempt (an
    AnsibleActionFail, which validate_argument_spec raises, becomes the failed task result it carries)."""
    try:
        return plugin.run(task_vars=dict(variables or {}, inventory_hostname=host))
    except AnsibleActionFail as exc:  # its result is {failed, msg} before ansible-core 2.21, {} from 2.21 on
        return dict(exc.result, failed=True, msg=exc.message)
    finally:
        plugin.cleanup()


@pytest.fixture
def task():
    return new_task


@pytest.fixture
def action():
    return load_action


@pytest.fixture
def run_action():
    """``run_action(name, args, host=..., variables=..., **task_attributes)``: one task on one host; the result."""

    def run(name, args, host='web1', variables=None, **attributes):
        return run_plugin(load_action(name, new_task(args, **attributes), variables), host, variables)

    return run


@pytest.fixture
def run_on():
    """``run_on(plugin, host)``: another run of an already loaded handler (another attempt, or another host)."""
    return run_plugin


@pytest.fixture
def run_module(capsys):
    """``run_module(module, args)``: the module's main() as on a managed host; its exit code and JSON result."""

    def run(module, args):
        with patch_module_args(args):
            with pytest.raises(SystemExit) as exit_info:
                module.main()
        result = json.loads(capsys.readouterr().out)
        result.pop('invocation', None)  # module_args echo (ansible-core < 2.21); the action returns none
        return exit_info.value.code, result

    return run
