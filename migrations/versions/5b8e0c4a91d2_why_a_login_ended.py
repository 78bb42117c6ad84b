"""why a login ended

Each login record keeps why it ended (``ended_reason``), so a browser that
comes back with the cookies of an ended login is told the one reason that
happened: logged out, revoked, password changed, logged out from another
device, or expired. A CHECK constraint keeps the column to those values.

Records that ended before this revision keep ``NULL``: nobody knows why
they ended, and such a browser is told only that its login has ended.

Revision ID: 5b8e0c4a91d2
Revises: 3c9d2f1e8b70
Create Date: 2027-01-10 10:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5b8e0c4a91d2'
down_revision = '3c9d2f1e8b70'
branch_labels = None
depends_on = None

#: The reasons as this revision knows them (never the model's: it may change).
REASONS = ('logout', 'revoked', 'password', 'elsewhere', 'expired')


def upgrade():
    with op.batch_alter_table('login_records', schema=None) as batch_op:
        batch_op.add_column(sa.Column('ended_reason', sa.String(length=16), nullable=True))
        batch_op.create_check_constraint(
            op.f('ck_login_records_ended_reason'),
            sa.column('ended_reason').in_(REASONS),
        )


def downgrade():
    with op.batch_alter_table('login_records', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_login_records_ended_reason'), type_='check')
        batch_op.drop_column('ended_reason')
