"""The cookie inspector: what this request sent and what this response does.

Every page ends with a collapsed ``<details>`` panel. It has to be truthful,
and some cookie changes happen after the page is rendered: Flask-Login sets
or deletes the remember cookie in an ``after_request`` hook, and Flask saves
the session cookie after all of those. So the page carries a marker, and the
panel is filled in at the very end, from the response's real ``Set-Cookie``
headers, by a session interface whose ``save_session`` runs last.
"""

from datetime import timedelta
from http.cookies import CookieError
from http.cookies import SimpleCookie

from flask import current_app
from flask import Flask
from flask import request
from flask import Response
from flask.sessions import SecureCookieSessionInterface

from cookiesite import cookies
from cookiesite import words

#: Where base.html wants the panel.
MARKER = "<!-- cookie-inspector -->"


def sent_cookies() -> list[dict]:
    """The cookies the browser sent with this request."""
    rows = []
    for name, value in sorted(request.cookies.items()):
        key = cookies.key_for(name)
        rows.append({"name": name, "key": key, "value": cookies.shown(key, value)})
    return rows


def changes(response: Response) -> list[dict]:
    """What the response's ``Set-Cookie`` headers do, in the tutorial's words."""
    rows = []
    for header in response.headers.getlist("Set-Cookie"):
        jar = SimpleCookie()
        try:
            jar.load(header)
        except CookieError:
            continue
        for name, morsel in jar.items():
            key = cookies.key_for(name)
            age = morsel["max-age"]
            lifetime = timedelta(seconds=int(age)) if age else None
            path = morsel["path"] or "/"
            if lifetime is not None and lifetime <= timedelta(0):
                operation, described = "delete", "deleted now"
            else:
                operation = "update" if name in request.cookies else "set"
                described = words.duration(lifetime)
            rows.append(
                {
                    "operation": operation,
                    "name": name,
                    "key": key,
                    "value": cookies.shown(key, morsel.value),
                    "path": path,
                    "lifetime": described,
                    "kind": words.kind(path, lifetime),
                }
            )
    return rows


def fill_in(response: Response) -> None:
    """Replace the marker in an HTML page with the finished panel."""
    if (
        response.direct_passthrough
        or response.is_streamed
        or response.mimetype != "text/html"
    ):
        return
    body = response.get_data(as_text=True)
    if MARKER not in body:
        return
    panel = current_app.jinja_env.get_template("_inspector.html").render(
        sent=sent_cookies(), changes=changes(response)
    )
    response.set_data(body.replace(MARKER, panel, 1))


class InspectingSessionInterface(SecureCookieSessionInterface):
    """Flask's cookie session, plus the inspector once the session is saved."""

    def save_session(self, app, session, response) -> None:
        super().save_session(app, session, response)
        fill_in(response)


def init_app(app: Flask) -> None:
    """Install the inspector on every HTML page of the app."""
    app.session_interface = InspectingSessionInterface()
