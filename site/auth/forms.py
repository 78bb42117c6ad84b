"""Forms of the accounts area. Every form carries a CSRF token (Flask-WTF).

The form classes are built once, at import, so their labels and messages are
lazy texts: each is translated when a page shows it, into that page's
language. WTForms' own messages ("This field is required.") come translated
from WTForms, through Flask-WTF.
"""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
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
            # WTForms fills in %(min)d and %(max)d.
            message=_l("A password has %(min)d to %(max)d characters."),
        ),
        not_guessable,
    ]


class SignupForm(FlaskForm):
    """A new account: a username and a password typed twice."""

    username = StringField(
        _l("Username"),
        filters=[_strip],
        validators=[
            InputRequired(),
            Length(
                min=3,
                max=32,
                message=_l("A username has %(min)d to %(max)d characters."),
            ),
            Regexp(
                rf"{USERNAME_PATTERN.pattern}\Z",
                message=_l("Use only letters, digits, dots, underscores and hyphens."),
            ),
        ],
        description=_l("3 to 32 letters, digits, dots, underscores or hyphens."),
    )
    password = PasswordField(
        _l("Password"),
        validators=new_password_rules(),
        description=_l(
            "At least %(min)d characters; any characters are fine.", min=PASSWORD_MIN
        ),
    )
    confirm = PasswordField(
        _l("Confirm password"),
        validators=[
            InputRequired(),
            EqualTo("password", message=_l("The two passwords differ.")),
        ],
    )
    submit = SubmitField(_l("Sign up"))

    def validate_username(self, field: StringField) -> None:
        """Refuse a name that exists already, in any letter case."""
        if User.by_username(field.data) is not None:
            raise ValidationError(_("That username is taken."))


class LoginForm(FlaskForm):
    """Credentials, and whether to stay logged in after the browser closes."""

    username = StringField(
        _l("Username"), filters=[_strip], validators=[InputRequired(), Length(max=32)]
    )
    password = PasswordField(
        _l("Password"), validators=[InputRequired(), Length(max=PASSWORD_MAX)]
    )
    remember = BooleanField(_l("Remember me"))
    submit = SubmitField(_l("Log in"))
