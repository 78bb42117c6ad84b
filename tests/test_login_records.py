"""Login records: every login is a row on the server, and its cookies carry
only the row's token. Ended or expired, the token logs nobody in."""

import hashlib
from datetime import timedelta

import pytest
import sqlalchemy as sa

from cookiesite import models
from cookiesite.account import records
from cookiesite.account.devices import describe
from cookiesite.auth.remember import ENDED_MESSAGES
from cookiesite.extensions import db
from cookiesite.models import Ended
from cookiesite.models import LoginRecord
from cookiesite.models import User

from cookies_helpers import set_cookies
from html_helpers import alerts
from html_helpers import forms
from support import AuthActions
from support import Clock
from support import logged_in_as
from support import login_records
from support import PASSWORD
from support import token_of

FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


def replay(app, **copied):
    """A new browser holding only the cookies copied from another one."""
    thief = app.test_client()
    for name, value in copied.items():
        thief.set_cookie(name, value)
    return thief


def assert_forgotten(response):
    """The response deletes the remember cookie with its flags; the session
    it leaves (if any) holds no login."""
    deletion = set_cookies(response)["remember"]
    assert deletion.is_deletion
    assert deletion.attrs["path"] == "/"
    assert deletion.attrs["httponly"] is True
    assert deletion.attrs["samesite"] == "Lax"
    assert forms(response, "/logout") == []  # no navbar Log out


def test_login_creates_a_record_the_cookies_point_at(app, client, auth, clock):
    response = auth.login(remember=True, headers={"User-Agent": FIREFOX})
    (record,) = login_records(app)
    assert record.device == "Firefox on Linux"
    assert record.ip == "127.0.0.1"
    assert record.created_at == record.last_seen_at == clock.now
    assert record.remembered_until == clock.now + timedelta(days=30)
    assert record.ended_at is None
    # The cookie carries the token, never the user's id; the table only the
    # token's SHA-256.
    token = token_of(set_cookies(response)["remember"].value)
    assert len(token) == 43
    assert record.token_hash == hashlib.sha256(token.encode()).hexdigest()


def test_the_table_holds_no_token_a_browser_holds(app, client, auth):
    """A copy of the login records logs nobody in: no column of any record
    equals, or contains, a token the browser holds in its cookies."""
    auth.login(remember=True)
    AuthActions(app.test_client()).login()
    held = [client.get_cookie(name).value for name in ("session", "remember")]
    held.append(token_of(client.get_cookie("remember").value))
    with app.app_context():
        rows = db.session.execute(sa.select(LoginRecord.__table__)).all()
    assert len(rows) == 2
    for row in rows:
        for column in row:
            for secret in held:
                assert secret not in str(column)


def test_each_login_is_its_own_record_and_a_failed_one_none(app, auth):
    auth.login()
    AuthActions(app.test_client()).login(password="wrong password")
    AuthActions(app.test_client()).login()
    first, second = login_records(app)
    assert first.token_hash != second.token_hash
    assert first.remembered_until is None and second.remembered_until is None


def test_signup_creates_a_record(app, client):
    client.post(
        "/signup",
        data={"username": "newbie", "password": PASSWORD, "confirm": PASSWORD},
    )
    (record,) = login_records(app, "newbie")
    assert record.ended_at is None and record.remembered_until is None
    assert logged_in_as(client) == "newbie"


@pytest.mark.parametrize("copied", ["session", "remember", "both"])
def test_cookies_copied_before_logout_are_worthless_after_it(app, client, auth, copied):
    auth.login(remember=True)
    names = ("session", "remember") if copied == "both" else (copied,)
    cookies = {name: client.get_cookie(name).value for name in names}
    # The copies work while the login lasts...
    assert logged_in_as(replay(app, **cookies)) is not None
    auth.logout()
    (record,) = login_records(app)
    assert record.ended_at is not None
    # ...and not after it.
    thief = replay(app, **cookies)
    assert logged_in_as(thief) is None
    response = thief.get("/")
    assert forms(response, "/logout") == []  # no navbar Log out


def test_an_ended_login_is_forgotten_at_the_next_request(app, client, auth):
    """The device is told once, its remember cookie is deleted, and the
    session it keeps (for the message) no longer names the login."""
    auth.login(remember=True, follow_redirects=True)
    with app.app_context():
        records.end(db.session.scalar(sa.select(LoginRecord)), Ended.REVOKED)
    response = client.get("/")
    assert alerts(response) == [ENDED_MESSAGES[Ended.REVOKED]]
    assert_forgotten(response)
    assert client.get_cookie("remember") is None
    assert alerts(client.get("/")) == []
    assert logged_in_as(client) is None


def test_a_cookie_of_no_login_is_deleted_without_a_message(app, client):
    client.set_cookie("remember", "no-such-token." + "A" * 43)
    response = client.get("/")
    assert_forgotten(response)
    assert alerts(response) == []


def test_remembered_login_ends_on_the_server_after_its_duration(
    app, client, auth, clock
):
    """A replayed remember cookie outlives its Max-Age in a thief's jar; the
    server ends the login anyway."""
    auth.login(remember=True)
    token = client.get_cookie("remember").value
    clock.advance(days=30, seconds=-1)
    assert logged_in_as(replay(app, remember=token)) is not None
    clock.advance(seconds=1)
    thief = replay(app, remember=token)
    response = thief.get("/")
    assert_forgotten(response)
    assert alerts(response) == [ENDED_MESSAGES[Ended.EXPIRED]]
    (record,) = login_records(app)
    assert record.ended_at == clock.now
    assert record.ended_reason == Ended.EXPIRED
    # The member's own session cookie dies with it.
    assert logged_in_as(client) is None


@pytest.mark.parametrize("app_config", [{"REMEMBER_DURATION": 3600}])
def test_remembered_login_follows_the_configured_duration(app, auth, clock):
    auth.login(remember=True)
    (record,) = login_records(app)
    assert record.remembered_until == clock.now + timedelta(hours=1)


def test_remembered_login_has_no_idle_timeout(app, client, auth, clock):
    auth.login(remember=True)
    clock.advance(days=3)
    assert logged_in_as(client) is not None


def test_idle_timeout_ends_a_login_without_remember_me(app, client, auth, clock):
    auth.login(follow_redirects=True)
    clock.advance(minutes=29)
    assert logged_in_as(client) is not None  # last seen now
    clock.advance(minutes=30)
    assert logged_in_as(client) is not None  # exactly 30 minutes idle
    clock.advance(minutes=30, seconds=1)
    response = client.get("/")
    assert alerts(response) == [ENDED_MESSAGES[Ended.EXPIRED]]
    assert logged_in_as(client) is None
    (record,) = login_records(app)
    assert record.ended_at == clock.now
    assert record.ended_reason == Ended.EXPIRED


def test_absolute_lifetime_ends_even_an_active_login(app, client, auth, clock):
    auth.login()
    for _ in range(35):  # a page every 20 minutes for 11 h 40 min
        clock.advance(minutes=20)
        assert logged_in_as(client) is not None
    clock.advance(minutes=20)  # 12 hours after logging in
    assert logged_in_as(client) is None
    (record,) = login_records(app)
    assert record.ended_at == record.created_at + timedelta(hours=12)


@pytest.mark.parametrize(
    "app_config",
    # Seconds, as FLASK_LOGIN_IDLE_TIMEOUT=300 in the environment gives them.
    [{"LOGIN_IDLE_TIMEOUT": 300, "LOGIN_MAX_AGE": timedelta(minutes=20)}],
)
def test_idle_timeout_and_lifetime_are_settings(app, client, auth, clock):
    auth.login()
    clock.advance(minutes=5)
    assert logged_in_as(client) is not None
    clock.advance(minutes=5, seconds=1)
    assert logged_in_as(client) is None
    auth.login()
    for _ in range(3):
        clock.advance(minutes=4)
        assert logged_in_as(client) is not None
    clock.advance(minutes=8)
    assert logged_in_as(client) is None


def test_last_seen_is_written_at_most_once_a_minute(app, client, auth, clock):
    auth.login()
    start = clock.now
    writes = []

    def count(conn, cursor, statement, *args):
        if statement.startswith("UPDATE login_records"):
            writes.append(statement)

    with app.app_context():
        sa.event.listen(db.engine, "before_cursor_execute", count)
    for seconds in (10, 30, 59):
        clock.now = start + timedelta(seconds=seconds)
        assert logged_in_as(client) is not None
    assert login_records(app)[0].last_seen_at == start
    assert writes == []
    clock.now = start + timedelta(seconds=60)
    logged_in_as(client)
    logged_in_as(client)
    assert login_records(app)[0].last_seen_at == clock.now
    assert len(writes) == 1


def test_active_list_agrees_with_the_loader(app, client, auth, clock):
    """The lists (SQL) and the loader (Python) apply the same expiry rules."""
    auth.login()
    app.test_client().post(
        "/login",
        data={
            "username": "member",
            "password": "correct horse battery",
            "remember": "y",
        },
    )
    start = clock.now
    for offset in (
        timedelta(minutes=30),
        timedelta(minutes=30, seconds=1),
        timedelta(hours=12),
        timedelta(days=30),
        timedelta(days=30, seconds=1),
    ):
        clock.now = start + offset
        with app.test_request_context():
            everyone = db.session.scalars(sa.select(LoginRecord)).all()
            expected = [r.id for r in everyone if not records.is_expired(r, clock.now)]
            assert sorted(r.id for r in records.active()) == sorted(expected)


def test_a_token_too_long_is_not_looked_up(app):
    with app.test_request_context():
        assert records.load_user("x" * 65) is None


def test_get_id_needs_a_login_record(app):
    with app.app_context():
        user = models.User.by_username("member")
        with pytest.raises(RuntimeError):
            user.get_id()


def test_the_database_refuses_a_reason_of_no_kind(app, auth):
    auth.login()
    with app.app_context():
        record = db.session.scalar(sa.select(LoginRecord))
        record.ended_at, record.ended_reason = models.utcnow(), "bored"
        with pytest.raises(sa.exc.IntegrityError):
            db.session.commit()


def test_ending_all_logins_calls_the_expired_ones_expired(app, clock):
    """``end_all`` closes the records that merely expired too, with the
    reason that is true of them, and keeps a record that ended already."""
    AuthActions(app.test_client()).login()  # will have expired
    clock.advance(hours=1)
    ended_before = app.test_client()
    AuthActions(ended_before).login()
    AuthActions(ended_before).logout()
    AuthActions(app.test_client()).login(remember=True)  # active
    with app.test_request_context():
        user = User.by_username("member")
        assert records.end_all(user, reason=Ended.LOGGED_OUT_ELSEWHERE) == 1
    reasons = [record.ended_reason for record in login_records(app)]
    assert reasons == [Ended.EXPIRED, Ended.LOGGED_OUT, Ended.LOGGED_OUT_ELSEWHERE]


@pytest.mark.parametrize(
    ("user_agent", "device"),
    [
        (FIREFOX, "Firefox on Linux"),
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like"
            " Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0",
            "Edge on Windows",
        ),
        (
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15"
            " (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
            "Safari on macOS",
        ),
        (
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1"
            ".15 (KHTML, like Gecko) CriOS/126.0.6478.54 Mobile/15E148 Safari/604.1",
            "Chrome on iPhone",
        ),
        (
            "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like"
            " Gecko) Chrome/126.0.0.0 Mobile Safari/537.36",
            "Chrome on Android",
        ),
        (
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko)"
            " HeadlessChrome/140.0.0.0 Safari/537.36",
            "Headless Chrome on Linux",
        ),
        ("curl/8.5.0", "curl"),
        ("", "Unknown device"),
        (None, "Unknown device"),
        ("\u00e9" * 500, "Unknown device"),
    ],
)
def test_device_description(user_agent, device):
    assert describe(user_agent) == device
