"""Database models (SQLAlchemy 2 typed declarations).

Times are stored as naive UTC: SQLite keeps no time zone, and one convention
on both databases keeps comparisons simple.
"""

import enum
import re
from datetime import datetime
from datetime import UTC

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask_login import UserMixin
from werkzeug.security import check_password_hash
from werkzeug.security import generate_password_hash

from cookiesite.extensions import db

#: Letters, digits, dot, underscore and hyphen; 3 to 32 of them.
USERNAME_PATTERN = re.compile(r"[A-Za-z0-9._-]{3,32}")
PASSWORD_MIN = 8
#: Longer passwords are refused before hashing: hashing megabytes is a
#: denial-of-service lever, and nobody types more than this.
PASSWORD_MAX = 1024

#: A hash of a random password, checked when the username is unknown so that
#: "no such user" takes as long as "wrong password".
_DUMMY_HASH = generate_password_hash("not a password of anyone's")


def utcnow() -> datetime:
    """The current time as naive UTC, the form every column stores."""
    return datetime.now(UTC).replace(tzinfo=None)


def username_key(username: str) -> str:
    """The form of a username that uniqueness is checked on: case-folded."""
    return username.lower()


class User(UserMixin, db.Model):
    """A member of the site."""

    __tablename__ = "users"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    #: As typed at signup, for display.
    username: so.Mapped[str] = so.mapped_column(sa.String(32))
    #: Lower-cased, so "Alice" and "alice" cannot both sign up.
    username_key: so.Mapped[str] = so.mapped_column(sa.String(32), unique=True)
    password_hash: so.Mapped[str] = so.mapped_column(sa.String(255))
    is_admin: so.Mapped[bool] = so.mapped_column(default=False)
    created_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)
    last_login_at: so.Mapped[datetime | None]
    #: The member's colour mode (light, dark or auto), so it follows them to
    #: other browsers; ``None`` until they choose one.
    theme: so.Mapped[str | None] = so.mapped_column(sa.String(5))
    #: The member's language (a code of ``cookies.LANGUAGES``), kept for
    #: the same reason; ``None`` while the browser's header decides.
    lang: so.Mapped[str | None] = so.mapped_column(sa.String(5))
    #: Every login of this member, active or ended; deleted with the account
    #: by the database (``ON DELETE CASCADE``).
    login_records: so.Mapped[list["LoginRecord"]] = so.relationship(
        back_populates="user", cascade="all, delete-orphan", passive_deletes=True
    )

    #: The login this request is authenticated by, and its token as the
    #: browser holds it; attached by ``cookiesite.account.records`` at login
    #: and by the user loader. Not columns: one member has many logins, and
    #: the database keeps only a hash of each token.
    login_record = None
    login_token = None

    def __init__(self, username: str, password: str | None = None, **kwargs):
        super().__init__(
            username=username, username_key=username_key(username), **kwargs
        )
        if password is not None:
            self.set_password(password)

    def __repr__(self) -> str:
        return f"<User {self.username}>"

    def get_id(self) -> str:
        """The token of this login, not the user's id.

        Flask-Login puts this into the session (and the site into the remember
        cookie), so both point at one login record: ending the record ends
        exactly that login, wherever its cookies were copied to.
        """
        if self.login_token is None:
            raise RuntimeError("log in through cookiesite.account.records.start")
        return self.login_token

    def set_password(self, password: str) -> None:
        """Hash and store a password (scrypt, Werkzeug's default)."""
        if not PASSWORD_MIN <= len(password) <= PASSWORD_MAX:
            raise ValueError(
                f"a password has {PASSWORD_MIN} to {PASSWORD_MAX} characters"
            )
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        """Whether the password matches; over-long ones are not even hashed."""
        if len(password) > PASSWORD_MAX:
            return False
        return check_password_hash(self.password_hash, password)

    @classmethod
    def by_username(cls, username: str) -> "User | None":
        """The user with this name in any letter case, or ``None``."""
        return db.session.scalar(
            sa.select(cls).where(cls.username_key == username_key(username))
        )


def authenticate(username: str, password: str) -> User | None:
    """The user these credentials belong to, or ``None``.

    An unknown name costs a hash check too, so the response time does not
    tell an attacker which usernames exist.
    """
    user = User.by_username(username) if len(username) <= 32 else None
    if user is None:
        check_password_hash(_DUMMY_HASH, password[:PASSWORD_MAX])
        return None
    return user if user.check_password(password) else None


class Ended(enum.StrEnum):
    """Why a login ended: the values ``LoginRecord.ended_reason`` may hold.

    Each is shown, in words, to a browser that comes back with the ended
    login's cookies (``cookiesite.auth.remember.ENDED_MESSAGES``).
    """

    #: Log out was pressed in the browser of that login.
    LOGGED_OUT = "logout"
    #: Revoked from a list of devices: the member's own, or the admin's.
    REVOKED = "revoked"
    #: The member's password changed, which ends every other login.
    PASSWORD_CHANGED = "password"  # noqa: S105 (a reason, not a password)
    #: "Log out all other devices" was pressed in another browser.
    LOGGED_OUT_ELSEWHERE = "elsewhere"
    #: The server found it past its time: "Remember me" ran out, or a login
    #: without it was idle too long or reached its maximum age.
    EXPIRED = "expired"


class LoginRecord(db.Model):
    """One login on one device, from logging in until it ends.

    Its random token is what the session and the remember cookie carry; the
    table keeps only the token's SHA-256, so a copy of the database (with or
    without the secret key) logs nobody in. A record ends (``ended_at``) at
    logout, when revoked, when the password changes, or when the server finds
    it expired, and keeps why (``ended_reason``); a token of an ended record
    logs nobody in.
    """

    __tablename__ = "login_records"
    # The database itself refuses a reason that is not one of ``Ended``.
    __table_args__ = (
        sa.CheckConstraint(
            sa.column("ended_reason").in_([reason.value for reason in Ended]),
            name="ended_reason",
        ),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    user_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    #: SHA-256 of the token (``secrets.token_urlsafe(32)``), in hex.
    token_hash: so.Mapped[str] = so.mapped_column(
        sa.String(64), unique=True, index=True
    )
    created_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)
    #: Written at most once a minute per record, not on every request.
    last_seen_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)
    #: A short description from the User-Agent, such as "Firefox on Linux".
    device: so.Mapped[str] = so.mapped_column(sa.String(120))
    #: Long enough for an IPv6 address.
    ip: so.Mapped[str | None] = so.mapped_column(sa.String(45))
    #: When "Remember me" runs out; ``None`` for a login without it.
    remembered_until: so.Mapped[datetime | None]
    #: ``None`` while the login is active.
    ended_at: so.Mapped[datetime | None]
    #: Why it ended, one of :class:`Ended`; ``None`` while it is active, and
    #: for a login that ended before the reason was kept (revision 5b8e0c4a91d2).
    ended_reason: so.Mapped[str | None] = so.mapped_column(sa.String(16))

    user: so.Mapped[User] = so.relationship(back_populates="login_records")

    def __repr__(self) -> str:
        return f"<LoginRecord {self.id} of user {self.user_id}>"
