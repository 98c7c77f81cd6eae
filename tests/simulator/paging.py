"""Cursor pagination: opaque cursors (urlsafe base64 of an offset plus a check value) and the HAL page links."""

import base64
import binascii
import hashlib
from urllib.parse import parse_qsl, urlencode, urlsplit

DEFAULT_PAGE_SIZE = 100


def check_page_size(value):
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError("page_size must be an integer >= 1, got %r" % (value,))
    return value


def _check(offset, scope):
    # Binds a cursor to its scenario, endpoint and organization, so a cursor from elsewhere is refused.
    return hashlib.sha256(("te-sim|%s|%d" % (scope, offset)).encode("utf-8")).hexdigest()[:12]


def encode(offset, scope):
    raw = ("%d.%s" % (offset, _check(offset, scope))).encode("ascii")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decode(cursor, scope):
    """The offset a cursor stands for; ValueError when it is empty, garbled or was not made for this scope."""
    try:
        raw = base64.urlsafe_b64decode((cursor + "=" * (-len(cursor) % 4)).encode("ascii")).decode("ascii")
        text, _sep, check = raw.partition(".")
        offset = int(text)
    except (ValueError, UnicodeError, binascii.Error) as exc:
        raise ValueError("garbled cursor") from exc
    if not cursor or offset < 0 or str(offset) != text or check != _check(offset, scope):
        raise ValueError("unknown cursor")
    return offset


def next_href(base_url, raw_target, cursor):
    """The request's URL with the same query parameters (order kept) and `cursor` replaced."""
    target = urlsplit(raw_target)
    params = [(name, value) for name, value in parse_qsl(target.query, keep_blank_values=True) if name != "cursor"]
    params.append(("cursor", cursor))
    return "%s%s?%s" % (base_url, target.path, urlencode(params, safe=":"))


def page(rows, offset, size, scope, current, repeat):
    """(rows of the page, cursor of the next page or None); `repeat` makes the next cursor the current one.

    `rows` is sliced, never rebuilt, so walking 100,000 rows stays cheap.
    """
    chunk = rows[offset:offset + size]
    if repeat and current is not None:
        return chunk, current
    if offset + size < len(rows):
        return chunk, encode(offset + size, scope)
    return chunk, None
