"""The ``visitor`` and ``visit`` cookies: set, renewed, replaced or deleted.

Both are declared with ``Path=/reports``, so the browser sends them to the
reports and nowhere else; this module runs around every reports page (hooks
of the reports blueprint) and is the only code that sets them. Nothing
happens without consent: no cookie and no recorded view. A visitor who is not
(or no longer) consenting but still sends them gets them deleted, with the
same path they were set with.
"""

import secrets
from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app
from flask import g
from flask import request
from flask import Response
from sqlalchemy.exc import SQLAlchemyError

from cookiesite import consent
from cookiesite import cookies
from cookiesite import models
from cookiesite.extensions import db
from cookiesite.reports.models import PageView

#: The analytics cookies, in the order they are set.
KEYS = ("visitor", "visit")


@dataclass(frozen=True)
class Reader:
    """The ids this request is counted under, and which of them are new."""

    visitor: str
    visit: str
    #: No valid ``visitor`` cookie came in: a new one is set.
    new_visitor: bool
    #: No valid ``visit`` cookie came in (first page, or 30 minutes passed).
    new_visit: bool


def new_id() -> str:
    """A random anonymous id: 32 hexadecimal characters, 128 bits."""
    return secrets.token_hex(16)


def reader() -> Reader | None:
    """Who this reports page is counted for; ``None`` without consent."""
    return g.get("reports_reader")


def count_page_view() -> None:
    """Before a reports page: with consent, pick up or make the ids and record
    the view, so the page already counts itself.

    A cookie whose value fails validation (forged, truncated, oversized) is
    treated as missing, and replaced with a fresh id after the page.
    """
    g.reports_reader = None
    if request.method != "GET" or not consent.analytics_allowed():
        return
    visitor = cookies.read("visitor")
    visit = cookies.read("visit")
    current = Reader(
        visitor=visitor or new_id(),
        visit=visit or new_id(),
        new_visitor=visitor is None,
        new_visit=visit is None,
    )
    g.reports_reader = current
    # One statement: the database trigger updates the daily rollup. A Core
    # insert leaves no ORM object behind that a later attribute access would
    # reload with another query.
    try:
        db.session.execute(
            sa.insert(PageView).values(
                visitor=current.visitor,
                visit=current.visit,
                page=request.path,
                time=models.utcnow(),
            )
        )
        db.session.commit()
    except SQLAlchemyError:
        # A count is not worth an error page (a locked or read-only
        # database): the report is still shown, one view short.
        db.session.rollback()
        current_app.logger.exception("reports: page view not recorded")


def set_analytics_cookies(response: Response) -> Response:
    """After a reports page: set, renew or delete the analytics cookies.

    ``visitor`` is set once and lives 390 days; ``visit`` is set again on
    every page, so its 30 minutes start over and a visit ends only after 30
    minutes without a reports page.
    """
    if not consent.analytics_allowed():
        if any(cookies.sent(key) for key in KEYS):
            # Consent withdrawn, rejected, asked again for a new policy, or
            # GPC: the cookies reach only /reports, so this is where they go.
            for key in KEYS:
                cookies.erase(response, key)
        return response
    current = reader()
    if current is None:
        # A HEAD request: counted as nothing, changes nothing.
        return response
    if current.new_visitor:
        cookies.write(response, "visitor", current.visitor)
    cookies.write(response, "visit", current.visit)
    return response
