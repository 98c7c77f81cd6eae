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
    details:
      - Runs wherever Python and C(requests) are available; usually the controller.
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
