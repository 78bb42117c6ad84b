"""The catalogue: every cookie's Set-Cookie header over HTTP and HTTPS; the guards."""

from datetime import timedelta

import pytest
from flask import Response

from cookiesite import cookies
from cookiesite.cookies import CATALOGUE
from cookiesite.cookies import Cookie
from cookiesite.cookies import CookieError

from cookies_helpers import set_cookies

#: A valid value for each cookie the site writes with ``cookies.write``.
VALUES = {
    "session": "signed-by-flask",
    "remember": "a" * 43 + "." + "b" * 43,
    "device": "member." + "n" * 22 + ".ZmFrZQ." + "s" * 43,
    "theme": "dark",
    "lang": "de",
    "consent": f"{cookies.POLICY_VERSION}.accept",
    "visitor": "0123456789abcdef0123456789abcdef",
    "visit": "fedcba9876543210fedcba9876543210",
}

#: What each declaration promises: path and lifetime in seconds (None: session cookie).
EXPECTED = {
    "session": ("/", None),
    "remember": ("/", 30 * 86400),
    "device": ("/login", 365 * 86400),
    "theme": ("/", 400 * 86400),
    "lang": ("/", 400 * 86400),
    "consent": ("/", 180 * 86400),
    "visitor": ("/reports", 390 * 86400),
    "visit": ("/reports", 30 * 60),
}


def test_catalogue_matches_the_design():
    assert list(CATALOGUE) == list(EXPECTED)
    for cookie in CATALOGUE.values():
        assert cookie.httponly and cookie.samesite == "Lax"
        assert cookie.purpose and cookie.validation
        assert cookie.needs_consent == (cookie.category == "analytics")


def operate(app, key, operation, https, sent=False):
    """Run one catalogue operation in a request and return the parsed header."""
    headers = {"Cookie": f"{cookies.cookie_name(key, app)}=old"} if sent else {}
    with app.test_request_context(
        base_url="https://localhost" if https else "http://localhost", headers=headers
    ):
        response = Response()
        if operation == "delete":
            cookies.erase(response, key)
        else:
            cookies.write(response, key, VALUES[key])
    return set_cookies(response)


@pytest.mark.parametrize("https", [False, True], ids=["http", "https"])
@pytest.mark.parametrize("operation", ["set", "update", "delete"])
@pytest.mark.parametrize("key", list(EXPECTED))
def test_every_cookie_and_operation(app, key, operation, https):
    app.config["HTTPS"] = https
    path, age = EXPECTED[key]
    prefix = ("__Host-" if path == "/" else "__Secure-") if https else ""
    name = prefix + key
    (cookie,) = operate(app, key, operation, https, sent=operation == "update").values()
    assert cookie.name == name
    assert cookie.attrs["path"] == path
    assert cookie.attrs["httponly"] is True
    assert cookie.attrs["samesite"] == "Lax"
    assert cookie.attrs.get("secure", False) is https
    assert "domain" not in cookie.attrs
    if operation == "delete":
        assert cookie.is_deletion
        assert cookie.expires.year == 1970
    else:
        assert cookie.value == VALUES[key]
        assert cookie.max_age == age
        assert (cookie.expires is None) == (age is None)


def test_https_config_derives_flasks_session_settings(app_config):
    from support import make_app

    app = make_app("sqlite://", HTTPS=True)
    assert app.config["SESSION_COOKIE_NAME"] == "__Host-session"
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True


@pytest.mark.parametrize("app_config", [{"HTTPS": True}])
def test_real_login_over_https_uses_prefixed_secure_cookies(app):
    client = app.test_client()
    response = client.post(
        "/login",
        data={
            "username": "member",
            "password": "correct horse battery",
            "remember": "y",
        },
        base_url="https://localhost",
    )
    jar = set_cookies(response)
    assert set(jar) >= {"__Host-session", "__Host-remember", "__Secure-device"}
    for cookie in jar.values():
        assert cookie.attrs["secure"] is True
        assert cookie.attrs["path"] == ("/login" if "device" in cookie.name else "/")
    logout = client.post("/logout", base_url="https://localhost")
    deletion = set_cookies(logout)["__Host-remember"]
    assert deletion.is_deletion and deletion.attrs["secure"] is True


def test_lifetime_over_400_days_is_refused():
    with pytest.raises(CookieError, match="400 days"):
        Cookie("x", "essential", "p", "v", max_age=timedelta(days=401))
    Cookie("x", "essential", "p", "v", max_age=timedelta(days=400))


@pytest.mark.filterwarnings("ignore:The 'theme' cookie is too large")
def test_value_over_4096_bytes_is_refused(app):
    with app.test_request_context():
        response = Response()
        with pytest.raises(CookieError, match="4096"):
            cookies.write(response, "theme", "x" * 4092)
        cookies.write(response, "theme", "x" * (4096 - len("theme")))
        # Multi-byte characters count in bytes, as browsers count them.
        with pytest.raises(CookieError, match="4096"):
            cookies.write(response, "theme", "é" * 2046)


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("theme", "dark", "dark"),
        ("theme", "DARK", None),
        ("theme", "<script>alert(1)</script>", None),
        (
            "consent",
            f"{cookies.POLICY_VERSION}.accept",
            f"{cookies.POLICY_VERSION}.accept",
        ),
        (
            "consent",
            f"{cookies.POLICY_VERSION}.reject",
            f"{cookies.POLICY_VERSION}.reject",
        ),
        ("consent", "0.accept", None),
        ("consent", "1.maybe", None),
        (
            "visitor",
            "0123456789abcdef0123456789abcdef",
            "0123456789abcdef0123456789abcdef",
        ),
        ("visitor", "0123456789ABCDEF0123456789ABCDEF", None),
        ("visit", "short", None),
        ("session", "anything", "anything"),
    ],
)
def test_read_treats_invalid_values_as_absent(app, key, value, expected):
    with app.test_request_context(headers={"Cookie": f"{key}={value}"}):
        assert cookies.read(key) == expected
        assert cookies.sent(key)


#: The only modules that call ``response.set_cookie``/``delete_cookie``: the
#: catalogue, and the lab, whose cookies take the flags the visitor chose.
COOKIE_WRITERS = {"cookies.py", "lab/jar.py"}


def test_no_view_sets_or_deletes_cookies_by_hand():
    """Only the catalogue (and the lab) call ``set_cookie``/``delete_cookie``."""
    import re
    from pathlib import Path

    call = re.compile(r"\.(set|delete)_cookie\(")
    site = Path(cookies.__file__).parent
    writers = {
        path.relative_to(site).as_posix()
        for path in site.rglob("*.py")
        if call.search(path.read_text())
    }
    assert writers == COOKIE_WRITERS
