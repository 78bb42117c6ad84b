"""The reports' pages: the numbers from the daily rollup, the charts, and
the query budget (at most three statements, whatever the table size)."""

import re
from datetime import date
from datetime import datetime
from datetime import timedelta

import pytest
import sqlalchemy as sa

from cookiesite.extensions import db
from cookiesite.models import User
from cookiesite.reports.models import PageView

from html_helpers import one
from html_helpers import page
from html_helpers import table_dicts
from html_helpers import table_rows
from html_helpers import text
from support import Clock

PAGES = ["/reports", "/reports/pages", "/reports/themes", "/reports/your-visit"]


def accept(client):
    """Press "Accept analytics cookies"."""
    return client.post("/consent", data={"choice": "accept", "next": "/"})


def seed(app, rows):
    """Insert page views in bulk (visitor, visit, page, time); the trigger
    keeps the rollup, as it does for views the site records."""
    with app.app_context():
        db.session.execute(
            sa.insert(PageView),
            [
                dict(zip(("visitor", "visit", "page", "time"), row, strict=True))
                for row in rows
            ],
        )
        db.session.commit()


def days(response) -> dict[str, list[int]]:
    """The overview's table: each day's page views, visits and visitors."""
    return {day: [int(n) for n in numbers] for day, *numbers in table_rows(response)}


def totals(response) -> dict[str, str]:
    """The overview's totals above the chart, by their label."""
    return {
        text(term): text(term.find_next_sibling("dd"))
        for term in one(response, "main").find_all("dt")
    }


def chart(response):
    """The page's chart: its ``<svg>`` element."""
    return one(page(response), "svg.chart")


def test_overview_counts_the_last_30_days_from_the_rollup(app, client, monkeypatch):
    clock = Clock(monkeypatch, start=datetime(2030, 3, 10, 12, 0))
    today = clock.now.date()
    at = datetime(2030, 3, 10, 9, 0)
    a, b, v1, v2, v3, old = "a" * 32, "b" * 32, "1" * 32, "2" * 32, "3" * 32, "9" * 32
    seed(
        app,
        [
            (a, old, "/reports", datetime(2030, 2, 8, 9, 0)),  # 30 days ago: left out
            (a, v1, "/reports", at - timedelta(days=1)),
            (a, v1, "/reports/pages", at - timedelta(days=1, minutes=-5)),
            (a, v2, "/reports", at),
            (b, v3, "/reports/themes", at),
            (b, v3, "/reports", at + timedelta(minutes=3)),
        ],
    )
    response = client.get("/reports")
    table = days(response)
    assert table[today.isoformat()] == [3, 2, 2]
    assert table[(today - timedelta(days=1)).isoformat()] == [2, 1, 1]
    assert table[(today - timedelta(days=29)).isoformat()] == [0, 0, 0]
    assert len(table) == 30 and date(2030, 2, 8).isoformat() not in table
    assert totals(response) == {
        "Page views, last 30 days": "5",
        "Visits, last 30 days": "3",
        "Busiest day": "10 Mar (3)",
    }
    summary = "from 9 Feb to 10 Mar: 5 in all, the most (3) on 10 Mar."
    assert summary in text(one(chart(response), "desc"))


def test_pages_report_lists_every_report(app, client, monkeypatch):
    clock = Clock(monkeypatch)
    seed(
        app,
        [
            ("a" * 32, "1" * 32, "/reports/pages", clock.now),
            ("a" * 32, "1" * 32, "/reports", clock.now),
            ("b" * 32, "2" * 32, "/reports", clock.now),
        ],
    )
    response = client.get("/reports/pages")
    table = one(response, "main table")
    links = [one(row, "a")["href"] for row in table.select("tbody tr")]
    views = [row["Views"] for row in table_dicts(table)]
    assert dict(zip(links, views, strict=True)) == {
        "/reports": "2",
        "/reports/pages": "1",
        "/reports/themes": "0",
        "/reports/your-visit": "0",
    }
    summary = "Overview 2; Pages 1; Colour modes 0; Your visit 0."
    assert summary in text(one(chart(response), "desc"))


def test_themes_report_shares_among_members(app, client):
    with app.app_context():
        themes = {"member": "dark", "admin": "light"}
        for user in db.session.scalars(sa.select(User)):
            user.theme = themes[user.username]
        db.session.add_all(
            [User("c1", password_hash="x", theme="dark"), User("c2", password_hash="x")]
        )
        db.session.commit()
    table = one(client.get("/reports/themes"), "main table")
    assert table_rows(table) == [
        ["Light", "1", "25%"],
        ["Dark", "2", "50%"],
        ["Auto", "0", "0%"],
        ["Not chosen", "1", "25%"],
    ]
    assert text(table.caption) == "4 members"


#: The reports that count page views, and their chart.
COUNTED = [("/reports", "views-per-day"), ("/reports/pages", "views-per-page")]


@pytest.mark.parametrize("path", [path for path, _ in COUNTED])
def test_nothing_counted_says_how_numbers_come_instead_of_zeros(
    app, client, monkeypatch, path
):
    clock = Clock(monkeypatch)
    # A view from before the 30 days the reports cover is not counted there.
    seed(app, [("a" * 32, "1" * 32, "/reports", clock.now - timedelta(days=30))])
    main = one(client.get(path), "main")
    assert main.find("table") is None and main.find("svg") is None
    words = text(main)
    assert "Nothing counted yet: no reports page was read with analytics" in words
    assert "in the last 30 days." in words
    (accept_link,) = main.find_all("a", string="accept analytics cookies")
    assert accept_link["href"] == "/cookies#consent-choice"


def test_nothing_counted_under_gpc_does_not_ask_to_accept(client):
    main = one(client.get("/reports", headers={"Sec-GPC": "1"}), "main")
    assert "Nothing counted yet" in text(main)
    assert "your own reading is not counted" in text(main)
    assert main.find("a", string="accept analytics cookies") is None


@pytest.mark.parametrize(("path", "chart_id"), COUNTED)
def test_one_counted_view_brings_the_chart_and_the_table(client, path, chart_id):
    accept(client)
    response = client.get(path)  # with consent, the page counts itself
    main = one(response, "main")
    assert "Nothing counted yet" not in text(main)
    assert one(chart(response), f"title#{chart_id}-title")
    column = "Page views" if path == "/reports" else "Views"
    views = [row[column] for row in table_dicts(one(main, "table"))]
    assert sorted(views, reverse=True)[:2] == ["1", "0"]


def test_themes_without_members_invite_to_sign_up(app, client):
    with app.app_context():
        db.session.execute(sa.delete(User))
        db.session.commit()
    main = one(client.get("/reports/themes"), "main")
    assert main.find("table") is None and main.find("svg") is None
    assert "No members yet, so no colour modes to count." in text(main)
    assert main.find("a", string="Sign up")["href"] == "/signup"
    assert main.find("a", string="Preferences")["href"] == "/preferences"


def test_your_visit_shows_the_cookies_and_when_they_expire(app, client, monkeypatch):
    clock = Clock(monkeypatch, start=datetime(2030, 1, 1, 12, 0))
    accept(client)
    client.get("/reports")
    clock.advance(minutes=20)
    response = client.get("/reports/your-visit")
    visitor = client.get_cookie("visitor", path="/reports").value
    visit = client.get_cookie("visit", path="/reports").value
    rows = table_dicts(page(response))
    assert [row["Cookie"] for row in rows] == ["visitor", "visit"]
    visitor_row, visit_row = rows
    assert visitor_row["Value"] == visitor
    assert visitor_row["This page"] == "sent by your browser"
    # 390 days after the first counted page; the visit 30 minutes after this one.
    assert visitor_row["Expires (UTC)"] == "2031-01-26 12:00"
    assert visit_row["Value"] == visit
    assert visit_row["Expires (UTC)"] == "2030-01-01 12:50"
    assert "This visit: 2 pages since 12:00 UTC." in text(page(response))


def test_report_pages_draw_accessible_charts_without_script_or_style(client):
    accept(client)
    for path, name in [
        ("/reports", "views-per-day"),
        ("/reports/pages", "views-per-page"),
        ("/reports/themes", "members-by-theme"),
    ]:
        doc = page(client.get(path))
        # An image named by its own title and described by its description.
        svg = one(doc, "svg.chart")
        assert svg["role"] == "img"
        assert svg["aria-labelledby"] == f"{name}-title {name}-desc"
        assert text(one(svg, f"title#{name}-title"))
        assert text(one(svg, f"desc#{name}-desc"))
        assert svg.find_all("rect")
        # The numbers are in a table too.
        assert text(one(doc, "main table caption"))
        assert doc.select("[style], style") == []
        assert all(script.get("src") for script in doc.find_all("script"))
        styles = [link["href"] for link in doc.find_all("link", href=True)]
        assert [s for s in styles if s.startswith("/static/css/reports.css?v=")]
    assert len(chart(client.get("/reports")).find_all("rect")) == 30


class Statements:
    """The SQL statements the app sends while the block runs."""

    def __init__(self, app):
        with app.app_context():
            self.engine = db.engine
        self.seen = []

    def _note(self, conn, cursor, statement, parameters, context, executemany):
        self.seen.append((statement, parameters))

    def __enter__(self):
        sa.event.listen(self.engine, "before_cursor_execute", self._note)
        return self.seen

    def __exit__(self, *exc):
        sa.event.remove(self.engine, "before_cursor_execute", self._note)


def big_table(app, views=3000, days=60):
    """Page views spread over ``days`` days, with repeat visitors and visits."""
    start = datetime(2030, 1, 1, 12, 0) - timedelta(days=days)
    seed(
        app,
        [
            (
                f"{n % 97:032x}",
                f"{n // 4:032x}",
                PAGES[n % 4],
                start + timedelta(minutes=n * days * 1440 // views),
            )
            for n in range(views)
        ],
    )


def statements_per_page(app, client):
    """How many statements each report costs, once the app has warmed up."""
    client.get("/")
    counts = {}
    for path in PAGES:
        with Statements(app) as seen:
            assert client.get(path).status_code == 200
        counts[path] = len(seen)
    return counts


@pytest.mark.parametrize("consenting", [False, True])
def test_reports_use_at_most_three_statements_whatever_the_size(
    app, client, monkeypatch, consenting
):
    Clock(monkeypatch)
    if consenting:
        accept(client)
    small = statements_per_page(app, client)
    big_table(app)
    big = statements_per_page(app, client)
    assert big == small
    assert max(big.values()) <= 3, big
    if consenting:
        # One insert records the view; the rollup is the trigger's work.
        assert big["/reports/your-visit"] == 2


def test_members_reports_cost_at_most_two_statements_more_than_home(
    app, client, auth, monkeypatch
):
    """A member's page already loads the login (the member pages' budget,
    one statement); a report adds its read and, with consent, the insert."""
    Clock(monkeypatch)
    auth.login()
    accept(client)
    client.get("/reports")
    with Statements(app) as home:
        client.get("/")
    for path in PAGES:
        with Statements(app) as seen:
            client.get(path)
        assert len(seen) - len(home) <= 2, (path, seen)


@pytest.mark.sqlite_only
def test_no_report_query_scans_the_page_views(app, client, monkeypatch):
    Clock(monkeypatch)
    big_table(app)
    accept(client)
    client.get("/")
    with Statements(app) as seen:
        for path in PAGES:
            client.get(path)
    selects = [(s, p) for s, p in seen if s.lstrip().upper().startswith("SELECT")]
    assert selects
    with app.app_context():
        for statement, parameters in selects:
            plan = db.session.connection().exec_driver_sql(
                "EXPLAIN QUERY PLAN " + statement, parameters
            )
            steps = " | ".join(row[-1] for row in plan)
            assert not re.search(r"\bSCAN (page_views|page_view_days)\b", steps), (
                statement,
                steps,
            )
