"""Consent and the analytics cookies in Chromium: the banner, and a cookie jar
that keeps ``visitor`` and ``visit`` for ``/reports`` and sends them nowhere else."""

import time
from datetime import datetime
from datetime import UTC

import pytest
from actions import close_page
from playwright.sync_api import expect
from playwright.sync_api import Page

ANALYTICS = {"visitor", "visit"}
QUESTION = "May the reports count your visits?"
GPC_NOTICE = "Analytics cookies are off"

#: An iPhone-sized viewport, in CSS pixels.
PHONE = {"width": 375, "height": 812}


def jar(context) -> dict:
    """The browser's cookies for the site, by name."""
    return {cookie["name"]: cookie for cookie in context.cookies()}


def sent_to_home(page: Page) -> set[str]:
    """The cookie names the home page says this browser sent with its request."""
    page.goto("/")
    sent = page.get_by_role("region", name="What your browser sent with this request")
    return set(sent.locator("tbody tr td:first-child").all_inner_texts())


def todays_views(page: Page) -> int:
    """Today's page views in the overview's table (read on /reports); none
    while the reports have counted nothing, and show no table."""
    if page.get_by_text("Nothing counted yet").is_visible():
        return 0
    today = datetime.now(UTC).date().isoformat()
    row = page.get_by_role("row").filter(has_text=today)
    return int(row.get_by_role("cell").first.inner_text())


def assert_answered_today(value: str, answer: str) -> None:
    """A ``consent`` value: policy version 1, ``answer``, today's date (UTC)."""
    assert value == f"1.{answer}.{datetime.now(UTC).date().isoformat()}"


def test_new_visitor_rejects_then_accepts_on_the_cookies_page(page: Page, context):
    """The issue's acceptance walk: banner, Reject, /reports sets nothing;
    Accept from /cookies, /reports sets both for /reports only and counts."""
    page.goto("/")
    banner = page.get_by_role("region", name=QUESTION)
    expect(banner).to_be_visible()
    expect(banner.get_by_role("link", name="Cookie details")).to_have_attribute(
        "href", "/cookies"
    )
    accept = banner.get_by_role("button", name="Accept analytics cookies")
    reject = banner.get_by_role("button", name="Reject analytics cookies")
    expect(accept).to_be_visible()
    expect(reject).to_be_visible()
    # Equal buttons: the same size and look.
    assert accept.bounding_box()["height"] == reject.bounding_box()["height"]
    assert accept.get_attribute("class") == reject.get_attribute("class")
    expect(page.get_by_role("checkbox")).to_have_count(0)
    # A plain region, not a modal: focus moves on past it to the page.
    expect(page.get_by_role("dialog")).to_have_count(0)
    reject.focus()
    page.keyboard.press("Tab")
    expect(banner.locator(":focus")).to_have_count(0)

    reject.click()
    expect(page.get_by_role("alert")).to_contain_text("Analytics cookies rejected")
    expect(page.get_by_role("region", name=QUESTION)).to_have_count(0)
    page.goto("/reports")
    expect(
        page.get_by_text("Not counted: you rejected analytics cookies.")
    ).to_be_visible()
    assert not ANALYTICS & set(jar(context))
    assert_answered_today(jar(context)["consent"]["value"], "reject")
    before = todays_views(page)

    page.goto("/cookies")
    choice = page.get_by_role("region", name="Analytics cookies", exact=True)
    expect(choice).to_contain_text("You rejected analytics cookies on ")
    expect(choice).to_contain_text("(policy version 1)")
    choice.get_by_role("button", name="Accept analytics cookies").click()
    expect(page.get_by_role("alert")).to_contain_text("Analytics cookies accepted")
    page.goto("/reports")
    cookies = jar(context)
    assert_answered_today(cookies["consent"]["value"], "accept")
    assert {cookies[name]["path"] for name in ANALYTICS} == {"/reports"}
    assert todays_views(page) == before + 1  # this very page, counted
    assert not ANALYTICS & sent_to_home(page)


def test_accept_on_cookies_page_scopes_the_cookies_to_reports(page: Page, context):
    page.goto("/cookies")
    # The policy page offers the choice itself, so the banner stays away.
    expect(page.get_by_role("region", name=QUESTION)).to_have_count(0)
    choice = page.get_by_role("region", name="Analytics cookies", exact=True)
    choice.get_by_role("button", name="Accept analytics cookies").click()
    expect(page.get_by_role("alert")).to_contain_text("Analytics cookies accepted")
    assert page.url.endswith("/cookies")
    assert not ANALYTICS & set(jar(context))  # nothing until a reports page

    page.goto("/reports")
    expect(page.get_by_text("This page was counted")).to_be_visible()
    now = time.time()
    cookies = jar(context)
    for name, lifetime in (("visitor", 390 * 86400), ("visit", 1800)):
        cookie = cookies[name]
        assert cookie["path"] == "/reports"
        assert cookie["httpOnly"] is True
        assert cookie["sameSite"] == "Lax"
        assert cookie["secure"] is False
        assert cookie["domain"] == "127.0.0.1"
        assert abs(cookie["expires"] - (now + lifetime)) < 60
        assert len(cookie["value"]) == 32

    # The browser sends them to /reports ...
    page.goto("/reports/your-visit")
    visitor_row = page.get_by_role("row").filter(has_text="sent by your browser").first
    expect(visitor_row).to_contain_text(cookies["visitor"]["value"])
    # ... and not to the home page, which lists what it received.
    sent = sent_to_home(page)
    assert "consent" in sent
    assert not ANALYTICS & sent
    request_cookies = page.goto("/").request.all_headers().get("cookie", "")
    assert "consent=" in request_cookies and "visitor=" not in request_cookies


def test_reject_later_deletes_both_from_the_jar(page: Page, context):
    page.goto("/")
    page.get_by_role("button", name="Accept analytics cookies").click()
    page.goto("/reports")
    assert set(jar(context)) >= ANALYTICS

    page.goto("/preferences")
    choice = page.get_by_role("region", name="Analytics cookies", exact=True)
    choice.get_by_role("button", name="Reject analytics cookies").click()
    expect(page.get_by_role("alert")).to_contain_text("Analytics cookies rejected")
    assert not ANALYTICS & set(jar(context))

    choice = page.get_by_role("region", name="Analytics cookies", exact=True)
    choice.get_by_role("button", name="Forget my choice").click()
    expect(page.get_by_role("alert")).to_contain_text("Your choice is forgotten")
    assert "consent" not in jar(context)
    page.goto("/")
    expect(page.get_by_role("region", name=QUESTION)).to_be_visible()


def test_gpc_counts_as_a_rejection(browser, base_url):
    context = browser.new_context(
        base_url=base_url, extra_http_headers={"Sec-GPC": "1"}
    )
    try:
        page = context.new_page()
        page.goto("/")
        banner = page.get_by_role("region", name="Analytics cookies are off")
        expect(banner).to_contain_text("Global Privacy Control")
        expect(
            page.get_by_role("button", name="Accept analytics cookies")
        ).to_have_count(0)
        page.goto("/reports")
        expect(
            page.get_by_text("your browser sends Global Privacy Control")
        ).to_be_visible()
        assert not ANALYTICS & set(jar(context))
    finally:
        context.close()


def test_the_gpc_notice_is_dismissed_once_without_javascript(browser, base_url):
    context = browser.new_context(
        base_url=base_url,
        extra_http_headers={"Sec-GPC": "1"},
        java_script_enabled=False,
    )
    try:
        page = context.new_page()
        page.goto("/reports/pages")
        notice = page.get_by_role("region", name=GPC_NOTICE)
        expect(notice).to_contain_text("took as your rejection")
        notice.get_by_role("button", name="OK, hide this notice").click()
        expect(page.get_by_role("alert")).to_contain_text("Analytics cookies rejected")
        assert page.url.endswith("/reports/pages")
        expect(page.get_by_role("region", name=GPC_NOTICE)).to_have_count(0)
        assert_answered_today(jar(context)["consent"]["value"], "reject")
        for path in ("/", "/reports", "/login"):
            page.goto(path)
            expect(page.get_by_role("region", name=GPC_NOTICE)).to_have_count(0)
        assert not ANALYTICS & set(jar(context))
        page.goto("/preferences")
        choice = page.get_by_role("region", name="Analytics cookies", exact=True)
        expect(choice).to_contain_text("You rejected analytics cookies on ")
    finally:
        context.close()


#: The banner's box and colours, and the page's, read in the browser.
BANNER_LOOK = """region => {
    const box = region.firstElementChild;
    const style = getComputedStyle(box);
    const heading = region.querySelector("h2");
    return {
        height: region.getBoundingClientRect().height,
        viewport: window.innerHeight,
        background: style.backgroundColor,
        body: getComputedStyle(document.body).backgroundColor,
        shadow: style.boxShadow,
        border: style.borderTopStyle,
        weight: Number(getComputedStyle(heading).fontWeight),
    };
}"""


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize(
    ("headers", "name"), [({}, QUESTION), ({"Sec-GPC": "1"}, GPC_NOTICE)]
)
def test_the_banner_stands_out_and_is_small_on_a_phone(
    browser, base_url, theme, headers, name
):
    context = browser.new_context(
        base_url=base_url, viewport=PHONE, extra_http_headers=headers
    )
    context.add_cookies(
        [{"name": "theme", "value": theme, "url": base_url + "/", "httpOnly": True}]
    )
    page = context.new_page()
    try:
        page.goto("/")
        expect(page.locator("html")).to_have_attribute("data-bs-theme", theme)
        banner = page.get_by_role("region", name=name)
        look = banner.evaluate(BANNER_LOOK)
        # Under a quarter of the screen, its margin included.
        assert look["height"] < 0.25 * look["viewport"], look
        # A box of its own colour, edge and shadow, under a bold heading.
        assert look["background"] != look["body"], look
        assert look["border"] == "solid" and look["shadow"] != "none", look
        assert look["weight"] >= 600, look
        # The buttons side by side: one row.
        buttons = banner.get_by_role("button").all()
        tops = {round(button.bounding_box()["y"]) for button in buttons}
        assert len(tops) == 1, tops
        # In the page's flow at its top: nothing is covered.
        main = page.locator("main").bounding_box()
        assert banner.bounding_box()["y"] + look["height"] <= main["y"] + 1
        assert banner.evaluate("el => getComputedStyle(el).position") == "static"
    finally:
        close_page(page)
        context.close()


def test_consent_works_without_javascript(browser, base_url):
    context = browser.new_context(base_url=base_url, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto("/reports/pages")
        page.get_by_role("button", name="Accept analytics cookies").click()
        expect(page.get_by_role("alert")).to_contain_text("Analytics cookies accepted")
        assert page.url.endswith("/reports/pages")
        page.reload()
        assert set(jar(context)) >= ANALYTICS
    finally:
        context.close()
