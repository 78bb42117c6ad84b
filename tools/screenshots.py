"""``make screenshots``: PNGs of the main pages, light and dark, for the README.

Starts the real site (``flask run``) on a fresh SQLite database in a
temporary folder, migrated with ``flask db upgrade``; makes the admin with
``flask create-admin`` and a demo member through the signup form; seeds a
month of reports page views and a few more members, so the charts have
something to draw; then drives Debian's Chromium with Playwright and writes
``docs/screenshots/<page>-<theme>.png``. Each picture is the browser's
window, not the whole page, and is reduced to a small palette with Pillow
(when it is installed), so the set stays a few hundred kilobytes.

Everything listens on 127.0.0.1 and stops when the script ends.
"""

import os
import random
import secrets
import subprocess
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

from devserver import Site
from playwright.sync_api import BrowserContext
from playwright.sync_api import expect
from playwright.sync_api import Page
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
#: The launch arguments of the browser tests (tests/browser/conftest.py).
CHROMIUM_ARGS = [
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 812}
ADMIN = ("admin", "admin password 1")
MEMBER = ("maria", "member password 1")
#: Colours kept per picture: plenty for Bootstrap's flat colours and text.
PALETTE = 64


def flask(env: dict, *args: str) -> None:
    """Run one ``flask --app cookiesite`` command, quietly unless it fails."""
    subprocess.run(
        [sys.executable, "-m", "flask", "--app", "cookiesite", *args],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
    )


def seed(database_url: str) -> None:
    """A month of reports readers and members with their colour modes.

    Inserted straight into the database, the way the reports record a view,
    so the database trigger fills the daily rollup the reports read.
    """
    import sqlalchemy as sa

    from cookiesite import create_app
    from cookiesite import models
    from cookiesite.extensions import db
    from cookiesite.models import User
    from cookiesite.reports.models import PageView

    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "seeding only"}
    )
    pages = ["/reports", "/reports/pages", "/reports/themes", "/reports/your-visit"]
    # A fixed seed: the same pictures each run, apart from today's date.
    rng = random.Random(8)
    readers = [secrets.token_hex(16) for _ in range(60)]
    now = models.utcnow()
    rows = []
    for days_ago in range(29, -1, -1):
        # A weekly rhythm with a slow rise, so the chart has a shape.
        day = now - timedelta(days=days_ago)
        visits = 4 + (29 - days_ago) // 4 + (3 if day.weekday() < 5 else 0)
        for _ in range(visits + rng.randint(0, 3)):
            visitor, visit = rng.choice(readers), secrets.token_hex(16)
            start = day.replace(hour=rng.randint(7, 21), minute=rng.randint(0, 59))
            for step in range(rng.choice([1, 1, 2, 2, 3, 4])):
                page = pages[0] if step == 0 else rng.choice(pages)
                time_ = start + timedelta(minutes=3 * step)
                if time_ <= now:
                    rows.append((visitor, visit, page, time_))
    rows.sort(key=lambda row: row[3])
    themes = ["dark"] * 5 + ["light"] * 3 + ["auto"] * 2 + [None] * 2
    with app.app_context():
        for row in rows:
            db.session.execute(
                sa.insert(PageView).values(
                    visitor=row[0], visit=row[1], page=row[2], time=row[3]
                )
            )
        for number, theme in enumerate(themes):
            # "!" is the hash of no password: these accounts cannot log in.
            user = User(f"reader{number}", password_hash="!", theme=theme)
            db.session.add(user)
        db.session.commit()
        db.engine.dispose()


def set_theme(context: BrowserContext, url: str, theme: str) -> None:
    """The ``theme`` cookie the navbar toggle would set."""
    context.add_cookies(
        [{"name": "theme", "value": theme, "url": url + "/", "httpOnly": True}]
    )


def shoot(page: Page, name: str) -> Path:
    """Save what the window shows as ``docs/screenshots/<name>.png``."""
    path = OUT / f"{name}.png"
    page.screenshot(path=path, animations="disabled", caret="initial")
    return path


def shrink(path: Path) -> None:
    """Reduce a screenshot to a small palette, without dithering (sharp text)."""
    try:
        from PIL import Image
    except ImportError:
        return
    with Image.open(path) as image:
        small = image.convert("RGB").quantize(
            colors=PALETTE, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE
        )
    small.save(path, optimize=True)


def log_in(page: Page, username: str, password: str) -> None:
    """Log in through the form and answer the analytics question with Accept."""
    page.goto("/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_contain_text(f"Logged in as {username}")
    page.get_by_role("button", name="Accept analytics cookies").click()


def sign_up(page: Page, username: str, password: str) -> None:
    """Make the demo member through the signup form, as a visitor would."""
    page.goto("/signup")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_label("Confirm password").fill(password)
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("alert")).to_contain_text(f"Welcome, {username}!")
    page.get_by_role("button", name="Accept analytics cookies").click()


def take_all(site: Site, browser) -> list[Path]:
    """Every picture: (visitor, page, file name) in both colour modes."""
    shots = []
    visitors = {}
    for name in ("visitor", "member", "admin"):
        visitors[name] = browser.new_context(base_url=site.url, viewport=DESKTOP)
    member = visitors["member"].new_page()
    sign_up(member, *MEMBER)
    for path in ("/reports", "/reports/pages", "/reports/your-visit"):
        member.goto(path)
    log_in(visitors["admin"].new_page(), *ADMIN)
    visitors["admin"].pages[0].goto("/reports")

    plan = [
        ("visitor", "/", "home"),
        ("member", "/preferences", "preferences"),
        ("member", "/cookies", "cookies"),
        ("member", "/reports", "reports"),
        ("member", "/account", "account"),
        ("admin", "/admin/cookies", "admin-cookies"),
    ]
    for theme in ("light", "dark"):
        for visitor, path, name in plan:
            context = visitors[visitor]
            set_theme(context, site.url, theme)
            page = context.new_page()
            page.goto(path)
            if name == "admin-cookies":
                # Wait for the framed list, which is a page of its own.
                frame = page.frame_locator("iframe")
                expect(frame.get_by_role("button", name="Clear").first).to_be_visible()
            shots.append(shoot(page, f"{name}-{theme}"))
            page.close()

    # The inspector after a form: the page a Reject led to shows that
    # response's cookie changes as the "previous response".
    set_theme(visitors["visitor"], site.url, "light")
    page = visitors["visitor"].new_page()
    page.goto("/reports")
    page.get_by_role("button", name="Reject analytics cookies").click()
    inspector = page.locator("details.cookie-inspector")
    inspector.locator("summary").click()
    previous = page.get_by_role("region", name="Previous response")
    expect(previous).to_be_visible()
    path = OUT / "inspector-previous-light.png"
    previous.screenshot(path=path, animations="disabled", caret="initial")
    shots.append(path)

    # The cookie lab, just after setting a 15-second cookie.
    page.goto("/lab?name=countdown&value=tick&max_age=15")
    page.get_by_role("button", name="Set cookie").click()
    expect(page.get_by_text("response.set_cookie(").first).to_be_visible()
    shots.append(shoot(page, "lab-light"))
    page.close()

    # A phone, with the navbar's menu open.
    set_theme(visitors["member"], site.url, "dark")
    phone = visitors["member"].new_page()
    phone.set_viewport_size(PHONE)
    phone.goto("/reports")
    phone.get_by_role("navigation", name="Main").locator(
        "summary", has_text="Menu"
    ).click()
    expect(phone.get_by_role("link", name="Preferences")).to_be_visible()
    shots.append(shoot(phone, "reports-phone-dark"))
    for context in visitors.values():
        context.close()
    return shots


def main() -> int:
    """Prepare a site, take the pictures, print what was written."""
    if not CHROMIUM.exists():
        print(f"{CHROMIUM} is missing: apt-get install chromium", file=sys.stderr)
        return 2
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.glob("*.png"):
        old.unlink()
    with tempfile.TemporaryDirectory(prefix="cookiesite-shots-") as tmp:
        database_url = f"sqlite:///{Path(tmp) / 'site.sqlite3'}"
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "COOKIESITE_ENV": "development",
            "FLASK_SECRET_KEY": secrets.token_hex(32),
        }
        flask(env, "db", "upgrade")
        flask(env, "create-admin", ADMIN[0], "--password", ADMIN[1])
        seed(database_url)
        with Site(env, Path(tmp) / "site.log") as site, sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
            )
            try:
                shots = take_all(site, browser)
            finally:
                browser.close()
    total = 0
    for path in shots:
        shrink(path)
        size = path.stat().st_size
        total += size
        print(f"{path.relative_to(ROOT)}  {size // 1024} KB")
    print(f"{len(shots)} screenshots, {total // 1024} KB in all")
    return 0


if __name__ == "__main__":
    sys.exit(main())
