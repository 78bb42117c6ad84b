"""Dark mode in a real browser: the first visit, the navbar switch, a
restart, another browser."""

import re

import pytest
from actions import log_in
from actions import log_out
from actions import sign_up
from playwright.sync_api import expect
from playwright.sync_api import Page
from playwright.sync_api import Route

#: Records, in the page, what the first frame drawn shows: the colour mode
#: and the body's background, read at the first animation frame that has a
#: body (a browser draws nothing before the stylesheets of <head> are in), and
#: every later change of data-bs-theme, which would be a flash.
FIRST_PAINT = """(() => {
    const seen = { changes: [] };
    window.firstPaint = seen;
    new MutationObserver(records => {
        for (const record of records) {
            seen.changes.push(record.target.getAttribute("data-bs-theme"));
        }
    }).observe(document, {
        subtree: true, attributes: true, attributeFilter: ["data-bs-theme"],
    });
    function look() {
        if (!document.body) return requestAnimationFrame(look);
        seen.theme = document.documentElement.getAttribute("data-bs-theme");
        seen.background = getComputedStyle(document.body).backgroundColor;
    }
    requestAnimationFrame(look);
})()"""


def served_theme(page: Page, path: str = "/") -> str:
    """Load ``path`` and return data-bs-theme as the server sent it.

    Reading the HTML of the response, before any script ran, is what shows
    there is no flash of the wrong theme.
    """
    response = page.goto(path)
    html = response.text()
    start = html.index('data-bs-theme="') + len('data-bs-theme="')
    return html[start : html.index('"', start)]


def brightness(css_colour: str) -> float:
    """The mean of the red, green and blue of ``rgb(r, g, b)``: 0 to 255."""
    red, green, blue = map(int, re.findall(r"\d+", css_colour)[:3])
    return (red + green + blue) / 3


def switch(page: Page, name: str):
    """The navbar switch's button named ``name`` exactly ("Dark" is not
    "Switch to dark mode")."""
    return page.get_by_role("navigation").get_by_role("button", name=name, exact=True)


@pytest.fixture(scope="module")
def dark_system_browser(browser_type, browser_type_launch_args):
    """Chromium on a system set to dark (``--force-dark-mode``).

    Playwright's ``color_scheme`` emulation alone does not reach the request
    Chromium repeats for ``Critical-CH``: that one carries the system's
    setting, light on a test machine. A real dark system is what a visitor
    has, so the browser gets one.
    """
    args = browser_type_launch_args
    dark = [*args["args"], "--force-dark-mode"]
    browser = browser_type.launch(**{**args, "args": dark})
    yield browser
    browser.close()


@pytest.mark.parametrize(
    ("scheme", "dark_system"), [("dark", True), ("light", False)], ids=["dark", "light"]
)
def test_a_first_visit_is_drawn_in_the_system_colours_from_the_first_byte(
    request, base_url, scheme, dark_system
):
    browser = request.getfixturevalue(
        "dark_system_browser" if dark_system else "browser"
    )
    context = browser.new_context(base_url=base_url, color_scheme=scheme)
    try:
        context.add_init_script(FIRST_PAINT)
        page = context.new_page()
        requested = []
        page.on("request", lambda r: requested.append(r.url))
        response = page.goto("/")
        # No cookie, and Chromium's hint already drew the HTML in the
        # system's colours: the response it got after the Critical-CH retry.
        assert "theme" not in {cookie["name"] for cookie in context.cookies()}
        assert f'data-bs-theme="{scheme}"' in response.text()
        assert 'data-theme-choice="auto"' in response.text()
        assert not [url for url in requested if "theme.js" in url]
        page.wait_for_function("window.firstPaint.background !== undefined")
        first = page.evaluate("window.firstPaint")
        assert first["theme"] == scheme and first["changes"] == []
        shade = brightness(first["background"])
        assert shade < 60 if scheme == "dark" else shade > 220, first
        expect(switch(page, "Auto")).to_have_attribute("aria-pressed", "true")
    finally:
        context.close()


def test_without_the_hint_the_script_resolves_auto_before_the_first_paint(
    dark_system_browser, base_url
):
    """A browser that knows no client hints (Firefox, Safari): the page comes
    light with theme.js, which turns it dark before anything is drawn."""
    context = dark_system_browser.new_context(base_url=base_url, color_scheme="dark")

    def as_sent_without_hints(route: Route) -> None:
        sent = {
            name: value
            for name, value in route.request.headers.items()
            if not name.startswith("sec-ch-")
        }
        response = route.fetch(headers=sent)
        kept = {
            name: value
            for name, value in response.headers.items()
            if name.lower() not in ("accept-ch", "critical-ch")
        }
        route.fulfill(response=response, headers=kept)

    try:
        context.add_init_script(FIRST_PAINT)
        page = context.new_page()
        page.route(f"{base_url}/", as_sent_without_hints)
        response = page.goto("/")
        assert 'data-bs-theme="light"' in response.text()
        assert "/static/js/theme.js" in response.text()
        page.wait_for_function("window.firstPaint.background !== undefined")
        first = page.evaluate("window.firstPaint")
        assert first["theme"] == "dark" and brightness(first["background"]) < 60
        # The script also renamed the light/dark switch to what it now does.
        expect(switch(page, "Switch to light mode")).to_have_attribute("value", "light")
        expect(switch(page, "Dark")).to_have_attribute("value", "dark")
    finally:
        context.close()


def test_the_switch_reaches_dark_light_and_auto(page: Page, context):
    page.goto("/cookies")
    html = page.locator("html")
    expect(html).to_have_attribute("data-bs-theme", "light")
    expect(switch(page, "Auto")).to_have_attribute("aria-pressed", "true")

    switch(page, "Switch to dark mode").click()
    # Back on the page it was pressed on, dark, with the switch turned round.
    expect(page).to_have_url(re.compile(r"/cookies$"))
    expect(html).to_have_attribute("data-bs-theme", "dark")
    expect(html).to_have_attribute("data-theme-choice", "dark")
    expect(switch(page, "Dark")).to_have_attribute("aria-pressed", "true")
    expect(switch(page, "Auto")).to_have_attribute("aria-pressed", "false")

    switch(page, "Switch to light mode").click()
    expect(html).to_have_attribute("data-theme-choice", "light")
    expect(switch(page, "Light")).to_have_attribute("aria-pressed", "true")

    switch(page, "Auto").click()
    expect(html).to_have_attribute("data-theme-choice", "auto")
    expect(html).to_have_attribute("data-bs-theme", "light")  # the system's
    expect(switch(page, "Auto")).to_have_attribute("aria-pressed", "true")
    (theme,) = [c for c in context.cookies() if c["name"] == "theme"]
    assert theme["value"] == "auto" and theme["httpOnly"] and theme["expires"] > 0


def test_dark_stays_after_a_restart(page: Page, context, restart_browser):
    page.goto("/cookies")
    switch(page, "Switch to dark mode").click()
    expect(page.locator("html")).to_have_attribute("data-bs-theme", "dark")
    assert served_theme(page, "/") == "dark"  # reload: dark from the first byte

    (theme,) = [c for c in context.cookies() if c["name"] == "theme"]
    assert theme["value"] == "dark" and theme["httpOnly"] and theme["expires"] > 0

    page = restart_browser(context)
    assert served_theme(page, "/preferences") == "dark"


def test_a_second_browser_gets_the_members_theme(page: Page, browser, base_url):
    name = sign_up(page)
    switch(page, "Switch to dark mode").click()
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


def test_auto_follows_the_system_setting(dark_system_browser, base_url):
    context = dark_system_browser.new_context(base_url=base_url, color_scheme="dark")
    try:
        page = context.new_page()
        page.goto("/preferences")
        page.get_by_label("Auto").check()
        page.get_by_role("button", name="Save preferences").click()
        expect(page.locator("html")).to_have_attribute("data-theme-choice", "auto")
        expect(page.locator("html")).to_have_attribute("data-bs-theme", "dark")
        expect(switch(page, "Switch to light mode")).to_be_visible()
        # The system turns light: the next page follows it.
        page.emulate_media(color_scheme="light")
        assert served_theme(page, "/preferences") == "light"
        expect(switch(page, "Switch to dark mode")).to_be_visible()
    finally:
        context.close()
