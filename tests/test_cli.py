"""``flask create-admin``."""

import pytest

from cookiesite.models import User

from support import AuthActions
from support import logged_in_as
from support import login_records
from support import PASSWORD

#: A password strong enough for every rule.
STRONG = "tall stacks of oat cookies"


def admin_flag(app, name):
    with app.app_context():
        user = User.by_username(name)
        return None if user is None else user.is_admin


def test_create_admin_with_password(app, runner):
    result = runner.invoke(args=["create-admin", "boss", "--password", STRONG])
    assert result.exit_code == 0, result.output
    assert "Created admin boss." in result.output
    with app.app_context():
        assert User.by_username("boss").check_password(STRONG)
    assert admin_flag(app, "boss") is True


def test_create_admin_prompts_for_missing_password(app, runner):
    result = runner.invoke(args=["create-admin", "boss"], input=f"{STRONG}\n{STRONG}\n")
    assert result.exit_code == 0, result.output
    assert "Password" in result.output
    with app.app_context():
        assert User.by_username("boss").check_password(STRONG)


def test_create_admin_promotes_existing_user(app, runner):
    assert admin_flag(app, "member") is False
    result = runner.invoke(args=["create-admin", "MEMBER"])
    assert result.exit_code == 0, result.output
    assert "member is now an admin." in result.output
    assert admin_flag(app, "member") is True


def test_create_admin_refuses_bad_name_and_short_password(app, runner):
    result = runner.invoke(args=["create-admin", "no way", "--password", STRONG])
    assert result.exit_code == 2
    assert "letters, digits" in result.output
    result = runner.invoke(args=["create-admin", "newboss", "--password", "short"])
    assert result.exit_code == 2
    assert "8 to 1024 characters" in result.output
    assert admin_flag(app, "newboss") is None


@pytest.mark.parametrize(
    ("password", "why"),
    [
        ("password", "This is a top-10 common password."),
        ("12345678", "This is a top-10 common password."),
        (" " * 8, 'Repeats like "aaa" are easy to guess.'),
        ("newboss2024", "too easy to guess"),
    ],
)
def test_create_admin_refuses_a_guessable_password(app, runner, password, why):
    result = runner.invoke(args=["create-admin", "newboss", "--password", password])
    assert result.exit_code == 2
    assert why in " ".join(result.output.split())
    assert admin_flag(app, "newboss") is None


def test_a_new_password_from_create_admin_ends_the_accounts_logins(app, runner):
    """As a password change does: a login made with the old password, and
    any copy of its cookies, stops working."""
    browser = app.test_client()
    AuthActions(browser).login(remember=True)
    assert logged_in_as(browser) == "member"
    result = runner.invoke(args=["create-admin", "member", "--password", STRONG])
    assert result.exit_code == 0, result.output
    assert "1 login(s) ended" in result.output
    assert [r.ended_at is not None for r in login_records(app)] == [True]
    assert logged_in_as(browser) is None
    assert AuthActions(app.test_client()).login(password=PASSWORD).status_code == 422
    assert AuthActions(app.test_client()).login(password=STRONG).status_code == 303


def test_promoting_without_a_password_keeps_the_logins(app, runner):
    AuthActions(app.test_client()).login()
    assert runner.invoke(args=["create-admin", "member"]).exit_code == 0
    assert [r.ended_at for r in login_records(app)] == [None]
