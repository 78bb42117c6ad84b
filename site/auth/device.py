"""The ``device`` cookie: an attacker's guesses do not lock the owner out.

A limit on failed logins per username (``LOGIN_LIMIT_PER_USERNAME``) stops
anyone from guessing one member's password at speed, but on its own it also
hands an attacker a way to keep that member out: ten wrong guesses every 15
minutes, from anywhere, and the owner's right password gets 429 as well.

OWASP's defence, "Slow Down Online Guessing Attacks with Device Cookies",
tells the owner's browsers apart from everyone else's. After a successful
login the browser gets a device cookie: the username and a random nonce,
signed by the site. A later attempt that presents a valid device cookie for
the username it names comes from a browser that once knew the password, so
the per-username limit does not hold it; it has a limit of its own, keyed by
the nonce (``LOGIN_LIMIT_PER_DEVICE``), so a stolen device cookie is worth no
more than that many guesses. Every other client, the attacker included, is
still held by the per-username limit, and everybody by the per-client one
(``cookiesite.throttle.throttle_login`` wires the three together).

The cookie is declared in the catalogue (``cookiesite.cookies``) with the
path ``/login``, so no other page receives it; every successful login gets a
new one with a new nonce. It is signed with HMAC-SHA256 as the remember cookie
is (``cookiesite.auth.remember``), with a salt of its own, so a value of the
one cookie never passes for the other, and a signature made with a key in
``SECRET_KEY_FALLBACKS`` still counts. The signature carries the time it was
made: a cookie older than its declared lifetime counts as absent, as does a
forged one or one for another username. It only lifts the lockout: it logs
nobody in.
"""

import hashlib
import secrets

from flask import current_app
from flask import Response
from itsdangerous import BadSignature
from itsdangerous import TimestampSigner

from cookiesite import cookies
from cookiesite.models import username_key


def signer() -> TimestampSigner:
    """Signs with ``SECRET_KEY``; verifies with it and every fallback key."""
    config = current_app.config
    keys = [*(config["SECRET_KEY_FALLBACKS"] or []), config["SECRET_KEY"]]
    # itsdangerous signs with the last key and accepts any of them.
    return TimestampSigner(keys, salt="cookiesite.device", digest_method=hashlib.sha256)


def issue(response: Response, username: str) -> None:
    """Give the browser that just logged in as ``username`` a new device cookie.

    The value is ``<username>.<nonce>`` (the name case-folded, as accounts
    are looked up), then the signature's time stamp and the signature.
    """
    nonce = secrets.token_urlsafe(16)
    value = signer().sign(f"{username_key(username)}.{nonce}").decode()
    cookies.write(response, "device", value)


def nonce_for(username: str) -> str | None:
    """The nonce of the device cookie this request carries, when the cookie
    is valid and was issued for ``username``; otherwise ``None``.

    The nonce names the device for its own limit, which a device cookie that
    is copied elsewhere keeps sharing.
    """
    value = cookies.read("device")
    if value is None:
        return None
    max_age = int(cookies.lifetime("device").total_seconds())
    try:
        # A signature past max_age raises SignatureExpired, a BadSignature.
        payload = signer().unsign(value, max_age=max_age).decode()
    except BadSignature:
        return None
    owner, _, nonce = payload.rpartition(".")
    return nonce if owner == username_key(username) else None
