"""The cookie inspector follows the redirect every form answers with.

A form's response is a redirect the browser follows at once, so it is never
drawn; the page it leads to shows it in its inspector as the "previous
response", with each cookie it set, updated or deleted.
"""

from actions import log_in
from actions import log_out
from actions import sign_up
from playwright.sync_api import expect
from playwright.sync_api import Page


def previous(page: Page):
    """The inspector's previous-response block, opened."""
    page.locator("details.cookie-inspector summary").click()
    return page.get_by_role("region", name="Previous response")


def change(block, operation: str, name: str):
    """The item of ``block`` that says ``operation`` of cookie ``name``."""
    return block.locator("li.inspector-change").filter(
        has=block.page.get_by_text(f"{operation} {name}", exact=True)
    )


def test_the_theme_switch_shows_its_response_on_the_next_page(page: Page):
    page.goto("/cookies")
    page.get_by_role("button", name="Switch to dark mode").click()
    expect(page.locator("html")).to_have_attribute("data-bs-theme", "dark")
    block = previous(page)
    expect(block.get_by_role("heading")).to_contain_text(
        "POST /preferences/theme → 303 See Other"
    )
    theme = change(block, "set", "theme")
    expect(theme).to_contain_text("Set-Cookie: theme=dark;")
    expect(theme).to_contain_text("400 days")
    # Pressed again: the same cookie, updated.
    page.get_by_role("button", name="Switch to light mode").click()
    expect(change(previous(page), "update", "theme")).to_contain_text("theme=light")


def test_login_with_remember_me_and_logout_show_the_remember_cookie(page: Page):
    name = sign_up(page)
    log_out(page)
    log_in(page, name, remember=True)
    block = previous(page)
    expect(block.get_by_role("heading")).to_contain_text("POST /login")
    remember = change(block, "set", "remember")
    expect(remember).to_contain_text("30 days")
    expect(remember).to_contain_text("characters)")  # the token, shortened
    log_out(page)
    block = previous(page)
    expect(block.get_by_role("heading")).to_contain_text("POST /logout → 303 See Other")
    expect(change(block, "delete", "remember")).to_contain_text("deleted now")


def test_reject_shows_the_analytics_cookies_deleted_at_their_path(page: Page):
    page.goto("/")
    page.get_by_role("button", name="Accept analytics cookies").click()
    page.goto("/reports")  # sets visitor and visit, at /reports
    page.goto("/cookies")
    page.get_by_role("button", name="Reject analytics cookies").click()
    block = previous(page)
    expect(block.get_by_role("heading")).to_contain_text(
        "POST /consent → 303 See Other"
    )
    for analytics in ("visitor", "visit"):
        deleted = change(block, "delete", analytics)
        expect(deleted).to_contain_text("path /reports")
        expect(deleted).to_contain_text("Path=/reports")
    expect(change(block, "update", "consent")).to_contain_text("consent=1.reject")
