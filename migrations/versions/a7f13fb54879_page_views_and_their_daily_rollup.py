"""page views and their daily rollup

The trigger keeps page_view_days up to date as each page view is inserted,
so the reports never aggregate page_views. The SQL is copied here from
cookiesite.reports.models as it was at this revision: a migration must not
change when the models do. A later batch migration that recreates
page_views on SQLite drops the trigger with the old table and must create it
again.

Revision ID: a7f13fb54879
Revises: a1455d77bdbe
Create Date: 2026-11-21 22:41:15.065331

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a7f13fb54879'
down_revision = 'a1455d77bdbe'
branch_labels = None
depends_on = None


SQLITE_TRIGGER = """
CREATE TRIGGER page_views_rollup AFTER INSERT ON page_views
BEGIN
    INSERT INTO page_view_days (day, page, views, visits, visitors)
    VALUES (
        date(NEW."time"),
        NEW.page,
        1,
        NOT EXISTS (
            SELECT 1 FROM page_views WHERE visit = NEW.visit AND id < NEW.id
        ),
        NOT EXISTS (
            SELECT 1 FROM page_views
            WHERE visitor = NEW.visitor
              AND "time" >= date(NEW."time")
              AND "time" < date(NEW."time", '+1 day')
              AND id < NEW.id
        )
    )
    ON CONFLICT (day, page) DO UPDATE SET
        views = views + 1,
        visits = visits + excluded.visits,
        visitors = visitors + excluded.visitors;
END
"""

POSTGRESQL_FUNCTION = """
CREATE OR REPLACE FUNCTION page_views_rollup() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO page_view_days AS d (day, page, views, visits, visitors)
    VALUES (
        NEW."time"::date,
        NEW.page,
        1,
        CASE WHEN EXISTS (
            SELECT 1 FROM page_views WHERE visit = NEW.visit AND id < NEW.id
        ) THEN 0 ELSE 1 END,
        CASE WHEN EXISTS (
            SELECT 1 FROM page_views
            WHERE visitor = NEW.visitor
              AND "time" >= NEW."time"::date
              AND "time" < NEW."time"::date + 1
              AND id < NEW.id
        ) THEN 0 ELSE 1 END
    )
    ON CONFLICT (day, page) DO UPDATE SET
        views = d.views + 1,
        visits = d.visits + EXCLUDED.visits,
        visitors = d.visitors + EXCLUDED.visitors;
    RETURN NULL;
END
$$
"""

POSTGRESQL_TRIGGER = """
CREATE TRIGGER page_views_rollup AFTER INSERT ON page_views
FOR EACH ROW EXECUTE FUNCTION page_views_rollup()
"""


def upgrade():
    op.create_table('page_view_days',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('page', sa.String(length=64), nullable=False),
    sa.Column('views', sa.Integer(), nullable=False),
    sa.Column('visits', sa.Integer(), nullable=False),
    sa.Column('visitors', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('day', 'page', name=op.f('pk_page_view_days'))
    )
    op.create_table('page_views',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('visitor', sa.String(length=32), nullable=False),
    sa.Column('visit', sa.String(length=32), nullable=False),
    sa.Column('page', sa.String(length=64), nullable=False),
    sa.Column('time', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_page_views'))
    )
    with op.batch_alter_table('page_views', schema=None) as batch_op:
        batch_op.create_index('ix_page_views_visit_time', ['visit', 'time'], unique=False)
        batch_op.create_index('ix_page_views_visitor_time', ['visitor', 'time'], unique=False)

    dialect = op.get_bind().dialect.name
    if dialect == 'sqlite':
        op.execute(SQLITE_TRIGGER)
    elif dialect == 'postgresql':
        op.execute(POSTGRESQL_FUNCTION)
        op.execute(POSTGRESQL_TRIGGER)
    else:
        raise NotImplementedError(
            f'page_views_rollup has no trigger for {dialect}: the reports need one'
        )


def downgrade():
    dialect = op.get_bind().dialect.name
    op.execute('DROP TRIGGER IF EXISTS page_views_rollup' + (' ON page_views' if dialect == 'postgresql' else ''))
    if dialect == 'postgresql':
        op.execute('DROP FUNCTION IF EXISTS page_views_rollup()')
    with op.batch_alter_table('page_views', schema=None) as batch_op:
        batch_op.drop_index('ix_page_views_visitor_time')
        batch_op.drop_index('ix_page_views_visit_time')

    op.drop_table('page_views')
    op.drop_table('page_view_days')
