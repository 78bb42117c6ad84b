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


def day_row(page: str, day: date) -> list[int]:
    """The numbers of one day in the overview's table."""
    row = re.search(
        rf"<th scope=\"row\"[^>]*>{day.isoformat()}</th>(.*?)</tr>", page, re.S
    )
    return [int(n) for n in re.findall(r">(\d+)</td>", row[1])]


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
    page = client.get("/reports").data.decode()
    assert day_row(page, today) == [3, 2, 2]
    assert day_row(page, today - timedelta(days=1)) == [2, 1, 1]
    assert day_row(page, today - timedelta(days=29)) == [0, 0, 0]
    assert date(2030, 2, 8).isoformat() not in page
    assert re.search(r"Page views, last 30 days</dt>\s*<dd[^>]*>5</dd>", page)
    assert re.search(r"Visits, last 30 days</dt>\s*<dd[^>]*>3</dd>", page)
    assert re.search(r"Busiest day</dt>\s*<dd[^>]*>10 Mar \(3\)</dd>", page)
    assert "from 9 Feb to 10 Mar: 5 in all, the most (3) on 10 Mar." in page


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
    page = client.get("/reports/pages").data.decode()
    rows = dict(
        re.findall(r'<a href="([^"]+)">[^<]+</a></th>\s*<td[^>]*>(\d+)</td>', page)
    )
    assert rows == {
        "/reports": "2",
        "/reports/pages": "1",
        "/reports/themes": "0",
        "/reports/your-visit": "0",
    }
    assert "Overview 2; Pages 1; Colour modes 0; Your visit 0." in page


def test_themes_report_shares_among_members(app, client):
    with app.app_context():
        themes = {"member": "dark", "admin": "light"}
        for user in db.session.scalars(sa.select(User)):
            user.theme = themes[user.username]
        db.session.add_all(
            [User("c1", password_hash="x", theme="dark"), User("c2", password_hash="x")]
        )
        db.session.commit()
    page = client.get("/reports/themes").data.decode()
    cell = r"<td[^>]*>(\d+%?)</td>\s*"
    rows = re.findall(
        rf'<th scope="row" class="fw-normal">([\w ]+)</th>{cell}{cell}', page
    )
    assert rows == [
        ("Light", "1", "25%"),
        ("Dark", "2", "50%"),
        ("Auto", "0", "0%"),
        ("Not chosen", "1", "25%"),
    ]
    assert "<caption>4 members</caption>" in page


def test_your_visit_shows_the_cookies_and_when_they_expire(app, client, monkeypatch):
    clock = Clock(monkeypatch, start=datetime(2030, 1, 1, 12, 0))
    accept(client)
    client.get("/reports")
    clock.advance(minutes=20)
    page = client.get("/reports/your-visit").data.decode()
    visitor = client.get_cookie("visitor", path="/reports").value
    visit = client.get_cookie("visit", path="/reports").value
    rows = re.findall(
        r"<tr><th scope=\"row\"><code>(\w+)</code></th>(.*?)</tr>", page, re.S
    )
    assert [name for name, _ in rows] == ["visitor", "visit"]
    visitor_row, visit_row = rows[0][1], rows[1][1]
    assert (
        f"<code>{visitor}</code>" in visitor_row
        and "sent by your browser" in visitor_row
    )
    # 390 days after the first counted page; the visit 30 minutes after this one.
    assert "2031-01-26 12:00" in visitor_row
    assert f"<code>{visit}</code>" in visit_row and "2030-01-01 12:50" in visit_row
    assert "This visit: 2 pages since\n    12:00 UTC." in page


def test_report_pages_draw_accessible_charts_without_script_or_style(client):
    accept(client)
    for path, chart in [
        ("/reports", "views-per-day"),
        ("/reports/pages", "views-per-page"),
        ("/reports/themes", "members-by-theme"),
    ]:
        page = client.get(path).data.decode()
        labels = f'aria-labelledby="{chart}-title {chart}-desc"'
        assert re.search(rf'<svg class="chart"[^>]* role="img"[^>]* {labels}>', page)
        assert re.search(rf'<title id="{chart}-title">[^<]+</title>', page)
        assert re.search(rf'<desc id="{chart}-desc">[^<]+</desc>', page)
        assert "<table" in page and "<caption>" in page
        assert "<rect " in page
        assert "style=" not in page
        assert all('src="' in tag for tag in re.findall(r"<script[^>]*>", page))
        assert 'href="/static/css/reports.css?v=' in page
    svg = re.search(r"<svg.*?</svg>", client.get("/reports").data.decode(), re.S)[0]
    assert svg.count("<rect ") == 30


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
