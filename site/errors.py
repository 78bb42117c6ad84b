"""Error pages in the site's layout."""

from datetime import timedelta

from flask import Flask
from flask import render_template
from werkzeug.exceptions import HTTPException

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
    explanation = EXPLANATIONS.get(code, error.description)
    if code == 429:
        explanation = f"{explanation} {_wait()}"
    return (
        render_template("errors/error.html", error=error, explanation=explanation),
        code,
    )


def register_error_handlers(app: Flask) -> None:
    """Render every HTTP error with the site's layout instead of Werkzeug's."""
    app.register_error_handler(HTTPException, _render)
