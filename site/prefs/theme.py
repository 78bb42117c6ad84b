"""The ``theme`` cookie: which colour mode a page is rendered in.

The server renders ``data-bs-theme`` on ``<html>`` from the cookie, so a page
never flashes in the wrong colours and light or dark need no JavaScript.
``auto`` follows the system setting: the site asks the browser for the
``Sec-CH-Prefers-Color-Scheme`` client hint and renders what it says. A
browser that sends no hint gets ``light`` and ``static/js/theme.js``, which
switches to the system setting before the page is drawn.
"""

from flask import after_this_request
from flask import Flask
from flask import g
from flask import request
from flask import Response
from flask_login import user_logged_in

from cookiesite import cookies
from cookiesite.extensions import db

#: The colour mode of a visitor without a (valid) ``theme`` cookie.
DEFAULT = "light"

#: The client hint that tells the server the system colour scheme.
HINT = "Sec-CH-Prefers-Color-Scheme"


def choice() -> str:
    """The visitor's choice: light, dark or auto (the default when none)."""
    if "theme_choice" not in g:
        g.theme_choice = cookies.read("theme") or DEFAULT
    return g.theme_choice


def rendered() -> str:
    """What ``data-bs-theme`` says: light or dark, resolving ``auto``.

    For ``auto`` without a hint this is ``light``; ``theme.js`` corrects it
    in the browser.
    """
    current = choice()
    if current != "auto":
        return current
    hint = request.headers.get(HINT, "").strip().strip('"')
    return hint if hint in ("light", "dark") else DEFAULT


def needs_script() -> bool:
    """Whether the page must let ``theme.js`` resolve ``auto`` in the browser."""
    return choice() == "auto" and request.headers.get(HINT) is None


def _ask_for_hint(response: Response) -> Response:
    """For ``auto``, ask for the colour-scheme hint on every request.

    ``Critical-CH`` makes Chromium retry a request that lacked the hint at
    once, so even the first page after choosing ``auto`` renders right.
    """
    if choice() == "auto":
        response.headers["Accept-CH"] = HINT
        response.headers["Critical-CH"] = HINT
        response.vary.add(HINT)
    return response


def remember_choice(user, value: str | None) -> None:
    """Store the choice on a member's account, so other browsers get it."""
    user.theme = value
    db.session.commit()


def _sync_at_login(sender, user, **extra) -> None:
    """At login the account and the browser agree on one theme.

    The account's stored theme wins and becomes this browser's cookie; a
    member with none stored adopts the browser's current choice.
    """
    if user.theme in cookies.THEMES:
        theme = user.theme

        @after_this_request
        def theme_from_account(response: Response) -> Response:
            cookies.write(response, "theme", theme)
            return response

    elif (browser := cookies.read("theme")) is not None:
        remember_choice(user, browser)


def init_app(app: Flask) -> None:
    """Render the theme on every page and keep account and cookie in step."""
    app.after_request(_ask_for_hint)
    user_logged_in.connect(_sync_at_login, app)

    @app.context_processor
    def theme_context():
        return {
            "theme_rendered": rendered(),
            "theme_choice": choice(),
            "theme_script": needs_script(),
        }
