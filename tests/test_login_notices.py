"""What a browser is told about its login, once: "Welcome back" when the
remember cookie logged it in again, and the one reason its login ended
(logged out, revoked, password changed, logged out from another device,
timed out), never a list of what might have happened."""

import pytest
import sqlalchemy as sa

from cookiesite import models
from cookiesite.account import records
from cookiesite.auth.remember import ENDED_MESSAGES
from cookiesite.auth.remember import welcome_back
from cookiesite.extensions import db
from cookiesite.models import Ended
from cookiesite.models import LoginRecord
from cookiesite.models import User
from cookiesite.prefs.theme import HINT

from cookies_helpers import set_cookies
from html_helpers import alerts
from support import AuthActions
from support import Clock
from support import logged_in_as
from support import login_records
from support import PASSWORD


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


def copy_of(app, client):
    """A new browser holding copies of ``client``'s login cookies."""
    copy = app.test_client()
    for name in ("session", "remember"):
        copy.set_cookie(name, client.get_cookie(name).value)
    return copy


# -- why a login ended, said once ---------------------------------------------


def end_by_logout(app, member, clock):
    AuthActions(member).logout()


def end_by_revoke(app, member, clock):
    """The member revokes it from another device's account page."""
    other = app.test_client()
    AuthActions(other).login()
    other.post(f"/account/devices/{login_records(app)[0].id}/revoke")


def end_by_admin(app, member, clock):
    admin = app.test_client()
    AuthActions(admin).login("admin")
    admin.post(f"/admin/sessions/{login_records(app)[0].id}/revoke")


def end_by_password_change(app, member, clock):
    other = app.test_client()
    AuthActions(other).login()
    new = "a brand new passphrase"
    other.post(
        "/account/password",
        data={
            "password-current": PASSWORD,
            "password-new": new,
            "password-confirm": new,
        },
    )


def end_from_elsewhere(app, member, clock):
    other = app.test_client()
    AuthActions(other).login()
    other.post("/account/devices/log-out-others")


def end_by_time(app, member, clock):
    """Thirty days later, "Remember me" has run out."""
    clock.advance(days=30)


@pytest.mark.parametrize(
    ("event", "reason"),
    [
        (end_by_logout, Ended.LOGGED_OUT),
        (end_by_revoke, Ended.REVOKED),
        (end_by_admin, Ended.REVOKED),
        (end_by_password_change, Ended.PASSWORD_CHANGED),
        (end_from_elsewhere, Ended.LOGGED_OUT_ELSEWHERE),
        (end_by_time, Ended.EXPIRED),
    ],
)
def test_a_browser_is_told_once_the_one_reason_its_login_ended(
    app, client, auth, clock, event, reason
):
    """A copy of the member's cookies (for a logout, the member's own browser
    deletes them) comes back after the event: its page has one alert, that
    reason's, and the page after it none. (An expired login is found, and
    ended, when it comes back.)"""
    auth.login(remember=True, follow_redirects=True)
    copy = copy_of(app, client)
    event(app, client, clock)
    response = copy.get("/")
    (record, *_) = login_records(app)
    assert record.ended_reason == reason
    assert alerts(response) == [ENDED_MESSAGES[reason]]
    assert set_cookies(response)["remember"].is_deletion
    assert alerts(copy.get("/")) == []
    assert logged_in_as(copy) is None


def test_every_reason_has_a_message_of_its_own():
    messages = [ENDED_MESSAGES[reason] for reason in Ended]
    assert len(set(messages)) == len(Ended)
    assert ENDED_MESSAGES[None] not in messages


def test_a_login_ended_before_reasons_were_kept_says_only_that(app, client, auth):
    auth.login(remember=True, follow_redirects=True)
    with app.app_context():
        db.session.execute(
            sa.update(LoginRecord).values(ended_at=models.utcnow(), ended_reason=None)
        )
        db.session.commit()
    response = client.get("/account", follow_redirects=True)
    assert alerts(response) == [ENDED_MESSAGES[None]]


# -- "Welcome back": a login restored by the remember cookie ---------------------


@pytest.mark.parametrize(
    ("app_config", "kept"),
    [({}, "30 days"), ({"REMEMBER_DURATION": 7 * 24 * 3600}, "7 days")],
)
def test_a_login_restored_by_the_remember_cookie_says_so_once(app, client, auth, kept):
    """The browser was closed: its session cookie is gone, the remember cookie
    is not. The first page says who was logged in again, and how long the
    cookie lasts (from the catalogue); the next page says nothing."""
    auth.login(remember=True, follow_redirects=True)
    client.delete_cookie("session")
    response = client.get("/reports")
    with app.test_request_context():
        notice = welcome_back(User.by_username("member"))
    assert notice.startswith("Welcome back, member: ")
    assert f"lasts {kept} from the login" in notice
    assert alerts(response) == [notice]
    assert alerts(client.get("/")) == []
    assert logged_in_as(client) == "member"


def test_a_restore_on_a_page_for_members_only_says_so_there(app, client, auth):
    auth.login(remember=True, follow_redirects=True)
    client.delete_cookie("session")
    response = client.get("/account")
    assert response.status_code == 200
    (notice,) = alerts(response)  # and no "Please log in"
    assert notice.startswith("Welcome back, member: ")


#: What Chromium sends with every request (a browser that sends client hints).
CHROMIUM = {"Sec-CH-UA": '"Chromium";v="140"'}


@pytest.mark.parametrize("event", ["restored", "ended"])
def test_a_notice_outlives_a_page_chromium_throws_away(app, client, auth, event):
    """Just restarted, Chromium has not sent the colour-scheme hint yet: it
    throws the first page away (``Critical-CH``) and asks again at once with
    the hint. The notice is shown on the repeat, once."""
    auth.login(remember=True, follow_redirects=True)
    client.delete_cookie("session")
    if event == "ended":
        with app.app_context():
            records.end(db.session.scalar(sa.select(LoginRecord)), Ended.REVOKED)
    client.set_cookie("theme", "auto")
    thrown_away = client.get("/", headers=CHROMIUM)
    assert HINT in thrown_away.headers["Critical-CH"]
    (notice,) = alerts(thrown_away)
    hinted = {**CHROMIUM, HINT: "dark"}
    assert alerts(client.get("/", headers=hinted)) == [notice]
    assert alerts(client.get("/", headers=hinted)) == []


def test_a_browser_without_client_hints_sees_a_notice_once(app, client, auth):
    """Firefox sends no hints and repeats nothing: the first page is shown."""
    auth.login(remember=True, follow_redirects=True)
    client.delete_cookie("session")
    client.set_cookie("theme", "auto")
    first = client.get("/")
    assert HINT in first.headers["Critical-CH"]
    assert len(alerts(first)) == 1
    assert alerts(client.get("/")) == []


def test_no_welcome_back_while_the_session_lasts(app, client, auth):
    auth.login(remember=True, follow_redirects=True)
    for _ in range(2):
        assert alerts(client.get("/")) == []
