"""The account page: your devices and Revoke, change password, delete account."""

from urllib.parse import parse_qs
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
from flask_login import current_user

from cookiesite import cookies
from cookiesite.auth.remember import ENDED_MESSAGES
from cookiesite.extensions import db
from cookiesite.models import Ended
from cookiesite.models import LoginRecord
from cookiesite.models import User

from cookies_helpers import parse
from cookies_helpers import set_cookies
from html_helpers import alerts
from html_helpers import buttons
from html_helpers import csrf_token
from html_helpers import forms
from html_helpers import one
from html_helpers import page
from html_helpers import section
from html_helpers import table_dicts
from html_helpers import text
from support import AuthActions
from support import checksum
from support import login_records
from support import PASSWORD

PHONE = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like"
    " Gecko) Chrome/126.0.0.0 Mobile Safari/537.36"
)
LAPTOP = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
NEW_PASSWORD = "a brand new passphrase"


@pytest.fixture
def phone(app):
    """A second device of ``member``, logged in with Remember me (and shown
    the page after, so no message of the login is left for a test to see)."""
    client = app.test_client()
    AuthActions(client).login(
        remember=True, headers={"User-Agent": PHONE}, follow_redirects=True
    )
    return client


def is_logged_in(client) -> bool:
    with client:
        client.get("/")
        return current_user.is_authenticated


def devices(response) -> list[dict[str, str]]:
    """The rows of the account page's devices table, by column."""
    return table_dicts(section(page(response), "Your devices"))


def change_password(client, current, new, confirm=None):
    """Send the password form; the confirmation repeats ``new`` unless given."""
    data = {
        "password-current": current,
        "password-new": new,
        "password-confirm": new if confirm is None else confirm,
    }
    return client.post("/account/password", data=data)


def assert_told_once(device, reason):
    """``device``'s next page says why its login ended, in the one alert of
    the page, and the page after says nothing more."""
    assert alerts(device.get("/")) == [ENDED_MESSAGES[reason]]
    assert alerts(device.get("/")) == []
    assert not is_logged_in(device)


def test_anonymous_visitors_are_sent_to_log_in(client):
    for method, path in [
        ("get", "/account"),
        ("post", "/account/password"),
        ("post", "/account/delete"),
        ("post", "/account/devices/1/revoke"),
        ("post", "/account/devices/log-out-others"),
    ]:
        response = getattr(client, method)(path)
        assert response.status_code == 302
        location = urlsplit(response.headers["Location"])
        assert location.path == "/login"
        assert parse_qs(location.query)["next"] == [path]


def test_devices_lists_each_login_with_revoke_for_the_others(app, client, auth, phone):
    auth.login(headers={"User-Agent": LAPTOP})
    response = client.get("/account", headers={"User-Agent": LAPTOP})
    laptop, android = sorted(
        devices(response), key=lambda row: "Android" in row["Device"]
    )
    assert laptop["Device"] == "Firefox on Linux this device"
    assert laptop["Address"] == "127.0.0.1"
    assert laptop["Remembered until"] == "Not remembered"
    assert laptop["Revoke"] == "Log out to end it"
    assert android["Device"] == "Chrome on Android"
    assert android["Address"] == "127.0.0.1"
    assert android["Remembered until"].endswith(" UTC")
    assert android["Revoke"] == "Revoke"
    # The one Revoke button ends the phone's login.
    phone_record = login_records(app)[0]
    (revoke,) = forms(response, f"/account/devices/{phone_record.id}/revoke")
    assert buttons(revoke) == ["Revoke"]
    assert buttons(response).count("Revoke") == 1


def test_revoke_logs_the_other_device_out_at_its_next_page(app, client, auth, phone):
    auth.login()
    phone_record, _ = login_records(app)
    response = client.post(f"/account/devices/{phone_record.id}/revoke")
    assert response.headers["Location"] == "/account"
    assert any(
        alert.startswith("Revoked: Chrome on Android")
        for alert in alerts(client.get("/account"))
    )
    # The phone's next page: logged out, told why, its remember cookie deleted.
    next_page = phone.get("/")
    assert alerts(next_page) == [ENDED_MESSAGES[Ended.REVOKED]]
    assert set_cookies(next_page)["remember"].is_deletion
    assert not is_logged_in(phone)
    assert is_logged_in(client)
    ended, kept = login_records(app)
    assert ended.ended_at is not None and kept.ended_at is None
    assert ended.ended_reason == Ended.REVOKED and kept.ended_reason is None


@pytest.mark.parametrize("remember", [True, False])
def test_a_revoked_device_opening_the_account_page_gets_one_alert(
    app, client, auth, remember
):
    """Sent to log in, it is told why its login ended, and not also the
    usual "Please log in": that would be a second alert saying less."""
    phone = app.test_client()
    AuthActions(phone).login(remember=remember, follow_redirects=True)
    auth.login()
    phone_record, _ = login_records(app)
    client.post(f"/account/devices/{phone_record.id}/revoke")
    response = phone.get("/account", follow_redirects=True)
    assert response.request.path == "/login"
    assert alerts(response) == [ENDED_MESSAGES[Ended.REVOKED]]


def test_a_visitor_sent_to_log_in_is_told_why_once(client):
    response = client.get("/account", follow_redirects=True)
    assert response.request.path == "/login"
    assert alerts(response) == ["Please log in to see that page."]


def test_nobody_revokes_someone_elses_login(app, client, auth):
    AuthActions(app.test_client()).login("admin")
    auth.login()
    (admin_record,) = login_records(app, "admin")
    response = client.post(f"/account/devices/{admin_record.id}/revoke")
    assert response.status_code == 404
    assert client.post("/account/devices/999/revoke").status_code == 404
    assert login_records(app, "admin")[0].ended_at is None


@pytest.mark.parametrize(
    ("current", "new", "message"),
    [
        ("wrong password", NEW_PASSWORD, "That is not your current password."),
        ("", NEW_PASSWORD, "This field is required."),
        (PASSWORD, "short", "A password has 8 to 1024 characters."),
        (PASSWORD, "x" * 1025, "A password has 8 to 1024 characters."),
        (PASSWORD, "12345678", "This is a top-10 common password."),
        # The member's own name is among the first guesses.
        (PASSWORD, "member2024!", "too easy to guess"),
    ],
)
def test_change_password_refuses_bad_input(app, client, auth, current, new, message):
    auth.login()
    response = change_password(client, current, new)
    assert response.status_code == 422
    (form,) = forms(response, "/account/password")
    assert message in text(form)
    with app.app_context():
        assert User.by_username("member").check_password(PASSWORD)


def test_the_password_form_asks_for_the_new_password_twice(client, auth):
    auth.login()
    (form,) = forms(client.get("/account"), "/account/password")
    labels = [text(label) for label in form.find_all("label")]
    assert labels == ["Current password", "New password", "Confirm new password"]
    assert {field["type"] for field in form.select("input[name^=password-]")} == {
        "password"
    }


@pytest.mark.parametrize("confirm", ["a brand new passphrasE", ""])
def test_a_confirmation_that_differs_changes_nothing(app, client, auth, phone, confirm):
    auth.login()
    before = checksum(app)
    response = change_password(client, PASSWORD, NEW_PASSWORD, confirm)
    assert response.status_code == 422
    (form,) = forms(response, "/account/password")
    error = form.select_one("#password-confirm ~ .invalid-feedback")
    expected = "The two new passwords differ." if confirm else "This field is required."
    assert text(error) == expected
    assert checksum(app) == before
    assert is_logged_in(phone) and is_logged_in(client)
    with app.app_context():
        assert User.by_username("member").check_password(PASSWORD)


def test_change_password_ends_every_other_login(app, client, auth, phone):
    """The phone's cookies, copied or not, are worthless after the change."""
    stolen = phone.get_cookie("remember").value
    auth.login()
    response = change_password(client, PASSWORD, NEW_PASSWORD)
    assert response.headers["Location"] == "/account"
    response = client.get("/account")
    assert "Password changed. 1 other device logged out." in alerts(response)
    assert len(devices(response)) == 1
    assert is_logged_in(client)
    assert not is_logged_in(phone)
    thief = app.test_client()
    thief.set_cookie("remember", stolen)
    assert not is_logged_in(thief)
    ended, kept = login_records(app)
    assert ended.ended_at is not None and kept.ended_at is None
    assert ended.ended_reason == Ended.PASSWORD_CHANGED
    with app.app_context():
        user = User.by_username("member")
        assert user.check_password(NEW_PASSWORD) and not user.check_password(PASSWORD)


def test_the_device_logged_out_by_a_password_change_is_told_why(app, client, auth):
    phone = app.test_client()
    AuthActions(phone).login(follow_redirects=True)
    auth.login()
    change_password(client, PASSWORD, NEW_PASSWORD)
    assert_told_once(phone, Ended.PASSWORD_CHANGED)


# -- Log out all other devices -------------------------------------------------

LOG_OUT_OTHERS = "Log out all other devices"


def test_log_out_all_other_devices_is_offered_when_there_are_others(app, client, auth):
    auth.login()
    assert LOG_OUT_OTHERS not in buttons(client.get("/account"))
    AuthActions(app.test_client()).login()
    response = client.get("/account")
    (form,) = forms(
        section(page(response), "Your devices"), "/account/devices/log-out-others"
    )
    assert buttons(form) == [LOG_OUT_OTHERS]
    assert form["method"] == "post"


def test_log_out_all_other_devices_ends_the_others_and_keeps_this_one(
    app, client, auth, phone
):
    """The others' cookies, copied or not, are worthless; this browser and
    other members' logins stay."""
    laptop = app.test_client()
    AuthActions(laptop).login(follow_redirects=True)
    stolen = {n: phone.get_cookie(n).value for n in ("session", "remember")}
    AuthActions(app.test_client()).login("admin")
    auth.login(follow_redirects=True)
    response = client.post("/account/devices/log-out-others")
    assert response.status_code == 303
    assert response.headers["Location"] == "/account"
    page_after = client.get("/account")
    assert alerts(page_after) == [
        "Logged out 2 other devices; this one stays logged in."
    ]
    assert len(devices(page_after)) == 1
    assert LOG_OUT_OTHERS not in buttons(page_after)

    phone_record, laptop_record, this_record = login_records(app)
    for ended in (phone_record, laptop_record):
        assert ended.ended_at is not None
        assert ended.ended_reason == Ended.LOGGED_OUT_ELSEWHERE
    assert this_record.ended_at is None and this_record.ended_reason is None
    assert login_records(app, "admin")[0].ended_at is None
    assert is_logged_in(client)

    for name, value in stolen.items():
        thief = app.test_client()
        thief.set_cookie(name, value)
        assert not is_logged_in(thief)
    assert_told_once(laptop, Ended.LOGGED_OUT_ELSEWHERE)
    assert_told_once(phone, Ended.LOGGED_OUT_ELSEWHERE)


@pytest.mark.parametrize("password", ["wrong password", ""])
def test_delete_account_needs_the_password(app, client, auth, password):
    auth.login()
    response = client.post("/account/delete", data={"delete-password": password})
    assert response.status_code == 422
    with app.app_context():
        assert User.by_username("member") is not None
    assert is_logged_in(client)


def test_delete_account_removes_user_records_and_every_cookie(app, client, auth, phone):
    client.set_cookie("theme", "dark")
    client.set_cookie("consent", "1.accept")
    client.set_cookie("visitor", "a" * 32, path="/reports")
    auth.login(remember=True)
    copied = {n: client.get_cookie(n).value for n in ("session", "remember")}
    with app.app_context():
        user_id = User.by_username("member").id

    response = client.post("/account/delete", data={"delete-password": PASSWORD})
    assert response.status_code == 200
    assert text(one(page(response), "h1")) == "Your account is deleted"
    with app.app_context():
        assert db.session.get(User, user_id) is None
        left = sa.select(LoginRecord).where(LoginRecord.user_id == user_id)
        assert db.session.scalars(left).all() == []

    # Every catalogue cookie deleted once, with its own path and flags, and
    # nothing set: not even a new session holding the page's form token.
    headers = [parse(h) for h in response.headers.getlist("Set-Cookie")]
    assert sorted(h.name for h in headers) == sorted(cookies.CATALOGUE)
    for header in headers:
        declared = cookies.CATALOGUE[header.name]
        assert header.is_deletion
        assert header.attrs["path"] == declared.path
        assert header.attrs["httponly"] is True
        assert header.attrs["samesite"] == "Lax"
    for name, cookie in cookies.CATALOGUE.items():
        assert client.get_cookie(name, path=cookie.path) is None

    # Nothing logs in as the deleted member any more.
    assert not is_logged_in(phone)
    thief = app.test_client()
    for name, value in copied.items():
        thief.set_cookie(name, value)
    assert not is_logged_in(thief)


def test_a_deleted_user_leaves_no_login_record_even_deleted_in_sql(app, auth, phone):
    """The foreign key cascades in the database itself, whoever deletes."""
    auth.login()
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(LoginRecord.id))) == 2
        db.session.execute(sa.delete(User).where(User.username_key == "member"))
        db.session.commit()
        assert db.session.scalar(sa.select(sa.func.count(LoginRecord.id))) == 0


@pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True}])
@pytest.mark.parametrize(
    ("path", "data"),
    [
        (
            "/account/password",
            {
                "password-current": PASSWORD,
                "password-new": NEW_PASSWORD,
                "password-confirm": NEW_PASSWORD,
            },
        ),
        ("/account/delete", {"delete-password": PASSWORD}),
        ("/account/devices/1/revoke", {}),
        ("/account/devices/log-out-others", {}),
    ],
)
def test_account_forms_need_their_csrf_token(app, client, path, data):
    token = csrf_token(client.get("/login"))
    login = {"username": "member", "password": PASSWORD, "csrf_token": token}
    assert client.post("/login", data=login).status_code == 303
    response = client.post(path, data=data)
    assert response.status_code == 400
    with app.app_context():
        user = User.by_username("member")
        assert user is not None and user.check_password(PASSWORD)
    assert login_records(app)[0].ended_at is None
