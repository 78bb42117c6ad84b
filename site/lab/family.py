"""The lab's cookies, declared once: the ``lab_`` family and its rules.

The catalogue (``cookiesite.cookies``) declares each cookie the site sets for
its own use. Lab cookies are made by the visitor, so they are declared as a
family instead: a name prefix the site adds, a path they stay under, and
limits. The lab's form checks every cookie against these rules, the cookie
policy explains them, and the tests' ``Set-Cookie`` audit holds every lab
cookie to them.

The checks return a message for the visitor in the page's language, or
``None`` when all is well. They never read the request themselves: what
they compare with (the host name) is passed in.
"""

import ipaddress
import re
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit

from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from cookiesite import cookies
from cookiesite.cookies import Category


@dataclass(frozen=True)
class CookieFamily:
    """Cookies named by the visitor: the prefix the site adds, where they may
    go, and how many and how large they may be."""

    #: Put by the site in front of the name the visitor types.
    prefix: str
    category: Category
    #: What the cookies are for, in plain words, for the cookie policy (a
    #: lazy text, translated when the policy page shows it).
    purpose: str
    #: Every cookie of the family is scoped to this path or one below it.
    path: str
    #: The most cookies of the family the lab sets in one browser at a time.
    max_cookies: int
    #: The most bytes of name and value together, per cookie.
    max_bytes: int
    #: The longest lifetime, by Max-Age or by an Expires date.
    max_lifetime: timedelta = cookies.MAX_LIFETIME
    #: The longest name the visitor may type after the prefix.
    max_name: int = 30
    #: The longest path, so the session's record of the cookies stays small.
    max_path: int = 50


#: The lab's cookies.
LAB = CookieFamily(
    prefix="lab_",
    category=Category.LAB,
    purpose=_l(
        "Cookies you make yourself in the cookie lab, with the name, value,"
        " lifetime, path and flags you choose, to watch what your browser does"
        " with each of them."
    ),
    path="/lab",
    max_cookies=10,
    max_bytes=200,
)

#: What the visitor may type as a name: a letter or digit, then letters,
#: digits, ``-`` and ``_``. Nothing a browser or a ``Cookie`` header would
#: read differently (no ``=``, ``;``, spaces or quotes), and no leading ``_``,
#: so no ``__Host-`` or ``__Secure-`` look-alike either.
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")

#: RFC 6265's cookie-octets: printable ASCII without space, ``"``, ``,``,
#: ``;`` and ``\``. Werkzeug sends such a value as it is, never quoted, so
#: the header shows exactly what was typed.
_VALUE = re.compile(r"[\x21\x23-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e]*")

#: ``/lab`` or segments of letters, digits, ``-`` and ``_`` below it: no
#: ``.`` or ``..`` segment, no ``//``, no trailing ``/``, no ``/laboratory``.
_PATH = re.compile(re.escape(LAB.path) + r"(?:/[A-Za-z0-9_-]+)*")

#: The site's own cookie names, in lower case: no lab cookie is named alike.
_SITE_NAMES = frozenset(key.lower() for key in cookies.CATALOGUE)


def full_name(typed: str) -> str:
    """The cookie's name as the browser holds it: the prefix, then ``typed``."""
    return LAB.prefix + typed


def name_problem(typed: str) -> str | None:
    """What is wrong with the name typed after the prefix, if anything."""
    if not typed:
        return _(
            "Give the cookie a name: the part after %(prefix)s.", prefix=LAB.prefix
        )
    if typed.lower().startswith(LAB.prefix):
        return _(
            "Leave out %(prefix)s: the site puts it in front of the name, so"
            " this cookie would be called %(twice)s\u2026",
            prefix=LAB.prefix,
            twice=LAB.prefix * 2,
        )
    if len(typed) > LAB.max_name or not _NAME.fullmatch(typed):
        return _(
            "Use at most %(most)s letters, digits, - and _, starting with a"
            " letter or digit: a cookie name cannot hold spaces, =, ; or quotes.",
            most=format_decimal(LAB.max_name),
        )
    if typed.lower() in _SITE_NAMES:
        return _(
            "%(name)s is the name of one of the site's own cookies: choose"
            " another, so no lab cookie can be mistaken for it.",
            name=typed,
        )
    return None


def is_lab_name(name: str) -> bool:
    """Whether ``name`` (prefix included) is one the lab could have made."""
    return name.startswith(LAB.prefix) and (
        name_problem(name.removeprefix(LAB.prefix)) is None
    )


def value_problem(name: str, value: str) -> str | None:
    """What is wrong with a value for the cookie called ``name``, if anything."""
    if not _VALUE.fullmatch(value):
        return _(
            "Use printable ASCII without spaces, quotes, commas, semicolons or"
            " backslashes: a browser would read the value differently."
        )
    size = len(name.encode()) + len(value.encode())
    if size > LAB.max_bytes:
        return _(
            "%(name)s and this value are %(size)s bytes together: a lab cookie"
            " holds at most %(most)s.",
            name=name,
            size=format_decimal(size),
            most=format_decimal(LAB.max_bytes),
        )
    return None


def path_problem(path: str) -> str | None:
    """What is wrong with a cookie's path, if anything."""
    if len(path) > LAB.max_path or not _PATH.fullmatch(path):
        return _(
            "Use %(path)s or a path below it, such as %(path)s/inside:"
            " letters, digits, - and _ between the slashes, at most"
            " %(most)s characters.",
            path=LAB.path,
            most=format_decimal(LAB.max_path),
        )
    return None


def domain_problem(domain: str, host: str) -> str | None:
    """What is wrong with a ``Domain``, if anything: only this host's own
    name (``host``, without a port) is allowed."""
    if domain.lower() != host.lower():
        return _(
            "Leave it empty, or give this site's own host name, %(host)s: a browser"
            " refuses a cookie for a domain the page did not come from, and the"
            " lab sets none for other sites.",
            host=host,
        )
    return None


def host_name(host: str) -> str:
    """The name in a ``Host`` header (``lab.test:5000``), without the port,
    in lower case: what a ``Domain`` is compared with."""
    try:
        return urlsplit("//" + host).hostname or ""
    except ValueError:  # a malformed IPv6 literal, such as "[::1"
        return ""


def path_covers(cookie_path: str, request_path: str) -> bool:
    """Whether a browser sends a cookie with ``cookie_path`` to ``request_path``
    (RFC 6265's path-match): the same path, or one below it."""
    if request_path == cookie_path:
        return True
    if not request_path.startswith(cookie_path):
        return False
    return cookie_path.endswith("/") or request_path[len(cookie_path)] == "/"


def secure_context(host: str, https: bool) -> bool:
    """Whether Chromium lets a page at ``host`` set and read ``Secure`` cookies.

    Over HTTPS, always. Over plain HTTP only on the loopback names, which
    Chromium counts as secure contexts: ``localhost``, ``*.localhost``,
    127.0.0.0/8 and ``::1``. Any other name, even one that leads to
    127.0.0.1, is an insecure context.
    """
    if https:
        return True
    name = host.lower()
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name.strip("[]")).is_loopback
    except ValueError:
        return False
