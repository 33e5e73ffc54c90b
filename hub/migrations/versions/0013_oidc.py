"""oidc: the single sign-on link of an account (issuer and subject of the OpenID provider)

Revision ID: 0013_oidc
Revises: 0012_attachments
Create Date: 2026-12-05 05:40:00

An account signed in through OpenID Connect keeps the provider's ``iss`` and ``sub``; later logins
find it by them, so a changed e-mail address at the provider still reaches the same account. A pair
belongs to one account at most.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0013_oidc'
down_revision = '0012_attachments'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('oidc_issuer', sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column('oidc_subject', sa.String(length=255), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_users_oidc_issuer_oidc_subject'), ['oidc_issuer', 'oidc_subject'])


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_users_oidc_issuer_oidc_subject'), type_='unique')
        batch_op.drop_column('oidc_subject')
        batch_op.drop_column('oidc_issuer')
