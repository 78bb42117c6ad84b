"""Fixtures: ``app`` on a migrated database, ``client``, ``runner``, ``auth``.

The suite runs on SQLite (a copy of one migrated file per test) unless
``TEST_DATABASE_URL`` names a PostgreSQL database: then that database (or,
under pytest-xdist, one beside it per worker) is migrated once and emptied
before each test. ``.ci/run`` does both runs.
Every ``Set-Cookie`` header any app sends during the run is audited at the end.
"""

import os
import re
import shutil
import uuid
from contextlib import contextmanager
from datetime import datetime
from datetime import UTC
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
from flask import request as http_request
from flask import request_finished
from flask_migrate import upgrade
from werkzeug.security import generate_password_hash

from cookiesite.extensions import db
from cookiesite.lab.family import LAB

from cookies_helpers import parse
from support import add_user
from support import AuthActions
from support import make_app
from support import PASSWORD

#: A PostgreSQL URL (``postgresql+psycopg://...``) to run the suite on; the
#: database it names is wiped. Unset: SQLite.
TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "sqlite_only: about SQLite itself; skipped in the PostgreSQL run"
    )


def pytest_report_header(config):
    if TEST_DATABASE_URL:
        url = sa.make_url(TEST_DATABASE_URL).render_as_string(hide_password=True)
        return f"database: PostgreSQL at {url} (TEST_DATABASE_URL)"
    return "database: SQLite, a migrated copy per test"


def pytest_collection_modifyitems(config, items):
    if not TEST_DATABASE_URL:
        return
    skip = pytest.mark.skip(reason="about SQLite; this is the PostgreSQL run")
    for item in items:
        if item.get_closest_marker("sqlite_only"):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def migrated_db(tmp_path_factory):
    """A SQLite file with every migration applied: made once, copied per test."""
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    app = make_app(f"sqlite:///{path}")
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return path


@contextmanager
def scratch_postgres(name: str):
    """A new PostgreSQL database beside ``TEST_DATABASE_URL``'s, dropped at the
    end (the role needs CREATEDB, as ``.ci/run`` grants); yields its URL."""
    url = sa.make_url(TEST_DATABASE_URL)
    name = f"{url.database}_{name}"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
        # No test waits for its commits to reach the disk.
        connection.exec_driver_sql(
            f'ALTER DATABASE "{name}" SET synchronous_commit = off'
        )
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE "{name}" WITH (FORCE)')
        admin.dispose()


@pytest.fixture(scope="session")
def postgres_url():
    """The PostgreSQL run's database: ``TEST_DATABASE_URL`` itself, or under
    pytest-xdist a database of each worker's own beside it."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        yield TEST_DATABASE_URL
        return
    with scratch_postgres(worker) as url:
        yield url


@pytest.fixture(scope="session")
def empty_postgres(postgres_url):
    """In the PostgreSQL run: wipe the database and migrate it, once.

    Returns what empties it again before each test: every row deleted and
    every id sequence restarted at 1, as in a fresh SQLite copy. (DELETE is
    much quicker than TRUNCATE on tables this small.)
    """
    app = make_app(postgres_url)
    with app.app_context():
        with db.engine.begin() as connection:
            connection.exec_driver_sql("DROP SCHEMA IF EXISTS public CASCADE")
            connection.exec_driver_sql("CREATE SCHEMA public")
        upgrade()
        db.engine.dispose()
    engine = sa.create_engine(postgres_url)
    metadata = sa.MetaData()
    metadata.reflect(engine)
    # Children first, so no foreign key ever points at a deleted row.
    tables = [
        t for t in reversed(metadata.sorted_tables) if t.name != "alembic_version"
    ]
    with engine.connect() as connection:
        sequences = (
            connection.exec_driver_sql(
                "SELECT sequence_name FROM information_schema.sequences"
                " WHERE sequence_schema = 'public'"
            )
            .scalars()
            .all()
        )

    def empty():
        with engine.begin() as connection:
            for table in tables:
                connection.execute(table.delete())
            for name in sequences:
                connection.exec_driver_sql(f'ALTER SEQUENCE "{name}" RESTART')

    yield empty
    engine.dispose()


@pytest.fixture
def database_url(request, tmp_path):
    """A migrated database of this test's own, holding no rows."""
    if not TEST_DATABASE_URL:
        path = tmp_path / "test.sqlite3"
        shutil.copy(request.getfixturevalue("migrated_db"), path)
        return f"sqlite:///{path}"
    request.getfixturevalue("empty_postgres")()
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def empty_database(tmp_path):
    """A database with no tables at all, for the migration tests: on
    PostgreSQL a new one beside the test database, dropped afterwards."""
    if not TEST_DATABASE_URL:
        yield f"sqlite:///{tmp_path / 'empty.sqlite3'}"
        return
    with scratch_postgres(f"empty_{uuid.uuid4().hex[:8]}") as url:
        yield url


#: The most a browser keeps a cookie (RFC 6265bis), and its largest size.
MAX_AGE = 400 * 24 * 3600
MAX_BYTES = 4096


def lab_cookie_problems(cookie, host: str | None) -> list[str]:
    """What is wrong with a lab cookie, by the lab's own rules (``LAB``).

    Lab cookies may lack HttpOnly and SameSite on purpose; they may not leave
    the lab: a name of the lab's, a path under it, a small size, and no
    Domain but the host that set it (``host``, ``None`` when unknown).
    """
    problems = []
    rest = cookie.name.removeprefix(LAB.prefix)
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]*", rest):
        problems.append(f"{cookie.name!r} is not {LAB.prefix} and a name of the lab's")
    path = cookie.attrs.get("path")
    if not isinstance(path, str) or not (
        path == LAB.path or path.startswith(LAB.path + "/")
    ):
        problems.append(f"Path {path!r} is not under {LAB.path}")
    elif {".", "..", ""} & set(path.split("/")[1:]):
        problems.append(f"Path {path!r} has an empty, . or .. segment")
    size = len(cookie.name.encode()) + len(cookie.value.encode())
    if size > LAB.max_bytes:
        problems.append(f"{size} bytes, over the lab's {LAB.max_bytes}")
    domain = cookie.attrs.get("domain")
    if domain is not None:
        try:
            own = urlsplit("//" + host).hostname if host else None
        except ValueError:  # a malformed Host header
            own = None
        if not isinstance(domain, str) or domain.lower() != own:
            problems.append(f"Domain {domain!r} is not the host it came from, {own}")
    return problems


def cookie_problems(header: str, host: str | None = None) -> list[str]:
    """What is wrong with one ``Set-Cookie`` header, by the site's rules: a
    lab cookie (``lab_...``) by the lab's own rules instead of the flags.
    ``host`` is the ``Host`` of the request it answered, when known."""
    cookie = parse(header)
    problems = []
    if cookie.name.startswith(LAB.prefix):
        problems += lab_cookie_problems(cookie, host)
    else:
        if cookie.attrs.get("httponly") is not True:
            problems.append("not HttpOnly")
        if cookie.attrs.get("samesite", "").lower() not in ("lax", "strict"):
            problems.append("no SameSite=Lax or Strict")
    if cookie.max_age is not None and cookie.max_age > MAX_AGE:
        problems.append(f"Max-Age {cookie.max_age} is over 400 days")
    if cookie.expires is not None:
        days = (cookie.expires - datetime.now(UTC)).total_seconds() / 86400
        if days > 400:
            problems.append(f"expires in {days:.0f} days, over 400")
    size = len(cookie.name.encode()) + len(cookie.value.encode())
    if size > MAX_BYTES:
        problems.append(f"{size} bytes, over {MAX_BYTES}")
    return problems


@pytest.fixture
def audit_rules():
    """The audit's rules (:func:`cookie_problems`), for the tests that show
    the audit itself can fail."""
    return cookie_problems


#: How many Set-Cookie headers the audit checked, for the summary line.
AUDITED = pytest.StashKey[int]()


@pytest.fixture(scope="session", autouse=True)
def set_cookie_audit(request):
    """Every ``Set-Cookie`` header of the run, checked after the last test.

    It listens to every app of this process (the test apps and the browser
    tests' live server); a test of another server appends what its client
    received. When ``test_auth.py`` ran, the audit must have seen the login
    cookies (and the device cookie a login sets) set and deleted many times,
    so it cannot pass by seeing nothing.
    Each header's request host is noted, for the lab's Domain rule.
    """
    seen = []
    hosts = {}

    def collect(sender, response, **extra):
        headers = response.headers.getlist("Set-Cookie")
        seen.extend(headers)
        # Sent inside the request's context: its Host header is at hand
        # (``request`` here is pytest's, hence the other name). The raw
        # header: ``request.host`` raises for a host the app does not trust.
        hosts.update(dict.fromkeys(headers, http_request.headers.get("Host")))

    request_finished.connect(collect)
    yield seen
    request_finished.disconnect(collect)
    config = request.config
    config.stash[AUDITED] = len(seen)
    if hasattr(config, "workeroutput"):  # a pytest-xdist worker: tell the controller
        config.workeroutput["audited"] = len(seen)
    bad = {h: p for h in seen if (p := cookie_problems(h, hosts.get(h)))}
    assert not bad, "Set-Cookie headers that break the rules:\n" + "\n".join(
        f"{header}: {', '.join(problems)}" for header, problems in bad.items()
    )
    if "test_auth.py" in config.stash.get(RAN, set()):
        names = {parse(header).name.removeprefix("__Host-") for header in seen}
        assert len(seen) >= 50, f"the cookie audit saw only {len(seen)} headers"
        assert {"session", "remember", "device"} <= names, names


#: The test files this process ran (under pytest-xdist, a share of them).
RAN = pytest.StashKey[set]()


def pytest_runtest_setup(item):
    item.config.stash.setdefault(RAN, set()).add(item.path.name)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    """Under pytest-xdist: add up what each worker's audit checked."""
    audited = getattr(node, "workeroutput", {}).get("audited")
    if audited is not None:
        node.config.stash[AUDITED] = node.config.stash.get(AUDITED, 0) + audited


def pytest_terminal_summary(terminalreporter, config):
    if AUDITED in config.stash:
        terminalreporter.write_line(
            f"cookie audit: {config.stash[AUDITED]} Set-Cookie headers checked"
            " (HttpOnly, SameSite, <= 400 days, <= 4096 bytes; lab_ cookies by"
            " the lab's rules)"
        )


@pytest.fixture(scope="session")
def password_hash():
    """Hashing is slow on purpose, so the test accounts share one hash."""
    return generate_password_hash(PASSWORD)


@pytest.fixture
def app_config():
    """Settings a test module can override for its ``app``."""
    return {}


@pytest.fixture
def app(database_url, password_hash, app_config, request):
    """The site on its own database, with ``member`` and ``admin`` accounts.

    Any 5xx response during the test fails it: bad input must get a 4xx.
    """
    app = make_app(database_url, **app_config)
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
