"""Issue 12 item 6: the models and the migrations describe the same schema, on both databases."""

from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade

from hub.extensions import db


def test_models_equal_the_migrated_schema(fresh_app: Any) -> None:
    """Pins issue-12 item 6: after ``upgrade`` to head, Alembic's autogenerate comparison of the
    database with the models finds no difference (tables, columns, types, nullability, indexes,
    unique and foreign-key constraints)."""
    with fresh_app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "compare_server_default": False}
            )
            differences = compare_metadata(context, db.metadata)
    assert differences == [], "\n".join(map(repr, differences))
