"""The theme cookie: rendering, the navbar toggle, the preferences page, members."""

import re

import pytest

from cookiesite.extensions import db
from cookiesite.models import User

from cookies_helpers import set_cookies
from html_helpers import buttons
from html_helpers import forms
from html_helpers import one
from html_helpers import page
from html_helpers import text

THEME_AGE = 400 * 86400


def rendered_theme(response) -> str:
    """The colour mode the page is drawn in (the root element's theme)."""
    return page(response).html["data-bs-theme"]


def scripts(response) -> list[str]:
    """The address of every script of the page; an inline one has ``""``."""
    return [script.get("src", "") for script in page(response).find_all("script")]


def theme_toggle(response):
    """The navbar's colour switch: its form."""
    (form,) = forms(response, "/preferences/theme")
    return form


def account_theme(app, name="member"):
    with app.app_context():
        return db.session.scalar(db.select(User.theme).filter_by(username=name))


def set_account_theme(app, value, name="member"):
    with app.app_context():
        User.by_username(name).theme = value
        db.session.commit()


@pytest.mark.parametrize("value", ["light", "dark"])
def test_server_renders_the_theme_cookie(client, value):
    client.set_cookie("theme", value)
    response = client.get("/")
    assert rendered_theme(response) == value
    # Light and dark need no script.
    assert not [src for src in scripts(response) if "theme.js" in src]


def test_no_cookie_renders_light(client):
    assert rendered_theme(client.get("/")) == "light"


@pytest.mark.parametrize(
    "raw",
    [
        'theme="><script>alert(1)</script>',
        "theme=<script>alert(1)</script>",
        "theme=blue",
    ],
)
def test_hostile_theme_value_is_ignored_never_echoed(client, raw):
    response = client.get("/", headers={"Cookie": raw})
    assert response.status_code == 200
    assert rendered_theme(response) == "light"
    assert "<script>alert(1)" not in response.data.decode()


def test_auto_asks_for_the_client_hint_and_renders_it(client):
    client.set_cookie("theme", "auto")
    response = client.get("/", headers={"Sec-CH-Prefers-Color-Scheme": "dark"})
    assert rendered_theme(response) == "dark"
    assert response.headers["Accept-CH"] == "Sec-CH-Prefers-Color-Scheme"
    assert response.headers["Critical-CH"] == "Sec-CH-Prefers-Color-Scheme"
    assert "Sec-CH-Prefers-Color-Scheme" in response.headers["Vary"]
    assert not [src for src in scripts(response) if "theme.js" in src]


def test_auto_without_hint_falls_back_to_the_static_script(client):
    client.set_cookie("theme", "auto")
    sources = scripts(client.get("/"))
    (theme_js,) = [src for src in sources if "theme.js" in src]
    assert re.fullmatch(r"/static/js/theme\.js\?v=[0-9a-f]{12}", theme_js)
    assert "" not in sources  # no inline script
    assert client.get("/static/js/theme.js").status_code == 200


def test_no_hint_requested_for_light_or_dark(client):
    client.set_cookie("theme", "dark")
    assert "Accept-CH" not in client.get("/").headers


@pytest.mark.parametrize(
    ("cookie", "shown", "expected"),
    [
        (None, None, "dark"),
        ("dark", None, "light"),
        ("light", None, "dark"),
        ("auto", "dark", "light"),
    ],
)
def test_toggle_flips_what_is_shown_and_returns(client, cookie, shown, expected):
    if cookie:
        client.set_cookie("theme", cookie)
    data = {"next": "/cookies?x=1"}
    if shown:
        data["shown"] = shown
    response = client.post("/preferences/theme", data=data)
    assert response.status_code == 303
    assert response.headers["Location"] == "/cookies?x=1"
    theme = set_cookies(response)["theme"]
    assert theme.value == expected
    assert theme.max_age == THEME_AGE
    assert theme.attrs["path"] == "/" and theme.attrs["httponly"] is True
    assert theme.attrs["samesite"] == "Lax" and "secure" not in theme.attrs
    assert rendered_theme(client.get("/")) == expected


@pytest.mark.parametrize(
    "target", ["//evil.example", "https://evil.example", "javascript:x"]
)
def test_toggle_returns_only_to_same_site_pages(client, target):
    response = client.post("/preferences/theme", data={"next": target})
    assert response.headers["Location"] == "/"


def test_navbar_toggle_names_the_switch_and_carries_the_page(client):
    toggle = theme_toggle(client.get("/cookies"))
    assert one(toggle, "button")["aria-label"] == "Switch to dark mode"
    assert one(toggle, "input[name=next]")["value"] == "/cookies"
    client.set_cookie("theme", "dark")
    toggle = theme_toggle(client.get("/"))
    assert one(toggle, "button")["aria-label"] == "Switch to light mode"


@pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True}])
def test_toggle_without_csrf_token_is_refused(client):
    response = client.post("/preferences/theme", data={"next": "/"})
    assert response.status_code == 400
    assert "theme" not in set_cookies(response)


def test_preferences_page_saves_and_resets(client):
    response = client.get("/preferences")
    (save,) = forms(response, "/preferences")
    options = {
        text(one(save, f"label[for={option['id']}]")): option["value"]
        for option in save.select("input[name=theme]")
    }
    assert options == {"Light": "light", "Dark": "dark", "Auto": "auto"}
    assert buttons(save) == ["Save preferences"]
    assert buttons(forms(response, "/preferences/reset")[0]) == ["Reset preferences"]
    response = client.post("/preferences", data={"theme": "auto"})
    assert response.headers["Location"] == "/preferences"
    assert set_cookies(response)["theme"].value == "auto"
    checked = page(client.get("/preferences")).select("input[name=theme][checked]")
    assert [option["value"] for option in checked] == ["auto"]

    deletion = set_cookies(client.post("/preferences/reset"))["theme"]
    assert deletion.is_deletion
    assert deletion.attrs["path"] == "/" and deletion.attrs["samesite"] == "Lax"
    assert client.get_cookie("theme") is None


@pytest.mark.parametrize("value", ["", "purple", "x" * 5000])
def test_preferences_page_refuses_unknown_theme(client, value):
    response = client.post("/preferences", data={"theme": value})
    assert response.status_code == 422
    assert "theme" not in set_cookies(response)


def test_member_change_updates_cookie_and_account(app, client, auth):
    auth.login()
    client.post("/preferences", data={"theme": "dark"})
    assert account_theme(app) == "dark"
    client.post("/preferences/theme", data={"next": "/"})
    assert account_theme(app) == "light"
    assert client.get_cookie("theme").value == "light"
    client.post("/preferences/reset")
    assert account_theme(app) is None


def test_login_on_another_browser_sets_the_account_theme(app, auth):
    set_account_theme(app, "dark")
    response = auth.login()
    theme = set_cookies(response)["theme"]
    assert theme.value == "dark" and theme.max_age == THEME_AGE


def test_account_theme_wins_over_the_browser_at_login(app, client, auth):
    set_account_theme(app, "auto")
    client.set_cookie("theme", "light")
    assert set_cookies(auth.login())["theme"].value == "auto"
    assert account_theme(app) == "auto"


def test_member_without_theme_adopts_the_browser_at_login(app, client, auth):
    client.set_cookie("theme", "dark")
    response = auth.login()
    assert "theme" not in set_cookies(response)  # the browser already has it
    assert account_theme(app) == "dark"


def test_member_without_theme_and_browser_without_cookie_stays_unset(app, auth):
    assert "theme" not in set_cookies(auth.login())
    assert account_theme(app) is None
