"""Login records: every login is a row that its owner and the admin can end.

Flask-Login's "alternative token" pattern: ``User.get_id()`` returns the
record's random token, so the session and the remember cookie both carry the
token, never the user's id. :func:`load_user` (the user loader) accepts a
token only while its record is active, which makes a copied cookie worthless
once its login ended: at logout, on revocation, on a password change, or when
the server finds the login expired.

Time is read through ``models.utcnow`` at call time, so tests can drive it.
"""

import secrets
from datetime import datetime
from datetime import timedelta
from functools import cache

import sqlalchemy as sa
from flask import current_app
from flask import g
from flask import request

from cookiesite import cookies
from cookiesite import models
from cookiesite.account.devices import describe
from cookiesite.extensions import db
from cookiesite.models import LoginRecord
from cookiesite.models import User

#: ``last_seen_at`` is written at most this often per record: a request
#: should not cost a database write.
LAST_SEEN_INTERVAL = timedelta(minutes=1)

#: Longer strings are not looked up: no token is this long.
_TOKEN_MAX = 64


def setting(name: str) -> timedelta:
    """A duration setting; ``FLASK_*`` variables give plain seconds."""
    value = current_app.config[name]
    return value if isinstance(value, timedelta) else timedelta(seconds=value)


def start(user: User, remember: bool) -> LoginRecord:
    """A new login record for ``user`` on the device making this request.

    The token is made here, not at flush, because ``login_user`` reads it
    (through ``get_id``) before anything is committed.
    """
    now = models.utcnow()
    record = LoginRecord(
        user=user,
        token=secrets.token_urlsafe(32),
        created_at=now,
        last_seen_at=now,
        device=describe(request.user_agent.string),
        ip=request.remote_addr,
        remembered_until=now + cookies.lifetime("remember_token") if remember else None,
    )
    db.session.add(record)
    return record


def is_expired(record: LoginRecord, now: datetime) -> bool:
    """Whether the server's own limits ended this login by ``now``.

    A remembered login lasts until ``remembered_until``; any other one ends
    after ``LOGIN_IDLE_TIMEOUT`` without a request, or ``LOGIN_MAX_AGE`` after
    it began. Mirrors :func:`active_clause`.
    """
    if record.remembered_until is not None:
        return now >= record.remembered_until
    idle = now - record.last_seen_at > setting("LOGIN_IDLE_TIMEOUT")
    too_old = now - record.created_at >= setting("LOGIN_MAX_AGE")
    return idle or too_old


def active_clause(now: datetime):
    """The SQL condition for records that are neither ended nor expired.

    The same rules as :func:`is_expired`, for lists that must not show a
    login that merely has not been used since it expired.
    """
    return sa.and_(
        LoginRecord.ended_at.is_(None),
        sa.or_(
            LoginRecord.remembered_until > now,
            sa.and_(
                LoginRecord.remembered_until.is_(None),
                LoginRecord.last_seen_at >= now - setting("LOGIN_IDLE_TIMEOUT"),
                LoginRecord.created_at > now - setting("LOGIN_MAX_AGE"),
            ),
        ),
    )


def active(user: User | None = None, options=()) -> list[LoginRecord]:
    """Active records, most recently seen first; of one user, or of everyone.

    ``options`` are loader options, such as loading each record's user.
    """
    query = (
        sa.select(LoginRecord).where(active_clause(models.utcnow())).options(*options)
    )
    if user is not None:
        query = query.where(LoginRecord.user_id == user.id)
    return list(
        db.session.scalars(
            query.order_by(LoginRecord.last_seen_at.desc(), LoginRecord.id.desc())
        )
    )


@cache
def _by_token() -> sa.Select:
    """The login record of a token and its user: one statement, built once.

    This runs on every member's request; building the statement anew each time
    would cost as much as SQLite takes to answer it. Selecting both entities
    (rather than the record with its user joined-loaded) also spares the ORM
    its eager-loading machinery; ``record.user`` then comes from the session
    without a query.
    """
    return (
        sa.select(LoginRecord, User)
        .join(LoginRecord.user)
        .where(LoginRecord.token == sa.bindparam("token"))
    )


def load_user(token: str) -> User | None:
    """Flask-Login's user loader: the user of the active login ``token`` names.

    Ends an expired record on the way, and notes in ``g.login_ended`` that the
    browser held a login that is over (the login manager then tells the
    member and deletes the cookies). ``last_seen_at`` moves at most once per
    :data:`LAST_SEEN_INTERVAL`.
    """
    if len(token) > _TOKEN_MAX:
        return None
    found = db.session.execute(_by_token(), {"token": token}).first()
    if found is None:
        return None
    record, user = found
    now = models.utcnow()
    if record.ended_at is None and is_expired(record, now):
        record.ended_at = now
        db.session.commit()
    if record.ended_at is not None:
        g.login_ended = True
        return None
    if now - record.last_seen_at >= LAST_SEEN_INTERVAL:
        record.last_seen_at = now
        if record.remembered_until is not None and _renews_remember_cookie():
            record.remembered_until = now + cookies.lifetime("remember_token")
        db.session.commit()
    user.login_record = record
    return user


def _renews_remember_cookie() -> bool:
    """Whether this request renews the remember cookie (the refresh setting),
    so the record's end moves with the cookie's."""
    return bool(current_app.config["REMEMBER_COOKIE_REFRESH_EACH_REQUEST"]) and (
        cookies.sent("remember_token")
    )


def end(record: LoginRecord) -> None:
    """End one login now; its cookies log nobody in from the next request."""
    if record.ended_at is None:
        record.ended_at = models.utcnow()
    db.session.commit()


def end_all(user: User, keep: LoginRecord | None = None) -> int:
    """End every login of ``user`` except ``keep``.

    Returns how many were still active; the expired ones are closed too, so
    no record is left open.
    """
    now = models.utcnow()
    others = [LoginRecord.user_id == user.id]
    if keep is not None:
        others.append(LoginRecord.id != keep.id)
    active_count = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(LoginRecord)
        .where(*others, active_clause(now))
    )
    db.session.execute(
        sa.update(LoginRecord)
        .where(*others, LoginRecord.ended_at.is_(None))
        .values(ended_at=now)
    )
    db.session.commit()
    return active_count
