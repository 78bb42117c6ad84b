"""The site on a phone with JavaScript off: the menu, every page, the switch.

Nothing here needs a script: the navbar's menu is a ``<details>`` the browser
opens by itself, and every control is a form. Chromium runs these with
JavaScript disabled on a 375 x 812 screen.
"""

import itertools
import re

import pytest
from actions import fill_in_sign_up
from flask import url_for
from playwright.sync_api import expect
from playwright.sync_api import Locator
from playwright.sync_api import Page

from cookiesite import MAIN_NAV

from support import PASSWORD as ADMIN_PASSWORD

#: An iPhone-sized viewport, in CSS pixels.
PHONE = {"width": 375, "height": 812}

#: The icon sprite: the Bootstrap Icons this site uses, served from static/.
SPRITE = "/static/icons.svg"

_numbers = itertools.count()


def at(path: str) -> re.Pattern:
    """The page's URL, on the site, is ``path`` (with its query and fragment)."""
    return re.compile(r"^http://[^/]+" + re.escape(path) + "$")


@pytest.fixture
def phone(browser, base_url):
    """A page in a browser of its own: JavaScript off, a phone's screen."""
    context = browser.new_context(
        base_url=base_url, java_script_enabled=False, viewport=PHONE
    )
    yield context.new_page()
    context.close()


@pytest.fixture(scope="module")
def paths(live_server):
    """The path of each page the navbar links to, by the link's text."""
    with live_server.app.test_request_context():
        return {str(label): url_for(endpoint) for endpoint, label in MAIN_NAV}


def open_menu(page: Page) -> Locator:
    """Open the navbar's menu from its "Menu" summary; returns the navbar."""
    navbar = page.get_by_role("navigation", name="Main")
    links = navbar.locator("#navbar-links")
    expect(links).to_be_hidden()
    navbar.locator("summary", has_text="Menu").click()
    expect(links).to_be_visible()
    return navbar


def assert_menu_on_screen(navbar: Locator) -> None:
    """Every link and button of the open menu lies inside the viewport."""
    controls = navbar.locator("#navbar-links").locator("a, button")
    assert controls.count() >= len(MAIN_NAV) + 3  # the three colour modes
    for control in controls.all():
        box = control.bounding_box()
        assert box is not None, control
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
        assert box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"], box


def go_through_the_menu(page: Page, name: str, path: str) -> None:
    """Open the menu, check it fits the screen, follow the link ``name``."""
    navbar = open_menu(page)
    assert_menu_on_screen(navbar)
    navbar.get_by_role("link", name=name, exact=True).click()
    expect(page).to_have_url(at(path))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    settings = page.locator("footer").get_by_role("link", name="Cookie settings")
    expect(settings).to_have_attribute("href", "/cookies#consent-choice")


def sign_up_through_the_menu(page: Page) -> str:
    """Make an account from the phone's menu; returns its name."""
    page.goto("/")
    go_through_the_menu(page, "Sign up", "/signup")
    return fill_in_sign_up(page, f"phone{next(_numbers)}")


def log_out_through_the_menu(page: Page) -> None:
    navbar = open_menu(page)
    assert_menu_on_screen(navbar)
    navbar.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("alert")).to_have_text("You are logged out.")
    expect(open_menu(page).get_by_role("link", name="Log in")).to_be_visible()


def test_scripts_are_off(phone: Page):
    """The premise of this module: a script would have set the cookie."""
    phone.route(
        "**/script-check",
        lambda route: route.fulfill(
            content_type="text/html",
            body="<script>document.cookie = 'ran=1'</script>",
        ),
    )
    phone.goto("/script-check")
    assert "ran" not in {cookie["name"] for cookie in phone.context.cookies()}


def test_a_member_reaches_every_page_and_logs_out_through_the_menu(phone: Page, paths):
    name = sign_up_through_the_menu(phone)
    for label, path in paths.items():
        go_through_the_menu(phone, label, path)
        current = phone.locator("#navbar-links [aria-current=page]")
        expect(current).to_have_text(label)
    go_through_the_menu(phone, name, "/account")
    navbar = phone.get_by_role("navigation", name="Main")
    admin = navbar.get_by_role("link", name="Admin", include_hidden=True)
    expect(admin).to_have_count(0)
    log_out_through_the_menu(phone)


def test_an_admin_reaches_admin_through_the_menu(phone: Page):
    phone.goto("/")
    go_through_the_menu(phone, "Log in", "/login")
    phone.get_by_label("Username").fill("admin")
    phone.get_by_label("Password").fill(ADMIN_PASSWORD)
    phone.get_by_role("button", name="Log in").click()
    expect(phone.get_by_role("alert")).to_have_text("Logged in as admin.")
    go_through_the_menu(phone, "Admin", "/admin/cookies")
    go_through_the_menu(phone, "admin", "/account")
    log_out_through_the_menu(phone)


def test_the_colour_switch_works_from_the_menu(phone: Page):
    html = phone.locator("html")
    phone.goto("/cookies")

    def press(name: str) -> None:
        open_menu(phone).get_by_role("button", name=name, exact=True).click()
        # Back on the page it was pressed on.
        expect(phone).to_have_url(at("/cookies"))

    def pressed() -> Locator:
        # Read with the menu closed: the switch is there, only not shown.
        return phone.locator(".theme-switch button[aria-pressed=true]")

    expect(pressed()).to_have_attribute("value", "auto")
    press("Switch to dark mode")
    expect(html).to_have_attribute("data-bs-theme", "dark")
    expect(pressed()).to_have_attribute("value", "dark")
    press("Switch to light mode")
    expect(html).to_have_attribute("data-bs-theme", "light")
    expect(pressed()).to_have_attribute("value", "light")
    press("Auto")
    expect(html).to_have_attribute("data-theme-choice", "auto")
    expect(pressed()).to_have_attribute("value", "auto")


def test_cookie_settings_leads_to_the_consent_choice(phone: Page):
    phone.goto("/lab")
    phone.locator("footer").get_by_role("link", name="Cookie settings").click()
    expect(phone).to_have_url(at("/cookies#consent-choice"))
    # The browser scrolls the choice onto the screen once the page is in.
    expect(phone.locator("#consent-choice")).to_be_in_viewport()


def test_icons_come_from_the_site_itself(phone: Page, base_url):
    answers = []
    phone.on("response", lambda answer: answers.append(answer))
    phone.goto("/")
    open_menu(phone)
    sprites = [a for a in answers if a.url.split("?")[0] == base_url + SPRITE]
    assert sprites and all(answer.status == 200 for answer in sprites)
    assert all(answer.url.startswith(base_url + "/") for answer in answers)
    uses = phone.locator("nav use")
    expect(uses).to_have_count(5)  # the brand, the menu and the three modes
    for use in uses.all():
        assert use.get_attribute("xlink:href").startswith(SPRITE + "?v=")
