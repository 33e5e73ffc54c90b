"""session generation per account, API token expiry, login throttling per client

Revision ID: 0009_sec_auth
Revises: 0008_collection_saved_search
Create Date: 2026-12-04 17:30:00

``users.session_generation`` is part of every session and "stay logged in" cookie: raising it ends
them all. ``api_tokens.expires_at`` (optional) ends a token. ``login_attempts.client_key`` lets the
login throttle count failures per client address across accounts.
"""
import sqlalchemy as sa
from alembic import op

import hub.models._types

# revision identifiers, used by Alembic.
revision = '0009_sec_auth'
down_revision = '0008_collection_saved_search'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_generation', sa.Integer(), server_default='1', nullable=False))

    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.add_column(sa.Column('expires_at', hub.models._types.UTCDateTime(), nullable=True))

    with op.batch_alter_table('login_attempts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('client_key', sa.String(length=64), nullable=True))
        batch_op.create_index(batch_op.f('ix_login_attempts_client_key'), ['client_key'], unique=False)


def downgrade():
    with op.batch_alter_table('login_attempts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_login_attempts_client_key'))
        batch_op.drop_column('client_key')

    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_column('expires_at')

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('session_generation')
