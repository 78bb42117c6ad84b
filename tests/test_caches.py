"""What the site keeps between requests to answer faster, and that it never
hands out something that differs from what it would have built anew:
built URLs (cookiesite.urls) and signed form tokens (cookiesite.formtoken)."""

import re

import pytest
from flask import Blueprint
from flask import Flask
from flask import url_for

from cookiesite import formtoken

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
