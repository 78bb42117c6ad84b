"""Login, signup and current-password throttling: 429 past the limit, for
that account or client only, and open again once the window has moved on."""

import time
import types

import limits.storage.memory
import pytest
import sqlalchemy as sa
from flask_login import current_user
from werkzeug.middleware.proxy_fix import ProxyFix

from cookiesite import throttle
from cookiesite.extensions import db
from cookiesite.models import User

from html_helpers import one
from html_helpers import text
from support import AuthActions
from support import PASSWORD

#: Small limits, so a test reaches them in a few requests.
TIGHT = {
    "LOGIN_LIMIT_PER_USERNAME": "3 per 15 minutes",
    "LOGIN_LIMIT_PER_CLIENT": "5 per 15 minutes",
    "SIGNUP_LIMIT_PER_CLIENT": "2 per hour",
    "PASSWORD_CHECK_LIMIT_PER_ACCOUNT": "3 per 15 minutes",
}

#: A new password the account forms accept.
NEW_PASSWORD = "a brand new passphrase"

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
    monkeypatch.setattr(throttle, "time", fake)

    def advance(seconds):
        now[0] += seconds

    return advance


def assert_throttled(response, window=15 * 60):
    """A 429 with the site's page, saying when to try again."""
    assert response.status_code == 429
    main = one(response, "main")
    assert "429" in text(one(main, "h1"))
    assert "Too many attempts in a short time." in text(main)
    assert "Try again in " in text(main)
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
def test_a_json_login_never_gets_past_a_locked_account(app, client, auth):
    """Before, a JSON body slipped past the per-username count (it read no
    form field) and Flask-WTF logged it in with the right password."""
    for _ in range(3):
        auth.login("member", "wrong password")
    with client:
        response = client.post(
            "/login", json={"username": "member", "password": PASSWORD}
        )
        assert response.status_code in (415, 429)
        assert not current_user.is_authenticated


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
def test_the_429_page_says_how_long_to_wait(auth, clock):
    """The wait is the limit's own: until the oldest counted attempt leaves
    the window. Retry-After has it to the second (Flask-Limiter rounds the
    time up), the page in words."""
    for _ in range(3):
        auth.login("member", "wrong")

    def wait():
        response = auth.login()
        assert_throttled(response)
        lead = text(one(response, "main p.lead"))
        assert lead.startswith("Too many attempts in a short time. Try again in ")
        return lead.rsplit(" in ", 1)[1], int(response.headers["Retry-After"])

    assert wait() in {("15 minutes.", 900), ("15 minutes.", 901)}
    clock(14 * 60)
    assert wait() in {("1 minute.", 60), ("1 minute.", 61)}
    clock(50)
    assert wait() in {("10 seconds.", 10), ("11 seconds.", 11)}


def change_password(client, current, new=NEW_PASSWORD):
    """Post the account page's password form."""
    data = {"password-current": current, "password-new": new, "password-confirm": new}
    return client.post("/account/password", data=data)


def delete_account(client, password):
    """Post the account page's delete form."""
    return client.post("/account/delete", data={"delete-password": password})


def password_is(app, password, username="member") -> bool:
    """Whether ``password`` is the account's password now."""
    with app.app_context():
        return User.by_username(username).check_password(password)


@tight
def test_wrong_current_passwords_per_account_get_429(app, client, auth):
    """A stolen session cannot guess the owner's password: the account's
    forms share one count of wrong current passwords, across sessions."""
    thief = app.test_client()
    AuthActions(thief).login(**from_address("10.0.0.66"))
    auth.login()
    # A form sent back for another reason checks no password: not counted.
    for _ in range(3):
        assert change_password(thief, PASSWORD, new="short").status_code == 422
    assert change_password(thief, "guess 1").status_code == 422
    assert delete_account(thief, "guess 2").status_code == 422
    assert change_password(thief, "guess 3").status_code == 422
    # Past the limit the password is not even checked: the right one, from
    # the owner's own session, changes nothing, on either form.
    assert_throttled(change_password(thief, PASSWORD))
    assert_throttled(change_password(client, PASSWORD))
    assert_throttled(delete_account(client, PASSWORD))
    assert password_is(app, PASSWORD)
    assert not password_is(app, NEW_PASSWORD)
    # Another account is not affected.
    other = app.test_client()
    AuthActions(other).login("admin")
    assert change_password(other, "guess").status_code == 422
    assert change_password(other, PASSWORD).status_code == 303
    assert password_is(app, NEW_PASSWORD, "admin")


@tight
def test_password_checks_open_again_after_the_window(app, client, auth, clock):
    auth.login()
    for _ in range(3):
        assert delete_account(client, "guess").status_code == 422
    assert_throttled(change_password(client, PASSWORD))
    clock(15 * 60 + 1)
    assert change_password(client, PASSWORD).status_code == 303
    assert password_is(app, NEW_PASSWORD)


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
    assert type(throttle.limiter.storage).__name__ == "RedisStorage"
    assert throttle.limiter.storage.check() is False  # nobody answers
    for _ in range(3):
        assert auth.login("member", "wrong").status_code == 422
    assert_throttled(auth.login())
    assert auth.login("admin").status_code == 303


def test_limits_and_storage_come_from_the_config(app):
    assert app.config["RATELIMIT_STORAGE_URI"] == "memory://"
    assert app.config["LOGIN_LIMIT_PER_USERNAME"] == "10 per 15 minutes"
    assert app.config["LOGIN_LIMIT_PER_DEVICE"] == "10 per 15 minutes"
    assert app.config["PASSWORD_CHECK_LIMIT_PER_ACCOUNT"] == "5 per 15 minutes"
    assert app.config["PROXY_FIX_X_FOR"] == 0
    with app.test_request_context(
        method="POST", data={"username": "  MeMbEr" + "x" * 100 + " "}
    ):
        assert throttle.username_key() == "user:member" + "x" * 58
    with app.test_request_context(environ_base={"REMOTE_ADDR": "192.0.2.1"}):
        assert throttle.client_key() == "ip:192.0.2.1"
