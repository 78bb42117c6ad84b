"""Protections that cover every page: security headers, caching rules,
login throttling, and which proxy and host headers to believe.

``register_security`` wires them into the app. The headers are added to every
response generically, so a page added later is covered without a change here.
A page that must be shown in a frame by another page of this site says so
with :func:`framed_by_self`.
"""

import math
import time
from collections.abc import Callable
from functools import wraps

from flask import current_app
from flask import Flask
from flask import g
from flask import request
from flask import request_finished
from flask import Response
from flask_limiter import Limiter
from flask_login import current_user
from werkzeug.exceptions import HTTPException
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.exceptions import SecurityError
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

#: The Content-Security-Policy of every page, ``frame-ancestors`` aside. Only
#: this site's own files run and style pages; Bootstrap's CSS draws some
#: icons from ``data:`` SVG images, so those are allowed for images only.
CSP = {
    "default-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-src": "'self'",
}

#: Who may show a page in a frame, unless the view says otherwise.
DEFAULT_FRAME_ANCESTORS = "'none'"

#: ``X-Frame-Options`` for browsers that do not know ``frame-ancestors``.
_FRAME_OPTIONS = {"'none'": "DENY", "'self'": "SAMEORIGIN"}

#: The proxy headers ProxyFix can trust, by the setting that counts the
#: proxies that set each one.
PROXY_SETTINGS = {
    "x_for": "PROXY_FIX_X_FOR",
    "x_proto": "PROXY_FIX_X_PROTO",
    "x_host": "PROXY_FIX_X_HOST",
    "x_port": "PROXY_FIX_X_PORT",
    "x_prefix": "PROXY_FIX_X_PREFIX",
}

#: Usernames longer than this are cut for the throttling key: no real one is,
#: and a megabyte-long name must not become a megabyte-long storage key.
_USERNAME_KEY_MAX = 64


class DatabaseInteger(IntegerConverter):
    """``<int:...>`` in a route, matching only numbers an id column can hold.

    A larger number is nobody's id, so it gets 404 instead of reaching the
    database, where it overflows the column (a 500 on SQLite and PostgreSQL).
    """

    #: The largest PostgreSQL ``integer``, the type of every id column.
    MAX = 2**31 - 1

    def __init__(self, map, fixed_digits=0, min=None, max=MAX, signed=False):
        super().__init__(map, fixed_digits, min, max, signed)


def client_key() -> str:
    """Who is asking, for the per-client limits: the client's IP address.

    ``remote_addr`` comes from ``X-Forwarded-For`` only when ProxyFix was told
    how many proxies stand in front of the site; otherwise a client could
    pick a new address for every request.
    """
    return "ip:" + (request.remote_addr or "unknown")


def username_key() -> str:
    """Which account is being guessed at, for the per-account limit.

    Letter case and surrounding spaces are ignored, as login ignores them.
    A body too large to parse counts as no name here (it gets 413 anyway):
    an exception inside the limiter would read as its storage failing.
    """
    try:
        name = request.form.get("username", "")
    except HTTPException:
        name = ""
    return "user:" + name.strip().lower()[:_USERNAME_KEY_MAX]


def _setting(name: str) -> Callable[[], str]:
    """A limit read from the config of the app serving the request."""
    return lambda: current_app.config[name]


def _failed_login(response: Response) -> bool:
    """Every attempt that did not log in counts, whatever was wrong with it:
    a wrong password (422), a missing form token (400), a body that is not a
    form (415). Only a login that worked, answered with a redirect, does not."""
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
    key_prefix="cookiesite",
)


@limiter.request_filter
def _not_a_form_post() -> bool:
    """Every limit here is on form posts (``methods=["POST"]``), so any other
    request skips the limiter's work: about 5 % of a page's time. A limit
    on another method would need this filter changed."""
    return request.method != "POST"


def throttle_login(view):
    """Limit failed logins per client address and per username.

    Successful logins are not counted. The windows move, so an account that
    an attacker hammers is open again to its owner once the attempts stop.
    """
    view = limiter.limit(
        _setting("LOGIN_LIMIT_PER_USERNAME"),
        key_func=username_key,
        methods=["POST"],
        deduct_when=_failed_login,
    )(view)
    return limiter.limit(
        _setting("LOGIN_LIMIT_PER_CLIENT"),
        methods=["POST"],
        deduct_when=_failed_login,
    )(view)


def throttle_signup(view):
    """Limit signup attempts per client address, accepted or not."""
    return limiter.limit(_setting("SIGNUP_LIMIT_PER_CLIENT"), methods=["POST"])(view)


def framed_by_self(view):
    """Let other pages of this site show ``view`` in an ``<iframe>``.

    Every other page refuses to be framed at all (clickjacking).
    """

    @wraps(view)
    def wrapper(*args, **kwargs):
        allow_framing_by_self()
        return view(*args, **kwargs)

    # Lets the tests tell which pages may be framed.
    wrapper.frame_ancestors = "'self'"
    return wrapper


def allow_framing_by_self() -> None:
    """The same as :func:`framed_by_self`, from inside a view."""
    g.frame_ancestors = "'self'"


def content_security_policy(frame_ancestors: str = DEFAULT_FRAME_ANCESTORS) -> str:
    """The policy header's value."""
    directives = {**CSP, "frame-ancestors": frame_ancestors}
    return "; ".join(f"{name} {value}" for name, value in directives.items())


def _set_headers(response: Response) -> Response:
    """Headers that every response gets, whatever it is; a view's own win."""
    frame_ancestors = g.get("frame_ancestors", DEFAULT_FRAME_ANCESTORS)
    headers = response.headers
    headers.setdefault(
        "Content-Security-Policy", content_security_policy(frame_ancestors)
    )
    headers.setdefault("X-Frame-Options", _FRAME_OPTIONS[frame_ancestors])
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if current_app.config["HTTPS"]:
        headers.setdefault(
            "Strict-Transport-Security",
            f"max-age={int(current_app.config['HSTS_MAX_AGE'])}",
        )
    if response.status_code == 429 and limiter.current_limit is not None:
        wait = limiter.current_limit.reset_at - time.time()
        headers.setdefault("Retry-After", str(max(1, math.ceil(wait))))
    return response


def _is_static() -> bool:
    """Whether this request is for a file under ``static/`` (ours or Bootstrap's)."""
    return (request.endpoint or "").rsplit(".", 1)[-1] == "static"


def _depends_on_login(response: Response) -> bool:
    """Whether the response is about the person logged in in this browser.

    True for a logged-in member (also one just logged out: the response then
    changes the session cookie), and whenever the response sets or deletes
    any cookie: a shared cache must never hand that to somebody else.
    """
    return current_user.is_authenticated or bool(response.headers.getlist("Set-Cookie"))


def _set_caching(sender: Flask, response: Response, **extra) -> None:
    """``Cache-Control`` and ``Vary`` once every cookie of the response is known.

    This runs on ``request_finished``, after the ``after_request`` hooks and
    after the session was saved, so it sees the final ``Set-Cookie`` headers.

    Flask adds ``Vary: Cookie`` to every response whose session was looked
    at. That is every response here: Flask-Login looks into the session
    after each request. Pages do depend on the cookies (the login, the
    theme); static files do not, so there it is taken off again.
    """
    if _is_static():
        if "Cookie" in response.vary:
            response.vary.remove("Cookie")
        return
    if _depends_on_login(response):
        response.headers["Cache-Control"] = "no-store"


def _refuse_large_bodies() -> None:
    """413 for a body over ``MAX_CONTENT_LENGTH``, before any view runs.

    Werkzeug checks the size only when a view reads the form, so a view that
    reads none would quietly accept it; this refuses it on every route.
    """
    limit = request.max_content_length
    if limit is not None and (request.content_length or 0) > limit:
        raise RequestEntityTooLarge()


def _untrusted_host(error: SecurityError) -> Response:
    """400 for a ``Host`` header outside ``TRUSTED_HOSTS``, in plain text.

    The site's error page cannot be used: without a trusted host Flask has no
    way to build the page's links.
    """
    return Response(
        f"{error.code} {error.name}: this site does not answer to that host name.",
        error.code,
        mimetype="text/plain",
    )


def register_security(app: Flask) -> None:
    """Proxy headers, headers on every response, caching rules, the limiter."""
    proxies = {arg: int(app.config[name]) for arg, name in PROXY_SETTINGS.items()}
    if any(proxies.values()):
        # Only the proxies the config counts are believed; X-Forwarded-For
        # sent straight to the site is ignored, so it cannot dodge the limits.
        app.wsgi_app = ProxyFix(app.wsgi_app, **proxies)
    # Before the blueprints are registered, so every <int:...> route uses it.
    app.url_map.converters["int"] = DatabaseInteger
    app.before_request(_refuse_large_bodies)
    # Flask-Limiter reads this with setdefault on a shared object: set it per
    # app, or one app's choice would leak into the next.
    app.config.setdefault("RATELIMIT_ENABLED", True)
    limiter.init_app(app)
    app.register_error_handler(SecurityError, _untrusted_host)
    app.after_request(_set_headers)
    request_finished.connect(_set_caching, app)
