"""Login records: every login is a row that its owner and the admin can end.

Flask-Login's "alternative token" pattern: ``User.get_id()`` returns the
login's random token, so the session and the remember cookie both carry the
token, never the user's id. The table keeps only the token's SHA-256
(:func:`hash_token`), so a copy of the database logs nobody in, not even with
the secret key beside it. :func:`load_user` (the user loader) accepts a token
only while its record is active, which makes a copied cookie worthless once
its login ended: at logout, on revocation, on a password change, by "Log out
all other devices", or when the server finds the login expired. The record
keeps which (``ended_reason``, one of :class:`~cookiesite.models.Ended`), so
the browser that comes back with its cookies can be told.

Time is read through ``models.utcnow`` at call time, so tests can drive it.
"""

import hashlib
import secrets
from datetime import datetime
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from flask import g
from flask import request

from cookiesite import cookies
from cookiesite import models
from cookiesite.account.devices import describe
from cookiesite.extensions import db
from cookiesite.models import Ended
from cookiesite.models import LoginRecord
from cookiesite.models import User

#: ``last_seen_at`` is written at most this often per record: a request
#: should not cost a database write.
LAST_SEEN_INTERVAL = timedelta(minutes=1)

#: Longer strings are not looked up: no token is this long.
TOKEN_MAX = 64


def setting(name: str) -> timedelta:
    """A duration setting; ``FLASK_*`` variables give plain seconds."""
    value = current_app.config[name]
    return value if isinstance(value, timedelta) else timedelta(seconds=value)


def hash_token(token: str) -> str:
    """What the table keeps of a token: its SHA-256, in hex.

    A token is 256 random bits, so a fast hash is enough: nobody can guess a
    token from its hash, and no salt is needed against precomputed tables.
    """
    return hashlib.sha256(token.encode()).hexdigest()


def start(user: User, remember: bool) -> LoginRecord:
    """A new login record for ``user`` on the device making this request.

    The token is made here and attached to ``user`` (``login_token``), where
    ``login_user`` reads it through ``get_id``; only its hash is stored.
    """
    now = models.utcnow()
    token = secrets.token_urlsafe(32)
    record = LoginRecord(
        user=user,
        token_hash=hash_token(token),
        created_at=now,
        last_seen_at=now,
        device=describe(request.user_agent.string),
        ip=request.remote_addr,
        remembered_until=now + cookies.lifetime("remember") if remember else None,
    )
    db.session.add(record)
    user.login_record, user.login_token = record, token
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


#: The login record of a token's hash, and its user, in one select (so
#: ``record.user`` needs no query of its own). Written once, with a bound
#: parameter, like any statement a module runs often.
BY_TOKEN_HASH = (
    sa.select(LoginRecord, User)
    .join(LoginRecord.user)
    .where(LoginRecord.token_hash == sa.bindparam("token_hash"))
)


def load_user(token: str) -> User | None:
    """Flask-Login's user loader: the user of the active login ``token`` names.

    Ends an expired record on the way. A token that loads nobody is noted in
    ``g.dead_login`` (``cookiesite.auth.remember`` then forgets it in the
    browser); when it named a login that is over, ``g.ended_login`` holds
    that record, for the page to say why it ended.
    ``last_seen_at`` moves at most once per :data:`LAST_SEEN_INTERVAL`.
    """
    if len(token) > TOKEN_MAX:
        g.dead_login = True
        return None
    found = db.session.execute(BY_TOKEN_HASH, {"token_hash": hash_token(token)}).first()
    if found is None:
        g.dead_login = True
        return None
    record, user = found
    now = models.utcnow()
    if record.ended_at is None and is_expired(record, now):
        end(record, Ended.EXPIRED)
    if record.ended_at is not None:
        g.dead_login = True
        g.ended_login = record
        return None
    if now - record.last_seen_at >= LAST_SEEN_INTERVAL:
        record.last_seen_at = now
        db.session.commit()
    user.login_record, user.login_token = record, token
    return user


def end(record: LoginRecord, reason: Ended = Ended.REVOKED) -> None:
    """End one login now, for ``reason``; its cookies log nobody in from the
    next request. A login that has ended already keeps its first reason."""
    if record.ended_at is None:
        record.ended_at = models.utcnow()
        record.ended_reason = reason
    db.session.commit()


def end_all(
    user: User, keep: LoginRecord | None = None, reason: Ended = Ended.REVOKED
) -> int:
    """End every login of ``user`` except ``keep``, for ``reason``.

    Returns how many were still active; the expired ones are closed too, so
    no record is left open, with the reason that is true of them: expired.
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
        .values(
            ended_at=now,
            ended_reason=sa.case(
                (active_clause(now), reason.value), else_=Ended.EXPIRED.value
            ),
        )
    )
    db.session.commit()
    return active_count
