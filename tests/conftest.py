"""Fixtures: ``app`` on a migrated SQLite copy, ``client``, ``runner``, ``auth``."""

import shutil

import pytest
from flask import request_finished
from flask_migrate import upgrade
from support import add_user
from support import AuthActions
from support import make_app
from support import PASSWORD
from werkzeug.security import generate_password_hash

from cookiesite.extensions import db


@pytest.fixture(scope="session")
def migrated_db(tmp_path_factory):
    """A SQLite file with every migration applied: made once, copied per test."""
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    app = make_app(f"sqlite:///{path}")
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return path


@pytest.fixture(scope="session")
def password_hash():
    """Hashing is slow on purpose, so the test accounts share one hash."""
    return generate_password_hash(PASSWORD)


@pytest.fixture
def app_config():
    """Settings a test module can override for its ``app``."""
    return {}


@pytest.fixture
def app(migrated_db, tmp_path, password_hash, app_config, request):
    """The site on its own database, with ``member`` and ``admin`` accounts.

    Any 5xx response during the test fails it: bad input must get a 4xx.
    """
    path = tmp_path / "test.sqlite3"
    shutil.copy(migrated_db, path)
    app = make_app(f"sqlite:///{path}", **app_config)
    add_user(app, "member", password_hash)
    add_user(app, "admin", password_hash, is_admin=True)

    server_errors = []

    def record(sender, response, **extra):
        if response.status_code >= 500:
            server_errors.append(response.status)

    request_finished.connect(record, app)
    yield app
    request_finished.disconnect(record, app)
    with app.app_context():
        db.engine.dispose()
    if not request.node.get_closest_marker("allow_server_error"):
        assert not server_errors, f"server errors: {server_errors}"


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def auth(client):
    return AuthActions(client)
