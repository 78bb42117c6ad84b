"""What a person does in the browser, shared by the browser tests."""

import itertools

from playwright.sync_api import expect
from playwright.sync_api import Page

PASSWORD = "browser pass 1"
_numbers = itertools.count()


def sign_up(page: Page) -> str:
    """Make a new account through the form (which logs it in); returns its name."""
    page.goto("/")
    page.get_by_role("navigation").get_by_role("link", name="Sign up").click()
    return fill_in_sign_up(page, f"visitor{next(_numbers)}")


def fill_in_sign_up(page: Page, name: str) -> str:
    """Send the sign-up form the page shows, for ``name``; returns the name."""
    page.get_by_label("Username").fill(name)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Confirm password").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("alert")).to_contain_text(f"Welcome, {name}!")
    return name


def log_in(page: Page, name: str, remember: bool) -> None:
    """Log in through the navbar's link and the login form."""
    page.get_by_role("navigation").get_by_role("link", name="Log in").click()
    page.get_by_label("Username").fill(name)
    page.get_by_label("Password").fill(PASSWORD)
    if remember:
        page.get_by_label("Remember me").check()
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_have_text(f"Logged in as {name}.")


def close_page(page: Page) -> None:
    """Close a tab without waiting for Chromium to confirm it.

    Chromium can acknowledge a close that races a navigation commit and then
    never close the tab (crbug.com/536385539, Playwright issue #42366), so a
    plain ``page.close()`` may wait forever. With ``run_before_unload`` the
    close is sent and not awaited; the site has no ``beforeunload`` handler,
    so no dialog can appear. The tests still wait for every navigation they
    start before closing, and the context's own close cleans up.
    """
    page.close(run_before_unload=True)


def log_out(page: Page) -> None:
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("alert")).to_have_text("You are logged out.")
