"""Forms of the preferences page and the navbar's colour-mode switch."""

from flask_wtf import FlaskForm
from wtforms import HiddenField
from wtforms import RadioField
from wtforms import SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired

#: The three colour modes the catalogue allows, with the label each has
#: wherever it is offered: the preferences page and the navbar.
THEME_CHOICES = [
    SelectChoice("light", "Light"),
    SelectChoice("dark", "Dark"),
    SelectChoice("auto", "Auto"),
]


class PreferencesForm(FlaskForm):
    """The colour mode, chosen among the three the catalogue allows."""

    theme = RadioField(
        "Colour mode",
        choices=THEME_CHOICES,
        validators=[InputRequired(message="Choose Light, Dark or Auto.")],
    )
    submit = SubmitField("Save preferences")


class ResetForm(FlaskForm):
    """Forget the colour mode: deletes the cookie (and the account's copy)."""

    submit = SubmitField("Reset preferences")


class ToggleForm(FlaskForm):
    """The navbar's switch: one submit button per mode, each sending its
    ``theme``; then the site returns to ``next``."""

    next = HiddenField()
    theme = RadioField(choices=THEME_CHOICES, validators=[InputRequired()])
