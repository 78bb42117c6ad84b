"""One ``Set-Cookie`` header, read the way a browser reads it and explained
attribute by attribute, for the cookie inspector and the cookie lab.

A browser reads the header's first ``name=value`` pair, then each attribute
after a ``;``. What the attributes do is said in plain words by
:func:`explain`; what the whole header does to the cookie (set, update or
delete, for how long, where) by :class:`SetCookie`'s properties.
"""

from dataclasses import dataclass
from datetime import datetime
from datetime import timedelta
from datetime import UTC
from email.utils import parsedate_to_datetime

from flask_babel import gettext as _
from werkzeug.http import parse_cookie

from cookiesite import words


@dataclass(frozen=True)
class SetCookie:
    """A parsed ``Set-Cookie`` header."""

    name: str
    value: str
    #: ``(attribute, value)`` in the header's order, as written; a flag such
    #: as ``HttpOnly`` has the value ``None``.
    attributes: tuple[tuple[str, str | None], ...]

    def get(self, attribute: str) -> str | None:
        """An attribute's value (any letter case); ``None`` when absent or a flag."""
        for name, value in self.attributes:
            if name.lower() == attribute.lower():
                return value
        return None

    def has(self, attribute: str) -> bool:
        """Whether the header carries the attribute (any letter case)."""
        return any(name.lower() == attribute.lower() for name, _ in self.attributes)

    @property
    def explained(self) -> list[tuple[str, str]]:
        """Each attribute as written, beside what it tells the browser."""
        return [
            (name if value is None else f"{name}={value}", explain(name, value))
            for name, value in self.attributes
        ]

    @property
    def max_age(self) -> int | None:
        """``Max-Age`` in seconds, or ``None`` when absent or not a number."""
        value = self.get("Max-Age")
        try:
            return int(value) if value is not None else None
        except ValueError:
            return None

    @property
    def expires(self) -> datetime | None:
        """``Expires`` as an aware UTC time, or ``None`` when absent or unreadable."""
        value = self.get("Expires")
        try:
            return parsedate_to_datetime(value) if value else None
        except (TypeError, ValueError):
            return None

    @property
    def is_deletion(self) -> bool:
        """Whether the browser drops the cookie on reading this header.

        ``Max-Age`` wins over ``Expires`` where both are given: zero or less
        deletes; without it, an ``Expires`` in the past does.
        """
        if self.max_age is not None:
            return self.max_age <= 0
        return self.expires is not None and self.expires <= datetime.now(UTC)

    @property
    def lifetime(self) -> timedelta | None:
        """How long the browser keeps the cookie; ``None`` until it closes."""
        if self.max_age is not None:
            return timedelta(seconds=max(self.max_age, 0))
        if self.expires is not None:
            return max(self.expires - datetime.now(UTC), timedelta(0))
        return None

    @property
    def path(self) -> str | None:
        """``Path``, or ``None``: then the browser uses the page's directory."""
        return self.get("Path")

    def lifetime_words(self) -> str:
        """In words, in the page's language: "until you close the browser",
        "30 days" or "deleted now"."""
        if self.is_deletion:
            return _("deleted now")
        return words.duration(self.lifetime)

    def line(self, value: str | None = None) -> str:
        """The header as written, with ``value`` shown in place of the real one
        (login tokens are shown shortened)."""
        parts = [f"{self.name}={self.value if value is None else value}"]
        parts += [name if v is None else f"{name}={v}" for name, v in self.attributes]
        return "; ".join(parts)


def parse(header: str) -> SetCookie | None:
    """The header's cookie and attributes; ``None`` when it names no cookie."""
    first, *rest = header.split(";")
    # Werkzeug's own parser, so a quoted value reads as it was set.
    pairs = list(parse_cookie(first).items())
    if len(pairs) != 1:
        return None
    name, value = pairs[0]
    attributes = []
    for part in rest:
        attribute, equals, attribute_value = part.strip().partition("=")
        if attribute:
            attributes.append((attribute, attribute_value if equals else None))
    return SetCookie(name, value, tuple(attributes))


def explain(attribute: str, value: str | None) -> str:
    """What one attribute tells the browser, in plain words (in the page's
    language; the attribute names in them stay as the header writes them)."""
    key = attribute.lower()
    if key == "max-age":
        seconds = int(value) if value and value.lstrip("-").isdigit() else None
        if seconds is None:
            return _("not a number, so the browser ignores it")
        if seconds <= 0:
            return _("zero: the browser deletes the cookie now")
        return _(
            "the browser keeps the cookie %(duration)s from now, then drops it by"
            " itself",
            duration=words.duration(timedelta(seconds=seconds)),
        )
    if key == "expires":
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return _("not a date, so the browser ignores it")
        if when <= datetime.now(UTC):
            return _(
                "a date in the past: the browser deletes the cookie now (Max-Age,"
                " where both are given, wins)"
            )
        return _(
            "the date the browser drops the cookie; older browsers read this one,"
            " newer ones prefer Max-Age"
        )
    if key == "path":
        if value in (None, "", "/"):
            return _("sent with every address of this site")
        return _("sent only to %(path)s and the addresses below it", path=value)
    if key == "domain":
        return _(
            "sent to %(domain)s and every subdomain of it, not only this host",
            domain=value,
        )
    if key == "secure":
        return _(
            "sent over HTTPS only; a browser refuses to store it from a plain-HTTP page"
        )
    if key == "httponly":
        return _("hidden from page scripts: document.cookie does not show it")
    if key == "samesite":
        same_site = (value or "").lower()
        if same_site == "lax":
            return _(
                "sent when you follow a link here from another site, not with"
                " other sites' forms, frames or scripts"
            )
        if same_site == "strict":
            return _(
                "sent only with requests that start on this site, not even"
                " when a link from another site brings you here"
            )
        if same_site == "none":
            return _(
                "sent with requests from any site; browsers take it only with Secure"
            )
        return _("an unknown value: the browser uses Lax")
    return _("an attribute this page does not explain")
