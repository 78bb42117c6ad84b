"""The preferences page, and the navbar's colour-mode and language switches."""

from flask import abort
from flask import Blueprint
from flask import flash
from flask import render_template
from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user

from cookiesite import cookies
from cookiesite.prefs import language
from cookiesite.prefs import members
from cookiesite.prefs import theme
from cookiesite.prefs.forms import LanguageForm
from cookiesite.prefs.forms import PreferencesForm
from cookiesite.prefs.forms import ResetForm
from cookiesite.prefs.forms import ToggleForm
from cookiesite.redirects import after_form
from cookiesite.redirects import safe_path

bp = Blueprint("prefs", __name__, url_prefix="/preferences")


def _save(response, key: str, value: str):
    """Set or update the preference's cookie, and the account's copy when a
    member is logged in."""
    cookies.write(response, key, value)
    if current_user.is_authenticated:
        members.remember_choice(current_user, key, value)
    return response


@bp.route("", methods=["GET", "POST"])
def index():
    """Choose Light, Dark or Auto, and a language; or forget both."""
    form = PreferencesForm(theme=theme.choice())
    if form.validate_on_submit():
        mode = {choice.value: choice.label for choice in form.theme.choices}[
            form.theme.data
        ]
        flash(_("Saved: %(mode)s colour mode.", mode=mode), "success")
        return _save(after_form(url_for("prefs.index")), "theme", form.theme.data)
    status = 422 if form.errors else 200
    here = url_for("prefs.index")
    return render_template(
        "prefs/index.html",
        form=form,
        language_form=LanguageForm(lang=language.rendered(), next=here),
        reset=ResetForm(),
    ), status


@bp.post("/reset")
def reset():
    """Delete the theme and lang cookies (and the account's copies): back to
    the defaults, the system's colours and the browser's language."""
    response = after_form(url_for("prefs.index"))
    for key in members.KEPT:
        cookies.erase(response, key)
        if current_user.is_authenticated:
            members.remember_choice(current_user, key, None)
    language.use(language.from_header())
    flash(_("Preferences reset: the theme and lang cookies are deleted."), "info")
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
    return _save(after_form(target), "theme", form.theme.data)


@bp.post("/language")
def choose_language():
    """Set the language chosen (navbar button or preferences page) and go
    back to the page it was chosen on, now in that language."""
    form = LanguageForm()
    if not form.validate_on_submit():
        # Both forms send one of the offered languages; nothing else came
        # from a page.
        abort(400)
    target = safe_path(form.next.data, url_for("main.index"))
    return _save(after_form(target), "lang", form.lang.data)
