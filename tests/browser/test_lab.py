"""The cookie lab in Chromium: what the browser really keeps, sends and shows.

Chromium counts 127.0.0.1 as a secure context, where it keeps ``Secure``
cookies even over plain HTTP. The refusals are shown on ``lab.test``, a name
this module's own browser maps to the loopback address: the same server, an
insecure context.
"""

import time

import pytest
from actions import close_page
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect
from playwright.sync_api import Page
from site_tour import set_preference
from test_accessibility import AXE_OPTIONS
from test_accessibility import violations_report

#: A host name that is not localhost, for Chromium's insecure-context rules.
LAB_HOST = "lab.test"


@pytest.fixture(scope="module")
def lab_host_browser(launch_browser, browser_type_launch_args):
    """A second Chromium that resolves ``lab.test`` to 127.0.0.1 (the other
    browser tests keep theirs as it is)."""
    args = [
        *browser_type_launch_args.get("args", []),
        f"--host-resolver-rules=MAP {LAB_HOST} 127.0.0.1",
        "--no-proxy-server",
    ]
    browser = launch_browser(args=args)
    yield browser
    browser.close()


@pytest.fixture
def lab_host_page(lab_host_browser, live_server):
    """A page of a fresh context whose addresses go to ``http://lab.test:<port>``."""
    base_url = live_server.url.replace("127.0.0.1", LAB_HOST)
    context = lab_host_browser.new_context(base_url=base_url)
    yield context.new_page()
    context.close()


def set_cookie(page: Page, name: str, **fields) -> None:
    """Fill in the lab's form and press Set cookie; ``fields`` by label:
    text for a text field, a bool for a checkbox, an option for SameSite."""
    if not page.url.endswith("/lab"):
        page.goto("/lab")
    form = page.get_by_role("region", name="Set a cookie")
    form.get_by_label("Name", exact=True).fill(name)
    form.get_by_label("Value", exact=True).fill(fields.pop("Value", "1"))
    for label, value in fields.items():
        field = form.get_by_label(label, exact=True)
        if isinstance(value, bool):
            field.set_checked(value)
        elif label == "SameSite":
            field.select_option(value)
        else:
            field.fill(value)
    form.get_by_role("button", name="Set cookie").click()


def verdict(page: Page):
    """What the page says the browser did with the last cookie."""
    return page.get_by_role("region", name="What the site did").get_by_role("status")


def sent_table(page: Page):
    return page.get_by_role("region", name="Lab cookies your browser sent")


def jar(page: Page) -> dict:
    """The browser's own cookies for the site, by name."""
    return {cookie["name"]: cookie for cookie in page.context.cookies()}


def test_a_cookie_with_max_age_2_is_sent_back_then_gone(page: Page):
    page.goto("/lab")
    pressed = time.monotonic()
    set_cookie(page, "brief", **{"Max-Age": "2"})
    expect(verdict(page)).to_contain_text("Sent back: your browser kept lab_brief")
    expect(sent_table(page).get_by_role("rowheader", name="lab_brief")).to_be_visible()
    expect(page.get_by_role("timer")).to_contain_text("lab_brief expires in")
    # The countdown loads the page again once the cookie has expired (a
    # loaded machine may take a few seconds more to draw it).
    expect(verdict(page)).to_contain_text(
        "Gone: its Max-Age of 2 seconds has passed", timeout=8000
    )
    expect(sent_table(page).get_by_role("rowheader", name="lab_brief")).to_have_count(0)
    # Three seconds after it was set, no request carries it any more.
    page.wait_for_timeout(max(0, 3 - (time.monotonic() - pressed)) * 1000)
    assert "lab_brief" not in page.goto("/lab").request.all_headers().get("cookie", "")
    assert "lab_brief" not in jar(page)


def test_a_path_cookie_is_sent_inside_its_path_and_not_outside(page: Page):
    set_cookie(page, "scoped", Path="/lab/inside")
    expect(verdict(page)).to_contain_text("Not sent to this page, as it should be")
    assert "lab_scoped=" not in page.goto("/lab").request.all_headers().get(
        "cookie", ""
    )

    page.get_by_role("region", name="Where a cookie goes").get_by_role(
        "link", name="/lab/inside"
    ).click()
    expect(verdict(page)).to_contain_text("Sent back: your browser kept lab_scoped")
    expect(sent_table(page).get_by_role("rowheader", name="lab_scoped")).to_be_visible()
    assert jar(page)["lab_scoped"]["path"] == "/lab/inside"
    request = page.goto("/lab/inside").request
    assert "lab_scoped=1" in request.all_headers()["cookie"]
    # The home page, outside /lab, lists what it was sent: no lab cookie.
    page.goto("/")
    expect(page.get_by_text("lab_scoped")).to_have_count(0)


def test_httponly_cookies_are_missing_from_document_cookie(page: Page):
    set_cookie(page, "hidden", HttpOnly=True)
    set_cookie(page, "shown", HttpOnly=False)
    seen = page.evaluate("document.cookie")
    assert "lab_shown=1" in seen and "lab_hidden" not in seen
    expect(page.locator("#lab-document-cookie")).to_have_text(
        'document.cookie = "lab_shown=1"'
    )
    table = sent_table(page)
    expect(table.get_by_role("row", name="lab_hidden")).to_contain_text("No: HttpOnly")
    expect(table.get_by_role("row", name="lab_shown")).to_contain_text("Yes")
    # The server received both.
    assert {"lab_hidden", "lab_shown"} <= set(jar(page))


def test_secure_is_kept_over_plain_http_on_127_0_0_1(page: Page):
    set_cookie(page, "safe", Secure=True)
    expect(verdict(page)).to_contain_text("Sent back: your browser kept lab_safe")
    assert jar(page)["lab_safe"]["secure"] is True
    refusals = page.get_by_role("region", name="What browsers refuse")
    expect(refusals).to_contain_text("This page, at 127.0.0.1, is one")


@pytest.mark.parametrize(
    ("fields", "says"),
    [
        (
            {"SameSite": "None"},
            "because it has SameSite=None without Secure",
        ),
        ({"Secure": True}, "because it is Secure and came from a page over plain HTTP"),
        (
            {"Secure": True, "SameSite": "None"},
            "because it is Secure and came from a page over plain HTTP",
        ),
    ],
)
def test_chromium_refuses_these_on_a_plain_http_host(lab_host_page, fields, says):
    page = lab_host_page
    set_cookie(page, "refused", **fields)
    expect(verdict(page)).to_contain_text(
        f"Refused: your browser did not keep lab_refused, {says}"
    )
    assert "lab_refused" not in jar(page)
    expect(page.get_by_role("region", name="What browsers refuse")).to_contain_text(
        f"This page, at {LAB_HOST} over plain HTTP, is not one"
    )
    # The same cookie without the offending flag is kept on this host.
    set_cookie(page, "kept")
    expect(verdict(page)).to_contain_text("Sent back: your browser kept lab_kept")


def test_a_deletion_at_the_wrong_path_leaves_the_cookie(page: Page):
    set_cookie(page, "crumb", **{"Max-Age": "3600"})
    row = sent_table(page).get_by_role("row", name="lab_crumb")
    row.get_by_label("Path").fill("/lab/inside")
    row.get_by_role("button", name="Delete").click()
    expect(verdict(page)).to_contain_text(
        "Still here: your browser still sent lab_crumb"
    )
    assert jar(page)["lab_crumb"]["path"] == "/lab"

    row = sent_table(page).get_by_role("row", name="lab_crumb")
    expect(row.get_by_label("Path")).to_have_value("/lab")
    row.get_by_role("button", name="Delete").click()
    expect(verdict(page)).to_contain_text(
        "Deleted: your browser no longer sends lab_crumb"
    )
    assert "lab_crumb" not in jar(page)


def test_expires_in_the_past_deletes(page: Page):
    set_cookie(page, "old", **{"Max-Age": "3600"})
    assert "lab_old" in jar(page)
    set_cookie(page, "old", **{"Max-Age": "", "Expires": "2000-01-01 00:00"})
    outcome = page.get_by_role("region", name="What the site did")
    expect(outcome).to_contain_text("expires=datetime(2000, 1, 1, 0, 0, tzinfo=UTC)")
    expect(verdict(page)).to_contain_text(
        "Deleted: your browser no longer sends lab_old"
    )
    assert "lab_old" not in jar(page)


def test_update_fills_in_the_form_and_replaces_the_value(page: Page):
    set_cookie(page, "swap", Value="before", Path="/lab/inside")
    page.goto("/lab/inside")
    sent_table(page).get_by_role("row", name="lab_swap").get_by_role(
        "button", name="Update"
    ).click()
    form = page.get_by_role("region", name="Set a cookie")
    expect(form.get_by_label("Path", exact=True)).to_have_value("/lab/inside")
    expect(form.get_by_label("Value", exact=True)).to_have_value("before")
    form.get_by_label("Value", exact=True).fill("after")
    form.get_by_role("button", name="Set cookie").click()
    expect(page.get_by_role("region", name="What the site did")).to_contain_text(
        "It updated lab_swap"
    )
    assert jar(page)["lab_swap"]["value"] == "after"


def test_the_lab_works_without_javascript(browser, base_url):
    context = browser.new_context(base_url=base_url, java_script_enabled=False)
    try:
        page = context.new_page()
        set_cookie(page, "plain", **{"Max-Age": "60"})
        expect(verdict(page)).to_contain_text("Sent back: your browser kept lab_plain")
        expect(page.get_by_role("timer")).to_contain_text("reload it yourself")
        expect(page.locator("#lab-document-cookie")).to_have_text(
            "This needs JavaScript, which is off."
        )
    finally:
        context.close()


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_the_lab_with_cookies_has_no_axe_violations(browser, base_url, theme):
    context = browser.new_context(base_url=base_url)
    set_preference(context, base_url, "theme", theme)
    page = context.new_page()
    try:
        set_cookie(page, "shown", HttpOnly=False, Path="/lab", **{"Max-Age": "60"})
        page.goto("/lab?update=lab_shown")
        expect(page.locator("html")).to_have_attribute("data-bs-theme", theme)
        page.locator("details").evaluate_all("all => all.forEach(d => d.open = true)")
        results = Axe().run(page, options=AXE_OPTIONS)
        assert results.violations_count == 0, violations_report(results.response)
    finally:
        close_page(page)
        context.close()


def test_the_lab_with_a_long_cookie_fits_a_375_pixel_screen(browser, base_url):
    context = browser.new_context(
        base_url=base_url, viewport={"width": 375, "height": 812}
    )
    try:
        page = context.new_page()
        set_cookie(page, "wide", Value="w" * 150, Path="/lab/inside/deeper")
        widths = page.evaluate(
            "() => [document.documentElement.scrollWidth, window.innerWidth]"
        )
        assert widths[0] <= widths[1], widths
    finally:
        context.close()
