"""Protections that cover every page: security headers, caching rules, the
bodies a request may carry, and which proxy and host headers to believe.
(Login throttling is ``cookiesite.throttle``.)

``register_security`` wires them into the app. The headers are added to every
response generically, so a page added later is covered without a change here.
A page that must be shown in a frame by another page of this site says so
with :func:`framed_by_self`.
"""

from functools import wraps

from flask import current_app
from flask import Flask
from flask import g
from flask import request
from flask import request_finished
from flask import Response
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.exceptions import SecurityError
from werkzeug.exceptions import UnsupportedMediaType
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from cookiesite import throttle

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


class DatabaseInteger(IntegerConverter):
    """``<int:...>`` in a route, matching only numbers an id column can hold.

    A larger number is nobody's id, so it gets 404 instead of reaching the
    database, where it overflows the column (a 500 on SQLite and PostgreSQL).
    """

    #: The largest PostgreSQL ``integer``, the type of every id column.
    MAX = 2**31 - 1

    def __init__(self, map, fixed_digits=0, min=None, max=MAX, signed=False):
        super().__init__(map, fixed_digits, min, max, signed)


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
            "Strict-Transport-Security", strict_transport_security(current_app.config)
        )
    if response.status_code == 429 and (wait := throttle.seconds_to_wait()):
        headers.setdefault("Retry-After", str(wait))
    return response


def strict_transport_security(config) -> str:
    """The ``Strict-Transport-Security`` value the HSTS settings ask for."""
    value = f"max-age={int(config['HSTS_MAX_AGE'])}"
    if config["HSTS_INCLUDE_SUBDOMAINS"]:
        value += "; includeSubDomains"
    if config["HSTS_PRELOAD"]:
        value += "; preload"
    return value


def _check_hsts(config) -> None:
    """Refuse to start with a ``preload`` the browsers' lists would reject."""
    year = 365 * 24 * 3600
    if config["HSTS_PRELOAD"] and not (
        config["HSTS_INCLUDE_SUBDOMAINS"] and int(config["HSTS_MAX_AGE"]) >= year
    ):
        raise RuntimeError(
            "HSTS_PRELOAD needs HSTS_INCLUDE_SUBDOMAINS and an HSTS_MAX_AGE of at"
            f" least {year} seconds (a year): browsers' preload lists take no less"
        )


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
        # Rebuilt, not ``vary.remove("Cookie")``: Werkzeug 3.1's
        # HeaderSet.remove compares the stored names, lowercased, with the
        # name as given, so "Cookie" stays in the header while the set says
        # it is gone (reported upstream: pallets/werkzeug#3211).
        response.vary = [name for name in response.vary if name.lower() != "cookie"]
        return
    if _depends_on_login(response):
        response.headers["Cache-Control"] = "no-store"


def _refuse_large_bodies() -> None:
    """413 for a body over ``MAX_CONTENT_LENGTH``, before any view runs.

    Werkzeug checks the size only when a view reads the form, so a view that
    reads none would quietly accept it; this refuses it on every route.

    A chunked body (``Transfer-Encoding: chunked``) has no ``Content-Length``
    to check. A server that takes one (gunicorn) says so with
    ``wsgi.input_terminated``, and Werkzeug's ``request.stream`` then stops
    at the limit without a word: a form parsed from it would be the first
    ``MAX_CONTENT_LENGTH`` bytes of a larger body. So such a body is read
    here, and one byte more asked for: only a read past the limit makes the
    stream raise 413. (A body of exactly the limit is refused too: the
    stream cannot tell it from a longer one.)
    """
    limit = request.max_content_length
    if limit is None:
        return
    if (request.content_length or 0) > limit:
        raise RequestEntityTooLarge()
    if request.content_length is None and "Transfer-Encoding" in request.headers:
        # Kept (cache=True): the form is parsed from these bytes later.
        request.get_data(cache=True)
        # Nothing left at the end of a shorter body; RequestEntityTooLarge
        # from the stream once the limit was reached.
        request.stream.read(1)


#: The one kind of body the site's forms send: a plain HTML form. Flask-WTF
#: would read a JSON or multipart body as form data too, with numbers,
#: lists or files where the fields expect text.
FORM_BODY = "application/x-www-form-urlencoded"

#: The methods whose body a form reads (Flask-WTF's submit methods).
BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def _refuse_other_bodies() -> None:
    """415 for a POST (PUT, PATCH, DELETE) whose body is not a plain HTML
    form in UTF-8, before any view or form reads it.

    Werkzeug reads a form as UTF-8 whatever the ``charset`` says, so another
    charset is refused rather than misread. A request with no body at all
    passes: the form then fails its own checks.
    """
    if request.method not in BODY_METHODS:
        return
    if not request.content_type:
        # No Content-Type: only an empty body is a form's (an empty one).
        if request.content_length or "Transfer-Encoding" in request.headers:
            raise UnsupportedMediaType()
        return
    params = request.mimetype_params
    if (
        request.mimetype != FORM_BODY
        or params.keys() - {"charset"}
        or params.get("charset", "utf-8").lower() != "utf-8"
    ):
        raise UnsupportedMediaType()


def _untrusted_host(error: SecurityError) -> Response:
    """400 for a ``Host`` header outside ``TRUSTED_HOSTS``, in plain text.

    The site's error page cannot be used: without a trusted host Flask has no
    way to build the page's links.
    """
    message = _("this site does not answer to that host name.")
    return Response(
        f"{error.code} {error.name}: {message}", error.code, mimetype="text/plain"
    )


def register_security(app: Flask) -> None:
    """Proxy headers, the bodies taken, headers on every response, caching
    rules."""
    _check_hsts(app.config)
    proxies = {arg: int(app.config[name]) for arg, name in PROXY_SETTINGS.items()}
    if any(proxies.values()):
        # Only the proxies the config counts are believed; X-Forwarded-For
        # sent straight to the site is ignored, so it cannot dodge the limits.
        app.wsgi_app = ProxyFix(app.wsgi_app, **proxies)
    # Before the blueprints are registered, so every <int:...> route uses it.
    app.url_map.converters["int"] = DatabaseInteger
    # The kind of body first: it is refused without reading any of it.
    app.before_request(_refuse_other_bodies)
    app.before_request(_refuse_large_bodies)
    app.register_error_handler(SecurityError, _untrusted_host)
    app.after_request(_set_headers)
    request_finished.connect(_set_caching, app)
