"""The cookie inspector: what this request sent and what this response does.

Every page ends with a collapsed ``<details>`` panel. It has to be truthful,
and some cookie changes happen after the page is rendered: ``after_request``
hooks set or delete cookies, and Flask saves the session cookie after all of
them. So the page carries a marker, and the panel is filled in at the very
end, from the response's real ``Set-Cookie`` headers, by a receiver of
Flask's ``request_finished`` signal, which is sent once the response is
complete.

Every form answers with a redirect, and a redirect is never drawn. So an
``after_request`` hook (:func:`note_redirect`) writes down what a redirect
does to cookies, in the session (signed, and no cookie of its own), and the
page the browser is sent to shows it as the *previous response*. Flask runs
``after_request`` hooks in the reverse order of their installation;
``create_app`` installs this one first, so it runs last and sees every cookie
the other hooks set. Only the session cookie is written after it, which the
note says.
"""

from dataclasses import dataclass

from flask import current_app
from flask import Flask
from flask import g
from flask import render_template
from flask import request
from flask import request_finished
from flask import Response
from flask import session
from flask_babel import gettext as _
from werkzeug.http import HTTP_STATUS_CODES

from cookiesite import browser
from cookiesite import cookies
from cookiesite import setcookie
from cookiesite.setcookie import SetCookie

#: Where base.html wants the panel.
MARKER = "<!-- cookie-inspector -->"
_MARKER_BYTES = MARKER.encode()

#: The session key of the redirects noted and not shown yet.
NOTES = "cookie_inspector"

#: At most this many redirects in a row are kept: a loop cannot grow it.
MAX_NOTES = 3


@dataclass(frozen=True)
class Change:
    """What one ``Set-Cookie`` header does to a cookie."""

    #: ``set`` (new to this browser), ``update`` (it sent one) or ``delete``.
    operation: str
    #: The header, with a login token's value shortened.
    cookie: SetCookie

    @property
    def path(self) -> str:
        """Where the browser sends the cookie: ``Path``, or else in words."""
        return self.cookie.path or _("the directory of the page that set it")

    @property
    def attributes(self) -> list[tuple[str, str]]:
        """Each attribute as written, beside what it tells the browser."""
        return self.cookie.explained


def change(header: str) -> Change | None:
    """What one ``Set-Cookie`` header of this response does."""
    cookie = setcookie.parse(header)
    if cookie is None:
        return None
    value = browser.shown(browser.key_for(cookie.name), cookie.value)
    shown = SetCookie(cookie.name, value, cookie.attributes)
    if cookie.is_deletion:
        return Change("delete", shown)
    return Change("update" if cookie.name in request.cookies else "set", shown)


def changes(response: Response) -> list[Change]:
    """What the response's ``Set-Cookie`` headers do, in order."""
    found = (change(header) for header in response.headers.getlist("Set-Cookie"))
    return [c for c in found if c is not None]


def cookie_line() -> str:
    """The request's ``Cookie`` header as the browser sent it, login tokens
    shortened."""
    pairs = []
    for part in request.headers.get("Cookie", "").split(";"):
        name, equals, value = part.strip().partition("=")
        if name:
            shown = browser.shown(browser.key_for(name), value)
            pairs.append(f"{name}={shown}" if equals else name)
    return "; ".join(pairs)


def this_request() -> str:
    """``POST /preferences/theme``: the method and the address asked for."""
    path = request.full_path if request.query_string else request.path
    return f"{request.method} {path}"


def note_redirect(response: Response) -> Response:
    """``after_request``: note a redirect's cookie changes in the session, or
    take the notes out of it for the page that shows them."""
    if response.status_code in (301, 302, 303, 307, 308):
        found = changes(response)
        if not found and not session.modified:
            return response  # a redirect that changes no cookie
        code = response.status_code
        note = {
            "request": this_request(),
            "status": f"{code} {HTTP_STATUS_CODES[code]}",
            "changes": [
                [c.operation, c.cookie.name, c.cookie.value, c.cookie.attributes]
                for c in found
            ],
            # The note itself goes into the session, so Flask writes it.
            "session": "update" if cookies.sent("session") else "set",
        }
        session[NOTES] = [*session.get(NOTES, []), note][-MAX_NOTES:]
    elif response.mimetype == "text/html" and NOTES in session:
        g.previous_responses = session.pop(NOTES)
    return response


def _previous() -> list[dict]:
    """The redirects that led here, with their changes as :class:`Change`."""
    shown = []
    for note in g.get("previous_responses", []):
        rows = [
            Change(op, SetCookie(name, value, tuple(map(tuple, attributes))))
            for op, name, value, attributes in note["changes"]
        ]
        shown.append({**note, "changes": rows})
    return shown


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
        "_inspector.html",
        cookie_line=cookie_line(),
        sent=browser.held(),
        changes=changes(response),
        previous=_previous(),
        session_name=current_app.config["SESSION_COOKIE_NAME"],
    )
    response.set_data(body.replace(_MARKER_BYTES, panel.encode(), 1))


def init_app(app: Flask) -> None:
    """Fill in the inspector on every HTML page, and note redirects for it."""
    app.after_request(note_redirect)
    request_finished.connect(fill_in, app)
