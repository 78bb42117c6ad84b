"""What the fixtures and tests share: test settings, accounts, the auth helper."""

import secrets
from datetime import datetime
from datetime import timedelta

import sqlalchemy as sa
from flask_login import current_user

from cookiesite import create_app
from cookiesite.extensions import db
from cookiesite.models import User

#: The password of the accounts every test starts with.
PASSWORD = "correct horse battery"


def make_app(database: str, **overrides):
    """The site with test settings and a random key, on ``database``."""
    config = {
        "TESTING": True,
        "SECRET_KEY": secrets.token_hex(32),
        "SQLALCHEMY_DATABASE_URI": database,
        "WTF_CSRF_ENABLED": False,
        **overrides,
    }
    return create_app(config)


def add_user(app, username, password_hash, **fields):
    """Insert an account directly, the way a test that is not about signup wants."""
    with app.app_context():
        user = User(username, password_hash=password_hash, **fields)
        db.session.add(user)
        db.session.commit()
        return user.id


class AuthActions:
    """Log in and out through the real forms."""

    def __init__(self, client):
        self._client = client

    def login(self, username="member", password=PASSWORD, remember=False, **kw):
        data = {"username": username, "password": password}
        if remember:
            data["remember"] = "y"
        return self._client.post("/login", data=data, **kw)

    def logout(self):
        return self._client.post("/logout")


def logged_in_as(client, path="/") -> str | None:
    """The username the site sees logged in on ``client`` (after one GET of
    ``path``), or ``None`` for an anonymous visitor."""
    with client:
        client.get(path)
        return current_user.username if current_user.is_authenticated else None


def token_of(remember_cookie: str) -> str:
    """The login token a ``remember`` cookie carries (``token.signature``)."""
    return remember_cookie.rpartition(".")[0]


def login_records(app, username="member"):
    """The login records of an account, oldest first, detached for reading."""
    from cookiesite.models import LoginRecord

    with app.app_context():
        user = User.by_username(username)
        records = db.session.scalars(
            sa.select(LoginRecord)
            .where(LoginRecord.user_id == user.id)
            .order_by(LoginRecord.id)
        ).all()
        db.session.expunge_all()
        return records


class Clock:
    """The site's clock (``cookiesite.models.utcnow``), driven by the test.

    Everything that ends a login reads the time through it, so a test moves
    a month ahead in a line instead of sleeping.
    """

    def __init__(self, monkeypatch, start=datetime(2030, 1, 1, 12, 0)):
        from cookiesite import models

        self.now = start
        monkeypatch.setattr(models, "utcnow", lambda: self.now)

    def advance(self, **delta):
        """Move the clock forward by ``timedelta(**delta)``."""
        self.now += timedelta(**delta)
