"""The layout, the home page and the error pages."""

import pytest
from flask import flash
from flask import render_template

from html_helpers import buttons
from html_helpers import forms
from html_helpers import one
from html_helpers import page
from html_helpers import section
from html_helpers import table_rows
from html_helpers import text


def navbar_links(response) -> dict[str, str]:
    """The links of the main navbar: where each goes, by its text."""
    navbar = one(response, "nav.navbar")
    return {text(link): link["href"] for link in navbar.find_all("a")}


def sent(response):
    """The home page's section on the cookies the request carried."""
    return section(page(response), "What your browser sent with this request")


def test_layout(client):
    response = client.get("/")
    doc = page(response)
    assert doc.html["lang"] == "en" and doc.html["data-bs-theme"]
    styles = [link["href"] for link in doc.find_all("link", rel="stylesheet")]
    assert [s for s in styles if s.startswith("/bootstrap/static/css/bootstrap.min")]
    assert "cdn" not in response.data.decode().lower()
    links = navbar_links(response)
    assert links["Home"] == "/"
    assert links["Log in"] == "/login"
    assert links["Sign up"] == "/signup"


def test_navbar_for_members_links_name_to_account_and_has_logout_form(client, auth):
    auth.login()
    response = client.get("/")
    links = navbar_links(response)
    assert links["member"] == "/account"
    (logout,) = forms(response, "/logout")
    assert buttons(logout) == ["Log out"]
    assert "Log in" not in links


def test_bootstrap_is_served_locally(client):
    response = client.get("/bootstrap/static/css/bootstrap.min.css")
    assert response.status_code == 200
    assert b"Bootstrap  v5.3" in response.data


def test_home_lists_cookies_this_request_carried(client):
    assert "No cookies." in text(sent(client.get("/")))
    client.set_cookie("flavour", "oatmeal-raisin")
    assert ["flavour", "oatmeal-raisin"] in table_rows(sent(client.get("/")))


def test_home_masks_login_tokens(client, auth):
    auth.login(remember=True)
    token = client.get_cookie("remember").value
    session_value = client.get_cookie("session").value
    response = client.get("/")
    shown = dict(table_rows(sent(response)))
    assert shown["remember"].startswith(token[:8])
    assert token not in response.data.decode()
    assert session_value not in response.data.decode()


def test_home_escapes_cookie_values(client):
    client.set_cookie("x", "<script>alert(1)</script>")
    response = client.get("/")
    assert "<script>alert(1)</script>" not in response.data.decode()
    # Shown as text, not run as a script.
    assert ["x", "<script>alert(1)</script>"] in table_rows(sent(response))
    scripts = page(response).find_all("script")
    assert not [script for script in scripts if "alert" in script.text]


@pytest.mark.parametrize(
    ("method", "path", "code", "explanation"),
    [
        ("get", "/no-such-page", 404, "There is no page at this address."),
        ("get", "/logout", 405, "does not accept that kind of request"),
    ],
)
def test_error_pages_use_the_layout(client, method, path, code, explanation):
    response = getattr(client, method)(path)
    assert response.status_code == code
    assert explanation in text(one(response, "main"))
    assert "cookiesite" in text(one(response, "nav.navbar"))


def test_oversized_form_gets_413(client):
    response = client.post("/login", data={"username": "x", "password": "p" * 70_000})
    assert response.status_code == 413
    assert "larger than this site accepts" in text(one(response, "main"))


@pytest.mark.allow_server_error
@pytest.mark.parametrize("code", [400, 403, 429, 500])
def test_every_error_page_renders(app, code):
    from werkzeug.exceptions import default_exceptions

    @app.route(f"/fail/{code}")
    def fail():
        raise default_exceptions[code]()

    response = app.test_client().get(f"/fail/{code}")
    assert response.status_code == code
    assert "cookiesite" in text(one(response, "nav.navbar"))


def test_flashed_messages_use_bootstraps_alerts(app):
    """Categories are Bootstrap's alert names; Flask's own defaults map to one."""
    with app.test_request_context("/"):
        flash("plain")
        flash("bad", "error")
        flash("done", "success")
        markup = render_template("index.html", sent=[])
    shown = [
        (set(alert["class"]), text(alert))
        for alert in page(markup).select("[role=alert]")
    ]
    assert shown == [
        ({"alert", "alert-primary"}, "plain"),
        ({"alert", "alert-danger"}, "bad"),
        ({"alert", "alert-success"}, "done"),
    ]
