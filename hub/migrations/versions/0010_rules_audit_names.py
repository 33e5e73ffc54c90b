"""audit log: one naming scheme, object.verb

Revision ID: 0010_rules_audit_names
Revises: 0009_sec_auth
Create Date: 2026-12-04 17:30:00

The audit log had two naming styles (``delete-practice`` and ``collection-create``); every action
is now named ``object.verb`` (``practice.delete``, ``collection.create``) by one writer,
``hub.audit.record``. Existing rows are renamed; downgrade names them back.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0010_rules_audit_names'
down_revision = '0009_sec_auth'
branch_labels = None
depends_on = None

RENAMED = {
    'delete-practice': 'practice.delete',
    'collection-create': 'collection.create',
    'collection-update': 'collection.update',
    'collection-search': 'collection.set-search',
    'collection-add': 'collection.add-practice',
    'collection-remove': 'collection.remove-practice',
    'collection-delete': 'collection.delete',
    'rename-tag': 'tag.rename',
    'merge-tags': 'tag.merge',
    'add-alias': 'tag.add-alias',
    'remove-alias': 'tag.remove-alias',
    'user-create': 'user.create',
    'user-update': 'user.update',
    'user-password': 'user.set-password',
    'user-sessions-ended': 'user.end-sessions',
    'import': 'folder.import',
}

audit_log = sa.table('audit_log', sa.column('action', sa.String(60)))


def _rename(pairs):
    for old, new in pairs:
        op.execute(audit_log.update().where(audit_log.c.action == old).values(action=new))


def upgrade():
    _rename(RENAMED.items())


def downgrade():
    _rename((new, old) for old, new in RENAMED.items())
