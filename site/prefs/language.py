"""The ``lang`` cookie: which language a page is written in.

Every browser says which languages its reader wants, in the
``Accept-Language`` header of every request. Without a ``lang`` cookie the
site follows that header; a visitor who chooses a language on the navbar
or the preferences page gets the cookie, and it wins over the header. A
member's choice is kept on the account too, so it follows them to other
browsers, as the colour mode does.

Flask-Babel asks :func:`select` once per request, the first time a text is
translated; the answer is the language of everything on the page.
"""

from flask import Flask
from flask import g
from flask import has_request_context
from flask import request
from flask import Response
from flask_babel import Babel
from flask_babel import get_locale
from flask_babel import refresh

from cookiesite import cookies
from cookiesite.cookies import LANGUAGES

#: The language of a browser that asks for none the site offers.
DEFAULT = "en"

babel = Babel()


def N_(text: str) -> str:
    """Mark ``text`` for the catalogue without translating it here.

    ``make translations`` finds texts in ``N_(...)`` as in ``_(...)``; the
    code that shows one translates it then, with ``gettext(text)``. For
    texts kept in English (a database column) or compared as given (a
    library's messages).
    """
    return text


def choice() -> str | None:
    """The language the visitor chose (the ``lang`` cookie), or ``None``."""
    return cookies.read("lang")


def header() -> str | None:
    """The ``Accept-Language`` header as the browser sent it, if it did."""
    return request.headers.get("Accept-Language")


def rendered() -> str:
    """The page's language code (``en``, ``de``)."""
    return str(get_locale())


def from_header() -> str:
    """The offered language the browser's ``Accept-Language`` likes best.

    Each language asked for counts by its main part, so ``de-AT`` asks for
    ``de``. (Werkzeug's ``best_match`` prefers any exact match, so for
    ``en-US, de;q=0.4`` it would answer German.)
    """
    for value, quality in request.accept_languages:
        code = value.split("-")[0].lower()
        if quality > 0 and code in LANGUAGES:
            return code
    return DEFAULT


def use(code: str) -> None:
    """Write the rest of this response in ``code``: the language just chosen
    on a form, or the one a member's account holds at login."""
    g.language = code
    refresh()


def select() -> str:
    """The page's language: one chosen during this request, else the
    cookie's, else the header's. Outside a request (``flask`` commands),
    English."""
    if not has_request_context():
        return DEFAULT
    chosen = g.get("language") or choice()
    # Remembered for the response: only a page drawn from the header
    # depends on it, and says so in Vary.
    g.language_from_header = chosen is None
    return chosen or from_header()


def _describe_language(response: Response) -> Response:
    """Name the page's language in ``Content-Language``, and, when the
    ``Accept-Language`` header chose it, add that header to ``Vary``: a cache
    must not hand a German page to a browser that asks for English.

    Pages only: files (CSS, scripts, icons) are the same in every language.
    """
    if response.mimetype == "text/html" and "language_from_header" in g:
        response.headers["Content-Language"] = rendered()
        if g.language_from_header:
            response.vary.add("Accept-Language")
    return response


def init_app(app: Flask) -> None:
    """Translate every page, and say in its headers which language it is in."""
    babel.init_app(app, locale_selector=select, default_locale=DEFAULT)
    # Whitespace inside {% trans %} blocks is folded, so the texts to
    # translate read as the sentences they are.
    app.jinja_env.policies["ext.i18n.trimmed"] = True
    app.after_request(_describe_language)
    app.add_template_global(LANGUAGES, "languages")

    @app.context_processor
    def language_context():
        return {
            "lang_rendered": rendered(),
            "lang_choice": choice(),
            "lang_header": header(),
        }
