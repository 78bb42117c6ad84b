"""Security headers on every response, caching rules, trusted hosts, framing.

The pages are found in ``app.url_map``, so a page added later is checked
without a change here.
"""

import pytest
from flask import Response
from werkzeug.exceptions import MethodNotAllowed

from cookiesite import cookies
from cookiesite import create_app
from cookiesite.security import framed_by_self

from cookies_helpers import set_cookies
from html_helpers import forms
from html_helpers import one
from html_helpers import page
from html_helpers import text
from support import checksum
from support import logged_in_as
from support import make_app

CSP = (
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none';"
    " form-action 'self'; frame-src 'self'; frame-ancestors 'none'"
)


def get_rules(app):
    """Every page a browser can GET without filling in a URL part."""
    return sorted(
        (
            rule
            for rule in app.url_map.iter_rules()
            if "GET" in rule.methods
            and not rule.arguments
            and rule.endpoint.rsplit(".", 1)[-1] != "static"
        ),
        key=lambda rule: rule.rule,
    )


def get_pages(app):
    return [rule.rule for rule in get_rules(app)]


def as_admin(client):
    """Log the client in as ``admin`` (without Remember me)."""
    response = client.post(
        "/login", data={"username": "admin", "password": "correct horse battery"}
    )
    assert response.status_code == 303


def assert_security_headers(response, frame_ancestors="'none'"):
    headers = response.headers
    policy = CSP.removesuffix("'none'") + frame_ancestors
    assert headers["Content-Security-Policy"] == policy
    assert "unsafe-inline" not in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    frame_options = {"'none'": "DENY", "'self'": "SAMEORIGIN"}[frame_ancestors]
    assert headers["X-Frame-Options"] == frame_options
    assert "Strict-Transport-Security" not in headers  # plain HTTP


@pytest.mark.parametrize("who", ["anonymous", "admin"])
def test_every_page_sends_the_security_headers(app, client, who):
    if who == "admin":
        as_admin(client)
    rules = get_rules(app)
    assert {"/", "/login", "/signup"} <= {rule.rule for rule in rules}
    for rule in rules:
        response = client.get(rule.rule)
        assert response.status_code < 500, rule.rule
        # Only pages of views marked @framed_by_self may be framed, by this
        # site; a redirect or refusal from such a view may not.
        view = app.view_functions[rule.endpoint]
        framing = getattr(view, "frame_ancestors", "'none'")
        ok = response.status_code == 200
        assert_security_headers(response, framing if ok else "'none'")


@pytest.mark.parametrize(
    ("method", "path", "data", "code"),
    [
        ("get", "/no-such-page", None, 404),
        ("get", "/logout", None, 405),
        ("post", "/login", {"password": "p" * 70_000}, 413),
        ("get", "/static/css/site.css", None, 200),
        ("get", "/bootstrap/static/css/bootstrap.min.css", None, 200),
    ],
)
def test_errors_and_static_files_send_them_too(client, method, path, data, code):
    response = getattr(client, method)(path, data=data)
    assert response.status_code == code
    assert_security_headers(response)


def inline_code(response) -> list[str]:
    """What a strict CSP would block in a page: inline scripts, styles, handlers."""
    found = []
    for element in page(response).find_all(True):
        tag = element.name
        if tag == "script" and not element.get("src"):
            found.append("<script> without src")
        if tag == "style":
            found.append("<style> element")
        for name in element.attrs:
            if name == "style" or name.startswith("on"):
                found.append(f"<{tag} {name}=...>")
        if element.get("href", "").lower().startswith("javascript:"):
            found.append(f"<{tag} href=javascript:...>")
    return found


@pytest.mark.parametrize("theme", [None, "dark", "auto"])
def test_no_page_has_inline_script_or_style(app, client, theme):
    """The policy has no 'unsafe-inline': anything inline would be blocked."""
    if theme:
        client.set_cookie(cookies.cookie_name("theme", app), theme)
    as_admin(client)
    for path in [*get_pages(app), "/no-such-page"]:
        assert inline_code(client.get(path)) == [], path


@pytest.mark.parametrize("app_config", [{"HTTPS": True}])
def test_hsts_under_https(client):
    response = client.get("/", base_url="https://localhost")
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000"


def test_pages_of_a_logged_in_member_are_never_stored(client, auth):
    login = auth.login(remember=True)
    assert {"session", "remember"} <= set(set_cookies(login))
    assert login.headers["Cache-Control"] == "no-store"
    for path in ("/", "/login", "/no-such-page"):
        assert client.get(path).headers["Cache-Control"] == "no-store", path
    # Static files do not depend on who asks.
    static = client.get("/static/css/site.css")
    assert "no-store" not in static.headers.get("Cache-Control", "")
    assert "Cookie" not in static.vary
    logout = auth.logout()
    assert set_cookies(logout)["remember"].is_deletion
    assert logout.headers["Cache-Control"] == "no-store"


def test_remember_cookie_alone_makes_the_page_private(app, client, auth):
    auth.login(remember=True)
    token = client.get_cookie("remember").value
    browser = app.test_client()
    browser.set_cookie("remember", token)
    assert browser.get("/").headers["Cache-Control"] == "no-store"


def test_anonymous_page_that_sets_no_cookie_may_be_cached(client):
    # The first page starts a session (its forms need a CSRF token) ...
    first = client.get("/")
    assert "session" in set_cookies(first)
    assert first.headers["Cache-Control"] == "no-store"
    # ... the next ones set nothing, and depend on the cookies only.
    for _ in range(2):
        response = client.get("/")
        assert "Set-Cookie" not in response.headers
        assert "Cache-Control" not in response.headers
        assert "Cookie" in response.vary


def test_any_response_that_sets_a_cookie_is_not_stored(app, client):
    @app.route("/test/sets-theme")
    def sets_theme():
        response = Response("set")
        cookies.write(response, "theme", "dark")
        return response

    response = client.get("/test/sets-theme")
    assert set_cookies(response)["theme"].value == "dark"
    assert response.headers["Cache-Control"] == "no-store"


def test_pages_vary_by_cookie_and_static_files_do_not(app, client):
    """Every page depends on the login and the theme; a static file on nothing."""
    for path in ("/", "/cookies", "/login", "/reports", "/no-such-page"):
        assert "Cookie" in client.get(path).vary, path
    assert "Cookie" not in client.get("/static/css/site.css").vary


def test_a_view_can_let_this_site_frame_it(app, client):
    @app.route("/test/embeddable")
    @framed_by_self
    def embeddable():
        return "inside a frame"

    assert_security_headers(client.get("/test/embeddable"), frame_ancestors="'self'")
    assert_security_headers(client.get("/"))


@pytest.mark.parametrize("app_config", [{"TRUSTED_HOSTS": ["cookies.example"]}])
def test_unknown_host_gets_400(client):
    response = client.get("/", headers={"Host": "evil.example"})
    assert response.status_code == 400
    assert b"does not answer to that host name" in response.data
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert client.get("/", base_url="http://cookies.example").status_code == 200
    assert client.get("/login", base_url="http://evil.example").status_code == 400


def test_production_takes_trusted_hosts_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("COOKIESITE_ENV", "production")
    monkeypatch.setenv("FLASK_SECRET_KEY", "k" * 64)
    monkeypatch.setenv("FLASK_TRUSTED_HOSTS", '["cookies.example"]')
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/t.db"})
    assert app.config["TRUSTED_HOSTS"] == ["cookies.example"]
    client = app.test_client()
    response = client.get("/", base_url="https://evil.example")
    assert response.status_code == 400
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000"


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        ({}, "max-age=31536000"),
        ({"HSTS_INCLUDE_SUBDOMAINS": True}, "max-age=31536000; includeSubDomains"),
        (
            {"HSTS_INCLUDE_SUBDOMAINS": True, "HSTS_PRELOAD": True},
            "max-age=31536000; includeSubDomains; preload",
        ),
    ],
)
def test_hsts_can_cover_subdomains_and_ask_for_preload(
    database_url, settings, expected
):
    app = make_app(database_url, HTTPS=True, **settings)
    response = app.test_client().get("/", base_url="https://localhost")
    assert response.headers["Strict-Transport-Security"] == expected


@pytest.mark.parametrize(
    "settings",
    [
        {"HSTS_PRELOAD": True},
        {"HSTS_PRELOAD": True, "HSTS_INCLUDE_SUBDOMAINS": True, "HSTS_MAX_AGE": 86400},
    ],
)
def test_a_preload_the_lists_would_reject_stops_the_start(database_url, settings):
    with pytest.raises(RuntimeError, match="HSTS_PRELOAD needs"):
        make_app(database_url, HTTPS=True, **settings)


# -- a visit to the address of a form ------------------------------------------


def form_addresses(app):
    """Every address that takes a form's POST and refuses a visit (GET), with
    ``1`` for an id it needs, and its rule: found in the URL map, so a form
    added later is checked without a change here."""
    adapter = app.url_map.bind("localhost")
    found = []
    for rule in app.url_map.iter_rules():
        if "GET" in rule.methods or "POST" not in rule.methods:
            continue
        url = adapter.build(
            rule.endpoint, dict.fromkeys(rule.arguments, 1), method="POST"
        )
        try:
            adapter.match(url, method="GET")
        except MethodNotAllowed:
            found.append((url, rule))
    return found


@pytest.mark.parametrize("who", ["anonymous", "admin"])
def test_a_visit_to_a_forms_address_explains_and_changes_nothing(app, client, who):
    """405 with the methods the address takes (``Allow``), and a page that
    says the address is for a form and offers the way on: the Log out button
    for /logout, else a link to the page where the form is. Nothing changes:
    not the data, and not who is logged in."""
    if who == "admin":
        as_admin(client)
    addresses = form_addresses(app)
    expected = {"/logout", "/account/password", "/account/delete", "/consent"}
    assert expected | {"/preferences/theme"} <= {url for url, _ in addresses}
    before = checksum(app)
    for url, rule in addresses:
        head = client.head(url)
        assert head.status_code == 405
        assert set(head.headers["Allow"].split(", ")) == rule.methods
        response = client.get(url)
        assert response.status_code == 405, url
        assert set(response.headers["Allow"].split(", ")) == rule.methods, url
        main = one(response, "main")
        assert text(one(main, "h1")) == "This address is for a form", url
        assert f"{url} is where a form of this site sends its answer" in text(main)
        if rule.endpoint == "auth.logout":
            assert len(forms(main, url)) == (1 if who == "admin" else 0)
            continue
        target = one(main, "a.btn")["href"]
        assert target != "/", f"{url} offers no page of its own"
        if who == "admin":
            assert client.get(target).status_code == 200, url
    assert checksum(app) == before
    assert logged_in_as(client) == (None if who == "anonymous" else "admin")


def test_reloading_the_password_form_after_an_error_leads_back_to_it(client):
    """A form sent back with errors stays at its POST address; reopening that
    address (the browser's address bar, a colour switch) gets the way back."""
    as_admin(client)
    sent = client.post("/account/password", data={"password-current": "wrong"})
    assert sent.status_code == 422
    response = client.get("/account/password")
    assert response.status_code == 405
    target = one(one(response, "main"), "a.btn")["href"]
    assert target == "/account"
    assert len(forms(client.get(target), "/account/password")) == 1
