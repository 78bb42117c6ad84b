"""Forms of the preferences page and the navbar toggle."""

from flask_wtf import FlaskForm
from wtforms import HiddenField
from wtforms import RadioField
from wtforms import SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired


class PreferencesForm(FlaskForm):
    """The colour mode, chosen among the three the catalogue allows."""

    theme = RadioField(
        "Colour mode",
        choices=[
            SelectChoice("light", "Light"),
            SelectChoice("dark", "Dark"),
            SelectChoice("auto", "Auto"),
        ],
        validators=[InputRequired(message="Choose Light, Dark or Auto.")],
    )
    submit = SubmitField("Save preferences")


class ResetForm(FlaskForm):
    """Forget the colour mode: deletes the cookie (and the account's copy)."""

    submit = SubmitField("Reset preferences")


class ToggleForm(FlaskForm):
    """The navbar button: flips light and dark, then returns to ``next``."""

    next = HiddenField()
    #: What the page showed, as ``theme.js`` resolved ``auto`` in the browser.
    shown = HiddenField()
