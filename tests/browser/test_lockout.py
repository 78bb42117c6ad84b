"""A username locked by someone else's wrong guesses: the owner's browser,
holding a device cookie, still logs in; a fresh browser does not.

The test runs on a server of its own with a per-username limit of three, so
it needs few failed logins; its per-client limit is not the shared server's
either, so these failures from 127.0.0.1 count toward no other test's limit.
"""

import pytest
from actions import log_in
from actions import log_out
from actions import PASSWORD
from actions import sign_up
from playwright.sync_api import expect
from playwright.sync_api import Page

#: Three wrong guesses lock a username; the per-client limit stays out of the way.
LIMITS = {
    "LOGIN_LIMIT_PER_USERNAME": "3 per 15 minutes",
    "LOGIN_LIMIT_PER_CLIENT": "100 per 15 minutes",
}


@pytest.fixture(scope="module")
def server(start_live_server):
    """This module's server, with :data:`LIMITS`."""
    return start_live_server(**LIMITS)


def try_login(page: Page, name: str, password: str) -> int:
    """Send the login form from the login page; returns the answer's status."""
    page.goto("/login")
    page.get_by_label("Username").fill(name)
    page.get_by_label("Password").fill(password)
    with page.expect_response(
        lambda r: r.request.method == "POST" and "/login" in r.url
    ) as answer:
        page.get_by_role("button", name="Log in").click()
    return answer.value.status


def assert_locked(page: Page, name: str) -> None:
    """The right password gets the 429 page, and nobody is logged in."""
    assert try_login(page, name, PASSWORD) == 429
    expect(page.get_by_role("heading", level=1)).to_contain_text("429")
    expect(page.get_by_role("main")).to_contain_text(
        "Too many attempts in a short time. Try again in 15 minutes."
    )
    expect(page.get_by_role("button", name="Log out")).to_have_count(0)


def test_owner_with_a_device_cookie_logs_in_while_the_username_is_locked(
    browser, server
):
    owner = browser.new_context(base_url=server.url)
    attacker = browser.new_context(base_url=server.url)
    stranger = browser.new_context(base_url=server.url)
    try:
        page = owner.new_page()
        name = sign_up(page)
        log_out(page)
        log_in(page, name, remember=False)
        log_out(page)
        (device,) = [c for c in owner.cookies() if c["name"] == "device"]
        assert device["path"] == "/login"
        assert device["httpOnly"] and device["sameSite"] == "Lax"
        assert device["value"].startswith(f"{name}.")

        guessing = attacker.new_page()
        for n in range(3):
            assert try_login(guessing, name, f"wrong guess {n}") == 422
            expect(
                guessing.get_by_text("Unknown username or wrong password.")
            ).to_be_visible()
        assert_locked(guessing, name)

        # The owner's browser sends its device cookie with the form: not held.
        log_in(page, name, remember=False)
        expect(page.get_by_role("button", name="Log out")).to_be_visible()

        # A browser that never logged in to the account still is.
        assert_locked(stranger.new_page(), name)
    finally:
        for context in (owner, attacker, stranger):
            context.close()
