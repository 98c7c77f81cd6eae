# -*- coding: utf-8 -*-
# Copyright (c) thousandeyes.usage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations


class ModuleDocFragment:
    """Connection options, declared once: DOCUMENTATION for modules and plugins, PLUGINS adds plugin-only sources."""

    DOCUMENTATION = r'''
options:
  token:
    description:
      - ThousandEyes user API token (the OAuth bearer token from C(Account Settings > Users and Roles > User API Tokens)).
      - "Sent as C(Authorization: Bearer ...). Never logged or returned."
      - Modules fall back to the environment variables E(THOUSANDEYES_TOKEN), then E(TE_TOKEN), read on the controller
        with the task's C(environment) applied (on the delegated host when C(delegate_to) names another host). Plugins
        read the sources listed for this option on the controller.
    type: str
    required: true
  api_url:
    description:
      - Base URL of the ThousandEyes v7 API.
      - Plain C(http://) is refused unless the host is a loopback address (for example the collection's API simulator),
        so the token is never sent unencrypted.
      - Modules fall back to the environment variable E(THOUSANDEYES_API_URL), read where the token's is.
    type: str
    default: https://api.thousandeyes.com/v7
  aid:
    description:
      - Account group ID to act in. The usage reported always covers the whole organization that owns it.
      - Without it the token's default account group applies. Use one call per organization for users with several.
      - Modules fall back to the environment variables E(THOUSANDEYES_AID), then E(TE_AID), read where the token's is.
    type: str
    aliases: [account_group_id]
  timeout:
    description:
      - Seconds to wait for the connection and for each read of the answer.
    type: float
    default: 30
  validate_certs:
    description:
      - Whether to verify the server's TLS certificate. Only set to V(false) against a test endpoint.
    type: bool
    default: true
  ca_path:
    description:
      - PEM file or directory of CA certificates to verify the server with, instead of the system bundle.
    type: path
  max_retries:
    description:
      - How many times to retry after a connection error, a timeout or an HTTP 500, 502, 503 or 504 answer, with
        exponential backoff (0 s, 2 s, 4 s, ...). Other 4xx answers are never retried.
      - Rate-limited answers (HTTP 429) do not count against this; see O(max_rate_limit_wait).
    type: int
    default: 3
  max_rate_limit_wait:
    description:
      - The longest time in seconds to sleep for one rate-limited answer (HTTP 429). The wait lasts until the time
        in the C(X-Organization-Rate-Limit-Reset) header (or C(Retry-After) if the API sends one).
      - If the limit resets later than this, the call fails at once with a message saying when it resets.
      - Up to three rate-limited answers are waited out per call.
    type: float
    default: 120
notes:
  - Requests honour the standard C(HTTPS_PROXY), C(HTTP_PROXY) and C(NO_PROXY) environment variables of the
    controller (with the task's C(environment) applied for modules), or of the delegated host when a module task is
    delegated to another host.
  - The ThousandEyes API allows 240 requests per minute per organization; the rate-limit headers of the last
    answer are returned as C(rate_limit).
requirements:
  - requests >= 2.25.0 (Python library), on the controller; also on the delegated host when a module task names
    another host in C(delegate_to)
'''

    PLUGINS = r'''
options:
  token:
    # The last env entry set wins: list the fallback first so THOUSANDEYES_* wins, as with the modules.
    env:
      - name: TE_TOKEN
      - name: THOUSANDEYES_TOKEN
    ini:
      - section: thousandeyes
        key: token
    vars:
      - name: thousandeyes_token
  api_url:
    env:
      - name: THOUSANDEYES_API_URL
    ini:
      - section: thousandeyes
        key: api_url
    vars:
      - name: thousandeyes_api_url
  aid:
    env:
      - name: TE_AID
      - name: THOUSANDEYES_AID
    ini:
      - section: thousandeyes
        key: aid
    vars:
      - name: thousandeyes_aid
  timeout:
    ini:
      - section: thousandeyes
        key: timeout
  validate_certs:
    ini:
      - section: thousandeyes
        key: validate_certs
  ca_path:
    ini:
      - section: thousandeyes
        key: ca_path
  max_retries:
    ini:
      - section: thousandeyes
        key: max_retries
  max_rate_limit_wait:
    ini:
      - section: thousandeyes
        key: max_rate_limit_wait
'''
