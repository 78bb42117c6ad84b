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
from werkzeug.exceptions import HTTPException
from werkzeug.exceptions import MethodNotAllowed

from cookiesite import throttle
from cookiesite import words

#: What each error page tells the visitor, beyond the status line.
EXPLANATIONS = {
    400: "The request could not be understood. If you sent a form, reload the"
    " page and try again: its security token may have expired.",
    403: "You are logged in, but this page is not open to your account.",
    404: "There is no page at this address.",
    405: "This address does not accept that kind of request.",
    413: "What you sent is larger than this site accepts.",
    415: "This address takes only what the forms of this site's pages send:"
    " a plain HTML form (application/x-www-form-urlencoded, in UTF-8). JSON,"
    " files and other kinds of body are not accepted.",
    # Followed by how long to wait (:func:`_wait`).
    429: "Too many attempts in a short time.",
    500: "Something went wrong on our side. It has been logged; please try again.",
}


#: Where the form that sends each POST-only address is: by endpoint, else by
#: blueprint, the page's endpoint and what to call it in "Go to ...". (Log out
#: is on every page, so ``/logout`` offers its own button instead.)
FORM_PAGES = {
    "account": ("account.index", "your account page"),
    "admin.clear_cookie": ("admin.cookies", "the cookies of this browser"),
    "admin.clear_all": ("admin.cookies", "the cookies of this browser"),
    "admin": ("admin.sessions", "everyone's logins"),
    "consent": ("policy.index", "the cookie policy"),
    "prefs": ("prefs.index", "your preferences"),
    "lab": ("lab.index", "the cookie lab"),
}


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


def _form_only(error: MethodNotAllowed, endpoint: str):
    """The page for a visit to an address that only takes a form."""
    blueprint = endpoint.partition(".")[0]
    target, name = FORM_PAGES.get(endpoint) or FORM_PAGES.get(
        blueprint, ("main.index", "the home page")
    )
    return render_template(
        "errors/form_only.html",
        error=error,
        explanation=EXPLANATIONS[405],
        logout=endpoint == "auth.logout",
        form_page=target,
        form_page_name=name,
    )


def _wait() -> str:
    """When a refused visitor may try again, from the limit that refused
    them: the wait the ``Retry-After`` header gives, to the nearest minute
    once it is longer than one (the header has it to the second)."""
    seconds = throttle.seconds_to_wait()
    if seconds is None:
        # A 429 that no limit of the limiter gave: nothing to count from.
        return "Wait a little, then try again."
    if seconds > 60:
        seconds = (seconds + 30) // 60 * 60
    return f"Try again in {words.duration(timedelta(seconds=seconds))}."


def _render(error: HTTPException):
    code = error.code or 500
    # A 405 keeps the methods the address takes, as HTTP asks of it.
    headers = {}
    if isinstance(error, MethodNotAllowed) and error.valid_methods:
        headers["Allow"] = ", ".join(error.valid_methods)
    if endpoint := _form_action(error):
        return _form_only(error, endpoint), code, headers
    explanation = EXPLANATIONS.get(code, error.description)
    if code == 429:
        explanation = f"{explanation} {_wait()}"
    page = render_template("errors/error.html", error=error, explanation=explanation)
    return page, code, headers


def register_error_handlers(app: Flask) -> None:
    """Render every HTTP error with the site's layout instead of Werkzeug's."""
    app.register_error_handler(HTTPException, _render)
