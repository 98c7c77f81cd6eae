# -*- coding: utf-8 -*-
# Copyright (c) thousandeyes.usage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations


class ModuleDocFragment:
    """Attributes shared by the collection's modules (extends ansible.builtin.action_common_attributes)."""

    INFO_MODULE = r'''
attributes:
  check_mode:
    support: full
    details:
      - This action only reads; it runs normally in check mode and never reports a change.
  diff_mode:
    support: N/A
    details:
      - This action does not modify state.
  platform:
    support: full
    platforms: all
'''

    ACTION_GROUP = r'''
attributes:
  action_group:
    support: full
    membership:
      - thousandeyes.usage.thousandeyes
    details:
      - Set the connection options once with C(module_defaults) and C(group/thousandeyes.usage.thousandeyes).
'''

    CONTROLLER = r'''
attributes:
  action:
    support: full
    details:
      - Runs on the controller, in an action plugin, whatever the host's connection. Nothing is sent to the managed
        host, which needs neither Python nor C(requests). Environment variables are read on the controller, with the
        task's C(environment) applied.
      - With C(delegate_to) naming any host but the controller itself (C(localhost), C(127.0.0.1) or C(::1)), the
        module runs on that host the usual way, and that host needs Python and C(requests). This is for networks where
        only a jump host reaches the API.
  async:
    support: none
  bypass_host_loop:
    support: none
'''
