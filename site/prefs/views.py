"""The preferences page and the navbar's Light / Dark / Auto switch."""

from flask import abort
from flask import Blueprint
from flask import flash
from flask import render_template
from flask import url_for
from flask_login import current_user

from cookiesite import cookies
from cookiesite.prefs import theme
from cookiesite.prefs.forms import PreferencesForm
from cookiesite.prefs.forms import ResetForm
from cookiesite.prefs.forms import ToggleForm
from cookiesite.redirects import after_form
from cookiesite.redirects import safe_path

bp = Blueprint("prefs", __name__, url_prefix="/preferences")


def _save(response, value: str):
    """Update the cookie, and the account when a member is logged in."""
    cookies.write(response, "theme", value)
    if current_user.is_authenticated:
        theme.remember_choice(current_user, value)
    return response


@bp.route("", methods=["GET", "POST"])
def index():
    """Choose Light, Dark or Auto; or forget the choice."""
    form = PreferencesForm(theme=theme.choice())
    if form.validate_on_submit():
        flash(f"Saved: {form.theme.data} colour mode.", "success")
        return _save(after_form(url_for("prefs.index")), form.theme.data)
    status = 422 if form.errors else 200
    return render_template("prefs/index.html", form=form, reset=ResetForm()), status


@bp.post("/reset")
def reset():
    """Delete the theme cookie (and the account's copy): back to the default."""
    response = after_form(url_for("prefs.index"))
    cookies.erase(response, "theme")
    if current_user.is_authenticated:
        theme.remember_choice(current_user, None)
    flash("Preferences reset: the theme cookie is deleted.", "info")
    return response


@bp.post("/theme")
def toggle():
    """Set the mode of the navbar button pressed and go back to the page it
    was pressed on."""
    form = ToggleForm()
    if not form.validate_on_submit():
        # The buttons send one of the three modes; nothing else came from a page.
        abort(400)
    target = safe_path(form.next.data, url_for("main.index"))
    return _save(after_form(target), form.theme.data)
