"""``/cookies``: the cookie policy, rendered from the catalogue."""

from datetime import datetime

import pytest
from flask import url_for

from cookiesite.cookies import CATALOGUE
from cookiesite.cookies import POLICY_VERSION

from html_helpers import one
from html_helpers import table_dicts
from html_helpers import text
from support import Clock


def rows(response) -> dict[str, dict[str, str]]:
    """The rows of every category's table, by cookie name, each by column."""
    found = {}
    for table in one(response, "main").find_all("table"):
        for row in table_dicts(table):
            assert row["Name"] not in found, f"{row['Name']} is listed twice"
            found[row["Name"]] = row
    return found


def row(response, name: str) -> dict[str, str]:
    """The table row of one cookie, by column."""
    return rows(response)[name]


def test_policy_lists_every_catalogue_cookie(client):
    response = client.get("/cookies")
    listed = rows(response)
    assert set(listed) == set(CATALOGUE)
    for key, cookie in CATALOGUE.items():
        assert str(cookie.purpose) in listed[key]["What it is for"]
        assert listed[key]["Path"] == cookie.path
        assert "HttpOnly, SameSite=Lax" in listed[key]["Flags"]
    # Each category's heading is an anchor of its own.
    for category in ("essential", "preferences", "analytics", "lab"):
        assert text(one(response, f"#cat-{category}")) == category


@pytest.mark.parametrize(
    ("name", "lifetime", "kind"),
    [
        ("session", "until you close the browser", "session cookie"),
        ("remember", "30 days", "long-lasting cookie"),
        ("device", "365 days", "path cookie"),
        ("theme", "400 days", "long-lasting cookie"),
        ("consent", "180 days", "long-lasting cookie"),
        ("visitor", "390 days", "path cookie"),
        ("visit", "30 minutes", "path cookie"),
    ],
)
def test_lifetimes_in_words(client, name, lifetime, kind):
    cell = row(client.get("/cookies"), name)["Lifetime"]
    assert lifetime in cell and kind in cell


def test_policy_says_whether_this_browser_sent_each(client):
    assert row(client.get("/cookies"), "theme")["Sent now?"] == "No"
    client.set_cookie("theme", "dark")
    response = client.get("/cookies")
    assert row(response, "theme")["Sent now?"] == "Yes"
    assert "only sent to /reports" in row(response, "visitor")["Sent now?"]


@pytest.mark.parametrize("app_config", [{"HTTPS": True}])
def test_policy_over_https_shows_prefixed_names_and_secure(client):
    response = client.get("/cookies", base_url="https://localhost")
    assert "HttpOnly, SameSite=Lax, Secure" in row(response, "__Host-theme")["Flags"]
    assert row(response, "__Secure-visitor")["Path"] == "/reports"


@pytest.mark.parametrize("app_config", [{"REMEMBER_DURATION": 7 * 86400}])
def test_policy_shows_the_configured_remember_lifetime(client):
    assert "7 days" in row(client.get("/cookies"), "remember")["Lifetime"]


def test_cookie_settings_anchor_lands_on_the_answer_with_its_day(
    app, client, monkeypatch
):
    """The footer's "Cookie settings" link goes to ``/cookies#consent-choice``:
    the analytics choice, with the day and policy version of the answer."""
    Clock(monkeypatch, start=datetime(2026, 12, 2, 9, 30))
    with app.test_request_context():
        target = url_for("policy.index", _anchor="consent-choice")
    path, _, anchor = target.partition("#")
    client.post("/consent", data={"choice": "reject", "next": path})
    choice = one(client.get(path), f"#{anchor}")
    assert choice.name == "section"
    assert text(one(choice, "h2")) == "Analytics cookies"
    assert (
        "You rejected analytics cookies on 2 December 2026"
        f" (policy version {POLICY_VERSION})."
    ) in text(choice)
    assert one(choice, "time")["datetime"] == "2026-12-02"
