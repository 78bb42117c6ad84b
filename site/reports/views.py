"""``/reports``: the analytics area, public, counted by its own cookies."""

from datetime import date
from datetime import datetime

from flask import Blueprint
from flask import render_template
from flask import url_for
from flask_babel import format_date
from flask_babel import format_decimal
from flask_babel import format_percent
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from cookiesite import cookies
from cookiesite import models
from cookiesite.reports import charts
from cookiesite.reports import stats
from cookiesite.reports import tracking

bp = Blueprint("reports", __name__, url_prefix="/reports")
bp.before_request(tracking.count_page_view)
bp.after_request(tracking.set_analytics_cookies)

#: The reports, in the order the reports' own navigation lists them.
PAGES = (
    ("reports.index", _l("Overview")),
    ("reports.pages", _l("Pages")),
    ("reports.themes", _l("Colour modes")),
    ("reports.your_visit", _l("Your visit")),
)

#: How the themes report names a member's colour mode.
THEME_LABELS = {
    "light": _l("Light"),
    "dark": _l("Dark"),
    "auto": _l("Auto"),
    None: _l("Not chosen"),
}


def today() -> date:
    """The current UTC day, on the clock the page views are stamped with."""
    return models.utcnow().date()


def short(day: date) -> str:
    """A day as the charts label it: ``21 Nov`` (``21. Nov.`` in German)."""
    # The Babel pattern is itself a translated text ("d. MMM" in German):
    # CLDR's short day for English is "Nov 21", not the charts' "21 Nov".
    return format_date(day, _("d MMM"))


def percent(part: int, whole: int) -> str:
    """``42%`` (``42 %`` in German); ``0%`` of nothing."""
    return format_percent(part / whole if whole else 0)


def tally(counts: list[tuple[str, str]]) -> str:
    """``Overview 2; Pages 1``: each label and its number, for a chart's
    description (which reads out what the bars show)."""
    return "; ".join(f"{label} {number}" for label, number in counts)


@bp.route("")
def index():
    """Visits, unique visitors and page views per day over the last 30 days."""
    days = stats.daily(today())
    views = sum(day.views for day in days)
    if not views:
        # The page says how numbers come, rather than draw 30 days of zeros.
        return render_template("reports/index.html", views=0)
    busiest = max(days, key=lambda day: (day.views, day.day))
    desc = _(
        "Page views per day from %(first)s to %(last)s: %(views)s in all,"
        " the most (%(most)s) on %(busiest)s.",
        first=short(days[0].day),
        last=short(days[-1].day),
        views=format_decimal(views),
        most=format_decimal(busiest.views),
        busiest=short(busiest.day),
    )
    chart = charts.columns(
        "views-per-day",
        ngettext(
            "Page views per day, last %(num)d day",
            "Page views per day, last %(num)d days",
            stats.DAYS,
        ),
        desc,
        [(short(day.day), day.views) for day in days],
    )
    return render_template(
        "reports/index.html",
        days=days,
        chart=chart,
        views=views,
        visits=sum(day.visits for day in days),
        busiest=busiest,
    )


@bp.route("/pages")
def pages():
    """How often each report was read, and where visits started."""
    counts = stats.by_page(today())
    rows = []
    for endpoint, title in PAGES:
        path = url_for(endpoint)
        views, visits = counts.get(path, (0, 0))
        rows.append(
            {"title": str(title), "path": path, "views": views, "visits": visits}
        )
    if not any(row["views"] for row in rows):
        return render_template("reports/pages.html", rows=[])
    desc = ngettext(
        "Views per report over the last %(num)d day: %(counts)s.",
        "Views per report over the last %(num)d days: %(counts)s.",
        stats.DAYS,
        counts=tally([(row["title"], format_decimal(row["views"])) for row in rows]),
    )
    chart = charts.bars(
        "views-per-page",
        ngettext(
            "Views per report, last %(num)d day",
            "Views per report, last %(num)d days",
            stats.DAYS,
        ),
        desc,
        [(row["title"], row["views"]) for row in rows],
    )
    return render_template("reports/pages.html", rows=rows, chart=chart)


@bp.route("/themes")
def themes():
    """The share of light, dark and auto among the members' colour modes."""
    counts = stats.themes()
    members = sum(count for _, count in counts)
    if not members:
        return render_template("reports/themes.html", members=0)
    rows = [
        {
            "label": str(THEME_LABELS[theme]),
            "count": count,
            "share": percent(count, members),
        }
        for theme, count in counts
    ]
    desc = ngettext(
        "Colour mode of %(members)s member: %(counts)s.",
        "Colour mode of %(members)s members: %(counts)s.",
        members,
        members=format_decimal(members),
        counts=tally(
            [
                (row["label"], f"{format_decimal(row['count'])} ({row['share']})")
                for row in rows
            ]
        ),
    )
    chart = charts.bars(
        "members-by-theme",
        _("Members by colour mode"),
        desc,
        [(row["label"], row["count"]) for row in rows],
    )
    return render_template(
        "reports/themes.html", rows=rows, chart=chart, members=members
    )


def _cookie_row(key: str, value: str, is_new: bool, set_at: datetime) -> dict:
    """One cookie of the "your visit" table: what it holds and when it ends."""
    if not is_new:
        state = _("sent by your browser")
    elif cookies.sent(key):
        state = _(
            "replaced by this page: your browser sent a value that is not a valid id"
        )
    else:
        state = _("set by this page")
    return {
        "name": cookies.cookie_name(key),
        "value": value,
        "state": state,
        "path": cookies.CATALOGUE[key].path,
        "expires": set_at + cookies.lifetime(key),
    }


@bp.route("/your-visit")
def your_visit():
    """What the two analytics cookies hold for this reader, and when they expire."""
    reader = tracking.reader()
    if reader is None:
        return render_template("reports/your_visit.html", reader=None)
    now = models.utcnow()
    facts = stats.visit_facts(reader.visitor, reader.visit)
    # The visitor cookie was set with the reader's first counted page and is
    # never renewed; the visit cookie is set again by this very page.
    visitor_set = now if reader.new_visitor else (facts.first_seen or now)
    rows = [
        _cookie_row("visitor", reader.visitor, reader.new_visitor, visitor_set),
        _cookie_row("visit", reader.visit, reader.new_visit, now),
    ]
    return render_template(
        "reports/your_visit.html",
        reader=reader,
        rows=rows,
        facts=facts,
        now=now,
    )


@bp.context_processor
def reports_context() -> dict:
    """The reports' own navigation, the chart writer and the charts' way of
    writing a day, on every reports page."""
    return {
        "report_pages": PAGES,
        "report_days": stats.DAYS,
        "svg_chart": charts.svg_chart,
        "short_day": short,
    }
