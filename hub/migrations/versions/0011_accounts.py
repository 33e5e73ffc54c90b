"""accounts: interface language per user, password resets, invitations, throttle purposes, TOTP

Revision ID: 0011_accounts
Revises: 0010_rules_audit_names
Create Date: 2026-12-04 18:05:00

``users.language`` is the interface and mail language a person chose. ``password_resets`` and
``invitations`` hold the hashes of one-time links sent by mail. ``login_attempts.purpose`` lets the
same throttle table count password-reset requests apart from failed logins. ``users.totp_secret`` /
``totp_last_step`` and ``recovery_codes`` (hashed) hold the second factor.
"""
import sqlalchemy as sa
from alembic import op

import hub.models._types

# revision identifiers, used by Alembic.
revision = '0011_accounts'
down_revision = '0010_rules_audit_names'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column('totp_secret', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('totp_last_step', sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column('deleted_at', hub.models._types.UTCDateTime(), nullable=True))

    with op.batch_alter_table('login_attempts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('purpose', sa.String(length=20), server_default='login', nullable=False))

    op.create_table(
        'password_resets',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('generation', sa.Integer(), nullable=False),
        sa.Column('created_at', hub.models._types.UTCDateTime(), nullable=False),
        sa.Column('expires_at', hub.models._types.UTCDateTime(), nullable=False),
        sa.Column('used_at', hub.models._types.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_password_resets_user_id_users'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_password_resets')),
        sa.UniqueConstraint('token_hash', name=op.f('uq_password_resets_token_hash')),
    )
    with op.batch_alter_table('password_resets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_password_resets_user_id'), ['user_id'], unique=False)

    op.create_table(
        'invitations',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('email', sa.String(length=254), nullable=False),
        sa.Column('role', sa.Enum('reader', 'contributor', 'coordinator', 'admin', name='invitation_role',
                                  native_enum=False, create_constraint=True, length=24), nullable=False),
        sa.Column('centre_id', sa.Integer(), nullable=True),
        sa.Column('language', sa.String(length=8), nullable=True),
        sa.Column('invited_by_id', sa.Integer(), nullable=True),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('created_at', hub.models._types.UTCDateTime(), nullable=False),
        sa.Column('sent_at', hub.models._types.UTCDateTime(), nullable=False),
        sa.Column('expires_at', hub.models._types.UTCDateTime(), nullable=False),
        sa.Column('accepted_at', hub.models._types.UTCDateTime(), nullable=True),
        sa.Column('revoked_at', hub.models._types.UTCDateTime(), nullable=True),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['centre_id'], ['centres.id'], name=op.f('fk_invitations_centre_id_centres'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['invited_by_id'], ['users.id'],
                                name=op.f('fk_invitations_invited_by_id_users'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_invitations_user_id_users'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_invitations')),
        sa.UniqueConstraint('token_hash', name=op.f('uq_invitations_token_hash')),
    )

    op.create_table(
        'recovery_codes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('code_hash', sa.String(length=256), nullable=False),
        sa.Column('used_at', hub.models._types.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_recovery_codes_user_id_users'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_recovery_codes')),
    )
    with op.batch_alter_table('recovery_codes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recovery_codes_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('recovery_codes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recovery_codes_user_id'))
    op.drop_table('recovery_codes')
    op.drop_table('invitations')
    with op.batch_alter_table('password_resets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_password_resets_user_id'))
    op.drop_table('password_resets')
    with op.batch_alter_table('login_attempts', schema=None) as batch_op:
        batch_op.drop_column('purpose')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('deleted_at')
        batch_op.drop_column('totp_last_step')
        batch_op.drop_column('totp_secret')
        batch_op.drop_column('language')
