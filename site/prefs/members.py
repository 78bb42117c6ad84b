"""Preferences kept on a member's account, so they follow them to other
browsers: the colour mode and the language.

Each is a cookie of the catalogue and a column of ``users`` by the same
name. The cookie is what pages read; the column is what another browser
gets at login.
"""

from flask import after_this_request
from flask import Flask
from flask import Response
from flask_login import user_logged_in

from cookiesite import cookies
from cookiesite.extensions import db
from cookiesite.prefs import language

#: The preference cookies kept on the account, each in its ``users`` column.
KEPT = ("theme", "lang")


def remember_choice(user, key: str, value: str | None) -> None:
    """Store a choice (``None``: forget it) on a member's account."""
    setattr(user, key, value)
    db.session.commit()


def _stored(user, key: str) -> str | None:
    """The account's value for the preference, if the catalogue allows it."""
    value = getattr(user, key)
    return (
        value if value is not None and cookies.CATALOGUE[key].is_valid(value) else None
    )


def _sync_at_login(sender, user, **extra) -> None:
    """At login the account and the browser agree on each preference.

    The account's stored choice wins and becomes this browser's cookie; for
    a preference with none stored, the account adopts the browser's current
    choice (if it has made one).
    """
    from_account = {}
    from_browser = {}
    for key in KEPT:
        if (stored := _stored(user, key)) is not None:
            from_account[key] = stored
        elif (browser := cookies.read(key)) is not None:
            from_browser[key] = browser
    for key, value in from_browser.items():
        setattr(user, key, value)
    if from_browser:
        db.session.commit()
    if "lang" in from_account:
        # The messages of this very response (the login's) are already in
        # the account's language.
        language.use(from_account["lang"])
    if from_account:

        @after_this_request
        def preferences_from_account(response: Response) -> Response:
            for key, value in from_account.items():
                cookies.write(response, key, value)
            return response


def init_app(app: Flask) -> None:
    """Keep account and cookies in step at every login."""
    user_logged_in.connect(_sync_at_login, app)
