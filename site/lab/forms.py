"""The lab's forms: one field per parameter of ``response.set_cookie``, and
the deletion, each field checked against the family's rules (``family.py``)."""

from datetime import datetime
from datetime import UTC

from flask import request
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField
from wtforms import DateTimeLocalField
from wtforms import HiddenField
from wtforms import IntegerField
from wtforms import SelectField
from wtforms import StringField
from wtforms import SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired
from wtforms.validators import NumberRange
from wtforms.validators import Optional
from wtforms.validators import ValidationError
from wtforms.widgets import TextInput

from cookiesite.lab import family
from cookiesite.lab import jar
from cookiesite.lab.family import LAB

#: The most seconds a Max-Age may ask for.
MAX_AGE = int(LAB.max_lifetime.total_seconds())

#: The earliest Expires the form takes: any date in the past deletes, and
#: the first of 1970 is the one ``delete_cookie`` itself sends.
EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)


#: How an Expires date may be typed; it is read as UTC, the zone of the
#: ``Expires`` attribute.
EXPIRES_FORMATS = ["%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d"]


def _strip(text: str | None) -> str:
    """Spaces around a name, path or domain are a slip of the keyboard."""
    return (text or "").strip()


def _check(problem: str | None) -> None:
    """Turn a family rule's complaint into the field's error message."""
    if problem:
        raise ValidationError(problem)


class SetCookieForm(FlaskForm):
    """A lab cookie: the name after ``lab_``, and the arguments of ``set_cookie``."""

    name = StringField(_l("Name"), filters=[_strip])
    value = StringField(_l("Value"), default="")
    # The attributes' fields are labelled with their names in the header,
    # which stay the same in every language.
    max_age = IntegerField(
        "Max-Age",
        validators=[
            Optional(),
            NumberRange(
                min=0,
                max=MAX_AGE,
                # The most is given in plain digits, as it is typed.
                message=_l(
                    "Give 0 (delete at once) to %(most)s seconds (%(days)s days,"
                    " the longest a browser keeps a cookie), or leave it empty.",
                    most=MAX_AGE,
                    days=LAB.max_lifetime.days,
                ),
            ),
        ],
    )
    # Typed as text rather than picked: the browser's picker knows no time
    # zone, and each of its parts is a stop of its own for the Tab key.
    expires = DateTimeLocalField(
        "Expires",
        format=EXPIRES_FORMATS,
        validators=[Optional()],
        widget=TextInput(),
        tz=UTC,
    )
    path = StringField(
        "Path",
        default=LAB.path,
        filters=[_strip],
        validators=[
            InputRequired(
                message=_l("Give a path: %(path)s or one below it.", path=LAB.path)
            )
        ],
    )
    domain = StringField("Domain", filters=[_strip])
    secure = BooleanField("Secure")
    httponly = BooleanField("HttpOnly", default=True)
    samesite = SelectField(
        "SameSite",
        choices=[
            SelectChoice("Lax", "Lax"),
            SelectChoice("Strict", "Strict"),
            SelectChoice("None", "None"),
            SelectChoice("", _l("Not set")),
        ],
        default="Lax",
    )
    submit = SubmitField(_l("Set cookie"))

    @property
    def cookie_name(self) -> str:
        """The name the browser will hold: ``lab_`` and what was typed."""
        return family.full_name(self.name.data)

    def validate_name(self, field):
        """A name of the lab's: no second prefix, no site cookie's name."""
        _check(family.name_problem(field.data))

    def validate_value(self, field):
        """Characters a browser keeps as they are, and the family's size."""
        _check(family.value_problem(self.cookie_name, field.data or ""))

    def validate_expires(self, field):
        """A date a browser acts on: past ones delete, far ones are cut."""
        if field.data is None:
            return  # not a date: the field already says so
        latest = datetime.now(UTC) + LAB.max_lifetime
        if not EARLIEST <= field.data <= latest:
            raise ValidationError(
                _(
                    "Choose a date from %(year)s to %(days)s days from now: a date in"
                    " the past deletes the cookie, and no browser keeps one longer.",
                    year=EARLIEST.year,
                    days=format_decimal(LAB.max_lifetime.days),
                )
            )

    def validate_path(self, field):
        """``/lab`` or a path below it, and nothing that only looks so."""
        _check(family.path_problem(field.data))

    def validate_domain(self, field):
        """Empty, or this host's own name."""
        if field.data:
            _check(family.domain_problem(field.data, family.host_name(request.host)))

    def validate(self, extra_validators=None) -> bool:
        """Every field's checks, then the family's limit on how many cookies
        one browser holds (an update of one it holds is always fine)."""
        if not super().validate(extra_validators):
            return False
        domain = self.domain.data.lower()
        if jar.is_new(self.cookie_name, self.path.data, domain) and (
            jar.count() >= LAB.max_cookies
        ):
            self.name.errors.append(
                _(
                    "Your browser already holds %(most)s lab cookies, the most the"
                    " lab sets: delete one, or update one of the same name and path.",
                    most=format_decimal(LAB.max_cookies),
                )
            )
            return False
        return True

    def arguments(self) -> dict:
        """The keyword arguments of ``set_cookie`` the visitor gave, in the
        order of its signature; the ones left empty are not passed at all."""
        given = {
            "max_age": self.max_age.data,
            "expires": self.expires.data,
            "path": self.path.data,
            "domain": self.domain.data or None,
            "secure": self.secure.data or None,
            "httponly": self.httponly.data or None,
            "samesite": self.samesite.data or None,
        }
        return {key: value for key, value in given.items() if value is not None}


class DeleteForm(FlaskForm):
    """Delete a lab cookie at the path the visitor chooses."""

    # Labelled, though hidden: an error message names the field it is about.
    name = HiddenField(_l("Name"))
    path = StringField(
        "Path",
        filters=[_strip],
        validators=[
            InputRequired(
                message=_l("Give the path to delete at: %(path)s.", path=LAB.path)
            )
        ],
    )
    #: The domain the cookie was set with, repeated; usually empty.
    domain = HiddenField(filters=[_strip])
    #: The lab page the button was pressed on, to return to.
    next = HiddenField()

    def validate_name(self, field):
        """Only a lab cookie is deleted here, never one of the site's."""
        if not family.is_lab_name(field.data or ""):
            raise ValidationError(_("That is not the name of a lab cookie."))

    def validate_path(self, field):
        """A deletion stays inside the lab, as the setting did."""
        _check(family.path_problem(field.data))

    def validate_domain(self, field):
        """Empty, or this host's own name, as when it was set."""
        if field.data:
            _check(family.domain_problem(field.data, family.host_name(request.host)))
