"""Accounts: signup, login, logout, "Remember me", and the redirects after login."""

from datetime import datetime
from datetime import timedelta
from datetime import UTC

import pytest
import sqlalchemy as sa
import zxcvbn.feedback
from babel.messages.extract import extract_python

from cookiesite.account.records import hash_token
from cookiesite.auth import remember
from cookiesite.auth import strength
from cookiesite.extensions import db
from cookiesite.models import User

from cookies_helpers import set_cookies
from html_helpers import buttons
from html_helpers import csrf_token
from html_helpers import forms
from html_helpers import one
from html_helpers import text
from support import logged_in_as
from support import login_records
from support import PASSWORD
from support import token_of


def users(app):
    with app.app_context():
        return db.session.scalars(sa.select(User.username).order_by(User.id)).all()


def test_signup_creates_account_and_logs_in(client, app):
    assert client.get("/signup").status_code == 200
    response = client.post(
        "/signup",
        data={
            "username": "New.User_1",
            "password": "pässwörd €8",
            "confirm": "pässwörd €8",
        },
    )
    assert response.status_code == 303
    assert response.headers["Location"] == "/"
    with app.app_context():
        user = User.by_username("new.user_1")
        assert user.username == "New.User_1"
        assert user.password_hash.startswith("scrypt:")
        assert "pässwörd" not in user.password_hash
        assert user.check_password("pässwörd €8")
        assert not user.is_admin
    # Signup logs in for this browser session only: no remember cookie.
    assert "remember" not in set_cookies(response)
    assert b"You are logged in as <strong>New.User_1</strong>" in client.get("/").data


@pytest.mark.parametrize("username", ["member", "MEMBER", "Member"])
def test_signup_refuses_taken_name_in_any_case(client, app, username):
    response = client.post(
        "/signup",
        data={"username": username, "password": PASSWORD, "confirm": PASSWORD},
    )
    assert response.status_code == 422
    assert b"That username is taken." in response.data
    assert users(app) == ["member", "admin"]


@pytest.mark.parametrize(
    ("username", "password", "confirm", "message"),
    [
        ("", "password1", "password1", b"This field is required."),
        ("ab", "password1", "password1", b"A username has 3 to 32 characters."),
        ("a" * 33, "password1", "password1", b"A username has 3 to 32 characters."),
        ("bad name", "password1", "password1", b"Use only letters, digits"),
        ("émile", "password1", "password1", b"Use only letters, digits"),
        ("<script>", "password1", "password1", b"Use only letters, digits"),
        ("newuser", "", "", b"This field is required."),
        ("newuser", "short", "short", b"A password has 8 to 1024 characters."),
        ("newuser", "x" * 1025, "x" * 1025, b"A password has 8 to 1024 characters."),
        ("newuser", "password1", "password2", b"The two passwords differ."),
        # Long enough, and among the first guesses: the reason and a way out.
        ("newuser", "password", "password", b"This is a top-10 common password."),
        ("newuser", "12345678", "12345678", b"This is a top-10 common password."),
        ("newuser", " " * 8, " " * 8, b"Repeats like"),
        ("newuser", "newuser2024", "newuser2024", b"too easy to guess"),
        ("newuser", "password", "password", b"Add another word or two."),
    ],
)
def test_signup_validates_input(client, app, username, password, confirm, message):
    response = client.post(
        "/signup", data={"username": username, "password": password, "confirm": confirm}
    )
    assert response.status_code == 422
    assert message in response.data
    assert users(app) == ["member", "admin"]


def test_every_sentence_zxcvbn_can_say_is_listed_for_translation():
    """zxcvbn's feedback is English; pages translate what strength.FEEDBACK
    lists. A zxcvbn that says something new would otherwise fall back, in
    every language, to the general sentence."""
    with open(zxcvbn.feedback.__file__, "rb") as source:
        said = {found[2] for found in extract_python(source, ["_"], [], {})}
    assert said == strength.FEEDBACK


def test_signup_username_is_trimmed(client, app):
    client.post(
        "/signup",
        data={"username": "  spaced ", "password": PASSWORD, "confirm": PASSWORD},
    )
    assert "spaced" in users(app)


def test_overlong_password_is_not_hashed(app, monkeypatch):
    """A password over 1024 characters is refused before it reaches scrypt."""
    import cookiesite.models as models

    calls = []
    monkeypatch.setattr(models, "check_password_hash", lambda *a: calls.append(a))
    with app.app_context():
        user = User.by_username("member")
        assert user.check_password("x" * 1025) is False
        with pytest.raises(ValueError):
            user.set_password("x" * 1025)
    assert calls == []


def test_login_and_logout(app, client, auth):
    assert client.get("/login").status_code == 200
    response = auth.login()
    assert response.status_code == 303
    assert response.headers["Location"] == "/"
    assert logged_in_as(client) == "member"
    response = auth.logout()
    assert response.headers["Location"] == "/"
    assert b"You are logged out." in client.get("/").data
    assert logged_in_as(client) is None


@pytest.mark.parametrize(
    ("username", "password"),
    [("nobody", PASSWORD), ("member", "wrong password"), ("member", "x" * 1024)],
)
def test_login_failure_says_the_same_for_unknown_user_and_wrong_password(
    app, auth, username, password
):
    response = auth.login(username, password)
    assert response.status_code == 422
    assert b"Unknown username or wrong password." in response.data
    # Nobody was logged in: no login record, no remember cookie, and the
    # next page is still an anonymous visitor's.
    assert "remember" not in set_cookies(response)
    assert login_records(app) == []
    assert logged_in_as(auth._client) is None


def test_login_ignores_username_case(auth):
    assert auth.login("MeMbEr").status_code == 303


def test_login_renews_the_session(app, client, auth):
    """Whatever the session held before login does not survive it (no fixation)."""
    with client.session_transaction() as sess:
        sess["planted"] = "by an attacker"
    auth.login()
    with client.session_transaction() as sess:
        assert "planted" not in sess
    assert logged_in_as(client) == "member"


def test_remember_cookie_attributes(app, auth):
    before = datetime.now(UTC)
    response = auth.login(remember=True)
    cookie = set_cookies(response)["remember"]
    # The login's token, signed; the database has only the token's hash.
    with app.test_request_context():
        token = remember.signer().unsign(cookie.value).decode()
    assert hash_token(token) == login_records(app)[-1].token_hash
    assert cookie.attrs["path"] == "/"
    assert cookie.attrs["httponly"] is True
    assert cookie.attrs["samesite"] == "Lax"
    assert "secure" not in cookie.attrs  # plain HTTP in tests
    assert "domain" not in cookie.attrs
    assert cookie.max_age == 30 * 24 * 3600
    assert before + timedelta(days=30) - timedelta(seconds=2) <= cookie.expires
    assert cookie.expires <= datetime.now(UTC) + timedelta(days=30, seconds=1)


def test_no_remember_cookie_without_the_tick(client, auth):
    assert "remember" not in set_cookies(auth.login(remember=False))
    assert "remember" not in set_cookies(client.get("/"))


@pytest.mark.parametrize("app_config", [{"REMEMBER_DURATION": 7 * 24 * 3600}])
def test_remember_duration_is_configurable(auth):
    cookie = set_cookies(auth.login(remember=True))["remember"]
    assert cookie.max_age == 7 * 24 * 3600


def test_logout_deletes_remember_cookie_with_its_flags(client, auth):
    """The deletion repeats the setting's path and flags, SameSite included."""
    set_cookie = set_cookies(auth.login(remember=True))["remember"]
    deletion = set_cookies(auth.logout())["remember"]
    assert deletion.is_deletion
    assert deletion.expires == datetime(1970, 1, 1, tzinfo=UTC)
    for attr in ("path", "httponly", "samesite"):
        assert deletion.attrs[attr] == set_cookie.attrs[attr]
    assert client.get_cookie("remember") is None
    # Logged out for good: nothing left that logs the browser back in.
    assert logged_in_as(client) is None


def test_logout_without_remember_cookie_sets_no_deletion(auth):
    auth.login()
    assert "remember" not in set_cookies(auth.logout())


def test_remember_cookie_alone_logs_back_in(app, client, auth):
    """The browser closed: the session cookie is gone, the remember cookie is not.

    The restored login moves into a new session cookie, so the next pages
    need the remember cookie no more.
    """
    auth.login(remember=True)
    value = client.get_cookie("remember").value
    fresh = app.test_client()
    fresh.set_cookie("remember", value)
    page = fresh.get("/")
    assert b"You are logged in as <strong>member</strong>" in page.data
    assert "session" in set_cookies(page)
    fresh.delete_cookie("remember")
    assert logged_in_as(fresh) == "member"


def forged_values(app, client):
    """Remember cookies that must log nobody in, and one genuine value."""
    with app.test_request_context():
        signer = remember.signer()
        someone_else = signer.sign("a" * 43).decode()
    genuine = client.get_cookie("remember").value
    token = token_of(genuine)
    return [
        token,  # the token without its signature
        f"{token}.{'A' * 43}",  # right shape, wrong signature
        genuine[:-10],  # truncated
        someone_else,  # signed, but no such login
        f"{token[::-1]}.{genuine.rpartition('.')[2]}",  # signature of another
        "",
        ".",
        "\u00e9\u00e9\u00e9.zz",
        "x" * 4000,
    ]


def test_forged_or_truncated_remember_cookie_stays_anonymous(app, client, auth):
    auth.login(remember=True)
    values = forged_values(app, client)
    for value in values:
        browser = app.test_client()
        browser.set_cookie("remember", value)
        response = browser.get("/")
        assert response.status_code == 200
        assert b"Sign up" in response.data
        assert logged_in_as(browser) is None


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example",
        "https://evil.example",
        "/\\evil.example",
        "javascript:alert(1)",
        "https:evil.example",
        "/\t/evil.example",
        " //evil.example",
        "evil.example",
    ],
)
def test_login_next_stays_on_site(auth, target):
    response = auth.login(query_string={"next": target})
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize("target", ["/cookies", "/reports?from=login", "/a/b#c"])
def test_login_next_follows_same_site_paths(auth, target):
    assert auth.login(query_string={"next": target}).headers["Location"] == target


def test_logged_in_member_skips_login_and_signup(client, auth):
    auth.login()
    assert client.get("/login").status_code == 302
    assert client.get("/signup").status_code == 302


@pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True}])
@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/signup", {"username": "sneaky", "password": PASSWORD, "confirm": PASSWORD}),
        ("/login", {"username": "member", "password": PASSWORD}),
        ("/logout", {}),
    ],
)
def test_post_without_csrf_token_is_refused(app, client, path, data):
    response = client.post(path, data=data)
    assert response.status_code == 400
    assert b"security token" in response.data
    assert users(app) == ["member", "admin"]
    assert login_records(app) == []
    assert logged_in_as(client) is None


@pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True}])
def test_forms_with_csrf_token_work(client):
    """The token the page rendered is the one the POST needs."""
    token = csrf_token(client.get("/login"))
    response = client.post(
        "/login", data={"username": "member", "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 303


# -- a visit to /logout, the address of a form ----------------------------------


@pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True}])
def test_a_visit_to_logout_offers_the_button_and_logs_nobody_out(app, client):
    """A bookmark of /logout (or a link to it on another site) does not log
    out: 405, with the methods the address takes, and the page offers the
    Log out form, whose token works."""
    token = csrf_token(client.get("/login"))
    login = {"username": "member", "password": PASSWORD, "remember": "y"}
    client.post("/login", data={**login, "csrf_token": token})
    response = client.get("/logout")
    assert response.status_code == 405
    assert set(response.headers["Allow"].split(", ")) == {"POST", "OPTIONS"}
    assert "remember" not in set_cookies(response)
    main = one(response, "main")
    assert text(one(main, "h1")) == "This address is for a form"
    (form,) = forms(main, "/logout")
    assert form["method"] == "post"
    assert buttons(form) == ["Log out"]
    assert logged_in_as(client) == "member"
    assert login_records(app)[0].ended_at is None

    token = one(form, "input[name=csrf_token]")["value"]
    assert client.post("/logout", data={"csrf_token": token}).status_code == 303
    assert logged_in_as(client) is None


def test_a_visit_to_logout_when_logged_out_says_there_is_nothing_to_do(client):
    response = client.get("/logout")
    assert response.status_code == 405
    main = one(response, "main")
    assert forms(main, "/logout") == []
    assert "there is nothing to log out" in text(main)
