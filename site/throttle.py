"""Login throttling: failed logins, signups and current-password checks
counted per client address, per username, per device and per account.

Flask-Limiter counts them; :func:`init_app` binds it to the app. The views
that check a password are wrapped by :func:`throttle_login`,
:func:`throttle_password_check` and :func:`throttle_signup`. The windows move,
so a locked account opens again minutes after the attempts stop, and the
owner's own browser, holding a device cookie (``cookiesite.auth.device``), is
not held by the per-username limit meanwhile.
"""

import math
import time
from collections.abc import Callable

from flask import current_app
from flask import Flask
from flask import g
from flask import request
from flask import Response
from flask_limiter import Limiter
from flask_login import current_user
from werkzeug.exceptions import HTTPException

from cookiesite.auth import device

#: Usernames longer than this are cut for the throttling key: no real one is,
#: and a megabyte-long name must not become a megabyte-long storage key.
_USERNAME_KEY_MAX = 64


def client_key() -> str:
    """Who is asking, for the per-client limits: the client's IP address.

    ``remote_addr`` comes from ``X-Forwarded-For`` only when ProxyFix was told
    how many proxies stand in front of the site; otherwise a client could
    pick a new address for every request.
    """
    return "ip:" + (request.remote_addr or "unknown")


def _posted_username() -> str:
    """The username the login form was sent with, surrounding spaces removed.

    A body too large to parse counts as no name here (it gets 413 anyway):
    an exception inside the limiter would read as its storage failing.
    """
    try:
        name = request.form.get("username", "")
    except HTTPException:
        name = ""
    return name.strip()


def username_key() -> str:
    """Which account is being guessed at, for the per-account limit.

    Letter case and surrounding spaces are ignored, as login ignores them.
    """
    return "user:" + _posted_username().lower()[:_USERNAME_KEY_MAX]


def _trusted_device() -> bool:
    """Whether the login form came with a valid device cookie for the
    username it names: then the per-device limit holds it, not the
    per-username one (``cookiesite.auth.device``)."""
    return device.nonce_for(_posted_username()) is not None


def _untrusted_device() -> bool:
    """Whether the per-device limit has no device to count for this attempt."""
    return not _trusted_device()


def device_key() -> str:
    """Which device cookie is guessing, for the per-device limit; asked only
    when the cookie is valid for the username (:func:`_trusted_device`)."""
    return "device:" + (device.nonce_for(_posted_username()) or "")


def account_key() -> str:
    """Whose current password is being checked: the logged-in member's
    account, whichever session or address asks."""
    return f"account:{current_user.id}"


def _setting(name: str) -> Callable[[], str]:
    """A limit read from the config of the app serving the request."""
    return lambda: current_app.config[name]


def _failed_login(response: Response) -> bool:
    """Every attempt the login view answered without logging in counts: a
    wrong password, or a form sent back with errors (422). Only a login that
    worked, answered with a redirect, does not. (A request the view never
    sees cannot check a password: a body that is not a form gets 415 before
    any view runs, ``cookiesite.security``, and one without its form token
    400.)"""
    return response.status_code not in (302, 303)


#: Counts requests per client and per account. Everything that must not
#: differ between apps in one process (tests make many) is fixed here; the
#: storage and the limits come from each app's config.
limiter = Limiter(
    key_func=client_key,
    strategy="moving-window",
    # Its X-RateLimit-* headers would go on every login response, with a
    # Retry-After even when nothing was refused; only a 429 gets Retry-After.
    headers_enabled=False,
    # A Redis that is down must not lock everybody out, nor show a 500:
    # count in memory meanwhile, and log what failed.
    in_memory_fallback_enabled=True,
    swallow_errors=True,
)


@limiter.request_filter
def _not_a_form_post() -> bool:
    """Every limit here is on form posts (``methods=["POST"]``), so any other
    request skips the limiter's work: about 5 % of a page's time. A limit
    on another method would need this filter changed."""
    return request.method != "POST"


def throttle_login(view):
    """Limit failed logins per client address, and per username or device.

    Successful logins are not counted. The windows move, so an account that
    an attacker hammers is open again to its owner once the attempts stop;
    and the owner's own browser, holding a device cookie for the account, is
    not held by the per-username limit meanwhile but by one of its own
    (OWASP's device cookies, ``cookiesite.auth.device``). The per-client
    limit holds everybody.
    """
    view = limiter.limit(
        _setting("LOGIN_LIMIT_PER_USERNAME"),
        key_func=username_key,
        methods=["POST"],
        exempt_when=_trusted_device,
        deduct_when=_failed_login,
    )(view)
    view = limiter.limit(
        _setting("LOGIN_LIMIT_PER_DEVICE"),
        key_func=device_key,
        methods=["POST"],
        exempt_when=_untrusted_device,
        deduct_when=_failed_login,
    )(view)
    return limiter.limit(
        _setting("LOGIN_LIMIT_PER_CLIENT"),
        methods=["POST"],
        deduct_when=_failed_login,
    )(view)


def note_wrong_password() -> None:
    """Count this request against :func:`throttle_password_check`'s limit:
    the view checked a current password, and it was wrong."""
    g.wrong_password = True


def _wrong_password(response: Response) -> bool:
    """Only a wrong current password counts: a form sent back for another
    reason (a weak new password) made no check."""
    return g.get("wrong_password", False)


def throttle_password_check(view):
    """Limit wrong current passwords per account, on every form that checks
    one (they share the count), from any session.

    Past the limit the view does not run, so the password is not even
    checked: a right one changes nothing either. A view calls
    :func:`note_wrong_password` when the check fails.
    """
    return limiter.shared_limit(
        _setting("PASSWORD_CHECK_LIMIT_PER_ACCOUNT"),
        scope="password-check",
        key_func=account_key,
        methods=["POST"],
        deduct_when=_wrong_password,
    )(view)


def seconds_to_wait() -> int | None:
    """After a limit refused this request: how long until the oldest attempt
    it counted leaves its window and one more is allowed, in whole seconds
    (rounded up). ``None`` when no limit of the limiter refused it."""
    limit = limiter.current_limit
    if limit is None or not limit.breached:
        return None
    return max(1, math.ceil(limit.reset_at - time.time()))


def throttle_signup(view):
    """Limit signup attempts per client address, accepted or not."""
    return limiter.limit(_setting("SIGNUP_LIMIT_PER_CLIENT"), methods=["POST"])(view)


def init_app(app: Flask) -> None:
    """Bind the limiter to ``app``, with the app's storage and limits."""
    # Flask-Limiter reads this with setdefault on a shared object: set it per
    # app, or one app's choice would leak into the next.
    app.config.setdefault("RATELIMIT_ENABLED", True)
    limiter.init_app(app)
