"""What the fixtures and tests share: test settings, accounts, the auth helper,
a digest of the database, the site under gunicorn."""

import hashlib
import http.cookiejar
import os
import re
import secrets
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from datetime import datetime
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask_login import current_user

from cookiesite import create_app
from cookiesite.extensions import db
from cookiesite.models import User

from html_helpers import csrf_token

#: The password of the accounts every test starts with.
PASSWORD = "correct horse battery"

#: The repository, where gunicorn finds the site.
ROOT = Path(__file__).resolve().parent.parent


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


def checksum(app) -> str:
    """A digest of every row of every table: equal digests, unchanged data."""
    digest = hashlib.sha256()
    with app.app_context():
        for table in sorted(sa.inspect(db.engine).get_table_names()):
            # The names come from the database itself, not from a request.
            query = sa.text(f'SELECT * FROM "{table}"')  # noqa: S608
            rows = db.session.execute(query).all()
            digest.update(f"{table}:{sorted(map(repr, rows))}".encode())
    return digest.hexdigest()


@contextmanager
def serve_with_gunicorn(database_url, log, workers=1, threads=1, **settings):
    """The site under gunicorn on a free port of 127.0.0.1, on ``database_url``,
    with CSRF protection on as in production; yields its base URL.

    ``settings`` become ``FLASK_*`` environment variables (``LOGIN_LIMIT_PER_CLIENT``
    and the like). Both logs go to ``log``, each request as ``ACCESS status
    method path``. The block waits until every worker has booted.
    """
    env = {
        **os.environ,
        "COOKIESITE_ENV": "development",
        "DATABASE_URL": database_url,
        "FLASK_SECRET_KEY": secrets.token_hex(32),
        **{f"FLASK_{name}": value for name, value in settings.items()},
    }
    command = [
        sys.executable, "-m", "gunicorn",
        "--workers", str(workers), "--threads", str(threads),
        "--bind", "127.0.0.1:0",
        "--error-logfile", str(log), "--capture-output", "--log-level", "info",
        "--access-logfile", str(log), "--access-logformat", "ACCESS %(s)s %(m)s %(U)s",
        "cookiesite:create_app()",
    ]  # fmt: skip
    server = subprocess.Popen(command, cwd=ROOT, env=env)  # noqa: S603 (fixed command)
    try:
        deadline = time.monotonic() + 60
        booted = re.compile(r"Booting worker with pid")
        while time.monotonic() < deadline and server.poll() is None:
            logged = log.read_text() if log.exists() else ""
            listening = re.search(r"Listening at: (http://127\.0\.0\.1:\d+)", logged)
            if listening and len(booted.findall(logged)) >= workers:
                break
            time.sleep(0.1)
        else:
            pytest.fail(f"gunicorn did not start:\n{log.read_text()}")
        yield listening[1]
    finally:
        server.terminate()
        server.wait(timeout=30)


def assert_clean_log(log) -> int:
    """A gunicorn log (:func:`serve_with_gunicorn`) with no traceback, no
    locked database and no 5xx; returns how many requests it recorded."""
    logged = log.read_text()
    assert "database is locked" not in logged
    assert "Traceback" not in logged, logged
    statuses = re.findall(r"ACCESS (\d{3}) ", logged)
    assert statuses, "the access log recorded nothing"
    assert not [s for s in statuses if s.startswith("5")], logged
    return len(statuses)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """A client with its own cookie jar that does not follow redirects."""

    def __init__(self, base, seen):
        self.base = base
        self.seen = seen
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirects()
        )

    def open(self, path, data=None):
        """``(status, body)``; every status, 5xx included, is returned."""
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            response = self.opener.open(self.base + path, body, timeout=60)
        except urllib.error.HTTPError as error:
            response = error
        with response:
            self.seen.extend(response.headers.get_all("Set-Cookie") or [])
            return response.status, response.read().decode()

    def token(self, path="/"):
        """The CSRF token of the forms on ``path``."""
        return csrf_token(self.open(path)[1])

    def post(self, path, data, form_page="/"):
        """Send a form from ``form_page``, with that page's CSRF token."""
        return self.open(path, {"csrf_token": self.token(form_page), **data})
