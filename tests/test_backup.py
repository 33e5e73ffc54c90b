"""`hub backup` / `hub restore`: every row (history, passwords, audit) and the uploads come back."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import sqlalchemy as sa

from hub.extensions import db
from hub.models import Practice, Revision, User
from hub.practices.operations import practice_data, update_practice
from tests.factories import make_practice
from tests.support import create_postgres_schema, make_app


def _snapshot(app) -> dict[str, list]:
    with app.app_context():
        tables = {}
        for table in db.metadata.sorted_tables:
            order = list(table.primary_key.columns) or list(table.columns)
            rows = db.session.execute(sa.select(table).order_by(*order)).all()
            tables[table.name] = [tuple(str(v) for v in row) for row in rows]
        return tables


def test_backup_and_restore_round_trip(fresh_app, tmp_path, backend):
    runner = fresh_app.test_cli_runner()
    assert runner.invoke(args=["init"]).exit_code == 0
    uploads = Path(fresh_app.config["UPLOAD_DIR"])
    uploads.mkdir(parents=True, exist_ok=True)
    (uploads / "bild.png").write_bytes(b"\x89PNG\r\n\x1a\nbeispiel")
    with fresh_app.app_context():
        practice = db.session.scalars(
            sa.select(Practice).where(Practice.slug == "ki-angebote-tischlerei")
        ).one()
        data = practice_data(practice)
        data.body += "\n\nZweite Fassung."
        update_practice(None, practice, data, "zweite Fassung")
        db.session.commit()

    result = runner.invoke(args=["backup", str(tmp_path / "backup")])
    assert result.exit_code == 0, result.output
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text("utf-8"))
    assert manifest["tables"]["revisions"] >= 58

    if backend.name == "sqlite":
        target_url = f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        drop = None
    else:
        target_url, drop = create_postgres_schema()
    restored = make_app(target_url, tmp_path / "restored-instance")
    try:
        result = restored.test_cli_runner().invoke(args=["restore", str(tmp_path / "backup")])
        assert result.exit_code == 0, result.output
        assert "Index rebuilt" in result.output
        check = restored.test_cli_runner().invoke(args=["index", "check"])
        assert check.exit_code == 0, check.output
        assert _snapshot(restored) == _snapshot(fresh_app)
        assert (Path(restored.config["UPLOAD_DIR"]) / "bild.png").read_bytes() == b"\x89PNG\r\n\x1a\nbeispiel"
        with restored.app_context():
            mkoch = db.session.scalars(sa.select(User).where(User.username == "mkoch")).one()
            assert mkoch.check_password(restored.config["DEMO_PASSWORD"])
            practice = db.session.scalars(
                sa.select(Practice).where(Practice.slug == "ki-angebote-tischlerei")
            ).one()
            assert practice.head.number == 2 and practice.head.message == "zweite Fassung"
            # new rows get fresh ids after a restore (sequences moved past the restored rows)
            with restored.test_request_context():
                new = make_practice()
                assert new.id > max(
                    r for (r,) in db.session.execute(sa.select(Practice.id).where(Practice.id != new.id))
                )
                assert db.session.scalar(sa.select(sa.func.count(Revision.id))) >= 59
        again = restored.test_cli_runner().invoke(args=["restore", str(tmp_path / "backup")])
        assert again.exit_code != 0 and "not empty" in again.output
    finally:
        with restored.app_context():
            db.engine.dispose()
        if drop:
            drop()


def test_backup_refuses_a_non_empty_folder(fresh_app, tmp_path):
    runner = fresh_app.test_cli_runner()
    runner.invoke(args=["db", "upgrade"])
    (tmp_path / "voll").mkdir()
    (tmp_path / "voll" / "x").write_text("x", "utf-8")
    result = runner.invoke(args=["backup", str(tmp_path / "voll")])
    assert result.exit_code != 0 and "not empty" in result.output


def test_backup_is_readable_by_its_owner_only(app, session, tmp_path):
    """Rule: a backup (password hashes, drafts, uploads) is written with mode 600, its folders 700,
    whatever the umask and the modes of the uploads."""
    uploads = tmp_path / "uploads"
    (uploads / "2026").mkdir(parents=True)
    (uploads / "2026" / "bild.png").write_bytes(b"\x89PNG\r\n\x1a\nbeispiel")
    (uploads / "2026" / "bild.png").chmod(0o644)
    saved_uploads, app.config["UPLOAD_DIR"] = app.config["UPLOAD_DIR"], str(uploads)
    saved_umask = os.umask(0o022)
    try:
        result = app.test_cli_runner().invoke(args=["backup", str(tmp_path / "sicherung")])
    finally:
        os.umask(saved_umask)
        app.config["UPLOAD_DIR"] = saved_uploads
    assert result.exit_code == 0, result.output
    written = [tmp_path / "sicherung", *(tmp_path / "sicherung").rglob("*")]
    assert any(path.name == "bild.png" for path in written) and any(p.name == "manifest.json" for p in written)
    modes = {str(path): stat.S_IMODE(path.stat().st_mode) for path in written}
    assert modes == {str(path): 0o700 if path.is_dir() else 0o600 for path in written}
