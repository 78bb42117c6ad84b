"""The admin pages: this browser's cookies, everyone's logins, the users.

Every address of this blueprint is for admins only (``require_admin``). Most
live under ``/admin``; the cookie list and its Clear forms live under
``/reports``, because only there does the browser send the cookies scoped to
``/reports`` (see ``reports_cookies``).
"""

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import abort
from flask import Blueprint
from flask import flash
from flask import make_response
from flask import render_template
from flask import request
from flask import url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from flask_login import logout_user

from cookiesite import browser
from cookiesite import cookies
from cookiesite import models
from cookiesite.account import records
from cookiesite.account.devices import label
from cookiesite.browser import HeldCookie
from cookiesite.cookies import Cookie
from cookiesite.extensions import db
from cookiesite.extensions import login_manager
from cookiesite.models import Ended
from cookiesite.models import LoginRecord
from cookiesite.models import User
from cookiesite.redirects import after_form
from cookiesite.security import framed_by_self

bp = Blueprint("admin", __name__)


@bp.before_request
def require_admin():
    """Anonymous visitors are sent to log in; members get 403."""
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if not current_user.is_admin:
        abort(403)
    return None


def framed_only() -> list[Cookie]:
    """The catalogue's cookies that the framed list receives and the admin
    pages never do: those scoped to ``/reports``."""
    framed = url_for("admin.reports_cookies")
    return [
        c
        for c in cookies.CATALOGUE.values()
        if c.path != "/" and framed.startswith(c.path + "/")
    ]


@bp.get("/admin/cookies", endpoint="cookies")
def cookie_page():
    """Every cookie this browser holds for the site, shown in a frame.

    This request itself carries only the cookies of ``/``; the page lists
    them to show the difference, and frames ``reports_cookies`` for the rest:
    all but those scoped to another path (``/login``), which only pages under
    that path receive.
    """
    carried = browser.held()
    scoped = framed_only()
    return render_template(
        "admin/cookies.html",
        carried=carried,
        scoped=scoped,
        elsewhere=[
            c for c in cookies.CATALOGUE.values() if c.path != "/" and c not in scoped
        ],
        # The framed list has a row for each cookie this request carried and
        # one for each cookie scoped to /reports, held or not: a frame does
        # not grow with its document, so its box is made that many rows tall.
        frame_rows=len(carried) + len(scoped),
    )


@bp.get("/reports/admin-cookies")
@framed_by_self
def reports_cookies():
    """The cookie list itself, framed by ``/admin/cookies``.

    A browser sends a cookie only to addresses under its path, so the
    ``/reports`` cookies never reach ``/admin``. Under ``/reports`` this page
    receives every cookie of the site, those of ``/`` included. The cookies
    scoped to ``/reports`` have a row even when the browser holds none, so
    that the framing page knows how many rows there are.
    """
    held = browser.held()
    keys = {c.key for c in held}
    return render_template(
        "admin/held.html",
        held=held,
        absent=[c for c in framed_only() if c.name not in keys],
        category_titles=cookies.CATEGORY_TITLES,
    )


@bp.post("/reports/admin-cookies/clear")
def clear_cookie():
    """Delete one cookie the browser holds, named by the form.

    A name no ``Set-Cookie`` header can carry is refused before anything
    changes (422), and the page says why.
    """
    name = request.form.get("name", "")
    targets = [c for c in browser.held() if c.name == name]
    if not targets:
        page = render_template("admin/cleared.html", cleared=[], missing=name)
        return page, 404
    if not targets[0].deletable:
        page = render_template("admin/cleared.html", cleared=[], kept=targets[:1])
        return page, 422
    return _clear(targets[:1])


@bp.post("/reports/admin-cookies/clear-all")
def clear_all():
    """Delete every cookie the browser holds for the site, but those whose
    names no ``Set-Cookie`` header can carry, which the page lists.

    The form is sent to ``/reports`` so that the ``/reports`` cookies come
    with it: the page can then say exactly what it deleted.
    """
    unique = {c.name: c for c in browser.held()}.values()
    kept = [c for c in unique if not c.deletable]
    return _clear([c for c in unique if c.deletable], kept)


def _clear(targets: list[HeldCookie], kept: list[HeldCookie] = ()):
    """Delete ``targets`` and render what went (and what was ``kept``).

    When no login cookie is left, this browser's login is over: the record
    ends too, so a copy of the cleared cookies logs nobody in. The page is
    rendered, not redirected to: the next page would set a new session.
    """
    cleared = {c.name for c in targets}
    login_names = {cookies.cookie_name(key) for key in browser.LOGIN_TOKENS}
    left = (login_names & set(request.cookies)) - cleared
    logged_out = current_user.is_authenticated and not left
    if logged_out:
        records.end(current_user.login_record, Ended.LOGGED_OUT)
        logout_user()
    relogin = cookies.cookie_name("session") in cleared and bool(left)
    response = make_response(
        render_template(
            "admin/cleared.html",
            cleared=targets,
            logged_out=logged_out,
            relogin=relogin,
            kept=kept,
        )
    )
    for cookie in targets:
        browser.erase(response, cookie)
    return response


@bp.get("/admin/sessions")
def sessions():
    """Everyone's active logins, by member, each with Revoke."""
    by_user: dict[User, list[LoginRecord]] = {}
    for record in records.active(options=[so.joinedload(LoginRecord.user)]):
        by_user.setdefault(record.user, []).append(record)
    groups = sorted(by_user.items(), key=lambda item: item[0].username_key)
    return render_template(
        "admin/sessions.html",
        groups=groups,
        this_device=current_user.login_record,
    )


@bp.post("/admin/sessions/<int:record_id>/revoke")
def revoke(record_id: int):
    """End one login of anyone; that device is logged out at its next page."""
    record = db.session.get(LoginRecord, record_id)
    if record is None:
        abort(404)
    records.end(record)
    message = _(
        "Revoked the login of %(username)s on %(device)s.",
        username=record.user.username,
        device=label(record.device),
    )
    flash(message, "success")
    return after_form(url_for("admin.sessions"))


@bp.post("/admin/users/<int:user_id>/revoke")
def revoke_all(user_id: int):
    """End every login of one member."""
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    ended = records.end_all(user)
    message = ngettext(
        "Revoked %(num)d login of %(username)s.",
        "Revoked %(num)d logins of %(username)s.",
        ended,
        username=user.username,
    )
    flash(message, "success")
    return after_form(url_for("admin.sessions"))


@bp.get("/admin/users")
def users():
    """Every member: created, last login, active devices, admin or not."""
    active = (
        sa.select(LoginRecord.user_id, sa.func.count().label("devices"))
        .where(records.active_clause(models.utcnow()))
        .group_by(LoginRecord.user_id)
        .subquery()
    )
    rows = db.session.execute(
        sa.select(User, sa.func.coalesce(active.c.devices, 0))
        .outerjoin(active, active.c.user_id == User.id)
        .order_by(User.username_key)
    ).all()
    return render_template("admin/users.html", rows=rows)
