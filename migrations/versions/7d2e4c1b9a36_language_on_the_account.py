"""language on the account

The member's chosen language (the ``lang`` cookie's value), so it follows
them to other browsers as the colour mode does. Empty for everyone until
they choose: their browsers' Accept-Language keeps deciding.

Revision ID: 7d2e4c1b9a36
Revises: 5b8e0c4a91d2
Create Date: 2026-12-02 08:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7d2e4c1b9a36'
down_revision = '5b8e0c4a91d2'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('lang', sa.String(length=5), nullable=True))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('lang')
