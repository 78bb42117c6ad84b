"""Configuration layers, the secret key, and the SQLite settings."""

import os
import stat
from datetime import timedelta

import pytest
import sqlalchemy as sa

from cookiesite import cookies
from cookiesite import create_app
from cookiesite import development_secret_key
from cookiesite.cookies import CookieError
from cookiesite.extensions import db


@pytest.fixture
def base(tmp_path):
    """The least a test app needs: a key and a database of its own."""
    return {
        "SECRET_KEY": "k" * 64,
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/t.db",
    }


def test_testing_flag(app, base):
    assert app.testing
    assert not create_app(base).testing


def test_environment_overrides_defaults_and_test_mapping_wins(monkeypatch, base):
    monkeypatch.setenv("FLASK_REMEMBER_DURATION", "86400")
    monkeypatch.setenv("FLASK_MAX_CONTENT_LENGTH", "1000")
    app = create_app({**base, "MAX_CONTENT_LENGTH": 2000})
    assert cookies.lifetime("remember", app) == timedelta(days=1)
    assert app.config["MAX_CONTENT_LENGTH"] == 2000


def test_database_url_overrides_embedded_default(monkeypatch, tmp_path):
    url = f"sqlite:///{tmp_path / 'other.sqlite3'}"
    monkeypatch.setenv("DATABASE_URL", url)
    app = create_app({"SECRET_KEY": "k" * 64})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == url


def test_embedded_default_is_sqlite_under_instance(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    app = create_app({"SECRET_KEY": "k" * 64})
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    assert uri == f"sqlite:///{app.instance_path}/cookiesite.sqlite3"
    assert app.instance_path.endswith(f"{os.sep}instance")


def test_development_key_is_made_once_and_kept(tmp_path):
    key = development_secret_key(tmp_path / "instance")
    path = tmp_path / "instance" / "secret_key"
    assert len(key) == 64
    assert path.read_text() == key
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert development_secret_key(tmp_path / "instance") == key
    assert development_secret_key(tmp_path / "other") != key


def test_production_refuses_to_start_without_secret_key(monkeypatch, tmp_path):
    monkeypatch.setenv("COOKIESITE_ENV", "production")
    monkeypatch.delenv("FLASK_SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="FLASK_SECRET_KEY is not set"):
        create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/t.db"})


def test_production_takes_secret_key_from_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("COOKIESITE_ENV", "production")
    monkeypatch.setenv("FLASK_SECRET_KEY", "from-the-environment")
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/t.db"})
    assert app.config["SECRET_KEY"] == "from-the-environment"
    assert app.config["HTTPS"] is True


def test_unknown_environment_name_is_refused(monkeypatch, base):
    monkeypatch.setenv("COOKIESITE_ENV", "staging")
    with pytest.raises(RuntimeError, match="COOKIESITE_ENV must be one of"):
        create_app(base)


@pytest.mark.parametrize("days", [401, 1000])
def test_remember_duration_over_400_days_is_refused(base, days):
    with pytest.raises(CookieError, match="400 days"):
        create_app({**base, "REMEMBER_DURATION": timedelta(days=days)})


def test_remember_duration_of_400_days_is_allowed(base):
    app = create_app({**base, "REMEMBER_DURATION": timedelta(days=400)})
    assert app.config["REMEMBER_DURATION"] == timedelta(days=400)


@pytest.mark.sqlite_only
def test_sqlite_uses_wal_and_waits_for_locks(app):
    with app.app_context(), db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 15000
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_templates_and_static_are_found_from_anywhere(
    app, client, monkeypatch, tmp_path
):
    monkeypatch.chdir(tmp_path)
    assert client.get("/").status_code == 200
    assert client.get("/static/css/site.css").status_code == 200
    assert app.template_folder.endswith("templates")
    with app.app_context():
        assert db.session.scalar(sa.text("SELECT count(*) FROM users")) == 2
