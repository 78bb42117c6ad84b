"""Cookie lifetimes and operations in plain words, for pages and the inspector."""

from datetime import timedelta

from cookiesite import cookies
from cookiesite.cookies import Cookie

_UNITS = (("day", 86400), ("hour", 3600), ("minute", 60), ("second", 1))


def duration(lifetime: timedelta | None) -> str:
    """``400 days``, ``30 minutes``; ``until you close the browser`` for none."""
    if lifetime is None:
        return "until you close the browser"
    seconds = int(lifetime.total_seconds())
    for unit, size in _UNITS:
        if seconds >= size and seconds % size == 0 or unit == "second":
            count = seconds // size
            return f"{count} {unit}{'' if count == 1 else 's'}"
    raise AssertionError("unreachable")


def lifetime(key: str) -> str:
    """A catalogue cookie's lifetime in words, as configured: templates say
    ``{{ "theme"|lifetime }}`` instead of typing "400 days" again."""
    return duration(cookies.lifetime(key))


def kind(path: str, lifetime: timedelta | None) -> str:
    """The tutorial's name for a cookie of this shape.

    A cookie without an expiry is a *session cookie*; one limited to part of
    the site a *path cookie*; one that expires within a day an *expiring
    cookie*; one that lasts longer a *long-lasting cookie*.
    """
    if path not in ("", "/"):
        return "path cookie"
    if lifetime is None:
        return "session cookie"
    if lifetime <= timedelta(days=1):
        return "expiring cookie"
    return "long-lasting cookie"


def flags(cookie: Cookie, secure: bool) -> list[str]:
    """The attributes the cookie is sent with, as the browser's tools name them."""
    words = []
    if cookie.httponly:
        words.append("HttpOnly")
    words.append(f"SameSite={cookie.samesite}")
    if secure:
        words.append("Secure")
    return words
