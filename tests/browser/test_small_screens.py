"""Every page on a phone-sized screen, 375 pixels wide, with JavaScript on
and off.

The page itself never scrolls sideways and every button is on the screen:
wide tables turn into cards there (``.table-cards`` in site.css), the other
tables fit whole, rows of tabs scroll on one line with the current tab in
view, the admin's framed cookie list gets a frame as tall as itself, and the
navbar folds into a menu button.
"""

import pytest
from actions import close_page
from playwright.sync_api import expect
from playwright.sync_api import Page
from site_tour import FRAMED
from site_tour import page_id
from site_tour import PAGES
from site_tour import set_preference

#: An iPhone-sized viewport, in CSS pixels.
PHONE = {"width": 375, "height": 812}

#: What of a document (a page, or the document a page frames) a phone would
#: not show whole. A control or a current tab is "shown" when it lies inside
#: the viewport and inside every box around it that clips sideways (a table's
#: scroll box, a row of tabs). For each table: whether it is laid out as
#: cards, each cell led by its column's heading; otherwise whether it is in a
#: ``.table-responsive`` box; whether that box (or the table) fits the width,
#: and whether it scrolls sideways, hiding columns.
LAYOUT = r"""() => {
    const width = document.documentElement.clientWidth;
    const shown = el => {
        const r = el.getBoundingClientRect();
        if (r.left < 0 || r.right > width) return false;
        for (let box = el.parentElement; box; box = box.parentElement) {
            if (getComputedStyle(box).overflowX === "visible") continue;
            const b = box.getBoundingClientRect();
            if (r.left < b.left - 0.5 || r.right > b.right + 0.5) return false;
        }
        return true;
    };
    const visible = el => el.checkVisibility({visibilityProperty: true});
    const name = el => (el.innerText || el.value || el.outerHTML)
        .trim().replace(/\s+/g, " ").slice(0, 60);
    const controls = [...document.querySelectorAll(
        "button, a.btn, input[type=submit]")].filter(visible);
    const tabs = [...document.querySelectorAll(".nav-tabs [aria-current=page]")]
        .filter(visible);
    const tables = [...document.querySelectorAll("table")].filter(visible);
    return {
        scrollWidth: document.documentElement.scrollWidth,
        width,
        controls: controls.length,
        offScreen: controls.filter(el => !shown(el)).map(name),
        hiddenTabs: tabs.filter(el => !shown(el)).map(name),
        tables: tables.map(table => {
            const box = table.closest(".table-responsive");
            const outer = box || table;
            const edges = outer.getBoundingClientRect();
            // A visually hidden heading is the column of a row's button.
            const headings = [...table.tHead.rows[0].cells].map(th =>
                th.querySelector(".visually-hidden") ? null : th.textContent.trim());
            const unlabelled = [];
            for (const row of table.tBodies[0].rows) {
                [...row.cells].forEach((cell, i) => {
                    if (cell.tagName === "TH" || headings[i] === null) return;
                    const label = getComputedStyle(cell, "::before").content;
                    if (label !== JSON.stringify(headings[i])) {
                        unlabelled.push(`${headings[i]}: ${label}`);
                    }
                });
            }
            return {
                table: name(table.caption || table.tBodies[0].rows[0] || table),
                cards: table.classList.contains("table-cards"),
                stacked: getComputedStyle(table).display === "block"
                    && getComputedStyle(table.tHead).display === "none",
                unlabelled,
                responsive: box !== null,
                fits: edges.left >= 0 && edges.right <= width,
                scrolls: outer.scrollWidth > outer.clientWidth + 0.5,
            };
        }),
    };
}"""

#: For a framed document: how tall it is, and how tall its frame shows it.
FRAMED_HEIGHT = """() => [
    document.documentElement.scrollHeight, document.documentElement.clientHeight
]"""


@pytest.fixture(scope="session")
def script_free_context(browser, base_url, visitor_context):
    """The visitors of ``visitor_context`` in browsers with JavaScript off:
    a context of each one's own, holding the same cookies (so the same login
    and analytics answer)."""
    contexts = {}

    def get(visitor):
        if visitor not in contexts:
            context = browser.new_context(base_url=base_url, java_script_enabled=False)
            context.add_cookies(visitor_context(visitor).cookies())
            contexts[visitor] = context
        return contexts[visitor]

    yield get
    for context in contexts.values():
        context.close()


def assert_frames_fit(page: Page, where: str) -> None:
    """Every document the page frames is as tall as its frame, or less: the
    frame needs no scroll bar of its own."""
    for frame in page.main_frame.child_frames:
        height, shown = frame.evaluate(FRAMED_HEIGHT)
        assert height <= shown, f"{where}: {height} pixels in a frame of {shown}"


def assert_fits(page: Page, path: str) -> None:
    """Nothing of the page, or of a document it frames, is off a phone's
    screen sideways, and a framed document needs no scroll bar of its own."""
    assert_frames_fit(page, path)
    for frame in page.frames:
        where = path if frame == page.main_frame else f"{path}, framed {frame.url}"
        layout = frame.evaluate(LAYOUT)
        assert layout["scrollWidth"] <= layout["width"], (
            f"{where} scrolls sideways: {layout['scrollWidth']} > {layout['width']}"
        )
        assert layout["offScreen"] == [], f"{where}: buttons off the screen"
        assert layout["hiddenTabs"] == [], f"{where}: the current tab is out of view"
        for table in layout["tables"]:
            if table["cards"]:
                assert table["stacked"], f"{where}: {table} is not laid out as cards"
                assert table["unlabelled"] == [], f"{where}: {table} lacks labels"
            else:
                assert table["responsive"], f"{where}: {table} not in .table-responsive"
            assert table["fits"], f"{where}: {table} is wider than the screen"
            assert not table["scrolls"], f"{where}: {table} hides columns"


#: Pages whose layout a script changes once it runs (lab.js draws the
#: countdown and what document.cookie holds): measured with scripts on too.
#: Every other page is the same either way, so it is measured without.
SCRIPTED = {"/lab"}

#: The navbar's name and its menu button's, in each language.
NAVBAR = {"en": ("Main", "Menu"), "de": ("Hauptnavigation", "Menü")}


@pytest.mark.parametrize(
    ("entry", "script", "lang"),
    [
        pytest.param(entry, script, lang, id=f"{page_id(entry)} {script} {lang}")
        for entry in PAGES
        for script in ("no script", "script")
        for lang in ("en", "de")
        if script == "no script" or (entry[1] in SCRIPTED and lang == "en")
    ],
)
def test_page_fits_a_375_pixel_screen(
    visitor_context, script_free_context, base_url, entry, script, lang
):
    """In both languages: German words are longer."""
    visitor, path, status = entry
    contexts = visitor_context if script == "script" else script_free_context
    context = contexts(visitor)
    set_preference(context, base_url, "theme", "light")
    set_preference(context, base_url, "lang", lang)
    page = context.new_page()
    page.set_viewport_size(PHONE)
    try:
        assert page.goto(path).status == status
        assert_fits(page, f"{path} in {lang}")

        name, menu = NAVBAR[lang]
        navbar = page.get_by_role("navigation", name=name)
        if path in FRAMED:
            expect(navbar).to_have_count(0)
            return
        links = navbar.locator("#navbar-links")
        toggler = navbar.locator("summary", has_text=menu)
        expect(toggler).to_be_visible()
        expect(links).to_be_hidden()
        toggler.click()
        # The menu is a <details>: the browser opens it, no script needed.
        expect(links).to_be_visible()
        expect(navbar.locator("details")).to_have_attribute("open", "")
        expect(navbar.get_by_role("link", name="Cookies", exact=True)).to_be_visible()
        # Its buttons (the colour modes, Log out) are on the screen too.
        assert_fits(page, f"{path} in {lang} with the menu open")
    finally:
        close_page(page)
        # The visitor's context is shared: the other tests read it in English.
        context.clear_cookies(name="lang")


def test_a_reports_tab_out_of_the_way_is_scrolled_into_view(visitor_context):
    """The reports' tabs are wider than a phone: they stay on one line, and
    the last one, when it is the current page, is scrolled to."""
    page = visitor_context("member").new_page()
    page.set_viewport_size(PHONE)
    try:
        page.goto("/reports/your-visit")
        tabs = page.get_by_role("navigation", name="Reports").get_by_role("list")
        box = tabs.evaluate("ul => [ul.scrollWidth, ul.clientWidth, ul.scrollLeft]")
        assert box[0] > box[1], f"the tabs fit without scrolling: {box}"
        assert box[2] > 0, f"the tabs were not scrolled to the current one: {box}"
        tops = {
            round(link.bounding_box()["y"]) for link in tabs.get_by_role("link").all()
        }
        assert len(tops) == 1, f"the tabs are on {len(tops)} lines"
        assert_fits(page, "/reports/your-visit")
    finally:
        close_page(page)


#: Cookies a browser may hold besides the admin's own: the two analytics
#: cookies of /reports, a theme, and one this site does not know.
MORE_COOKIES = [
    ("visitor", "a" * 32, "/reports"),
    ("visit", "b" * 32, "/reports"),
    ("theme", "dark", "/"),
    ("flavour", "oatmeal", "/"),
]


@pytest.mark.parametrize("jar", ["admin's own", "more cookies"])
@pytest.mark.parametrize("width", [375, 1280])
def test_the_framed_cookie_list_needs_no_scroll_bar_of_its_own(
    browser, base_url, visitor_context, width, jar
):
    context = browser.new_context(
        base_url=base_url,
        java_script_enabled=False,
        viewport={"width": width, "height": 800},
    )
    try:
        context.add_cookies(visitor_context("admin").cookies())
        if jar == "more cookies":
            context.add_cookies(
                [
                    {"name": name, "value": value, "url": base_url + path}
                    for name, value, path in MORE_COOKIES
                ]
            )
        page = context.new_page()
        page.goto("/admin/cookies")
        listing = page.frame_locator(
            "iframe[title='Every cookie of this site in this browser']"
        )
        expect(listing.get_by_role("row").last).to_be_attached()
        names = listing.locator("tbody th").all_inner_texts()
        assert {"session", "visitor", "visit"} <= set(names)
        if jar == "more cookies":
            assert {"theme", "flavour"} <= set(names)
        assert_frames_fit(page, f"/admin/cookies at {width} pixels")
    finally:
        context.close()


def test_desktop_width_shows_the_links_without_a_menu_button(page):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto("/")
    navbar = page.get_by_role("navigation", name="Main")
    expect(navbar.locator("summary", has_text="Menu")).to_be_hidden()
    expect(navbar.get_by_role("link", name="Cookies", exact=True)).to_be_visible()
