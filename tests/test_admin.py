"""The admin pages: this browser's cookies (also those of /reports), everyone's
logins with Revoke, the users; and who may see them."""

from urllib.parse import parse_qs
from urllib.parse import urlsplit

import pytest
from flask import url_for
from flask_login import current_user

from cookiesite.auth.remember import ENDED_MESSAGES
from cookiesite.models import Ended

from cookies_helpers import parse
from cookies_helpers import set_cookies
from html_helpers import alerts
from html_helpers import buttons
from html_helpers import forms
from html_helpers import one
from html_helpers import page
from html_helpers import section
from html_helpers import table_dicts
from html_helpers import table_rows
from html_helpers import text
from support import AuthActions
from support import login_records
from support import make_app

VISITOR = "a" * 32
VISIT = "b" * 32


def admin_rules():
    """(method, rule) of every admin address, read from a freshly built app,
    so an address added later is covered without a change here."""
    app = make_app("sqlite://")
    found = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("admin."):
            method = "GET" if "GET" in rule.methods else "POST"
            found.append((method, rule.rule))
    return sorted(found)


ADMIN_RULES = admin_rules()


def build(app, rule: str) -> str:
    """A concrete URL for ``rule``, with 1 for every number in it."""
    with app.test_request_context():
        (found,) = [r for r in app.url_map.iter_rules() if r.rule == rule]
        return url_for(found.endpoint, **dict.fromkeys(found.arguments, 1))


def test_the_list_of_admin_addresses_is_complete():
    assert {
        ("GET", "/admin/cookies"),
        ("GET", "/admin/sessions"),
        ("GET", "/admin/users"),
        ("GET", "/reports/admin-cookies"),
        ("POST", "/reports/admin-cookies/clear"),
        ("POST", "/reports/admin-cookies/clear-all"),
        ("POST", "/admin/sessions/<int:record_id>/revoke"),
        ("POST", "/admin/users/<int:user_id>/revoke"),
    } <= set(ADMIN_RULES)


@pytest.mark.parametrize(("method", "rule"), ADMIN_RULES)
def test_admin_addresses_send_visitors_to_log_in_and_refuse_members(
    app, client, auth, method, rule
):
    url = build(app, rule)
    response = client.open(url, method=method)
    assert response.status_code == 302
    location = urlsplit(response.headers["Location"])
    assert location.path == "/login"
    assert parse_qs(location.query)["next"] == [url]

    auth.login()
    response = client.open(url, method=method)
    assert response.status_code == 403
    assert "not open to your account" in text(page(response))
    assert not set_cookies(response).get("remember")


@pytest.mark.parametrize("path", ["/admin/cookies", "/admin/sessions", "/admin/users"])
def test_admin_pages_open_for_admins(client, auth, path):
    auth.login("admin")
    response = client.get(path)
    assert response.status_code == 200
    # The admin area's tabs mark this page as the current one.
    current = page(response).select("a[aria-current=page]")
    assert [link["href"] for link in current] == [path]


@pytest.fixture
def jar(client, auth):
    """An admin's browser holding cookies of ``/`` and of ``/reports``."""
    client.set_cookie("theme", "dark")
    client.set_cookie("visitor", VISITOR, path="/reports")
    client.set_cookie("visit", VISIT, path="/reports")
    client.set_cookie("flavour", "oatmeal")
    auth.login("admin", remember=True)
    # As in a browser, the page and its frame came before any Clear: the
    # session holds the token of their forms.
    client.get("/admin/cookies")
    client.get("/reports/admin-cookies")
    return client


def carried(why) -> list[str]:
    """The cookie names the page says its own request carried."""
    words = why.find(string=lambda s: "its own request carried" in " ".join(s.split()))
    assert words is not None, "the page does not say what its request carried"
    return [text(code) for code in words.find_next_siblings("code")]


def test_cookie_page_says_why_it_frames_a_list_under_reports(jar):
    doc = page(jar.get("/admin/cookies"))
    assert one(doc, "iframe")["src"] == "/reports/admin-cookies"
    why = section(doc, "Why the list is served from /reports")
    assert "never reach this page" in text(why)
    # This page's own request carried the cookies of / only.
    assert sorted(carried(why)) == ["flavour", "remember", "session", "theme"]


def test_the_list_under_reports_shows_every_cookie_matched_to_the_catalogue(jar):
    response = jar.get("/reports/admin-cookies")
    # Allowed in a frame of this site only.
    assert response.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in response.headers["Content-Security-Policy"]
    rows = {row["Cookie"]: row for row in table_dicts(page(response))}
    names = {"session", "remember", "theme", "visitor", "visit", "flavour"}
    assert set(rows) == names
    assert rows["visitor"]["Value"] == VISITOR and rows["visit"]["Value"] == VISIT
    says = {name: row["What the catalogue says"] for name, row in rows.items()}
    assert [name for name, said in says.items() if "Unknown" in said] == ["flavour"]
    assert "An anonymous, random id" in says["visitor"]
    # Login tokens are masked.
    for name in ("session", "remember"):
        value = jar.get_cookie(name).value
        assert value not in response.data.decode()
        assert rows[name]["Value"].startswith(value[:8])
    # A Clear button for each, whose answer replaces the framing page.
    clears = forms(response, "/reports/admin-cookies/clear")
    assert {one(form, "input[name=name]")["value"] for form in clears} == names
    assert len(clears) == 6
    for form in clears:
        assert buttons(form) == ["Clear"] and form["target"] == "_top"


def test_the_list_names_the_reports_cookies_the_browser_does_not_hold(client, auth):
    auth.login("admin")
    response = client.get("/reports/admin-cookies")
    rows = {row["Cookie"]: row for row in table_dicts(page(response))}
    assert set(rows) == {"session", "visitor", "visit"}
    for name in ("visitor", "visit"):
        assert rows[name]["Value"] == "not held"
        assert rows[name]["Path"] == "/reports"
    assert "An anonymous, random id" in rows["visitor"]["What the catalogue says"]
    assert rows["visit"]["Lifetime"] == "30 minutes"
    # Only what the browser holds can be cleared.
    clears = forms(response, "/reports/admin-cookies/clear")
    assert [one(form, "input[name=name]")["value"] for form in clears] == ["session"]
    assert "1 in all" in text(page(response))


def room_and_rows(browser) -> tuple[int, int]:
    """The rows of room /admin/cookies gives its frame, and the rows of the
    list in the frame."""
    frame = one(browser.get("/admin/cookies"), ".cookie-frame")
    assert one(frame, "iframe")["src"] == "/reports/admin-cookies"
    listed = table_rows(page(browser.get("/reports/admin-cookies")))
    return len(frame.select(".cookie-frame-row")), len(listed)


def test_the_frame_has_room_for_each_row_of_the_list(client, auth):
    """A frame does not grow with its document: /admin/cookies counts the
    rows of the list from the cookies it receives itself."""
    auth.login("admin")
    assert room_and_rows(client) == (3, 3)


def test_the_frame_has_room_for_the_cookies_only_reports_receives(jar):
    assert room_and_rows(jar) == (6, 6)


@pytest.mark.parametrize(
    ("name", "paths"),
    # A cookie the catalogue does not know is deleted at each path it uses.
    [
        ("theme", ["/"]),
        ("visitor", ["/reports"]),
        ("flavour", ["/", "/login", "/reports"]),
    ],
)
def test_clear_one_cookie_with_its_own_path(jar, name, paths):
    response = jar.post("/reports/admin-cookies/clear", data={"name": name})
    assert response.status_code == 200
    headers = [parse(h) for h in response.headers.getlist("Set-Cookie")]
    assert [(h.name, h.attrs["path"]) for h in headers] == [(name, p) for p in paths]
    for header in headers:
        assert header.is_deletion
        assert header.attrs["httponly"] is True and header.attrs["samesite"] == "Lax"
    words = text(page(response))
    assert "This response deleted 1 cookie," in words
    assert f"{name} at {' and '.join(paths)}" in words
    # The rest of the jar, and the login, are untouched.
    assert jar.get_cookie(name, path=paths[0]) is None
    assert jar.get_cookie("visit", path="/reports").value == VISIT
    with jar:
        jar.get("/")
        assert current_user.is_authenticated


def test_clearing_a_cookie_the_browser_does_not_hold_is_a_404(jar):
    response = jar.post("/reports/admin-cookies/clear", data={"name": "ghost"})
    assert response.status_code == 404
    assert "no cookie named ghost" in text(page(response))
    assert response.headers.getlist("Set-Cookie") == []


def test_clearing_the_session_cookie_leaves_remember_me_to_log_back_in(app, jar):
    response = jar.post("/reports/admin-cookies/clear", data={"name": "session"})
    (deletion,) = [parse(h) for h in response.headers.getlist("Set-Cookie")]
    assert deletion.name == "session" and deletion.is_deletion
    assert "logs you back in" in text(page(response))
    assert login_records(app, "admin")[0].ended_at is None
    with jar:
        jar.get("/")
        assert current_user.is_authenticated


def test_clearing_the_only_login_cookie_ends_the_login(app, client, auth):
    auth.login("admin")
    session_cookie = client.get_cookie("session").value
    response = client.post("/reports/admin-cookies/clear", data={"name": "session"})
    assert "this browser is logged out" in text(page(response))
    assert login_records(app, "admin")[0].ended_at is not None
    thief = app.test_client()
    thief.set_cookie("session", session_cookie)
    with thief:
        thief.get("/")
        assert not current_user.is_authenticated


def test_clear_all_deletes_every_cookie_and_ends_the_login(app, jar):
    copied = {n: jar.get_cookie(n).value for n in ("session", "remember")}
    response = jar.post("/reports/admin-cookies/clear-all")
    assert response.status_code == 200
    headers = [parse(h) for h in response.headers.getlist("Set-Cookie")]
    assert sorted((h.name, h.attrs["path"]) for h in headers) == [
        ("flavour", "/"),
        ("flavour", "/login"),
        ("flavour", "/reports"),
        ("remember", "/"),
        ("session", "/"),
        ("theme", "/"),
        ("visit", "/reports"),
        ("visitor", "/reports"),
    ]
    for header in headers:
        assert header.is_deletion
        assert header.attrs["httponly"] is True and header.attrs["samesite"] == "Lax"
        assert "secure" not in header.attrs  # plain HTTP here
    words = text(page(response))
    assert "This response deleted 6 cookies," in words
    assert "this browser is logged out" in words
    # The browser holds nothing of the site any more...
    for name, path in [(h.name, h.attrs["path"]) for h in headers]:
        assert jar.get_cookie(name, path=path) is None
    # ...and copies of its login cookies log nobody in.
    assert login_records(app, "admin")[0].ended_at is not None
    thief = app.test_client()
    for name, value in copied.items():
        thief.set_cookie(name, value)
    with thief:
        thief.get("/")
        assert not current_user.is_authenticated


@pytest.mark.parametrize("app_config", [{"HTTPS": True}])
def test_clear_all_under_https_uses_the_prefixed_names_and_secure(app):
    client = app.test_client()
    https = {"base_url": "https://localhost"}
    client.set_cookie("__Secure-visitor", VISITOR, path="/reports", secure=True)
    client.post(
        "/login",
        data={
            "username": "admin",
            "password": "correct horse battery",
            "remember": "y",
        },
        **https,
    )
    response = client.post("/reports/admin-cookies/clear-all", **https)
    headers = {parse(h).name: parse(h) for h in response.headers.getlist("Set-Cookie")}
    assert set(headers) == {
        "__Host-session",
        "__Host-remember",
        "__Secure-visitor",
    }
    assert all(h.attrs["secure"] is True and h.is_deletion for h in headers.values())
    assert headers["__Secure-visitor"].attrs["path"] == "/reports"


def test_sessions_lists_everyones_active_logins(app, client, auth):
    member = app.test_client()
    AuthActions(member).login(remember=True)
    AuthActions(app.test_client()).login()
    ended = app.test_client()
    AuthActions(ended).login()
    AuthActions(ended).logout()
    auth.login("admin")
    response = client.get("/admin/sessions")
    labels = buttons(response)
    assert labels.count("Revoke") == 3
    assert labels.count("Revoke all of member") == 1
    assert labels.count("Revoke all of admin") == 1
    (own,) = table_dicts(section(page(response), "admin"))
    assert own["Device"].endswith("this browser")
    records = login_records(app)
    for record in records:
        revoke = forms(response, f"/admin/sessions/{record.id}/revoke")
        assert len(revoke) == (1 if record.ended_at is None else 0)


def test_revoke_by_the_admin_makes_the_members_cookies_worthless(app, client, auth):
    member = app.test_client()
    AuthActions(member).login(remember=True)
    stolen = member.get_cookie("remember").value
    (record,) = login_records(app)
    auth.login("admin")
    response = client.post(f"/admin/sessions/{record.id}/revoke")
    assert response.headers["Location"] == "/admin/sessions"
    assert any(
        alert.startswith("Revoked the login of member on")
        for alert in alerts(client.get("/admin/sessions"))
    )
    next_page = member.get("/")
    assert ENDED_MESSAGES[Ended.REVOKED] in alerts(next_page)
    assert set_cookies(next_page)["remember"].is_deletion
    thief = app.test_client()
    thief.set_cookie("remember", stolen)
    with thief:
        thief.get("/")
        assert not current_user.is_authenticated


def test_revoke_all_of_a_member(app, client, auth):
    devices = [app.test_client() for _ in range(3)]
    for device in devices:
        AuthActions(device).login()
    auth.login("admin")
    with app.app_context():
        from cookiesite.models import User

        member_id = User.by_username("member").id
    client.post(f"/admin/users/{member_id}/revoke")
    assert "Revoked 3 logins of member." in alerts(client.get("/admin/sessions"))
    assert all(r.ended_at is not None for r in login_records(app))
    assert login_records(app, "admin")[0].ended_at is None
    for device in devices:
        with device:
            device.get("/")
            assert not current_user.is_authenticated


@pytest.mark.parametrize(
    "path", ["/admin/sessions/999/revoke", "/admin/users/999/revoke"]
)
def test_revoking_what_does_not_exist_is_a_404(client, auth, path):
    auth.login("admin")
    assert client.post(path).status_code == 404


def test_users_lists_created_last_login_devices_and_admin_flag(app, client, auth):
    for _ in range(2):
        AuthActions(app.test_client()).login()
    auth.login("admin")
    admin_row, member_row = table_dicts(page(client.get("/admin/users")))[:2]
    assert admin_row["Username"] == "admin"
    assert admin_row["Active devices"] == "1" and admin_row["Admin"] == "Yes"
    assert member_row["Username"] == "member"
    assert member_row["Active devices"] == "2" and member_row["Admin"] == "No"
    # Created and last login: both times, not "never".
    assert member_row["Created"].endswith(" UTC")
    assert member_row["Last login"].endswith(" UTC")


#: Names a browser can hold but no Set-Cookie header from here can delete:
#: letters beyond ASCII (as the UTF-8 bytes a browser sends, which a WSGI
#: server hands on as Latin-1) and a control character.
UNDELETABLE = ["caf\u00c3\u00a9", "bad\x01name"]


@pytest.fixture
def odd_browser(app, jar):
    """The admin's browser (``jar``) holding the undeletable cookies too.

    The test client sends its own cookie jar; this one sends the header as
    given, so it can carry names the client would not.
    """
    held = [
        f"{name}={jar.get_cookie(name, path=path).value}"
        for name, path in [
            ("session", "/"),
            ("remember", "/"),
            ("theme", "/"),
            ("flavour", "/"),
            ("visitor", "/reports"),
            ("visit", "/reports"),
        ]
    ]
    header = "; ".join(held + [f"{name}=1" for name in UNDELETABLE])
    client = app.test_client(use_cookies=False)

    def send(method, path, **kwargs):
        return client.open(
            path, method=method, environ_overrides={"HTTP_COOKIE": header}, **kwargs
        )

    return send


def assert_sendable(response):
    """Every header is one a real server can send: printable ASCII only."""
    for name, value in response.headers.items():
        assert all(" " <= ch <= "~" for ch in value), (name, value)


@pytest.mark.parametrize("name", UNDELETABLE)
def test_clearing_a_name_no_header_can_carry_says_so_and_changes_nothing(
    app, odd_browser, name
):
    """Before, the login ended first and then the response could not be
    sent (a control character), or a deletion of another name was reported
    as done (letters beyond ASCII)."""
    listed = odd_browser("GET", "/reports/admin-cookies")
    row = [r for r in page(listed).find_all("tr") if name in text(r)]
    assert len(row) == 1 and "delete it in your browser" in text(row[0])
    assert row[0].find("button") is None
    response = odd_browser("POST", "/reports/admin-cookies/clear", data={"name": name})
    assert response.status_code == 422
    assert response.headers.getlist("Set-Cookie") == []
    assert_sendable(response)
    assert "this site cannot delete it" in text(page(response))
    assert login_records(app, "admin")[0].ended_at is None


def test_clear_all_clears_what_it_can_and_lists_the_rest(app, odd_browser):
    response = odd_browser("POST", "/reports/admin-cookies/clear-all")
    assert response.status_code == 200
    assert_sendable(response)
    deleted = {parse(h).name for h in response.headers.getlist("Set-Cookie")}
    assert deleted == {"session", "remember", "theme", "flavour", "visitor", "visit"}
    kept = page(response).find("section", attrs={"aria-labelledby": "kept-heading"})
    assert "this site cannot delete them" in text(kept)
    assert sorted(text(li) for li in kept.find_all("li")) == sorted(UNDELETABLE)
