# -*- coding: utf-8 -*-
# Copyright (c) thousandeyes.usage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r'''
name: answer
short_description: Benchmark floor, returns the JSON answer stored in a file
description:
  - The least a collection lookup can do per evaluation; it reads one file and parses it with json.load.
options:
  file:
    description: The JSON file to return.
    type: path
    required: true
    env:
      - name: BENCH_FLOOR_ANSWER
'''

import json  # noqa: E402 (DOCUMENTATION comes first in Ansible plugins)

from ansible.plugins.lookup import LookupBase  # noqa: E402


class LookupModule(LookupBase):

    def run(self, terms, variables=None, **kwargs):
        self.set_options(var_options=variables, direct=kwargs)
        with open(self.get_option('file')) as handle:
            return [json.load(handle)]
