"""The layout, the home page and the error pages."""

import re

import pytest
from flask import flash
from flask import render_template


def test_layout(client):
    page = client.get("/").data.decode()
    assert '<html lang="en" data-bs-theme=' in page
    assert "/bootstrap/static/css/bootstrap.min.css" in page
    assert "cdn" not in page.lower()
    for link in ('href="/">Home<', 'href="/login">Log in<', 'href="/signup">Sign up<'):
        assert link in page


def test_navbar_for_members_links_name_to_account_and_has_logout_form(client, auth):
    auth.login()
    page = client.get("/").data.decode()
    assert '<a class="nav-link" href="/account">member</a>' in page
    assert 'action="/logout"' in page and ">Log out</button>" in page
    assert '<a class="nav-link" href="/login">Log in</a>' not in page


def test_bootstrap_is_served_locally(client):
    response = client.get("/bootstrap/static/css/bootstrap.min.css")
    assert response.status_code == 200
    assert b"Bootstrap  v5.3" in response.data


def test_home_lists_cookies_this_request_carried(client):
    assert b"No cookies." in client.get("/").data
    client.set_cookie("flavour", "oatmeal-raisin")
    page = client.get("/").data.decode()
    assert "<code>flavour</code>" in page and "<code>oatmeal-raisin</code>" in page


def test_home_masks_login_tokens(client, auth):
    auth.login(remember=True)
    token = client.get_cookie("remember").value
    session_value = client.get_cookie("session").value
    page = client.get("/").data.decode()
    assert token not in page and token[:8] in page
    assert session_value not in page


def test_home_escapes_cookie_values(client):
    client.set_cookie("x", "<script>alert(1)</script>")
    page = client.get("/").data.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page


@pytest.mark.parametrize(
    ("method", "path", "code", "text"),
    [
        ("get", "/no-such-page", 404, "There is no page at this address."),
        ("get", "/logout", 405, "does not accept that kind of request"),
    ],
)
def test_error_pages_use_the_layout(client, method, path, code, text):
    response = getattr(client, method)(path)
    assert response.status_code == code
    page = response.data.decode()
    assert text in page and "cookiesite" in page and 'class="navbar' in page


def test_oversized_form_gets_413(client):
    response = client.post("/login", data={"username": "x", "password": "p" * 70_000})
    assert response.status_code == 413
    assert "larger than this site accepts" in response.data.decode()


@pytest.mark.allow_server_error
@pytest.mark.parametrize("code", [400, 403, 429, 500])
def test_every_error_page_renders(app, code):
    from werkzeug.exceptions import default_exceptions

    @app.route(f"/fail/{code}")
    def fail():
        raise default_exceptions[code]()

    response = app.test_client().get(f"/fail/{code}")
    assert response.status_code == code
    page = response.data.decode()
    assert "cookiesite" in page and 'class="navbar' in page


def test_flashed_messages_use_bootstraps_alerts(app):
    """Categories are Bootstrap's alert names; Flask's own defaults map to one."""
    with app.test_request_context("/"):
        flash("plain")
        flash("bad", "error")
        flash("done", "success")
        page = render_template("index.html", sent=[])
    assert re.findall(
        r'<div class="alert ([^"]+)" role="alert">([^<]*)</div>', page
    ) == [
        ("alert-primary", "plain"),
        ("alert-danger", "bad"),
        ("alert-success", "done"),
    ]
