"""A live server and a Chromium for the browser tests.

Debian's Chromium (``/usr/bin/chromium``, which ``make test`` installs when it
runs as root) where it is, else Playwright's own where ``playwright install
chromium`` put it; without either the tests skip, with the reason.
"""

import contextlib
import shutil
import threading
from functools import cache
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright
from site_tour import open_as
from werkzeug.serving import make_server

from support import add_user
from support import make_app

DEBIAN_CHROMIUM = Path("/usr/bin/chromium")


@cache
def chromium() -> Path | None:
    """The Chromium to drive: Debian's, else Playwright's own, else None."""
    if DEBIAN_CHROMIUM.exists():
        return DEBIAN_CHROMIUM
    with sync_playwright() as playwright:
        own = Path(playwright.chromium.executable_path)
    return own if own.exists() else None


def pytest_collection_modifyitems(config, items):
    """Mark every test here ``browser``, and skip them all without Chromium."""
    browser_tests = [
        item
        for item in items
        if "tests/browser/" in str(item.fspath).replace("\\", "/")
    ]
    if not browser_tests:
        return
    skip = pytest.mark.skip(
        reason=f"no Chromium: neither {DEBIAN_CHROMIUM} (`make test` as root, or"
        " `apt-get install chromium`) nor Playwright's (`playwright install chromium`)"
    )
    for item in browser_tests:
        item.add_marker(pytest.mark.browser)
        if chromium() is None:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Launch the Chromium :func:`chromium` found."""
    return {
        **browser_type_launch_args,
        "executable_path": str(chromium()),
        "args": [
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


class LiveServer:
    """The site served by Werkzeug in a thread, on a free port of 127.0.0.1."""

    def __init__(self, app):
        self.app = app
        self._server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._server.shutdown()
        self._thread.join()


@pytest.fixture(scope="session")
def live_server(migrated_db, tmp_path_factory, password_hash):
    """One server for the browser tests; each test uses accounts of its own."""
    path = tmp_path_factory.mktemp("live") / "live.sqlite3"
    shutil.copy(migrated_db, path)
    app = make_app(f"sqlite:///{path}", WTF_CSRF_ENABLED=True)
    add_user(app, "admin", password_hash, is_admin=True)
    with LiveServer(app) as server:
        yield server


@pytest.fixture(scope="session")
def start_live_server(migrated_db, tmp_path_factory):
    """Start a server of a test's own, with ``config`` over the test settings,
    for a test that needs settings the shared one must not have (smaller
    limits); each runs until the end of the session. Returns its ``LiveServer``.
    """
    with contextlib.ExitStack() as servers:

        def start(**config):
            path = tmp_path_factory.mktemp("own") / "live.sqlite3"
            shutil.copy(migrated_db, path)
            app = make_app(f"sqlite:///{path}", WTF_CSRF_ENABLED=True, **config)
            return servers.enter_context(LiveServer(app))

        yield start


@pytest.fixture(scope="session")
def base_url(live_server):
    """Relative URLs in ``page.goto`` go to the live server."""
    return live_server.url


@pytest.fixture
def restart_browser(browser, base_url):
    """Close the browser and open it again: only cookies with an expiry survive.

    Returns a page in a new context holding what a real browser would keep.
    """
    contexts = []

    def restart(context):
        kept = [c for c in context.cookies() if c["expires"] != -1]
        context.close()
        new = browser.new_context(base_url=base_url)
        new.add_cookies(kept)
        contexts.append(new)
        return new.new_page()

    yield restart
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def visitor_context(browser, base_url):
    """A browser context per kind of visitor (see ``site_tour.open_as``),
    made on first use and shared by the tests that walk every page."""
    contexts = {}

    def get(visitor):
        if visitor not in contexts:
            contexts[visitor] = open_as(browser, base_url, visitor)
        return contexts[visitor]

    yield get
    for context in contexts.values():
        context.close()
