"""Reading ``Set-Cookie`` headers the way a browser does, for assertions."""

from dataclasses import dataclass
from dataclasses import field
from datetime import datetime
from datetime import timedelta
from datetime import UTC
from email.utils import parsedate_to_datetime


@dataclass
class SetCookie:
    """One ``Set-Cookie`` header, split into its parts."""

    name: str
    value: str
    #: Attribute names lower-cased; flags (HttpOnly, Secure) map to ``True``.
    attrs: dict = field(default_factory=dict)

    @property
    def max_age(self) -> int | None:
        return int(self.attrs["max-age"]) if "max-age" in self.attrs else None

    @property
    def expires(self):
        return (
            parsedate_to_datetime(self.attrs["expires"])
            if "expires" in self.attrs
            else None
        )

    @property
    def is_deletion(self) -> bool:
        return self.max_age == 0 and self.value == ""


def parse(header: str) -> SetCookie:
    """Split one header value: ``name=value; Attr=x; Flag``."""
    first, *rest = header.split(";")
    name, _, value = first.partition("=")
    attrs = {}
    for part in rest:
        key, sep, val = part.strip().partition("=")
        attrs[key.lower()] = val if sep else True
    return SetCookie(name.strip(), value.strip(), attrs)


def set_cookies(response) -> dict[str, SetCookie]:
    """Every cookie a response sets or deletes, by name."""
    parsed = [parse(h) for h in response.headers.getlist("Set-Cookie")]
    return {c.name: c for c in parsed}


def assert_preference_written(response, name, value, secure=False):
    """The response sets a preferences cookie (``theme``, ``lang``, or their
    ``__Host-`` names) to ``value`` as the catalogue declares it: every
    attribute of the header, and nothing more."""
    cookie = set_cookies(response)[name]
    assert cookie.value == value
    expected = {"expires", "max-age", "path", "httponly", "samesite"}
    assert set(cookie.attrs) == expected | ({"secure"} if secure else set())
    assert cookie.max_age == 400 * 86400
    lasts = cookie.expires - datetime.now(UTC)
    assert timedelta(days=400) - timedelta(minutes=1) < lasts <= timedelta(days=400)
    assert cookie.attrs["path"] == "/"
    assert cookie.attrs["httponly"] is True
    assert cookie.attrs["samesite"] == "Lax"
