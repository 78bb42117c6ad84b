"""Login limits across processes: counted apart in memory, shared in Redis.

Two gunicorn servers stand for two machines behind one load balancer: a
client's failed logins alternate between them. With the default
``memory://`` storage each process counts alone; with one Redis they count
together. The Redis tests need ``TEST_REDIS_URL`` (``.ci/run`` starts Debian's
``redis-server`` on a loopback port for its third run) and skip without it.
"""

import os
import secrets
from contextlib import ExitStack

import pytest
from werkzeug.security import generate_password_hash

from cookiesite import throttle

from support import add_user
from support import Browser
from support import make_app
from support import serve_with_gunicorn

#: ``redis://127.0.0.1:<port>/0`` of a Redis this run may write to.
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL")

needs_redis = pytest.mark.skipif(
    not TEST_REDIS_URL, reason="no TEST_REDIS_URL: .ci/run's Redis run sets it"
)

#: Four failures per username, and a client limit far away.
LIMITS = {
    "LOGIN_LIMIT_PER_USERNAME": "4 per 15 minutes",
    "LOGIN_LIMIT_PER_CLIENT": "100 per 15 minutes",
}


def isolated(storage_uri: str) -> dict:
    """Settings for servers that count in ``storage_uri``, under a key
    prefix of their own so that no other test's counts are seen."""
    return {
        **LIMITS,
        "RATELIMIT_STORAGE_URI": storage_uri,
        "RATELIMIT_KEY_PREFIX": f"test-{secrets.token_hex(4)}",
    }


def first_429(database_url, tmp_path, settings) -> int:
    """Which failed login got the first 429, sent in turn to two servers."""
    app = make_app(database_url)
    cheap = generate_password_hash("right password", method="pbkdf2:sha256:1")
    add_user(app, "member", cheap)
    with ExitStack() as stack:
        bases = [
            stack.enter_context(
                serve_with_gunicorn(database_url, tmp_path / f"{n}.log", **settings)
            )
            for n in range(2)
        ]
        seen = []
        browsers = [Browser(base, seen) for base in bases]
        for attempt in range(1, 13):
            browser = browsers[attempt % 2]
            wrong = {"username": "member", "password": "wrong"}
            status, _ = browser.post("/login", wrong, form_page="/login")
            if status == 429:
                return attempt
            assert status == 422
    pytest.fail("no 429 in 12 failed logins")


def test_in_memory_each_process_counts_alone(database_url, tmp_path):
    # Server 1 gets attempts 1, 3, 5, 7, 9: its own fifth failure is the 9th.
    assert first_429(database_url, tmp_path, isolated("memory://")) == 9


@needs_redis
def test_with_redis_two_processes_share_one_count(database_url, tmp_path):
    assert first_429(database_url, tmp_path, isolated(TEST_REDIS_URL)) == 5


@needs_redis
@pytest.mark.parametrize(
    "app_config", [{**LIMITS, "RATELIMIT_STORAGE_URI": TEST_REDIS_URL}]
)
def test_the_limiter_counts_in_redis(app, auth):
    assert type(throttle.limiter.storage).__name__ == "RedisStorage"
    assert throttle.limiter.storage.check() is True
    # One limiter serves every app of this process, and the servers of the
    # other tests count under prefixes of their own: start from nothing.
    throttle.limiter.reset()
    for _ in range(4):
        assert auth.login("member", "wrong").status_code == 422
    assert auth.login("member").status_code == 429
    # Another username, and the same one once the counts are gone.
    assert auth.login("admin").status_code == 303
    auth.logout()
    throttle.limiter.reset()
    assert auth.login("member").status_code == 303
