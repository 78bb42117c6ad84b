"""What the site keeps between requests to answer faster, and that it never
hands out something that differs from what it would have built anew:
built URLs (cookiesite.urls), signed form tokens (cookiesite.formtoken),
drawn inspector panels (tests/test_inspector.py) and checked session
cookies (cookiesite.sessions)."""

import re
import time

import pytest
from flask import Blueprint
from flask import Flask
from flask import request
from flask import url_for
from flask.sessions import SecureCookieSessionInterface

from cookiesite import formtoken
from cookiesite import sessions

TOKEN = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]*)"')


def built_by_flask(app, endpoint, **values):
    """The URL plain Flask builds, without the cache."""
    return Flask.url_for(app, endpoint, **values)


@pytest.mark.parametrize(
    "endpoint, values",
    [
        ("main.index", {}),
        ("policy.index", {}),
        ("static", {"filename": "css/site.css"}),
        ("bootstrap.static", {"filename": "css/bootstrap.min.css"}),
        ("main.index", {"tag": ["a", "b"]}),  # a value that cannot be a key
    ],
)
def test_a_remembered_url_is_the_one_flask_builds(app, endpoint, values):
    with app.test_request_context("/"):
        first = url_for(endpoint, **values)
        assert url_for(endpoint, **values) == first
        assert first == built_by_flask(app, endpoint, **values)
    with app.test_request_context("/"):
        assert url_for(endpoint, **values) == first


def test_urls_follow_where_the_site_is_mounted(app):
    with app.test_request_context("/"):
        assert url_for("policy.index") == "/cookies"
    with app.test_request_context("/", base_url="http://localhost/shop"):
        assert url_for("policy.index") == "/shop/cookies"
    with app.test_request_context("/"):
        assert url_for("policy.index") == "/cookies"


def test_external_urls_and_anchors_are_not_remembered(app):
    with app.test_request_context("/", base_url="http://one.example"):
        assert url_for("policy.index", _external=True) == "http://one.example/cookies"
        assert url_for("policy.index", _anchor="theme") == "/cookies#theme"
        assert url_for("policy.index") == "/cookies"
    with app.test_request_context("/", base_url="http://two.example"):
        assert url_for("policy.index", _external=True) == "http://two.example/cookies"


def test_a_relative_endpoint_belongs_to_the_requests_blueprint(app):
    for name in ("one", "two"):
        bp = Blueprint(name, __name__, url_prefix=f"/{name}")
        bp.add_url_rule("/page", "page", lambda: "")
        app.register_blueprint(bp)
    with app.test_request_context("/one/page"):
        assert url_for(".page") == "/one/page"
    with app.test_request_context("/two/page"):
        assert url_for(".page") == "/two/page"


def test_the_cache_stays_bounded(app, monkeypatch):
    monkeypatch.setattr("cookiesite.urls.MAX_URLS", 10)
    with app.test_request_context("/"):
        for n in range(25):
            assert url_for("main.index", page=n) == f"/?page={n}"
    assert len(app._built_urls) <= 10


def page_token(client, path="/") -> str:
    return TOKEN.search(client.get(path).text)[1]


def test_a_first_visit_gets_a_token(client):
    assert page_token(client)


def test_one_session_keeps_one_signed_token(app, client):
    first = page_token(client)
    assert page_token(client) == first
    assert page_token(client, "/cookies") == first
    # Every form of a page carries it, also those drawn by form classes.
    assert set(TOKEN.findall(client.get("/login").text)) == {first}
    other = app.test_client()
    assert page_token(other) != first


@pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True}])
def test_the_kept_token_is_accepted(client):
    page_token(client)
    token = page_token(client)
    response = client.post(
        "/consent", data={"csrf_token": token, "choice": "reject", "next": "/"}
    )
    assert response.status_code == 303
    assert client.post("/consent", data={"choice": "reject"}).status_code == 400


@pytest.mark.parametrize(
    "app_config", [{"WTF_CSRF_ENABLED": True, "WTF_CSRF_TIME_LIMIT": 120}]
)
def test_with_a_time_limit_the_token_is_signed_again(client, monkeypatch):
    now = [1_000_000.0]
    monkeypatch.setattr(formtoken.time, "time", lambda: now[0])
    first = page_token(client)
    now[0] += 120 / 12  # a twelfth of the limit: still the same copy
    assert page_token(client) == first
    now[0] += 1
    second = page_token(client)
    assert second != first
    response = client.post(
        "/consent", data={"csrf_token": second, "choice": "reject", "next": "/"}
    )
    assert response.status_code == 303


# Checked session cookies (cookiesite.sessions).


def a_session_cookie(app) -> str:
    """The session cookie a first visit to / is given."""
    client = app.test_client()
    client.get("/")
    return client.get_cookie(app.config["SESSION_COOKIE_NAME"]).value


def opened(app, cookie: str, interface=None) -> dict:
    """The session the site makes of a request that carries ``cookie``."""
    interface = interface or app.session_interface
    name = app.config["SESSION_COOKIE_NAME"]
    with app.test_request_context("/", headers={"Cookie": f"{name}={cookie}"}):
        return dict(interface.open_session(app, request))


def test_a_kept_session_reads_as_flasks_own(app):
    cookie = a_session_cookie(app)
    flasks = opened(app, cookie, SecureCookieSessionInterface())
    assert flasks["csrf_token"]
    assert opened(app, cookie) == flasks  # checked
    assert opened(app, cookie) == flasks  # kept
    name = app.config["SESSION_COOKIE_NAME"]
    with app.test_request_context("/", headers={"Cookie": f"{name}={cookie}"}):
        app.session_interface.open_session(app, request)["changed"] = True
    assert "changed" not in opened(app, cookie)  # a fresh dict each time


def test_an_altered_cookie_is_refused_though_the_real_one_was_kept(app):
    cookie = a_session_cookie(app)
    assert opened(app, cookie)
    payload, _, signature = cookie.rpartition(".")
    for forged in (
        f"{payload}.{signature[::-1]}",
        f"{payload[:-2]}AA.{signature}",
        f"{cookie}x",
    ):
        assert opened(app, forged) == {}


def test_a_kept_cookie_still_expires(app, monkeypatch):
    cookie = a_session_cookie(app)
    assert opened(app, cookie)
    lifetime = app.permanent_session_lifetime.total_seconds()
    now = time.time()
    monkeypatch.setattr(sessions.time, "time", lambda: now + lifetime + 5)
    assert opened(app, cookie) == {}
    monkeypatch.setattr(sessions.time, "time", lambda: now - 60)
    assert opened(app, cookie) == {}  # signed in the future


def test_a_kept_cookie_follows_the_keys(app):
    old_key = app.secret_key
    cookie = a_session_cookie(app)
    assert opened(app, cookie)
    app.secret_key = "b" * 64
    assert opened(app, cookie) == {}
    app.config["SECRET_KEY_FALLBACKS"] = [old_key]
    assert opened(app, cookie)


def test_the_kept_cookies_stay_bounded(app, monkeypatch):
    monkeypatch.setattr(sessions, "MAX_KEPT", 3)
    for _ in range(5):
        assert opened(app, a_session_cookie(app))
    assert 0 < len(app.session_interface._checked) <= 3
