"""The account page: change password, delete the account, see and revoke
devices, log out all the others."""

from flask import abort
from flask import Blueprint
from flask import flash
from flask import make_response
from flask import render_template
from flask import url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from flask_login import logout_user

from cookiesite import browser
from cookiesite import cookies
from cookiesite import words
from cookiesite.account import records
from cookiesite.account.devices import label
from cookiesite.account.forms import DeleteAccountForm
from cookiesite.account.forms import PasswordForm
from cookiesite.extensions import db
from cookiesite.extensions import login_manager
from cookiesite.models import Ended
from cookiesite.models import LoginRecord
from cookiesite.redirects import after_form
from cookiesite.throttle import note_wrong_password
from cookiesite.throttle import throttle_password_check

bp = Blueprint("account", __name__, url_prefix="/account")

# {{ record.device|device_label }}: a login's device in the page's language,
# on this page and on the admin's list of everyone's logins.
bp.add_app_template_filter(label, "device_label")


@bp.before_request
def require_login():
    """Everything here is about the logged-in member's own account."""
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    return None


def _page(password_form=None, delete_form=None):
    """The account page; a form sent back with errors keeps them (422)."""
    password_form = password_form or PasswordForm(formdata=None)
    delete_form = delete_form or DeleteAccountForm(formdata=None)
    status = 422 if password_form.errors or delete_form.errors else 200
    page = render_template(
        "account/index.html",
        password_form=password_form,
        delete_form=delete_form,
        devices=records.active(current_user),
        this_device=current_user.login_record,
        idle=words.duration(records.setting("LOGIN_IDLE_TIMEOUT")),
        max_age=words.duration(records.setting("LOGIN_MAX_AGE")),
    )
    return page, status


@bp.get("")
def index():
    """The member's devices and the forms that change the account."""
    return _page()


@bp.post("/password")
@throttle_password_check
def change_password():
    """Set a new password and log out every other device.

    A stolen cookie is the usual reason to change a password, so every other
    login ends with the old password; this one stays logged in. Wrong current
    passwords are limited per account, or a stolen session could guess it.
    """
    form = PasswordForm()
    if form.validate_on_submit():
        if current_user.check_password(form.current.data):
            current_user.set_password(form.new.data)
            ended = records.end_all(
                current_user,
                keep=current_user.login_record,
                reason=Ended.PASSWORD_CHANGED,
            )
            message = ngettext(
                "Password changed. %(num)d other device logged out.",
                "Password changed. %(num)d other devices logged out.",
                ended,
            )
            flash(message, "success")
            return after_form(url_for("account.index"))
        note_wrong_password()
        form.current.errors.append(_("That is not your current password."))
    return _page(password_form=form)


@bp.post("/devices/<int:record_id>/revoke")
def revoke(record_id: int):
    """End the login of one of the member's devices.

    That device is logged out at its next request, and its cookies deleted.
    """
    record = db.session.get(LoginRecord, record_id)
    if record is None or record.user_id != current_user.id:
        abort(404)
    records.end(record, Ended.REVOKED)
    flash(
        _(
            "Revoked: %(device)s is logged out at its next page.",
            device=label(record.device),
        ),
        "success",
    )
    return after_form(url_for("account.index"))


@bp.post("/devices/log-out-others")
def log_out_others():
    """End every login of the member but this one ("Log out all other devices").

    For a member who thinks a cookie was copied, or who used a shared
    computer, without changing the password. Each of those devices is logged
    out at its next page, and told why.
    """
    ended = records.end_all(
        current_user,
        keep=current_user.login_record,
        reason=Ended.LOGGED_OUT_ELSEWHERE,
    )
    message = ngettext(
        "Logged out %(num)d other device; this one stays logged in.",
        "Logged out %(num)d other devices; this one stays logged in.",
        ended,
    )
    flash(message, "success")
    return after_form(url_for("account.index"))


@bp.post("/delete")
@throttle_password_check
def delete():
    """Delete the account and its logins, and clear this browser's cookies.

    The goodbye page is rendered, not redirected to: the next page would set a
    new session cookie, and this response is the one that clears them all.
    """
    form = DeleteAccountForm()
    if form.validate_on_submit():
        if current_user.check_password(form.password.data):
            # The User itself, not the current_user proxy, for the session to delete.
            user = current_user.login_record.user
            username = user.username
            logout_user()
            # The database deletes the login records with it (ON DELETE CASCADE).
            db.session.delete(user)
            db.session.commit()
            response = make_response(
                render_template(
                    "account/deleted.html",
                    username=username,
                    cleared=[
                        (cookies.cookie_name(key), cookie.path)
                        for key, cookie in cookies.CATALOGUE.items()
                    ],
                )
            )
            browser.erase_catalogue(response)
            return response
        note_wrong_password()
        form.password.errors.append(_("That is not your password."))
    return _page(delete_form=form)
