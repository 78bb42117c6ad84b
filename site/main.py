"""The home page."""

from flask import Blueprint
from flask import render_template
from flask import request

from cookiesite import cookies

bp = Blueprint("main", __name__)


def request_cookies() -> list[tuple[str, str]]:
    """The cookies this request carried, login tokens shortened."""
    return [
        (name, cookies.shown(cookies.key_for(name), value))
        for name, value in sorted(request.cookies.items())
    ]


@bp.route("/")
def index():
    """What the site is, and what this browser sent."""
    return render_template("index.html", sent=request_cookies())
