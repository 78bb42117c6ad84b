"""This browser's cookies for the site: which it sent, and deleting them.

:func:`held` is what every page that lists cookies shows (the home page, the
cookie inspector, the admin's cookie list). :func:`erase` and
:func:`erase_catalogue` delete them, for the admin's Clear buttons and for
account deletion.
"""

import re
from dataclasses import dataclass

from flask import request
from flask import Response
from flask import session
from flask_babel import format_decimal
from flask_babel import ngettext

from cookiesite import cookies
from cookiesite.cookies import Cookie
from cookiesite.lab.family import LAB

#: Cookies whose values log somebody in: pages show them shortened, never
#: whole, as anyone who saw the page could log in with them.
LOGIN_TOKENS = ("session", "remember")

#: Cookies whose values pages show shortened: the login tokens, and the
#: device cookie, which lifts the login lockout of its username for whoever
#: holds it (``cookiesite.auth.device``).
SHORTENED = (*LOGIN_TOKENS, "device")

#: A cookie name a ``Set-Cookie`` header can carry as the browser holds it:
#: RFC 6265's token, printable ASCII without spaces and separators. A browser
#: may hold others (set by a script, with letters beyond ASCII); a deletion
#: of those from here would name a different cookie, or break the header.
DELETABLE_NAME = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")

#: Where a cookie the catalogue does not know is deleted. The browser never
#: says which path a cookie was set for; these are the paths this site uses.
UNKNOWN_PATHS = tuple(sorted({c.path for c in cookies.CATALOGUE.values()}))


def key_for(name: str) -> str | None:
    """The catalogue key of the cookie a browser calls ``name``, or ``None``
    for a cookie this site does not declare (in this configuration)."""
    for key in cookies.CATALOGUE:
        if cookies.cookie_name(key) == name:
            return key
    return None


def shown(key: str | None, value: str) -> str:
    """A cookie value as a page may show it: login tokens (and the device
    cookie) shortened to their first characters, enough to tell two apart,
    with their length said in the page's language."""
    if key not in SHORTENED:
        return value
    if len(value) <= 8:
        return "\u2026"
    return ngettext(
        "%(start)s\u2026 (%(count)s character)",
        "%(start)s\u2026 (%(count)s characters)",
        len(value),
        start=value[:8],
        count=format_decimal(len(value)),
    )


@dataclass(frozen=True)
class HeldCookie:
    """One cookie the browser sent, matched to the catalogue."""

    #: The name as the browser holds it (prefixed under HTTPS).
    name: str
    #: The value as a page may show it (:func:`shown`).
    shown: str
    #: Its catalogue key; ``None`` for a cookie this site does not declare.
    key: str | None

    @property
    def declaration(self) -> Cookie | None:
        """What the catalogue says of it, if anything."""
        return cookies.CATALOGUE[self.key] if self.key else None

    @property
    def deletable(self) -> bool:
        """Whether a ``Set-Cookie`` header from this site can delete it."""
        return DELETABLE_NAME.fullmatch(self.name) is not None

    @property
    def from_the_lab(self) -> bool:
        """Whether it is one the visitor made in the cookie lab."""
        return self.key is None and self.name.startswith(LAB.prefix)

    @property
    def paths(self) -> tuple[str, ...]:
        """Where it is deleted: its declared path, or every path of the site."""
        return (self.declaration.path,) if self.declaration else UNKNOWN_PATHS


def held() -> list[HeldCookie]:
    """Every cookie this request carried, in name order, duplicates included."""
    rows = []
    for name, value in sorted(request.cookies.items(multi=True)):
        key = key_for(name)
        rows.append(HeldCookie(name, shown(key, value), key))
    return rows


def erase(response: Response, cookie: HeldCookie) -> None:
    """Delete one cookie: a catalogue cookie with its own path and flags, an
    unknown one at every path of the site.

    Call it after the page is rendered: deleting the session cookie also
    empties the session, which rendering a form would fill again.
    """
    if cookie.key is None:
        for path in cookie.paths:
            cookies.erase_unknown(response, cookie.name, path)
        return
    cookies.erase(response, cookie.key)
    if cookie.key == "session":
        _forget_session()


def erase_catalogue(response: Response) -> None:
    """Delete every cookie of the catalogue, each with its own path and flags,
    whether or not this request carried it (``/reports`` ones never reach
    other pages)."""
    for key in cookies.CATALOGUE:
        cookies.erase(response, key)
    _forget_session()


def _forget_session() -> None:
    """Empty the session and keep Flask from writing it again.

    ``cookies.erase`` already deleted the cookie; a session marked modified
    would make Flask delete it a second time, or, holding a form token the
    page just rendered, set it again.
    """
    session.clear()
    session.modified = False
