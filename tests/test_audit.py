"""One audit writer (hub/audit.py): every action is named ``object.verb``, logged once per action by its
package's logger, and the migration renames the rows written under the old names (and back)."""

from __future__ import annotations

import logging

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from hub.audit import AuditAction
from hub.collections import operations as collections_ops
from hub.extensions import db
from hub.models import AuditEvent
from hub.practices.operations import delete_practice
from hub.taxonomy.operations import rename_tag
from tests.factories import make_practice, user

RENAMING, BEFORE = "0010_rules_audit_names", "0009_sec_auth"  # the migration and the one before it
OLD_NAMES = {
    "delete-practice": "practice.delete",
    "collection-create": "collection.create",
    "collection-search": "collection.set-search",
    "rename-tag": "tag.rename",
    "merge-tags": "tag.merge",
    "user-password": "user.set-password",
    "import": "folder.import",
}


def test_every_action_is_named_object_verb(session, caplog):
    """Rule: one naming scheme; the object type is the name's first part; one log line per action,
    from the package's logger, naming who, what and which object."""
    caplog.set_level(logging.INFO, logger="hub")
    practice = make_practice(tags=["auditwort"])
    rename_tag(user("mkoch"), practice.tags[0], "auditwort-neu")
    collections_ops.create_collection(
        user("mkoch"), collections_ops.CollectionData("Prüfung", "pruefung", "public")
    )
    delete_practice(user("admin"), practice)
    db.session.flush()
    events = db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id)).all()
    assert [(e.action, e.object_type) for e in events[-3:]] == [
        ("tag.rename", "tag"),
        ("collection.create", "collection"),
        ("practice.delete", "practice"),
    ]
    assert {e.action for e in db.session.scalars(sa.select(AuditEvent))} <= {a.value for a in AuditAction}
    lines = [(r.name, r.getMessage()) for r in caplog.records if r.name.startswith("hub.")]
    assert ("hub.taxonomy", "mkoch: tag.rename auditwort-neu") in lines
    assert ("hub.collections", "mkoch: collection.create pruefung") in lines
    assert ("hub.practices", f"admin: practice.delete {practice.slug}") in lines


def test_the_import_is_recorded_under_the_new_name(session):
    """Rule: the import writes through the same writer (``folder.import``); the demo corpus was imported."""
    assert db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "folder.import")).first()


def test_the_migration_renames_old_action_names_and_back(fresh_app):
    """Rule: rows written under the old names get the ``object.verb`` names (upgrade) and back (downgrade)."""
    with fresh_app.app_context():
        upgrade(revision=BEFORE)
        audit_log = sa.table("audit_log", sa.column("action"), sa.column("object_type"), sa.column("object_key"),
                             sa.column("details"), sa.column("at"))
        with db.engine.begin() as connection:
            for old in OLD_NAMES:
                connection.execute(audit_log.insert().values(action=old, object_type="x", object_key="k",
                                                             details="{}", at=sa.func.now()))
        upgrade(revision=RENAMING)
        with db.engine.connect() as connection:
            names = set(connection.scalars(sa.select(audit_log.c.action)))
        assert names == set(OLD_NAMES.values())
        downgrade(revision=BEFORE)
        with db.engine.connect() as connection:
            names = set(connection.scalars(sa.select(audit_log.c.action)))
        assert names == set(OLD_NAMES)
