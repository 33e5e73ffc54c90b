"""An untrusted content folder or backup cannot reach beyond itself (issue 11, items 9 and 16):
existing accounts keep their rights and mail unless the operator asks, every account change is
audited on its own, links and special files are refused, sizes are checked before reading and
YAML aliases cannot blow a file up."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa

from hub.exchange.importer import import_folder
from hub.exchange.reader import InvalidContent
from hub.extensions import db
from hub.models import AuditEvent, User
from hub.vocabulary import Role
from tests.factories import user
from tests.test_import import _front_matter

TBAUER = "- {username: tbauer, name: Thomas Bauer, email: thomas.bauer@zz-sachsen.example, centre: zz-sachsen, role: contributor}"
TAKEN_OVER = (
    "- {username: tbauer, name: Thomas B., email: boss@evil.example, centre: zz-thueringen, role: admin}"
)


def _take_over(root: Path) -> None:
    users = root / "users.yml"
    text = users.read_text("utf-8")
    assert TBAUER in text
    users.write_text(
        text.replace(TBAUER, TAKEN_OVER)
        + "- {username: neu, name: Neu, email: neu@x.example, role: reader}\n",
        "utf-8",
    )


def _updates(username: str) -> list[AuditEvent]:
    return list(
        db.session.scalars(
            sa.select(AuditEvent).where(
                AuditEvent.object_type == "user",
                AuditEvent.object_key == username,
                AuditEvent.action == "user.update",
            )
        )
    )


# --- (9) accounts ---------------------------------------------------------------------------------
def test_an_import_keeps_role_mail_and_centre_of_existing_accounts(session, tmp_content):
    """Rule: without --update-accounts an import raises no role and changes no e-mail (or centre)."""
    _take_over(tmp_content)
    report = import_folder(tmp_content)
    db.session.expire_all()
    tbauer = user("tbauer")
    assert (tbauer.role, tbauer.email, tbauer.centre.slug) == (
        Role.CONTRIBUTOR,
        "thomas.bauer@zz-sachsen.example",
        "zz-sachsen",
    )
    assert tbauer.name == "Thomas B."  # the name is no right
    assert sorted(
        change.split(":")[1].split()[0] for change in report.accounts_kept if change.startswith("tbauer")
    ) == ["centre", "email", "role"]
    assert [e.details for e in _updates("tbauer")] == [{"name": "Thomas B."}]
    created = sa.select(AuditEvent).where(AuditEvent.object_key == "neu", AuditEvent.action == "user.create")
    assert len(db.session.scalars(created).all()) == 1


def test_update_accounts_applies_them_each_audited(session, tmp_content):
    """Rule: with --update-accounts the changes apply, each account's change in the audit log."""
    _take_over(tmp_content)
    report = import_folder(tmp_content, update_accounts=True)
    db.session.expire_all()
    tbauer = user("tbauer")
    assert (tbauer.role, tbauer.email) == (Role.ADMIN, "boss@evil.example")
    assert report.accounts_kept == []
    (event,) = _updates("tbauer")
    assert event.actor is None
    assert event.details == {
        "name": "Thomas B.",
        "email": "boss@evil.example",
        "role": "admin",
        "centre": "zz-thueringen",
    }


def test_the_import_command_says_what_it_did_not_apply(fresh_app, tmp_content):
    """Rule: `hub import` names the account changes it left out and applies them with the option."""
    runner = fresh_app.test_cli_runner()
    assert runner.invoke(args=["init"]).exit_code == 0
    _take_over(tmp_content)
    kept = runner.invoke(args=["import", str(tmp_content)])
    assert kept.exit_code == 0, kept.output
    assert "--update-accounts" in kept.output and "tbauer: role contributor → admin" in kept.output
    with fresh_app.app_context():
        assert (
            db.session.scalars(sa.select(User.role).where(User.username == "tbauer")).one()
            == Role.CONTRIBUTOR
        )
    applied = runner.invoke(args=["import", "--update-accounts", str(tmp_content)])
    assert applied.exit_code == 0, applied.output
    with fresh_app.app_context():
        assert db.session.scalars(sa.select(User.role).where(User.username == "tbauer")).one() == Role.ADMIN


# --- (16) links, special files, sizes, aliases ----------------------------------------------------
def _problems(root: Path) -> list[str]:
    with pytest.raises(InvalidContent) as caught:
        import_folder(root)
    return [str(p) for p in caught.value.problems]


def test_the_import_refuses_symbolic_links(session, tmp_content, tmp_path):
    """Rule: the import reads regular files only; links are refused, never followed."""
    secret = tmp_path / "secret_key"
    secret.write_bytes(b"\x89PNG\r\n\x1a\n" + b"geheim" * 10)
    (tmp_content / "uploads").mkdir(exist_ok=True)
    (tmp_content / "uploads" / ("a" * 32 + ".png")).symlink_to(secret)
    (tmp_content / "practices" / "neu.md").symlink_to(tmp_path / "outside.md")
    (tmp_path / "outside.md").write_text(_front_matter() + "Text\n", "utf-8")
    problems = _problems(tmp_content)
    assert any(p.startswith(f"uploads/{'a' * 32}.png: -: is a symbolic link") for p in problems), problems
    assert any(p.startswith("practices/neu.md: -: is a symbolic link") for p in problems), problems


def test_the_import_refuses_a_pipe_without_opening_it(session, tmp_content):
    """Rule: special files (here a FIFO, which would block a reader) are refused unread."""
    fifo = tmp_content / "practices" / "neu.md"
    os.mkfifo(fifo)
    writer = threading.Thread(
        target=lambda: fifo.write_text(_front_matter() + "Text\n", "utf-8"), daemon=True
    )
    writer.start()  # old code reads what it writes; new code never opens the pipe
    try:
        problems = _problems(tmp_content)
        assert any(p.startswith("practices/neu.md: -: is not a regular file") for p in problems), problems
    finally:
        reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # let the writer finish
        writer.join(5)
        os.close(reader)


def _bomb(levels: int) -> str:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{n}: &a{n} [{','.join([f'*a{n - 1}'] * 9)}]" for n in range(1, levels)]
    return "\n".join(lines) + f"\nkind: *a{levels - 1}\n"


@pytest.mark.parametrize("levels", [6, 9])
def test_an_alias_bomb_is_refused_with_a_short_message(session, tmp_content, levels):
    """Rule: YAML aliases may not expand a file's data without bound (9 levels: a 400-byte bomb)."""
    text = _front_matter(extra=_bomb(levels)).replace("kind: method\n", "")
    assert len(text) < 700
    (tmp_content / "practices" / "neu.md").write_text(text + "Text\n", "utf-8")
    problems = [p for p in _problems(tmp_content) if p.startswith("practices/neu.md")]
    assert problems and all(len(p) < 200 for p in problems), [p[:200] for p in problems]
    assert "aliases" in problems[0]


# --- (16) restore ---------------------------------------------------------------------------------
def _backup_with_link(folder: Path, target: Path) -> Path:
    (folder / "tables").mkdir(parents=True)
    (folder / "uploads").mkdir()
    manifest = {"format": "praxis-hub-backup/1", "schema_revision": None, "tables": {}}
    (folder / "manifest.json").write_text(json.dumps(manifest), "utf-8")
    (folder / "uploads" / ("b" * 32 + ".png")).symlink_to(target)
    return folder


def test_restore_refuses_links_in_the_uploads(fresh_app, tmp_path):
    """Rule: `hub restore` copies no link (it would serve the file it points at) and restores nothing."""
    secret = tmp_path / "secret_key"
    secret.write_text("geheim", "ascii")
    backup = _backup_with_link(tmp_path / "backup", secret)
    result = fresh_app.test_cli_runner().invoke(args=["restore", str(backup)])
    assert result.exit_code != 0
    assert "symbolic link" in result.output and f"uploads/{'b' * 32}.png" in result.output
    assert not (Path(fresh_app.config["UPLOAD_DIR"]) / ("b" * 32 + ".png")).exists()
