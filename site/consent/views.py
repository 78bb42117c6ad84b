"""``POST /consent``: Accept, Reject or Forget my choice; and the banner's data."""

from datetime import date

from flask import abort
from flask import Blueprint
from flask import flash
from flask import has_request_context
from flask import request
from flask import url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from cookiesite import consent
from cookiesite import cookies
from cookiesite.redirects import after_form
from cookiesite.redirects import safe_path

bp = Blueprint("consent", __name__)

#: What each button posts, and the message shown after it.
MESSAGES = {
    consent.ACCEPT: _l(
        "Analytics cookies accepted: the reports will count your visits."
    ),
    consent.REJECT: _l(
        "Analytics cookies rejected: none are set, and any set before are deleted."
    ),
    "forget": _l(
        "Your choice is forgotten: the analytics question will be asked"
        " again, and no analytics cookie is set until you answer."
    ),
}


def erase_analytics(response) -> None:
    """Delete every analytics cookie, each with the path it was set with.

    The browser never sends them here (they live under ``/reports``), so this
    cannot know whether they exist: the deletions go out every time.
    """
    for key, cookie in cookies.CATALOGUE.items():
        if cookie.needs_consent:
            cookies.erase(response, key)


@bp.post("/consent")
def choose():
    """Record the visitor's answer (or forget it) and return to their page."""
    choice = request.form.get("choice")
    if choice not in MESSAGES:
        abort(400)
    target = safe_path(request.form.get("next"), url_for("main.index"))
    response = after_form(target)
    if choice == "forget":
        cookies.erase(response, "consent")
    else:
        cookies.write(response, "consent", consent.cookie_value(choice))
    gpc = consent.gpc_sent()
    if choice != consent.ACCEPT or gpc:
        # Rejecting, forgetting, or GPC: nothing may stay behind.
        erase_analytics(response)
    message = str(MESSAGES[choice])
    if gpc:
        message = _(
            "%(message)s Your browser sends Global Privacy Control, so analytics"
            " cookies stay off for as long as it does.",
            message=message,
        )
    # A str, not the lazy text: the session keeps the message until shown.
    flash(message, "info")
    return response


def return_path() -> str:
    """This page's path and query, for the forms' hidden ``next`` field."""
    return request.full_path if request.query_string else request.path


@bp.app_template_filter()
def long_date(day: date) -> str:
    """``2 December 2026`` (``2. Dezember 2026``): a day as people write it,
    in the page's language."""
    # Translators: a CLDR date pattern (d day, MMMM month's name, y year).
    return format_date(day, _("d MMMM y"))


@bp.app_context_processor
def consent_context() -> dict:
    """What ``consent/_banner.html`` and ``consent/_choice.html`` need."""
    if not has_request_context():
        return {}
    state = consent.current()
    # With GPC and no answer the banner still shows, to say the signal was
    # taken as a rejection, until its button stores that rejection as the
    # answer; the question itself is only asked without GPC.
    banner = state.answer is None and request.endpoint not in consent.CHOICE_ENDPOINTS
    return {
        "consent": state,
        "consent_banner": banner,
        "consent_next": return_path(),
        # The banner and the choice name cookies and paths as the catalogue
        # declares them (``__Host-session`` over HTTPS), not as typed in.
        "cookie_name": cookies.cookie_name,
        "catalogue": cookies.CATALOGUE,
    }
