"""Rotating the secret key: ``SECRET_KEY_FALLBACKS`` keeps members logged in.

A member logs in with "Remember me" while the site signs with key A. Then the
site moves to key B. With A among the fallbacks, the session cookie and the
remember cookie made under A still log the member in; without it, neither
does, and both count as absent (no error page).
"""

import pytest
from flask_login import current_user

from cookiesite import cookies
from cookiesite.extensions import db

from html_helpers import forms
from support import make_app

KEY_B = "b" * 64


@pytest.fixture
def cookies_under_key_a(app, auth):
    """The member's session and remember cookies, signed with the app's key A."""
    response = auth.login(remember=True)
    assert response.status_code == 303
    client = auth._client
    return {
        key: client.get_cookie(cookies.cookie_name(key, app)).value
        for key in ("session", "remember")
    }


@pytest.fixture
def rotated(database_url):
    """Make the site again on the same database, signing with key B."""
    made = []

    def make(**config):
        app = make_app(database_url, SECRET_KEY=KEY_B, **config)
        made.append(app)
        return app

    yield make
    for app in made:
        with app.app_context():
            db.engine.dispose()


def visit(app, key, value):
    """Open the home page in a browser that holds only this one cookie.

    Returns whether the page was for a logged-in member.
    """
    client = app.test_client()
    client.set_cookie(cookies.cookie_name(key, app), value)
    with client:
        response = client.get("/")
        assert response.status_code == 200
        logged_in = current_user.is_authenticated
    # A member's page has the navbar's Log out form.
    assert bool(forms(response, "/logout")) is logged_in
    return logged_in


@pytest.mark.parametrize("key", ["session", "remember"])
def test_old_key_among_fallbacks_keeps_the_login(
    app, cookies_under_key_a, rotated, key
):
    key_a = app.config["SECRET_KEY"]
    new_site = rotated(SECRET_KEY_FALLBACKS=[key_a])
    assert visit(new_site, key, cookies_under_key_a[key])


@pytest.mark.parametrize("key", ["session", "remember"])
def test_without_the_fallback_the_old_cookie_is_ignored(
    cookies_under_key_a, rotated, key
):
    new_site = rotated()
    assert not visit(new_site, key, cookies_under_key_a[key])
    # Some other key among the fallbacks does not help either.
    other = rotated(SECRET_KEY_FALLBACKS=["c" * 64])
    assert not visit(other, key, cookies_under_key_a[key])


def test_the_site_on_key_a_itself_still_works(app, cookies_under_key_a):
    """The control: the cookies are good, so a failure above is the rotation's."""
    for key, value in cookies_under_key_a.items():
        assert visit(app, key, value)


def test_new_logins_are_signed_with_the_new_key(app, rotated):
    key_a = app.config["SECRET_KEY"]
    new_site = rotated(SECRET_KEY_FALLBACKS=[key_a])
    client = new_site.test_client()
    data = {"username": "member", "password": "correct horse battery", "remember": "y"}
    assert client.post("/login", data=data).status_code == 303
    only_b = rotated()
    for key in ("session", "remember"):
        value = client.get_cookie(cookies.cookie_name(key, new_site)).value
        assert visit(only_b, key, value), key
