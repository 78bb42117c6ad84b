"""What the reports show, each read in one statement from bounded data.

The per-day figures come from ``page_view_days`` (at most a row per day and
page), never from ``page_views``; the only reads of ``page_views`` look up
one visitor or one visit through their indexes.
"""

from dataclasses import dataclass
from datetime import date
from datetime import datetime
from datetime import timedelta
from functools import cache

import sqlalchemy as sa

from cookiesite.extensions import db
from cookiesite.models import User
from cookiesite.reports.models import PageView
from cookiesite.reports.models import PageViewDay

#: How many days the overview and the pages report cover, today included.
DAYS = 30

#: The colour modes in the order the themes report lists them; ``None`` is a
#: member who never chose one.
THEME_ORDER = ("light", "dark", "auto", None)


@dataclass(frozen=True)
class DayCount:
    """One day of the overview."""

    day: date
    views: int
    visits: int
    visitors: int


@dataclass(frozen=True)
class VisitFacts:
    """What the database knows about the reader's own ids."""

    #: The visitor's first counted page: when the ``visitor`` cookie was set.
    first_seen: datetime | None
    #: The first page of this visit.
    visit_started: datetime | None
    #: Pages counted in this visit, this one included.
    visit_views: int


def first_day(today: date) -> date:
    """The oldest day the reports cover."""
    return today - timedelta(days=DAYS - 1)


@cache
def _daily() -> sa.Select:
    """The statement of :func:`daily`, built once: the overview is the most
    read report, and building the statement cost as much as running it."""
    rollup = PageViewDay
    return (
        sa.select(
            rollup.day,
            sa.func.sum(rollup.views),
            sa.func.sum(rollup.visits),
            sa.func.sum(rollup.visitors),
        )
        .where(rollup.day.between(sa.bindparam("first"), sa.bindparam("last")))
        .group_by(rollup.day)
    )


def daily(today: date) -> list[DayCount]:
    """Views, visits and unique visitors for each of the last ``DAYS`` days.

    Days without a view are filled in with zeros, oldest first.
    """
    rows = db.session.execute(
        _daily(), {"first": first_day(today), "last": today}
    ).all()
    found = {day: DayCount(day, *counts) for day, *counts in rows}
    days = (first_day(today) + timedelta(days=n) for n in range(DAYS))
    return [found.get(day, DayCount(day, 0, 0, 0)) for day in days]


def by_page(today: date) -> dict[str, tuple[int, int]]:
    """Page path -> (views, visits started there) over the last ``DAYS`` days."""
    rollup = PageViewDay
    rows = db.session.execute(
        sa.select(rollup.page, sa.func.sum(rollup.views), sa.func.sum(rollup.visits))
        .where(rollup.day.between(first_day(today), today))
        .group_by(rollup.page)
    ).all()
    return {page: (views, visits) for page, views, visits in rows}


def themes() -> list[tuple[str | None, int]]:
    """How many members chose each colour mode, in ``THEME_ORDER``."""
    rows = db.session.execute(
        sa.select(User.theme, sa.func.count()).group_by(User.theme)
    ).all()
    counts = dict.fromkeys(THEME_ORDER, 0)
    for theme, count in rows:
        # A value outside the three modes is no choice the site can render.
        counts[theme if theme in counts else None] += count
    return list(counts.items())


def visit_facts(visitor: str, visit: str) -> VisitFacts:
    """The reader's first counted page, and this visit's start and length."""
    first_seen = sa.select(sa.func.min(PageView.time)).where(
        PageView.visitor == visitor
    )
    started = sa.select(sa.func.min(PageView.time)).where(PageView.visit == visit)
    views = (
        sa.select(sa.func.count()).select_from(PageView).where(PageView.visit == visit)
    )
    row = db.session.execute(
        sa.select(
            first_seen.scalar_subquery(),
            started.scalar_subquery(),
            views.scalar_subquery(),
        )
    ).one()
    return VisitFacts(*row)
