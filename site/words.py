"""Cookie lifetimes and operations in plain words, for pages and the inspector.

The words are in the page's language: each function translates when it is
called, so call it while a request is handled (outside any app, as in a
unit test, the words are English).
"""

from datetime import timedelta

from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import ngettext

from cookiesite import cookies
from cookiesite.cookies import Cookie

#: The units a lifetime is counted in, largest first, with their seconds.
_UNITS = (("day", 86400), ("hour", 3600), ("minute", 60), ("second", 1))


def _counted(unit: str, n: int) -> str:
    """``n`` units in words, ``30 minutes``: the number written the page's
    way (1,000 or 1.000), the noun in the plural its language asks for."""
    count = format_decimal(n)
    # One whole call per unit: the translation tools find each plural.
    if unit == "day":
        return ngettext("%(count)s day", "%(count)s days", n, count=count)
    if unit == "hour":
        return ngettext("%(count)s hour", "%(count)s hours", n, count=count)
    if unit == "minute":
        return ngettext("%(count)s minute", "%(count)s minutes", n, count=count)
    return ngettext("%(count)s second", "%(count)s seconds", n, count=count)


def duration(lifetime: timedelta | None) -> str:
    """``400 days``, ``30 minutes``; ``until you close the browser`` for none."""
    if lifetime is None:
        return _("until you close the browser")
    seconds = int(lifetime.total_seconds())
    for unit, size in _UNITS:
        if seconds >= size and seconds % size == 0 or unit == "second":
            return _counted(unit, seconds // size)
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
        return _("path cookie")
    if lifetime is None:
        return _("session cookie")
    if lifetime <= timedelta(days=1):
        return _("expiring cookie")
    return _("long-lasting cookie")


def flags(cookie: Cookie, secure: bool) -> list[str]:
    """The attributes the cookie is sent with, as the browser's tools name
    them (never translated: they are what the header says)."""
    words = []
    if cookie.httponly:
        words.append("HttpOnly")
    words.append(f"SameSite={cookie.samesite}")
    if secure:
        words.append("Secure")
    return words
