"""Forms of the accounts area. Every form carries a CSRF token (Flask-WTF)."""

from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import BooleanField
from wtforms import PasswordField
from wtforms import StringField
from wtforms import SubmitField
from wtforms.validators import EqualTo
from wtforms.validators import InputRequired
from wtforms.validators import Length
from wtforms.validators import Regexp
from wtforms.validators import ValidationError

from cookiesite.auth.strength import weakness
from cookiesite.models import PASSWORD_MAX
from cookiesite.models import PASSWORD_MIN
from cookiesite.models import User
from cookiesite.models import USERNAME_PATTERN


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


def not_guessable(form, field) -> None:
    """Refuse a password that is easy to guess, saying why and what would do.

    The username counts as a likely guess: the form's own field at signup,
    the member's name on the password change.
    """
    username = form.username.data if "username" in form else None
    if username is None and current_user.is_authenticated:
        username = current_user.username
    if field.data and (problem := weakness(field.data, username)):
        raise ValidationError(problem)


def new_password_rules() -> list:
    """What a new password must be, for signup and for a password change."""
    return [
        InputRequired(),
        Length(
            min=PASSWORD_MIN,
            max=PASSWORD_MAX,
            message=f"A password has {PASSWORD_MIN} to {PASSWORD_MAX} characters.",
        ),
        not_guessable,
    ]


class SignupForm(FlaskForm):
    """A new account: a username and a password typed twice."""

    username = StringField(
        "Username",
        filters=[_strip],
        validators=[
            InputRequired(),
            Length(min=3, max=32, message="A username has 3 to 32 characters."),
            Regexp(
                rf"{USERNAME_PATTERN.pattern}\Z",
                message="Use only letters, digits, dots, underscores and hyphens.",
            ),
        ],
        description="3 to 32 letters, digits, dots, underscores or hyphens.",
    )
    password = PasswordField(
        "Password",
        validators=new_password_rules(),
        description=f"At least {PASSWORD_MIN} characters; any characters are fine.",
    )
    confirm = PasswordField(
        "Confirm password",
        validators=[
            InputRequired(),
            EqualTo("password", message="The two passwords differ."),
        ],
    )
    submit = SubmitField("Sign up")

    def validate_username(self, field: StringField) -> None:
        """Refuse a name that exists already, in any letter case."""
        if User.by_username(field.data) is not None:
            raise ValidationError("That username is taken.")


class LoginForm(FlaskForm):
    """Credentials, and whether to stay logged in after the browser closes."""

    username = StringField(
        "Username", filters=[_strip], validators=[InputRequired(), Length(max=32)]
    )
    password = PasswordField(
        "Password", validators=[InputRequired(), Length(max=PASSWORD_MAX)]
    )
    remember = BooleanField("Remember me")
    submit = SubmitField("Log in")
