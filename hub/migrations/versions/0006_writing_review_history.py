"""writing, review and history: status changes, slug redirects, uploads

Revision ID: 4c7e2a91d0b3
Revises: 0005_api_tokens
Create Date: 2026-11-27 21:40:00.000000

"""
from alembic import op
import sqlalchemy as sa

import hub.models._types


# revision identifiers, used by Alembic.
revision = '4c7e2a91d0b3'
down_revision = '0005_api_tokens'
branch_labels = None
depends_on = None

STATUSES = ('draft', 'review', 'published', 'archived')


def upgrade():
    op.create_table('status_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('practice_id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('at', hub.models._types.UTCDateTime(), nullable=False),
    sa.Column('from_status', sa.Enum(*STATUSES, name='status_change_from', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('to_status', sa.Enum(*STATUSES, name='status_change_to', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_status_changes_actor_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['practice_id'], ['practices.id'], name=op.f('fk_status_changes_practice_id_practices'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_status_changes'))
    )
    with op.batch_alter_table('status_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_status_changes_practice_id'), ['practice_id'], unique=False)

    op.create_table('slug_redirects',
    sa.Column('old_slug', sa.String(length=120), nullable=False),
    sa.Column('practice_id', sa.Integer(), nullable=False),
    sa.Column('created_at', hub.models._types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['practice_id'], ['practices.id'], name=op.f('fk_slug_redirects_practice_id_practices'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('old_slug', name=op.f('pk_slug_redirects'))
    )
    with op.batch_alter_table('slug_redirects', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_slug_redirects_practice_id'), ['practice_id'], unique=False)

    op.create_table('uploads',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('original_name', sa.String(length=255), nullable=False),
    sa.Column('content_type', sa.String(length=40), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('uploader_id', sa.Integer(), nullable=True),
    sa.Column('created_at', hub.models._types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['uploader_id'], ['users.id'], name=op.f('fk_uploads_uploader_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_uploads')),
    sa.UniqueConstraint('name', name=op.f('uq_uploads_name'))
    )


def downgrade():
    op.drop_table('uploads')
    with op.batch_alter_table('slug_redirects', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_slug_redirects_practice_id'))
    op.drop_table('slug_redirects')
    with op.batch_alter_table('status_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_status_changes_practice_id'))
    op.drop_table('status_changes')
