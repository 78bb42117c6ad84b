"""``/cookies``: the cookie policy, rendered from the catalogue."""

import re

import pytest
from markupsafe import escape

from cookiesite.cookies import CATALOGUE


def row(page: str, name: str) -> str:
    """The table row of one cookie."""
    return re.search(
        rf"<tr>\s*<th scope=\"row\"><code>{name}</code>.*?</tr>", page, re.S
    )[0]


def test_policy_lists_every_catalogue_cookie(client):
    page = client.get("/cookies").data.decode()
    for key, cookie in CATALOGUE.items():
        text = row(page, key)
        assert str(escape(cookie.purpose)) in text
        assert f"<code>{cookie.path}</code>" in text
        assert "HttpOnly, SameSite=Lax" in text
    for category in ("essential", "preferences", "analytics"):
        assert f'id="cat-{category}"' in page


@pytest.mark.parametrize(
    ("name", "lifetime", "kind"),
    [
        ("session", "until you close the browser", "session cookie"),
        ("remember", "30 days", "long-lasting cookie"),
        ("theme", "400 days", "long-lasting cookie"),
        ("consent", "180 days", "long-lasting cookie"),
        ("visitor", "390 days", "path cookie"),
        ("visit", "30 minutes", "path cookie"),
    ],
)
def test_lifetimes_in_words(client, name, lifetime, kind):
    text = row(client.get("/cookies").data.decode(), name)
    assert lifetime in text and kind in text


def test_policy_says_whether_this_browser_sent_each(client):
    assert "<td>Yes</td>" not in row(client.get("/cookies").data.decode(), "theme")
    client.set_cookie("theme", "dark")
    page = client.get("/cookies").data.decode()
    assert "<td>Yes</td>" in row(page, "theme")
    assert "only sent to <code>/reports</code>" in row(page, "visitor")


@pytest.mark.parametrize("app_config", [{"HTTPS": True}])
def test_policy_over_https_shows_prefixed_names_and_secure(client):
    page = client.get("/cookies", base_url="https://localhost").data.decode()
    assert "HttpOnly, SameSite=Lax, Secure" in row(page, "__Host-theme")
    assert "<code>/reports</code>" in row(page, "__Secure-visitor")


@pytest.mark.parametrize("app_config", [{"REMEMBER_DURATION": 7 * 86400}])
def test_policy_shows_the_configured_remember_lifetime(client):
    assert "7 days" in row(client.get("/cookies").data.decode(), "remember")
