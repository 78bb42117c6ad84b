"""The cookie inspector at the foot of every page tells the truth."""

import re

from cookiesite import words


def panel(response) -> str:
    page = response.data.decode()
    found = re.search(r"<details class=\"cookie-inspector.*?</details>", page, re.S)
    assert found, "no inspector on the page"
    return found[0]


def test_inspector_is_a_collapsed_details_panel(client):
    text = panel(client.get("/cookies"))
    assert text.startswith('<details class="cookie-inspector')
    assert " open" not in text.split(">")[0]
    assert "<!-- cookie-inspector -->" not in client.get("/cookies").data.decode()


def test_inspector_lists_what_the_browser_sent(client):
    client.set_cookie("theme", "dark")
    client.set_cookie("stray", "1")
    text = panel(client.get("/"))
    assert "<code>theme</code> = <code>dark</code>" in text
    assert "<code>stray</code>" in text and "not in the catalogue" in text


def test_inspector_shows_the_session_cookie_flask_saves_after_rendering(client):
    """The CSRF token goes into the session while the page renders; Flask
    writes the session cookie after that. The panel still lists it."""
    text = panel(client.get("/login"))
    assert "<strong>set</strong> session cookie <code>session</code>" in text
    assert "until you close the browser" in text


def test_inspector_shows_a_remember_cookie_deleted_after_rendering(app, client):
    """A remember cookie of no login is deleted by a hook that runs after the
    page was drawn; the panel still lists the deletion."""
    client.set_cookie("remember", "no-such-token." + "A" * 43)
    text = panel(client.get("/"))
    assert re.search(
        r"<strong>delete</strong> \S+ cookie <code>remember</code>,"
        r"\s*path <code>/</code>, deleted now",
        text,
    )


def test_inspector_lists_a_delete(app, client):
    """A page whose response deletes a cookie says so, with the path."""
    from flask import render_template

    from cookiesite import cookies

    @app.route("/_test/forget-theme")
    def forget_theme():
        response = app.make_response(render_template("index.html", sent=[]))
        cookies.erase(response, "theme")
        return response

    client.set_cookie("theme", "dark")
    text = panel(client.get("/_test/forget-theme"))
    assert "<strong>delete</strong> long-lasting cookie" not in text
    assert re.search(
        r"<strong>delete</strong> \S+ cookie <code>theme</code>,"
        r"\s*path <code>/</code>, deleted now",
        text,
    )


def test_inspector_names_an_update_and_a_path_cookie(app, client):
    from flask import render_template

    from cookiesite import cookies

    @app.route("/_test/write")
    def write():
        response = app.make_response(render_template("index.html", sent=[]))
        cookies.write(response, "theme", "light")
        cookies.write(response, "visit", "ab" * 16)
        return response

    client.set_cookie("theme", "dark")
    text = panel(client.get("/_test/write"))
    assert re.search(
        r"<strong>update</strong> long-lasting cookie <code>theme</code> = "
        r"<code>light</code>,\s*path <code>/</code>, 400 days",
        text,
    )
    assert re.search(
        r"<strong>set</strong> path cookie <code>visit</code> = <code>a[b]{1}", text
    )
    assert "path <code>/reports</code>, 30 minutes" in text


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


def test_each_panel_shows_its_own_request(app, client):
    """The panel follows the cookies sent and changed, escapes what the
    browser sent, and links where the site is mounted."""
    for _ in range(2):
        visit = panel(app.test_client().get("/"))
        assert "<strong>set</strong> session cookie <code>session</code>" in visit
    client.get("/")  # the session cookie
    first = panel(client.get("/"))
    assert "Sets, updates and deletes no cookie." in first
    assert panel(client.get("/")) == first
    client.set_cookie("stray", "<b>1</b>")
    stray = panel(client.get("/"))
    assert stray != first
    assert "<code>&lt;b&gt;1&lt;/b&gt;</code>" in stray and "<b>1</b>" not in stray
    client.delete_cookie("stray")
    assert panel(client.get("/")) == first
    mounted = panel(client.get("/", base_url="http://localhost/shop"))
    assert 'href="/shop/cookies"' in mounted and 'href="/cookies"' not in mounted
