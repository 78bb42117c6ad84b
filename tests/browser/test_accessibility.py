"""Accessibility: axe-core over every page in both colour modes and both
languages, and the keyboard.

axe-core comes inside ``axe-playwright-python`` and runs in the page, offline.
It checks what a machine can: contrast (each colour mode has its own
palette), names of links, buttons and fields, landmarks, heading levels,
table headers, the charts' text alternatives. The keyboard tests walk the
pages with Tab the way someone without a mouse would.
"""

import re

import pytest
from actions import close_page
from actions import log_out
from actions import PASSWORD
from actions import sign_up
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect
from playwright.sync_api import Page
from site_tour import FRAMED
from site_tour import page_id
from site_tour import PAGES
from site_tour import set_preference

axe = Axe()

#: The operations of a cookie's life the home page's tour maps to the site.
TOUR = (
    "Session cookie",
    "Path cookie",
    "Expiring cookie",
    "Long-lasting cookie",
    "Update",
    "Delete",
)

#: The standards axe checks against: WCAG 2.2 A and AA, and its best practices
#: (one main landmark, headings in order, content inside landmarks, ...).
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": [
            "wcag2a",
            "wcag2aa",
            "wcag21a",
            "wcag21aa",
            "wcag22aa",
            "best-practice",
        ],
    },
    "resultTypes": ["violations"],
}


def violations_report(response: dict) -> str:
    """axe's violations, one block per rule with the offending elements."""
    lines = []
    for violation in response["violations"]:
        lines.append(
            f"{violation['id']} ({violation['impact']}): {violation['help']}"
            f"\n  {violation['helpUrl']}"
        )
        for node in violation["nodes"]:
            lines.append(f"  - {' '.join(map(str, node['target']))}")
            lines.append(f"    {node['html'][:200]}")
            lines.append(f"    {node['failureSummary']}".replace("\n", "\n    "))
    return "\n".join(lines)


@pytest.mark.parametrize("lang", ["en", "de"])
@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("entry", PAGES, ids=page_id)
def test_page_has_no_axe_violations(visitor_context, base_url, entry, theme, lang):
    visitor, path, status = entry
    context = visitor_context(visitor)
    set_preference(context, base_url, "theme", theme)
    set_preference(context, base_url, "lang", lang)
    page = context.new_page()
    try:
        response = page.goto(path)
        assert response.status == status
        expect(page.locator("html")).to_have_attribute("data-bs-theme", theme)
        expect(page.locator("html")).to_have_attribute("lang", lang)
        # Open the cookie inspector: axe skips what is not rendered.
        page.locator("details").evaluate_all("all => all.forEach(d => d.open = true)")
        results = axe.run(page, options=AXE_OPTIONS)
        assert results.violations_count == 0, (
            f"{path} as {visitor} in {theme} mode, in {lang}:\n"
            + violations_report(results.response)
        )
    finally:
        close_page(page)
        # The visitor's context is shared: the other tests read it in English.
        context.clear_cookies(name="lang")


@pytest.mark.parametrize(
    "entry", [entry for entry in PAGES if entry[1] not in FRAMED], ids=page_id
)
def test_every_page_says_which_cookies_it_uses(visitor_context, entry):
    """The plain-words note (templates/_cookie_note.html), or on the home page
    the tour; both point to the policy. (The framed cookie list is part of
    /admin/cookies, which has the note.)"""
    visitor, path, _ = entry
    page = visitor_context(visitor).new_page()
    try:
        page.goto(path)
        if path == "/":
            tour = page.get_by_role("region", name="A tour: where each cookie")
            for operation in TOUR:
                expect(tour.get_by_role("rowheader", name=operation)).to_be_visible()
            note = tour
        else:
            note = page.get_by_role("region", name="Cookies on this page")
            expect(note.locator("code").first).to_be_visible()
        policy = note.get_by_role("link").and_(note.locator('[href="/cookies"]'))
        expect(policy).to_have_count(0 if path == "/cookies" else 1)
    finally:
        close_page(page)


#: What the focused element is and shows, read in the page. The name is what
#: a screen reader would announce first: aria-label, the label, or the text.
FOCUSED = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const s = getComputedStyle(el);
    const label = el.labels && el.labels.length ? el.labels[0].innerText : "";
    return {
        name: (el.getAttribute("aria-label") || label || el.innerText || "")
            .trim().replace(/\\s+/g, " "),
        mark: el.dataset.tabMark ?? null,
        frame: el.tagName === "IFRAME",
        visible: el.matches(":focus-visible"),
        ring: (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0)
            || s.boxShadow !== "none",
        html: el.outerHTML.slice(0, 120),
    };
}"""

#: Numbers every control a visitor can use on the page and lists them. Of a
#: group of radio buttons only one takes part in the Tab order (the arrow
#: keys move within the group), so the group counts once.
MARK_CONTROLS = """() => {
    const controls = [...document.querySelectorAll(
        "a[href], button, input:not([type=hidden]), select, textarea, summary, iframe"
    )].filter(el => el.checkVisibility() && !el.disabled);
    const groups = new Set();
    const kept = controls.filter(el => {
        if (el.type !== "radio") return true;
        if (groups.has(el.name)) return false;
        groups.add(el.name);
        return true;
    });
    kept.forEach((el, i) => { el.dataset.tabMark = String(i); });
    for (const el of controls) {
        if (el.type === "radio" && el.dataset.tabMark === undefined) {
            const first = kept.find(k => k.type === "radio" && k.name === el.name);
            el.dataset.tabMark = first.dataset.tabMark;
        }
    }
    return kept.map(el => el.outerHTML.slice(0, 100));
}"""


def press_tab(page: Page) -> dict:
    """Press Tab and say what has the focus; fail when it does not show it."""
    page.keyboard.press("Tab")
    focused = page.evaluate(FOCUSED)
    assert focused is not None, "Tab left the page's controls"
    if not focused["frame"]:
        # A framed document draws its own focus ring, inside the frame.
        assert focused["visible"], f"no :focus-visible on {focused['html']}"
        assert focused["ring"], f"no outline or focus ring on {focused['html']}"
    return focused


def tab_to(page: Page, name: str, limit: int = 60) -> None:
    """Press Tab until the control named ``name`` has the (visible) focus."""
    passed = []
    for _ in range(limit):
        passed.append(press_tab(page)["name"])
        if passed[-1] == name:
            return
    raise AssertionError(f"Tab never reached {name!r}; it passed {passed}")


def in_main(page: Page) -> bool:
    """Whether the focus is in the page's main content (past navbar and banner)."""
    return page.evaluate("() => !!document.activeElement.closest('main')")


@pytest.mark.parametrize("entry", PAGES, ids=page_id)
def test_every_control_is_reached_by_tab_with_visible_focus(
    visitor_context, base_url, entry
):
    visitor, path, _ = entry
    context = visitor_context(visitor)
    set_preference(context, base_url, "theme", "light")
    page = context.new_page()
    try:
        page.goto(path)
        controls = page.evaluate(MARK_CONTROLS)
        reached = set()
        # Twice the controls: room for a framed page's own controls.
        for _ in range(2 * len(controls) + 5):
            mark = press_tab(page)["mark"]
            if mark is not None:
                reached.add(int(mark))
            if len(reached) == len(controls):
                break
        missed = [html for i, html in enumerate(controls) if i not in reached]
        assert not missed, f"{path}: Tab never reaches {missed}"
    finally:
        close_page(page)


def test_the_consent_banner_is_reachable_and_does_not_trap_focus(browser, base_url):
    context = browser.new_context(base_url=base_url)
    try:
        page = context.new_page()
        page.goto("/")
        tab_to(page, "Skip to content", limit=1)
        for name in ("Switch to dark mode", "Log in", "Sign up"):
            tab_to(page, name)
        tab_to(page, "Accept analytics cookies")
        tab_to(page, "Reject analytics cookies")
        # One more Tab leaves the banner for the page's own first link.
        focused = press_tab(page)
        assert in_main(page), f"focus stayed out of the page: {focused['name']!r}"
        # The inspector at the foot of the page opens from the keyboard.
        tab_to(page, page.locator("footer summary").inner_text().strip())
        page.keyboard.press("Enter")
        expect(page.locator("footer details")).to_have_attribute("open", "")
        # The banner answers from the keyboard too.
        page.goto("/")
        tab_to(page, "Reject analytics cookies")
        page.keyboard.press("Enter")
        expect(page.get_by_role("alert")).to_contain_text("Analytics cookies rejected")
        expect(
            page.get_by_role("button", name="Accept analytics cookies")
        ).to_have_count(0)
    finally:
        context.close()


def test_skip_link_moves_focus_to_the_content(page: Page):
    page.goto("/cookies")
    tab_to(page, "Skip to content", limit=1)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/cookies#content$"))
    press_tab(page)
    assert in_main(page)


def test_log_in_and_change_the_theme_with_the_keyboard_only(browser, base_url):
    context = browser.new_context(base_url=base_url)
    try:
        page = context.new_page()
        name = sign_up(page)
        log_out(page)
        page.goto("/login")
        tab_to(page, "Username")
        page.keyboard.type(name)
        tab_to(page, "Password")
        page.keyboard.type(PASSWORD)
        tab_to(page, "Remember me")
        page.keyboard.press("Space")
        expect(page.get_by_label("Remember me")).to_be_checked()
        tab_to(page, "Log in")
        page.keyboard.press("Enter")
        expect(page.get_by_role("alert")).to_have_text(f"Logged in as {name}.")

        page.goto("/preferences")
        # The group's tab stop is its checked radio, Auto (the default): it
        # comes just before the save button. Arrow keys move within the group.
        tab_to(page, "Save preferences")
        page.keyboard.press("Shift+Tab")
        expect(page.get_by_role("radio", name="Auto")).to_be_focused()
        page.keyboard.press("ArrowUp")
        expect(page.get_by_role("radio", name="Dark")).to_be_checked()
        tab_to(page, "Save preferences")
        page.keyboard.press("Enter")
        expect(page.locator("html")).to_have_attribute("data-bs-theme", "dark")

        # The navbar's switch and Log out work from the keyboard as well.
        tab_to(page, "Switch to light mode")
        page.keyboard.press("Enter")
        expect(page.locator("html")).to_have_attribute("data-bs-theme", "light")
        tab_to(page, "Log out")
        page.keyboard.press("Enter")
        expect(page.get_by_role("alert")).to_have_text("You are logged out.")
    finally:
        context.close()


def test_small_screen_menu_opens_from_the_keyboard(browser, base_url):
    context = browser.new_context(
        base_url=base_url, viewport={"width": 375, "height": 812}
    )
    try:
        page = context.new_page()
        page.goto("/")
        menu = page.get_by_role("navigation", name="Main")
        cookies = menu.get_by_role("link", name="Cookies", exact=True)
        expect(cookies).to_be_hidden()
        tab_to(page, "Menu")
        page.keyboard.press("Enter")
        expect(cookies).to_be_visible()
        tab_to(page, "Cookies")
        page.keyboard.press("Enter")
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Cookies on this site"
        )
    finally:
        context.close()
