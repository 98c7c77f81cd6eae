# -*- coding: utf-8 -*-
# Copyright (c) thousandeyes.usage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations


class ModuleDocFragment:
    """The account group given by name, where an aid is taken: DOCUMENTATION for modules and the lookup, PLUGINS adds
    the lookup's variable."""

    DOCUMENTATION = r'''
options:
  account_group:
    description:
      - Name of the account group to act in, for example V(Production EU), instead of its ID in O(aid). The two are
        mutually exclusive, C(module_defaults) included; when this is set, an O(aid) from the environment
        (E(THOUSANDEYES_AID), E(TE_AID)) is ignored (on the controller; a module task delegated to another host
        refuses the two together). For the lookup, both as keywords are refused, a keyword O(aid) or terms win over
        this option from a variable, and this option wins over O(aid) from a variable or the environment.
      - Matched exactly first, then case-insensitively when that gives a single match. A name the token does not see
        fails, listing up to five of the closest names it does see. A name used in several organizations fails,
        listing each one's C(aid) and organization; pass O(aid) then.
      - Resolved with one C(GET /v7/account-groups) per run, shared by every host, task and plugin through the
        cache (see O(cache)), before any other request.
    type: str
    version_added: 1.1.0
'''

    PLUGINS = r'''
options:
  account_group:
    vars:
      - name: thousandeyes_account_group
'''
