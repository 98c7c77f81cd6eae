# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a cache file must not hold of a token: the token itself, encoded, or a plain digest of it (or part of one)."""

from __future__ import annotations

import base64
import hashlib

WINDOW = 16  # hex digits: a longer run of a digest appears in 64 random hex digits by chance about once in 10**17


def token_forms(token):
    """Byte strings, any of which found in a file reveals ``token`` or a plain (unkeyed) digest of it."""
    token = token.encode('utf-8')
    forms = [token, token.hex().encode(), base64.b64encode(token), base64.urlsafe_b64encode(token)]
    for name in ('md5', 'sha1', 'sha256', 'sha512'):
        digest = hashlib.new(name, token)
        forms.append(digest.digest())
        text = digest.hexdigest().encode()
        forms.extend(text[start:start + WINDOW] for start in range(len(text) - WINDOW + 1))
    return forms


def found_in(path, forms):
    """The forms found in the file at ``path`` or in its name."""
    with open(path, 'rb') as handle:
        content = handle.read()
    return [form for form in forms if form in content or form in path.encode()]
