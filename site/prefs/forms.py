"""Forms of the preferences page and the navbar's colour-mode and language
switches."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField
from wtforms import RadioField
from wtforms import SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired

from cookiesite.cookies import LANGUAGES

#: The three colour modes the catalogue allows, with the label each has
#: wherever it is offered: the preferences page and the navbar.
THEME_CHOICES = [
    SelectChoice("light", _l("Light")),
    SelectChoice("dark", _l("Dark")),
    SelectChoice("auto", _l("Auto")),
]

#: The languages the catalogue allows, each named in itself: a reader who
#: cannot read the page's language still finds their own.
LANGUAGE_CHOICES = [SelectChoice(code, name) for code, name in LANGUAGES.items()]


class PreferencesForm(FlaskForm):
    """The colour mode, chosen among the three the catalogue allows."""

    theme = RadioField(
        _l("Colour mode"),
        choices=THEME_CHOICES,
        validators=[InputRequired(message=_l("Choose Light, Dark or Auto."))],
    )
    submit = SubmitField(_l("Save preferences"))


class ResetForm(FlaskForm):
    """Forget the colour mode: deletes the cookie (and the account's copy)."""

    submit = SubmitField(_l("Reset preferences"))


class ToggleForm(FlaskForm):
    """The navbar's switch: one submit button per mode, each sending its
    ``theme``; then the site returns to ``next``."""

    next = HiddenField()
    theme = RadioField(choices=THEME_CHOICES, validators=[InputRequired()])


class LanguageForm(FlaskForm):
    """The language, from the preferences page (a choice and a button) or
    the navbar (a button per language); then the site returns to ``next``."""

    next = HiddenField()
    lang = RadioField(
        _l("Language"), choices=LANGUAGE_CHOICES, validators=[InputRequired()]
    )
