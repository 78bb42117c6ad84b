"""Dark mode in a real browser: at once, after a restart, and on another browser."""

from actions import log_in
from actions import log_out
from actions import sign_up
from playwright.sync_api import expect
from playwright.sync_api import Page


def served_theme(page: Page, path: str = "/") -> str:
    """Load ``path`` and return data-bs-theme as the server sent it.

    Reading the HTML of the response, before any script ran, is what shows
    there is no flash of the wrong theme.
    """
    response = page.goto(path)
    html = response.text()
    start = html.index('data-bs-theme="') + len('data-bs-theme="')
    return html[start : html.index('"', start)]


def test_toggle_switches_to_dark_at_once_and_after_restart(
    page: Page, context, restart_browser
):
    page.goto("/cookies")
    expect(page.locator("html")).to_have_attribute("data-bs-theme", "light")
    page.get_by_role("button", name="Switch to dark mode").click()
    # Back on the page it was pressed on, dark, with the button flipped.
    expect(page).to_have_url(
        f"{page.context.pages[0].url.split('/cookies')[0]}/cookies"
    )
    expect(page.locator("html")).to_have_attribute("data-bs-theme", "dark")
    expect(page.get_by_role("button", name="Switch to light mode")).to_be_visible()
    assert served_theme(page, "/") == "dark"  # reload: dark from the first byte

    theme = next(c for c in context.cookies() if c["name"] == "theme")
    assert theme["value"] == "dark" and theme["httpOnly"] and theme["expires"] > 0

    page = restart_browser(context)
    assert served_theme(page, "/preferences") == "dark"


def test_a_second_browser_gets_the_members_theme(page: Page, browser, base_url):
    name = sign_up(page)
    page.get_by_role("button", name="Switch to dark mode").click()
    expect(page.locator("html")).to_have_attribute("data-bs-theme", "dark")
    log_out(page)

    other = browser.new_context(base_url=base_url)
    try:
        second = other.new_page()
        assert served_theme(second, "/") == "light"
        log_in(second, name, remember=False)
        expect(second.locator("html")).to_have_attribute("data-bs-theme", "dark")
        assert served_theme(second, "/") == "dark"
    finally:
        other.close()


def test_auto_follows_the_system_setting(browser, base_url):
    context = browser.new_context(base_url=base_url, color_scheme="dark")
    try:
        page = context.new_page()
        page.goto("/preferences")
        page.get_by_label("Auto").check()
        page.get_by_role("button", name="Save preferences").click()
        expect(page.locator("html")).to_have_attribute("data-theme-choice", "auto")
        expect(page.locator("html")).to_have_attribute("data-bs-theme", "dark")
        expect(page.get_by_role("button", name="Switch to light mode")).to_be_visible()
        page.emulate_media(color_scheme="light")
        expect(page.locator("html")).to_have_attribute("data-bs-theme", "light")
    finally:
        context.close()
