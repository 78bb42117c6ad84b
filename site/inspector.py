"""The cookie inspector: what this request sent and what this response does.

Every page ends with a collapsed ``<details>`` panel. It has to be truthful,
and some cookie changes happen after the page is rendered: ``after_request``
hooks set or delete cookies, and Flask saves the session cookie after all of
them. So the page carries a marker, and the panel is filled in at the very
end, from the response's real ``Set-Cookie`` headers, by a receiver of
Flask's ``request_finished`` signal, which is sent once the response is
complete.
"""

from datetime import timedelta
from typing import NamedTuple

from flask import Flask
from flask import render_template
from flask import request
from flask import request_finished
from flask import Response
from werkzeug.http import parse_cookie

from cookiesite import browser
from cookiesite import words

#: Where base.html wants the panel.
MARKER = "<!-- cookie-inspector -->"
_MARKER_BYTES = MARKER.encode()


class Change(NamedTuple):
    """What one ``Set-Cookie`` header of the response does."""

    operation: str
    name: str
    key: str | None
    value: str
    path: str
    lifetime: str
    kind: str


def _parse_set_cookie(header: str) -> tuple[str, str, dict[str, str]] | None:
    """Name, value and lower-cased attributes of one ``Set-Cookie`` header."""
    first, *attributes = header.split(";")
    # Werkzeug's own parser, so a quoted value reads as it was set.
    pairs = list(parse_cookie(first).items())
    if len(pairs) != 1:
        return None
    name, value = pairs[0]
    attrs = {}
    for attribute in attributes:
        key, _, attr_value = attribute.partition("=")
        attrs[key.strip().lower()] = attr_value.strip()
    return name, value, attrs


def changes(response: Response) -> tuple[Change, ...]:
    """What the response's ``Set-Cookie`` headers do, in the tutorial's words."""
    rows = []
    for header in response.headers.getlist("Set-Cookie"):
        parsed = _parse_set_cookie(header)
        if parsed is None:
            continue
        name, value, attrs = parsed
        key = browser.key_for(name)
        age = attrs.get("max-age")
        lifetime = timedelta(seconds=int(age)) if age else None
        path = attrs.get("path") or "/"
        if lifetime is not None and lifetime <= timedelta(0):
            operation, described = "delete", "deleted now"
        else:
            operation = "update" if name in request.cookies else "set"
            described = words.duration(lifetime)
        rows.append(
            Change(
                operation,
                name,
                key,
                browser.shown(key, value),
                path,
                described,
                words.kind(path, lifetime),
            )
        )
    return tuple(rows)


def fill_in(sender: Flask, response: Response, **extra) -> None:
    """Replace the marker in an HTML page with the finished panel."""
    if (
        response.direct_passthrough
        or response.is_streamed
        or response.mimetype != "text/html"
    ):
        return
    body = response.get_data()
    if _MARKER_BYTES not in body:
        return
    panel = render_template(
        "_inspector.html", sent=browser.held(), changes=changes(response)
    )
    response.set_data(body.replace(_MARKER_BYTES, panel.encode(), 1))


def init_app(app: Flask) -> None:
    """Fill in the inspector on every HTML page of the app."""
    request_finished.connect(fill_in, app)
