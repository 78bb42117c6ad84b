"""Sign up, log in and log out."""

from flask import Blueprint
from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import session
from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_login import login_user
from flask_login import logout_user
from sqlalchemy.exc import IntegrityError

from cookiesite import cookies
from cookiesite.account import records
from cookiesite.auth import device
from cookiesite.auth import remember as remember_me
from cookiesite.auth.forms import LoginForm
from cookiesite.auth.forms import SignupForm
from cookiesite.extensions import db
from cookiesite.models import authenticate
from cookiesite.models import Ended
from cookiesite.models import User
from cookiesite.models import utcnow
from cookiesite.redirects import after_form
from cookiesite.redirects import safe_path
from cookiesite.throttle import throttle_login
from cookiesite.throttle import throttle_signup

bp = Blueprint("auth", __name__)


def _start_session(user: User, remember: bool) -> None:
    """Log ``user`` in on a fresh session.

    Clearing first means nothing from before the login (a session planted by
    an attacker, an old CSRF token) carries over into the logged-in session.
    """
    session.clear()
    # The session (and the remember cookie) carry this login record's token.
    records.start(user, remember)
    login_user(user)
    user.last_login_at = utcnow()
    db.session.commit()


def _status(form) -> int:
    """200 for a blank form, 422 for one sent back with errors to fix."""
    return 422 if form.errors else 200


@bp.route("/signup", methods=["GET", "POST"])
@throttle_signup
def signup():
    """Create an account and log it in (without "Remember me")."""
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = SignupForm()
    if form.validate_on_submit():
        user = User(form.username.data, form.password.data)
        db.session.add(user)
        try:
            db.session.commit()
        except IntegrityError:
            # Another signup took the name between the check and the insert.
            db.session.rollback()
            form.username.errors.append(_("That username is taken."))
        else:
            _start_session(user, remember=False)
            flash(
                _(
                    "Welcome, %(username)s! Your account is ready.",
                    username=user.username,
                ),
                "success",
            )
            return after_form(url_for("main.index"))
    return render_template("auth/signup.html", form=form), _status(form)


@bp.route("/login", methods=["GET", "POST"])
@throttle_login
def login():
    """Log in; with "Remember me" the login outlives the browser session."""
    target = safe_path(request.args.get("next"), url_for("main.index"))
    if current_user.is_authenticated:
        return redirect(target)
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(form.username.data, form.password.data)
        if user is None:
            # One message for both cases, so it does not reveal which names exist.
            form.form_errors.append(_("Unknown username or wrong password."))
        else:
            _start_session(user, remember=form.remember.data)
            flash(_("Logged in as %(username)s.", username=user.username), "success")
            response = after_form(target)
            if form.remember.data:
                remember_me.remember(response, user)
            # This browser now knows the password: a lockout of the username
            # by someone else's guesses does not hold it.
            device.issue(response, user.username)
            return response
    return render_template("auth/login.html", form=form), _status(form)


@bp.post("/logout")
def logout():
    """Log out, end the session, and delete the remember cookie."""
    response = after_form(url_for("main.index"))
    if current_user.is_authenticated:
        # Ending the record makes copies of this browser's cookies worthless.
        records.end(current_user.login_record, Ended.LOGGED_OUT)
        if cookies.sent("remember"):
            cookies.erase(response, "remember")
    # (A login that had already ended is forgotten after this view:
    # cookiesite.auth.remember.forget_dead_login.)
    logout_user()
    # A new, empty session: nothing of the login (nor its form token) is kept.
    session.clear()
    flash(_("You are logged out."), "info")
    return response
