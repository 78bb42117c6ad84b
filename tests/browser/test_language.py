"""The language in a real browser: the header Chromium sends, the navbar
switch, and a member's choice reaching their second browser."""

from actions import PASSWORD
from actions import sign_up
from playwright.sync_api import expect
from playwright.sync_api import Page


def served_language(page: Page, path: str = "/") -> str:
    """Load ``path`` and return the ``lang`` of the HTML the server sent."""
    response = page.goto(path)
    assert response.headers["content-language"] == page.locator("html").get_attribute(
        "lang"
    )
    return page.locator("html").get_attribute("lang")


def test_chromium_asking_for_german_gets_german(browser, base_url):
    context = browser.new_context(base_url=base_url, locale="de-DE")
    try:
        page = context.new_page()
        assert served_language(page, "/cookies") == "de"
        nav = page.get_by_role("navigation", name="Hauptnavigation")
        expect(nav.get_by_role("link", name="Einstellungen")).to_be_visible()
        # The header decided: no cookie was set for it.
        assert [c for c in context.cookies() if c["name"] == "lang"] == []
    finally:
        context.close()


def test_a_member_switches_to_german_and_a_second_browser_gets_it(
    page: Page, browser, base_url
):
    # The first browser asks for English (Playwright's default en-US).
    name = sign_up(page)
    assert served_language(page, "/cookies") == "en"
    page.get_by_role("button", name="Deutsch").click()
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page).to_have_url(base_url + "/cookies")
    nav = page.get_by_role("navigation", name="Hauptnavigation")
    expect(nav.get_by_role("link", name="Einstellungen")).to_be_visible()
    expect(page.get_by_role("button", name="Deutsch")).to_have_attribute(
        "aria-pressed", "true"
    )
    nav.get_by_role("button", name="Abmelden").click()
    expect(nav.get_by_role("link", name="Anmelden")).to_be_visible()

    other = browser.new_context(base_url=base_url, locale="en-US")
    try:
        second = other.new_page()
        assert served_language(second, "/") == "en"
        second.get_by_role("navigation").get_by_role("link", name="Log in").click()
        second.get_by_label("Username").fill(name)
        second.get_by_label("Password").fill(PASSWORD)
        second.get_by_role("button", name="Log in").click()
        # The account's language, from the first page after the login, its
        # message included.
        expect(second.locator("html")).to_have_attribute("lang", "de")
        alert = second.get_by_role("alert")
        expect(alert).to_contain_text(name)
        expect(alert).not_to_contain_text("Logged in")
        (lang,) = [c for c in other.cookies() if c["name"] == "lang"]
        assert lang["value"] == "de" and lang["httpOnly"] and lang["expires"] > 0
        # The browser still asks for English; the cookie wins.
        assert served_language(second, "/preferences") == "de"
    finally:
        other.close()
