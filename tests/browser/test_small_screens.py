"""Every page on a phone-sized screen, 375 pixels wide.

The navbar folds into a menu button, wide tables scroll inside their own box,
and the page itself never scrolls sideways.
"""

import pytest
from actions import close_page
from playwright.sync_api import expect
from site_tour import FRAMED
from site_tour import page_id
from site_tour import PAGES
from site_tour import set_theme

#: An iPhone-sized viewport, in CSS pixels.
PHONE = {"width": 375, "height": 812}

#: For each table: whether a ``.table-responsive`` box holds it, and whether
#: that box (or the table, without one) fits the width of the page.
TABLES = """() => [...document.querySelectorAll("table")].map(table => {
    const box = table.closest(".table-responsive");
    const outer = (box || table).getBoundingClientRect();
    return {
        caption: (table.caption ? table.caption.innerText : table.rows[0].innerText)
            .slice(0, 60),
        responsive: box !== null,
        fits: outer.left >= 0 && outer.right <= window.innerWidth,
    };
})"""


@pytest.mark.parametrize("entry", PAGES, ids=page_id)
def test_page_fits_a_375_pixel_screen(visitor_context, base_url, entry):
    visitor, path, status = entry
    context = visitor_context(visitor)
    set_theme(context, base_url, "light")
    page = context.new_page()
    page.set_viewport_size(PHONE)
    try:
        assert page.goto(path).status == status

        widths = page.evaluate(
            "() => [document.documentElement.scrollWidth, window.innerWidth]"
        )
        assert widths[0] <= widths[1], f"{path} scrolls sideways: {widths}"

        for table in page.evaluate(TABLES):
            assert table["responsive"], f"{path}: {table} is not in .table-responsive"
            assert table["fits"], f"{path}: {table} is wider than the screen"

        navbar = page.get_by_role("navigation", name="Main")
        if path in FRAMED:
            expect(navbar).to_have_count(0)
            return
        links = navbar.locator("#navbar-links")
        toggler = navbar.get_by_role("button", name="Menu")
        expect(toggler).to_be_visible()
        expect(links).to_be_hidden()
        toggler.click()
        # Bootstrap's collapse script opens the menu; it lists every link.
        expect(links).to_be_visible()
        expect(toggler).to_have_attribute("aria-expanded", "true")
        expect(navbar.get_by_role("link", name="Cookies", exact=True)).to_be_visible()
        widths = page.evaluate(
            "() => [document.documentElement.scrollWidth, window.innerWidth]"
        )
        assert widths[0] <= widths[1], f"{path} with the menu open: {widths}"
    finally:
        close_page(page)


def test_desktop_width_shows_the_links_without_a_menu_button(page):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto("/")
    navbar = page.get_by_role("navigation", name="Main")
    expect(navbar.get_by_role("button", name="Menu")).to_be_hidden()
    expect(navbar.get_by_role("link", name="Cookies", exact=True)).to_be_visible()
