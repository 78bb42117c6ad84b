"""Two devices with Remember me, one revokes the other; the admin clears every
cookie of the site, those of /reports included."""

from actions import log_in
from actions import log_out
from actions import sign_up
from playwright.sync_api import expect
from playwright.sync_api import Page

from support import PASSWORD as ADMIN_PASSWORD

PHONE = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like"
    " Gecko) Chrome/126.0.0.0 Mobile Safari/537.36"
)


def site_cookies(context) -> list[dict]:
    """What the browser holds for the live server (its host is 127.0.0.1)."""
    return [c for c in context.cookies() if c["domain"] == "127.0.0.1"]


def test_a_device_revoked_from_account_is_logged_out_at_its_next_page(
    browser, base_url
):
    laptop = browser.new_context(base_url=base_url)
    phone = browser.new_context(base_url=base_url, user_agent=PHONE)
    try:
        on_laptop = laptop.new_page()
        name = sign_up(on_laptop)
        log_out(on_laptop)
        log_in(on_laptop, name, remember=True)
        on_phone = phone.new_page()
        on_phone.goto("/")
        log_in(on_phone, name, remember=True)
        on_phone.get_by_role("navigation").get_by_role("link", name=name).click()
        expect(on_phone.get_by_role("heading", name="Your devices")).to_be_visible()

        on_laptop.get_by_role("navigation").get_by_role("link", name=name).click()
        expect(on_laptop.get_by_role("heading", name="Your devices")).to_be_visible()
        this = on_laptop.get_by_role("row").filter(has_text="this device")
        expect(this.get_by_role("button", name="Revoke")).to_have_count(0)
        other = on_laptop.get_by_role("row").filter(has_text="Chrome on Android")
        other.get_by_role("button", name="Revoke", exact=True).click()
        expect(on_laptop.get_by_role("alert")).to_contain_text(
            "Revoked: Chrome on Android"
        )
        expect(on_laptop.get_by_role("row").filter(has_text="Android")).to_have_count(0)

        # The phone, on its account page, is sent to log in and told why,
        # in one alert.
        on_phone.reload()
        expect(on_phone).to_have_url(f"{base_url}/login?next=%2Faccount")
        expect(on_phone.get_by_role("alert")).to_have_count(1)
        expect(on_phone.get_by_role("alert")).to_have_text(
            "Your login in this browser was revoked from a list of logged-in"
            " devices. Please log in again."
        )
        navbar = on_phone.get_by_role("navigation", name="Main")
        expect(navbar.get_by_role("link", name="Log in")).to_be_visible()
        expect(on_phone.get_by_role("button", name="Log out")).to_have_count(0)
        assert "remember" not in {c["name"] for c in site_cookies(phone)}

        # The laptop that revoked it is still logged in.
        on_laptop.goto("/")
        expect(on_laptop.get_by_role("button", name="Log out")).to_be_visible()
    finally:
        laptop.close()
        phone.close()


def test_admin_clears_every_cookie_including_those_of_reports(
    page: Page, context, base_url
):
    # The analytics cookies live under /reports, where the reports area
    # would set them after consent.
    context.add_cookies(
        [
            {
                "name": name,
                "value": value,
                "domain": "127.0.0.1",
                "path": "/reports",
                "httpOnly": True,
                "sameSite": "Lax",
                "expires": -1,
            }
            for name, value in (("visitor", "a" * 32), ("visit", "b" * 32))
        ]
    )
    page.goto("/")
    page.get_by_role("button", name="Switch to dark mode").click()
    page.get_by_role("navigation").get_by_role("link", name="Log in").click()
    page.get_by_label("Username").fill("admin")
    page.get_by_label("Password").fill(ADMIN_PASSWORD)
    page.get_by_label("Remember me").check()
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_have_text("Logged in as admin.")
    # The device cookie goes to /login only, so the list under /reports
    # never receives it, and Clear all cannot name it.
    held = {c["name"] for c in site_cookies(context) if c["path"] != "/login"}
    assert {"session", "remember", "theme", "visitor", "visit"} <= held

    page.get_by_role("navigation").get_by_role("link", name="Admin", exact=True).click()
    expect(page.get_by_role("heading", name="Cookies in this browser")).to_be_visible()
    listing = page.frame_locator(
        "iframe[title='Every cookie of this site in this browser']"
    )
    for name in sorted(held):
        row = listing.get_by_role("row").filter(
            has=listing.get_by_text(name, exact=True)
        )
        expect(row.get_by_role("button", name="Clear")).to_be_visible()

    page.get_by_role("button", name="Clear all cookies").click()
    expect(page.get_by_role("heading", name="Cookies cleared")).to_be_visible()
    expect(
        page.get_by_text(f"This response deleted {len(held)} cookies")
    ).to_be_visible()
    for name in held:
        expect(page.get_by_role("main").get_by_text(name, exact=True)).to_be_visible()
    assert [c["name"] for c in site_cookies(context)] == ["device"]

    # Logged out for good: the admin pages send this browser to log in.
    page.goto("/admin/cookies")
    expect(page).to_have_url(f"{base_url}/login?next=%2Fadmin%2Fcookies")
