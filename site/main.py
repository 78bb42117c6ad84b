"""The home page."""

from flask import Blueprint
from flask import render_template
from flask import request

from cookiesite import cookies

bp = Blueprint("main", __name__)

#: Cookies whose values log somebody in: shown shortened, never whole.
SECRET_COOKIES = ("session", "remember_token")


def masked(value: str) -> str:
    """The first characters of a login token, enough to tell two apart."""
    return (
        f"{value[:8]}\u2026 ({len(value)} characters)" if len(value) > 8 else "\u2026"
    )


def request_cookies() -> list[tuple[str, str]]:
    """The cookies this request carried, login tokens masked."""
    secret = {cookies.cookie_name(key) for key in SECRET_COOKIES}
    return [
        (name, masked(value) if name in secret else value)
        for name, value in sorted(request.cookies.items())
    ]


@bp.route("/")
def index():
    """What the site is, and what this browser sent."""
    return render_template("index.html", sent=request_cookies())
