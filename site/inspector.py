"""The cookie inspector: what this request sent and what this response does.

Every page ends with a collapsed ``<details>`` panel. It has to be truthful,
and some cookie changes happen after the page is rendered: Flask-Login sets
or deletes the remember cookie in an ``after_request`` hook, and Flask saves
the session cookie after all of those. So the page carries a marker, and the
panel is filled in at the very end, from the response's real ``Set-Cookie``
headers, by a session interface whose ``save_session`` runs last.
"""

from datetime import timedelta
from functools import lru_cache
from typing import NamedTuple

from flask import current_app
from flask import Flask
from flask import request
from flask import Response
from flask import url_for
from jinja2 import Template
from werkzeug.http import parse_cookie

from cookiesite import cookies
from cookiesite import words
from cookiesite.sessions import SessionInterface

#: Where base.html wants the panel.
MARKER = "<!-- cookie-inspector -->"
_MARKER_BYTES = MARKER.encode()


class Sent(NamedTuple):
    """A cookie the browser sent; ``key`` is ``None`` outside the catalogue."""

    name: str
    key: str | None
    value: str


class Change(NamedTuple):
    """What one ``Set-Cookie`` header of the response does."""

    operation: str
    name: str
    key: str | None
    value: str
    path: str
    lifetime: str
    kind: str


def sent_cookies() -> tuple[Sent, ...]:
    """The cookies the browser sent with this request."""
    rows = []
    for name, value in sorted(request.cookies.items()):
        key = cookies.key_for(name)
        rows.append(Sent(name, key, cookies.shown(key, value)))
    return tuple(rows)


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
        key = cookies.key_for(name)
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
                cookies.shown(key, value),
                path,
                described,
                words.kind(path, lifetime),
            )
        )
    return tuple(rows)


@lru_cache(maxsize=1024)
def _panel(
    template: Template,
    sent: tuple[Sent, ...],
    changes: tuple[Change, ...],
    policy_url: str,
) -> bytes:
    """The panel's HTML, which depends on nothing but its arguments.

    A browser sends the same cookies page after page, and most pages change
    none, so the panel is drawn once per combination and kept (1,024 of
    them, least recently used dropped first).
    """
    return template.render(sent=sent, changes=changes, policy_url=policy_url).encode()


def fill_in(response: Response) -> None:
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
    panel = _panel(
        current_app.jinja_env.get_template("_inspector.html"),
        sent_cookies(),
        changes(response),
        url_for("policy.index"),
    )
    response.set_data(body.replace(_MARKER_BYTES, panel, 1))


class InspectingSessionInterface(SessionInterface):
    """The site's cookie session (``cookiesite.sessions``), plus the
    inspector once the session is saved."""

    def save_session(self, app, session, response) -> None:
        super().save_session(app, session, response)
        fill_in(response)


def init_app(app: Flask) -> None:
    """Install the inspector on every HTML page of the app."""
    app.session_interface = InspectingSessionInterface()
