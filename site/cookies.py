"""The cookie catalogue: every cookie this site sets, declared once.

Each :class:`Cookie` says what the cookie is for and how it is sent. Views
never call ``response.set_cookie`` or ``response.delete_cookie`` themselves;
they call :func:`write` and :func:`erase` here, so a deletion always carries
the path and flags of the setting, and the policy page, the inspector, the
admin page and the tests all read the same declarations.

Flask's ``session`` is declared too; :func:`configure` turns its declaration
into the ``SESSION_COOKIE_*`` settings Flask reads.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from datetime import timedelta
from enum import StrEnum

from flask import current_app
from flask import Flask
from flask import request
from flask import Response
from flask_babel import lazy_gettext as _l

#: Browsers keep a cookie at most 400 days (RFC 6265bis); asking for longer
#: only hides the real lifetime from the reader of the code.
MAX_LIFETIME = timedelta(days=400)

#: Browsers drop a cookie whose name and value together pass 4096 bytes.
MAX_BYTES = 4096

#: The three values the ``theme`` cookie may hold.
THEMES = ("light", "dark", "auto")

#: The languages the site is written in, by the code the ``lang`` cookie
#: holds, with each one's name in itself (how a language switch names it).
LANGUAGES = {"en": "English", "de": "Deutsch"}

#: Bumped when the cookie policy changes: a ``consent`` answered for an older
#: version counts as no answer, so the banner asks again.
POLICY_VERSION = "1"

_HEX_ID = re.compile(r"[0-9a-f]{32}")
_CONSENT = re.compile(
    r"(?P<version>[0-9]{1,4})\.(?P<choice>accept|reject)"
    r"(?:\.(?P<day>[0-9]{4}-[0-9]{2}-[0-9]{2}))?"
)


def _check_lifetime(name: str, lifetime: timedelta | None) -> None:
    if lifetime is not None and not timedelta(0) < lifetime <= MAX_LIFETIME:
        raise CookieError(
            f"cookie {name!r}: a lifetime of {lifetime} is outside 1 second to"
            f" {MAX_LIFETIME.days} days, the most a browser keeps a cookie"
        )


def _as_timedelta(value: timedelta | int | float) -> timedelta:
    return value if isinstance(value, timedelta) else timedelta(seconds=value)


class Category(StrEnum):
    """Why a cookie exists, as the cookie policy groups them."""

    ESSENTIAL = "essential"
    PREFERENCES = "preferences"
    ANALYTICS = "analytics"
    #: Cookies visitors make themselves in the cookie lab: a family declared
    #: in ``cookiesite.lab.family``, not single cookies of this catalogue.
    LAB = "lab"


#: Each category's name as the cookie policy's headings show it, in the
#: page's language (the value itself stays English: the README and the
#: inspector show it as a token).
CATEGORY_TITLES = {
    Category.ESSENTIAL: _l("essential"),
    Category.PREFERENCES: _l("preferences"),
    Category.ANALYTICS: _l("analytics"),
    Category.LAB: _l("lab"),
}


class CookieError(ValueError):
    """A cookie declaration or value that browsers would not keep as written."""


@dataclass(frozen=True)
class Cookie:
    """One cookie of the catalogue. ``max_age=None`` is a session cookie."""

    #: The name without prefix; under HTTPS it becomes ``__Host-<name>``
    #: (path ``/``) or ``__Secure-<name>`` (any other path).
    name: str
    category: Category
    #: What the cookie is for, in plain words, for the cookie policy: a lazy
    #: text, in the page's language where a page shows it, English outside
    #: a request (the README's table). ``str()`` it to compare or join.
    purpose: str
    #: How a value sent by the browser is checked, in plain words (lazy too).
    validation: str
    path: str = "/"
    max_age: timedelta | None = None
    #: A config key whose value replaces ``max_age`` (still capped at 400 days).
    lifetime_setting: str | None = None
    httponly: bool = True
    samesite: str = "Lax"
    #: Returns whether a value sent by the browser may be used. ``None`` means
    #: the library that owns the cookie checks it (a signature).
    is_valid: Callable[[str], bool] | None = None
    #: Set only after the visitor accepted analytics cookies.
    needs_consent: bool = False

    def __post_init__(self) -> None:
        _check_lifetime(self.name, self.max_age)

    @property
    def prefix(self) -> str:
        """The name prefix used under HTTPS: ``__Host-`` needs ``Path=/``."""
        return "__Host-" if self.path == "/" else "__Secure-"


def _is_consent(value: str) -> bool:
    match = _CONSENT.fullmatch(value)
    if match is None or match["version"] != POLICY_VERSION:
        return False
    if match["day"] is None:
        # Written before the cookie carried the day: still an answer, one
        # whose day is unknown (asking everyone again would only annoy).
        return True
    try:
        date.fromisoformat(match["day"])  # a real day: not 2026-02-30
    except ValueError:
        return False
    return True


#: The catalogue, in the order the cookie policy lists it.
CATALOGUE: dict[str, Cookie] = {
    cookie.name: cookie
    for cookie in (
        Cookie(
            name="session",
            category=Category.ESSENTIAL,
            purpose=_l(
                "Flask's signed session: who is logged in during this browser"
                " session, the token that protects forms, and one-off messages."
            ),
            validation=_l(
                "Signed with the site's secret key; a bad signature is ignored."
            ),
        ),
        Cookie(
            name="remember",
            category=Category.ESSENTIAL,
            purpose=_l(
                "Set only when you tick \u201cRemember me\u201d: logs you back in"
                " after the browser was closed."
            ),
            validation=_l(
                "Signed with the site's secret key; a bad signature, or a"
                " login that has ended, is ignored and the cookie deleted."
            ),
            max_age=timedelta(days=30),
            lifetime_setting="REMEMBER_DURATION",
        ),
        Cookie(
            name="device",
            category=Category.ESSENTIAL,
            purpose=_l(
                "Set when you log in: tells the login form that this browser"
                " has logged in to your account before, so someone else's"
                " wrong guesses at your password cannot lock you out. Sent"
                " only to the login page; it does not log you in."
            ),
            validation=_l(
                "Signed with the site's secret key and bound to one"
                " username; a bad signature, another username, or one older"
                " than its lifetime counts as no cookie."
            ),
            path="/login",
            max_age=timedelta(days=365),
        ),
        Cookie(
            name="theme",
            category=Category.PREFERENCES,
            purpose=_l("Your colour mode: light, dark, or auto (follow the system)."),
            validation=_l("One of light, dark or auto; anything else is ignored."),
            max_age=timedelta(days=400),
            is_valid=THEMES.__contains__,
        ),
        Cookie(
            name="lang",
            category=Category.PREFERENCES,
            purpose=_l(
                "The language you chose for the site. Without it, pages"
                " follow the languages your browser asks for in every request."
            ),
            validation=_l(
                "One of the languages the site offers (en, de);"
                " anything else is ignored."
            ),
            max_age=timedelta(days=400),
            is_valid=LANGUAGES.__contains__,
        ),
        Cookie(
            name="consent",
            category=Category.ESSENTIAL,
            purpose=_l(
                "Your answer to the analytics question, the version of this"
                " policy you answered, and the day you answered."
            ),
            validation=_l(
                "The policy version, accept or reject, and the day (UTC);"
                " an answer to an older policy is asked again."
            ),
            max_age=timedelta(days=180),
            is_valid=_is_consent,
        ),
        Cookie(
            name="visitor",
            category=Category.ANALYTICS,
            purpose=_l(
                "An anonymous, random id that counts unique readers of the reports."
            ),
            validation=_l("32 hexadecimal characters; anything else is replaced."),
            path="/reports",
            max_age=timedelta(days=390),
            is_valid=_HEX_ID.fullmatch,
            needs_consent=True,
        ),
        Cookie(
            name="visit",
            category=Category.ANALYTICS,
            purpose=_l(
                "The current visit to the reports; renewed on each reports page,"
                " so 30 minutes without one starts a new visit."
            ),
            validation=_l("32 hexadecimal characters; anything else is replaced."),
            path="/reports",
            max_age=timedelta(minutes=30),
            is_valid=_HEX_ID.fullmatch,
            needs_consent=True,
        ),
    )
}


def cookie_name(key: str, app: Flask | None = None) -> str:
    """The name the browser sees: prefixed when the site is served over HTTPS."""
    cookie = CATALOGUE[key]
    app = app or current_app
    return cookie.prefix + cookie.name if app.config["HTTPS"] else cookie.name


def lifetime(key: str, app: Flask | None = None) -> timedelta | None:
    """How long the cookie lives; ``None`` for a session cookie."""
    cookie = CATALOGUE[key]
    app = app or current_app
    if cookie.lifetime_setting is None:
        return cookie.max_age
    return _as_timedelta(app.config[cookie.lifetime_setting])


def configure(app: Flask) -> None:
    """Derive Flask's session cookie settings from the catalogue.

    Raises :class:`CookieError` when a configured lifetime passes 400 days, so
    a bad setting stops the site at start-up instead of misleading members.
    """
    for key in CATALOGUE:
        _check_lifetime(key, lifetime(key, app))
    session = CATALOGUE["session"]
    app.config["SESSION_COOKIE_NAME"] = cookie_name("session", app)
    app.config["SESSION_COOKIE_PATH"] = session.path
    app.config["SESSION_COOKIE_HTTPONLY"] = session.httponly
    app.config["SESSION_COOKIE_SAMESITE"] = session.samesite
    app.config["SESSION_COOKIE_SECURE"] = bool(app.config["HTTPS"])


def read(key: str) -> str | None:
    """The value the browser sent for this cookie, or ``None``.

    A value that fails the declaration's check counts as absent: it is never
    an error, and never echoed back to the page.
    """
    value = request.cookies.get(cookie_name(key))
    if value is None:
        return None
    check = CATALOGUE[key].is_valid
    return value if check is None or check(value) else None


def sent(key: str) -> bool:
    """Whether the browser sent this cookie with the current request at all."""
    return cookie_name(key) in request.cookies


def write(response: Response, key: str, value: str) -> None:
    """Set or update a cookie with the name, path, lifetime and flags its
    declaration gives."""
    cookie = CATALOGUE[key]
    name = cookie_name(key)
    size = len(name.encode()) + len(value.encode())
    if size > MAX_BYTES:
        raise CookieError(
            f"cookie {key!r}: {size} bytes is more than the {MAX_BYTES} a browser keeps"
        )
    response.set_cookie(
        name,
        value,
        max_age=lifetime(key),
        path=cookie.path,
        secure=current_app.config["HTTPS"],
        httponly=cookie.httponly,
        samesite=cookie.samesite,
    )


def erase(response: Response, key: str) -> None:
    """Delete a cookie: same name, path and flags as when it was set."""
    cookie = CATALOGUE[key]
    response.delete_cookie(
        cookie_name(key),
        path=cookie.path,
        secure=current_app.config["HTTPS"],
        httponly=cookie.httponly,
        samesite=cookie.samesite,
    )


def erase_unknown(response: Response, name: str, path: str = "/") -> None:
    """Delete a cookie the catalogue does not declare, by its name and path.

    A browser matches a deletion on name, domain and path only, so the site's
    own flags do; a ``__Secure-``/``__Host-`` name is ignored without Secure.
    """
    response.delete_cookie(
        name,
        path=path,
        secure=current_app.config["HTTPS"] or name.startswith(("__Secure-", "__Host-")),
        httponly=True,
        samesite="Lax",
    )
