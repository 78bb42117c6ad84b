"""The theme cookie: rendering, the navbar switch, the preferences page, members."""

import re

import pytest
from bs4 import BeautifulSoup

from cookiesite import cookies
from cookiesite.extensions import db
from cookiesite.models import User

from cookies_helpers import assert_preference_written
from cookies_helpers import set_cookies
from html_helpers import buttons
from html_helpers import forms
from html_helpers import one
from html_helpers import page
from html_helpers import text

THEME_AGE = 400 * 86400

HINT = {"Sec-CH-Prefers-Color-Scheme": "dark"}

#: The icon sprite: the Bootstrap Icons this site uses, served from static/.
SPRITE = "/static/icons.svg"


def rendered_theme(response) -> str:
    """The colour mode the page is drawn in (the root element's theme)."""
    return page(response).html["data-bs-theme"]


def scripts(response) -> list[str]:
    """The address of every script of the page; an inline one has ``""``."""
    return [script.get("src", "") for script in page(response).find_all("script")]


def theme_switch(response):
    """The navbar's colour-mode switch: its form."""
    (form,) = forms(response, "/preferences/theme")
    return form


def switch_buttons(response) -> dict[str, dict]:
    """The switch's buttons by the mode each sends: visible label, accessible
    name (``aria-label``, else the label) and whether it is pressed."""
    found = {}
    for button in theme_switch(response).find_all("button"):
        label = text(button)
        found[button["value"]] = {
            "label": label,
            "name": button.get("aria-label", label),
            "pressed": button["aria-pressed"],
        }
    return found


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


def test_no_cookie_follows_the_system_setting_from_the_first_page(client):
    response = client.get("/", headers=HINT)
    assert rendered_theme(response) == "dark"
    assert page(response).html["data-theme-choice"] == "auto"
    assert response.headers["Critical-CH"] == "Sec-CH-Prefers-Color-Scheme"
    assert not [src for src in scripts(response) if "theme.js" in src]
    # A browser that sends no hint: light, and the script that corrects it.
    response = client.get("/")
    assert rendered_theme(response) == "light"
    assert [src for src in scripts(response) if "theme.js" in src]


@pytest.mark.parametrize(
    "raw",
    [
        'theme="><script>alert(1)</script>',
        "theme=<script>alert(1)</script>",
        "theme=blue",
    ],
)
def test_hostile_theme_value_is_ignored_never_echoed(client, raw):
    response = client.get("/", headers={"Cookie": raw, **HINT})
    assert response.status_code == 200
    # Treated as no cookie: the system's colour mode.
    assert page(response).html["data-theme-choice"] == "auto"
    assert rendered_theme(response) == "dark"
    assert "<script>alert(1)" not in response.data.decode()


def test_auto_asks_for_the_client_hint_and_renders_it(client):
    client.set_cookie("theme", "auto")
    response = client.get("/", headers=HINT)
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


def test_hint_asked_for_with_pages_a_get_drew_only(client):
    """Files look the same in both modes: no hint asked, no Vary on it. A
    form's answer does not ask either: Critical-CH would make Chromium send
    the form again."""
    answers = [
        client.get("/static/css/site.css"),
        client.get(SPRITE),
        client.post("/preferences", data={"theme": "blue"}),
    ]
    assert [answer.status_code for answer in answers] == [200, 200, 422]
    assert answers[2].mimetype == "text/html"
    for answer in answers:
        assert "Accept-CH" not in answer.headers
        assert "Critical-CH" not in answer.headers
        assert "Sec-CH-Prefers-Color-Scheme" not in answer.headers.get("Vary", "")


@pytest.mark.parametrize("cookie", [None, "light", "dark", "auto"])
@pytest.mark.parametrize("mode", ["light", "dark", "auto"])
def test_switch_sets_the_mode_pressed_and_returns(client, cookie, mode):
    if cookie:
        client.set_cookie("theme", cookie)
    data = {"next": "/cookies?x=1", "theme": mode}
    response = client.post("/preferences/theme", data=data)
    assert response.status_code == 303
    assert response.headers["Location"] == "/cookies?x=1"
    # The catalogue declares auto one of the cookie's values: Auto is kept
    # as a choice, like the other two, not erased.
    assert cookies.CATALOGUE["theme"].is_valid(mode)
    assert_preference_written(response, "theme", mode)
    after = client.get("/", headers=HINT)
    assert page(after).html["data-theme-choice"] == mode
    assert rendered_theme(after) == ("dark" if mode == "auto" else mode)


@pytest.mark.parametrize("app_config", [{"HTTPS": True}])
def test_switch_over_https_sets_the_prefixed_secure_cookie(client):
    response = client.post(
        "/preferences/theme",
        data={"next": "/", "theme": "auto"},
        base_url="https://localhost",
    )
    assert response.status_code == 303
    assert_preference_written(response, "__Host-theme", "auto", secure=True)


@pytest.mark.parametrize(
    "data",
    [{}, {"theme": ""}, {"theme": "blue"}, {"theme": "x" * 5000}],
    ids=["none", "empty", "unknown", "huge"],
)
def test_switch_refuses_an_unknown_mode(client, data):
    response = client.post("/preferences/theme", data={"next": "/", **data})
    assert response.status_code == 400
    assert "theme" not in set_cookies(response)


@pytest.mark.parametrize(
    "target", ["//evil.example", "https://evil.example", "javascript:x"]
)
def test_switch_returns_only_to_same_site_pages(client, target):
    response = client.post("/preferences/theme", data={"next": target, "theme": "dark"})
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize(
    ("cookie", "headers", "pressed", "named"),
    [
        # No cookie: auto, drawn light for a browser without the hint.
        (None, {}, "auto", ("dark", "Switch to dark mode")),
        (None, HINT, "auto", ("light", "Switch to light mode")),
        ("light", {}, "light", ("dark", "Switch to dark mode")),
        ("dark", {}, "dark", ("light", "Switch to light mode")),
        ("auto", HINT, "auto", ("light", "Switch to light mode")),
    ],
)
def test_navbar_switch_offers_three_modes_and_names_the_switch(
    client, cookie, headers, pressed, named
):
    if cookie:
        client.set_cookie("theme", cookie)
    found = switch_buttons(client.get("/cookies?x=1", headers=headers))
    assert {mode: b["label"] for mode, b in found.items()} == {
        "light": "Light",
        "dark": "Dark",
        "auto": "Auto",
    }
    assert [mode for mode, b in found.items() if b["pressed"] == "true"] == [pressed]
    assert all(b["pressed"] in ("true", "false") for b in found.values())
    # One button is the light/dark switch; the others go by their labels.
    mode, name = named
    assert found[mode]["name"] == name
    others = [b for other, b in found.items() if other != mode]
    assert all(b["name"] == b["label"] for b in others)


def test_navbar_switch_carries_the_page_it_is_on(client):
    form = theme_switch(client.get("/cookies?x=1"))
    assert one(form, "input[name=next]")["value"] == "/cookies?x=1"
    assert form["method"] == "post"
    assert all(button["type"] == "submit" for button in form.find_all("button"))


def test_navbar_icons_come_from_the_local_sprite_and_are_hidden(client):
    response = client.get("/")
    navbar = one(response, "nav.navbar")
    icons = navbar.find_all("svg")
    # The brand, the menu and the three modes.
    assert len(icons) == 5
    for icon in icons:
        (use,) = icon.find_all("use")
        assert use["xlink:href"].startswith(SPRITE + "?v=")
        assert icon["aria-hidden"] == "true"
    sprite = client.get(use["xlink:href"])
    assert sprite.status_code == 200 and sprite.mimetype == "image/svg+xml"
    # Every icon drawn is a symbol of the sprite.
    symbols = {s["id"] for s in BeautifulSoup(sprite.data, "html.parser")("symbol")}
    drawn = {use["xlink:href"].split("#")[1] for use in navbar.find_all("use")}
    assert drawn <= symbols
    # The page's policy lets it draw its own images and nothing else.
    policy = response.headers["Content-Security-Policy"]
    assert "img-src 'self' data:;" in policy and "default-src 'self';" in policy


@pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True}])
def test_switch_without_csrf_token_is_refused(client):
    response = client.post("/preferences/theme", data={"next": "/", "theme": "dark"})
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
    # Without a cookie the page shows the default as chosen.
    checked = save.select("input[name=theme][checked]")
    assert [option["value"] for option in checked] == ["auto"]
    assert buttons(save) == ["Save preferences"]
    assert buttons(forms(response, "/preferences/reset")[0]) == ["Reset preferences"]
    response = client.post("/preferences", data={"theme": "dark"})
    assert response.headers["Location"] == "/preferences"
    assert_preference_written(response, "theme", "dark")
    checked = page(client.get("/preferences")).select("input[name=theme][checked]")
    assert [option["value"] for option in checked] == ["dark"]

    deletion = set_cookies(client.post("/preferences/reset"))["theme"]
    assert deletion.is_deletion
    assert deletion.attrs["path"] == "/" and deletion.attrs["samesite"] == "Lax"
    assert client.get_cookie("theme") is None
    assert page(client.get("/")).html["data-theme-choice"] == "auto"


@pytest.mark.parametrize("value", ["", "purple", "x" * 5000])
def test_preferences_page_refuses_unknown_theme(client, value):
    response = client.post("/preferences", data={"theme": value})
    assert response.status_code == 422
    assert "theme" not in set_cookies(response)


def test_member_change_updates_cookie_and_account(app, client, auth):
    auth.login()
    client.post("/preferences", data={"theme": "dark"})
    assert account_theme(app) == "dark"
    for mode in ("light", "auto"):
        client.post("/preferences/theme", data={"next": "/", "theme": mode})
        assert account_theme(app) == mode
        assert client.get_cookie("theme").value == mode
    client.post("/preferences/reset")
    assert account_theme(app) is None


def test_login_on_another_browser_sets_the_account_theme(app, auth):
    set_account_theme(app, "dark")
    response = auth.login()
    theme_cookie = set_cookies(response)["theme"]
    assert theme_cookie.value == "dark" and theme_cookie.max_age == THEME_AGE


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
