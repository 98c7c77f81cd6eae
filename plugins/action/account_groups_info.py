# -*- coding: utf-8 -*-
# Copyright (c) thousandeyes.usage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Runs the thousandeyes.usage.account_groups_info module's work on the controller (see plugin_utils/_action.py)."""

from __future__ import annotations

from ansible_collections.thousandeyes.usage.plugins.module_utils._account_groups import (
    ACCOUNT_GROUPS_INFO_SPEC,
    run_account_groups_info,
)
from ansible_collections.thousandeyes.usage.plugins.plugin_utils._action import ThousandEyesAction


class ActionModule(ThousandEyesAction):
    SPEC = ACCOUNT_GROUPS_INFO_SPEC
    RUNNER = staticmethod(run_account_groups_info)
