"""Error pages in the site's layout.

A visit to an address that only takes a form (a bookmark of ``/logout``, a
reload of ``/account/password`` after a form was sent back) gets a page that
says so and offers the way on: the page where that form is, or for
``/logout`` the form itself. The visit changes nothing.
"""

from datetime import timedelta

from flask import current_app
from flask import Flask
from flask import render_template
from flask import request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException
from werkzeug.exceptions import MethodNotAllowed

from cookiesite import throttle
from cookiesite import words

#: What each error page tells the visitor, beyond the status line. (A CSRF
#: failure is a 400 too: Flask-WTF's CSRFError is a BadRequest.)
EXPLANATIONS = {
    400: _l(
        "The request could not be understood. If you sent a form, reload the"
        " page and try again: its security token may have expired."
    ),
    403: _l("You are logged in, but this page is not open to your account."),
    404: _l("There is no page at this address."),
    405: _l("This address does not accept that kind of request."),
    413: _l("What you sent is larger than this site accepts."),
    415: _l(
        "This address takes only what the forms of this site's pages send:"
        " a plain HTML form (application/x-www-form-urlencoded, in UTF-8). JSON,"
        " files and other kinds of body are not accepted."
    ),
    # Followed by how long to wait (:func:`_wait`).
    429: _l("Too many attempts in a short time."),
    500: _l("Something went wrong on our side. It has been logged; please try again."),
}

#: The status line's words (Werkzeug's ``error.name``, in English) in the
#: page's language, for the codes the site answers with; the number stays.
NAMES = {
    400: _l("Bad Request"),
    403: _l("Forbidden"),
    404: _l("Not Found"),
    405: _l("Method Not Allowed"),
    413: _l("Request Entity Too Large"),
    415: _l("Unsupported Media Type"),
    429: _l("Too Many Requests"),
    500: _l("Internal Server Error"),
}


#: Where the form that sends each POST-only address is: by endpoint, else by
#: blueprint, the page's endpoint and the words of the link to it (whole, as
#: languages that inflect the page's name after "to" need). (Log out is on
#: every page, so ``/logout`` offers its own button instead.)
FORM_PAGES = {
    "account": ("account.index", _l("Go to your account page")),
    "admin.clear_cookie": ("admin.cookies", _l("Go to the cookies of this browser")),
    "admin.clear_all": ("admin.cookies", _l("Go to the cookies of this browser")),
    "admin": ("admin.sessions", _l("Go to everyone's logins")),
    "consent": ("policy.index", _l("Go to the cookie policy")),
    "prefs": ("prefs.index", _l("Go to your preferences")),
    "lab": ("lab.index", _l("Go to the cookie lab")),
}

#: Where a POST-only address of no page above leads.
HOME_PAGE = ("main.index", _l("Go to the home page"))


def _form_action(error: HTTPException) -> str | None:
    """For a visit (GET or HEAD) to an address that takes a form's POST
    instead: the endpoint the address posts to; else ``None``."""
    visit = request.method in ("GET", "HEAD")
    if not visit or not isinstance(error, MethodNotAllowed):
        return None
    if "POST" not in (error.valid_methods or ()):
        return None
    endpoint, _ = current_app.create_url_adapter(request).match(method="POST")
    return endpoint


def _name(error: HTTPException) -> str:
    """The words of the error's status line, in the page's language."""
    return NAMES.get(error.code, error.name)


def _form_only(error: MethodNotAllowed, endpoint: str):
    """The page for a visit to an address that only takes a form."""
    blueprint = endpoint.partition(".")[0]
    target, link = FORM_PAGES.get(endpoint) or FORM_PAGES.get(blueprint, HOME_PAGE)
    return render_template(
        "errors/form_only.html",
        error=error,
        name=_name(error),
        explanation=EXPLANATIONS[405],
        logout=endpoint == "auth.logout",
        form_page=target,
        form_page_link=link,
    )


def _wait() -> str:
    """When a refused visitor may try again, from the limit that refused
    them: the wait the ``Retry-After`` header gives, to the nearest minute
    once it is longer than one (the header has it to the second)."""
    seconds = throttle.seconds_to_wait()
    if seconds is None:
        # A 429 that no limit of the limiter gave: nothing to count from.
        return _("Wait a little, then try again.")
    if seconds > 60:
        seconds = (seconds + 30) // 60 * 60
    return _("Try again in %(wait)s.", wait=words.duration(timedelta(seconds=seconds)))


def _render(error: HTTPException):
    code = error.code or 500
    # A 405 keeps the methods the address takes, as HTTP asks of it.
    headers = {}
    if isinstance(error, MethodNotAllowed) and error.valid_methods:
        headers["Allow"] = ", ".join(error.valid_methods)
    if endpoint := _form_action(error):
        return _form_only(error, endpoint), code, headers
    page = render_template(
        "errors/error.html",
        error=error,
        name=_name(error),
        explanation=EXPLANATIONS.get(code, error.description),
        # A sentence of its own, after the explanation.
        wait=_wait() if code == 429 else None,
    )
    return page, code, headers


def register_error_handlers(app: Flask) -> None:
    """Render every HTTP error with the site's layout instead of Werkzeug's."""
    app.register_error_handler(HTTPException, _render)
