"""Writing lab cookies, and what the lab remembers of them.

Every other cookie of the site is written through the catalogue
(``cookies.write`` and ``cookies.erase``), which gives each cookie the path
and flags of its declaration: HttpOnly, SameSite=Lax, Secure under HTTPS.
Lab cookies exist to show what happens *without* those: a visitor may leave
out HttpOnly or SameSite, ask for Secure over plain HTTP, or delete at the
wrong path. So this module, and no other outside ``cookies.py``, calls
``response.set_cookie`` and ``response.delete_cookie`` itself, with the
arguments the visitor chose; the form has checked them against the family's
rules (``family.py``) before they reach it.

The lab keeps two things in the session, the only cookie it uses for itself:
the last operation (the call it made, and the ``Set-Cookie`` header that call
really produced, read back from the response), and a small record of the lab
cookies it set, so it can hold a browser to the family's limit even for
cookies at paths the current page never receives.
"""

import time
from dataclasses import dataclass
from datetime import datetime

from flask import request
from flask import Response
from flask import session

from cookiesite import setcookie
from cookiesite.lab import family

#: The session key of what the lab remembers.
SESSION_KEY = "lab"


@dataclass(frozen=True)
class Held:
    """A lab cookie the lab set in this browser session and has not seen go."""

    name: str
    path: str
    #: The ``Domain`` it was set with, or ``""`` for none.
    domain: str
    #: When the browser drops it (seconds since the epoch), ``None`` when it
    #: lasts until the browser closes.
    expires: float | None

    @property
    def key(self) -> tuple[str, str, str]:
        """What a browser tells cookies apart by: name, path and domain."""
        return (self.name, self.path, self.domain)


def literal(value) -> str:
    """``value`` as it would be written in Python source, strings in double
    quotes, the way the Flask documentation writes them."""
    if isinstance(value, str):
        escaped = value.replace("\\", "\\\\").replace('"', '\\"')
        return f'"{escaped}"'
    if isinstance(value, datetime):
        parts = [value.year, value.month, value.day, value.hour, value.minute]
        if value.second:
            parts.append(value.second)
        return f"datetime({', '.join(map(str, parts))}, tzinfo=UTC)"
    return repr(value)


def call_text(method: str, args: tuple, kwargs: dict) -> str:
    """The call the lab made, as source: ``response.set_cookie("lab_a", ...)``."""
    parts = [literal(arg) for arg in args]
    parts += [f"{key}={literal(value)}" for key, value in kwargs.items()]
    return f"response.{method}({', '.join(parts)})"


def _state() -> dict:
    """What the lab keeps in the session: ``last`` and ``held``."""
    return session.get(SESSION_KEY, {})


def _save(last: dict | None = None, held: list[Held] | None = None) -> None:
    """Store the last operation and the record; ``None`` keeps what was there."""
    state = _state()
    if last is not None:
        state = {**state, "last": last}
    if held is not None:
        state = {**state, "held": [[h.name, h.path, h.domain, h.expires] for h in held]}
    session[SESSION_KEY] = state


def last() -> dict | None:
    """The last operation: ``op`` (set, update or delete), ``call``,
    ``header`` and ``at`` (when, in seconds since the epoch)."""
    return _state().get("last")


def held() -> list[Held]:
    """The lab cookies the lab set and the browser still holds, as far as
    the lab knows: the expired ones left out."""
    now = time.time()
    rows = [Held(*row) for row in _state().get("held", [])]
    return [h for h in rows if h.expires is None or h.expires > now]


def _unrecorded_names() -> set[str]:
    """Lab cookies the browser sent that the record does not know (set in an
    earlier browser session, whose record ended with it)."""
    recorded = {h.name for h in held()}
    return {n for n in request.cookies if family.is_lab_name(n)} - recorded


def count() -> int:
    """How many lab cookies this browser holds, as far as the lab can tell."""
    return len(held()) + len(_unrecorded_names())


def is_new(name: str, path: str, domain: str) -> bool:
    """Whether setting this cookie adds one, rather than replacing one."""
    recorded = {h.key for h in held()}
    return (name, path, domain) not in recorded and name not in _unrecorded_names()


def forget_missing(sent: set[str]) -> None:
    """Drop from the record the cookies a browser would have sent with this
    request (their path covers it) but did not: refused, expired or removed.

    Only on a request that starts on this site: a browser leaves out
    ``SameSite=Strict`` cookies on one that comes from another site.
    """
    if request.headers.get("Sec-Fetch-Site", "same-origin") not in (
        "same-origin",
        "none",
    ):
        return
    kept = [
        h
        for h in held()
        if h.name in sent or not family.path_covers(h.path, request.path)
    ]
    if len(kept) != len(_state().get("held", [])):
        _save(held=kept)


def _remember(header: str, call: str, operation: str) -> None:
    """Note the operation, and what the header did to the record."""
    cookie = setcookie.parse(header)
    # Werkzeug writes the domain in lower case; compare it so.
    domain = (cookie.get("Domain") or "").lower()
    key = (cookie.name, cookie.path, domain)
    rows = [h for h in held() if h.key != key]
    if cookie.is_deletion:
        operation = "delete"
    else:
        now = time.time()
        if cookie.max_age is not None:
            expires = now + cookie.max_age
        else:
            expires = cookie.expires.timestamp() if cookie.expires else None
        rows.append(Held(cookie.name, cookie.path, domain, expires))
    note = {"op": operation, "call": call, "header": header, "at": time.time()}
    _save(last=note, held=rows)


def _header(response: Response) -> str:
    """The ``Set-Cookie`` header the last call added: read back from the
    response, so the page shows what was really sent."""
    return response.headers.getlist("Set-Cookie")[-1]


def write(response: Response, name: str, value: str, **arguments) -> None:
    """Set or update a lab cookie with exactly the visitor's ``arguments``
    (the keyword arguments of ``set_cookie`` they gave, nothing else)."""
    domain = arguments.get("domain", "").lower()
    updates = not is_new(name, arguments["path"], domain)
    response.set_cookie(name, value, **arguments)
    call = call_text("set_cookie", (name, value), arguments)
    _remember(_header(response), call, "update" if updates else "set")


def erase(response: Response, name: str, path: str, domain: str = "") -> None:
    """Delete a lab cookie at ``path`` (and ``domain``, if it was set with
    one). A browser deletes only the cookie of the same name, path and
    domain: with another path, nothing happens, which the lab shows."""
    arguments = {"path": path, **({"domain": domain} if domain else {})}
    response.delete_cookie(name, **arguments)
    call = call_text("delete_cookie", (name,), arguments)
    _remember(_header(response), call, "delete")


def best_path(name: str) -> tuple[str, str]:
    """The path and domain a lab cookie sent to this page most likely has:
    the longest recorded path that covers the page, as a browser sends
    first; the page's own path when the record does not know it."""
    covering = [
        h for h in held() if h.name == name and family.path_covers(h.path, request.path)
    ]
    if not covering:
        return (request.path, "")
    found = max(covering, key=lambda h: len(h.path))
    return (found.path, found.domain)
