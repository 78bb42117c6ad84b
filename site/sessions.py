"""Flask's signed-cookie session, without checking one signature over and over.

A browser sends the same session cookie with every request until the session
changes. Flask checks its signature each time (an HMAC to derive the key and
another to sign, with a serializer and a signer made for the occasion). The
answer for a given cookie and given keys never changes, so it is kept: the
payload and the moment it was signed. The age is still checked on every
request, and the payload is still decoded into a fresh dict each time.

Only cookies that passed the check are kept, so a forged cookie costs a full
check every time and is never remembered; a key rotation starts a new cache.
"""

import time

from flask import Flask
from flask import Request
from flask.sessions import SecureCookieSession
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import BadSignature
from itsdangerous import URLSafeTimedSerializer

#: The most checked cookies kept per process; the cache starts over beyond it.
MAX_KEPT = 2048


class SessionInterface(SecureCookieSessionInterface):
    """Flask's cookie session; a cookie already checked is not checked again."""

    def __init__(self):
        super().__init__()
        self._serializers: dict[tuple, URLSafeTimedSerializer] = {}
        self._checked: dict[tuple[URLSafeTimedSerializer, str], tuple[bytes, int]] = {}

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        """Flask's serializer, made once per set of keys."""
        if not app.secret_key:
            return None
        keys = (app.secret_key, *(app.config["SECRET_KEY_FALLBACKS"] or ()))
        if keys not in self._serializers:
            self._serializers[keys] = super().get_signing_serializer(app)
        return self._serializers[keys]

    def _check(self, serializer: URLSafeTimedSerializer, cookie: str):
        """The signed payload and its signing time (Unix seconds).

        Kept per serializer, hence per set of keys. Raises ``BadSignature``
        as itsdangerous does when no key signed it.
        """
        found = self._checked.get((serializer, cookie))
        if found is not None:
            return found
        error = None
        for signer in serializer.iter_unsigners():
            try:
                payload, signed_at = signer.unsign(cookie, return_timestamp=True)
                break
            except BadSignature as bad:
                error = bad
        else:
            raise error
        found = (payload, int(signed_at.timestamp()))
        if len(self._checked) >= MAX_KEPT:
            self._checked.clear()
        self._checked[(serializer, cookie)] = found
        return found

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        serializer = self.get_signing_serializer(app)
        if serializer is None:
            return None
        cookie = request.cookies.get(self.get_cookie_name(app))
        if not cookie:
            return self.session_class()
        try:
            payload, signed_at = self._check(serializer, cookie)
            age = int(time.time()) - signed_at
            if not 0 <= age <= app.permanent_session_lifetime.total_seconds():
                return self.session_class()  # expired, as itsdangerous rules it
            return self.session_class(serializer.load_payload(payload))
        except BadSignature:
            return self.session_class()
