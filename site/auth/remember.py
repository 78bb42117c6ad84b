"""Remember me: the ``remember`` cookie, and forgetting a login that ended.

Flask-Login keeps the login of this browser session in Flask's session and
reads it back with the user loader (``cookiesite.account.records.load_user``).
"Remember me" is this site's own cookie, declared in the catalogue and
written and erased only through it, and read back by Flask-Login's public
``request_loader``, which Flask-Login calls when the session names nobody:
after the browser was closed, for instance.

Both cookies carry the login record's token, never the user's id. The
remember cookie is signed (HMAC-SHA256, :func:`signer`) with ``SECRET_KEY``,
and a signature made with a key in ``SECRET_KEY_FALLBACKS`` still counts, so
rotating the key logs nobody out.

A login restored from the remember cookie says so once, on the page where
it happened ("Welcome back"): being logged in again should never be silent.

When a login has ended (logged out, revoked, password changed, logged out
from another device, expired) the browser still sends its cookies. The
loaders find nobody, the page says once which of those happened
(:data:`ENDED_MESSAGES`), and :func:`forget_dead_login` logs the browser out
with ``logout_user`` and deletes the remember cookie with its own path and
flags, so the dead token is not sent again.

Both notices are flashed, so a page shows them once; :func:`keep_notice`
makes sure that page is one the browser shows (see there).

The cookie is not named ``remember_token``: Flask-Login reads a cookie of
that name itself, before any request loader runs.
"""

import hashlib

from flask import current_app
from flask import flash
from flask import Flask
from flask import g
from flask import redirect
from flask import Request
from flask import request
from flask import Response
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_login import login_url
from flask_login import login_user
from flask_login import logout_user
from itsdangerous import BadSignature
from itsdangerous import Signer

from cookiesite import cookies
from cookiesite import words
from cookiesite.account import records
from cookiesite.extensions import login_manager
from cookiesite.models import Ended
from cookiesite.models import User

#: Shown once in a browser whose login has ended, for the reason it ended
#: (``LoginRecord.ended_reason``); ``None`` for a login that ended before the
#: reasons were kept. Lazy texts: each is translated when it is shown.
ENDED_MESSAGES = {
    Ended.LOGGED_OUT: _l(
        "Your login in this browser has ended: it was logged out. Please log in again."
    ),
    Ended.REVOKED: _l(
        "Your login in this browser was revoked from a list of"
        " logged-in devices. Please log in again."
    ),
    Ended.PASSWORD_CHANGED: _l(
        "Your login in this browser has ended because the account's password"
        " was changed. Please log in with the new password."
    ),
    Ended.LOGGED_OUT_ELSEWHERE: _l(
        "Your login in this browser has ended: “Log out all other devices”"
        " was pressed on another device. Please log in again."
    ),
    Ended.EXPIRED: _l("Your login in this browser timed out. Please log in again."),
    None: _l("Your login in this browser has ended. Please log in again."),
}


def welcome_back(user: User) -> str:
    """The notice on the page where the remember cookie logged ``user`` in."""
    return _(
        "Welcome back, %(username)s: the remember cookie logged you in again"
        " (“Remember me” lasts %(lifetime)s from the login).",
        username=user.username,
        lifetime=words.lifetime("remember"),
    )


def signer() -> Signer:
    """Signs with ``SECRET_KEY``; verifies with it and every fallback key."""
    config = current_app.config
    keys = [*(config["SECRET_KEY_FALLBACKS"] or []), config["SECRET_KEY"]]
    # itsdangerous signs with the last key and accepts any of them.
    return Signer(keys, salt="cookiesite.remember", digest_method=hashlib.sha256)


def remember(response: Response, user: User) -> None:
    """Set the remember cookie for ``user``'s current login."""
    value = signer().sign(user.get_id()).decode()
    cookies.write(response, "remember", value)


def load_from_cookie(request: Request) -> User | None:
    """Flask-Login's request loader: the member the remember cookie names.

    Flask-Login calls it when the session names nobody, so when it finds
    nobody either, this browser is anonymous for this request. A restored
    login goes into the session, as a login through the form does (not
    "fresh": no password was typed), so the next pages need no cookie check
    but the session's.
    """
    user = None
    value = cookies.read("remember")
    if value is not None:
        try:
            token = signer().unsign(value).decode()
        except BadSignature:
            g.dead_login = True
        else:
            user = records.load_user(token)
    if user is not None:
        login_user(user, fresh=False)
        _notify(welcome_back(user), "info")
    elif "ended_login" in g:
        _notify(str(ENDED_MESSAGES[g.ended_login.ended_reason]), "warning")
    return user


def _notify(message: str, category: str) -> None:
    """Flash a notice about this browser's login, noted for :func:`keep_notice`."""
    flash(message, category)
    g.login_notice = (message, category)


def send_to_login() -> Response:
    """Flask-Login's unauthorized handler: to the login page, and back after.

    Flask-Login's own handler would flash "Please log in" even to a browser
    already told that its login ended and to log in again: two alerts, the
    second saying less. This one leaves it out then.
    """
    if "ended_login" not in g:
        # The session keeps a flashed message as text: str() translates a
        # lazy one now, in this page's language.
        message = str(login_manager.login_message)
        flash(message, login_manager.login_message_category)
    return redirect(login_url(login_manager.login_view, next_url=request.url))


def forget_dead_login(response: Response) -> Response:
    """After a request that found a dead login: forget it in this browser.

    ``logout_user`` takes the dead token out of the session, and the remember
    cookie is deleted with its own path and flags. Nothing happens unless
    a loader found a dead login, so a request that never asked who is
    logged in (a static file) costs nothing here.
    """
    if not g.get("dead_login") or current_user.is_authenticated:
        return response
    logout_user()
    if cookies.sent("remember"):
        cookies.erase(response, "remember")
    return response


def keep_notice(response: Response) -> Response:
    """Flash this request's login notice again if the browser will not show
    the page that took it.

    A browser that sends client hints (``Sec-CH-UA``: Chromium) throws away a
    response whose ``Critical-CH`` names a hint its request lacked, and sends
    the request again at once, with the hint and the cookies the response
    set. ``cookiesite.prefs.theme`` asks so for the colour scheme, and a
    browser just restarted has not sent it yet: the page that took the notice
    out of the session is never seen, so the notice goes back in for the
    repeat to show. (Flask runs this hook after the theme's, which was
    registered later.)
    """
    notice = g.get("login_notice")
    critical = response.headers.get("Critical-CH")
    if notice is None or critical is None or "Sec-CH-UA" not in request.headers:
        return response
    if any(hint.strip() not in request.headers for hint in critical.split(",")):
        flash(*notice)
    return response


def init_app(app: Flask) -> None:
    """Read the remember cookie when the session names nobody, send those
    who must log in to the login page, and after each request forget a dead
    login and keep a notice the browser did not see."""
    login_manager.request_loader(load_from_cookie)
    login_manager.unauthorized_handler(send_to_login)
    app.after_request(forget_dead_login)
    app.after_request(keep_notice)
