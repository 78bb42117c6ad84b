"""login tokens stored hashed

The login_records table kept each login's token as it is in the browser's
cookies, so a copy of the database could log anyone in. From here it keeps
only the token's SHA-256 (``token_hash``).

Records that exist before this revision are ended by it: their tokens sat in
the database in the clear, and a copy taken before the upgrade could still
use them. Their members log in once more. The downgrade cannot bring a token
back from its hash, so it gives every record a new random token that nobody
holds, and ends the records that were still active.

Revision ID: 3c9d2f1e8b70
Revises: e187607258c9
Create Date: 2026-12-02 02:30:00

"""
import hashlib
import secrets
from datetime import datetime
from datetime import UTC

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3c9d2f1e8b70'
down_revision = 'e187607258c9'
branch_labels = None
depends_on = None

#: The table as this revision sees it (never the model: it may change later).
login_records = sa.table(
    'login_records',
    sa.column('id', sa.Integer),
    sa.column('token', sa.String),
    sa.column('token_hash', sa.String),
    sa.column('ended_at', sa.DateTime),
)


def _now():
    return datetime.now(UTC).replace(tzinfo=None)


def _end_every_active_record():
    op.execute(
        login_records.update()
        .where(login_records.c.ended_at.is_(None))
        .values(ended_at=_now())
    )


def upgrade():
    with op.batch_alter_table('login_records', schema=None) as batch_op:
        batch_op.add_column(sa.Column('token_hash', sa.String(length=64), nullable=True))

    connection = op.get_bind()
    rows = connection.execute(sa.select(login_records.c.id, login_records.c.token))
    for record_id, token in rows.all():
        digest = hashlib.sha256(token.encode()).hexdigest()
        connection.execute(
            login_records.update()
            .where(login_records.c.id == record_id)
            .values(token_hash=digest)
        )
    _end_every_active_record()

    with op.batch_alter_table('login_records', schema=None) as batch_op:
        batch_op.alter_column('token_hash', existing_type=sa.String(length=64), nullable=False)
        batch_op.drop_index(batch_op.f('ix_login_records_token'))
        batch_op.create_index(batch_op.f('ix_login_records_token_hash'), ['token_hash'], unique=True)
        batch_op.drop_column('token')


def downgrade():
    with op.batch_alter_table('login_records', schema=None) as batch_op:
        batch_op.add_column(sa.Column('token', sa.String(length=64), nullable=True))

    connection = op.get_bind()
    ids = connection.execute(sa.select(login_records.c.id)).scalars().all()
    for record_id in ids:
        connection.execute(
            login_records.update()
            .where(login_records.c.id == record_id)
            .values(token=secrets.token_urlsafe(32))
        )
    _end_every_active_record()

    with op.batch_alter_table('login_records', schema=None) as batch_op:
        batch_op.alter_column('token', existing_type=sa.String(length=64), nullable=False)
        batch_op.drop_index(batch_op.f('ix_login_records_token_hash'))
        batch_op.create_index(batch_op.f('ix_login_records_token'), ['token'], unique=True)
        batch_op.drop_column('token_hash')
