"""Many browsers at once against a real gunicorn with several workers.

The server runs in its own processes on 127.0.0.1, on this test's database
(a SQLite file, or PostgreSQL in that run), with CSRF protection on, as in
production. Every request count is bounded; nothing waits on a sleep.
"""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa
from werkzeug.security import generate_password_hash

from cookiesite.extensions import db
from cookiesite.models import User

from html_helpers import page
from html_helpers import text
from support import add_user
from support import assert_clean_log
from support import Browser
from support import make_app
from support import serve_with_gunicorn

PASSWORD = "concurrent horse battery"
WORKERS = 2
#: Simultaneous browsers; each runs one bounded script of requests.
BROWSERS = 12


@pytest.fixture
def site(database_url):
    """The site's database with a member per browser, quick to log in.

    Their hashes are cheap on purpose: the test is about the database, and
    scrypt for every login would only make it slow.
    """
    app = make_app(database_url)
    quick = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1")
    for n in range(BROWSERS):
        add_user(app, f"user{n}", quick)
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def gunicorn(site, database_url, tmp_path):
    """gunicorn with several worker processes, each with threads, on 127.0.0.1."""
    log = tmp_path / "gunicorn.log"
    # Every browser comes from 127.0.0.1: the limits are not under test.
    unlimited = "100000 per minute"
    with serve_with_gunicorn(
        database_url,
        log,
        workers=WORKERS,
        threads=4,
        LOGIN_LIMIT_PER_CLIENT=unlimited,
        SIGNUP_LIMIT_PER_CLIENT=unlimited,
    ) as base:
        yield base, log


@pytest.fixture
def browsers(gunicorn, set_cookie_audit):
    """Make browsers; what the server sets goes to the cookie audit too."""
    base, _ = gunicorn
    return lambda: Browser(base, set_cookie_audit)


def run_at_once(count, script):
    """Run ``script(n)`` in ``count`` threads, started together."""
    start = threading.Barrier(count)

    def go(n):
        start.wait(timeout=60)
        return script(n)

    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(go, range(count)))


def test_simultaneous_signups_of_one_name_make_one_user(site, gunicorn, browsers):
    clients = [browsers() for _ in range(BROWSERS)]
    tokens = [client.token("/signup") for client in clients]

    def sign_up(n):
        data = {
            "csrf_token": tokens[n],
            "username": "Twin",
            "password": "twin oat cookies",
            "confirm": "twin oat cookies",
        }
        return clients[n].open("/signup", data)

    results = run_at_once(BROWSERS, sign_up)
    statuses = sorted(status for status, _ in results)
    assert statuses == [303] + [422] * (BROWSERS - 1)
    for status, body in results:
        if status == 422:
            assert "That username is taken." in text(page(body))
    with site.app_context():
        query = sa.select(sa.func.count()).where(User.username_key == "twin")
        assert db.session.scalar(query) == 1
    assert_clean_log(gunicorn[1])


def test_logins_pages_preferences_and_reports_at_once(site, gunicorn, browsers):
    endpoints = set(site.view_functions)
    pages = sorted(
        rule.rule
        for rule in site.url_map.iter_rules()
        if "GET" in rule.methods
        and not rule.arguments
        and not rule.endpoint.endswith("static")
    )
    reports = [path for path in pages if path.startswith("/reports")]

    def visit(n):
        client = browsers()
        statuses = []
        data = {"username": f"user{n}", "password": PASSWORD}
        statuses.append(client.post("/login", data, form_page="/login")[0])
        for path in pages:
            statuses.append(client.open(path)[0])
        if "consent.choose" in endpoints:
            statuses.append(client.post("/consent", {"choice": "accept"})[0])
        for round_ in range(2):
            if "prefs.toggle" in endpoints:
                toggle = {"next": "/", "theme": ("dark", "light")[round_]}
                statuses.append(client.post("/preferences/theme", toggle)[0])
            if "prefs.index" in endpoints:
                choice = {"theme": ("dark", "auto")[round_]}
                statuses.append(client.post("/preferences", choice, "/preferences")[0])
            for path in reports:
                statuses.append(client.open(path)[0])
        statuses.append(client.post("/logout", {})[0])
        return statuses

    results = run_at_once(BROWSERS, visit)
    for statuses in results:
        assert statuses[0] == 303, "login failed"
        assert all(status < 500 for status in statuses), statuses
        assert statuses[-1] == 303, "logout failed"
    requests = assert_clean_log(gunicorn[1])
    assert requests >= BROWSERS * len(pages)
    if "prefs.index" in endpoints:
        with site.app_context():
            themes = db.session.scalars(
                sa.select(User.theme).where(User.username.like("user%"))
            ).all()
        assert themes == ["auto"] * BROWSERS
