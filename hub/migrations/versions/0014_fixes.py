"""fixes: logged-out logins are recorded on the server; deleted accounts keep no name in German

Revision ID: 0014_fixes
Revises: 0013_oidc
Create Date: 2026-12-05 05:40:00

``ended_logins`` holds the random id of each login ended with "log out" until its absolute lifetime
is over (``hub.auth.sessions``). Deleted accounts stored the German words "ehemaliges Mitglied" as
their name; they now store no name (the pages say "former member" in the reader's language).
"""
import sqlalchemy as sa
from alembic import op

import hub.models._types

# revision identifiers, used by Alembic.
revision = '0014_fixes'
down_revision = '0013_oidc'
branch_labels = None
depends_on = None

FORMER_MEMBER_BEFORE = "ehemaliges Mitglied"


def upgrade():
    op.create_table('ended_logins',
    sa.Column('login_id', sa.String(length=32), nullable=False),
    sa.Column('expires_at', hub.models._types.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('login_id', name=op.f('pk_ended_logins'))
    )
    with op.batch_alter_table('ended_logins', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ended_logins_expires_at'), ['expires_at'], unique=False)
    users = sa.table('users', sa.column('name', sa.String), sa.column('deleted_at', sa.DateTime))
    op.execute(users.update().where(users.c.deleted_at.is_not(None)).values(name=''))


def downgrade():
    users = sa.table('users', sa.column('name', sa.String), sa.column('deleted_at', sa.DateTime))
    op.execute(users.update().where(users.c.deleted_at.is_not(None)).values(name=FORMER_MEMBER_BEFORE))
    with op.batch_alter_table('ended_logins', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ended_logins_expires_at'))
    op.drop_table('ended_logins')
