"""Full backups: every table (including revisions, passwords, audit log) plus the uploads.

A backup is a folder with ``manifest.json`` (schema revision, row counts), one JSON-lines file per
table and a copy of the uploads, independent of the database engine.
Restoring needs an empty database; the search index is rebuilt afterwards.
A backup holds password hashes and everything unpublished: what it writes is readable by its owner
only (files 600, folders 700).
"""

from __future__ import annotations

import base64
import json
import os
import shutil
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic.migration import MigrationContext
from flask import current_app
from flask_migrate import upgrade

from hub.extensions import db

FORMAT = "praxis-hub-backup/1"
PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700
Progress = Callable[[int], None]


class BackupError(Exception):
    pass


def _tables() -> list[sa.Table]:
    return list(db.metadata.sorted_tables)


def _encode(value: Any) -> Any:
    if isinstance(value, datetime):
        return {"$dt": value.isoformat()}
    if isinstance(value, date):
        return {"$d": value.isoformat()}
    if isinstance(value, Decimal):
        return {"$dec": str(value)}
    if isinstance(value, bytes):
        return {"$b": base64.b64encode(value).decode("ascii")}
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, dict) and len(value) == 1:
        key, raw = next(iter(value.items()))
        if key == "$dt":
            parsed = datetime.fromisoformat(raw)
            return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
        if key == "$d":
            return date.fromisoformat(raw)
        if key == "$dec":
            return Decimal(raw)
        if key == "$b":
            return base64.b64decode(raw)
    return value


def schema_revision() -> str | None:
    with db.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def backup(target: Path, progress: Progress | None = None) -> dict[str, int]:
    """Write a consistent snapshot of the database and the uploads into ``target``."""
    step = progress or (lambda _n: None)
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"{target} is not empty")
    if not target.exists():
        target.mkdir(mode=PRIVATE_DIR, parents=True)
    (target / "tables").mkdir(mode=PRIVATE_DIR)
    counts: dict[str, int] = {}
    with db.engine.connect() as connection, connection.begin():
        if connection.dialect.name == "postgresql":
            connection.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        for table in _tables():
            counts[table.name] = _dump_table(connection, table, target / "tables" / f"{table.name}.jsonl")
            step(1)
    uploads = Path(current_app.config["UPLOAD_DIR"])
    if uploads.is_dir():
        shutil.copytree(uploads, target / "uploads")
        _make_private(target / "uploads")
    manifest = {
        "format": FORMAT,
        "schema_revision": schema_revision(),
        "created": datetime.now(UTC).isoformat(),
        "tables": counts,
    }
    with _private_file(target / "manifest.json") as out:
        out.write(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return counts


def _private_file(path: Path) -> Any:
    """``path`` opened for writing, created readable by its owner only."""
    return open(path, "w", encoding="utf-8", opener=lambda name, flags: os.open(name, flags, PRIVATE_FILE))


def _make_private(root: Path) -> None:
    for path in [root, *root.rglob("*")]:
        path.chmod(PRIVATE_DIR if path.is_dir() else PRIVATE_FILE)


def _dump_table(connection: sa.Connection, table: sa.Table, path: Path) -> int:
    order = list(table.primary_key.columns) or list(table.columns)
    count = 0
    with _private_file(path) as out:
        for row in connection.execute(sa.select(table).order_by(*order)):
            out.write(json.dumps({k: _encode(v) for k, v in row._mapping.items()}, ensure_ascii=False) + "\n")
            count += 1
    return count


def restore(source: Path, progress: Progress | None = None) -> dict[str, int]:
    """Load a backup into an empty database (schema created here), then migrate to the newest schema."""
    step = progress or (lambda _n: None)
    manifest = _manifest(source)
    upgrade(revision=manifest["schema_revision"] or "head")
    tables = _tables()
    if any(db.session.scalar(sa.select(sa.func.count()).select_from(t)) for t in tables):
        raise BackupError("the database is not empty: restore only into an empty hub")
    db.session.remove()
    counts: dict[str, int] = {}
    with db.engine.begin() as connection:
        deferred = _deferred_columns(tables)
        for table in tables:
            counts[table.name] = _load_table(
                connection, table, source / "tables" / f"{table.name}.jsonl", deferred
            )
            step(1)
        for table, rows in _deferred_updates(deferred):
            for key, values in rows:
                connection.execute(sa.update(table).where(_key_clause(table, key)).values(values))
        if connection.dialect.name == "postgresql":
            _reset_sequences(connection, tables)
    upgrade()
    uploads = source / "uploads"
    if uploads.is_dir():
        target = Path(current_app.config["UPLOAD_DIR"])
        shutil.copytree(uploads, target, dirs_exist_ok=True)
    return counts


def _manifest(source: Path) -> dict[str, Any]:
    try:
        manifest = json.loads((source / "manifest.json").read_text("utf-8"))
    except (OSError, ValueError) as error:
        raise BackupError(f"{source} is not a backup folder: {error}") from error
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown backup format {manifest.get('format')!r}")
    return manifest


def _deferred_columns(tables: list[sa.Table]) -> dict[str, dict[str, Any]]:
    """Foreign keys that form cycles (practice → head revision) are filled in after all rows exist."""
    result: dict[str, dict[str, Any]] = {}
    for table in tables:
        for fk in table.foreign_keys:
            if fk.use_alter or (fk.constraint is not None and fk.constraint.use_alter):
                result.setdefault(table.name, {"table": table, "columns": {}})["columns"][fk.parent.name] = []
    return result


def _load_table(
    connection: sa.Connection, table: sa.Table, path: Path, deferred: dict[str, dict[str, Any]]
) -> int:
    if not path.exists():
        return 0
    later = deferred.get(table.name, {}).get("columns", {})
    rows = []
    for line in _lines(path):
        row = {k: _decode(v) for k, v in json.loads(line).items() if k in table.c}
        for column, pending in later.items():
            if row.get(column) is not None:
                # keep columns with an on-update default (modified_at) as they were
                values = {
                    c.name: row[c.name] for c in table.columns if c.onupdate is not None and c.name in row
                }
                values[column] = row[column]
                pending.append(({c.name: row[c.name] for c in table.primary_key.columns}, values))
                row[column] = None
        rows.append(row)
    for start in range(0, len(rows), 500):
        connection.execute(table.insert(), rows[start : start + 500])
    return len(rows)


def _deferred_updates(deferred: dict[str, dict[str, Any]]) -> Iterator[tuple[sa.Table, list[Any]]]:
    for entry in deferred.values():
        for rows in entry["columns"].values():
            yield entry["table"], rows


def _key_clause(table: sa.Table, key: dict[str, Any]) -> sa.ColumnElement[bool]:
    return sa.and_(*(table.c[name] == value for name, value in key.items()))


def _lines(path: Path) -> Iterator[str]:
    with path.open(encoding="utf-8") as source:
        yield from (line for line in source if line.strip())


def _reset_sequences(connection: sa.Connection, tables: list[sa.Table]) -> None:
    for table in tables:
        for column in table.primary_key.columns:
            if column.autoincrement is True or (
                column.autoincrement == "auto" and isinstance(column.type, sa.Integer)
            ):
                highest = connection.scalar(sa.select(sa.func.max(column))) or 0
                connection.execute(
                    sa.text("SELECT setval(pg_get_serial_sequence(:table, :column), :next, false)"),
                    {"table": table.name, "column": column.name, "next": highest + 1},
                )
