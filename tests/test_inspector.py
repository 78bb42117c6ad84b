"""The cookie inspector at the foot of every page tells the truth.

It shows the request's ``Cookie`` line and each ``Set-Cookie`` line of the
response, raw and explained: the operation, the lifetime and the scope as
separate facts, and every attribute in plain words. A page reached by a
redirect also shows what that redirect did.
"""

import pytest
from bs4 import Comment
from bs4 import Tag
from flask import render_template

from cookiesite import cookies
from cookiesite import inspector as inspector_module
from cookiesite import words

from html_helpers import inspector
from html_helpers import page
from html_helpers import text


def section(response, label: str) -> Tag | None:
    """The panel's part labelled ``label`` ("Your browser sent", "This
    response", "Previous response"), or ``None``."""
    return inspector(response).find("section", attrs={"aria-label": label})


def changes(part: Tag) -> dict[str, dict]:
    """Each change a part of the panel lists, by ``"<operation> <name>"``:
    its facts, its raw ``Set-Cookie`` line and its attributes explained."""
    found = {}
    for item in part.select("li.inspector-change"):
        facts = dict(
            zip(
                [text(dt) for dt in item.find_all("dt")],
                [text(dd) for dd in item.find_all("dd")],
                strict=True,
            )
        )
        found[text(item.find("p"))] = {
            **facts,
            "line": text(item.find("pre")),
            "attributes": [text(li) for li in item.find("ul").find_all("li")],
        }
    return found


def test_inspector_is_a_collapsed_details_panel(client):
    response = client.get("/cookies")
    panel = inspector(response)
    assert panel.name == "details" and "open" not in panel.attrs
    # The marker it replaced is gone.
    comments = page(response).find_all(string=lambda s: isinstance(s, Comment))
    assert not [c for c in comments if "cookie-inspector" in c]


def test_inspector_shows_the_cookie_line_raw_with_login_tokens_shortened(client):
    client.get("/")  # the session cookie
    client.set_cookie("theme", "dark")
    client.set_cookie("stray", "1")
    part = section(client.get("/"), "Your browser sent")
    session = client.get_cookie("session").value
    line = text(part.find("pre"))
    assert line.startswith("Cookie: ")
    assert f"session={session[:8]}\u2026 ({len(session)} characters)" in line
    assert session not in line
    assert "theme=dark" in line and "stray=1" in line
    listed = [text(li) for li in part.find_all("li")]
    assert "theme = dark" in listed
    assert "stray = 1 not in the catalogue" in listed


def test_a_first_visit_sent_no_cookie_line(client):
    part = section(client.get("/"), "Your browser sent")
    assert part.find("pre") is None
    assert "No Cookie header" in text(part)


def test_the_session_cookie_flask_saves_after_rendering_is_listed(client):
    """The CSRF token goes into the session while the page renders; Flask
    writes the session cookie after that. The panel still lists it."""
    change = changes(section(client.get("/login"), "This response"))["set session"]
    assert change["Operation"].startswith("set:")
    assert change["Lifetime"] == "until you close the browser"
    assert change["Scope"] == "path /"
    assert change["line"].startswith("Set-Cookie: session=")
    assert change["line"].endswith("characters); HttpOnly; Path=/; SameSite=Lax")
    assert change["attributes"] == [
        "HttpOnly: hidden from page scripts: document.cookie does not show it",
        "Path=/: sent with every address of this site",
        "SameSite=Lax: sent when you follow a link here from another site, not"
        " with other sites' forms, frames or scripts",
    ]


def test_a_remember_cookie_deleted_after_rendering_is_listed(client):
    """A remember cookie of no login is deleted by a hook that runs after the
    page was drawn; the panel still lists the deletion."""
    client.set_cookie("remember", "no-such-token." + "A" * 43)
    change = changes(section(client.get("/"), "This response"))["delete remember"]
    assert change["Lifetime"] == "deleted now"
    assert change["Scope"] == "path /"
    assert "Max-Age=0: zero: the browser deletes the cookie now" in change["attributes"]


@pytest.fixture
def writes(app):
    """A test page whose response runs ``operations`` on catalogue cookies."""
    done = []

    @app.route("/_test/cookies")
    def cookie_operations():
        response = app.make_response(render_template("index.html", sent=[]))
        for operation, key, *value in done:
            if operation == "erase":
                cookies.erase(response, key)
            else:
                cookies.write(response, key, *value)
        return response

    def run(client, *operations):
        done[:] = operations
        return client.get("/_test/cookies")

    return run


def test_a_deletion_is_called_a_deletion(client, writes):
    client.set_cookie("theme", "dark")
    part = section(writes(client, ("erase", "theme")), "This response")
    change = changes(part)["delete theme"]
    assert change["Operation"] == "delete: the browser drops it"
    assert change["Lifetime"] == "deleted now"
    assert change["Scope"] == "path /"
    assert "expiring" not in text(part)
    assert any(
        a.startswith("Expires=Thu, 01 Jan 1970") and "in the past" in a
        for a in change["attributes"]
    )


def test_update_lifetime_and_scope_are_separate_facts(client, writes):
    client.set_cookie("theme", "dark")
    part = section(
        writes(client, ("write", "theme", "light"), ("write", "visit", "ab" * 16)),
        "This response",
    )
    found = changes(part)
    theme, visit = found["update theme"], found["set visit"]
    assert theme["Operation"].startswith("update:")
    assert theme["Lifetime"] == "400 days" and theme["Scope"] == "path /"
    assert theme["line"].startswith("Set-Cookie: theme=light; Expires=")
    assert visit["Lifetime"] == "30 minutes" and visit["Scope"] == "path /reports"
    assert (
        "Max-Age=1800: the browser keeps the cookie 30 minutes from now, then"
        " drops it by itself" in visit["attributes"]
    )
    assert (
        "Path=/reports: sent only to /reports and the addresses below it"
        in visit["attributes"]
    )


def test_the_page_after_a_form_shows_the_redirect_that_led_there(client):
    client.get("/cookies")
    response = client.post(
        "/preferences/theme", data={"next": "/cookies", "theme": "dark"}
    )
    assert response.status_code == 303
    page_after = client.get("/cookies")
    block = section(page_after, "Previous response")
    heading = text(block.find("h2"))
    assert heading == "Previous response: POST /preferences/theme → 303 See Other"
    theme = changes(block)["set theme"]
    assert theme["Lifetime"] == "400 days"
    assert theme["line"].startswith("Set-Cookie: theme=dark;")
    assert "it updated session" in text(block)
    assert "by POST /preferences/theme" in text(inspector(page_after).find("summary"))
    # Shown once: the page after that has no previous response.
    assert section(client.get("/cookies"), "Previous response") is None


def test_a_login_with_remember_me_shows_its_token_shortened(client, auth):
    client.get("/login")
    auth.login(remember=True)
    block = section(client.get("/"), "Previous response")
    assert text(block.find("h2")) == "Previous response: POST /login → 303 See Other"
    remember = changes(block)["set remember"]
    value = client.get_cookie("remember").value
    assert remember["Lifetime"] == "30 days"
    assert f"remember={value[:8]}\u2026 ({len(value)} characters)" in remember["line"]
    assert value not in text(block)


def test_a_redirect_that_changes_no_cookie_is_not_noted(client, auth):
    auth.login()
    client.get("/")  # takes the login's note
    assert client.get("/signup").status_code == 302  # logged in already
    assert section(client.get("/"), "Previous response") is None


def test_redirects_in_a_row_keep_only_the_last_few(client):
    for _ in range(inspector_module.MAX_NOTES + 2):
        client.post("/consent", data={"choice": "reject", "next": "/"})
    blocks = inspector(client.get("/")).find_all(
        "section", attrs={"aria-label": "Previous response"}
    )
    assert len(blocks) == inspector_module.MAX_NOTES


def test_each_panel_shows_its_own_request(client):
    """The panel follows the cookies sent and changed, escapes what the
    browser sent, and links where the site is mounted."""
    client.get("/")  # the session cookie
    first = inspector(client.get("/"))
    assert "it sets, updates and deletes no cookie" in text(first)
    assert inspector(client.get("/")) == first
    client.set_cookie("stray", "<b>1</b>")
    response = client.get("/")
    stray = inspector(response)
    assert stray != first
    # What the browser sent is shown as text, never as markup.
    assert "stray=<b>1</b>" in text(stray.find("pre"))
    assert stray.find("b") is None
    client.delete_cookie("stray")
    assert inspector(client.get("/")) == first
    mounted = inspector(client.get("/", base_url="http://localhost/shop"))
    links = [link["href"] for link in mounted.find_all("a")]
    assert "/shop/cookies" in links and "/cookies" not in links


def test_words_for_lifetimes_and_kinds():
    from datetime import timedelta

    assert words.duration(None) == "until you close the browser"
    assert words.duration(timedelta(days=1)) == "1 day"
    assert words.duration(timedelta(minutes=30)) == "30 minutes"
    assert words.duration(timedelta(seconds=15)) == "15 seconds"
    assert words.duration(timedelta(seconds=90)) == "90 seconds"
    assert words.kind("/", None) == "session cookie"
    assert words.kind("/", timedelta(seconds=15)) == "expiring cookie"
    assert words.kind("/", timedelta(days=400)) == "long-lasting cookie"
    assert words.kind("/reports", timedelta(days=390)) == "path cookie"
