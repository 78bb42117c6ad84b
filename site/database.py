"""Database settings that SQLAlchemy cannot express in a URL."""

import sqlite3

from flask import Flask
from sqlalchemy import event

from cookiesite.extensions import db

#: How long a SQLite writer waits for another one before giving up (ms).
BUSY_TIMEOUT_MS = 15_000


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    """WAL lets readers and a writer work at once; the busy timeout makes a
    second writer wait instead of failing with "database is locked".

    ``synchronous=NORMAL`` is safe with WAL (a crash cannot corrupt the file;
    a power cut may lose the last commits) and makes each commit several
    times cheaper, which the page-view recording of /reports feels.
    """
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def engine_options(app: Flask) -> None:
    """On a database server, test a pooled connection before each use.

    The server may have closed it meanwhile (a restart, an idle timeout);
    ``pool_pre_ping`` finds that out and reconnects instead of failing the
    request. A SQLite connection is an open file and cannot go stale, so
    there the ping would only be a query more per request.
    """
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        options = app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {})
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {"pool_pre_ping": True, **options}


def tune_sqlite(app: Flask) -> None:
    """Apply the pragmas to every new SQLite connection of this app."""
    with app.app_context():
        event.listen(db.engine, "connect", _sqlite_pragmas)
