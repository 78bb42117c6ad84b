"""This browser's cookies for the site: which it sent, and deleting them.

Used by account deletion (every catalogue cookie goes) and by the admin's
cookie page (one cookie, or every cookie the browser sent).
"""

from dataclasses import dataclass

from flask import request
from flask import Response
from flask import session

from cookiesite import cookies
from cookiesite.cookies import Cookie

#: Where a cookie the catalogue does not know is deleted. The browser never
#: says which path a cookie was set for; these are the paths this site uses.
UNKNOWN_PATHS = tuple(sorted({c.path for c in cookies.CATALOGUE.values()}))


@dataclass(frozen=True)
class HeldCookie:
    """One cookie the browser sent, matched to the catalogue."""

    #: The name as the browser holds it (prefixed under HTTPS).
    name: str
    #: The value, shortened when it is a login token.
    shown: str
    #: The catalogue entry; ``None`` for a cookie this site does not declare.
    declaration: Cookie | None

    @property
    def paths(self) -> tuple[str, ...]:
        """Where it is deleted: its declared path, or every path of the site."""
        return (self.declaration.path,) if self.declaration else UNKNOWN_PATHS


def held() -> list[HeldCookie]:
    """Every cookie this request carried, in name order, duplicates included."""
    rows = []
    for name, value in sorted(request.cookies.items(multi=True)):
        key = cookies.key_for(name)
        rows.append(
            HeldCookie(
                name=name,
                shown=cookies.shown(key, value),
                declaration=cookies.CATALOGUE[key] if key else None,
            )
        )
    return rows


def erase(response: Response, cookie: HeldCookie) -> None:
    """Delete one cookie: a catalogue cookie with its own path and flags, an
    unknown one at every path of the site.

    Call it after the page is rendered: deleting the session cookie also
    empties the session, which rendering a form would fill again.
    """
    if cookie.declaration is None:
        for path in cookie.paths:
            cookies.erase_unknown(response, cookie.name, path)
        return
    cookies.erase(response, cookie.declaration.name)
    if cookie.declaration.name == "session":
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
