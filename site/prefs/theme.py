"""The ``theme`` cookie: which colour mode a page is rendered in.

The server renders ``data-bs-theme`` on ``<html>`` from the cookie, so a page
never flashes in the wrong colours and light or dark need no JavaScript.
``auto``, also what a visitor without the cookie gets, follows the system
setting: the site asks the browser for the ``Sec-CH-Prefers-Color-Scheme``
client hint and renders what it says. A browser that sends no hint gets
``light`` and ``static/js/theme.js``, which switches to the system setting
before the page is drawn.
"""

from flask import Flask
from flask import g
from flask import request
from flask import Response

from cookiesite import cookies
from cookiesite.prefs.forms import THEME_CHOICES

#: The colour mode of a visitor without a (valid) ``theme`` cookie: the
#: system's, so a first visit already looks the way the visitor set it up.
DEFAULT = "auto"

#: What ``auto`` renders when the browser sends no hint. ``theme.js``
#: corrects it before the page is drawn; without JavaScript it stays.
FALLBACK = "light"

#: The client hint that tells the server the system colour scheme.
HINT = "Sec-CH-Prefers-Color-Scheme"


def choice() -> str:
    """The visitor's choice: light, dark or auto (the default when none)."""
    if "theme_choice" not in g:
        g.theme_choice = cookies.read("theme") or DEFAULT
    return g.theme_choice


def rendered() -> str:
    """What ``data-bs-theme`` says: light or dark, resolving ``auto``.

    For ``auto`` without a hint this is :data:`FALLBACK`; ``theme.js``
    corrects it in the browser.
    """
    current = choice()
    if current != "auto":
        return current
    hint = request.headers.get(HINT, "").strip().strip('"')
    return hint if hint in ("light", "dark") else FALLBACK


def needs_script() -> bool:
    """Whether the page must let ``theme.js`` resolve ``auto`` in the browser."""
    return choice() == "auto" and request.headers.get(HINT) is None


def _ask_for_hint(response: Response) -> Response:
    """For ``auto``, ask for the colour-scheme hint with every page.

    ``Critical-CH`` makes Chromium repeat a request that lacked the hint at
    once, so even the very first page of a first visit renders right. Only
    pages a GET drew ask: a GET is safe to repeat, a form's POST is not.
    Files (CSS, scripts, icons) look the same in both modes, and a ``Vary``
    on the hint would only split their caches.
    """
    page = request.method == "GET" and response.mimetype == "text/html"
    if page and choice() == "auto":
        response.headers["Accept-CH"] = HINT
        response.headers["Critical-CH"] = HINT
        response.vary.add(HINT)
    return response


def init_app(app: Flask) -> None:
    """Render the theme on every page, asking for the system's when needed."""
    app.after_request(_ask_for_hint)
    # The navbar's switch offers the modes the preferences page does.
    app.add_template_global(THEME_CHOICES, "theme_choices")

    @app.context_processor
    def theme_context():
        return {
            "theme_rendered": rendered(),
            "theme_choice": choice(),
            "theme_script": needs_script(),
        }
