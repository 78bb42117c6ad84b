"""The ``device`` cookie: the owner's browser logs in while someone else's
guesses hold the username locked; nobody else's does (OWASP device cookies)."""

import hashlib
import time
from datetime import datetime
from datetime import timedelta
from datetime import UTC

import pytest
from flask_login import current_user
from itsdangerous import BadSignature
from itsdangerous import TimestampSigner

from cookiesite.auth import remember

from cookies_helpers import set_cookies
from support import add_user
from support import PASSWORD

#: Small limits, so a test reaches them in a few requests.
LIMITS = {
    "LOGIN_LIMIT_PER_USERNAME": "3 per 15 minutes",
    "LOGIN_LIMIT_PER_DEVICE": "3 per 15 minutes",
    "LOGIN_LIMIT_PER_CLIENT": "5 per 15 minutes",
}


@pytest.fixture
def app_config():
    """Every test here runs with the small limits, unless it says otherwise."""
    return LIMITS


#: Where the member's own browser connects from.
HOME = {"environ_base": {"REMOTE_ADDR": "192.0.2.10"}}


def login(client, username="member", password=PASSWORD, address="192.0.2.10", **kw):
    """Post the login form from ``address``."""
    data = {"username": username, "password": password}
    return client.post("/login", data=data, environ_base={"REMOTE_ADDR": address}, **kw)


def lock_out(app, username="member"):
    """Lock ``username`` the way an attacker does: wrong guesses from other
    addresses, each under the per-client limit, until the right password
    gets 429 on a client without a device cookie."""
    for n in range(3):
        response = login(app.test_client(), username, "guess", f"203.0.113.{n}")
        assert response.status_code == 422
    assert login(app.test_client(), username, address="203.0.113.9").status_code == 429


@pytest.fixture
def owner(app):
    """The member's own browser: it logged in once, so it holds a device
    cookie, and logged out again."""
    client = app.test_client()
    assert login(client).status_code == 303
    client.post("/logout", **HOME)
    assert client.get_cookie("device", path="/login") is not None
    return client


def device_value(client) -> str:
    """The device cookie ``client`` holds."""
    return client.get_cookie("device", path="/login").value


def holding(app, value: str):
    """A new browser that holds ``value`` as its device cookie."""
    client = app.test_client()
    client.set_cookie("device", value, path="/login")
    return client


def is_logged_in(client) -> bool:
    """Whether the site sees somebody logged in on ``client``."""
    with client:
        client.get("/")
        return current_user.is_authenticated


def signer(keys, timestamp=None) -> TimestampSigner:
    """A signer like the site's, but with ``keys`` and, optionally, a clock
    stopped at ``timestamp`` (seconds since the epoch)."""
    signer = TimestampSigner(
        keys, salt="cookiesite.device", digest_method=hashlib.sha256
    )
    if timestamp is not None:
        signer.get_timestamp = lambda: timestamp
    return signer


def sign(value: str, keys, timestamp=None) -> str:
    """A device cookie value signed as the site signs one, but with ``keys``
    and, optionally, made at ``timestamp``."""
    return signer(keys, timestamp).sign(value).decode()


def payload(value: str) -> str:
    """The signed part of a device cookie value: ``<username>.<nonce>``."""
    return value.rsplit(".", 2)[0]


def test_owner_logs_in_while_the_username_is_locked_for_everyone_else(app, owner):
    old = device_value(owner)
    lock_out(app)
    # Typed in another letter case: the cookie is for the account, not the spelling.
    response = login(owner, " MEMBER ")
    assert response.status_code == 303
    assert is_logged_in(owner)
    # Each login gets a new device cookie: a new nonce, so a new device limit.
    assert device_value(owner) != old
    # A fresh client is still locked out, even from the owner's address.
    assert login(app.test_client(), address="203.0.113.50").status_code == 429
    assert login(app.test_client(), address="192.0.2.10").status_code == 429


def test_a_device_cookie_for_another_username_does_not_help(app):
    client = app.test_client()
    assert login(client, "admin").status_code == 303
    client.post("/logout", **HOME)
    lock_out(app, "member")
    assert login(client, "member").status_code == 429
    assert not is_logged_in(client)
    # The admin's own login is not locked at all.
    assert login(client, "ADMIN").status_code == 303


@pytest.mark.parametrize(
    "forge",
    [
        pytest.param(lambda value, app: value[:-3] + "AAA", id="signature-changed"),
        pytest.param(
            lambda value, app: value.replace("member.", "admin.", 1), id="name-changed"
        ),
        pytest.param(
            lambda value, app: sign(payload(value), ["an unknown key"]),
            id="unknown-key",
        ),
        pytest.param(
            lambda value, app: sign(
                payload(value),
                [app.config["SECRET_KEY"]],
                timestamp=int(time.time() - timedelta(days=366).total_seconds()),
            ),
            id="expired",
        ),
        pytest.param(
            # Signed with the site's key, but as a remember cookie.
            lambda value, app: remember.signer().sign(payload(value)).decode(),
            id="remember-salt",
        ),
    ],
)
def test_a_forged_or_expired_device_cookie_counts_as_absent(app, owner, forge):
    with app.test_request_context():
        forged = forge(device_value(owner), app)
    lock_out(app)
    client = holding(app, forged)
    assert login(client).status_code == 429
    assert not is_logged_in(client)
    # The real one still works: only the forgery was refused.
    assert login(owner).status_code == 303


@pytest.mark.parametrize(
    "app_config",
    [{**LIMITS, "SECRET_KEY": "new key", "SECRET_KEY_FALLBACKS": ["old key"]}],
)
def test_a_device_cookie_signed_with_a_fallback_key_still_helps(app, owner):
    lock_out(app)
    client = holding(app, sign(payload(device_value(owner)), ["old key"]))
    assert login(client).status_code == 303
    assert is_logged_in(client)
    # The new cookie it gets is signed with the current key only.
    renewed = device_value(client)
    assert signer(["new key"]).unsign(renewed)
    with pytest.raises(BadSignature):
        signer(["old key"]).unsign(renewed)


def test_the_device_limit_stops_guessing_through_a_stolen_device_cookie(app, owner):
    thief = holding(app, device_value(owner))
    for n in range(3):
        address = f"198.51.100.{n}"
        assert login(thief, password="guess", address=address).status_code == 422
    # The stolen cookie is spent, right password or not...
    assert login(thief, address="198.51.100.9").status_code == 429
    assert not is_logged_in(thief)
    # ...and so is every copy of it: the device limit counts by its nonce.
    assert login(owner).status_code == 429
    # Those guesses counted for the device, not the username: a browser
    # without a device cookie is not locked out by them.
    assert login(app.test_client(), address="198.51.100.20").status_code == 303


def test_the_per_client_limit_holds_a_trusted_device_too(app, owner):
    for n in range(5):
        assert login(owner, f"nobody{n}", "guess").status_code == 422
    assert login(owner).status_code == 429
    assert not is_logged_in(owner)


def test_login_sets_the_device_cookie_with_every_attribute(app, client, password_hash):
    add_user(app, "Alice", password_hash)
    response = login(client, "  ALICE ")
    assert response.status_code == 303
    cookie = set_cookies(response)["device"]
    assert cookie.attrs["path"] == "/login"
    assert cookie.attrs["httponly"] is True
    assert cookie.attrs["samesite"] == "Lax"
    assert "domain" not in cookie.attrs
    assert "secure" not in cookie.attrs
    year = timedelta(days=365)
    assert cookie.max_age == year.total_seconds()
    expected = datetime.now(UTC) + year
    assert abs((cookie.expires - expected).total_seconds()) < 5
    # The case-folded username, a random nonce, the time stamp, the signature.
    username, nonce, stamp, signature = cookie.value.split(".")
    assert username == "alice"
    assert len(nonce) >= 22 and stamp and len(signature) == 43
    assert len(cookie.name) + len(cookie.value) < 200
    # Sent to the login form only.
    assert client.get_cookie("device", path="/login") is not None
    assert client.get_cookie("device", path="/") is None


def test_a_failed_login_sets_no_device_cookie(client):
    assert "device" not in set_cookies(login(client, password="guess"))


@pytest.mark.parametrize("app_config", [{**LIMITS, "HTTPS": True}])
def test_under_https_the_device_cookie_is_secure_and_prefixed(app):
    client = app.test_client()
    https = {"base_url": "https://localhost"}
    response = login(client, **https)
    assert response.status_code == 303
    jar = set_cookies(response)
    assert "device" not in jar
    cookie = jar["__Secure-device"]
    assert cookie.attrs["secure"] is True
    assert cookie.attrs["path"] == "/login"
    assert cookie.attrs["httponly"] is True
    assert cookie.attrs["samesite"] == "Lax"
    assert "domain" not in cookie.attrs
    assert cookie.max_age == 365 * 86400
    # And it does its job under that name.
    client.post("/logout", **https, **HOME)
    lock_out(app)
    assert login(client, **https).status_code == 303
