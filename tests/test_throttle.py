"""Login and signup throttling: 429 past the limit, for that account or client
only, and open again once the window has moved on."""

import time
import types

import limits.storage.memory
import pytest
import sqlalchemy as sa
from flask_login import current_user
from werkzeug.middleware.proxy_fix import ProxyFix

from cookiesite import security
from cookiesite.extensions import db
from cookiesite.models import User

from html_helpers import one
from html_helpers import text
from support import PASSWORD

#: Small limits, so a test reaches them in a few requests.
TIGHT = {
    "LOGIN_LIMIT_PER_USERNAME": "3 per 15 minutes",
    "LOGIN_LIMIT_PER_CLIENT": "5 per 15 minutes",
    "SIGNUP_LIMIT_PER_CLIENT": "2 per hour",
}

tight = pytest.mark.parametrize("app_config", [TIGHT])


def from_address(address):
    """Request options that make the test client connect from ``address``."""
    return {"environ_base": {"REMOTE_ADDR": address}}


@pytest.fixture
def clock(monkeypatch):
    """The limiter's clock, moved forward by the test instead of waited for."""
    now = [time.time()]
    fake = types.SimpleNamespace(time=lambda: now[0])
    monkeypatch.setattr(limits.storage.memory, "time", fake)
    monkeypatch.setattr(security, "time", fake)

    def advance(seconds):
        now[0] += seconds

    return advance


def assert_throttled(response, window=15 * 60):
    """A 429 with the site's page, saying when to try again."""
    assert response.status_code == 429
    main = one(response, "main")
    assert "429" in text(one(main, "h1"))
    assert "Too many attempts in a short time." in text(main)
    assert one(response, "nav.navbar")
    # Rounded up to whole seconds, so at most one second over the window.
    assert 1 <= int(response.headers["Retry-After"]) <= window + 1


@tight
def test_failed_logins_per_username_get_429(client, auth):
    # From three different addresses: the per-account limit still adds up.
    for n in range(3):
        response = auth.login("member", "wrong password", **from_address(f"10.0.0.{n}"))
        assert response.status_code == 422
    # The right password no longer helps, and nothing logs in.
    with client:
        response = auth.login("MEMBER", **from_address("10.0.0.9"))
        assert_throttled(response)
        assert not current_user.is_authenticated
    # Another account is not affected, from any of those addresses.
    assert auth.login("admin", **from_address("10.0.0.1")).status_code == 303


@tight
def test_failed_logins_per_client_get_429(app, auth):
    for n in range(5):
        response = auth.login(f"nobody{n}", "wrong", **from_address("10.0.0.1"))
        assert response.status_code == 422
    assert_throttled(auth.login("member", **from_address("10.0.0.1")))
    # Another client logs in to the same account at once.
    other = app.test_client()
    response = other.post(
        "/login",
        data={"username": "member", "password": PASSWORD},
        **from_address("10.0.0.2"),
    )
    assert response.status_code == 303


@tight
def test_successful_logins_and_page_loads_are_not_counted(client, auth):
    for _ in range(6):
        assert client.get("/login").status_code == 200
        assert auth.login().status_code == 303
        auth.logout()
    assert auth.login("member", "wrong").status_code == 422


@tight
def test_throttled_account_opens_again_after_the_window(client, auth, clock):
    for _ in range(3):
        auth.login("member", "wrong")
    assert_throttled(auth.login())
    clock(14 * 60)
    assert_throttled(auth.login())
    # The window moves: 15 minutes after the first failures they stop counting.
    clock(61)
    with client:
        assert auth.login().status_code == 303
        assert current_user.is_authenticated


@tight
def test_signups_per_client_get_429(app, client):
    def signup(name, address):
        data = {"username": name, "password": PASSWORD, "confirm": PASSWORD}
        return app.test_client().post("/signup", data=data, **from_address(address))

    assert signup("first", "10.0.0.1").status_code == 303
    assert signup("member", "10.0.0.1").status_code == 422  # taken: still counts
    assert_throttled(signup("third", "10.0.0.1"), window=3600)
    assert signup("fourth", "10.0.0.2").status_code == 303
    with app.app_context():
        names = set(db.session.scalars(sa.select(User.username_key)))
    assert names == {"member", "admin", "first", "fourth"}
    assert client.get("/signup", **from_address("10.0.0.1")).status_code == 200


@tight
def test_forwarded_for_is_ignored_without_a_proxy(auth):
    """Without PROXY_FIX_X_FOR a client cannot pick a new address per request."""
    for n in range(5):
        forged = {"X-Forwarded-For": f"203.0.113.{n}"}
        assert auth.login(f"nobody{n}", "wrong", headers=forged).status_code == 422
    forged = {"X-Forwarded-For": "198.51.100.1"}
    assert_throttled(auth.login(headers=forged))


@pytest.mark.parametrize("app_config", [{**TIGHT, "PROXY_FIX_X_FOR": 1}])
def test_forwarded_for_names_the_client_behind_one_proxy(app, auth):
    # The proxy appends the address it saw: only the last entry is believed,
    # so a client that sends its own X-Forwarded-For gains nothing.
    for n in range(5):
        hops = {"X-Forwarded-For": f"203.0.113.{n}, 198.51.100.7"}
        assert auth.login(f"nobody{n}", "wrong", headers=hops).status_code == 422
    assert_throttled(auth.login(headers={"X-Forwarded-For": "198.51.100.7"}))
    other = {"X-Forwarded-For": "198.51.100.8"}
    assert auth.login(headers=other).status_code == 303
    assert isinstance(app.wsgi_app, ProxyFix)


#: A Redis URL where nothing listens (port 1 on this machine).
REDIS_DOWN = {**TIGHT, "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:1/0"}


@pytest.mark.parametrize("app_config", [REDIS_DOWN])
def test_limits_hold_in_memory_while_redis_is_down(client, auth):
    """No 500 and no free-for-all: the limiter counts in memory meanwhile."""
    assert type(security.limiter.storage).__name__ == "RedisStorage"
    assert security.limiter.storage.check() is False  # nobody answers
    for _ in range(3):
        assert auth.login("member", "wrong").status_code == 422
    assert_throttled(auth.login())
    assert auth.login("admin").status_code == 303


def test_limits_and_storage_come_from_the_config(app):
    assert app.config["RATELIMIT_STORAGE_URI"] == "memory://"
    assert app.config["LOGIN_LIMIT_PER_USERNAME"] == "10 per 15 minutes"
    assert app.config["PROXY_FIX_X_FOR"] == 0
    with app.test_request_context(
        method="POST", data={"username": "  MeMbEr" + "x" * 100 + " "}
    ):
        assert security.username_key() == "user:member" + "x" * 58
    with app.test_request_context(environ_base={"REMOTE_ADDR": "192.0.2.1"}):
        assert security.client_key() == "ip:192.0.2.1"
