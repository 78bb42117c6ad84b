"""The home page."""

from flask import Blueprint
from flask import render_template

from cookiesite import browser

bp = Blueprint("main", __name__)


@bp.route("/")
def index():
    """What the site is, and what this browser sent."""
    return render_template("index.html", sent=browser.held())
