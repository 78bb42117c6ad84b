"""Forms of the account page. Every form carries a CSRF token (Flask-WTF).

The page shows several forms at once, so each has a prefix: their fields and
CSRF inputs get distinct ids and names.
"""

from flask_wtf import FlaskForm
from wtforms import PasswordField
from wtforms import SubmitField
from wtforms.validators import EqualTo
from wtforms.validators import InputRequired
from wtforms.validators import Length

from cookiesite.auth.forms import new_password_rules
from cookiesite.models import PASSWORD_MAX


class PasswordForm(FlaskForm):
    """A new password, typed twice, given the current one."""

    current = PasswordField(
        "Current password", validators=[InputRequired(), Length(max=PASSWORD_MAX)]
    )
    new = PasswordField(
        "New password",
        validators=new_password_rules(),
        description="Every other device you are logged in on is logged out.",
    )
    confirm = PasswordField(
        "Confirm new password",
        validators=[
            InputRequired(),
            EqualTo("new", message="The two new passwords differ."),
        ],
    )
    submit = SubmitField("Change password")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="password", **kwargs)


class DeleteAccountForm(FlaskForm):
    """The password, to confirm that the account is to go."""

    password = PasswordField(
        "Password", validators=[InputRequired(), Length(max=PASSWORD_MAX)]
    )
    submit = SubmitField("Delete account")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="delete", **kwargs)
