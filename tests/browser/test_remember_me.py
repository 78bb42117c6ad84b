"""Sign up, log in with and without "Remember me", and restart the browser."""

import itertools

from playwright.sync_api import expect
from playwright.sync_api import Page

PASSWORD = "browser pass 1"
_numbers = itertools.count()


def sign_up(page: Page) -> str:
    """Make a new account through the form; returns its name."""
    name = f"visitor{next(_numbers)}"
    page.goto("/")
    page.get_by_role("navigation").get_by_role("link", name="Sign up").click()
    page.get_by_label("Username").fill(name)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Confirm password").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("alert")).to_contain_text(f"Welcome, {name}!")
    return name


def log_in(page: Page, name: str, remember: bool) -> None:
    page.get_by_role("navigation").get_by_role("link", name="Log in").click()
    page.get_by_label("Username").fill(name)
    page.get_by_label("Password").fill(PASSWORD)
    if remember:
        page.get_by_label("Remember me").check()
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_have_text(f"Logged in as {name}.")


def test_remember_me_survives_a_browser_restart(page: Page, context, restart_browser):
    name = sign_up(page)
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("alert")).to_have_text("You are logged out.")
    log_in(page, name, remember=True)

    remember = [c for c in context.cookies() if c["name"] == "remember_token"]
    assert (
        len(remember) == 1
        and remember[0]["httpOnly"]
        and remember[0]["sameSite"] == "Lax"
    )

    page = restart_browser(context)
    page.goto("/")
    expect(page.locator("nav").get_by_text(name, exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def test_without_remember_me_a_restart_logs_out(page: Page, context, restart_browser):
    name = sign_up(page)
    page.get_by_role("button", name="Log out").click()
    log_in(page, name, remember=False)
    assert not [c for c in context.cookies() if c["name"] == "remember_token"]

    page = restart_browser(context)
    page.goto("/")
    expect(
        page.get_by_role("navigation").get_by_role("link", name="Log in")
    ).to_be_visible()
    expect(page.get_by_role("button", name="Log out")).to_have_count(0)


def test_logout_leaves_no_login_cookie(page: Page, context):
    name = sign_up(page)
    page.get_by_role("button", name="Log out").click()
    log_in(page, name, remember=True)
    page.get_by_role("button", name="Log out").click()
    assert [c["name"] for c in context.cookies()] == ["session"]
    page.goto("/")
    expect(
        page.get_by_role("navigation").get_by_role("link", name="Log in")
    ).to_be_visible()
