"""The reports' cookies: ``visitor`` and ``visit``, only with consent, only
ever sent to ``/reports``; each view recorded, and rolled up by day."""

import re
from datetime import date
from datetime import datetime
from datetime import timedelta
from datetime import UTC

import pytest
import sqlalchemy as sa
from flask import request

from cookiesite.extensions import db
from cookiesite.reports.models import PageView
from cookiesite.reports.models import PageViewDay

from cookies_helpers import set_cookies
from html_helpers import page
from html_helpers import table_dicts
from html_helpers import table_rows
from html_helpers import text
from support import Clock

PAGES = ["/reports", "/reports/pages", "/reports/themes", "/reports/your-visit"]
HEX_ID = re.compile(r"[0-9a-f]{32}")
ANALYTICS = ("visitor", "visit")


def accept(client, **kw):
    """Press "Accept analytics cookies"."""
    return client.post("/consent", data={"choice": "accept", "next": "/"}, **kw)


def page_views(app):
    """Every recorded view as (visitor, visit, page, time), oldest first."""
    with app.app_context():
        query = sa.select(
            PageView.visitor, PageView.visit, PageView.page, PageView.time
        )
        return [tuple(row) for row in db.session.execute(query.order_by(PageView.id))]


def rollup(app):
    """The daily rollup as (day, page, views, visits, visitors)."""
    with app.app_context():
        rows = db.session.execute(
            sa.select(
                PageViewDay.day,
                PageViewDay.page,
                PageViewDay.views,
                PageViewDay.visits,
                PageViewDay.visitors,
            ).order_by(PageViewDay.day, PageViewDay.page)
        )
        return [tuple(row) for row in rows]


def day_row(response, day: date) -> list[int]:
    """The numbers of one day in the overview's table: page views, visits
    and unique visitors."""
    (row,) = [row for row in table_rows(response) if row[0] == day.isoformat()]
    return [int(n) for n in row[1:]]


class ExpiringBrowser:
    """The test client with a browser's ``Max-Age`` rule, on the test's clock.

    Werkzeug's client keeps a cookie until it is deleted; a browser drops it
    ``Max-Age`` seconds after it arrived. This drops each cookie when the
    driven clock passes that moment, before the next request.
    """

    def __init__(self, client, clock):
        self.client = client
        self.clock = clock
        self.expiry = {}

    def get(self, path):
        for (name, cookie_path), at in list(self.expiry.items()):
            if at <= self.clock.now:
                self.client.delete_cookie(name, path=cookie_path)
                del self.expiry[name, cookie_path]
        response = self.client.get(path)
        for cookie in set_cookies(response).values():
            if cookie.max_age:
                key = (cookie.name, cookie.attrs.get("path", "/"))
                self.expiry[key] = self.clock.now + timedelta(seconds=cookie.max_age)
        return response


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize(
    ("cookie", "headers", "reason"),
    [
        (None, {}, "you have not accepted"),
        ("1.reject", {}, "you rejected"),
        ("0.accept", {}, "you have not accepted"),  # an older policy
        ("1.accept", {"Sec-GPC": "1"}, "Global Privacy Control"),
    ],
)
def test_nothing_set_or_recorded_without_consent(
    app, client, path, cookie, headers, reason
):
    if cookie:
        client.set_cookie("consent", cookie)
    response = client.get(path, headers=headers)
    assert response.status_code == 200
    assert not set(ANALYTICS) & set(set_cookies(response))
    assert reason in text(page(response))
    assert page_views(app) == [] and rollup(app) == []


def test_accept_then_reports_sets_both_cookies_for_reports_only(
    app, client, monkeypatch
):
    clock = Clock(monkeypatch)
    accept(client)
    before = datetime.now(UTC)
    response = client.get("/reports")
    jar = set_cookies(response)
    for name, lifetime in (
        ("visitor", timedelta(days=390)),
        ("visit", timedelta(minutes=30)),
    ):
        cookie = jar[name]
        assert HEX_ID.fullmatch(cookie.value)
        assert cookie.max_age == lifetime.total_seconds()
        # Expires is written from the server's real clock, for old browsers.
        assert abs(cookie.expires - (before + lifetime)) < timedelta(seconds=5)
        assert cookie.attrs["path"] == "/reports"
        assert cookie.attrs["httponly"] is True
        assert cookie.attrs["samesite"] == "Lax"
        assert "secure" not in cookie.attrs and "domain" not in cookie.attrs
    assert jar["visitor"].value != jar["visit"].value
    visitor, visit = jar["visitor"].value, jar["visit"].value
    # The page counted itself.
    assert page_views(app) == [(visitor, visit, "/reports", clock.now)]
    assert rollup(app) == [(clock.now.date(), "/reports", 1, 1, 1)]
    assert day_row(response, clock.now.date()) == [1, 1, 1]


def test_each_page_renews_the_visit_and_leaves_the_visitor(app, client, monkeypatch):
    clock = Clock(monkeypatch)
    accept(client)
    first = set_cookies(client.get("/reports"))
    clock.advance(minutes=10)
    response = client.get("/reports/pages")
    jar = set_cookies(response)
    assert "visitor" not in jar  # set once, for 390 days from the first page
    assert jar["visit"].value == first["visit"].value
    assert jar["visit"].max_age == 1800 and jar["visit"].attrs["path"] == "/reports"
    today = clock.now.date()
    assert rollup(app) == [
        (today, "/reports", 1, 1, 1),
        (today, "/reports/pages", 1, 0, 0),
    ]


def test_a_visit_ends_after_30_minutes_without_a_reports_page(app, client, monkeypatch):
    clock = Clock(monkeypatch)
    browser = ExpiringBrowser(client, clock)
    accept(client)
    browser.get("/reports")
    clock.advance(minutes=29)
    browser.get("/reports/pages")
    clock.advance(minutes=29)  # 58 minutes in, but 29 since the last page
    browser.get("/reports/themes")
    clock.advance(minutes=30)
    browser.get("/reports")
    views = page_views(app)
    assert [view[2] for view in views] == PAGES[:3] + ["/reports"]
    assert len({view[0] for view in views}) == 1  # one visitor
    visits = [view[1] for view in views]
    assert visits[0] == visits[1] == visits[2] != visits[3]
    # All on one day: 4 views, 2 visits, 1 visitor.
    totals = [sum(row[column] for row in rollup(app)) for column in (2, 3, 4)]
    assert totals == [4, 2, 1]


def test_a_visit_across_midnight_counts_the_visitor_on_both_days(
    app, client, monkeypatch
):
    clock = Clock(monkeypatch, start=datetime(2030, 1, 1, 23, 50))
    accept(client)
    client.get("/reports")
    clock.advance(minutes=20)
    client.get("/reports")
    assert rollup(app) == [
        (date(2030, 1, 1), "/reports", 1, 1, 1),
        (date(2030, 1, 2), "/reports", 1, 0, 1),
    ]
    # The overview counts itself too: a second view on the second day.
    response = client.get("/reports")
    assert day_row(response, date(2030, 1, 1)) == [1, 1, 1]
    assert day_row(response, date(2030, 1, 2)) == [2, 0, 1]


@pytest.mark.parametrize(
    "value",
    [
        "z" * 32,
        "A" * 32,  # upper case is not how the site writes ids
        "abc",
        "a" * 33,
        "",
        "<script>alert(1)</script>",
        "0" * 5000,
    ],
)
def test_forged_or_oversized_ids_are_replaced(app, value):
    # A raw header (a browser would not even keep the oversized one), from a
    # client without a jar of its own, which would replace the header.
    client = app.test_client(use_cookies=False)
    cookie = f"consent=1.accept; visitor={value}; visit={value}"
    response = client.get("/reports/your-visit", headers={"Cookie": cookie})
    assert response.status_code == 200
    jar = set_cookies(response)
    for name in ANALYTICS:
        assert HEX_ID.fullmatch(jar[name].value) and jar[name].value != value
        assert jar[name].attrs["path"] == "/reports"
    [(visitor, visit, _, _)] = page_views(app)
    assert (visitor, visit) == (jar["visitor"].value, jar["visit"].value)
    states = [row["This page"] for row in table_dicts(response)]
    assert len(states) == 2
    assert all(state.startswith("replaced by this page") for state in states)
    assert "<script>alert(1)" not in response.data.decode()


@pytest.mark.parametrize("app_config", [{"HTTPS": True}])
def test_over_https_the_cookies_are_secure_and_prefixed(app, client):
    accept(client, base_url="https://localhost")
    jar = set_cookies(client.get("/reports", base_url="https://localhost"))
    for name in ("__Secure-visitor", "__Secure-visit"):
        assert jar[name].attrs["secure"] is True
        assert jar[name].attrs["path"] == "/reports"
    assert len(page_views(app)) == 1


def test_the_cookies_never_reach_pages_outside_reports(app, client):
    sent = {}

    @app.before_request
    def note_cookies():
        sent[request.path] = set(request.cookies)

    accept(client)
    client.get("/reports")
    for path in ("/", "/cookies", "/preferences", "/login", "/reports/pages"):
        client.get(path)
    assert {"consent", "visitor", "visit"} <= sent["/reports/pages"]
    for path in ("/", "/cookies", "/preferences", "/login"):
        assert "consent" in sent[path]
        assert not set(ANALYTICS) & sent[path], path
    visitor = client.get_cookie("visitor", path="/reports").value
    assert visitor not in client.get("/").data.decode()


@pytest.mark.parametrize("choice", ["reject", "forget"])
def test_withdrawing_deletes_the_cookies_and_stops_counting(app, client, choice):
    accept(client)
    client.get("/reports")
    response = client.post("/consent", data={"choice": choice, "next": "/reports"})
    for name in ANALYTICS:
        cookie = set_cookies(response)[name]
        assert cookie.is_deletion and cookie.attrs["path"] == "/reports"
        assert client.get_cookie(name, path="/reports") is None
    response = client.get("/reports")
    assert not set(ANALYTICS) & set(set_cookies(response))
    assert len(page_views(app)) == 1


@pytest.mark.parametrize(
    ("consent", "headers"),
    [(None, {}), ("1.reject", {}), ("1.accept", {"Sec-GPC": "1"})],
)
def test_reports_delete_leftover_cookies_without_consent(app, client, consent, headers):
    if consent:
        client.set_cookie("consent", consent)
    for name in ANALYTICS:
        client.set_cookie(name, "a" * 32, path="/reports")
    response = client.get("/reports/pages", headers=headers)
    jar = set_cookies(response)
    for name in ANALYTICS:
        assert jar[name].is_deletion and jar[name].attrs["path"] == "/reports"
        assert (
            jar[name].attrs["httponly"] is True and jar[name].attrs["samesite"] == "Lax"
        )
        assert client.get_cookie(name, path="/reports") is None
    assert page_views(app) == []


def test_head_request_counts_nothing_and_keeps_the_cookies(app, client):
    accept(client)
    client.get("/reports")
    response = client.head("/reports")
    assert response.status_code == 200
    assert not set(ANALYTICS) & set(set_cookies(response))
    assert len(page_views(app)) == 1


@pytest.mark.sqlite_only
def test_a_failed_count_still_shows_the_report(app, client):
    with app.app_context():
        db.session.execute(
            sa.text(
                "CREATE TRIGGER refuse BEFORE INSERT ON page_views"
                " BEGIN SELECT RAISE(ABORT, 'database is read-only'); END"
            )
        )
        db.session.commit()
    accept(client)
    response = client.get("/reports")
    assert response.status_code == 200
    assert "Overview" in [text(h) for h in page(response).find_all("h2")]
    assert page_views(app) == [] and rollup(app) == []
