"""Page views of the reports, and the daily rollup the reports read.

The reports must cost the same with a million page views as with a hundred,
so they never aggregate ``page_views``. A database trigger keeps
``page_view_days`` up to date as each view is inserted: one row per day and
page with its views, the visits that started there and the visitors first
seen there that day. Recording a view is then one ``INSERT`` statement, and
each report reads at most a few hundred rollup rows.

The trigger exists for SQLite and PostgreSQL; the migration creates it, and
so does ``db.create_all()`` through the DDL events below.
"""

from datetime import date
from datetime import datetime

import sqlalchemy as sa
import sqlalchemy.orm as so

from cookiesite.extensions import db
from cookiesite.models import utcnow


class PageView(db.Model):
    """One reports page shown to a visitor who accepted analytics cookies."""

    __tablename__ = "page_views"
    __table_args__ = (
        # "Was this visitor here earlier today?" and "when did they first come?"
        sa.Index("ix_page_views_visitor_time", "visitor", "time"),
        # "Has this visit been seen before?" and "how long is this visit?"
        sa.Index("ix_page_views_visit_time", "visit", "time"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    #: The ``visitor`` cookie: an anonymous id, 32 hexadecimal characters.
    visitor: so.Mapped[str] = so.mapped_column(sa.String(32))
    #: The ``visit`` cookie: one sitting of reading, 32 hexadecimal characters.
    visit: so.Mapped[str] = so.mapped_column(sa.String(32))
    #: The path of the reports page, e.g. ``/reports/pages``.
    page: so.Mapped[str] = so.mapped_column(sa.String(64))
    #: When it was shown, naive UTC.
    time: so.Mapped[datetime] = so.mapped_column(default=utcnow)


class PageViewDay(db.Model):
    """Per UTC day and page: the rollup the trigger keeps and the reports read.

    ``visits`` counts a visit on the day and page where it started, and
    ``visitors`` counts a visitor on the first page they read that day, so
    summing a day's rows gives that day's visits and unique visitors.
    """

    __tablename__ = "page_view_days"

    day: so.Mapped[date] = so.mapped_column(primary_key=True)
    page: so.Mapped[str] = so.mapped_column(sa.String(64), primary_key=True)
    views: so.Mapped[int] = so.mapped_column(default=0)
    visits: so.Mapped[int] = so.mapped_column(default=0)
    visitors: so.Mapped[int] = so.mapped_column(default=0)


# The trigger's two lookups ("seen this visit before?", "seen this visitor
# earlier this day?") are index searches on the two indexes above, so an
# insert costs the same whatever the size of the table. "Before" means a
# smaller id, not just another row: PostgreSQL runs row triggers after the
# whole statement, when every row of a multi-row INSERT is already visible.
SQLITE_TRIGGER = """
CREATE TRIGGER page_views_rollup AFTER INSERT ON page_views
BEGIN
    INSERT INTO page_view_days (day, page, views, visits, visitors)
    VALUES (
        date(NEW."time"),
        NEW.page,
        1,
        NOT EXISTS (
            SELECT 1 FROM page_views WHERE visit = NEW.visit AND id < NEW.id
        ),
        NOT EXISTS (
            SELECT 1 FROM page_views
            WHERE visitor = NEW.visitor
              AND "time" >= date(NEW."time")
              AND "time" < date(NEW."time", '+1 day')
              AND id < NEW.id
        )
    )
    ON CONFLICT (day, page) DO UPDATE SET
        views = views + 1,
        visits = visits + excluded.visits,
        visitors = visitors + excluded.visitors;
END
"""

POSTGRESQL_FUNCTION = """
CREATE OR REPLACE FUNCTION page_views_rollup() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO page_view_days AS d (day, page, views, visits, visitors)
    VALUES (
        NEW."time"::date,
        NEW.page,
        1,
        CASE WHEN EXISTS (
            SELECT 1 FROM page_views WHERE visit = NEW.visit AND id < NEW.id
        ) THEN 0 ELSE 1 END,
        CASE WHEN EXISTS (
            SELECT 1 FROM page_views
            WHERE visitor = NEW.visitor
              AND "time" >= NEW."time"::date
              AND "time" < NEW."time"::date + 1
              AND id < NEW.id
        ) THEN 0 ELSE 1 END
    )
    ON CONFLICT (day, page) DO UPDATE SET
        views = d.views + 1,
        visits = d.visits + EXCLUDED.visits,
        visitors = d.visitors + EXCLUDED.visitors;
    RETURN NULL;
END
$$
"""

POSTGRESQL_TRIGGER = """
CREATE TRIGGER page_views_rollup AFTER INSERT ON page_views
FOR EACH ROW EXECUTE FUNCTION page_views_rollup()
"""


def _creates_page_views(ddl, target, bind, tables=None, **kw) -> bool:
    """Whether this ``create_all`` made ``page_views`` (not a subset without it)."""
    return tables is None or any(table.name == "page_views" for table in tables)


# ``db.create_all()`` (a scratch database, a bench) gets the trigger too,
# once every table exists; migrations create it themselves.
for _dialect, _statements in (
    ("sqlite", (SQLITE_TRIGGER,)),
    ("postgresql", (POSTGRESQL_FUNCTION, POSTGRESQL_TRIGGER)),
):
    for _statement in _statements:
        sa.event.listen(
            db.metadata,
            "after_create",
            sa.DDL(_statement).execute_if(
                dialect=_dialect, callable_=_creates_page_views
            ),
        )
