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

When a login has ended (logout elsewhere, revoked, password changed, expired)
the browser still sends its cookies. The loaders find nobody, the page says
so once, and :func:`forget_dead_login` logs the browser out with
``logout_user`` and deletes the remember cookie with its own path and flags,
so the dead token is not sent again.

The cookie is not named ``remember_token``: Flask-Login reads a cookie of
that name itself, before any request loader runs.
"""

import hashlib

from flask import current_app
from flask import flash
from flask import Flask
from flask import g
from flask import Request
from flask import Response
from flask_login import current_user
from flask_login import login_user
from flask_login import logout_user
from itsdangerous import BadSignature
from itsdangerous import Signer

from cookiesite import cookies
from cookiesite.account import records
from cookiesite.extensions import login_manager
from cookiesite.models import User

#: Shown once in a browser whose login ended elsewhere or by itself.
ENDED_MESSAGE = (
    "Your login in this browser has ended: you logged out, it was revoked,"
    " your password changed, or it timed out. Please log in again."
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
    elif g.get("login_ended"):
        flash(ENDED_MESSAGE, "warning")
    return user


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


def init_app(app: Flask) -> None:
    """Read the remember cookie when the session names nobody, and forget
    dead logins after each request."""
    login_manager.request_loader(load_from_cookie)
    app.after_request(forget_dead_login)
