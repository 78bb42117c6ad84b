"""``flask create-admin``."""

from cookiesite.models import User


def admin_flag(app, name):
    with app.app_context():
        user = User.by_username(name)
        return None if user is None else user.is_admin


def test_create_admin_with_password(app, runner):
    result = runner.invoke(args=["create-admin", "boss", "--password", "long enough"])
    assert result.exit_code == 0, result.output
    assert "Created admin boss." in result.output
    with app.app_context():
        assert User.by_username("boss").check_password("long enough")
    assert admin_flag(app, "boss") is True


def test_create_admin_prompts_for_missing_password(app, runner):
    result = runner.invoke(
        args=["create-admin", "boss"], input="s3cret pass\ns3cret pass\n"
    )
    assert result.exit_code == 0, result.output
    assert "Password" in result.output
    with app.app_context():
        assert User.by_username("boss").check_password("s3cret pass")


def test_create_admin_promotes_existing_user(app, runner):
    assert admin_flag(app, "member") is False
    result = runner.invoke(args=["create-admin", "MEMBER"])
    assert result.exit_code == 0, result.output
    assert "member is now an admin." in result.output
    assert admin_flag(app, "member") is True


def test_create_admin_refuses_bad_name_and_short_password(app, runner):
    result = runner.invoke(args=["create-admin", "no way", "--password", "long enough"])
    assert result.exit_code == 2
    assert "letters, digits" in result.output
    result = runner.invoke(args=["create-admin", "newboss", "--password", "short"])
    assert result.exit_code == 2
    assert "8 to 1024 characters" in result.output
    assert admin_flag(app, "newboss") is None
