"""collection saved search; following a saved search

Revision ID: 0008_collection_saved_search
Revises: 5e4c1b7a9d20
Create Date: 2026-11-27 23:32:35.202800

Collections get an optional saved search (query text + filters). Watches may target a saved search:
the watch key (its canonical query string) grows to 500 characters and the target check allows
``search``.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0008_collection_saved_search'
down_revision = '5e4c1b7a9d20'
branch_labels = None
depends_on = None

OLD_TARGETS = ('practice', 'tag', 'sector', 'topic', 'collection')
NEW_TARGETS = (*OLD_TARGETS, 'search')


def _targets(values):
    return 'target IN (' + ', '.join(f"'{v}'" for v in values) + ')'


def upgrade():
    with op.batch_alter_table('collections', schema=None) as batch_op:
        batch_op.add_column(sa.Column('search_query', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('search_filters', sa.JSON(), nullable=True))

    with op.batch_alter_table('watches', schema=None) as batch_op:
        batch_op.alter_column('key', existing_type=sa.String(length=120), type_=sa.String(length=500),
                              existing_nullable=False)
        batch_op.drop_constraint(op.f('ck_watches_watch_target'), type_='check')
        batch_op.create_check_constraint('watch_target', _targets(NEW_TARGETS))


def downgrade():
    op.execute(sa.text("DELETE FROM watches WHERE target = 'search'"))
    with op.batch_alter_table('watches', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_watches_watch_target'), type_='check')
        batch_op.create_check_constraint('watch_target', _targets(OLD_TARGETS))
        batch_op.alter_column('key', existing_type=sa.String(length=500), type_=sa.String(length=120),
                              existing_nullable=False)

    with op.batch_alter_table('collections', schema=None) as batch_op:
        batch_op.drop_column('search_filters')
        batch_op.drop_column('search_query')
