"""Error pages in the site's layout."""

from flask import Flask
from flask import render_template
from werkzeug.exceptions import HTTPException

#: What each error page tells the visitor, beyond the status line.
EXPLANATIONS = {
    400: "The request could not be understood. If you sent a form, reload the"
    " page and try again: its security token may have expired.",
    403: "You are logged in, but this page is not open to your account.",
    404: "There is no page at this address.",
    405: "This address does not accept that kind of request.",
    413: "What you sent is larger than this site accepts.",
    429: "Too many attempts in a short time. Wait a minute, then try again.",
    500: "Something went wrong on our side. It has been logged; please try again.",
}


def _render(error: HTTPException):
    code = error.code or 500
    explanation = EXPLANATIONS.get(code, error.description)
    return (
        render_template("errors/error.html", error=error, explanation=explanation),
        code,
    )


def register_error_handlers(app: Flask) -> None:
    """Render every HTTP error with the site's layout instead of Werkzeug's."""
    app.register_error_handler(HTTPException, _render)
