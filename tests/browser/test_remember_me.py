"""Sign up, log in with and without "Remember me", and restart the browser."""

from actions import log_in
from actions import log_out
from actions import sign_up
from playwright.sync_api import expect
from playwright.sync_api import Page


def test_remember_me_survives_a_browser_restart(page: Page, context, restart_browser):
    name = sign_up(page)
    log_out(page)
    log_in(page, name, remember=True)

    remember = [c for c in context.cookies() if c["name"] == "remember"]
    assert (
        len(remember) == 1
        and remember[0]["httpOnly"]
        and remember[0]["sameSite"] == "Lax"
    )

    page = restart_browser(context)
    page.goto("/")
    expect(page.locator("nav").get_by_text(name, exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    # Logged in again without a word typed: the page says so, once.
    expect(page.get_by_role("alert")).to_have_count(1)
    expect(page.get_by_role("alert")).to_contain_text(
        f"Welcome back, {name}: the remember cookie logged you in again"
    )
    page.get_by_role("navigation").get_by_role("link", name="Preferences").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_role("alert")).to_have_count(0)
    page.goto("/")
    expect(page.get_by_role("alert")).to_have_count(0)


def test_without_remember_me_a_restart_logs_out(page: Page, context, restart_browser):
    name = sign_up(page)
    log_out(page)
    log_in(page, name, remember=False)
    assert not [c for c in context.cookies() if c["name"] == "remember"]

    page = restart_browser(context)
    page.goto("/")
    expect(
        page.get_by_role("navigation").get_by_role("link", name="Log in")
    ).to_be_visible()
    expect(page.get_by_role("button", name="Log out")).to_have_count(0)


def test_logout_leaves_no_login_cookie(page: Page, context):
    name = sign_up(page)
    log_out(page)
    log_in(page, name, remember=True)
    page.get_by_role("button", name="Log out").click()
    # The device cookie stays: it logs nobody in, it only keeps this browser
    # out of a lockout of the username (test_lockout.py).
    assert sorted(c["name"] for c in context.cookies()) == ["device", "session"]
    page.goto("/")
    expect(
        page.get_by_role("navigation").get_by_role("link", name="Log in")
    ).to_be_visible()
