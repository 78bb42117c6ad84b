"""Every page of the site, and the three kinds of visitor who see them.

Shared by the accessibility and small-screen tests, which both walk the
whole site: each page is opened as the visitor who can see it, in a browser
context of that visitor's own (logged in, consent answered or not).
"""

from actions import close_page
from actions import sign_up
from playwright.sync_api import Browser
from playwright.sync_api import BrowserContext
from playwright.sync_api import expect

from support import PASSWORD as ADMIN_PASSWORD

#: ``(visitor, path, HTTP status)`` for every page. The anonymous visitor has
#: not answered the analytics question, so the consent banner is on their
#: pages; the member accepted analytics cookies (the reports count them and
#: show their cookies), the admin rejected them.
PAGES = [
    ("anonymous", "/", 200),
    ("anonymous", "/signup", 200),
    ("anonymous", "/login", 200),
    ("anonymous", "/preferences", 200),
    ("anonymous", "/cookies", 200),
    ("anonymous", "/reports", 200),
    ("anonymous", "/reports/your-visit", 200),
    ("anonymous", "/lab", 200),
    ("anonymous", "/no-such-page", 404),
    ("anonymous", "/account/password", 405),
    ("member", "/", 200),
    ("member", "/account", 200),
    ("member", "/preferences", 200),
    ("member", "/reports", 200),
    ("member", "/reports/pages", 200),
    ("member", "/reports/themes", 200),
    ("member", "/reports/your-visit", 200),
    ("member", "/admin/users", 403),
    ("member", "/logout", 405),
    ("admin", "/cookies", 200),
    ("admin", "/admin/cookies", 200),
    ("admin", "/reports/admin-cookies", 200),
    ("admin", "/admin/sessions", 200),
    ("admin", "/admin/users", 200),
]

#: Pages drawn inside a frame of another page (``/admin/cookies``): no navbar,
#: no footer, no note of their own.
FRAMED = {"/reports/admin-cookies"}


def page_id(entry: tuple) -> str:
    """A readable test id: ``member /account``."""
    return f"{entry[0]} {entry[1]}"


def open_as(browser: Browser, base_url: str, visitor: str) -> BrowserContext:
    """A new browser context for ``visitor``, set up through the real pages."""
    context = browser.new_context(base_url=base_url)
    page = context.new_page()
    if visitor == "member":
        sign_up(page)
        page.get_by_role("button", name="Accept analytics cookies").click()
        expect(page.get_by_role("alert")).to_contain_text("Analytics cookies accepted")
        # Two page views, so the reports' charts have something to draw.
        page.goto("/reports")
        page.goto("/reports/pages")
    elif visitor == "admin":
        page.goto("/login")
        page.get_by_label("Username").fill("admin")
        page.get_by_label("Password").fill(ADMIN_PASSWORD)
        page.get_by_role("button", name="Log in").click()
        expect(page.get_by_role("alert")).to_have_text("Logged in as admin.")
        page.get_by_role("button", name="Reject analytics cookies").click()
        expect(page.get_by_role("alert")).to_contain_text("Analytics cookies rejected")
    elif visitor != "anonymous":
        raise ValueError(f"unknown visitor {visitor!r}")
    close_page(page)
    return context


def set_preference(context: BrowserContext, base_url: str, name: str, value: str):
    """Give the browser a ``theme`` or ``lang`` cookie, as the navbar's
    switches would."""
    context.add_cookies(
        [
            {
                "name": name,
                "value": value,
                "url": base_url + "/",
                "httpOnly": True,
                "sameSite": "Lax",
            }
        ]
    )
