"""What the browser did with the lab's cookies, as the lab page tells it.

The page knows two things for certain: the ``Set-Cookie`` header of the last
operation (kept in the session by ``jar``) and the cookies the browser sent
with the request for this page. When a cookie just set does not come back,
the header says which of the browser's rules most likely dropped it.
"""

import time
from collections import Counter
from dataclasses import dataclass

from flask import request
from flask import url_for

from cookiesite import setcookie
from cookiesite.lab import family
from cookiesite.lab import jar
from cookiesite.lab.family import LAB
from cookiesite.setcookie import SetCookie

#: A countdown runs on the page for a cookie that expires within this many
#: seconds; a longer one would outlast the visitor's patience.
COUNTDOWN_LIMIT = 600


@dataclass(frozen=True)
class SentCookie:
    """A lab cookie the browser sent with this request."""

    name: str
    value: str
    #: Where it most likely lives (see ``jar.best_path``): the Update and
    #: Delete forms start from these.
    path: str
    domain: str


def sent() -> list[SentCookie]:
    """The lab cookies this request carried, in the order the browser sent
    them (longer paths first, so the n-th of one name pairs with the n-th
    longest recorded path that covers this page)."""
    rows = []
    seen = Counter()
    for name, value in request.cookies.items(multi=True):
        if not family.is_lab_name(name):
            continue
        covering = sorted(
            (
                h
                for h in jar.held()
                if h.name == name and family.path_covers(h.path, request.path)
            ),
            key=lambda h: -len(h.path),
        )
        index = seen[name]
        seen[name] += 1
        if index < len(covering):
            found = covering[index]
            rows.append(SentCookie(name, value, found.path, found.domain))
        else:
            rows.append(SentCookie(name, value, request.path, ""))
    return rows


def outside(path: str) -> str:
    """The path of a page just outside ``path``: the one above it, or the
    home page for ``/lab`` itself."""
    return "/" if path == LAB.path else path.rpartition("/")[0]


def page_url(path: str) -> str:
    """The page at ``path``: a lab page (``/lab`` or below), or the home page."""
    if path == "/":
        return url_for("main.index")
    if path == LAB.path:
        return url_for("lab.index")
    return url_for("lab.page", where=path.removeprefix(LAB.path + "/"))


@dataclass(frozen=True)
class Outcome:
    """The last operation of the lab, and what the browser made of it."""

    #: ``set``, ``update`` or ``delete``.
    operation: str
    #: The Flask call the lab made, as source.
    call: str
    #: The ``Set-Cookie`` header the call produced, as the response carried it.
    header: str
    #: The same, parsed.
    cookie: SetCookie
    #: Which rule explains what the browser sent (see :func:`rule`).
    rule: str
    #: Seconds until the cookie expires, when a countdown is worth showing.
    countdown: float | None

    @property
    def path(self) -> str:
        """The cookie's ``Path`` (the lab always gives one)."""
        return self.cookie.path or LAB.path

    @property
    def attributes(self) -> list[tuple[str, str]]:
        """Each attribute as written, beside what it tells the browser."""
        return self.cookie.explained

    @property
    def inside(self) -> str:
        """The page at the cookie's path, which the browser sends it to."""
        return page_url(self.path)

    @property
    def outside_path(self) -> str:
        """The path of a page just outside the cookie's path."""
        return outside(self.path)

    @property
    def outside(self) -> str:
        """That page, which the browser does not send the cookie to."""
        return page_url(self.outside_path)


def expiry(cookie: SetCookie, at: float) -> float | None:
    """When the browser drops a cookie set at ``at`` (seconds since the
    epoch); ``None`` when it lasts until the browser closes. Max-Age wins
    over Expires, as in browsers."""
    if cookie.max_age is not None:
        return at + cookie.max_age
    return cookie.expires.timestamp() if cookie.expires else None


def rule(cookie: SetCookie, at: float, values: list[str]) -> str:
    """Why the browser sent what it sent of ``cookie`` (set at ``at``) with
    this request, ``values`` being the values it sent under that name.

    For a deletion: ``deleted``, ``deleted-elsewhere`` (its path does not
    cover this page, so this page cannot tell) or ``still-here`` (the browser
    holds one of that name at another path or domain). For a setting:
    ``kept``, ``elsewhere`` (not meant for this page), or, when it did not
    come back, the rule that most likely dropped it: ``samesite-none``,
    ``secure-http``, ``domain``, ``expired``; ``unknown`` when none fits.
    """
    covers = family.path_covers(cookie.path or LAB.path, request.path)
    if cookie.is_deletion:
        if values:
            return "still-here"
        return "deleted" if covers else "deleted-elsewhere"
    if not covers:
        return "elsewhere"
    if cookie.value in values:
        return "kept"
    host = family.host_name(request.host)
    if (cookie.get("SameSite") or "").lower() == "none" and not cookie.has("Secure"):
        return "samesite-none"
    if cookie.has("Secure") and not family.secure_context(host, request.is_secure):
        return "secure-http"
    domain = cookie.get("Domain")
    if domain and domain.lower() != host:
        return "domain"
    ends = expiry(cookie, at)
    if ends is not None and ends <= time.time():
        return "expired"
    return "unknown"


def outcome() -> Outcome | None:
    """The last operation and what the browser made of it, or ``None``."""
    note = jar.last()
    if note is None:
        return None
    cookie = setcookie.parse(note["header"])
    found = rule(cookie, note["at"], request.cookies.getlist(cookie.name))
    ends = expiry(cookie, note["at"])
    left = None if ends is None else ends - time.time()
    if found != "kept" or left is None or not 0 < left <= COUNTDOWN_LIMIT:
        left = None
    return Outcome(note["op"], note["call"], note["header"], cookie, found, left)


def secure_here() -> bool:
    """Whether this page is a secure context, where Chromium keeps ``Secure``
    cookies even over plain HTTP (localhost, 127.0.0.1)."""
    return family.secure_context(family.host_name(request.host), request.is_secure)
