"""Forms of the account page. Every form carries a CSRF token (Flask-WTF).

The page shows several forms at once, so each has a prefix: their fields and
CSRF inputs get distinct ids and names. Labels and messages are lazy texts,
translated when a page shows them (see ``cookiesite.auth.forms``).
"""

from flask_babel import lazy_gettext as _l
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
        _l("Current password"),
        validators=[InputRequired(), Length(max=PASSWORD_MAX)],
    )
    new = PasswordField(
        _l("New password"),
        validators=new_password_rules(),
        description=_l("Every other device you are logged in on is logged out."),
    )
    confirm = PasswordField(
        _l("Confirm new password"),
        validators=[
            InputRequired(),
            EqualTo("new", message=_l("The two new passwords differ.")),
        ],
    )
    submit = SubmitField(_l("Change password"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="password", **kwargs)


class DeleteAccountForm(FlaskForm):
    """The password, to confirm that the account is to go."""

    password = PasswordField(
        _l("Password"), validators=[InputRequired(), Length(max=PASSWORD_MAX)]
    )
    submit = SubmitField(_l("Delete account"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="delete", **kwargs)
